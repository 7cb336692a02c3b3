/** What the add-on reads from the event object Gmail passes to every trigger and action. */
import { pickLocale, type Locale } from './i18n';

export type AddonEvent = GoogleAppsScript.Addons.EventObject & {
  commonEventObject?: {
    userLocale?: string;
    timeZone?: { id?: string };
    parameters?: Record<string, string>;
    formInputs?: Record<string, { stringInputs?: { value?: string[] }; dateInput?: { msSinceEpoch?: number | string } }>;
  };
  gmail?: { messageId?: string; threadId?: string; accessToken?: string };
};

export interface Reader {
  locale: Locale;
  timeZone: string;
}

export function readerOf(e: AddonEvent): Reader {
  const legacy = e as unknown as { userLocale?: string; userTimezone?: { id?: string } };
  let timeZone = e.commonEventObject?.timeZone?.id ?? legacy.userTimezone?.id ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    timeZone = 'UTC';
  }
  return { locale: pickLocale(e.commonEventObject?.userLocale ?? legacy.userLocale), timeZone };
}

export function param(e: AddonEvent, name: string): string {
  return e.commonEventObject?.parameters?.[name] ?? (e as unknown as { parameters?: Record<string, string> }).parameters?.[name] ?? '';
}

/** A text input's value, trimmed ('' when empty). */
export function input(e: AddonEvent, name: string): string {
  return (e.commonEventObject?.formInputs?.[name]?.stringInputs?.value?.[0] ?? '').trim();
}

/** A date picker's value as YYYY-MM-DD (the picker gives midnight UTC of the day picked), or ''. */
export function dateInput(e: AddonEvent, name: string): string {
  const ms = Number(e.commonEventObject?.formInputs?.[name]?.dateInput?.msSinceEpoch);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().slice(0, 10) : '';
}

/** The open message's id, with the access token that lets GmailApp read it. */
export function openMessageId(e: AddonEvent): string | undefined {
  const id = e.gmail?.messageId ?? (e as unknown as { messageMetadata?: { messageId?: string } }).messageMetadata?.messageId;
  const token = e.gmail?.accessToken ?? (e as unknown as { messageMetadata?: { accessToken?: string } }).messageMetadata?.accessToken;
  if (id && token) GmailApp.setCurrentMessageAccessToken(token);
  return id;
}

/**
 * 09:00 (or hour:minute) on day in timeZone, as an ISO instant.
 *   zonedTime('2026-12-01', 9, 0, 'Asia/Tokyo') = '2026-12-01T00:00:00.000Z'
 */
export function zonedTime(day: string, hour: number, minute: number, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(ms);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - ms;
  };
  let utc = wall - offsetAt(wall);
  utc = wall - offsetAt(utc);
  return new Date(utc).toISOString();
}
