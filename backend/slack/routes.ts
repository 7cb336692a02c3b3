import { Hono } from 'hono';
import * as z from 'zod';
import { validate } from '../http.js';
import { Email, Timestamp, text } from '../schemas.js';
import type { AppEnv } from '../types.js';
import { ChannelId, MessageKey, TeamId, UserId } from './ids.js';
import { installationRoutes } from './installations.js';
import { serviceOnly } from '../auth/service-only.js';
import { digestServiceRoutes } from '../digests/routes.js';
import { InteractionCapture } from '../interactions/schemas.js';


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
export const SlackMessageEdit = z.strictObject({ teamId: TeamId, externalId: MessageKey, body: text(200_000), editedAt: Timestamp.optional() });
export const SlackMessageDelete = z.strictObject({ teamId: TeamId, externalId: MessageKey });
export const SlackChannelFailed = z.strictObject({ teamId: TeamId, channelId: ChannelId, error: z.string().max(2000) });



type Team = { workspaceId: string; teamId: string; botTokenEnc: string | null; botUserId: string | null; botId: string | null } | null;
type Member = { workspaceId: string; memberId: string; locale: string; role: string; timezone: string; name: string } | null;

export const slackServiceRoutes = new Hono<AppEnv>()
  .use(serviceOnly)
  // Which workspace a Slack team is, and which member a Slack user is (by
  // stored id, else by profile email). Either may be null: the Slack app then
  // tells the person how to get access.
  .post('/identify', validate('json', SlackIdentify), async (c) => {
    const { db } = c.get('deps');
    const args = c.req.valid('json');
    const team = await db.callAnonymous<Team>('slack_team', { teamId: args.teamId, teamName: args.teamName, bind: args.bind ?? false });
    if (!team) return c.json({ team: null, member: null });
    const member = await db.callAnonymous<Member>('slack_member', {
      workspaceId: team.workspaceId,
      slackUserId: args.slackUserId,
      userTeamId: args.userTeamId,
      email: args.email,
      slackLocale: args.slackLocale,
    });
    return c.json({
      team: { workspaceId: team.workspaceId, teamId: team.teamId, botUserId: team.botUserId, botId: team.botId },
      member,
    });
  })
  // single-workspace mode at start-up: the bot token's team binds to the only
  // workspace now, not at the first Slack request, so digests go out from day one
  .post('/team', validate('json', SlackTeamBind), async (c) => {
    const team = await c.get('deps').db.callAnonymous<Team>('slack_team', { ...c.req.valid('json'), bind: true });
    return c.json({ team: team ? { workspaceId: team.workspaceId, teamId: team.teamId } : null });
  })
  // first: this delivery handles the event; busy: another one holds it
  // unfinished (ask Slack to retry later); neither: handled, drop it
  .post('/events/claim', validate('json', SlackEventClaim), async (c) => {
    return c.json(await c.get('deps').db.callAnonymous<{ first: boolean; busy: boolean }>('slack_event_lease', c.req.valid('json')));
  })
  // the event's handling finished: its retries are dropped from now on
  .post('/events/handled', validate('json', SlackEventRelease), async (c) => {
    return c.json({ handled: await c.get('deps').db.callAnonymous<boolean>('slack_event_handled', c.req.valid('json')) });
  })
  // the handling of an event failed: forget it, so that Slack's retry runs it
  .post('/events/release', validate('json', SlackEventRelease), async (c) => {
    return c.json({ released: await c.get('deps').db.callAnonymous<boolean>('slack_event_release', c.req.valid('json')) });
  })
  // a message in a channel: captured when the channel is linked ({linked: false} otherwise)
  .post('/messages', validate('json', SlackChannelCapture), async (c) => {
    const res = await c.get('deps').db.callAnonymous<{ linked: boolean; created?: boolean; interaction?: unknown }>('slack_channel_capture', c.req.valid('json'));
    return c.json(res, res.created ? 201 : 200);
  })
  .post('/messages/edit', validate('json', SlackMessageEdit), async (c) => {
    return c.json(await c.get('deps').db.callAnonymous<{ found: boolean; changed?: boolean }>('slack_message_edit', c.req.valid('json')));
  })
  .post('/messages/delete', validate('json', SlackMessageDelete), async (c) => {
    return c.json(await c.get('deps').db.callAnonymous<{ found: boolean }>('slack_message_delete', c.req.valid('json')));
  })
  // a linked channel's message could not be captured: the App Home shows it
  .post('/channels/failed', validate('json', SlackChannelFailed), async (c) => {
    await c.get('deps').db.callAnonymous('slack_channel_failed', c.req.valid('json'));
    return c.json({ recorded: true });
  })
  .route('/installations', installationRoutes)
  .route('/digests', digestServiceRoutes);
