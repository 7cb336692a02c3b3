import * as z from 'zod';
import { Contact, ContactDetail } from '../contacts/schemas.js';
import { Id, Limit } from '../schemas.js';

export const DuplicatesQuery = z.strictObject({ limit: Limit(100).optional() });
export const DismissBody = z.strictObject({ a: Id, b: Id });
export const MergeBody = z.strictObject({
  from: z.array(Id).min(1, { message: 'name at least one contact to merge' }).max(20, { message: 'at most 20 contacts at a time' }),
});
export const MergeIdParam = z.strictObject({ id: Id });

/** What a duplicate pair shows of each of its contacts. */
export const ContactSummary = Contact.pick({ id: true, name: true, title: true, phone: true, emails: true, company: true, stage: true, owner: true, createdAt: true });
export const DuplicateReason = z.enum(['email', 'phone', 'name']);
export const DuplicatePair = z.object({
  /** the older contact: the one a merge keeps unless told otherwise */
  a: ContactSummary,
  b: ContactSummary,
  reason: DuplicateReason,
  /** 1 for the same email or phone (and equal CJK names); the trigram similarity of the names otherwise */
  score: z.number(),
});
export const DuplicateList = z.object({ items: z.array(DuplicatePair) });
const Named = z.object({ id: z.string(), name: z.string() });
export const DismissResult = z.object({ dismissed: z.literal(true), a: Named, b: Named });
export const MergeResult = z.object({
  merge: z.object({
    id: z.string(),
    survivorId: z.string(),
    mergedIds: z.array(z.string()),
    merged: z.array(Named),
    createdAt: z.string(),
    undoableUntil: z.string(),
  }),
  contact: ContactDetail,
});
export const UndoResult = z.object({ undone: z.literal(true), contact: ContactDetail, restored: z.array(Contact) });
