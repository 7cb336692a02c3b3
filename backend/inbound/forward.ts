/**
 * A forwarded message inside a plain-text body: the header block Gmail,
 * Outlook and Apple Mail write above the original, in English, Japanese and
 * Chinese, and the original's own text below it.
 */
import { type Addr, parseAddresses } from '../mail-text.js';

export interface Forwarded {
  from: Addr | null;
  to: Addr[];
  cc: Addr[];
  subject: string | null;
  /** as written ("Thu, Nov 20, 2026 at 10:00 AM", "2026年11月20日 10:00"); see forwardedDate */
  date: string | null;
  messageId: string | null;
  /** the original's text, untrimmed */
  body: string;
}

/** Fwd:, FW:, 転送:, 转发: and their full-width colons, once or repeated. */
export const FORWARD_SUBJECT = /^\s*(?:(?:fwd?|fw|転送|转发|轉寄)\s*[:：]\s*)+/i;

// the line a mail program writes above the forwarded header block
const MARKER =
  /^(?:-{2,}\s*(?:Forwarded message|転送されたメッセージ|转发的邮件|Original Message|元のメッセージ|原始邮件)\s*-{2,}|Begin forwarded message:|転送されたメッセージ[:：]?|以下是转发的邮件[:：]?|_{10,})\s*$/i;
const LABELS: Record<string, keyof Omit<Forwarded, 'body'>> = {
  from: 'from',
  差出人: 'from',
  送信者: 'from',
  发件人: 'from',
  寄件者: 'from',
  寄件人: 'from',
  date: 'date',
  sent: 'date',
  送信日時: 'date',
  日付: 'date',
  日時: 'date',
  发送时间: 'date',
  日期: 'date',
  时间: 'date',
  subject: 'subject',
  件名: 'subject',
  主题: 'subject',
  主旨: 'subject',
  to: 'to',
  宛先: 'to',
  收件人: 'to',
  cc: 'cc',
  抄送: 'cc',
  副本: 'cc',
  'message-id': 'messageId',
};
const HEADER_LINE = /^\s*(?:\*\s*)?([A-Za-z-]+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+)\s*[:：]\s*(?:\*\s*)?(.*)$/u;

/**
 * The forwarded original in a body, or null when there is none: a marker line
 * (or an Outlook "From:" line followed by "Sent:") and then "Label: value"
 * lines up to a blank line.
 *   parseForwarded('hi\n---------- Forwarded message ---------\nFrom: Jane <jane@acme.example>\nDate: Thu, Nov 20, 2026 at 10:00 AM\nSubject: Price\nTo: <rep@ws.example>\n\nHello')
 *     = { from: { email: 'jane@acme.example', name: 'Jane' }, to: [{ email: 'rep@ws.example' }], cc: [], subject: 'Price', date: 'Thu, Nov 20, 2026 at 10:00 AM', messageId: null, body: 'Hello' }
 */
export function parseForwarded(text: string): Forwarded | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^>\s?/, '').trim();
    let start = -1;
    if (MARKER.test(line)) {
      start = i + 1;
      while (start < lines.length && lines[start]!.trim() === '') start++;
    } else if (labelOf(line) === 'from' && lines.slice(i + 1, i + 5).some((l) => labelOf(l.trim()) === 'date')) {
      start = i;
    }
    if (start < 0) continue;
    const found = headerBlock(lines, start);
    if (found) return found;
  }
  return null;
}

function labelOf(line: string): keyof Omit<Forwarded, 'body'> | undefined {
  const m = line.match(HEADER_LINE);
  return m ? LABELS[m[1]!.toLowerCase()] : undefined;
}

function headerBlock(lines: string[], start: number): Forwarded | null {
  const out: Forwarded = { from: null, to: [], cc: [], subject: null, date: null, messageId: null, body: '' };
  let i = start;
  let seen = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/^>\s?/, '').trim();
    if (line === '') break;
    const m = line.match(HEADER_LINE);
    const label = m ? LABELS[m[1]!.toLowerCase()] : undefined;
    if (!m || !label) {
      // a long To: wrapped onto the next line
      if (seen && /@/.test(line)) continue;
      break;
    }
    seen++;
    const value = m[2]!.trim();
    if (label === 'from') out.from = addresses(value)[0] ?? null;
    else if (label === 'to' || label === 'cc')
      out[label] = addresses(
        lines
          .slice(i, i + 1 + wrapped(lines, i))
          .join(', ')
          .replace(HEADER_LINE, '$2'),
      );
    else if (label === 'messageId') out.messageId = value || null;
    else out[label] = value || null;
  }
  if (!out.from) return null;
  out.body = lines
    .slice(i)
    .map((l) => l.replace(/^>\s?/, ''))
    .join('\n')
    .replace(/^\s*\n/, '');
  return out;
}

/** The continuation lines of the header at i: lines holding an address but no label. */
function wrapped(lines: string[], i: number): number {
  let n = 0;
  while (i + n + 1 < lines.length) {
    const next = lines[i + n + 1]!.trim();
    if (next === '' || labelOf(next) || !/@/.test(next)) break;
    n++;
  }
  return n;
}

/** Outlook writes "Jane <mailto:jane@x>" or "Jane [mailto:jane@x]"; Gmail "Jane <jane@x>". */
function addresses(value: string): Addr[] {
  return parseAddresses(value.replace(/\[mailto:([^\]]+)\]/gi, '<$1>').replace(/<mailto:/gi, '<'));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A forwarded header's date as an ISO time, or null. The zone is the one
 * written, else `offset` (the forward's own, "+0900"), else UTC.
 *   forwardedDate('Thu, Nov 20, 2026 at 10:00 AM', '+0900') = '2026-11-20T01:00:00.000Z'
 *   forwardedDate('2026年11月20日 15:30', '+0900') = '2026-11-20T06:30:00.000Z'
 *   forwardedDate('Thursday, November 20, 2026 3:30 PM') = '2026-11-20T15:30:00.000Z'
 *   forwardedDate('2026年11月20日 下午3:30', '+0800') = '2026-11-20T07:30:00.000Z'
 */
export function forwardedDate(text: string | null, offset?: string | null): string | null {
  if (!text) return null;
  const s = text.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ');
  let y: number | undefined;
  let mo: number | undefined;
  let d: number | undefined;
  const cjk = s.match(/(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})/);
  if (cjk) [y, mo, d] = [Number(cjk[1]), Number(cjk[2]), Number(cjk[3])];
  else {
    const named = s.match(/\b(\d{1,2})?\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(\d{1,2})?,?\s*(\d{4})/i);
    if (!named) return null;
    [y, mo, d] = [Number(named[4]), MONTHS.indexOf(named[2]!.toLowerCase()) + 1, Number(named[3] ?? named[1])];
  }
  if (!d) return null;
  // 3:30 PM, or 午後3:30 / 下午3:30 with the half of the day first
  const time = s.match(/(午前|午後|上午|下午)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*(AM|PM)?/i);
  let h = time ? Number(time[2]) : 0;
  const mi = time ? Number(time[3]) : 0;
  const sec = time?.[4] ? Number(time[4]) : 0;
  const half = (time?.[1] ?? time?.[5])?.toLowerCase();
  if (half && ['am', '午前', '上午'].includes(half) && h === 12) h = 0;
  if (half && ['pm', '午後', '下午'].includes(half) && h < 12) h += 12;
  const zone = s.match(/(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?\s*$/) ?? (offset ?? '').match(/([+-])(\d{2}):?(\d{2})/);
  const minutes = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0)) : 0;
  const at = Date.UTC(y!, mo! - 1, d, h, mi, sec) - minutes * 60_000;
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
