/** The text of an email: address lists and the part of a body the person wrote. Pure (no Apps Script, no Node): the Gmail add-on bundles it, inbound mail (backend/inbound/) reads mail with it, and tests import it directly. */
import { escapeText } from './html.js';

export interface Addr {
  email: string;
  name?: string;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * The addresses of a header as Gmail returns it, with display names; quoted
 * names may hold commas. Anything that is not an address is skipped.
 *   parseAddresses('"Tanaka, Jane" <jane@acme.co.jp>, 山田 太郎 <yamada@sakura.co.jp>, bob@x.com')
 *     = [{ email: 'jane@acme.co.jp', name: 'Tanaka, Jane' }, { email: 'yamada@sakura.co.jp', name: '山田 太郎' }, { email: 'bob@x.com' }]
 */
export function parseAddresses(header: string | null | undefined): Addr[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < (header ?? '').length; i++) {
    const ch = header![i]!;
    if (ch === '\\' && quoted) {
      current += ch + (header![i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if ((ch === ',' || ch === ';') && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const out: Addr[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const m = part.match(/^(.*)<([^<>]+)>\s*$/);
    const email = (m ? m[2]! : part).trim().replace(/^mailto:/i, '');
    if (!EMAIL.test(email)) continue;
    const name = m
      ? m[1]!
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .replace(/\\(.)/g, '$1')
          .trim()
      : '';
    out.push(name && name.toLowerCase() !== email.toLowerCase() ? { email, name: name.slice(0, 300) } : { email });
  }
  return out;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/**
 * The first Message-ID of a conversation, the same in every mailbox:
 * References' first, else In-Reply-To's; undefined for a message that starts
 * one.
 *   threadRoot('<a@x> <b@x>', '<b@x>') = '<a@x>'
 *   threadRoot('', '<b@x>') = '<b@x>'
 */
export function threadRoot(references: string | null | undefined, inReplyTo: string | null | undefined): string | undefined {
  return (references ?? '').match(MESSAGE_ID)?.[0] ?? (inReplyTo ?? '').match(MESSAGE_ID)?.[0];
}

/** The stored body's size cap: the rest of a long email stays in Gmail. */
export const BODY_MAX = 20_000;

const ATTRIBUTION = [
  /^On .{4,300}wrote:\s*$/i, // Gmail, Apple Mail (English)
  /^\d{4}年\d{1,2}月\d{1,2}日.{0,300}[:：]\s*$/, // Gmail (Japanese, Chinese): 2026年11月20日(金) 10:00 山田 <y@x>:
  /^.{0,300}(?:于|於).{0,100}写道[:：]\s*$/, // Gmail (Chinese)
  /^.{0,300}(?:さんは書きました|のメッセージ)[:：]\s*$/,
  /^-{2,}\s*(?:Original Message|元のメッセージ|原始邮件|原始郵件)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: ..."
];

/**
 * The part of a plain-text body the person wrote: quoted replies (an
 * attribution line such as "On … wrote:", "2026年11月20日 … :", "… 写道：",
 * an Outlook "From:/Sent:" block, or a trailing run of "> " lines) and the
 * signature ("-- " and what follows, "Sent from my iPhone", a separator line
 * near the end) are cut; at most BODY_MAX characters, ending in "…" when cut.
 */
export function trimBody(text: string | null | undefined): string {
  const lines = (text ?? '').replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  // where the trailing run of '>' and blank lines starts: found once, so a 5 MB body of quotes stays linear
  let quotedTail = lines.length;
  while (quotedTail > 0 && (lines[quotedTail - 1]!.trim() === '' || lines[quotedTail - 1]!.trim().startsWith('>'))) quotedTail--;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    if (ATTRIBUTION.some((p) => p.test(line)) || (/^On .{4,300}$/i.test(line) && /wrote:\s*$/i.test(joined) && !/wrote:/i.test(line))) {
      end = i;
      break;
    }
    if (/^(From|差出人|发件人|寄件者):\s/i.test(line) && lines.slice(i + 1, i + 5).some((l) => /^(Sent|Date|送信日時|发送时间|日期):\s/i.test(l.trim()))) {
      end = i;
      break;
    }
    if (line.startsWith('>') && i >= quotedTail) {
      end = i;
      break;
    }
  }
  let body = lines.slice(0, end);
  const sig = body.findIndex((l) => l === '-- ' || l === '--');
  if (sig >= 0) body = body.slice(0, sig);
  while (body.length && /^\s*(Sent from my \w+|iPhoneから送信|从我的 ?iPhone 发送|Get Outlook for \w+)\s*$/i.test(body[body.length - 1]!)) body.pop();
  // a separator line (----, ━━━━, ====) in the last 15 lines starts a signature block
  for (let i = Math.max(1, body.length - 15); i < body.length; i++) {
    if (/^\s*([-=_*━─＝~])\1{9,}\s*$/.test(body[i]!)) {
      body = body.slice(0, i);
      break;
    }
  }
  const out = body
    .join('\n')
    .replace(/\s+$/, '')
    .replace(/^\s*\n/, '');
  if (out.length <= BODY_MAX) return out;
  // never half an emoji: a lone surrogate would be replaced on the way to the backend
  const cut = /[\ud800-\udbff]/.test(out.charAt(BODY_MAX - 2)) ? BODY_MAX - 2 : BODY_MAX - 1;
  return `${out.slice(0, cut)}…`;
}

/**
 * Text for a card field Gmail renders as simple HTML (TextParagraph,
 * DecoratedText's text and labels): what was typed shows as typed and forms
 * no tag or link (backend/html.ts, shared by the three surfaces).
 *   cardText('<b>Q&A</b>') = '&lt;b&gt;Q&amp;A&lt;/b&gt;'
 */
export const cardText = escapeText;

/**
 * Bytes of text in UTF-8 (Apps Script has no TextEncoder).
 *   utf8Bytes('aé日😀') = 1 + 2 + 3 + 4
 */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
