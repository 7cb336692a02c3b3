import * as z from 'zod';
import { Company } from '../contacts/schemas.js';
import { Day, Id, LocaleCode, MemberBrief, Time, Timestamp, Uuid } from '../schemas.js';

/** '09:00', '23:59'; not '9:00', '24:00', '25:00' */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 09:00 (00:00 to 23:59)' });

/** '2026-11-24' (a real date: not '2026-02-30') */
export const LocalDate = z.iso.date({ message: 'must be a date like 2026-11-24' });

const noNul = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

// --- requests ---

export const DigestSettingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  time: ClockTime.optional(),
  weekends: z.boolean().optional(),
});

export const WorkspaceDigestPatch = z.strictObject({
  time: ClockTime.optional(),
  weekends: z.boolean().optional(),
  whenEmpty: z.enum(['line', 'skip']).optional(),
  replyWindowHours: z.number().int().min(1).max(720).optional(),
  coldAfterDays: z.number().int().min(1).max(365).optional(),
  stalledAfterDays: z.number().int().min(1).max(365).optional().describe('days without an interaction after which an open deal is stalled'),
});

export const DigestClaimBody = z.strictObject({
  workerId: noNul(100),
  leaseSeconds: z.number().int().min(10).max(3600).default(300),
  limit: z.number().int().min(1).max(500).default(100),
  maxAttempts: z.number().int().min(1).max(20).default(5),
});

export const DigestFinishBody = z.strictObject({
  workspaceId: Id,
  memberId: Id,
  localDate: LocalDate,
  workerId: noNul(100),
  outcome: z.enum(['sent', 'skipped', 'retry', 'failed']),
  channel: noNul(100).optional(),
  ts: noNul(100).optional(),
  error: z
    .string()
    .max(500)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .optional(),
  retryAt: Timestamp.optional(),
});

// --- answers (the OpenAPI document and the typed client read these) ---

const MemberRef = z.strictObject({ id: Uuid, name: z.string() }).meta({ id: 'MemberRef' });
export const ContactRef = z
  .strictObject({ id: Uuid, name: z.string(), reading: z.string().nullable().describe('how the name is said (kana, pinyin)'), company: z.string().nullable() })
  .meta({ id: 'ContactRef' });
export const DigestFollowUp = z
  .strictObject({
    id: Uuid,
    dueAt: Time,
    note: z.string().nullable(),
    contact: ContactRef,
    owner: MemberRef,
  })
  .meta({ id: 'DigestFollowUp' });

/** A deal as the digest lists it: crm.deal_json, the one shape of a deal in lists, cards and the digest. */
export const DigestDeal = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    company: Company.nullable(),
    owner: MemberBrief.nullable(),
    amount: z.number().nullable().describe('minor units of currency (ISO 4217: cents for USD, none for JPY)'),
    currency: z.string().nullable(),
    stage: z.string(),
    stageName: z.string(),
    probability: z.number(),
    status: z.enum(['open', 'won', 'lost']),
    closeDate: Day.nullable(),
    closedAt: Time.nullable(),
    closeReason: z.string().nullable(),
    snoozedUntil: Time.nullable(),
    stageChangedAt: Time,
    createdAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'DigestDeal' });

export const Digest = z
  .strictObject({
    reader: z.strictObject({
      memberId: Uuid,
      name: z.string(),
      locale: LocaleCode,
      timezone: z.string(),
      slackUserId: z.string().nullable(),
    }),
    localDate: Day,
    isManager: z.boolean(),
    whenEmpty: z.enum(['line', 'skip']),
    overdue: z.strictObject({
      total: z.number(),
      byRep: z.array(z.strictObject({ rep: MemberRef, total: z.number(), items: z.array(DigestFollowUp) })),
    }),
    dueToday: z.strictObject({ total: z.number(), items: z.array(DigestFollowUp) }),
    waiting: z.strictObject({
      total: z.number(),
      items: z.array(
        z.strictObject({
          contact: ContactRef,
          owner: MemberRef.nullable(),
          interaction: z.strictObject({
            id: Uuid,
            kind: z.string(),
            occurredAt: Time,
            subject: z.string().nullable(),
            snippet: z.string(),
          }),
        }),
      ),
    }),
    goingCold: z.strictObject({
      total: z.number(),
      items: z.array(z.strictObject({ contact: ContactRef, owner: MemberRef.nullable(), stage: z.string(), lastInteractionAt: Time })),
    }),
    yesterday: z.array(
      z.strictObject({
        rep: MemberRef,
        emails: z.number(),
        slack: z.number(),
        notes: z.number(),
        calls: z.number(),
        followUpsDone: z.number(),
        followUpsCreated: z.number(),
        meetings: z.number().describe('meetings with customers held, from their synced calendar'),
      }),
    ),
    meetingsToday: z
      .strictObject({
        total: z.number(),
        byRep: z.array(
          z.strictObject({
            rep: MemberRef,
            total: z.number(),
            items: z.array(
              z.strictObject({
                start: Time,
                end: Time,
                title: z.string().nullable(),
                interactionId: Uuid.nullable(),
                contacts: z.array(z.strictObject({ id: Uuid, name: z.string() })),
              }),
            ),
          }),
        ),
      })
      .describe("the team's meetings with customers today (Google Calendar sync), by rep, first meeting first; ten listed per rep"),
    dealsClosing: z
      .strictObject({ total: z.number(), weekStart: Day, items: z.array(DigestDeal) })
      .describe("the team's open deals expected to close this week (Monday to Sunday, the reader's); ten listed, soonest first"),
    dealsStalled: z
      .strictObject({
        total: z.number(),
        stalledAfterDays: z.number(),
        items: z.array(DigestDeal.extend({ lastActivityAt: Time })),
      })
      .describe(
        'open deals of the team with no interaction with their contacts (nor change) for stalledAfterDays, not snoozed; ten listed, longest silent first',
      ),
    empty: z.boolean(),
  })
  .meta({ id: 'Digest' });

export const DigestSettings = z
  .strictObject({
    enabled: z.boolean(),
    time: z.string(),
    weekends: z.boolean(),
    explicit: z.strictObject({ enabled: z.boolean().nullable(), time: z.string().nullable(), weekends: z.boolean().nullable() }),
    isManager: z.boolean(),
    timezone: z.string(),
  })
  .meta({ id: 'DigestSettings' });

export const DigestStatus = z
  .strictObject({
    settings: DigestSettings,
    deliveries: z.array(
      z.strictObject({
        localDate: Day,
        status: z.enum(['pending', 'sent', 'failed', 'skipped']),
        attempts: z.number(),
        lastError: z.string().nullable(),
        sentAt: Time.nullable(),
        updatedAt: Time,
      }),
    ),
    teamFailures: z.array(z.strictObject({ member: MemberRef, localDate: Day, lastError: z.string().nullable(), attempts: z.number() })),
  })
  .meta({ id: 'DigestStatus' });

export const WorkspaceDigestDefaults = z
  .strictObject({
    time: z.string(),
    weekends: z.boolean(),
    whenEmpty: z.enum(['line', 'skip']),
    replyWindowHours: z.number(),
    coldAfterDays: z.number(),
    stalledAfterDays: z.number(),
  })
  .meta({ id: 'WorkspaceDigestDefaults' });

export const DigestClaimResult = z
  .strictObject({
    claimed: z.array(
      z.strictObject({
        workspaceId: Uuid,
        memberId: Uuid,
        slackUserId: z.string(),
        teamId: z.string(),
        localDate: Day,
        attempts: z.number(),
        claimedAt: Time,
        previousAttempt: z.strictObject({ at: Time.nullable(), channel: z.string().nullable(), error: z.string().nullable() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'DigestClaimResult' });

export const DigestFinishResult = z.strictObject({ ok: z.boolean() }).meta({ id: 'DigestFinishResult' });

export const DigestScope = z
  .strictObject({ segment: z.strictObject({ id: Uuid, name: z.string() }).nullable().describe('null: the whole team') })
  .meta({ id: 'DigestScope' });

export type Digest = z.infer<typeof Digest>;
export type DigestScope = z.infer<typeof DigestScope>;
export type DigestSettings = z.infer<typeof DigestSettings>;
export type DigestStatus = z.infer<typeof DigestStatus>;
export type WorkspaceDigestDefaults = z.infer<typeof WorkspaceDigestDefaults>;
export type DigestClaimResult = z.infer<typeof DigestClaimResult>;
export type DigestFinishResult = z.infer<typeof DigestFinishResult>;

/** PUT /api/me/digest/segment: a saved segment's name or id, or null to clear the scope. */
export const DigestSegmentPut = z.strictObject({ segment: z.string().trim().min(1).max(200).nullable() });
