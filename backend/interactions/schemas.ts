import * as z from 'zod';
import { Email, Id, MemberBrief, Time, Timestamp, Uuid, text } from '../schemas.js';

export const Participant = z
  .strictObject({
    // 'about': the contact a note, call or Slack message is about, named by id
    role: z.enum(['from', 'to', 'cc', 'author', 'mention', 'about']),
    email: Email.optional(),
    slackUserId: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,20}$/, { message: 'must be a Slack user id like U012AB3CD' })
      .optional(),
    name: text(300).optional(),
    contactId: Id.optional(),
  })
  .refine((p) => p.email !== undefined || p.slackUserId !== undefined || p.contactId !== undefined, {
    message: 'needs an email, a slackUserId or a contactId',
  });

/** workspace: everyone sees it; subject: everyone sees who, when and the subject, its author and their managers the body too; private: its author and their managers only. */
export const Visibility = z.enum(['workspace', 'subject', 'private']);

export const InteractionCapture = z.strictObject({
  kind: z.enum(['email', 'slack', 'call', 'meeting', 'note']),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  occurredAt: Timestamp,
  subject: text(1000).optional(),
  body: text(200_000).optional(),
  source: z.enum(['gmail', 'slack', 'api', 'manual', 'import']),
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' }),
  threadKey: text(1000).optional(),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2000)
    .optional(),
  visibility: Visibility.optional(),
  participants: z.array(Participant).max(1000),
});

export const InteractionIdParam = z.strictObject({ id: Id });

// --- answers ---

export const InteractionKind = z.enum(['email', 'slack', 'call', 'meeting', 'note']);
export const InteractionSource = z.enum(['gmail', 'slack', 'api', 'manual', 'import', 'calendar']);

export const InteractionParticipant = z
  .strictObject({
    // a meeting's (Calendar sync): its organizer, and guests by their answer
    role: z.enum(['from', 'to', 'cc', 'author', 'mention', 'about', 'organizer', 'accepted', 'tentative', 'declined', 'invited']),
    email: z.string().nullable(),
    slackUserId: z.string().nullable(),
    name: z.string().nullable(),
    contactId: Uuid.nullable().describe('the contact it was matched to'),
    memberId: Uuid.nullable().describe('the member it was matched to'),
  })
  .meta({ id: 'InteractionParticipant' });

/** How a member captured it: the add-on's Log, BCC or forward to their capture address, Gmail sync, the API, Slack, an import, Calendar sync. */
export const CaptureVia = z.enum(['addon', 'bcc', 'forward', 'sync', 'api', 'slack', 'import', 'calendar']);

export const Capturer = z.strictObject({ member: MemberBrief, via: CaptureVia, at: Time }).meta({ id: 'Capturer' });

export const Interaction = z
  .strictObject({
    id: Uuid,
    kind: InteractionKind,
    direction: z.enum(['inbound', 'outbound', 'internal']),
    occurredAt: Time,
    subject: z.string().nullable(),
    body: z.string().nullable().describe('the full body where one interaction is asked for; null in lists'),
    snippet: z.string().describe('the first 280 characters of the body, whitespace collapsed'),
    source: InteractionSource,
    externalId: z.string(),
    threadKey: z.string().nullable(),
    url: z.string().nullable(),
    visibility: Visibility,
    author: MemberBrief.nullable(),
    participants: z.array(InteractionParticipant),
    capturedBy: z.array(Capturer).describe('every member who captured it, and how (the author first)'),
    createdAt: Time,
    editedAt: Time.nullable().describe('when its body last changed at the source (an edited Slack message)'),
  })
  .meta({ id: 'Interaction' });

/** Captured before as someone else's private interaction: the caller learns only that it exists and whose it is. */
export const InteractionHidden = z
  .strictObject({
    id: Uuid,
    kind: InteractionKind,
    visibility: z.literal('private'),
    author: MemberBrief.nullable(),
    createdAt: Time,
  })
  .meta({ id: 'InteractionHidden' });

export type Interaction = z.infer<typeof Interaction>;
export type InteractionHidden = z.infer<typeof InteractionHidden>;
