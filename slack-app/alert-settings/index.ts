import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { MESSAGE_ALERT_KINDS } from '../../backend/alerts/kinds.js';
import { localeOf, type Locale } from '../../backend/i18n/vocabulary.js';
import { BackendError, json, type ServiceClient } from '../backend-client.js';
import { said, submit, tellUser } from '../contacts/modal-kit.js';
import { mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { channelState } from './channel-state.js';
import { ALERT_INPUTS, alertPrefsModal, alertRuleModal, type AlertRuleData, type AlertSettingsData } from './modals.js';

/**
 * /crm alerts and /crm alerts channel: the modals, their saves, Remove on a
 * listed rule, and the Slack events that stop a channel's rules (it became
 * shared with another organisation, was archived or deleted, or Rapport left
 * it), after which each rule's creator is told by DM in their language.
 */

export { CHANNEL_STOP_EVENTS } from './events.js';

const CONTACT_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;

/** /crm alerts: the modal, prefilled with the member's settings. */
export async function openAlertPrefs(r: RapportContext, client: WebClient, triggerId: string): Promise<void> {
  const settings = (await json(r.api.me.alerts.$get())) as AlertSettingsData;
  await client.views.open({ trigger_id: triggerId, view: alertPrefsModal(r.locale, settings) });
}

async function ruleModal(r: RapportContext) {
  const [rules, segments, pipeline] = await Promise.all([
    json(r.api['alert-rules'].$get()),
    json(r.api.segments.$get()),
    json(r.api.pipeline.$get()).catch(() => ({ stages: [] })),
  ]);
  return alertRuleModal(r.locale, {
    rules: rules.items as AlertRuleData[],
    segments: segments.items.map((s: { id: string; name: string }) => ({ id: s.id, name: s.name })),
    contactStages: CONTACT_STAGES.map((k) => ({ key: k, name: st(r.locale, `stage_${k}` as SlackMessageKey) })),
    dealStages: pipeline.stages.map((s: { key: string; name: string }) => ({ key: s.key, name: s.name })),
  });
}

/** /crm alerts channel: the rule modal for managers and admins; a rep is told who sets channel alerts. */
export async function openAlertRules(r: RapportContext, client: WebClient, triggerId: string): Promise<{ text: string; blocks: unknown[] } | undefined> {
  if (r.role === 'rep') return { text: mrkdwnEscape(st(r.locale, 'alerts_rules_reps')), blocks: [] };
  await client.views.open({ trigger_id: triggerId, view: await ruleModal(r) });
  return undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: Slack's view state, each value checked where read
type State = Record<string, Record<string, any>>;
const at = (state: State, id: { block: string; action: string }) => state[id.block]?.[id.action];
const chosen = (state: State, id: { block: string; action: string }): string[] =>
  ((at(state, id)?.selected_options ?? []) as { value?: string }[]).map((o) => o.value ?? '').filter(Boolean);

/** A refusal shown on a modal's field: the same path as the backend's 4xx (submit puts it on the block). */
const fieldError = (field: string, message: string) => new BackendError(400, 'invalid_request', message, { field });

/** A stopped rule as crm.alert_rule_disable describes it (POST /api/slack/alert-rules/stopped answers a list). */
export interface StoppedRule {
  channelId: string;
  channelName: string | null;
  reason: 'shared' | 'channel_gone' | 'not_in_channel';
  creator: { slackUserId: string | null; locale: string; active: boolean };
}

/**
 * Tells each stopped rule's creator, by DM in their language, which channel
 * stopped and why. Also for the alert sender, when Slack refuses a post
 * (not_in_channel, channel_not_found) and it stops the rule itself.
 */
export async function tellRuleCreators(client: WebClient, stopped: readonly StoppedRule[], logError: (e: unknown) => void = () => {}): Promise<void> {
  for (const s of stopped) {
    if (!s.creator.active || !s.creator.slackUserId) continue;
    const locale: Locale = localeOf(s.creator.locale) ?? 'en';
    const text = st(locale, 'alerts_rule_stopped_dm', {
      channel: `#${s.channelName ?? s.channelId}`,
      reason: st(locale, `alerts_reason_${s.reason}` as SlackMessageKey),
    });
    try {
      await client.chat.postMessage({ channel: s.creator.slackUserId, text: mrkdwnEscape(text), unfurl_links: false });
    } catch (e) {
      // the rule is stopped whatever happens to the DM; one creator not told never blocks the others
      logError(e);
    }
  }
}

export function registerAlertSettings(bolt: App, service: ServiceClient, logError: (e: unknown) => void = () => {}) {
  bolt.view<ViewSubmitAction>(VIEWS.alertPrefs, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const state = view.state.values as State;
    const on = new Set(chosen(state, ALERT_INPUTS.kinds));
    const tags = String(at(state, ALERT_INPUTS.tags)?.value ?? '')
      .split(/[,、，\n]/)
      .map((t) => t.trim())
      .filter(Boolean);
    const start = String(at(state, ALERT_INPUTS.start)?.selected_time ?? '');
    const end = String(at(state, ALERT_INPUTS.end)?.selected_time ?? '');
    const days = chosen(state, ALERT_INPUTS.days).map(Number);
    if (!start || !end || start >= end) return ack({ response_action: 'errors', errors: { [ALERT_INPUTS.end.block]: st(r.locale, 'alerts_err_hours') } });
    if (!days.length) return ack({ response_action: 'errors', errors: { [ALERT_INPUTS.days.block]: st(r.locale, 'alerts_err_days') } });
    let shown: { start?: string; end?: string } = {};
    try {
      shown = JSON.parse(view.private_metadata || '{}');
    } catch {
      shown = {};
    }
    const hoursChanged = shown.start !== start || shown.end !== end;
    const put = {
      kinds: Object.fromEntries(MESSAGE_ALERT_KINDS.map((k) => [k, on.has(k) ? 'dm' : 'off'])) as Record<(typeof MESSAGE_ALERT_KINDS)[number], 'dm' | 'off'>,
      tags: tags.length ? tags.slice(0, 20) : null,
      days,
      ...(hoursChanged ? { hours: { start, end } } : {}),
    };
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: {
        kinds: ALERT_INPUTS.kinds.block,
        tags: ALERT_INPUTS.tags.block,
        hours: ALERT_INPUTS.end.block,
        end: ALERT_INPUTS.end.block,
        days: ALERT_INPUTS.days.block,
      },
      save: () => json(r.api.me.alerts.$put({ json: put })),
      saved: async () => {},
    });
  });

  bolt.view<ViewSubmitAction>(VIEWS.alertRule, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const state = view.state.values as State;
    const channel = String(at(state, ALERT_INPUTS.channel)?.selected_conversation ?? '');
    const kinds = chosen(state, ALERT_INPUTS.kinds).filter((k): k is (typeof MESSAGE_ALERT_KINDS)[number] =>
      (MESSAGE_ALERT_KINDS as readonly string[]).includes(k),
    );
    const ownerUser = at(state, ALERT_INPUTS.owner)?.selected_user as string | undefined;
    const teamUser = at(state, ALERT_INPUTS.team)?.selected_user as string | undefined;
    const tag = String(at(state, ALERT_INPUTS.tag)?.value ?? '').trim();
    const segmentId = at(state, ALERT_INPUTS.segment)?.selected_option?.value as string | undefined;
    const stage = at(state, ALERT_INPUTS.stage)?.selected_option?.value as string | undefined;
    if (!channel) return ack({ response_action: 'errors', errors: { [ALERT_INPUTS.channel.block]: st(r.locale, 'modal_err_required') } });
    if (!kinds.length) return ack({ response_action: 'errors', errors: { [ALERT_INPUTS.kinds.block]: st(r.locale, 'modal_err_required') } });
    let channelName = channel;
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: {
        channelId: ALERT_INPUTS.channel.block,
        kinds: ALERT_INPUTS.kinds.block,
        'filter.ownerId': ALERT_INPUTS.owner.block,
        'filter.teamOf': ALERT_INPUTS.team.block,
        'filter.tag': ALERT_INPUTS.tag.block,
        'filter.segmentId': ALERT_INPUTS.segment.block,
        'filter.stage': ALERT_INPUTS.stage.block,
        filter: ALERT_INPUTS.owner.block,
      },
      save: async () => {
        // Slack Connect: asked here first, so the member reads why in the modal; the backend asks again before it stores
        const seen = await channelState(client, channel).catch(() => ({ found: false, shared: false, name: null }));
        channelName = `#${seen.name ?? channel}`;
        if (!seen.found) throw fieldError('channelId', st(r.locale, 'alerts_channel_unverified'));
        if (seen.shared) throw fieldError('channelId', st(r.locale, 'alerts_channel_shared', { channel: channelName }));
        let ownerId: string | undefined;
        let teamOf: string | undefined;
        if (ownerUser || teamUser) {
          const members = (await json(r.api.members.$get({ query: {} }))).items;
          const idOf = (u: string) => members.find((m: { slackUserId: string | null }) => m.slackUserId === u)?.id;
          ownerId = ownerUser ? idOf(ownerUser) : undefined;
          teamOf = teamUser ? idOf(teamUser) : undefined;
          if (ownerUser && !ownerId) throw fieldError('filter.ownerId', st(r.locale, 'alerts_not_member'));
          if (teamUser && !teamOf) throw fieldError('filter.teamOf', st(r.locale, 'alerts_not_member'));
        }
        const filter = {
          ...(ownerId ? { ownerId } : {}),
          ...(teamOf ? { teamOf } : {}),
          ...(tag ? { tag } : {}),
          ...(segmentId ? { segmentId } : {}),
          ...(stage ? { stage } : {}),
        };
        return json(
          r.api['alert-rules'].$post({
            json: {
              channelId: channel,
              ...(body.team?.id ? { teamId: body.team.id } : {}),
              ...(seen.name ? { channelName: seen.name } : {}),
              kinds,
              ...(Object.keys(filter).length ? { filter } : {}),
            },
          }),
        );
      },
      saved: async () => tellUser(client, undefined, body.user.id, said(r, 'alerts_rule_saved', { channel: channelName })),
    });
  });

  // Remove, on a rule listed in the modal: gone, and the list shown again
  bolt.action<BlockButtonAction>(ACTIONS.alertRuleDelete, async ({ body, client, context }) => {
    const r = rapportOf(context);
    const id = body.actions[0]?.value ?? '';
    if (!r) return;
    try {
      await json(r.api['alert-rules'][':id'].$delete({ param: { id } }));
      if (body.view?.id) await client.views.update({ view_id: body.view.id, view: await ruleModal(r) });
    } catch (e) {
      await tellUser(client, undefined, body.user.id, {
        text: mrkdwnEscape(e instanceof BackendError ? e.message : st(r.locale, 'failure', { reason: String(e) })),
      });
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });

  // a channel stops being a place for alerts: its rules stop and each creator is told
  const stop = async (client: WebClient, teamId: string | undefined, channel: string | undefined, reason: 'shared' | 'channel_gone' | 'not_in_channel') => {
    if (!teamId || !channel) return;
    const res = await json(service['alert-rules'].stopped.$post({ json: { teamId, channelId: channel, reason } }));
    await tellRuleCreators(client, res.stopped, logError);
  };
  const teamOf = (body: unknown, context: { teamId?: string | undefined }) => (body as { team_id?: string }).team_id ?? context.teamId;
  const channelOf = (event: unknown) => {
    const c = (event as { channel?: unknown }).channel;
    return typeof c === 'string' ? c : typeof c === 'object' && c && typeof (c as { id?: unknown }).id === 'string' ? (c as { id: string }).id : undefined;
  };
  bolt.event('channel_shared', async ({ event, body, context, client }) => stop(client, teamOf(body, context), channelOf(event), 'shared'));
  for (const name of ['channel_archive', 'channel_deleted', 'group_archive', 'group_deleted'] as const)
    bolt.event(name, async ({ event, body, context, client }) => stop(client, teamOf(body, context), channelOf(event), 'channel_gone'));
  bolt.event('group_left', async ({ event, body, context, client }) => stop(client, teamOf(body, context), channelOf(event), 'not_in_channel'));
  bolt.event('member_left_channel', async ({ event, body, context, client }) => {
    if ((event as { user?: string }).user !== context.botUserId) return;
    await stop(client, teamOf(body, context), channelOf(event), 'not_in_channel');
  });
}
