/**
 * The universal actions, Settings and Help. The Settings card: the server and who is signed in,
 * the rep's capture address with how to use it, and Gmail sync when the
 * server offers it: Connect Gmail (a link to Google's consent page, asked of
 * POST /api/me/mailbox when the card is built), or its status with Reconnect
 * and Disconnect Gmail, and Google Calendar beside it: its status, Sync my
 * calendar too or Stop calendar sync, and Connect Google Calendar while its
 * consent is missing.
 */
import type { Me } from '../../backend/api-types';
import type { MailboxStatus } from '../../backend/google/schemas';
import type { MeCapture } from '../../backend/me/schemas';
import { api, ApiError } from './api';
import { action, errorCard, para } from './cards';
import { readerOf, type AddonEvent, type Reader } from './event';
import { formatDate, t, type MessageKey } from './i18n';
import { cardText } from './text';

type Card = GoogleAppsScript.Card_Service.Card;

/**
 * Gmail sync as the card shows it: nothing (the server has none), or its
 * status and the consent link, or (connected without the calendar's consent
 * the member asked for) the consent link for the calendar.
 */
type Gmail = { status: MailboxStatus; authorizeUrl?: string; calendarUrl?: string } | null;

const STATES = ['off', 'importing', 'active', 'paused', 'reconnect', 'failed'] as const;
const m = (r: Reader, key: MessageKey, params?: Record<string, unknown>) => t(r.locale, key, params);

/**
 * The mailbox and, when it is not connected or needs reconnecting, Google's
 * consent link. A server without Gmail sync (an older one: 404; nothing
 * configured: available false) shows no Gmail part.
 */
function loadGmail(r: Reader): Gmail {
  let status: MailboxStatus;
  try {
    status = api<MailboxStatus>('GET', '/api/me/mailbox', undefined, r);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not_found') return null;
    throw e;
  }
  if (!status.available) return null;
  // the member asked for their calendar: every consent link asks for it too (asking again changes nothing)
  const ask = status.calendar.enabled ? { calendar: true } : {};
  try {
    if (status.connected && status.status !== 'reconnect') {
      if (!status.calendar.enabled || status.calendar.granted) return { status };
      return { status, calendarUrl: api<{ authorizeUrl: string }>('POST', '/api/me/mailbox', ask, r).authorizeUrl };
    }
    return { status, authorizeUrl: api<{ authorizeUrl: string }>('POST', '/api/me/mailbox', ask, r).authorizeUrl };
  } catch (e) {
    // delegation only (no OAuth client): the Workspace admin turns sync on; there is no link to give
    if (e instanceof ApiError && e.kind === 'conflict') return { status };
    throw e;
  }
}

function labelled(top: string, text: string) {
  return CardService.newDecoratedText().setTopLabel(cardText(top)).setText(cardText(text)).setWrapText(true);
}

/** A button that opens url (Google's consent page) in a new tab. */
function linkButton(text: string, url: string) {
  return CardService.newTextButton()
    .setText(text)
    .setTextButtonStyle(CardService.TextButtonStyle.FILLED)
    .setOpenLink(CardService.newOpenLink().setUrl(url).setOpenAs(CardService.OpenAs.FULL_SIZE).setOnClose(CardService.OnClose.NOTHING));
}

function captureSection(r: Reader, capture: MeCapture) {
  const s = CardService.newCardSection().setHeader(m(r, 'settings_capture_header'));
  if (!capture.address) return s.addWidget(para(m(r, 'settings_capture_unset')));
  return s.addWidget(labelled(m(r, 'settings_capture_address'), capture.address)).addWidget(para(m(r, 'settings_capture_how')));
}

function gmailSection(r: Reader, gmail: NonNullable<Gmail>) {
  const { status, authorizeUrl } = gmail;
  const s = CardService.newCardSection().setHeader(m(r, 'settings_gmail_header'));
  if (!status.connected) {
    s.addWidget(para(m(r, 'settings_gmail_off')));
    if (authorizeUrl) s.addWidget(linkButton(m(r, 'btn_connect_gmail'), authorizeUrl));
    return s;
  }
  const state = (STATES as readonly string[]).includes(status.status) ? m(r, `gmail_status_${status.status}` as MessageKey) : status.status;
  const skipped = Object.values(status.counts.skipped).reduce((a, b) => a + b, 0);
  const last = status.lastSyncAt ? m(r, 'gmail_last_sync', { date: formatDate(status.lastSyncAt, r.locale, r.timeZone) }) : m(r, 'gmail_never_synced');
  s.addWidget(labelled(m(r, 'settings_gmail_status'), status.address ? `${state} · ${status.address}` : state));
  s.addWidget(para(`${last} · ${m(r, 'gmail_counts', { captured: status.counts.captured, skipped })}`));
  if (status.status === 'reconnect') s.addWidget(para(`⚠️ ${m(r, 'gmail_reconnect_about')}`));
  if (status.lastError) s.addWidget(para(`⚠️ ${m(r, 'gmail_error', { error: status.lastError })}`));
  s.addWidget(para(calendarLine(r, status.calendar)));
  const buttons = CardService.newButtonSet();
  if (status.status === 'reconnect' && authorizeUrl) buttons.addButton(linkButton(m(r, 'btn_reconnect_gmail'), authorizeUrl));
  if (gmail.calendarUrl) buttons.addButton(linkButton(m(r, 'btn_calendar_connect'), gmail.calendarUrl));
  const toggle = status.calendar.enabled ? 'calendarOff' : 'calendarOn';
  buttons.addButton(
    CardService.newTextButton()
      .setText(m(r, `btn_${toggle === 'calendarOn' ? 'calendar_on' : 'calendar_off'}`))
      .setOnClickAction(action(toggle)),
  );
  buttons.addButton(CardService.newTextButton().setText(m(r, 'btn_disconnect_gmail')).setOnClickAction(action('disconnectGmail')));
  return s.addWidget(buttons);
}

/** 'Google Calendar: Syncing · 12 meetings captured', or why it is not synced. */
function calendarLine(r: Reader, c: MailboxStatus['calendar']): string {
  if (!c.enabled) return m(r, 'calendar_off');
  if (!c.granted) return m(r, 'calendar_needs_consent');
  const state = (STATES as readonly string[]).includes(c.status) ? m(r, `gmail_status_${c.status}` as MessageKey) : c.status;
  const line = m(r, 'calendar_line', { status: state, captured: c.counts.captured });
  return c.lastError ? `${line}\n⚠️ ${m(r, 'gmail_error', { error: c.lastError })}` : line;
}

/** The whole Settings card, from the backend's answers. */
export function settingsCard(r: Reader): Card {
  const who = api<Me>('GET', '/api/me', undefined, r).member;
  const capture = api<MeCapture>('GET', '/api/me/capture', undefined, r);
  // Gmail sync failing to answer still leaves the address and who is signed in on the card
  let gmail: Gmail = null;
  let gmailFailed = '';
  try {
    gmail = loadGmail(r);
  } catch (e) {
    gmailFailed = e instanceof ApiError ? e.message : String((e as Error)?.message ?? e).slice(0, 200);
  }
  const s = CardService.newCardSection().addWidget(
    para(m(r, 'settings_server', { url: PropertiesService.getScriptProperties().getProperty('RAPPORT_PUBLIC_URL') || '(build)' })),
  );
  // a Google ID token is always a member's (only a scheduler calls as no one)
  if (who) s.addWidget(para(m(r, 'settings_member', { name: who.name, email: who.email, role: who.role, locale: r.locale, timeZone: r.timeZone })));
  const card = CardService.newCardBuilder()
    .setName('settings')
    .setHeader(CardService.newCardHeader().setTitle(m(r, 'settings_title')))
    .addSection(s)
    .addSection(captureSection(r, capture));
  if (gmail) card.addSection(gmailSection(r, gmail));
  if (gmailFailed) {
    card.addSection(
      CardService.newCardSection()
        .setHeader(m(r, 'settings_gmail_header'))
        .addWidget(para(`⚠️ ${m(r, 'err_unavailable_body', { reason: gmailFailed })}`)),
    );
  }
  return card.build();
}

/** What went wrong, as the error card for it (Retry opens the homepage again). */
function failed(r: Reader, e: unknown): Card {
  if (e instanceof ApiError && (e.kind === 'access' || e.kind === 'config')) {
    return errorCard(r, e.kind, e.message, { fn: 'retryHome' }, Session.getActiveUser().getEmail());
  }
  const reason = e instanceof ApiError ? e.message : String((e as Error)?.message ?? e).slice(0, 200);
  console.error(`[rapport] settings: ${reason}`);
  return errorCard(r, 'unavailable', reason, { fn: 'retryHome' });
}

function universal(card: Card) {
  return CardService.newUniversalActionResponseBuilder().displayAddOnCards([card]).build();
}

export function onSettings(e: AddonEvent) {
  const r = readerOf(e);
  try {
    return universal(settingsCard(r));
  } catch (err) {
    return universal(failed(r, err));
  }
}

export function onHelp(e: AddonEvent) {
  const r = readerOf(e);
  const s = CardService.newCardSection().addWidget(para(m(r, 'help_body')));
  return universal(
    CardService.newCardBuilder()
      .setName('help')
      .setHeader(CardService.newCardHeader().setTitle(m(r, 'help_title')))
      .addSection(s)
      .build(),
  );
}

/** A change to Gmail sync, then the Settings card redrawn with what it did said, or the error card. */
function changeSync(e: AddonEvent, change: (r: Reader) => void, said: MessageKey) {
  const r = readerOf(e);
  let card: Card;
  let note: string | undefined;
  try {
    change(r);
    note = m(r, said);
    card = settingsCard(r);
  } catch (err) {
    card = failed(r, err);
  }
  const b = CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().updateCard(card));
  if (note) b.setNotification(CardService.newNotification().setText(note));
  return b.build();
}

/** Disconnect Gmail: Rapport stops reading the mailbox; what it captured stays. The card is redrawn. */
export function disconnectGmail(e: AddonEvent) {
  return changeSync(e, (r) => api('DELETE', '/api/me/mailbox', undefined, r), 'gmail_disconnected');
}

/** Sync my calendar too: on with the mailbox (the redrawn card links to Google's consent when it still lacks the scope). */
export function calendarOn(e: AddonEvent) {
  return changeSync(e, (r) => api('PATCH', '/api/me/mailbox', { calendar: true }, r), 'calendar_turned_on');
}

/** Stop calendar sync: meetings already captured stay. */
export function calendarOff(e: AddonEvent) {
  return changeSync(e, (r) => api('PATCH', '/api/me/mailbox', { calendar: false }, r), 'calendar_turned_off');
}
