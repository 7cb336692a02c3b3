import * as z from 'zod';
import { Company, Reading, ReadingInput, TimelineEntry } from '../contacts/schemas.js';
import { FollowUp } from '../follow-ups/schemas.js';
import { Custom, CustomValues, Domain, Email, Id, Limit, MemberBrief, Stage, Tags, Time, Uuid, requiredText, text } from '../schemas.js';

/** employee ranges, the fixed set a company's size is one of */
export const CompanySize = z.enum(['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001-10000', '10001+']);

export const CompanyCreate = z.strictObject({
  name: requiredText(300),
  reading: ReadingInput.optional(),
  domains: z.array(Domain).max(20).optional().describe('the first is the primary domain'),
  industry: text(100).optional(),
  size: CompanySize.optional(),
  ownerEmail: Email.optional(),
  tags: Tags.optional(),
  custom: Custom.optional(),
});

export const CompanyPatch = z.strictObject({
  name: requiredText(300).optional(),
  reading: ReadingInput.optional(),
  domains: z.array(Domain).max(20).optional().describe('the whole list, the first the primary; a domain another company holds is refused (409)'),
  industry: text(100).nullable().optional(),
  size: CompanySize.nullable().optional(),
  ownerEmail: Email.nullable().optional(),
  tags: Tags.optional(),
  custom: Custom.optional(),
});

export const CompanyListQuery = z.strictObject({
  q: text(200).optional(),
  limit: Limit(100).optional(),
  cursor: text(1000).optional(),
});
export const CompanyIdParam = z.strictObject({ id: Id });
export const CompanyTimelineQuery = z.strictObject({ limit: Limit(200).optional(), cursor: text(1000).optional() });
export const CompanyDuplicatesQuery = z.strictObject({ limit: Limit(100).optional() });
export const CompanyMergeBody = z.strictObject({
  from: z.array(Id).min(1, { message: 'name at least one company to merge' }).max(20, { message: 'at most 20 companies at a time' }),
});

// --- answers ---

export const Account = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    reading: Reading,
    domain: z.string().nullable().describe('the primary domain'),
    domains: z.array(z.string()).describe('every domain, the primary first'),
    industry: z.string().nullable(),
    size: CompanySize.nullable(),
    owner: MemberBrief.nullable(),
    tags: z.array(z.string()),
    custom: CustomValues,
    mergedIntoId: Uuid.nullable().describe('the company this one was merged into'),
    source: z.string(),
    createdAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'Account' });

/** A deal as crm.deal_json gives it (the deals' own routes describe the same shape). */
export const AccountDeal = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    company: Company.nullable(),
    owner: MemberBrief.nullable(),
    amount: z.number().nullable().describe('minor units of the currency (cents; JPY has none)'),
    currency: z.string().nullable(),
    stage: z.string(),
    stageName: z.string().nullable(),
    probability: z.number().nullable(),
    status: z.enum(['open', 'won', 'lost']),
    closeDate: z.string().nullable(),
    closedAt: Time.nullable(),
    closeReason: z.string().nullable(),
    snoozedUntil: Time.nullable(),
    stageChangedAt: Time,
    createdAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'AccountDeal' });

export const AccountPerson = z.strictObject({
  id: Uuid,
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  stage: Stage,
  lastInteractionAt: Time.nullable(),
});

export const AccountCard = Account.extend({
  people: z.array(AccountPerson).describe('the 10 most recently in touch'),
  peopleCount: z.number(),
  openDeals: z.array(AccountDeal).describe('up to 20, closing soonest first'),
  openDealTotals: z
    .array(z.strictObject({ currency: z.string(), amount: z.number(), count: z.number() }))
    .describe('open deals summed per currency, never converted'),
  openDealsCount: z.number(),
  openFollowUps: z.array(FollowUp).describe("its people's, by due time (up to 10)"),
  lastInteraction: TimelineEntry.nullable().describe('the newest interaction with any of its people the caller may see'),
}).meta({ id: 'AccountCard' });

export const AccountPage = z.strictObject({ items: z.array(Account), nextCursor: z.string().nullable() }).meta({ id: 'AccountPage' });
export const AccountTimelinePage = z.strictObject({ items: z.array(TimelineEntry), nextCursor: z.string().nullable() }).meta({ id: 'AccountTimelinePage' });

export const AccountSummary = Account.extend({ peopleCount: z.number() }).meta({ id: 'AccountSummary' });
export const CompanyDuplicatePair = z
  .strictObject({
    a: AccountSummary.describe('the older company: the one a merge keeps unless told otherwise'),
    b: AccountSummary,
    reason: z.enum(['domain', 'name']).describe('domain: one is a subdomain of the other; name: equal once legal forms and width are folded'),
    score: z.number(),
  })
  .meta({ id: 'CompanyDuplicatePair' });
export const CompanyDuplicateList = z.strictObject({ items: z.array(CompanyDuplicatePair) }).meta({ id: 'CompanyDuplicateList' });
const Named = z.strictObject({ id: Uuid, name: z.string() });
export const CompanyMergeResult = z
  .strictObject({
    merge: z.strictObject({ id: Uuid, survivorId: Uuid, mergedIds: z.array(Uuid), merged: z.array(Named), createdAt: Time, undoableUntil: Time }),
    company: AccountCard,
  })
  .meta({ id: 'CompanyMergeResult' });
export const CompanyUndoResult = z
  .strictObject({ undone: z.literal(true), company: AccountCard, restored: z.array(Account) })
  .meta({ id: 'CompanyUndoResult' });

export type Account = z.infer<typeof Account>;
export type AccountCard = z.infer<typeof AccountCard>;
export type AccountDeal = z.infer<typeof AccountDeal>;
export type AccountPage = z.infer<typeof AccountPage>;
export type AccountTimelinePage = z.infer<typeof AccountTimelinePage>;
export type CompanyDuplicateList = z.infer<typeof CompanyDuplicateList>;
export type CompanyMergeResult = z.infer<typeof CompanyMergeResult>;
export type CompanyUndoResult = z.infer<typeof CompanyUndoResult>;
