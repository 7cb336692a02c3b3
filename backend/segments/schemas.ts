import * as z from 'zod';
import { Company, Contact } from '../contacts/schemas.js';
import { Email, Id, Limit, MemberBrief, Stage, Time, Timestamp, Uuid, requiredText, text } from '../schemas.js';

// --- requests ---

/**
 * What a saved segment matches; at least one field, all of them must hold.
 *   { stage: 'customer', owner: 'me', custom: { plan: 'gold' } }
 */
export const SegmentFilter = z
  .strictObject({
    stage: Stage.optional(),
    /** 'me' is whoever reads the segment */
    owner: z.union([z.literal('me'), Email]).optional(),
    tag: requiredText(64).optional(),
    /** a company's id, name (as search folds it) or domain */
    company: requiredText(300).optional(),
    /** last interaction before this time, or none at all */
    lastInteractionBefore: Timestamp.optional(),
    lastInteractionAfter: Timestamp.optional(),
    hasOpenFollowUp: z.boolean().optional(),
    /** custom fields equal to these values; null: the field is not set */
    custom: z
      .record(
        z
          .string()
          .min(1)
          .max(64)
          .regex(/^[^\u0000]+$/),
        z.union([text(2000), z.number().finite(), z.boolean(), z.null()]),
      )
      .refine((o) => Object.keys(o).length >= 1 && Object.keys(o).length <= 20, { message: 'from 1 to 20 custom fields' })
      .optional(),
  })
  .refine((f) => Object.keys(f).length > 0, { message: 'a filter needs at least one field' })
  .refine((f) => !f.lastInteractionAfter || !f.lastInteractionBefore || Date.parse(f.lastInteractionAfter) < Date.parse(f.lastInteractionBefore), {
    message: 'lastInteractionAfter must be earlier than lastInteractionBefore',
    path: ['lastInteractionAfter'],
  });

export const SegmentCreate = z.strictObject({
  // an id-shaped name could never be asked for by name
  name: requiredText(100).refine((s) => !Id.safeParse(s).success, { message: 'must not look like an id' }),
  filter: SegmentFilter,
});

export const SegmentIdParam = z.strictObject({ id: Id });

export const StatsQuery = z.strictObject({ period: z.enum(['week', 'month']).default('week') });

export const TidyQuery = z.strictObject({ limit: Limit(100).optional() });

export const TidyFixBody = z.strictObject({ contactId: Id, fix: z.enum(['company_from_domain', 'owner_me']) });

// --- answers ---

const MemberRef = z.strictObject({ id: Uuid, name: z.string() });

export const Segment = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    filter: SegmentFilter,
    createdBy: MemberBrief.nullable(),
    createdAt: Time,
    canDelete: z.boolean().describe('whether the reader may delete it (its creator, or an admin)'),
  })
  .meta({ id: 'Segment' });
export const SegmentList = z.strictObject({ items: z.array(Segment) }).meta({ id: 'SegmentList' });
export const SegmentDeleted = z.strictObject({ deleted: z.boolean(), id: Uuid }).meta({ id: 'SegmentDeleted' });

const Kinds = z.strictObject({ email: z.number(), slack: z.number(), call: z.number(), meeting: z.number(), note: z.number() });

/** A sum of money in one currency's minor units (never converted), over count deals. */
const Money = z.strictObject({ currency: z.string(), count: z.number(), amount: z.number() });
const Weighted = Money.extend({ weighted: z.number().describe("the amounts times their stage's probability") });
/** The deal numbers of api.stats (crm.deal_stats), per currency. */
export const DealStats = z
  .strictObject({
    pipeline: z.strictObject({
      count: z.number().describe('open deals'),
      totals: z.array(Weighted),
      byStage: z.array(z.strictObject({ stage: z.string(), name: z.string(), probability: z.number(), count: z.number(), amounts: z.array(Weighted) })),
    }),
    won: z.strictObject({ count: z.number(), amounts: z.array(Money) }).describe('closed won in the period'),
    lost: z.strictObject({ count: z.number(), amounts: z.array(Money) }).describe('closed lost in the period'),
    winRate: z.number().nullable().describe('won / (won + lost), by count; null with neither'),
    avgDaysToClose: z.number().nullable().describe('of the deals won in the period, from created to closed'),
    byRep: z.array(
      z.strictObject({
        rep: MemberRef,
        open: z.number(),
        pipeline: z.array(Weighted),
        won: z.number(),
        lost: z.number(),
        wonAmounts: z.array(Money),
        winRate: z.number().nullable(),
        avgDaysToClose: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'DealStats' });

/** What api.stats returns; the route adds the reader's labels. */
export const StatsRaw = z.strictObject({
  period: z.enum(['week', 'month']),
  from: Time,
  to: Time,
  scope: z.enum(['own', 'team', 'workspace']),
  members: z.number(),
  contacts: z.strictObject({
    total: z.number(),
    byStage: z.array(z.strictObject({ stage: Stage, count: z.number() })),
    byTimezone: z.array(z.strictObject({ timezone: z.string().nullable(), count: z.number() })),
  }),
  stageMoves: z.array(z.strictObject({ from: z.string().nullable(), to: z.string().nullable(), count: z.number() })),
  interactions: z.strictObject({
    total: z.number(),
    byKind: Kinds,
    byRep: z.array(z.strictObject({ rep: MemberRef, total: z.number(), byKind: Kinds })),
  }),
  followUps: z.strictObject({ created: z.number(), done: z.number(), overdue: z.number() }),
  replies: z.strictObject({ inboundEmails: z.number(), answered: z.number(), medianMinutes: z.number().nullable() }),
  deals: DealStats,
});

const Label = { label: z.string() };
export const Stats = StatsRaw.extend({
  periodLabel: z.string(),
  contacts: StatsRaw.shape.contacts.extend({
    byStage: z.array(z.strictObject({ stage: Stage, count: z.number(), ...Label })),
    byTimezone: z.array(z.strictObject({ timezone: z.string().nullable(), count: z.number(), ...Label })),
  }),
  stageMoves: z.array(z.strictObject({ from: z.string().nullable(), to: z.string().nullable(), count: z.number(), ...Label })),
  kindLabels: z.record(z.string(), z.string()),
}).meta({ id: 'Stats' });

export const TidyProblem = z.enum(['no_company', 'no_owner', 'no_recent_interaction']);
const TidyFixOffer = z.strictObject({
  fix: z.enum(['company_from_domain', 'owner_me']),
  /** company_from_domain: the domain, and the company it finds (or creates) */
  domain: z.string().optional(),
  company: z.string().optional(),
  companyExists: z.boolean().optional(),
});
export const TidyRawItem = z.strictObject({
  contact: z.strictObject({
    id: Uuid,
    name: z.string(),
    stage: Stage,
    email: z.string().nullable(),
    company: Company.nullable(),
    owner: MemberBrief.nullable(),
    lastInteractionAt: Time.nullable(),
    createdAt: Time,
  }),
  problems: z.array(TidyProblem),
  fixes: z.array(TidyFixOffer),
});
export const TidyRaw = z.strictObject({
  total: z.number(),
  counts: z.strictObject({ noCompany: z.number(), noOwner: z.number(), noRecentInteraction: z.number() }),
  items: z.array(TidyRawItem),
});
export const Tidy = TidyRaw.extend({
  items: z.array(
    TidyRawItem.extend({
      problems: z.array(z.strictObject({ code: TidyProblem, ...Label })),
      fixes: z.array(TidyFixOffer.extend(Label)),
    }),
  ),
}).meta({ id: 'Tidy' });
export const TidyFixResult = z.strictObject({ fix: z.enum(['company_from_domain', 'owner_me']), contact: Contact }).meta({ id: 'TidyFixResult' });

export type Segment = z.infer<typeof Segment>;
export type SegmentList = z.infer<typeof SegmentList>;
export type SegmentDeleted = z.infer<typeof SegmentDeleted>;
export type StatsRaw = z.infer<typeof StatsRaw>;
export type Stats = z.infer<typeof Stats>;
export type TidyRaw = z.infer<typeof TidyRaw>;
export type Tidy = z.infer<typeof Tidy>;
export type TidyFixResult = z.infer<typeof TidyFixResult>;
