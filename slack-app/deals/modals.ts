import type { InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { COMMON_CURRENCIES } from '../../backend/i18n/money.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { MODAL_LIMITS, assertModalLimits } from '../contacts/modals.js';
import { clipMrkdwn, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { VIEWS } from '../ids.js';
import { LIMITS } from '../limits.js';

/**
 * Block Kit for the deal modals: New deal, Move stage, and Mark won / Mark
 * lost (one modal, VIEWS.dealClose, asking for the reason). Pure: plain data
 * in, a view out, Slack's limits checked before it returns.
 */

/** Input blocks of the deal modals: block_id and its element's action_id (view.state.values[block][action]). */
export const DEAL_INPUTS = {
  name: { block: 'deal_input_name', action: 'deal_name' },
  company: { block: 'deal_input_company', action: 'deal_company' },
  // a multi_external_select: its options come from bolt.options on this action_id
  contacts: { block: 'deal_input_contacts', action: 'deal_contacts' },
  amount: { block: 'deal_input_amount', action: 'deal_amount' },
  currency: { block: 'deal_input_currency', action: 'deal_currency' },
  stage: { block: 'deal_input_stage', action: 'deal_stage' },
  closeDate: { block: 'deal_input_close_date', action: 'deal_close_date' },
  owner: { block: 'deal_input_owner', action: 'deal_owner' },
  reason: { block: 'deal_input_reason', action: 'deal_reason' },
} as const;
export const DEAL_ABOUT_BLOCK = 'deal_about';

export const DEAL_INPUT_MAX = { name: 300, company: 300, amount: 40, reason: 1000 } as const;

export interface StageOption {
  key: string;
  name: string;
  probability: number;
}

/** What a deal modal carries from the button to its submission. */
export interface DealMeta {
  /** the deal (Move stage, Mark won/lost) */
  d?: string;
  /** its name, for the confirmation */
  n?: string;
  /** won or lost (dealClose) */
  s?: 'won' | 'lost';
  /** the channel the button was pressed in */
  ch?: string;
  /** New deal: the company it was prefilled with, and its name as shown */
  co?: string;
  cn?: string;
}

export function encodeDealMeta(meta: DealMeta): string {
  const text = JSON.stringify({ ...meta, ...(meta.n ? { n: truncate(meta.n, 300) } : {}), ...(meta.cn ? { cn: truncate(meta.cn, 300) } : {}) });
  return text.length <= MODAL_LIMITS.privateMetadata ? text : JSON.stringify({ ...meta, n: undefined, cn: undefined, co: undefined });
}

/** The modal's metadata read back; {} for anything that is not ours. */
export function decodeDealMeta(privateMetadata: string | undefined): DealMeta {
  try {
    const v = JSON.parse(privateMetadata || '{}') as Record<string, unknown>;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const s = (k: string) => (typeof v[k] === 'string' && (v[k] as string).length <= 400 ? (v[k] as string) : undefined);
    const out: DealMeta = {};
    for (const k of ['d', 'n', 'ch', 'co', 'cn'] as const) {
      const x = s(k);
      if (x !== undefined) out[k] = x;
    }
    if (v.s === 'won' || v.s === 'lost') out.s = v.s;
    return out;
  } catch {
    return {};
  }
}

/** The currency a new deal starts in: the reader's market's. */
export const DEFAULT_CURRENCY: Record<Locale, string> = { en: 'USD', ja: 'JPY', zh: 'CNY' };

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
const option = (text: string, value: string): PlainTextOption => ({
  text: plain(text || value, MODAL_LIMITS.optionText),
  value: truncate(value, MODAL_LIMITS.optionValue),
});

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

function text(id: Input, max: number, initial?: string, multiline = false): InputBlockElement {
  return {
    type: 'plain_text_input',
    action_id: id.action,
    max_length: max,
    ...(multiline ? { multiline: true } : {}),
    ...(initial ? { initial_value: truncate(initial, max) } : {}),
  };
}

function select(id: Input, options: PlainTextOption[], initial?: string): InputBlockElement {
  const chosen = options.find((o) => o.value === initial) ?? options[0];
  return { type: 'static_select', action_id: id.action, options: options.slice(0, 100), ...(chosen ? { initial_option: chosen } : {}) };
}

function about(locale: Locale, name: string): KnownBlock {
  const line = mrkdwnEscape(st(locale, 'deal_about', { name: truncate(name.replace(/\s+/g, ' ').trim(), 300) }));
  return { type: 'section', block_id: DEAL_ABOUT_BLOCK, text: { type: 'mrkdwn', text: clipMrkdwn(line, LIMITS.sectionText) } };
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

export const stageOptions = (stages: readonly StageOption[]) => stages.map((s) => option(`${s.name} (${s.probability}%)`, s.key));

/** Currencies to pick: the common ones first, the deal's own if it is another. */
export function currencyOptions(current?: string): PlainTextOption[] {
  const codes: string[] = [...COMMON_CURRENCIES];
  if (current && !codes.includes(current)) codes.unshift(current);
  return codes.map((c) => option(c, c));
}

export interface DealNewPrefill {
  name?: string;
  companyName?: string;
  contact?: { id: string; name: string };
  /** the owner the select starts on (the person who opens it) */
  ownerSlackId?: string;
}

/** New deal: name, company, contacts, amount and currency, stage, expected close, owner. */
export function dealNewModal(locale: Locale, stages: readonly StageOption[], prefill: DealNewPrefill, privateMetadata: string): ModalView {
  const contact = prefill.contact ? option(prefill.contact.name, prefill.contact.id) : undefined;
  return modal(locale, VIEWS.dealNew, 'view_deal_new', privateMetadata, [
    input(locale, DEAL_INPUTS.name, 'deal_label_name', text(DEAL_INPUTS.name, DEAL_INPUT_MAX.name, prefill.name)),
    input(locale, DEAL_INPUTS.company, 'deal_label_company', text(DEAL_INPUTS.company, DEAL_INPUT_MAX.company, prefill.companyName), { optional: true }),
    input(
      locale,
      DEAL_INPUTS.contacts,
      'deal_label_contacts',
      {
        type: 'multi_external_select',
        action_id: DEAL_INPUTS.contacts.action,
        min_query_length: 1,
        max_selected_items: 10,
        placeholder: plain(st(locale, 'deal_hint_contacts'), MODAL_LIMITS.placeholder),
        ...(contact ? { initial_options: [contact] } : {}),
      },
      { optional: true },
    ),
    input(locale, DEAL_INPUTS.amount, 'deal_label_amount', text(DEAL_INPUTS.amount, DEAL_INPUT_MAX.amount), {
      optional: true,
      hint: st(locale, 'deal_hint_amount'),
    }),
    input(locale, DEAL_INPUTS.currency, 'deal_label_currency', select(DEAL_INPUTS.currency, currencyOptions(), DEFAULT_CURRENCY[locale])),
    input(locale, DEAL_INPUTS.stage, 'deal_label_stage', select(DEAL_INPUTS.stage, stageOptions(stages))),
    input(locale, DEAL_INPUTS.closeDate, 'deal_label_close_date', { type: 'datepicker', action_id: DEAL_INPUTS.closeDate.action }, { optional: true }),
    input(
      locale,
      DEAL_INPUTS.owner,
      'deal_label_owner',
      { type: 'users_select', action_id: DEAL_INPUTS.owner.action, ...(prefill.ownerSlackId ? { initial_user: prefill.ownerSlackId } : {}) },
      { optional: true },
    ),
  ]);
}

/** Move stage: the pipeline's stages, starting on the deal's own. */
export function dealMoveStageModal(locale: Locale, deal: { name: string; stage: string }, stages: readonly StageOption[], privateMetadata: string): ModalView {
  return modal(locale, VIEWS.dealMoveStage, 'view_deal_move', privateMetadata, [
    about(locale, deal.name),
    input(locale, DEAL_INPUTS.stage, 'deal_label_stage', select(DEAL_INPUTS.stage, stageOptions(stages), deal.stage)),
  ]);
}

/** Mark won / Mark lost: why (required for a loss). */
export function dealCloseModal(locale: Locale, deal: { name: string }, outcome: 'won' | 'lost', privateMetadata: string): ModalView {
  return modal(locale, VIEWS.dealClose, outcome === 'won' ? 'view_deal_won' : 'view_deal_lost', privateMetadata, [
    about(locale, deal.name),
    input(locale, DEAL_INPUTS.reason, 'deal_label_reason', text(DEAL_INPUTS.reason, DEAL_INPUT_MAX.reason, undefined, true), { optional: outcome === 'won' }),
  ]);
}
