import * as z from 'zod';
import { Interaction, InteractionCapture, InteractionHidden } from '../interactions/schemas.js';
import { Email, LocaleCode, Role, Timestamp, Uuid, text } from '../schemas.js';
import { ChannelId, MessageKey, TeamId, UserId } from './ids.js';

// --- requests ---

export const SlackIdentify = z.strictObject({
  teamId: TeamId,
  teamName: text(200).optional(),
  /** the team may bind to the only workspace (single-workspace mode: the bot token's own team) */
  bind: z.boolean().optional(),
  slackUserId: UserId,
  /** the team the user belongs to (users.info's team_id): an email matches only for a team bound to the workspace */
  userTeamId: TeamId.optional(),
  email: Email.optional(),
  slackLocale: z.string().max(20).optional(),
  /**
   * what users.info said of the person: full (a full member of the team being
   * served: not deleted, no bot, no guest, no Slack Connect visitor) lets them
   * join under the workspace's join policy; when given, their time zone
   * follows it unless they chose one in Rapport
   */
  profile: z
    .strictObject({
      full: z.boolean().describe('a full member of the team being served: may join by themselves'),
      name: text(200).optional(),
      timezone: z.string().max(64).optional().describe("Slack's tz, an IANA name; ignored when not a time zone"),
    })
    .optional(),
});
export const SlackEventClaim = z.strictObject({ teamId: TeamId, eventId: z.string().min(1).max(100), workspaceId: z.guid().optional() });
export const SlackTeamBind = z.strictObject({ teamId: TeamId, teamName: text(200).optional() });
export const SlackEventRelease = z.strictObject({ teamId: TeamId, eventId: z.string().min(1).max(100) });
export const SlackChannelCapture = z.strictObject({
  teamId: TeamId,
  channelId: ChannelId,
  authorSlackId: UserId.optional(),
  capture: InteractionCapture,
});
export const SlackMessageEdit = z.strictObject({
  teamId: TeamId,
  externalId: MessageKey,
  body: text(200_000),
  editedAt: Timestamp.optional(),
});
export const SlackMessageDelete = z.strictObject({ teamId: TeamId, externalId: MessageKey });
export const SlackChannelFailed = z.strictObject({ teamId: TeamId, channelId: ChannelId, error: z.string().max(2000) });

// --- answers ---

export const SlackIdentity = z
  .strictObject({
    team: z
      .strictObject({ workspaceId: Uuid, teamId: z.string(), botUserId: z.string().nullable(), botId: z.string().nullable() })
      .nullable()
      .describe('null: the team is bound to no workspace'),
    member: z
      .strictObject({
        workspaceId: Uuid,
        memberId: Uuid,
        locale: LocaleCode,
        role: Role,
        timezone: z.string(),
        name: z.string(),
        joined: z.boolean().describe('true once: they joined by themselves and are told so now'),
        profileDue: z.boolean().describe('their Slack profile was not read for a day: send it (profile) once'),
      })
      .nullable()
      .describe('null: the Slack user is no member (yet)'),
    workspaceName: z.string().optional().describe('when member.joined: the workspace they joined'),
    admins: z.array(z.string()).optional().describe("when the team is bound and member is null: the names of the workspace's admins, whom to ask for access"),
  })
  .meta({ id: 'SlackIdentity' });
export const SlackTeamBound = z.strictObject({ team: z.strictObject({ workspaceId: Uuid, teamId: z.string() }).nullable() }).meta({ id: 'SlackTeamBound' });
export const SlackEventLease = z
  .strictObject({ first: z.boolean().describe('handle it'), busy: z.boolean().describe('another delivery holds it, unfinished') })
  .meta({ id: 'SlackEventLease' });
export const SlackEventHandled = z.strictObject({ handled: z.boolean() }).meta({ id: 'SlackEventHandled' });
export const SlackEventReleased = z.strictObject({ released: z.boolean() }).meta({ id: 'SlackEventReleased' });
export const SlackCaptured = z.strictObject({ linked: z.literal(true), created: z.literal(true), interaction: Interaction }).meta({ id: 'SlackCaptured' });
export const SlackNotCaptured = z
  .union([
    z.strictObject({ linked: z.literal(false) }),
    z.strictObject({ linked: z.literal(true), created: z.literal(false), interaction: z.union([Interaction, InteractionHidden]) }),
  ])
  .meta({ id: 'SlackNotCaptured' });
export const SlackMessageEdited = z
  .strictObject({ found: z.boolean(), changed: z.boolean().optional().describe('absent when it was not found') })
  .meta({ id: 'SlackMessageEdited' });
export const SlackMessageDeleted = z.strictObject({ found: z.boolean() }).meta({ id: 'SlackMessageDeleted' });
export const SlackFailureRecorded = z.strictObject({ recorded: z.literal(true) }).meta({ id: 'SlackFailureRecorded' });

export type SlackIdentity = z.infer<typeof SlackIdentity>;
export type SlackTeamBound = z.infer<typeof SlackTeamBound>;
export type SlackEventLease = z.infer<typeof SlackEventLease>;
export type SlackCaptured = z.infer<typeof SlackCaptured>;
export type SlackNotCaptured = z.infer<typeof SlackNotCaptured>;
export type SlackMessageEdited = z.infer<typeof SlackMessageEdited>;
export type SlackMessageDeleted = z.infer<typeof SlackMessageDeleted>;
