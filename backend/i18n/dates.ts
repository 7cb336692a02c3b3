import { INTL_LOCALE, type Locale } from './vocabulary.js';

/** Dates as each surface's reader writes them (Slack, the web companion); pure, so every surface imports it. */

/** timeZone when Intl knows it, else 'UTC'. */
export function safeTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    // a card in UTC beats no card: Slack's tz names are IANA, so this is rare
    return 'UTC';
  }
}

/**
 * A moment as the reader would write it, in their time zone. An unparsable iso
 * comes back unchanged; an unknown time zone falls back to UTC.
 *   formatDate('2026-11-24T00:00:00Z', 'ja', 'Asia/Tokyo') = '2026年11月24日(火) 9:00'
 *   formatDate('2026-11-24T00:00:00Z', 'en', 'Asia/Tokyo') = 'Tue, Nov 24, 2026, 9:00 AM'
 *   formatDate('2026-11-24T00:00:00Z', 'zh', 'Asia/Tokyo') = '2026年11月24日周二 9:00'
 */
export function formatDate(iso: string, locale: Locale, timeZone: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return dateFormat(locale, timeZone).format(t);
}

/**
 * One formatter a language and zone, made once: making one costs ~0.7 ms,
 * which a page of 150 dates would otherwise pay 150 times.
 */
const FORMATS = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      timeZone: safeTimeZone(timeZone),
      year: 'numeric',
      month: locale === 'en' ? 'short' : 'long',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
    });
    // zones are a few hundred names at most, but a hostile one is a new key each time
    if (FORMATS.size >= 1000) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
}
