import { $ } from '@hono/zod-openapi';
import { serviceOnly } from '../auth/service-only.js';
import { digestServiceRoutes } from '../digests/routes.js';
import { briefServiceRoutes } from '../meetings/brief-routes.js';
import { alertRuleServiceRoutes } from '../alerts/settings-routes.js';
import { alertServiceRoutes } from '../alerts/service-routes.js';
import { errors, jsonBody, ok, router, serviceRoute } from '../openapi/route.js';
import { ErrorBody } from '../schemas.js';
import { installationRoutes } from './installations.js';
import {
  SlackCaptured,
  SlackChannelCapture,
  SlackChannelFailed,
  SlackEventClaim,
  SlackEventHandled,
  SlackEventLease,
  SlackEventRelease,
  SlackEventReleased,
  SlackFailureRecorded,
  SlackIdentify,
  SlackIdentity,
  SlackMessageDelete,
  SlackMessageDeleted,
  SlackMessageEdit,
  SlackMessageEdited,
  SlackNotCaptured,
  SlackTeamBind,
  SlackTeamBound,
} from './schemas.js';

export {
  SlackChannelCapture,
  SlackChannelFailed,
  SlackEventClaim,
  SlackEventRelease,
  SlackIdentify,
  SlackMessageDelete,
  SlackMessageEdit,
  SlackTeamBind,
} from './schemas.js';

type Team = { workspaceId: string; teamId: string; botTokenEnc: string | null; botUserId: string | null; botId: string | null } | null;
type Member = NonNullable<SlackIdentity['member']>;
type WorkspaceAdmins = { name: string; joinPolicy: string; admins: { id: string; name: string; email: string }[] } | null;

const tags: ['slack'] = ['slack'];

export const slackServiceRoutes = $(router().use(serviceOnly))
  .openapi(
    // Which workspace a Slack team is, and which member a Slack user is (by
    // stored id, else by profile email; with a full profile, joining them under
    // the workspace's join policy). Either may be null: the Slack app then
    // tells the person how to get access, naming the admins.
    serviceRoute({
      method: 'post',
      path: '/identify',
      operationId: 'slackIdentify',
      tags,
      summary: 'The workspace of a Slack team and the member of a Slack user',
      request: { body: jsonBody(SlackIdentify) },
      responses: { 200: ok(SlackIdentity, 'team and member, each null when unknown') },
    }),
    async (c) => {
      const { db } = c.get('deps');
      const args = c.req.valid('json');
      const team = await db.callAnonymous<Team>('slack_team', { teamId: args.teamId, teamName: args.teamName, bind: args.bind ?? false });
      if (!team) return c.json({ team: null, member: null } satisfies SlackIdentity, 200);
      const member = await db.callAnonymous<Member | null>('slack_member', {
        workspaceId: team.workspaceId,
        slackUserId: args.slackUserId,
        userTeamId: args.userTeamId,
        email: args.email,
        slackLocale: args.slackLocale,
        profile: args.profile,
      });
      const answer: SlackIdentity = {
        team: { workspaceId: team.workspaceId, teamId: team.teamId, botUserId: team.botUserId, botId: team.botId },
        member,
      };
      // only when the Slack app has something to tell: a welcome, or whom to ask for access
      if (!member || member.joined) {
        const ws = await db.callAnonymous<WorkspaceAdmins>('workspace_admins', { workspaceId: team.workspaceId });
        if (ws && member) answer.workspaceName = ws.name;
        if (ws && !member) answer.admins = ws.admins.map((a) => a.name);
      }
      return c.json(answer, 200);
    },
  )
  // single-workspace mode at start-up: the bot token's team binds to the only
  // workspace now, not at the first Slack request, so digests go out from day one
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/team',
      operationId: 'slackBindTeam',
      tags,
      summary: "Bind the bot token's Slack team to the only workspace (single-workspace mode, at start-up)",
      request: { body: jsonBody(SlackTeamBind) },
      responses: { 200: ok(SlackTeamBound, 'The team and its workspace, or null when Rapport holds several workspaces') },
    }),
    async (c) => {
      const team = await c.get('deps').db.callAnonymous<Team>('slack_team', { ...c.req.valid('json'), bind: true });
      return c.json({ team: team ? { workspaceId: team.workspaceId, teamId: team.teamId } : null }, 200);
    },
  )
  // first: this delivery handles the event; busy: another one holds it
  // unfinished (ask Slack to retry later); neither: handled, drop it
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/events/claim',
      operationId: 'slackClaimEvent',
      tags,
      summary: 'Claim an event id for handling (a lease until it is handled)',
      request: { body: jsonBody(SlackEventClaim) },
      responses: {
        200: ok(SlackEventLease, 'first: handle it; busy: another delivery holds it unfinished; neither: handled already'),
        404: { description: 'workspaceId names no workspace', content: { 'application/json': { schema: ErrorBody } } },
      },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<SlackEventLease>('slack_event_lease', c.req.valid('json')), 200),
  )
  // the event's handling finished: its retries are dropped from now on
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/events/handled',
      operationId: 'slackEventHandled',
      tags,
      summary: "An event's handling finished, so its retries are dropped",
      request: { body: jsonBody(SlackEventRelease) },
      responses: { 200: ok(SlackEventHandled, 'Whether it was claimed') },
    }),
    async (c) => c.json({ handled: await c.get('deps').db.callAnonymous<boolean>('slack_event_handled', c.req.valid('json')) }, 200),
  )
  // the handling of an event failed: forget it, so that Slack's retry runs it
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/events/release',
      operationId: 'slackReleaseEvent',
      tags,
      summary: 'Forget an event whose handling failed, so its retry runs',
      request: { body: jsonBody(SlackEventRelease) },
      responses: { 200: ok(SlackEventReleased, 'Whether it was claimed') },
    }),
    async (c) => c.json({ released: await c.get('deps').db.callAnonymous<boolean>('slack_event_release', c.req.valid('json')) }, 200),
  )
  // a message in a channel: captured when the channel is linked ({linked: false} otherwise)
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/messages',
      operationId: 'slackCaptureMessage',
      tags,
      summary: 'Capture a message of a linked channel',
      request: { body: jsonBody(SlackChannelCapture) },
      responses: {
        201: ok(SlackCaptured, 'Captured'),
        200: ok(SlackNotCaptured, 'Not linked ({linked: false}), or captured before'),
        ...errors(404),
      },
    }),
    async (c) => {
      const res = await c.get('deps').db.callAnonymous<SlackCaptured | SlackNotCaptured>('slack_channel_capture', c.req.valid('json'));
      return 'created' in res && res.created ? c.json(res, 201) : c.json(res as SlackNotCaptured, 200);
    },
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/messages/edit',
      operationId: 'slackMessageEdited',
      tags,
      summary: 'A captured message was edited in Slack',
      request: { body: jsonBody(SlackMessageEdit) },
      responses: { 200: ok(SlackMessageEdited, 'Whether it was captured and changed') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<SlackMessageEdited>('slack_message_edit', c.req.valid('json')), 200),
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/messages/delete',
      operationId: 'slackMessageDeleted',
      tags,
      summary: 'A captured message was deleted in Slack (the audit log keeps it)',
      request: { body: jsonBody(SlackMessageDelete) },
      responses: { 200: ok(SlackMessageDeleted, 'Whether it was captured') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<SlackMessageDeleted>('slack_message_delete', c.req.valid('json')), 200),
  )
  // a linked channel's message could not be captured: the App Home shows it
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/channels/failed',
      operationId: 'slackChannelFailed',
      tags,
      summary: "Record that a linked channel's message could not be captured",
      request: { body: jsonBody(SlackChannelFailed) },
      responses: { 200: ok(SlackFailureRecorded, 'Recorded') },
    }),
    async (c) => {
      await c.get('deps').db.callAnonymous('slack_channel_failed', c.req.valid('json'));
      return c.json({ recorded: true as const }, 200);
    },
  )
  .route('/installations', installationRoutes)
  .route('/digests', digestServiceRoutes)
  .route('/briefs', briefServiceRoutes)
  .route('/alert-rules', alertRuleServiceRoutes)
  .route('/alerts', alertServiceRoutes);
