import * as z from 'zod';
import { Id, Timestamp } from '../schemas.js';

/** '09:00', '23:59'; not '9:00', '24:00', '25:00' */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 09:00 (00:00 to 23:59)' });

/** '2026-11-24' (a real date: not '2026-02-30') */
export const LocalDate = z.iso.date({ message: 'must be a date like 2026-11-24' });

const noNul = (max: number) =>
  z.string().min(1).max(max).refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

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
  error: z.string().max(500).refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' }).optional(),
  retryAt: Timestamp.optional(),
});

// --- answers (the OpenAPI document and the typed client read these) ---

const MemberRef = z.object({ id: z.string(), name: z.string() });
export const ContactRef = z.object({ id: z.string(), name: z.string(), company: z.string().nullable() });
export const FollowUpItem = z.object({
  id: z.string(),
  dueAt: z.string(),
  note: z.string().nullable(),
  contact: ContactRef,
  owner: MemberRef,
});

export const Digest = z.object({
  reader: z.object({
    memberId: z.string(),
    name: z.string(),
    locale: z.enum(['en', 'ja', 'zh']),
    timezone: z.string(),
    slackUserId: z.string().nullable(),
  }),
  localDate: z.string(),
  isManager: z.boolean(),
  whenEmpty: z.enum(['line', 'skip']),
  overdue: z.object({
    total: z.number(),
    byRep: z.array(z.object({ rep: MemberRef, total: z.number(), items: z.array(FollowUpItem) })),
  }),
  dueToday: z.object({ total: z.number(), items: z.array(FollowUpItem) }),
  waiting: z.object({
    total: z.number(),
    items: z.array(
      z.object({
        contact: ContactRef,
        owner: MemberRef.nullable(),
        interaction: z.object({
          id: z.string(),
          kind: z.string(),
          occurredAt: z.string(),
          subject: z.string().nullable(),
          snippet: z.string(),
        }),
      }),
    ),
  }),
  goingCold: z.object({
    total: z.number(),
    items: z.array(z.object({ contact: ContactRef, owner: MemberRef.nullable(), stage: z.string(), lastInteractionAt: z.string() })),
  }),
  yesterday: z.array(
    z.object({
      rep: MemberRef,
      emails: z.number(),
      slack: z.number(),
      notes: z.number(),
      calls: z.number(),
      followUpsDone: z.number(),
      followUpsCreated: z.number(),
    }),
  ),
  empty: z.boolean(),
});

export const DigestSettings = z.object({
  enabled: z.boolean(),
  time: z.string(),
  weekends: z.boolean(),
  explicit: z.object({ enabled: z.boolean().nullable(), time: z.string().nullable(), weekends: z.boolean().nullable() }),
  isManager: z.boolean(),
  timezone: z.string(),
});

export const DigestStatus = z.object({
  settings: DigestSettings,
  deliveries: z.array(
    z.object({
      localDate: z.string(),
      status: z.enum(['pending', 'sent', 'failed', 'skipped']),
      attempts: z.number(),
      lastError: z.string().nullable(),
      sentAt: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
  teamFailures: z.array(z.object({ member: MemberRef, localDate: z.string(), lastError: z.string().nullable(), attempts: z.number() })),
});

export const WorkspaceDigestDefaults = z.object({
  time: z.string(),
  weekends: z.boolean(),
  whenEmpty: z.enum(['line', 'skip']),
  replyWindowHours: z.number(),
  coldAfterDays: z.number(),
});

export const DigestClaimResult = z.object({
  claimed: z.array(
    z.object({
      workspaceId: z.string(),
      memberId: z.string(),
      slackUserId: z.string(),
      teamId: z.string(),
      localDate: z.string(),
      attempts: z.number(),
      claimedAt: z.string(),
      previousAttempt: z.object({ at: z.string().nullable(), channel: z.string().nullable(), error: z.string().nullable() }).nullable(),
    }),
  ),
});

export const DigestFinishResult = z.object({ ok: z.boolean() });

export type Digest = z.infer<typeof Digest>;
export type DigestSettings = z.infer<typeof DigestSettings>;
export type DigestStatus = z.infer<typeof DigestStatus>;
export type WorkspaceDigestDefaults = z.infer<typeof WorkspaceDigestDefaults>;
export type DigestClaimResult = z.infer<typeof DigestClaimResult>;
export type DigestFinishResult = z.infer<typeof DigestFinishResult>;

/** PUT /api/me/digest/segment: a saved segment's name or id, or null to clear the scope. */
export const DigestSegmentPut = z.strictObject({ segment: z.string().trim().min(1).max(200).nullable() });
