import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type * as z from 'zod';
import type { Contact, ContactDetail } from '../../backend/contacts/schemas.js';
import type { FollowUp } from '../../backend/follow-ups/schemas.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, BLOCKS, followUpBlockId } from '../ids.js';
import { LIMITS, assertMessageLimits, record, str } from '../limits.js';
import { label, oneLine, when } from '../block-text.js';
import { type UpcomingMeetingData, upcomingMeetingsText } from './meeting-lines.js';
import { nameWithReading } from '../../backend/i18n/name-reading.js';

export { LIMITS, assertMessageLimits };

/**
 * Block Kit for contacts and follow-ups, built from the API's plain JSON. No
 * I/O: every builder returns { text, blocks } ready for chat.postMessage (text
 * is the notification fallback) and has checked Slack's limits before it
 * returns. All stored text is escaped, so a subject like '<!channel>' cannot
 * ping anyone.
 */

export type SlackMessage = { text: string; blocks: KnownBlock[] };
export type ContactData = z.infer<typeof Contact>;
export type FollowUpData = z.infer<typeof FollowUp>;
/** What the card reads from GET /contacts/:id; anything else may be left out. */
export type ContactCardInput = Pick<
  z.infer<typeof ContactDetail>,
  'id' | 'name' | 'title' | 'phone' | 'emails' | 'company' | 'stage' | 'owner' | 'lastInteractionAt' | 'openFollowUps' | 'timeline'
> & { reading?: string | null; upcomingMeetings?: readonly UpcomingMeetingData[] };
/** What a picker line reads from a contact. */
export type ContactSummary = Pick<ContactData, 'id' | 'name' | 'title' | 'emails' | 'company' | 'stage'> & { reading?: string | null };

export type CardOptions = {
  locale: Locale;
  timeZone: string;
  /** ISO time the card is built at, for "overdue" and "tomorrow" */
  now: string;
  /** e.g. https://rapport.example.com; buttons link to `${publicUrl}/c/${id}` */
  publicUrl?: string;
  /** the channel has people from outside the company: show a link and nothing else */
  external: boolean;
  /** offer a Share button (the card was shown only to the person who asked) */
  shareable: boolean;
  /** posted where other people read it: private entries are left out, whatever the data holds */
  shared?: boolean;
  /** timeline entries shown; default 5, never more than fit in 50 blocks */
  timelineLimit?: number;
};

export type ListOptions = { locale: Locale; timeZone: string; now: string };

const PICKER_MAX = 10;
const FOLLOW_UPS_MAX = 15;
const CARD_FOLLOW_UPS_MAX = 5;
const CARD_EMAILS_MAX = 5;
/** Timeline entries a card shows unless told otherwise; More history starts after them. */
export const TIMELINE_DEFAULT = 5;
const TIMELINE_MAX = 20;
const SUBJECT_MAX = 300;
const SNIPPET_MAX = 600;
const NOTE_MAX = 500;
const FALLBACK_MAX = 3000;

const KIND_ICONS: Record<string, string> = {
  email: ':email:',
  slack: ':speech_balloon:',
  call: ':telephone_receiver:',
  meeting: ':handshake:',
  note: ':memo:',
  follow_up: ':alarm_clock:',
  change: ':pencil2:',
};

// ---------------------------------------------------------------- builders

/**
 * A contact's card. In a channel with outsiders (external) it is one sentence
 * and an "Open in Rapport" button: no name, address or company.
 */
export function contactCardBlocks(detail: ContactCardInput, opts: CardOptions): SlackMessage {
  const { locale } = opts;
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const url = contactUrl(opts.publicUrl, detail.id);

  if (opts.external) {
    const open = button(st(locale, 'btn_open_in_rapport'), ACTIONS.openInRapport, detail.id, url ? { url } : {});
    return finish(m('external_channel'), [section(BLOCKS.external, m('external_channel'), open)]);
  }

  const blocks: KnownBlock[] = [];
  // 田中 太郎（たなか たろう） for a reader of another language (issue 21)
  const name = oneLine(nameWithReading(detail.name, detail.reading, locale)) || '—';
  const sub = [detail.title, detail.company?.name]
    .map((s) => oneLine(s ?? ''))
    .filter(Boolean)
    .join(' · ');
  const inHeader = sub !== '' && name.length + 3 + sub.length <= LIMITS.headerText;
  blocks.push(header(BLOCKS.contactHeader, inHeader ? `${name} · ${sub}` : name));
  if (sub && !inHeader) blocks.push(context(undefined, escapeTruncate(sub, LIMITS.contextText)));

  const field = (key: SlackMessageKey, value: string) => clipMrkdwn(`*${m(key)}*\n${value}`, LIMITS.sectionField);
  const shownEmails = detail.emails.slice(0, CARD_EMAILS_MAX).map((e) => escapeTruncate(e, 320));
  if (detail.emails.length > CARD_EMAILS_MAX) shownEmails.push(m('and_more', { count: detail.emails.length - CARD_EMAILS_MAX }));
  const fields = [
    field('label_stage', label(locale, `stage_${detail.stage}`, detail.stage)),
    field('label_owner', detail.owner ? escapeTruncate(oneLine(detail.owner.name), 300) : m('unassigned')),
    field('label_emails', shownEmails.length ? shownEmails.join(', ') : m('none_yet')),
    field('label_last_interaction', detail.lastInteractionAt ? mrkdwnEscape(when(detail.lastInteractionAt, opts)) : m('none_yet')),
  ];
  if (detail.phone) fields.push(field('label_phone', escapeTruncate(detail.phone, 100)));
  blocks.push({ type: 'section', block_id: BLOCKS.contactFields, fields: fields.map((text) => ({ type: 'mrkdwn', text })) });

  const followUps = detail.openFollowUps.map(record).filter((f) => str(f?.dueAt) !== undefined);
  const followUpLines = followUps.slice(0, CARD_FOLLOW_UPS_MAX).map((f) => `• ${dueLine(str(f?.dueAt) ?? '', str(f?.note), opts)}`);
  if (followUps.length > CARD_FOLLOW_UPS_MAX) followUpLines.push(m('and_more', { count: followUps.length - CARD_FOLLOW_UPS_MAX }));
  const followUpText = followUpLines.length ? followUpLines.join('\n') : m('none_yet');
  blocks.push(section(BLOCKS.contactFollowUps, clipMrkdwn(`*${m('label_open_follow_ups')}*\n${followUpText}`, LIMITS.sectionText)));
  // meetings to come (Calendar sync), when there are any
  if (detail.upcomingMeetings?.length) {
    blocks.push(section(BLOCKS.contactMeetings, upcomingMeetingsText(detail.upcomingMeetings, { ...opts, maxChars: LIMITS.sectionText })));
  }

  // header, subtitle, fields, follow-ups, meetings, history title and actions are 7 at most
  const room = LIMITS.blocks - 7;
  const limit = Math.max(0, Math.min(opts.timelineLimit ?? TIMELINE_DEFAULT, TIMELINE_MAX, room));
  const entries = detail.timeline
    .filter((e) => !opts.shared || !isPrivateEntry(e))
    .map((e) => timelineText(e, opts))
    .filter((t): t is string => t !== undefined)
    .slice(0, limit);
  blocks.push(section(BLOCKS.contactHistory, entries.length ? `*${m('label_history')}*` : `*${m('label_history')}*\n${m('none_yet')}`));
  for (const text of entries) blocks.push(section(undefined, clipMrkdwn(text, LIMITS.sectionText)));

  const buttons = [
    button(st(locale, 'btn_edit'), ACTIONS.edit, detail.id),
    button(st(locale, 'btn_add_note'), ACTIONS.addNote, detail.id),
    button(st(locale, 'btn_add_follow_up'), ACTIONS.addFollowUp, detail.id),
    button(st(locale, 'btn_log_call'), ACTIONS.logCall, detail.id),
    button(st(locale, 'btn_more_history'), ACTIONS.moreHistory, detail.id),
    // a deal with them (and their company), prefilled
    button(st(locale, 'btn_deal_new'), ACTIONS.dealNew, JSON.stringify({ contactId: detail.id, ...(detail.company ? { companyId: detail.company.id } : {}) })),
  ];
  if (opts.shareable) buttons.push(button(st(locale, 'btn_share'), ACTIONS.share, detail.id));
  if (url) buttons.push(button(st(locale, 'btn_open_in_rapport'), ACTIONS.openInRapport, detail.id, { url }));
  blocks.push(actions(BLOCKS.contactActions, buttons));

  const text = [name, sub, label(locale, `stage_${detail.stage}`, detail.stage)].filter(Boolean).join(' · ');
  return finish(escapeTruncate(text, FALLBACK_MAX), blocks);
}

/**
 * Several contacts matched: up to 10, each with a Pick button (value: its id),
 * and "and N more" when there were more (total, if the caller knows it).
 * No contacts at all gives noMatchBlocks.
 */
export function contactPickerBlocks(contacts: readonly ContactSummary[], query: string, locale: Locale, total?: number): SlackMessage {
  if (contacts.length === 0) return noMatchBlocks(query, locale);
  const count = Math.max(total ?? 0, contacts.length);
  const shown = contacts.slice(0, PICKER_MAX);
  const summary = mrkdwnEscape(st(locale, 'picker_summary', { count, query: truncate(oneLine(query), 200) }));
  const blocks: KnownBlock[] = [section(BLOCKS.pickerSummary, summary)];
  for (const c of shown) {
    const parts = [c.title, c.company?.name].map((s) => escapeTruncate(oneLine(s ?? ''), 300)).filter(Boolean);
    parts.push(label(locale, `stage_${c.stage}`, c.stage));
    const email = c.emails[0] ? `\n${escapeTruncate(c.emails[0], 320)}` : '';
    const text = `*${escapeTruncate(oneLine(nameWithReading(c.name, c.reading, locale)), 300)}* · ${parts.join(' · ')}${email}`;
    blocks.push(section(undefined, clipMrkdwn(text, LIMITS.sectionText), button(st(locale, 'btn_pick'), ACTIONS.pickContact, c.id)));
  }
  if (count > shown.length) blocks.push(context(BLOCKS.pickerMore, mrkdwnEscape(st(locale, 'and_more', { count: count - shown.length }))));
  return finish(clipMrkdwn(summary, FALLBACK_MAX), blocks);
}

/** Nothing matched query: say so and offer to create a contact (button value: the query). */
export function noMatchBlocks(query: string, locale: Locale): SlackMessage {
  const text = mrkdwnEscape(st(locale, 'no_match', { query: truncate(oneLine(query), 200) }));
  return finish(text, [
    section(BLOCKS.noMatch, text),
    actions(BLOCKS.noMatchActions, [button(st(locale, 'btn_create_contact'), ACTIONS.createContact, query, { style: 'primary' })]),
  ]);
}

/** What /crm can do; with unknown, first says that text was not understood. */
export function helpBlocks(locale: Locale, opts: { unknown?: string } = {}): SlackMessage {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const commands = (
    [
      'help_lookup',
      'help_company',
      'help_help',
      'help_follow_ups',
      'help_digest',
      'help_list',
      'help_stats',
      'help_tidy',
      'help_duplicates',
      'help_deal',
      'help_deals',
      'help_link',
      'help_unlink',
      'help_team',
      'help_tz',
      'help_brief',
      'help_alerts',
      'help_alerts_channel',
      'help_lang',
    ] as const
  ).map((k) => `• ${m(k)}`);
  const blocks: KnownBlock[] = [];
  if (opts.unknown !== undefined) blocks.push(section(undefined, m('help_unknown', { text: truncate(oneLine(opts.unknown), 200) })));
  blocks.push(header(BLOCKS.help, st(locale, 'help_header')));
  blocks.push(section(undefined, commands.join('\n')));
  blocks.push(section(undefined, `• ${m('help_mention')}\n• ${m('help_shortcut')}`));
  return finish(mrkdwnEscape(st(locale, 'help_header')), blocks);
}

/**
 * Open follow-ups, overdue first then by due time, each with Done, Snooze 1
 * day and Snooze 1 week (value: the follow-up's id). Items that are not open
 * are left out; at most 15 are listed, then "and N more".
 */
export function followUpListBlocks(items: readonly FollowUpData[], opts: ListOptions): SlackMessage {
  const { locale } = opts;
  const now = Date.parse(opts.now);
  const open = items
    .filter((f) => f.status === 'open')
    .map((f) => ({ f, due: Date.parse(f.dueAt) }))
    .sort((a, b) => {
      const overdue = Number(b.due < now) - Number(a.due < now);
      if (overdue !== 0) return overdue;
      if (Number.isNaN(a.due) !== Number.isNaN(b.due)) return Number.isNaN(a.due) ? 1 : -1;
      return a.due - b.due || (a.f.id < b.f.id ? -1 : a.f.id > b.f.id ? 1 : 0);
    })
    .map(({ f }) => f);

  if (open.length === 0) {
    const none = mrkdwnEscape(st(locale, 'follow_ups_none'));
    return finish(none, [section(BLOCKS.followUpsSummary, none)]);
  }
  const title = st(locale, 'follow_ups_header', { count: open.length });
  const blocks: KnownBlock[] = [header(BLOCKS.followUpsSummary, title)];
  for (const f of open.slice(0, FOLLOW_UPS_MAX)) {
    const company = f.contact.company ? ` · ${escapeTruncate(oneLine(f.contact.company), 300)}` : '';
    const text = `*${escapeTruncate(oneLine(f.contact.name), 300) || '—'}*${company}\n${dueLine(f.dueAt, f.note ?? undefined, opts)}`;
    blocks.push(section(followUpBlockId(BLOCKS.followUpItem, f.id), clipMrkdwn(text, LIMITS.sectionText)));
    blocks.push(
      actions(followUpBlockId(BLOCKS.followUpActions, f.id), [
        button(st(locale, 'btn_done'), ACTIONS.followUpDone, f.id, { style: 'primary' }),
        button(st(locale, 'btn_snooze_1d'), ACTIONS.followUpSnooze1d, f.id),
        button(st(locale, 'btn_snooze_1w'), ACTIONS.followUpSnooze1w, f.id),
      ]),
    );
  }
  if (open.length > FOLLOW_UPS_MAX) {
    blocks.push(context(BLOCKS.followUpsMore, mrkdwnEscape(st(locale, 'and_more', { count: open.length - FOLLOW_UPS_MAX }))));
  }
  return finish(escapeTruncate(title, FALLBACK_MAX), blocks);
}

/** "Something went wrong: {reason}. Nothing was saved." with reason escaped. */
export function errorBlocks(locale: Locale, reason: string): SlackMessage {
  const text = escapeTruncate(st(locale, 'failure', { reason: truncate(reason, 2000) }), LIMITS.sectionText - 12);
  return finish(text, [section(BLOCKS.error, `:warning: ${text}`)]);
}

// ---------------------------------------------------------------- pieces

function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text, blocks };
}

function header(blockId: string | undefined, text: string): HeaderBlock {
  return {
    type: 'header',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

function section(blockId: string | undefined, mrkdwn: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

function context(blockId: string | undefined, mrkdwn: string): ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }],
  };
}

function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

function button(text: string, actionId: string, value: string, extra: { url?: string; style?: 'primary' | 'danger' } = {}): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value: truncate(value, LIMITS.buttonValue),
    ...(extra.url ? { url: extra.url } : {}),
    ...(extra.style ? { style: extra.style } : {}),
  };
}

function contactUrl(publicUrl: string | undefined, id: string): string | undefined {
  if (!publicUrl) return undefined;
  const url = `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(id)}`;
  return url.length <= LIMITS.url ? url : undefined;
}

/** ':warning: *overdue* · due tomorrow (…) · note', escaped. */
function dueLine(dueAt: string, note: string | undefined, opts: ListOptions): string {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(opts.locale, key, params));
  const overdue = Date.parse(dueAt) < Date.parse(opts.now) ? `:warning: *${m('overdue')}* · ` : '';
  const noteText = note ? ` · ${escapeTruncate(oneLine(note), NOTE_MAX)}` : '';
  return `${overdue}${m('due', { when: when(dueAt, opts) })}${noteText}`;
}

/** Whether a timeline entry is a private interaction (seen by its author and their managers only). */
export function isPrivateEntry(entry: unknown): boolean {
  const e = record(entry);
  return str(e?.type) === 'interaction' && str(record(e?.interaction)?.visibility) !== 'workspace';
}

/**
 * Who brought an interaction into Rapport, escaped: 'logged by Sam Carter,
 * Kenji Ito +1' (two names, then how many more); '' when no one did (a
 * capture by an integration) or the list is missing.
 */
function capturedByText(capturedBy: unknown, locale: Locale): string {
  const names = [
    ...new Set(
      (Array.isArray(capturedBy) ? capturedBy : [])
        .map((c) => str(record(record(c)?.member)?.name))
        .filter((n): n is string => Boolean(n))
        .map((n) => oneLine(n)),
    ),
  ];
  if (!names.length) return '';
  const shown = names
    .slice(0, 2)
    .map((n) => truncate(n, 60))
    .join(', ');
  const more = names.length > 2 ? ` +${names.length - 2}` : '';
  return mrkdwnEscape(st(locale, 'captured_by', { names: `${shown}${more}` }));
}

/** One timeline entry as mrkdwn, or undefined for a kind we do not show. */
export function timelineText(entry: unknown, opts: ListOptions): string | undefined {
  const { locale } = opts;
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const e = record(entry);
  const type = str(e?.type);
  if (type === 'interaction') {
    const i = record(e?.interaction);
    if (!i) return undefined;
    const kind = str(i.kind) ?? '';
    const subject = oneLine(str(i.subject) ?? '');
    const snippet = oneLine(str(i.snippet) ?? str(i.body) ?? '');
    const titleText = subject ? escapeTruncate(subject, SUBJECT_MAX) : snippet ? escapeTruncate(snippet, SUBJECT_MAX) : m('no_subject');
    const direction = str(i.direction) ?? '';
    const meta = [
      mrkdwnEscape(formatDate(str(i.occurredAt) ?? str(e?.at) ?? '', locale, opts.timeZone)),
      kind ? label(locale, `kind_${kind}`, kind) : '',
      direction ? label(locale, `direction_${direction}`, direction) : '',
      capturedByText(i.capturedBy, locale),
    ].filter(Boolean);
    const body = subject && snippet ? `\n${escapeTruncate(snippet, SNIPPET_MAX)}` : '';
    return `${KIND_ICONS[kind] ?? ':small_blue_diamond:'} *${titleText}*\n${meta.join(' · ')}${body}`;
  }
  if (type === 'follow_up') {
    const f = record(e?.followUp);
    const dueAt = str(f?.dueAt);
    if (!dueAt) return undefined;
    const note = str(f?.note);
    const noteText = note ? `\n${escapeTruncate(oneLine(note), NOTE_MAX)}` : '';
    return `${KIND_ICONS.follow_up} *${m('timeline_follow_up', { when: formatDate(dueAt, locale, opts.timeZone) })}*\n${mrkdwnEscape(
      formatDate(str(e?.at) ?? '', locale, opts.timeZone),
    )}${noteText}`;
  }
  if (type === 'change') {
    const c = record(e?.change);
    const actor = truncate(oneLine(str(record(c?.actor)?.name) ?? ''), 200) || st(locale, 'actor_automatic');
    const key = str(c?.action) === 'create' ? 'timeline_created' : 'timeline_changed';
    return `${KIND_ICONS.change} ${m(key, { actor })}\n${mrkdwnEscape(formatDate(str(e?.at) ?? '', locale, opts.timeZone))}`;
  }
  return undefined;
}
