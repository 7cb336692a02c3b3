import * as z from 'zod';
import { Email, Id, Limit, MemberBrief, Time, Timestamp, Uuid, text } from '../schemas.js';

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

// --- answers ---

export const FollowUp = z
  .strictObject({
    id: Uuid,
    contact: z.strictObject({ id: Uuid, name: z.string(), company: z.string().nullable().describe("the company's name") }),
    owner: MemberBrief,
    dueAt: Time,
    note: z.string().nullable(),
    status: z.enum(['open', 'done', 'canceled']),
    sourceInteractionId: Uuid.nullable().describe('the interaction it came from; null too when that one is private to someone else'),
    createdBy: MemberBrief.nullable(),
    createdAt: Time,
    completedAt: Time.nullable(),
    completedBy: MemberBrief.nullable(),
  })
  .meta({ id: 'FollowUp' });
export const FollowUpList = z.strictObject({ items: z.array(FollowUp) }).meta({ id: 'FollowUpList' });

export type FollowUp = z.infer<typeof FollowUp>;
export type FollowUpList = z.infer<typeof FollowUpList>;
