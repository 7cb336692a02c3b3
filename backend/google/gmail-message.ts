/**
 * One Gmail message, as fetched by the sync, made into the capture shape the
 * add-on sends (crm.gmail_capture_args). Messages are fetched in `raw` format
 * and read by backend/inbound/mail.ts, so inbound mail and Gmail sync share one
 * MIME reader (postal-mime: charsets such as ISO-2022-JP, Shift_JIS and GB2312,
 * encoded words, HTML-only bodies) instead of a second walk over Gmail's
 * `full` payload tree; a metadata-only mailbox's headers go through the same
 * reader. Which messages are skipped (newsletters, Gmail's category tabs) is
 * decided here too.
 */
import type { gmail_v1 } from 'googleapis';
import { attachmentNames, readMime } from '../inbound/mail.js';
import { type Addr, threadRoot, trimBody } from '../mail-text.js';

export interface SyncedMessage {
  gmailId: string;
  threadId: string;
  /** RFC 822 Message-ID with <>, or '<' + gmailId + '@gmail.rapport.invalid>' when the message has none (stable: a re-import never duplicates) */
  messageId: string;
  /** the first id of References, else In-Reply-To */
  threadRootId?: string;
  from: Addr;
  to: Addr[];
  cc: Addr[];
  /** ISO, from Gmail's internalDate (when Gmail received it) */
  date: string;
  subject?: string;
  /** trimmed as the add-on trims it (backend/mail-text.ts); absent when metadata-only */
  body?: string;
  /** as the add-on and inbound mail list them (attachmentNames) */
  attachments: string[];
  labels: string[];
}

export type SkipReason = 'bulk' | 'category';

/** The headers a metadata-only fetch asks for: what the capture shape and the skip rules read. */
export const METADATA_HEADERS = [
  'From',
  'To',
  'Cc',
  'Subject',
  'Date',
  'Message-ID',
  'References',
  'In-Reply-To',
  'List-Unsubscribe',
  'List-Id',
  'Precedence',
  'Auto-Submitted',
];

const CATEGORY_LABELS = new Set(['CATEGORY_PROMOTIONS', 'CATEGORY_SOCIAL', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS']);
const DROPPED_LABELS = new Set(['SPAM', 'TRASH', 'CHAT']);

/**
 * Whether a message is captured: 'drop' (spam, trash, chat: not counted),
 * 'bulk' (a mailing list or an automatic message), 'category' (Gmail's
 * Promotions, Social, Updates or Forums tab), else 'keep'. Headers are looked
 * up by lower-case name.
 *   classify(['INBOX'], { 'list-id': ['<news.acme.example>'] }) = 'bulk'
 *   classify(['INBOX', 'CATEGORY_SOCIAL'], {}) = 'category'
 *   classify(['INBOX'], { 'auto-submitted': ['no'] }) = 'keep'
 */
export function classify(labels: readonly string[], headers: Readonly<Record<string, readonly string[]>>): 'keep' | 'drop' | SkipReason {
  if (labels.some((l) => DROPPED_LABELS.has(l))) return 'drop';
  const first = (name: string) => (headers[name]?.[0] ?? '').trim().toLowerCase();
  if (headers['list-unsubscribe']?.length || headers['list-id']?.length) return 'bulk';
  if (['bulk', 'list', 'junk'].includes(first('precedence'))) return 'bulk';
  const auto = first('auto-submitted');
  if (auto && auto !== 'no') return 'bulk';
  if (labels.some((l) => CATEGORY_LABELS.has(l))) return 'category';
  return 'keep';
}

/** A fetched message as the sync captures it, or why it is not captured ('drop' also for a message with no From address Rapport can read). */
export type Converted = { kind: 'message'; message: SyncedMessage } | { kind: 'skip'; reason: SkipReason } | { kind: 'drop' };

/**
 * A message from messages.get (format `raw`, or `metadata` with
 * METADATA_HEADERS when metadataOnly) in the capture shape.
 *   await convert({ id: '18c…', threadId: '18c…', labelIds: ['INBOX'], internalDate: '1764720000000', raw: 'RnJvbTog…' }, false)
 *     = { kind: 'message', message: { gmailId: '18c…', messageId: '<a@x>', from: { email: 'jane@acme.example' }, date: '2025-12-03T00:00:00.000Z', body: 'Hello', … } }
 */
export async function convert(m: gmail_v1.Schema$Message, metadataOnly: boolean): Promise<Converted> {
  const gmailId = m.id ?? '';
  if (!gmailId) return { kind: 'drop' };
  const raw = metadataOnly || !m.raw ? headerBlock(m.payload?.headers ?? []) : Buffer.from(m.raw, 'base64url');
  let read: Awaited<ReturnType<typeof readMime>>;
  try {
    read = await readMime(raw);
  } catch {
    return { kind: 'drop' };
  }
  const headers: Record<string, string[]> = {};
  for (const h of read.headers) headers[h.key] = [...(headers[h.key] ?? []), h.value];
  const labels = m.labelIds ?? [];
  const verdict = classify(labels, headers);
  if (verdict === 'drop') return { kind: 'drop' };
  if (verdict !== 'keep') return { kind: 'skip', reason: verdict };
  const { mail } = read;
  if (!mail.from || mail.from.email.length > 254) return { kind: 'drop' };
  const root = threadRoot(headers.references?.join(' '), headers['in-reply-to']?.join(' '));
  const body = metadataOnly ? '' : trimBody(mail.text);
  const subject = mail.subject.slice(0, 1000);
  return {
    kind: 'message',
    message: {
      gmailId,
      threadId: m.threadId ?? gmailId,
      messageId: (mail.messageId?.trim() || syntheticMessageId(gmailId)).slice(0, 1000),
      ...(root ? { threadRootId: root.slice(0, 1000) } : {}),
      from: bounded(mail.from),
      to: mail.to.filter(fits).slice(0, 500).map(bounded),
      cc: mail.cc.filter(fits).slice(0, 500).map(bounded),
      date: receivedAt(m.internalDate) ?? mail.date ?? new Date(0).toISOString(),
      ...(subject ? { subject } : {}),
      ...(body ? { body } : {}),
      attachments: metadataOnly ? [] : attachmentNames(mail.attachments),
      labels,
    },
  };
}

/**
 * The Message-ID of a message that has none: Gmail's id is stable, so the same
 * message imported twice is one interaction.
 *   syntheticMessageId('18c2f0a1b2c3d4e5') = '<18c2f0a1b2c3d4e5@gmail.rapport.invalid>'
 */
export function syntheticMessageId(gmailId: string): string {
  return `<${gmailId}@gmail.rapport.invalid>`;
}

/** Gmail's internalDate (milliseconds since the epoch, as a string) as ISO. */
function receivedAt(internalDate: string | null | undefined): string | undefined {
  const ms = Number(internalDate);
  return internalDate && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** Headers as a header-only message, so the one MIME reader decodes their encoded words and addresses. */
function headerBlock(headers: gmail_v1.Schema$MessagePartHeader[]): Buffer {
  const lines = headers
    .filter((h) => h.name && /^[\x21-\x39\x3b-\x7e]+$/.test(h.name))
    .map((h) => `${h.name}: ${(h.value ?? '').replace(/\r?\n(?![ \t])/g, '\r\n ')}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

const fits = (a: Addr) => a.email.length <= 254;
const bounded = (a: Addr): Addr => ({ email: a.email, ...(a.name ? { name: a.name.slice(0, 300) } : {}) });
