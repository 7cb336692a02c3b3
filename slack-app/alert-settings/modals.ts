import type { InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { ALERT_KIND_NAMES, MESSAGE_ALERT_KINDS } from '../../backend/alerts/kinds.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { MODAL_LIMITS, assertModalLimits } from '../contacts/modals.js';
import { clipMrkdwn, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { LIMITS } from '../limits.js';

/**
 * Block Kit for /crm alerts (VIEWS.alertPrefs: a member's kinds, tags,
 * working hours and days) and /crm alerts channel (VIEWS.alertRule: a
 * channel, its kinds and a filter, under the rules there are, each with
 * Remove). Pure: plain data in, a view out, Slack's limits checked.
 */

export const ALERT_INPUTS = {
  kinds: { block: 'alert_input_kinds', action: 'alert_kinds' },
  tags: { block: 'alert_input_tags', action: 'alert_tags' },
  start: { block: 'alert_input_start', action: 'alert_start' },
  end: { block: 'alert_input_end', action: 'alert_end' },
  days: { block: 'alert_input_days', action: 'alert_days' },
  channel: { block: 'alert_input_channel', action: 'alert_channel' },
  owner: { block: 'alert_input_owner', action: 'alert_owner' },
  team: { block: 'alert_input_team', action: 'alert_team' },
  tag: { block: 'alert_input_tag', action: 'alert_tag' },
  segment: { block: 'alert_input_segment', action: 'alert_segment' },
  stage: { block: 'alert_input_stage', action: 'alert_stage' },
} as const;
export const ALERT_RULES_BLOCK = 'alert_rules';

/** GET /api/me/alerts, as the modal needs it. */
export interface AlertSettingsData {
  kinds: Record<string, 'dm' | 'off'>;
  tags: string[];
  hours: { start: string; end: string; chosen: boolean; timezone: string };
  days: number[];
  timezone: string;
}

/** A channel rule, as GET /api/alert-rules lists it. */
export interface AlertRuleData {
  id: string;
  channelId: string;
  channelName: string | null;
  kinds: string[];
  createdBy: { name: string } | null;
  active: boolean;
  disabledReason: 'shared' | 'channel_gone' | 'not_in_channel' | null;
  canDelete: boolean;
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
const option = (text: string, value: string): PlainTextOption => ({
  text: plain(text || value, MODAL_LIMITS.optionText),
  value: truncate(value, MODAL_LIMITS.optionValue),
});
const kindName = (locale: Locale, kind: string) => ALERT_KIND_NAMES[kind as keyof typeof ALERT_KIND_NAMES]?.[locale] ?? kind;

type Input = { block: string; action: string };
function input(locale: Locale, id: Input, labelKey: SlackMessageKey, element: InputBlockElement, opts: { optional?: boolean; hint?: string } = {}): InputBlock {
  return {
    type: 'input',
    block_id: id.block,
    label: plain(st(locale, labelKey), MODAL_LIMITS.label),
    element,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plain(opts.hint, MODAL_LIMITS.hint) } : {}),
  };
}

function modal(locale: Locale, callbackId: string, titleKey: SlackMessageKey, privateMetadata: string, blocks: KnownBlock[]): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackId,
    title: plain(st(locale, titleKey), MODAL_LIMITS.title),
    submit: plain(st(locale, 'view_save'), MODAL_LIMITS.submit),
    close: plain(st(locale, 'view_cancel'), MODAL_LIMITS.close),
    private_metadata: privateMetadata,
    blocks,
  };
  assertModalLimits(view);
  return view;
}

const kindOptions = (locale: Locale) => MESSAGE_ALERT_KINDS.map((k) => option(kindName(locale, k), k));
const dayOptions = (locale: Locale) => [1, 2, 3, 4, 5, 6, 7].map((d) => option(st(locale, `alerts_day_${d}` as SlackMessageKey), String(d)));

/** /crm alerts: every message kind ticked when it comes by DM, the tags, the hours and days, the zone they are in. */
export function alertPrefsModal(locale: Locale, s: AlertSettingsData): ModalView {
  const kinds = kindOptions(locale);
  const on = kinds.filter((o) => s.kinds[o.value!] === 'dm');
  const days = dayOptions(locale);
  const workDays = days.filter((o) => s.days.includes(Number(o.value)));
  // the hours as shown: sent back only when changed, so the defaults stay defaults
  const meta = JSON.stringify({ start: s.hours.start, end: s.hours.end });
  const zone = mrkdwnEscape(st(locale, 'alerts_hours_zone', { zone: s.timezone }));
  return modal(locale, VIEWS.alertPrefs, 'alerts_title_prefs', meta, [
    input(
      locale,
      ALERT_INPUTS.kinds,
      'alerts_label_kinds',
      { type: 'checkboxes', action_id: ALERT_INPUTS.kinds.action, options: kinds, ...(on.length ? { initial_options: on } : {}) },
      { optional: true, hint: st(locale, 'alerts_hint_kinds') },
    ),
    input(
      locale,
      ALERT_INPUTS.tags,
      'alerts_label_tags',
      { type: 'plain_text_input', action_id: ALERT_INPUTS.tags.action, max_length: 500, initial_value: truncate(s.tags.join(', '), 500) },
      { optional: true, hint: st(locale, 'alerts_hint_tags') },
    ),
    input(locale, ALERT_INPUTS.start, 'alerts_label_start', { type: 'timepicker', action_id: ALERT_INPUTS.start.action, initial_time: s.hours.start }),
    input(locale, ALERT_INPUTS.end, 'alerts_label_end', { type: 'timepicker', action_id: ALERT_INPUTS.end.action, initial_time: s.hours.end }),
    input(locale, ALERT_INPUTS.days, 'alerts_label_days', {
      type: 'checkboxes',
      action_id: ALERT_INPUTS.days.action,
      options: days,
      ...(workDays.length ? { initial_options: workDays } : {}),
    }),
    { type: 'context', elements: [{ type: 'mrkdwn', text: clipMrkdwn(zone, LIMITS.sectionText) }] },
  ]);
}

export interface RuleModalData {
  rules: readonly AlertRuleData[];
  segments: readonly { id: string; name: string }[];
  /** contact lifecycle stages (their names in the reader's language) and the pipeline's stages */
  contactStages: readonly { key: string; name: string }[];
  dealStages: readonly { key: string; name: string }[];
}

/** The line of one rule in the list: where, what, who, and why it stopped. */
function ruleLine(locale: Locale, r: AlertRuleData): string {
  const channel = `#${r.channelName ?? r.channelId}`;
  const creator = r.createdBy?.name ?? '-';
  if (!r.active)
    return st(locale, 'alerts_rule_stopped_line', {
      channel,
      creator,
      reason: st(locale, `alerts_reason_${r.disabledReason ?? 'channel_gone'}` as SlackMessageKey),
    });
  return st(locale, 'alerts_rule_line', { channel, creator, kinds: r.kinds.map((k) => kindName(locale, k)).join(locale === 'en' ? ', ' : '、') });
}

/** /crm alerts channel: the rules there are (Remove where the reader may), then a new rule's channel, kinds and filter. */
export function alertRuleModal(locale: Locale, d: RuleModalData): ModalView {
  const blocks: KnownBlock[] = [{ type: 'header', block_id: ALERT_RULES_BLOCK, text: plain(st(locale, 'alerts_rules_header'), 150) }];
  if (!d.rules.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwnEscape(st(locale, 'alerts_rules_none')) } });
  for (const r of d.rules.slice(0, 30)) {
    blocks.push({
      type: 'section',
      block_id: `${ALERT_RULES_BLOCK}:${r.id}`,
      text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwnEscape(ruleLine(locale, r)), LIMITS.sectionText) },
      ...(r.canDelete
        ? {
            accessory: {
              type: 'button' as const,
              action_id: ACTIONS.alertRuleDelete,
              value: r.id,
              style: 'danger' as const,
              text: plain(st(locale, 'alerts_rule_remove'), 75),
            },
          }
        : {}),
    });
  }
  blocks.push({ type: 'divider' });
  blocks.push(
    input(locale, ALERT_INPUTS.channel, 'alerts_label_channel', {
      type: 'conversations_select',
      action_id: ALERT_INPUTS.channel.action,
      // Slack leaves channels shared with other organisations out of the list; the save checks again
      filter: { include: ['public', 'private'], exclude_external_shared_channels: true, exclude_bot_users: true },
    }),
    input(locale, ALERT_INPUTS.kinds, 'alerts_label_rule_kinds', { type: 'checkboxes', action_id: ALERT_INPUTS.kinds.action, options: kindOptions(locale) }),
    input(locale, ALERT_INPUTS.owner, 'alerts_label_owner', { type: 'users_select', action_id: ALERT_INPUTS.owner.action }, { optional: true }),
    input(locale, ALERT_INPUTS.team, 'alerts_label_team', { type: 'users_select', action_id: ALERT_INPUTS.team.action }, { optional: true }),
    input(locale, ALERT_INPUTS.tag, 'alerts_label_tag', { type: 'plain_text_input', action_id: ALERT_INPUTS.tag.action, max_length: 100 }, { optional: true }),
  );
  if (d.segments.length)
    blocks.push(
      input(
        locale,
        ALERT_INPUTS.segment,
        'alerts_label_segment',
        { type: 'static_select', action_id: ALERT_INPUTS.segment.action, options: d.segments.slice(0, 100).map((s) => option(s.name, s.id)) },
        { optional: true },
      ),
    );
  const stages = [
    ...d.contactStages.map((s) => option(st(locale, 'alerts_stage_contact', { stage: s.name }), s.key)),
    ...d.dealStages.filter((s) => !d.contactStages.some((c) => c.key === s.key)).map((s) => option(st(locale, 'alerts_stage_deal', { stage: s.name }), s.key)),
  ].slice(0, 100);
  blocks.push(
    input(
      locale,
      ALERT_INPUTS.stage,
      'alerts_label_stage',
      { type: 'static_select', action_id: ALERT_INPUTS.stage.action, options: stages },
      { optional: true },
    ),
  );
  return modal(locale, VIEWS.alertRule, 'alerts_title_rule', '{}', blocks);
}
