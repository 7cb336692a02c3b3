import * as z from 'zod';
import { Email, Id, Limit, Timestamp, text } from '../schemas.js';

export const FollowUpCreate = z.strictObject({
  contactId: Id,
  dueAt: Timestamp,
  note: text(5000).optional(),
  ownerEmail: Email.optional(),
  sourceInteractionId: Id.optional(),
  /** the same key twice makes one follow-up (a form submitted twice, a retried call) */
  clientKey: text(200).optional(),
});

export const FollowUpPatch = z
  .strictObject({
    status: z.enum(['open', 'done', 'canceled']).optional(),
    dueAt: Timestamp.optional(),
    ownerEmail: Email.optional(),
    note: text(5000).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one of status, dueAt, ownerEmail, note' });

export const FollowUpListQuery = z.strictObject({
  owner: z.union([z.enum(['me', 'team']), Email]).optional(),
  due: z.enum(['overdue', 'today', 'week']).optional(),
  status: z.enum(['open', 'done', 'canceled']).optional(),
  limit: Limit(500).optional(),
});

export const FollowUpIdParam = z.strictObject({ id: Id });

export const FollowUp = z.object({
  id: z.string(),
  contact: z.object({ id: z.string(), name: z.string(), company: z.string().nullable() }),
  owner: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  dueAt: z.string(),
  note: z.string().nullable(),
  status: z.enum(['open', 'done', 'canceled']),
  sourceInteractionId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
