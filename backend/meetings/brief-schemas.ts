import * as z from 'zod';
import { Contact } from '../contacts/schemas.js';
import { MemberBrief, Time, Uuid } from '../schemas.js';
import { Meeting } from './schemas.js';

/** The caller's briefs: how many minutes before a meeting with a customer (0: none). */
export const BriefSetting = z
  .strictObject({ minutes: z.number().int().min(0).max(120).describe('minutes before the meeting; 0 turns briefs off (default 15)') })
  .meta({ id: 'BriefSetting' });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (00:00 to 23:59)');

/** When the caller takes nudges after meetings: from start to end, in their time zone. */
export const WorkingHours = z
  .strictObject({
    start: hhmm.describe('08:00 unless chosen'),
    end: hhmm.describe('20:00 unless chosen; after start'),
    chosen: z.boolean().describe('false: the default hours'),
    timezone: z.string().describe('the member’s time zone the hours are in'),
  })
  .meta({ id: 'WorkingHours' });
export const WorkingHoursSet = z
  .strictObject({
    start: hhmm.nullable().describe('null (with end null): back to 08:00 to 20:00'),
    end: hhmm.nullable(),
  })
  .meta({ id: 'WorkingHoursSet' });

const noNul = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

export const BriefClaimBody = z.strictObject({
  workerId: noNul(100),
  leaseSeconds: z.number().int().min(10).max(3600).default(120),
  limit: z.number().int().min(1).max(200).default(50),
});

export const BriefFinishBody = z.strictObject({
  id: Uuid,
  workerId: noNul(100),
  outcome: z.enum(['sent', 'retry', 'failed']),
  channel: noNul(50).optional(),
  ts: noNul(50).optional(),
  error: z
    .string()
    .max(500)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .optional(),
});

export const BriefAttendee = z
  .strictObject({
    email: z.string(),
    name: z.string().nullable(),
    contact: Contact.nullable().describe('their card, when they are a contact'),
    recent: z
      .array(
        z.strictObject({
          id: Uuid,
          kind: z.string(),
          direction: z.string(),
          occurredAt: Time,
          subject: z.string().nullable(),
          author: MemberBrief.nullable(),
        }),
      )
      .describe('the last three interactions the member may see, newest first'),
    openFollowUps: z.array(z.strictObject({ id: Uuid, dueAt: Time, note: z.string().nullable(), owner: MemberBrief.nullable() })),
    lastSpokeBy: z
      .strictObject({ member: MemberBrief.nullable(), at: Time, kind: z.string() })
      .nullable()
      .describe('who in the team last spoke to them, and when'),
  })
  .meta({ id: 'BriefAttendee' });

export const Brief = z
  .strictObject({
    meeting: Meeting.omit({ member: true }),
    attendees: z.array(BriefAttendee).describe('everyone outside the team, in the invitation\u2019s order'),
  })
  .meta({ id: 'Brief' });

export const BriefClaimResult = z
  .strictObject({
    claimed: z.array(
      z.strictObject({
        id: Uuid,
        workspaceId: Uuid,
        memberId: Uuid,
        slackUserId: z.string(),
        teamId: z.string().nullable(),
        locale: z.enum(['en', 'ja', 'zh']),
        timezone: z.string(),
        attempts: z.number(),
        brief: Brief,
      }),
    ),
  })
  .meta({ id: 'BriefClaimResult' });
export const BriefFinishResult = z
  .strictObject({ held: z.boolean().describe('false: another worker holds it now, or it is done'), status: z.string().nullable() })
  .meta({ id: 'BriefFinishResult' });

export type BriefClaimResult = z.infer<typeof BriefClaimResult>;

export const NudgeClaimResult = z
  .strictObject({
    claimed: z.array(
      z.strictObject({
        id: Uuid.describe('finish it with POST /api/slack/briefs/finish'),
        workspaceId: Uuid,
        memberId: Uuid,
        slackUserId: z.string(),
        teamId: z.string().nullable(),
        locale: z.enum(['en', 'ja', 'zh']),
        timezone: z.string(),
        attempts: z.number(),
        meeting: Meeting.omit({ member: true }),
        contacts: z.array(z.strictObject({ id: Uuid, name: z.string() })).describe("the meeting's attendees who are contacts"),
      }),
    ),
  })
  .meta({ id: 'NudgeClaimResult' });
export type NudgeClaimResult = z.infer<typeof NudgeClaimResult>;
