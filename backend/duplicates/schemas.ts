import * as z from 'zod';
import { Contact, ContactDetail } from '../contacts/schemas.js';
import { Id, Limit, Time, Uuid } from '../schemas.js';

export const DuplicatesQuery = z.strictObject({ limit: Limit(100).optional() });
export const DismissBody = z.strictObject({ a: Id, b: Id });
export const MergeBody = z.strictObject({
  from: z.array(Id).min(1, { message: 'name at least one contact to merge' }).max(20, { message: 'at most 20 contacts at a time' }),
});
export const MergeIdParam = z.strictObject({ id: Id });

// --- answers ---

/** What a duplicate pair shows of each of its contacts. */
export const ContactSummary = Contact.pick({
  id: true,
  name: true,
  title: true,
  phone: true,
  emails: true,
  company: true,
  stage: true,
  owner: true,
  createdAt: true,
}).meta({
  id: 'ContactSummary',
});
export const DuplicateReason = z.enum(['email', 'phone', 'name']);
export const DuplicatePair = z
  .strictObject({
    a: ContactSummary.describe('the older contact: the one a merge keeps unless told otherwise'),
    b: ContactSummary,
    reason: DuplicateReason,
    score: z.number().describe('1 for the same email or phone (and equal CJK names); the trigram similarity of the names otherwise'),
  })
  .meta({ id: 'DuplicatePair' });
export const DuplicateList = z.strictObject({ items: z.array(DuplicatePair) }).meta({ id: 'DuplicateList' });
const Named = z.strictObject({ id: Uuid, name: z.string() });
export const DismissResult = z.strictObject({ dismissed: z.literal(true), a: Named, b: Named }).meta({ id: 'DismissResult' });
export const MergeResult = z
  .strictObject({
    merge: z.strictObject({
      id: Uuid,
      survivorId: Uuid,
      mergedIds: z.array(Uuid),
      merged: z.array(Named),
      createdAt: Time,
      undoableUntil: Time,
    }),
    contact: ContactDetail,
  })
  .meta({ id: 'MergeResult' });
export const UndoResult = z.strictObject({ undone: z.literal(true), contact: ContactDetail, restored: z.array(Contact) }).meta({ id: 'UndoResult' });

export type DuplicateList = z.infer<typeof DuplicateList>;
export type DismissResult = z.infer<typeof DismissResult>;
export type MergeResult = z.infer<typeof MergeResult>;
export type UndoResult = z.infer<typeof UndoResult>;
