import * as z from 'zod';
import { Change, Company } from '../contacts/schemas.js';
import { isPgTimestamp } from '../contacts/schemas.js';
import { Interaction } from '../interactions/schemas.js';
import { Day, Domain, Email, Id, Limit, MemberBrief, Stage, Time, Uuid, requiredText, text } from '../schemas.js';

/**
 * Deals and the pipeline (issue 18). Amounts are integers in the currency's
 * minor units (backend/i18n/money.ts), never converted; stages are the
 * workspace's own keys (GET /api/pipeline).
 */

/** A stage key of the workspace's pipeline: 'proposal'. Whether the pipeline has it, the database says. */
export const StageKey = z.string().regex(/^[a-z0-9_]{1,40}$/, { message: 'must be a stage key of the pipeline (GET /api/pipeline), like proposal' });
/** ISO 4217: three capital letters. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code like USD or JPY' });
/** Minor units (cents; yen): a whole number from 0 below 10^15. */
export const Amount = z
  .number({ message: 'must be a whole number of minor units (cents, yen)' })
  .int({ message: 'must be a whole number of minor units (cents, yen)' })
  .min(0, { message: 'must not be negative' })
  .max(999_999_999_999_999, { message: 'must be below 10^15 minor units' });
/** '2026-12-31', a real day between 1970 and 2200. */
export const DayInput = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2026-12-31' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() < 2200;
    },
    { message: 'must be a day like 2026-12-31, between 1970 and 2200' },
  );
export const DealRole = z.enum(['decision_maker', 'champion', 'influencer', 'user', 'technical', 'finance', 'blocker', 'other']);
export const DealStatus = z.enum(['open', 'won', 'lost']);

const DealContactInput = z.strictObject({ id: Id, role: DealRole.nullable().optional() });
const CompanyInput = z.strictObject({ name: requiredText(300).optional(), domain: Domain.optional() });

/** A currency with every amount, so that an amount is never read in the wrong one. */
const moneyTogether = (v: { amount?: number | null | undefined; currency?: string | undefined }, ctx: z.core.$RefinementCtx) => {
  if (typeof v.amount === 'number' && v.currency === undefined) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with an amount (ISO 4217, like USD or JPY)' });
  }
};

export const DealCreate = z
  .strictObject({
    name: requiredText(300),
    companyId: Id.optional().describe('an existing company; or company to find or make one by name or domain'),
    company: CompanyInput.optional(),
    contacts: z.array(DealContactInput).max(50).optional(),
    ownerId: Id.optional().describe('the caller unless given'),
    ownerEmail: Email.optional(),
    amount: Amount.optional(),
    currency: Currency.optional(),
    stage: StageKey.optional().describe("the pipeline's first stage unless given"),
    closeDate: DayInput.optional().describe('expected close'),
  })
  .superRefine(moneyTogether);

export const DealPatch = z
  .strictObject({
    name: requiredText(300).optional(),
    companyId: Id.nullable().optional(),
    company: CompanyInput.optional(),
    contacts: z.array(DealContactInput).max(50).optional().describe('the whole list: others leave the deal'),
    addContacts: z.array(DealContactInput).max(50).optional().describe('added, or their role changed'),
    removeContacts: z.array(Id).max(50).optional(),
    ownerId: Id.nullable().optional(),
    ownerEmail: Email.nullable().optional(),
    amount: Amount.nullable().optional().describe('null clears amount and currency'),
    currency: Currency.optional(),
    stage: StageKey.optional(),
    closeDate: DayInput.nullable().optional(),
    status: DealStatus.optional().describe('won or lost closes the deal (with a reason), open reopens it'),
    reason: text(1000).optional().describe('why it was won or lost'),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one field to change' });

export const DealListQuery = z.strictObject({
  owner: z.union([z.literal('me'), Id, Email], { message: "must be 'me', a member id or a member's email" }).optional(),
  stage: StageKey.optional(),
  company: Id.optional(),
  contact: Id.optional(),
  closingBefore: DayInput.optional().describe('open deals expected to close before this day'),
  status: z.enum(['open', 'won', 'lost', 'all']).optional().describe('open unless given'),
  limit: Limit(200).optional(),
  cursor: text(1000).optional(),
});
export const DealIdParam = z.strictObject({ id: Id });
export const DealTimelineQuery = z.strictObject({ limit: Limit(200).optional(), cursor: text(1000).optional() });

export const PipelineStageInput = z.strictObject({
  key: StageKey.optional().describe('an existing stage keeps its key (a rename keeps its deals); a new one gets one from its name'),
  name: requiredText(100),
  probability: z.number().int().min(0).max(100),
});
export const PipelinePut = z.strictObject({
  stages: z.array(PipelineStageInput).min(1).max(20),
  moves: z.record(StageKey, StageKey).optional().describe('where the deals of each removed stage go: {"demo": "meeting"}; needed when open deals are at it'),
});

// --- answers ---

export const PipelineStage = z
  .strictObject({ key: z.string(), name: z.string(), position: z.number().int(), probability: z.number().int() })
  .meta({ id: 'PipelineStage' });
export const Pipeline = z.strictObject({ stages: z.array(PipelineStage).describe('in order') }).meta({ id: 'Pipeline' });

export const Deal = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    company: Company.nullable(),
    owner: MemberBrief.nullable(),
    amount: z.number().int().nullable().describe('minor units of currency (cents; JPY has none)'),
    currency: z.string().nullable(),
    stage: z.string(),
    stageName: z.string(),
    probability: z.number().int(),
    status: DealStatus,
    closeDate: Day.nullable().describe('expected close while open; the day it closed once won or lost'),
    closedAt: Time.nullable(),
    closeReason: z.string().nullable(),
    snoozedUntil: Time.nullable(),
    stageChangedAt: Time,
    createdAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'Deal' });

export const DealContact = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    title: z.string().nullable(),
    stage: Stage,
    email: z.string().nullable(),
    role: DealRole.nullable(),
    addedAt: Time,
  })
  .meta({ id: 'DealContact' });

export const StageChange = z
  .strictObject({
    actor: MemberBrief.nullable(),
    source: z.string(),
    fromStage: z.string().nullable(),
    fromStageName: z.string().nullable().describe('null when the stage is gone from the pipeline'),
    toStage: z.string(),
    toStageName: z.string().nullable(),
    fromStatus: DealStatus.nullable().describe('null when the deal was created'),
    toStatus: DealStatus,
  })
  .meta({ id: 'StageChange' });

export const DealDetail = Deal.extend({
  contacts: z.array(DealContact),
  history: z.array(StageChange.extend({ at: Time })).describe('every stage and status change, newest first'),
}).meta({ id: 'DealDetail' });

export const DealPage = z.strictObject({ items: z.array(Deal), nextCursor: z.string().nullable() }).meta({ id: 'DealPage' });

export const DealTimelineEntry = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('interaction'), at: Time, interaction: Interaction.describe('without its body (snippet only)') }),
    z.strictObject({ type: z.literal('stage'), at: Time, stage: StageChange }),
    z.strictObject({ type: z.literal('change'), at: Time, change: Change }),
  ])
  .meta({ id: 'DealTimelineEntry' });
export const DealTimelinePage = z.strictObject({ items: z.array(DealTimelineEntry), nextCursor: z.string().nullable() }).meta({ id: 'DealTimelinePage' });

export type Deal = z.infer<typeof Deal>;
export type DealDetail = z.infer<typeof DealDetail>;
export type DealPage = z.infer<typeof DealPage>;
export type DealTimelinePage = z.infer<typeof DealTimelinePage>;
export type Pipeline = z.infer<typeof Pipeline>;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A deals page's position: the last deal's creation time and id. */
export const isDealCursor = (v: unknown): v is { at: string; id: string } =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length === 2 &&
  typeof (v as { at?: unknown }).at === 'string' &&
  isPgTimestamp((v as { at: string }).at) &&
  Id.safeParse((v as { id?: unknown }).id).success;

/** A deal timeline's position: a time and the key of the last entry ('i:<id>', 's:<20 digits>', 'a:<20 digits>'). */
export const isDealTimelineCursor = (v: unknown): v is { at: string; key: string } =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length === 2 &&
  typeof (v as { at?: unknown }).at === 'string' &&
  isPgTimestamp((v as { at: string }).at) &&
  typeof (v as { key?: unknown }).key === 'string' &&
  new RegExp(`^(?:i:${UUID}|[sa]:\\d{20})$`).test((v as { key: string }).key);
