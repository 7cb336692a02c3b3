import * as z from 'zod';
import { Id, Time, Uuid } from '../schemas.js';
import { DigestDeal } from '../digests/schemas.js';

export const DealSnoozeParam = z.strictObject({ id: Id });
export const DealSnoozeBody = z.strictObject({
  days: z.number().int().min(1).max(90).default(7).describe('days from now the deal stays out of the stalled deals (default 7)'),
});
export const DealSnoozed = z.strictObject({ id: Uuid, snoozedUntil: Time, deal: DigestDeal }).meta({ id: 'DealSnoozed' });

export type DealSnoozed = z.infer<typeof DealSnoozed>;
