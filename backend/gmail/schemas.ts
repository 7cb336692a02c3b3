import * as z from 'zod';
import { Email, LocaleCode, MemberBrief, Role, Time, Timestamp, Uuid, text } from '../schemas.js';
import { ContactDetail } from '../contacts/schemas.js';
import { Visibility } from '../interactions/schemas.js';
import { Deal, PipelineStage } from '../deals/schemas.js';

/** A bounded string without NUL: id(1, 200) */
const id = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

/** '<CAF=abc@mail.gmail.com>' and 'CAF=abc@mail.gmail.com' pass (the same message); '', '<>' do not. */
export const MessageId = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
  .refine((s) => s.replace(/[<>\s]/g, '').length > 0, { message: 'must be a Message-ID like <abc@mail.example.com>' });

export const Addr = z.strictObject({ email: Email, name: text(300).optional() });
const Addrs = z.array(Addr).max(500);

export const GmailContextBody = z.strictObject({
  message: z.strictObject({
    messageId: MessageId,
    gmailMessageId: id(0, 200).optional(),
    threadId: id(0, 200).optional(),
    // a message with no (readable) From still shows its other people
    from: Addr.optional(),
    to: Addrs,
    cc: Addrs,
    subject: text(1000).optional(),
    date: Timestamp.optional(),
  }),
});

export const GmailMessage = z.strictObject({
  messageId: MessageId,
  gmailMessageId: id(1, 200),
  threadId: id(1, 200),
  /** the Message-ID of the thread's first message: every message of a thread gets one thread key */
  threadRootId: id(0, 1000).optional(),
  from: Addr,
  to: Addrs,
  cc: Addrs,
  date: Timestamp,
  subject: text(1000).optional(),
  body: text(100_000).optional(),
  attachments: z.array(text(300)).max(100).optional(),
  visibility: Visibility.optional().describe("who sees it; the workspace's default (workspace) when left out"),
});

export const GmailLogBody = z.strictObject({ messages: z.array(GmailMessage).min(1).max(100) });

// --- answers ---

export const GmailPerson = z
  .strictObject({
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(['from', 'to', 'cc']),
    contact: ContactDetail.extend({
      duplicates: z
        .array(z.strictObject({ id: Uuid, name: z.string(), reason: z.enum(['email', 'phone', 'name']) }))
        .describe('other contacts that look like the same person (see /api/duplicates), at most 5'),
    })
      .meta({ id: 'GmailContact' })
      .nullable()
      .describe('their contact card (the latest 5 timeline entries), when Rapport knows them'),
    suggestion: z
      .strictObject({ name: z.string(), companyName: z.string().nullable(), domain: z.string().nullable() })
      .nullable()
      .describe('what a new contact would be, when Rapport does not know them'),
    account: z
      .strictObject({
        id: Uuid,
        name: z.string(),
        openDealsCount: z.number().int(),
        openDealTotals: z.array(z.strictObject({ currency: z.string(), amount: z.number(), count: z.number() })),
      })
      .nullable()
      .describe('their company as an account: its open deals counted and summed per currency (minor units, never converted)'),
  })
  .meta({ id: 'GmailPerson' });

export const GmailContext = z
  .strictObject({
    me: z
      .strictObject({
        id: Uuid,
        name: z.string(),
        email: z.string(),
        locale: LocaleCode,
        timezone: z.string(),
        welcome: z
          .strictObject({ workspace: z.string(), role: Role })
          .nullable()
          .describe('they joined by themselves and were not told yet: say so, then POST /api/me/welcome'),
      })
      .nullable()
      .describe('the caller; null only for a scheduler, which acts for no member'),
    logged: z.strictObject({ interactionId: Uuid, by: MemberBrief.nullable(), at: Time }).nullable(),
    answered: z
      .strictObject({
        state: z.enum(['replied', 'assigned']).describe('replied: their reply is in the thread; assigned: they took it ("Assign to me")'),
        by: MemberBrief,
        at: Time,
      })
      .nullable()
      .describe(
        "someone else is already on it: a colleague (never the caller) replied in this email's thread after its last inbound message, " +
          'or is assigned to it; null when nobody is, or when Rapport does not hold this email',
      ),
    people: z.array(GmailPerson),
    more: z.number().int().describe('external people left out after the first 10'),
    deals: z.record(z.string(), z.array(Deal)).describe("each known person's open deals (at most 5, closing soonest first), by contact id"),
    pipeline: z.array(PipelineStage).describe("the workspace's stages in order, for Move stage and New deal"),
  })
  .meta({ id: 'GmailContext' });

export const GmailLogItem = z
  .strictObject({
    messageId: z.string(),
    interactionId: Uuid,
    created: z.boolean(),
    loggedBy: MemberBrief.nullable(),
  })
  .meta({ id: 'GmailLogItem' });
export const GmailLogResult = z.strictObject({ items: z.array(GmailLogItem) }).meta({ id: 'GmailLogResult' });

export type GmailPerson = z.infer<typeof GmailPerson>;
export type GmailContext = z.infer<typeof GmailContext>;
export type GmailLogResult = z.infer<typeof GmailLogResult>;
