import type { ActionsBlock, Button, ConfirmationDialog, KnownBlock } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { context, header, msg, name, oneLine, section } from '../digest/pieces.js';
import { escapeTruncate, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { LIMITS } from '../limits.js';
import { when } from '../block-text.js';
import type { CapturePart, CaptureRefusal, MailboxCounts, MailboxRow, MailboxState, MailboxStatus } from './types.js';

/**
 * The Home tab's Email capture part (every member) and Mailboxes part (an
 * admin): pure builders over GET /api/me/capture, GET /api/me/mailbox and
 * GET /api/mailboxes. Stored text (addresses, subjects, errors) is escaped.
 */

type Where = { locale: Locale; timeZone: string; now: string };

/** Refusals shown at most; the backend keeps the latest 20. */
export const REFUSALS_SHOWN = 3;
/** Mailboxes per section and sections at most in the admin's part. */
const MAILBOXES_PER_SECTION = 3;
const MAILBOX_SECTIONS = 6;
/** States that ask for someone to act, listed first. */
const TROUBLE: readonly MailboxState[] = ['reconnect', 'failed', 'paused'];
const STATE_ICONS: Record<MailboxState, string> = {
  off: ':white_circle:',
  importing: ':hourglass_flowing_sand:',
  active: ':large_green_circle:',
  paused: ':double_vertical_bar:',
  reconnect: ':warning:',
  failed: ':red_circle:',
};

/** Header, the address with how to use it and New address, the latest refusals, then Gmail sync. */
export function emailCaptureBlocks(part: CapturePart, where: Where): KnownBlock[] {
  const m = msg(where.locale);
  const { capture } = part;
  const blocks: KnownBlock[] = [header(st(where.locale, 'capture_header'))];
  if (capture.address) {
    const rotated = capture.rotatedAt ? `\n${m('capture_rotated', { when: when(capture.rotatedAt, where) })}` : '';
    blocks.push(section(`:incoming_envelope: ${m('capture_address', { address: capture.address })}\n${m('capture_how')}${rotated}`, BLOCKS.captureAddress));
    blocks.push(actions(BLOCKS.captureActions, [rotateButton(where.locale)]));
  } else {
    blocks.push(section(`:incoming_envelope: ${m('capture_unset')}`, BLOCKS.captureAddress));
  }
  const refusals = capture.recentRefusals ?? [];
  if (refusals.length > 0) {
    const lines = refusals.slice(0, REFUSALS_SHOWN).map((r) => `• ${refusalLine(r, where)}`);
    blocks.push(context(`:no_entry_sign: ${m('capture_refusals')}\n${lines.join('\n')}`));
  }
  if (part.gmail) blocks.push(...gmailBlocks(part.gmail, where));
  return blocks;
}

/** '2 days ago (…): from x@y, “Quote”: not sent from one of your addresses', escaped. */
function refusalLine(r: CaptureRefusal, where: Where): string {
  const m = msg(where.locale);
  return m('capture_refusal', {
    when: when(r.at, where),
    from: truncate(oneLine(r.from ?? st(where.locale, 'capture_unknown_sender')), 200),
    subject: truncate(oneLine(r.subject ?? st(where.locale, 'no_subject')), 200),
    reason: st(where.locale, `capture_refused_${r.reason}` as SlackMessageKey),
  });
}

/** Gmail sync: nothing when the server has none; its status and Connect, Reconnect or Disconnect. */
function gmailBlocks(gmail: NonNullable<CapturePart['gmail']>, where: Where): KnownBlock[] {
  const m = msg(where.locale);
  if (!gmail.ok) return [section(`:warning: ${m('home_load_failed', { reason: truncate(gmail.reason, 2000) })}`, BLOCKS.gmailStatus)];
  const { status, authorizeUrl } = gmail;
  if (!status.available) return [];
  const url = usableUrl(authorizeUrl);
  if (!status.connected) {
    const about = m('gmail_off_about', { policy: st(where.locale, `gmail_policy_${status.policy}`) });
    const calendar = status.calendar.enabled ? `\n:calendar: ${m('calendar_with_gmail')}` : '';
    const blocks: KnownBlock[] = [
      section(`:email: ${m('gmail_line', { status: st(where.locale, 'gmail_status_off') })}\n${about}${calendar}`, BLOCKS.gmailStatus),
    ];
    const buttons: Button[] = url ? [linkButton(st(where.locale, 'gmail_btn_connect'), ACTIONS.gmailConnect, url, true)] : [];
    // Connect asks for the calendar too while it is wanted; once connected, Stop calendar sync turns it off
    if (!status.calendar.enabled) buttons.push(calendarToggle(where.locale, false));
    if (buttons.length > 0) blocks.push(actions(BLOCKS.gmailActions, buttons));
    return blocks;
  }
  const lines = [statusLine(status, where)];
  lines.push(syncLine(status, where));
  lines.push(m('gmail_skipped', status.counts.skipped));
  if (status.status === 'reconnect') lines.push(`:warning: *${m('gmail_reconnect_about')}*`);
  if (status.lastError) lines.push(`:warning: ${m('gmail_error', { error: truncate(oneLine(status.lastError), 500) })}`);
  lines.push(calendarLine(status.calendar, where));
  const buttons: Button[] = [];
  if (status.status === 'reconnect' && url) buttons.push(linkButton(st(where.locale, 'gmail_btn_reconnect'), ACTIONS.gmailReconnect, url, true));
  const calendarUrl = usableUrl(gmail.calendarUrl);
  if (calendarUrl) buttons.push(linkButton(st(where.locale, 'calendar_btn_connect'), ACTIONS.calendarConnect, calendarUrl, true));
  buttons.push(disconnectButton(where.locale, status.address));
  buttons.push(calendarToggle(where.locale, status.calendar.enabled));
  return [section(lines.join('\n'), BLOCKS.gmailStatus), actions(BLOCKS.gmailActions, buttons)];
}

/** ':calendar: Google Calendar: syncing · 12 meetings captured', or why it is not, escaped. */
function calendarLine(c: MailboxStatus['calendar'], where: Where): string {
  const m = msg(where.locale);
  if (!c.enabled) return `:calendar: ${m('calendar_off')}`;
  if (!c.granted) return `:calendar: ${m('calendar_needs_consent')}`;
  const line = `:calendar: ${m('calendar_line', { status: st(where.locale, `gmail_status_${c.status}`), captured: c.counts.captured })}`;
  return c.lastError ? `${line}\n:warning: ${m('gmail_error', { error: truncate(oneLine(c.lastError), 500) })}` : line;
}

/** Sync my calendar too, or Stop calendar sync. */
function calendarToggle(locale: Locale, enabled: boolean): Button {
  return {
    type: 'button',
    action_id: enabled ? ACTIONS.calendarOff : ACTIONS.calendarOn,
    text: plain(st(locale, enabled ? 'calendar_btn_off' : 'calendar_btn_on'), LIMITS.buttonText),
    value: enabled ? 'off' : 'on',
  };
}

/** '*Gmail sync* (sam@acme.co): syncing', escaped. */
function statusLine(s: Pick<MailboxStatus, 'status' | 'address'>, where: Where): string {
  const m = msg(where.locale);
  const words = st(where.locale, `gmail_status_${s.status}`);
  const icon = STATE_ICONS[s.status] ?? ':email:';
  return `${icon} ${s.address ? m('gmail_line_address', { address: truncate(oneLine(s.address), 200), status: words }) : m('gmail_line', { status: words })}`;
}

/** 'Last synced today (…) · 120 captured, 45 skipped', escaped. */
function syncLine(s: { lastSyncAt: string | null; counts: MailboxCounts }, where: Where): string {
  const m = msg(where.locale);
  const last = s.lastSyncAt ? m('gmail_last_sync', { when: when(s.lastSyncAt, where) }) : m('gmail_never_synced');
  return `${last} · ${m('gmail_counts', { captured: s.counts.captured, skipped: skippedTotal(s.counts) })}`;
}

export function skippedTotal(c: MailboxCounts): number {
  return Object.values(c.skipped).reduce((a, b) => a + b, 0);
}

/**
 * An admin's Mailboxes part: every connected mailbox, those that need someone
 * to act first (reconnect, failed, paused), each with its member, address,
 * status, last sync and last error; "and K more" past what fits.
 */
export function mailboxesBlocks(items: readonly MailboxRow[], where: Where): KnownBlock[] {
  const m = msg(where.locale);
  const blocks: KnownBlock[] = [header(st(where.locale, 'mailboxes_header', { count: items.length }), BLOCKS.mailboxes)];
  if (items.length === 0) return [...blocks, section(m('mailboxes_none'))];
  const rank = (s: MailboxState) => (TROUBLE.includes(s) ? TROUBLE.indexOf(s) : TROUBLE.length);
  const sorted = [...items].sort((a, b) => rank(a.status) - rank(b.status) || a.member.name.localeCompare(b.member.name));
  const trouble = sorted.filter((i) => TROUBLE.includes(i.status)).length;
  if (trouble > 0) blocks.push(context(`:rotating_light: *${m('mailboxes_attention', { count: trouble })}*`));
  const shown = sorted.slice(0, MAILBOXES_PER_SECTION * MAILBOX_SECTIONS);
  for (let i = 0; i < shown.length; i += MAILBOXES_PER_SECTION) {
    const lines = shown.slice(i, i + MAILBOXES_PER_SECTION).map((row) => mailboxLine(row, where));
    // a line is at most about 750 characters, so three always fit a section's 3,000
    blocks.push(section(lines.join('\n\n')));
  }
  if (sorted.length > shown.length) blocks.push(context(m('and_more', { count: sorted.length - shown.length })));
  return blocks;
}

function mailboxLine(row: MailboxRow, where: Where): string {
  const m = msg(where.locale);
  const who = `*${name(row.member.name, 100) || escapeTruncate(row.member.email, 200)}*`;
  const delegated = row.mode === 'delegated' ? ` · ${m('mailboxes_delegated')}` : '';
  const error = row.lastError ? `\n:warning: ${m('gmail_error', { error: truncate(oneLine(row.lastError), 200) })}` : '';
  const status = statusLine({ status: row.status, address: row.address }, where);
  return `${who}${delegated}\n${status}\n${syncLine(row, where)}${error}`;
}

// ---------------------------------------------------------------- pieces

/** An http(s) link Slack accepts on a button, else undefined. */
function usableUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\/\S+$/i.test(url) && url.length <= LIMITS.url ? url : undefined;
}

function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: truncate(text, max), emoji: true };
}

/** Slack's confirm dialog: title 100, text 300, buttons 30 characters. */
function confirm(locale: Locale, title: SlackMessageKey, text: string, yes: SlackMessageKey): ConfirmationDialog {
  return {
    title: plain(st(locale, title), 100),
    text: plain(text, 300),
    confirm: plain(st(locale, yes), 30),
    deny: plain(st(locale, 'view_cancel'), 30),
    style: 'danger',
  };
}

function rotateButton(locale: Locale): Button {
  return {
    type: 'button',
    action_id: ACTIONS.captureRotate,
    text: plain(st(locale, 'capture_btn_rotate'), LIMITS.buttonText),
    value: 'rotate',
    confirm: confirm(locale, 'capture_rotate_title', st(locale, 'capture_rotate_text'), 'capture_rotate_yes'),
  };
}

function disconnectButton(locale: Locale, address: string | null): Button {
  const text = st(locale, 'gmail_disconnect_text', { address: truncate(address ?? st(locale, 'gmail_this_mailbox'), 100) });
  return {
    type: 'button',
    action_id: ACTIONS.gmailDisconnect,
    text: plain(st(locale, 'gmail_btn_disconnect'), LIMITS.buttonText),
    value: 'disconnect',
    style: 'danger',
    confirm: confirm(locale, 'gmail_disconnect_title', text, 'gmail_disconnect_yes'),
  };
}

/** A button that opens url in the browser; Slack still sends its press, which the listener only acks. */
export function linkButton(text: string, actionId: string, url: string, primary = false): Button {
  return { type: 'button', action_id: actionId, text: plain(text, LIMITS.buttonText), url, ...(primary ? { style: 'primary' as const } : {}) };
}
