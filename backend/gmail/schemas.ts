import * as z from 'zod';
import { Email, Timestamp, text } from '../schemas.js';
import { ContactDetail } from '../contacts/schemas.js';

/** A bounded string without NUL: id(1, 200) */
const id = (min: number, max: number) =>
  z.string().min(min).max(max).refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

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
});

export const GmailLogBody = z.strictObject({ messages: z.array(GmailMessage).min(1).max(100) });

const Brief = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const GmailPerson = z.object({
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(['from', 'to', 'cc']),
  // duplicates: other contacts that look like the same person (see /api/duplicates)
  contact: ContactDetail.extend({
    duplicates: z.array(z.object({ id: z.string(), name: z.string(), reason: z.enum(['email', 'phone', 'name']) })).optional(),
  }).nullable(),
  suggestion: z.object({ name: z.string(), companyName: z.string().nullable(), domain: z.string().nullable() }).nullable(),
});

export const GmailContext = z.object({
  me: z.object({ id: z.string(), name: z.string(), email: z.string(), locale: z.enum(['en', 'ja', 'zh']), timezone: z.string() }),
  logged: z.object({ interactionId: z.string(), by: Brief.nullable(), at: z.string() }).nullable(),
  people: z.array(GmailPerson),
  more: z.number().int(),
});

export const GmailLogItem = z.object({
  messageId: z.string(),
  interactionId: z.string(),
  created: z.boolean(),
  loggedBy: Brief.nullable(),
});
export const GmailLogResult = z.object({ items: z.array(GmailLogItem) });

export type GmailContext = z.infer<typeof GmailContext>;
export type GmailLogResult = z.infer<typeof GmailLogResult>;
