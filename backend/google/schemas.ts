import * as z from 'zod';
import { MemberBrief, Time, Uuid } from '../schemas.js';
import type { AccessLostReason } from './errors.js';

/** What sync captures: messages in threads with a known contact, or any with an external participant. */
export const CapturePolicy = z.enum(['known', 'external']).meta({ id: 'MailCapturePolicy' });
/** Who sees synced mail: the member and their managers, everyone, or everyone the subject but not the body. */
export const MailVisibility = z.enum(['private', 'workspace', 'subject']).meta({ id: 'MailVisibility' });
export const MailboxState = z.enum(['off', 'importing', 'active', 'paused', 'reconnect', 'failed']).meta({ id: 'MailboxState' });

const count = z.number().int().min(0);
export const MailboxCounts = z
  .strictObject({
    captured: count.describe('messages this mailbox brought into Rapport'),
    skipped: z
      .strictObject({
        bulk: count.describe('mailing lists, newsletters, automatic replies'),
        category: count.describe("Gmail's Promotions, Social, Updates and Forums"),
        blocked: count.describe("on the member's or the workspace's block list"),
        unknown: count.describe('no known contact in the thread (policy known)'),
        internal: count.describe('no one outside the company'),
      })
      .describe('messages read and left out, by reason'),
  })
  .meta({ id: 'MailboxCounts' });

export const CalendarStatus = z
  .strictObject({
    enabled: z.boolean().describe('the member wants their calendar synced (PATCH calendar: false turns it off)'),
    granted: z.boolean().describe("Google's consent (or the admin's delegation) includes a calendar scope"),
    status: z.enum(['off', 'importing', 'active', 'failed', 'reconnect']),
    lastSyncAt: Time.nullable().describe('the last page of events committed'),
    lastError: z.string().nullable().describe('the last failure in plain words, in the reader\u2019s language; null after a good sync'),
    counts: z.strictObject({
      captured: count.describe('meetings this calendar brought into Rapport'),
      upcoming: count.describe('events to come in the synced window'),
    }),
  })
  .meta({ id: 'CalendarStatus' });

const common = {
  address: z.string().nullable().describe('the Google account synced'),
  mode: z.enum(['oauth', 'delegated']).nullable().describe("the member's own consent, or the Workspace admin's domain-wide delegation"),
  status: MailboxState,
  lastSyncAt: Time.nullable().describe('the last page of mail committed'),
  lastError: z.string().nullable().describe('the last failure in plain words, in the reader\u2019s language; null after a good sync'),
  counts: MailboxCounts,
  calendar: CalendarStatus.describe("the primary Google Calendar's sync, beside the mailbox's"),
};

export const MailboxStatus = z
  .strictObject({
    available: z.boolean().describe('the server can connect Gmail (Google OAuth client or domain-wide delegation configured)'),
    connected: z.boolean(),
    ...common,
    policy: CapturePolicy,
    visibility: MailVisibility,
    blockList: z.array(z.string()).describe('addresses and domains this member never captures (the workspace adds its own)'),
  })
  .meta({ id: 'MailboxStatus' });
export type MailboxStatus = z.infer<typeof MailboxStatus>;

const BlockEntry = z.string().trim().min(1).max(320);
export const MailboxPatch = z
  .strictObject({
    policy: CapturePolicy.nullable().optional().describe("null: the workspace's default"),
    visibility: MailVisibility.nullable().optional().describe("null: the workspace's default"),
    blockList: z.array(BlockEntry).max(1000).optional(),
    calendar: z.boolean().optional().describe('sync the primary Google Calendar too (when the consent includes it), or stop'),
  })
  .meta({ id: 'MailboxPatch' });

export const MailboxConnect = z
  .strictObject({
    policy: CapturePolicy.optional(),
    visibility: MailVisibility.optional(),
    calendar: z.boolean().optional().describe("true: Google's consent asks for the calendar (read only) as well, and meetings are captured"),
  })
  .meta({ id: 'MailboxConnect' });

export const MailboxAuthorize = z
  .strictObject({ authorizeUrl: z.url().describe("Google's consent page for this member; good for an hour") })
  .meta({ id: 'MailboxAuthorize' });

export const MailboxListItem = z.strictObject({ member: MemberBrief, ...common }).meta({ id: 'MailboxListItem' });
export const MailboxList = z.strictObject({ items: z.array(MailboxListItem) }).meta({ id: 'MailboxList' });
export type MailboxList = z.infer<typeof MailboxList>;

export const MailboxDelegate = z
  .strictObject({
    memberIds: z.array(Uuid).min(1).max(1000).optional().describe('absent: every active member'),
    calendar: z
      .boolean()
      .optional()
      .describe('true: their calendars too (the delegation in the Admin console must grant the calendar.events.readonly scope besides gmail.readonly)'),
  })
  .meta({ id: 'MailboxDelegate' });
export const MailboxDelegated = z.strictObject({ turnedOn: count }).meta({ id: 'MailboxDelegated' });

export const MailboxPass = z.strictObject({ claimed: count, pages: count, captured: count, failed: count }).meta({ id: 'MailboxPass' });
export type MailboxPass = z.infer<typeof MailboxPass>;

export const OAuthCallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  scope: z.string().max(4000).optional(),
});

export const ReconnectQuery = z.object({
  workspace: z.string().max(100).optional(),
  member: z.string().max(100).optional(),
  expires: z.string().max(20).optional(),
  sig: z.string().max(200).optional(),
});

/** The reconnect DM the Slack app sends (deps.jobs.mailboxNotice), once per failure. */
export interface MailboxNotice {
  workspaceId: string;
  memberId: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  locale: 'en' | 'ja' | 'zh';
  address: string;
  reason: Exclude<AccessLostReason, 'no_refresh_token'>;
  /** a signed link, good for 7 days, that starts Google's consent again */
  reconnectUrl: string;
}
