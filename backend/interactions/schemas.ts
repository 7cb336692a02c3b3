import * as z from 'zod';
import { Email, Id, Timestamp, text } from '../schemas.js';

export const Participant = z
  .strictObject({
    // 'about': the contact a note, call or Slack message is about, named by id
    role: z.enum(['from', 'to', 'cc', 'author', 'mention', 'about']),
    email: Email.optional(),
    slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,20}$/, { message: 'must be a Slack user id like U012AB3CD' }).optional(),
    name: text(300).optional(),
    contactId: Id.optional(),
  })
  .refine((p) => p.email !== undefined || p.slackUserId !== undefined || p.contactId !== undefined, {
    message: 'needs an email, a slackUserId or a contactId',
  });

export const InteractionCapture = z.strictObject({
  kind: z.enum(['email', 'slack', 'call', 'meeting', 'note']),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  occurredAt: Timestamp,
  subject: text(1000).optional(),
  body: text(200_000).optional(),
  source: z.enum(['gmail', 'slack', 'api', 'manual', 'import']),
  externalId: z.string().trim().min(1).max(1000).refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' }),
  threadKey: text(1000).optional(),
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000).optional(),
  visibility: z.enum(['workspace', 'private']).optional(),
  participants: z.array(Participant).max(1000),
});

export const InteractionIdParam = z.strictObject({ id: Id });

export const Interaction = z.object({
  id: z.string(),
  kind: z.string(),
  direction: z.string(),
  occurredAt: z.string(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  snippet: z.string(),
  source: z.string(),
  externalId: z.string(),
  threadKey: z.string().nullable(),
  url: z.string().nullable(),
  visibility: z.string(),
  author: z.unknown(),
  participants: z.array(z.unknown()),
  createdAt: z.string(),
});

/** Captured before as someone else's private interaction: the caller learns only that it exists and whose it is. */
export const InteractionHidden = z.object({
  id: z.string(),
  kind: z.string(),
  visibility: z.literal('private'),
  author: z.unknown(),
  createdAt: z.string(),
});
