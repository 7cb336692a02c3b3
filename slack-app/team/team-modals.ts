import type { ActionsBlock, InputBlock, KnownBlock, ModalView, PlainTextOption, SectionBlock } from '@slack/types';
import type { Member, Workspace } from '../../backend/api-types.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { MODAL_LIMITS, assertModalLimits } from '../contacts/modals.js';
import { clipMrkdwn, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../block-text.js';

/**
 * Block Kit for an admin's team controls: the actions line of the Home tab's
 * Team part and the modals it opens (add people, edit, deactivate, who may
 * join). Pure; each modal is checked against Slack's limits before it returns.
 */

/** Slack's ceiling for the options of one select. */
export const SELECT_OPTIONS_MAX = 100;
/** The value of the manager select's "no manager" option (never a member id). */
export const NO_MANAGER = 'none';
export const ROLES = ['rep', 'manager', 'admin'] as const;
export const JOIN_POLICIES = ['invite', 'slack', 'domains'] as const;

type Brief = Pick<Member, 'id' | 'name' | 'email' | 'active'>;
type Input = { block: string; action: string };

/** What an edit or a deactivation carries from the select that opened it to its submission. */
export interface TeamMeta {
  /** member id */
  m: string;
  /** their name, for the confirmation */
  n: string;
  /** edit: role, manager id ('' for none) and time zone as the modal showed them */
  r?: string;
  g?: string;
  z?: string;
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
const option = (text: string, value: string): PlainTextOption => ({ text: plain(oneLine(text) || '—', MODAL_LIMITS.optionText), value });
const memberOptions = (members: readonly Brief[]) => members.filter((m) => m.active).map((m) => option(m.name, m.id));

/**
 * The Home tab's controls under the team: Add people, Edit and Deactivate
 * (a select of members each: one block however large the team), Reactivate
 * (a button, when someone left), Change who may join.
 */
export function teamControls(members: readonly Brief[], locale: Locale): ActionsBlock {
  const options = memberOptions(members);
  // only whether someone left: their names stay off the Home, in the modal the button opens
  const anyInactive = members.some((m) => !m.active);
  // past Slack's 100 options the member is found by typing (memberSuggestions answers)
  const pick = (actionId: string, key: SlackMessageKey) =>
    options.length > SELECT_OPTIONS_MAX
      ? { type: 'external_select' as const, action_id: actionId, placeholder: plain(st(locale, key), MODAL_LIMITS.placeholder), min_query_length: 0 }
      : { type: 'static_select' as const, action_id: actionId, placeholder: plain(st(locale, key), MODAL_LIMITS.placeholder), options };
  return {
    type: 'actions',
    block_id: 'team_controls',
    elements: [
      { type: 'button', action_id: ACTIONS.teamAdd, text: plain(st(locale, 'team_btn_add'), LIMITS.buttonText), value: 'add', style: 'primary' },
      ...(options.length ? [pick(ACTIONS.teamEdit, 'team_pick_edit'), pick(ACTIONS.teamDeactivate, 'team_pick_deactivate')] : []),
      ...(anyInactive
        ? [
            {
              type: 'button' as const,
              action_id: ACTIONS.teamReactivate,
              text: plain(st(locale, 'team_btn_reactivate'), LIMITS.buttonText),
              value: 'reactivate',
            },
          ]
        : []),
      { type: 'button', action_id: ACTIONS.teamPolicy, text: plain(st(locale, 'team_btn_policy'), LIMITS.buttonText), value: 'policy' },
    ],
  };
}

function input(
  locale: Locale,
  id: Input,
  labelKey: SlackMessageKey,
  element: InputBlock['element'],
  opts: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id.block,
    label: plain(st(locale, labelKey), MODAL_LIMITS.label),
    element,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plain(opts.hint, MODAL_LIMITS.hint) } : {}),
  };
}

function select(id: Input, options: PlainTextOption[], initial?: string): InputBlock['element'] {
  const chosen = options.find((o) => o.value === initial);
  return { type: 'static_select', action_id: id.action, options, ...(chosen ? { initial_option: chosen } : {}) };
}

/** A select of members: static up to Slack's 100 options, else found by typing (memberSuggestions), starting on initial either way. */
function memberSelect(id: Input, options: PlainTextOption[], initial?: string): InputBlock['element'] {
  if (options.length <= SELECT_OPTIONS_MAX) return select(id, options, initial);
  const chosen = options.find((o) => o.value === initial);
  return { type: 'external_select', action_id: id.action, min_query_length: 0, ...(chosen ? { initial_option: chosen } : {}) };
}

/**
 * The options a member select offers for what was typed: active members whose
 * name or email holds it (any case), without those left out, at most 100;
 * first comes extra (the manager select's "no manager").
 *   memberSuggestions([{ id: 'm1', name: 'Ren Rep', email: 'ren@x.co', active: true }], 'ren') = [{ text: 'Ren Rep', value: 'm1' }]
 */
export function memberSuggestions(members: readonly Brief[], typed: string, opts: { without?: string; extra?: PlainTextOption } = {}): PlainTextOption[] {
  const q = typed.trim().toLowerCase();
  const found = members.filter((m) => m.active && m.id !== opts.without && (!q || m.name.toLowerCase().includes(q) || m.email.toLowerCase().includes(q)));
  return [...(opts.extra ? [opts.extra] : []), ...memberOptions(found)].slice(0, SELECT_OPTIONS_MAX);
}

/** The manager select's "no manager" option, in locale. */
export const noManagerOption = (locale: Locale) => option(st(locale, 'team_no_manager'), NO_MANAGER);

function section(mrkdwn: string): SectionBlock {
  return { type: 'section', block_id: 'team_about', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) } };
}

function modal(
  locale: Locale,
  callbackId: string,
  titleKey: SlackMessageKey,
  blocks: KnownBlock[],
  opts: { meta?: TeamMeta; submitKey?: SlackMessageKey } = {},
): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackId,
    title: plain(st(locale, titleKey), MODAL_LIMITS.title),
    submit: plain(st(locale, opts.submitKey ?? 'view_save'), MODAL_LIMITS.submit),
    close: plain(st(locale, 'view_cancel'), MODAL_LIMITS.close),
    private_metadata: opts.meta ? encodeTeamMeta(opts.meta) : '',
    blocks,
  };
  assertModalLimits(view);
  return view;
}

export function encodeTeamMeta(meta: TeamMeta): string {
  return JSON.stringify({ ...meta, n: truncate(meta.n, 300) });
}

/** private_metadata read back; null when it is not a member's. */
export function decodeTeamMeta(text: string | undefined): TeamMeta | null {
  try {
    const v = JSON.parse(text || '{}') as Record<string, unknown>;
    if (typeof v.m !== 'string' || typeof v.n !== 'string') return null;
    const s = (x: unknown) => (typeof x === 'string' ? x : undefined);
    return {
      m: v.m,
      n: v.n,
      ...(s(v.r) !== undefined ? { r: s(v.r)! } : {}),
      ...(s(v.g) !== undefined ? { g: s(v.g)! } : {}),
      ...(s(v.z) !== undefined ? { z: s(v.z)! } : {}),
    };
  } catch {
    return null;
  }
}

/** Add people: Slack users to add, each as a rep. */
export function addPeopleModal(locale: Locale): ModalView {
  return modal(
    locale,
    VIEWS.teamAdd,
    'view_team_add',
    [
      input(
        locale,
        INPUTS.people,
        'team_label_people',
        { type: 'multi_users_select', action_id: INPUTS.people.action, max_selected_items: 20 },
        {
          hint: st(locale, 'team_hint_people'),
        },
      ),
    ],
    { submitKey: 'team_btn_add' },
  );
}

/** Edit a member: role, manager (another active member, or none), time zone. */
export function editMemberModal(locale: Locale, member: Member, members: readonly Brief[]): ModalView {
  const roles = ROLES.map((r) => option(st(locale, `role_${r}`), r));
  // the current manager first, so a team over Slack's 100 options never drops them and the select starts on them
  const others = members.filter((m) => m.id !== member.id);
  const ordered = [...others.filter((m) => m.id === member.managerId), ...others.filter((m) => m.id !== member.managerId)];
  const managers = [noManagerOption(locale), ...memberOptions(ordered)];
  return modal(
    locale,
    VIEWS.teamEdit,
    'view_team_edit',
    [
      section(st(locale, 'team_edit_about', { name: mrkdwnEscape(oneLine(member.name)), email: mrkdwnEscape(member.email) })),
      input(locale, INPUTS.role, 'team_label_role', select(INPUTS.role, roles, member.role)),
      input(locale, INPUTS.manager, 'team_label_manager', memberSelect(INPUTS.manager, managers, member.managerId ?? NO_MANAGER)),
      input(
        locale,
        INPUTS.timezone,
        'team_label_timezone',
        { type: 'plain_text_input', action_id: INPUTS.timezone.action, max_length: 64, initial_value: truncate(member.timezone, 64) },
        { hint: st(locale, 'team_hint_timezone') },
      ),
    ],
    { meta: { m: member.id, n: member.name, r: member.role, g: member.managerId ?? '', z: member.timezone } },
  );
}

/** Deactivate a member: what will happen, and who takes over (another active member, required). */
export function deactivateMemberModal(locale: Locale, member: Brief, members: readonly Brief[]): ModalView {
  const others = memberOptions(members.filter((m) => m.id !== member.id));
  return modal(
    locale,
    VIEWS.teamDeactivate,
    'view_team_deactivate',
    [
      section(mrkdwnEscape(st(locale, 'team_deactivate_about', { name: oneLine(member.name) }))),
      input(locale, INPUTS.reassignTo, 'team_label_reassign', memberSelect(INPUTS.reassignTo, others)),
    ],
    { meta: { m: member.id, n: member.name }, submitKey: 'team_btn_deactivate' },
  );
}

/** Who may join: the policy, and the domains the last one names. */
export function joinPolicyModal(locale: Locale, workspace: Pick<Workspace, 'joinPolicy' | 'joinDomains'>): ModalView {
  const policies = JOIN_POLICIES.map((p) => option(st(locale, `team_policy_${p}`), p));
  return modal(locale, VIEWS.teamPolicy, 'view_team_policy', [
    input(locale, INPUTS.joinPolicy, 'team_label_policy', select(INPUTS.joinPolicy, policies, workspace.joinPolicy)),
    input(
      locale,
      INPUTS.joinDomains,
      'team_label_domains',
      {
        type: 'plain_text_input',
        action_id: INPUTS.joinDomains.action,
        max_length: 3000,
        ...(workspace.joinDomains.length ? { initial_value: workspace.joinDomains.join(', ') } : {}),
      },
      { optional: true, hint: st(locale, 'team_hint_domains') },
    ),
  ]);
}

/** Reactivate: which deactivated member comes back (the most recent leavers first, as Slack shows 100). */
export function reactivateModal(locale: Locale, inactive: readonly Pick<Member, 'id' | 'name'>[]): ModalView {
  const options = [...inactive]
    .reverse()
    .slice(0, SELECT_OPTIONS_MAX)
    .map((m) => option(m.name, m.id));
  return modal(
    locale,
    VIEWS.teamReactivate,
    'view_team_reactivate',
    [section(mrkdwnEscape(st(locale, 'team_reactivate_about'))), input(locale, INPUTS.reactivate, 'team_label_reactivate', select(INPUTS.reactivate, options))],
    { submitKey: 'team_btn_reactivate' },
  );
}
