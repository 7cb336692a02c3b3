/** Pieces of mrkdwn text that the Slack app's block builders share. */
import type { Locale } from '../backend/i18n/vocabulary.js';
import { formatDate, mrkdwnEscape, relativeDay } from './format.js';
import { isSlackMessageKey, st } from './i18n/index.js';

/**
 * '<url|text>' for an http(s) url, else text alone; text is mrkdwn already
 * escaped. The url's own '&', '<', '>', '|' are escaped so it cannot end the link early.
 *   link('https://x.example/?a=1&b=2', 'Jane') = '<https://x.example/?a=1&amp;b=2|Jane>'
 */
export function link(url: string, text: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url) || url.length > 1000) return text;
  const safe = url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
  return `<${safe}|${text}>`;
}

/** 'tomorrow (Wed, Nov 25, 2026, 9:00 AM)': not escaped. */
export function when(iso: string, opts: { locale: Locale; timeZone: string; now: string }): string {
  const relative = relativeDay(iso, opts.now, opts.locale, opts.timeZone);
  const date = formatDate(iso, opts.locale, opts.timeZone);
  return relative ? st(opts.locale, 'when', { relative, date }) : date;
}

/** A catalogue label if there is one ('stage_lead' → 'Lead'), else the raw value, escaped. */
export function label(locale: Locale, key: string, raw: string): string {
  return mrkdwnEscape(isSlackMessageKey(key) ? st(locale, key) : raw);
}

/** Runs of white space, line breaks included, as one space: oneLine(' a\n b ') = 'a b' */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
