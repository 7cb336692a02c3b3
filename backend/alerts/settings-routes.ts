import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router, serviceRoute } from '../openapi/route.js';
import { IdParam } from '../contacts/schemas.js';
import type { AppEnv, SlackChannelState } from '../types.js';
import {
  AlertRule,
  AlertRuleCreate,
  AlertRuleDeleted,
  AlertRuleList,
  AlertRulesStop,
  AlertRulesStopped,
  AlertSettings,
  AlertSettingsSet,
  WorkspaceAlerts,
  WorkspaceAlertsPatch,
} from './settings-schemas.js';

const tags: ['alerts'] = ['alerts'];

/** /api/me/alerts: what the caller hears (per kind DM or off, tags, working hours and days). */
export const meAlertRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/alerts',
      operationId: 'getMyAlerts',
      tags,
      summary: "The caller's alert settings: each kind DM or off (defaults applied), tags, working hours and days, time zone",
      responses: { 200: ok(AlertSettings, 'The settings') },
    }),
    async (c) => c.json(await call<AlertSettings>(c, 'me_alerts', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'put',
      path: '/alerts',
      operationId: 'setMyAlerts',
      tags,
      summary: 'Choose which alerts the caller gets by DM, the tags, working hours and days (/crm alerts); what is left out stays',
      request: { body: jsonBody(AlertSettingsSet) },
      responses: { 200: ok(AlertSettings, 'The settings now'), ...errors(400) },
    }),
    async (c) => c.json(await call<AlertSettings>(c, 'me_alerts', c.req.valid('json')), 200),
  );

/** /api/workspace/alerts: the reply window; everyone reads it, admins change it. */
export const workspaceAlertRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/alerts',
      operationId: 'getWorkspaceAlerts',
      tags,
      summary: "The workspace's reply window for alerts, in the owner's working minutes",
      responses: { 200: ok(WorkspaceAlerts, 'The window') },
    }),
    async (c) => c.json(await call<{ replyMinutes: number }>(c, 'workspace_alerts', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/alerts',
      operationId: 'updateWorkspaceAlerts',
      tags,
      summary: 'Admins: how many working minutes an inbound message may wait before its owner is alerted (0 to 10080)',
      request: { body: jsonBody(WorkspaceAlertsPatch) },
      responses: { 200: ok(WorkspaceAlerts, 'The window now'), ...errors(400, 403) },
    }),
    async (c) => c.json(await call<{ replyMinutes: number }>(c, 'workspace_alerts', c.req.valid('json')), 200),
  );

/**
 * What Slack says of the channel, through the server's inspector (the Slack
 * app's conversations.info with the team's bot token). A channel Slack cannot
 * show, or no inspector at all, is refused: a rule is never accepted blind.
 */
async function inspect(c: Context<AppEnv>, teamId: string, channelId: string): Promise<SlackChannelState> {
  const ask = c.get('deps').jobs?.slackChannel;
  if (!ask) throw new ApiError(422, 'alert_rule_channel_unverified', { field: 'channelId', channel: channelId });
  let state: SlackChannelState;
  try {
    state = await ask(teamId, channelId);
  } catch {
    throw new ApiError(422, 'alert_rule_channel_unverified', { field: 'channelId', channel: channelId });
  }
  if (!state.found) throw new ApiError(422, 'alert_rule_channel_unverified', { field: 'channelId', channel: channelId });
  if (state.shared) throw new ApiError(422, 'alert_rule_channel_shared', { field: 'channelId', channel: state.name ?? channelId });
  if (state.isMember === false) throw new ApiError(422, 'alert_rule_not_in_channel', { field: 'channelId', channel: state.name ?? channelId });
  return state;
}

/** /api/alert-rules: channel rules (managers and admins). */
export const alertRuleRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listAlertRules',
      tags,
      summary: "Managers and admins: the workspace's channel rules, with creator, channel, kinds, filter and whether each still posts",
      responses: { 200: ok(AlertRuleList, 'Active first, newest first'), ...errors(403) },
    }),
    async (c) => c.json(await call<{ items: AlertRule[] }>(c, 'alert_rules_list', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createAlertRule',
      tags,
      summary:
        'Managers and admins: a channel hears the chosen kinds about what matches the filter. A channel shared with another organisation (Slack Connect), or one Slack cannot show, is refused (422)',
      request: { body: jsonBody(AlertRuleCreate) },
      responses: { 201: ok(AlertRule, 'The rule'), ...errors(400, 403, 404, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // who may, which team, and a channel already known to be shared: before Slack is asked
      const target = await call<{ teamId: string; channelId: string }>(c, 'alert_rule_target', { teamId: body.teamId, channelId: body.channelId });
      const state = await inspect(c, target.teamId, body.channelId);
      const rule = await call<AlertRule>(c, 'alert_rule_create', {
        ...body,
        teamId: target.teamId,
        slack: { shared: state.shared, name: state.name ?? null },
      });
      return c.json(rule, 201);
    },
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'deleteAlertRule',
      tags,
      summary: 'Remove a channel rule (its creator, or an admin); what it had not yet posted is dropped',
      request: { params: IdParam },
      responses: { 200: ok(AlertRuleDeleted, 'Removed'), ...errors(403, 404) },
    }),
    async (c) => c.json(await call<{ deleted: true; id: string }>(c, 'alert_rule_delete', c.req.valid('param')), 200),
  );

/** /api/slack/alert-rules: the Slack app says a channel stopped being a place for alerts. */
export const alertRuleServiceRoutes = router().openapi(
  serviceRoute({
    method: 'post',
    path: '/stopped',
    operationId: 'stopAlertRules',
    tags: ['slack'],
    summary: 'A channel became shared with another organisation, was archived or deleted, or Rapport left it: its rules stop; answers whom to tell',
    request: { body: jsonBody(AlertRulesStop) },
    responses: { 200: ok(AlertRulesStopped, 'The rules that stopped (none when the channel had none active)') },
  }),
  async (c) => c.json(await c.get('deps').db.callAnonymous<AlertRulesStopped>('alert_rules_stopped', c.req.valid('json')), 200),
);
