import { escapeText } from '../backend/html.js';
import { INTL_LOCALE, type Locale } from '../backend/i18n/vocabulary.js';
import { formatDate, safeTimeZone } from '../backend/i18n/dates.js';

export { formatDate, safeTimeZone };

const ZWJ = '\u200d';

/**
 * Text that Slack shows as typed and that cannot link or ping: `&`, `<`, `>`
 * become entities (so `<!channel>`, `<@U123>` and `<http://x|y>` stay literal),
 * and a zero-width joiner after '@' keeps @channel, @here and @everyone inert
 * even where Slack would parse bare names. Emphasis characters (*, _, ~, `)
 * have no escape in mrkdwn and are left alone.
 *   mrkdwnEscape('Q&A <!here> @channel') = 'Q&amp;A &lt;!here&gt; @\u200dchannel'
 */
export function mrkdwnEscape(text: string): string {
  return (
    escapeText(text)
      // not after a word character: 'ops@here.example' is an address, not a ping
      .replace(/(?<![\p{L}\p{N}_.+-])[@＠](?=(channel|here|everyone)\b)/giu, (at) => at + ZWJ)
  );
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * text cut to at most max UTF-16 code units (Slack's counting is never more
 * generous), ending in '…' when cut. Never splits a surrogate pair or a
 * grapheme (an emoji with its modifiers, a letter with its accents).
 *   truncate('Hello 👋🏽 world', 8) = 'Hello …'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - 1;
  // only look at the graphemes near the cut: a body can be 200,000 characters
  const from = Math.max(0, cut - 32);
  let end = from;
  for (const { index, segment } of graphemes.segment(text.slice(from, cut + 32))) {
    if (from + index + segment.length > cut) break;
    end = from + index + segment.length;
  }
  cut = end;
  if (cut > 0 && /[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * mrkdwnEscape then truncate, without leaving half an entity ('&am…') behind.
 *   escapeTruncate('a & b & c', 8) = 'a &amp;…'
 */
export function escapeTruncate(text: string, max: number): string {
  return clipMrkdwn(mrkdwnEscape(text), max);
}

/**
 * Already-escaped mrkdwn cut to max, dropping an entity the cut went through.
 *   clipMrkdwn('a &amp; b', 5) = 'a …'
 */
export function clipMrkdwn(mrkdwn: string, max: number): string {
  const cut = truncate(mrkdwn, max);
  if (cut === mrkdwn) return cut;
  return cut.replace(/&[a-z]*…$/, '…');
}

/** Days since 1970-01-01 of the calendar date at t in timeZone. */
function dayNumber(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(t);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000;
}

/**
 * How many calendar days (in timeZone) iso lies from now, in words. Calendar
 * days, not 24-hour spans: 23:00 yesterday is 'yesterday'. '' for an
 * unparsable iso.
 *   relativeDay('2026-11-25T16:00:00Z', '2026-11-24T23:00:00Z', 'en', 'Asia/Tokyo') = 'tomorrow'
 *   relativeDay('2026-11-20T01:00:00Z', '2026-11-24T01:00:00Z', 'ja', 'Asia/Tokyo') = '4 日前'
 */
export function relativeDay(iso: string, nowIso: string, locale: Locale, timeZone: string): string {
  const t = Date.parse(iso);
  const now = Date.parse(nowIso);
  if (Number.isNaN(t) || Number.isNaN(now)) return '';
  const tz = safeTimeZone(timeZone);
  const days = Math.round(dayNumber(t, tz) - dayNumber(now, tz));
  return new Intl.RelativeTimeFormat(INTL_LOCALE[locale], { numeric: 'auto' }).format(days, 'day');
}
