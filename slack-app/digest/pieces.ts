import type { ContextBlock, HeaderBlock, SectionBlock } from '@slack/types';
import { INTL_LOCALE, type Locale } from '../../backend/i18n/vocabulary.js';
import { nameWithReading } from '../../backend/i18n/name-reading.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, relativeDay, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { LIMITS } from '../limits.js';

/** Small Block Kit pieces the digest's builders share. Text in is mrkdwn already escaped unless said otherwise. */

export type Reader = { locale: Locale; timeZone: string; now: string; publicUrl?: string };

/** A catalogue sentence, filled and escaped. */
export const msg = (locale: Locale) => (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));

export function header(text: string, blockId?: string): HeaderBlock {
  return {
    type: 'header',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

export function section(mrkdwn: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
  };
}

export function context(mrkdwn: string, blockId?: string): ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }],
  };
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A person's or company's name, escaped, on one line. */
export function name(s: string | null | undefined, max = 200): string {
  return escapeTruncate(oneLine(s ?? ''), max);
}

/**
 * A contact's escaped name, linking to it in Rapport when there is a public URL;
 * with its reading beside it for a reader of another language (nameWithReading).
 *   contactLink({ id: 'c1', name: 'Jane' }, 'https://r.example') = '<https://r.example/c/c1|Jane>'
 */
export function contactLink(c: { id: string; name: string; reading?: string | null }, publicUrl: string | undefined, locale?: Locale): string {
  const text = name(locale ? nameWithReading(c.name, c.reading, locale) : c.name, 200) || '—';
  if (!publicUrl || !/^https?:\/\/[^\s]+$/i.test(publicUrl)) return text;
  const url = `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(c.id)}`;
  const safe = url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
  return `<${safe}|${text}>`;
}

/**
 * A calendar date (YYYY-MM-DD) as the reader writes it, with its weekday; not escaped.
 *   localDateLabel('2026-11-24', 'en') = 'Tue, Nov 24'
 *   localDateLabel('2026-11-24', 'ja') = '11月24日(火)'
 */
export function localDateLabel(localDate: string, locale: Locale): string {
  const [y, m, d] = localDate.split('-').map(Number);
  if (!y || !m || !d) return localDate;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone: 'UTC',
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(Date.UTC(y, m - 1, d));
}

/** 'tomorrow (Wed, Nov 25, 2026, 9:00 AM)': not escaped. */
export function when(iso: string, r: Reader): string {
  const relative = relativeDay(iso, r.now, r.locale, r.timeZone);
  const date = formatDate(iso, r.locale, r.timeZone);
  return relative ? st(r.locale, 'when', { relative, date }) : date;
}

/** '3 days ago', or the date when there is no relative form: not escaped. */
export function shortWhen(iso: string, r: Reader): string {
  return relativeDay(iso, r.now, r.locale, r.timeZone) || formatDate(iso, r.locale, r.timeZone);
}

/**
 * A title and as many lines as fit in one section, then "…and N more" for the
 * rest of total (lines already shown elsewhere are counted in shownElsewhere).
 */
export function listText(title: string, lines: readonly string[], total: number, locale: Locale, shownElsewhere = 0): string {
  const budget = LIMITS.sectionText - 80;
  const out = title ? [title] : [];
  let length = title.length;
  let listed = 0;
  for (const line of lines) {
    if (length + 1 + line.length > budget) break;
    out.push(line);
    length += 1 + line.length;
    listed += 1;
  }
  const more = total - shownElsewhere - listed;
  if (more > 0) out.push(msg(locale)('and_more', { count: more }));
  return out.join('\n');
}
