import type { InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { STAGES, type Locale } from '../../backend/i18n/vocabulary.js';
import { clipMrkdwn, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { INPUTS, VIEWS } from '../ids.js';
import { VIEW_ACTIONS, VIEW_BLOCKS, historyPageValue, type HistoryPage } from './modal-ids.js';
import { timelineText, type ListOptions, type SlackMessage } from './contact-card.js';
import { LIMITS, assertMessageLimits, record, str } from '../limits.js';

/**
 * Block Kit for the modals (edit contact, add note, add follow-up, log call or
 * meeting, create contact) and for a page of More history. Pure: plain data in,
 * a view or a message out, Slack's limits checked before it returns.
 */

/** Slack's ceilings for a modal, beyond those of its blocks. */
export const MODAL_LIMITS = {
  blocks: 100,
  title: 24,
  submit: 24,
  close: 24,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  privateMetadata: 3000,
  optionText: 75,
  optionValue: 150,
  inputText: 3000,
} as const;

/** Longest text each input takes (the backend's own limits, or Slack's 3,000). */
export const INPUT_MAX = { name: 300, reading: 200, email: 320, title: 300, phone: 50, company: 300, tags: 3000, note: 3000, summary: 3000 } as const;

type Input = { block: string; action: string };
type InputOptions = { optional?: boolean; hint?: string };

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

function input(locale: Locale, id: Input, labelKey: SlackMessageKey, element: InputBlockElement, opts: InputOptions = {}): InputBlock {
  return {
    type: 'input',
    block_id: id.block,
    label: plain(st(locale, labelKey), MODAL_LIMITS.label),
    element,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plain(opts.hint, MODAL_LIMITS.hint) } : {}),
  };
}

function textElement(id: Input, max: number, opts: { initial?: string | null; multiline?: boolean } = {}): InputBlockElement {
  return {
    type: 'plain_text_input',
    action_id: id.action,
    max_length: Math.min(max, MODAL_LIMITS.inputText),
    ...(opts.multiline ? { multiline: true } : {}),
    ...(opts.initial ? { initial_value: truncate(opts.initial, Math.min(max, MODAL_LIMITS.inputText)) } : {}),
  };
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, MODAL_LIMITS.optionText), value };
}

function select(id: Input, options: PlainTextOption[], initial?: string): InputBlockElement {
  const chosen = options.find((o) => o.value === initial);
  return { type: 'static_select', action_id: id.action, options, ...(chosen ? { initial_option: chosen } : {}) };
}

function about(locale: Locale, contactName: string): KnownBlock {
  const text = mrkdwnEscape(st(locale, 'modal_about', { name: truncate(contactName.replace(/\s+/g, ' ').trim(), 300) }));
  return { type: 'section', block_id: VIEW_BLOCKS.about, text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } };
}

function timeZoneNote(locale: Locale, timeZone: string): KnownBlock {
  return {
    type: 'context',
    block_id: VIEW_BLOCKS.timeZone,
    elements: [{ type: 'mrkdwn', text: mrkdwnEscape(st(locale, 'modal_time_zone', { timeZone })) }],
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

/**
 * Throws, naming each, if a modal breaks a Slack limit: 100 blocks, a title,
 * submit or close over 24 characters, a label over 2,000, private_metadata
 * over 3,000, an option over 75, plus every limit of its blocks.
 */
export function assertModalLimits(view: ModalView): void {
  const problems: string[] = [];
  const over = (what: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) problems.push(`${what} is ${value.length} characters, over ${max}`);
    if (value !== undefined && value.length === 0) problems.push(`${what} is empty`);
  };
  over('title', view.title.text, MODAL_LIMITS.title);
  over('submit', view.submit?.text, MODAL_LIMITS.submit);
  over('close', view.close?.text, MODAL_LIMITS.close);
  if ((view.private_metadata ?? '').length > MODAL_LIMITS.privateMetadata) problems.push(`private_metadata over ${MODAL_LIMITS.privateMetadata}`);
  view.blocks.forEach((b, i) => {
    const block = record(b);
    if (block?.type !== 'input') return;
    over(`block ${i} label`, str(record(block.label)?.text), MODAL_LIMITS.label);
    const hint = record(block.hint);
    if (hint) over(`block ${i} hint`, str(hint.text), MODAL_LIMITS.hint);
    const options = record(block.element)?.options;
    if (Array.isArray(options)) {
      options.forEach((o, j) => {
        over(`block ${i} option ${j}`, str(record(record(o)?.text)?.text), MODAL_LIMITS.optionText);
        over(`block ${i} option ${j} value`, str(record(o)?.value), MODAL_LIMITS.optionValue);
      });
    }
  });
  if (problems.length) throw new Error(`Modal limits broken: ${problems.join('; ')}`);
  assertMessageLimits(view.blocks, MODAL_LIMITS.blocks);
}

// ---------------------------------------------------------------- the modals

export interface EditContactInput {
  name: string;
  reading?: string | null;
  stage: string;
  title: string | null;
  phone: string | null;
  tags: readonly string[];
  /** the current owner's name, when there is one */
  ownerName: string | null;
  /** the current owner's Slack id, when Rapport knows it (then the select starts on them) */
  ownerSlackId: string | null;
}

/** Edit: stage, owner, title, phone and tags, prefilled. */
export function editContactModal(locale: Locale, c: EditContactInput, privateMetadata: string): ModalView {
  const stages = STAGES.map((s) => option(st(locale, `stage_${s}`), s));
  const ownerHint = c.ownerName && !c.ownerSlackId ? st(locale, 'modal_hint_owner_now', { name: truncate(c.ownerName, 300) }) : undefined;
  return modal(locale, VIEWS.editContact, 'view_edit_contact', privateMetadata, [
    about(locale, c.name),
    input(locale, INPUTS.stage, 'label_stage', select(INPUTS.stage, stages, c.stage)),
    input(
      locale,
      INPUTS.owner,
      'label_owner',
      { type: 'users_select', action_id: INPUTS.owner.action, ...(c.ownerSlackId ? { initial_user: c.ownerSlackId } : {}) },
      { optional: true, ...(ownerHint ? { hint: ownerHint } : {}) },
    ),
    input(locale, INPUTS.title, 'label_title', textElement(INPUTS.title, INPUT_MAX.title, { initial: c.title }), { optional: true }),
    input(locale, INPUTS.reading, 'label_reading', textElement(INPUTS.reading, INPUT_MAX.reading, { initial: c.reading ?? null }), {
      optional: true,
      hint: st(locale, 'modal_hint_reading'),
    }),
    input(locale, INPUTS.phone, 'label_phone', textElement(INPUTS.phone, INPUT_MAX.phone, { initial: c.phone }), { optional: true }),
    input(locale, INPUTS.tags, 'modal_label_tags', textElement(INPUTS.tags, INPUT_MAX.tags, { initial: c.tags.join(', ') }), {
      optional: true,
      hint: st(locale, 'modal_hint_tags'),
    }),
  ]);
}

/** Add note: one multiline note about the contact. */
export function addNoteModal(locale: Locale, contactName: string, privateMetadata: string, initial?: string): ModalView {
  return modal(locale, VIEWS.addNote, 'view_add_note', privateMetadata, [
    about(locale, contactName),
    input(locale, INPUTS.note, 'modal_label_note', textElement(INPUTS.note, INPUT_MAX.note, { multiline: true, initial: initial ?? null })),
  ]);
}

export interface WhenInput {
  timeZone: string;
  /** '2026-11-25' and '09:00', in timeZone */
  date: string;
  time: string;
}

/** Add follow-up: due date and time in the member's zone, and a note. */
export function addFollowUpModal(locale: Locale, contactName: string, when: WhenInput, privateMetadata: string, note?: string): ModalView {
  return modal(locale, VIEWS.addFollowUp, 'view_add_follow_up', privateMetadata, [
    about(locale, contactName),
    input(locale, INPUTS.dueDate, 'modal_label_due_date', {
      type: 'datepicker',
      action_id: INPUTS.dueDate.action,
      initial_date: when.date,
    }),
    input(locale, INPUTS.dueTime, 'modal_label_time', { type: 'timepicker', action_id: INPUTS.dueTime.action, initial_time: when.time }),
    timeZoneNote(locale, when.timeZone),
    input(locale, INPUTS.note, 'modal_label_note', textElement(INPUTS.note, INPUT_MAX.note, { multiline: true, initial: note ?? null }), { optional: true }),
  ]);
}

/** Log call: call or meeting, who reached out, when (in the member's zone), and a summary. */
export function logCallModal(locale: Locale, contactName: string, when: WhenInput, privateMetadata: string, kind: 'call' | 'meeting' = 'call'): ModalView {
  const kinds = [option(st(locale, 'kind_call'), 'call'), option(st(locale, 'kind_meeting'), 'meeting')];
  const directions = [option(st(locale, 'direction_outbound'), 'outbound'), option(st(locale, 'direction_inbound'), 'inbound')];
  return modal(locale, VIEWS.logCall, 'view_log_call', privateMetadata, [
    about(locale, contactName),
    input(locale, INPUTS.kind, 'modal_label_kind', select(INPUTS.kind, kinds, kind)),
    input(locale, INPUTS.direction, 'modal_label_direction', select(INPUTS.direction, directions, 'outbound')),
    input(locale, INPUTS.occurredDate, 'modal_label_date', {
      type: 'datepicker',
      action_id: INPUTS.occurredDate.action,
      initial_date: when.date,
    }),
    input(locale, INPUTS.occurredTime, 'modal_label_time', {
      type: 'timepicker',
      action_id: INPUTS.occurredTime.action,
      initial_time: when.time,
    }),
    timeZoneNote(locale, when.timeZone),
    input(locale, INPUTS.summary, 'modal_label_summary', textElement(INPUTS.summary, INPUT_MAX.summary, { multiline: true })),
  ]);
}

/** Create contact: name, email, company, title, phone; name or email prefilled from the search. */
export function createContactModal(locale: Locale, prefill: { name?: string; email?: string }, privateMetadata: string): ModalView {
  return modal(locale, VIEWS.createContact, 'view_create_contact', privateMetadata, [
    input(locale, INPUTS.name, 'modal_label_name', textElement(INPUTS.name, INPUT_MAX.name, { initial: prefill.name ?? null })),
    input(
      locale,
      INPUTS.emails,
      'modal_label_email',
      {
        type: 'email_text_input',
        action_id: INPUTS.emails.action,
        ...(prefill.email ? { initial_value: truncate(prefill.email, INPUT_MAX.email) } : {}),
      },
      { optional: true },
    ),
    input(locale, INPUTS.company, 'label_company', textElement(INPUTS.company, INPUT_MAX.company), { optional: true }),
    input(locale, INPUTS.title, 'label_title', textElement(INPUTS.title, INPUT_MAX.title), { optional: true }),
    input(locale, INPUTS.phone, 'label_phone', textElement(INPUTS.phone, INPUT_MAX.phone), { optional: true }),
  ]);
}

// ---------------------------------------------------------------- More history

/**
 * A page of a contact's timeline, in the reader's language and zone, with a
 * More button (value: contact id and cursor) when there is a next page.
 */
export function historyPageBlocks(entries: readonly unknown[], opts: ListOptions, next: HistoryPage | null): SlackMessage {
  const title = mrkdwnEscape(st(opts.locale, 'modal_history_header'));
  const texts = entries.map((e) => timelineText(e, opts)).filter((t): t is string => t !== undefined);
  const blocks: KnownBlock[] = [{ type: 'context', block_id: VIEW_BLOCKS.historyHeader, elements: [{ type: 'mrkdwn', text: `*${title}*` }] }];
  if (texts.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwnEscape(st(opts.locale, 'modal_history_none')) } });
  for (const text of texts.slice(0, LIMITS.blocks - 2)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } });
  const value = next ? historyPageValue(next) : '';
  if (next && value.length <= LIMITS.buttonValue) {
    blocks.push({
      type: 'actions',
      block_id: VIEW_BLOCKS.historyMore,
      elements: [
        {
          type: 'button',
          action_id: VIEW_ACTIONS.moreHistoryPage,
          text: plain(st(opts.locale, 'modal_btn_more'), LIMITS.buttonText),
          value,
        },
      ],
    });
  }
  assertMessageLimits(blocks);
  return { text: title, blocks };
}
