/**
 * Mail delivered to a capture address, as Rapport captures it: a raw MIME
 * message (parsed by postal-mime: multipart, base64, quoted-printable, encoded
 * words, and every charset Node's TextDecoder knows) or Postmark's inbound
 * JSON, made into the add-on's message shape. A message BCC'd by the member
 * is itself; a forward is the original it carries.
 */
import { createHash } from 'node:crypto';
import PostalMime, { type Address, type Email, type Mailbox } from 'postal-mime';
import { type Addr, parseAddresses, trimBody } from '../mail-text.js';
import { FORWARD_SUBJECT, forwardedDate, parseForwarded } from './forward.js';

/** One delivered message, whatever carried it. */
export interface InboundMail {
  from: Addr | null;
  to: Addr[];
  cc: Addr[];
  subject: string;
  /** ISO time, or null when the message has none that reads */
  date: string | null;
  /** the Date header as written, for its zone ("+0900") */
  rawDate: string | null;
  messageId: string | null;
  text: string;
  attachments: { name: string; size: number }[];
  /** every Authentication-Results header */
  authenticationResults: string[];
}

/** What api.inbound_capture takes, less the secret. */
export interface CaptureArgs {
  sender: string | null;
  authenticationFailed: boolean;
  forwarded: boolean;
  message: {
    messageId: string;
    gmailMessageId: string;
    threadId: string;
    from: Addr;
    to: Addr[];
    cc: Addr[];
    date: string;
    subject?: string;
    body?: string;
    attachments?: string[];
  };
}

export class BadMail extends Error {}

/** A raw message (message/rfc822) as InboundMail; BadMail when it is not one. */
export async function parseMime(raw: Uint8Array): Promise<InboundMail> {
  return (await readMime(raw)).mail;
}

/**
 * A raw message as InboundMail with its headers (keys lower-cased, values as
 * postal-mime unfolds them), for a reader that needs more than the capture
 * shape: Gmail sync reads List-Id and References. One MIME implementation for
 * inbound mail and sync. BadMail when it is not a message.
 *   (await readMime(raw)).headers = [{ key: 'from', value: 'Jane <jane@acme.example>' }, …]
 */
export async function readMime(raw: Uint8Array): Promise<{ mail: InboundMail; headers: { key: string; value: string }[] }> {
  if (!raw.length) throw new BadMail('the body is empty; send the message as message/rfc822');
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch {
    throw new BadMail('the body is not a readable MIME message');
  }
  if (!email.headers.length) throw new BadMail('the body has no mail headers');
  const header = (key: string) => email.headers.filter((h) => h.key === key).map((h) => h.value);
  const mail: InboundMail = {
    from: mailbox(email.from),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    subject: email.subject ?? '',
    date: isoOrNull(email.date),
    rawDate: header('date')[0] ?? null,
    messageId: email.messageId ?? null,
    text: email.text ?? htmlText(email.html ?? ''),
    attachments: email.attachments
      .filter((a) => a.disposition !== 'inline' || a.filename)
      .map((a) => ({ name: a.filename ?? a.mimeType, size: byteLength(a.content) })),
    authenticationResults: header('authentication-results'),
  };
  return { mail, headers: email.headers.map((h) => ({ key: h.key, value: h.value })) };
}

/**
 * The attachments of a message as the capture shape lists them: by name, as
 * the add-on does (one email reads the same however it arrives), at most 100
 * names of at most 300 characters.
 *   attachmentNames([{ name: 'quote.pdf', size: 5242880 }]) = ['quote.pdf']
 */
export function attachmentNames(attachments: { name: string; size: number }[]): string[] {
  return attachments.map((a) => a.name.slice(0, 300)).slice(0, 100);
}

/** Postmark's inbound webhook JSON, as checked by its route's schema. */
export interface PostmarkInbound {
  From?: string | undefined;
  FromFull?: { Email?: string | undefined; Name?: string | undefined } | undefined;
  To?: string | undefined;
  Cc?: string | undefined;
  Subject?: string | undefined;
  Date?: string | undefined;
  MessageID?: string | undefined;
  Headers?: { Name: string; Value: string }[] | undefined;
  TextBody?: string | undefined;
  HtmlBody?: string | undefined;
  MailboxHash?: string | undefined;
  Attachments?: { Name?: string | undefined; ContentLength?: number | undefined }[] | undefined;
}

export function fromPostmark(p: PostmarkInbound): InboundMail {
  const header = (name: string) => (p.Headers ?? []).filter((h) => h.Name.toLowerCase() === name).map((h) => h.Value);
  const from = p.FromFull?.Email ? { email: p.FromFull.Email, ...(p.FromFull.Name ? { name: p.FromFull.Name } : {}) } : (parseAddresses(p.From)[0] ?? null);
  return {
    from,
    to: parseAddresses(p.To),
    cc: parseAddresses(p.Cc),
    subject: p.Subject ?? '',
    date: isoOrNull(p.Date),
    rawDate: p.Date ?? null,
    // Postmark's MessageID is its own id; the message's is among the headers
    messageId: header('message-id')[0] ?? (p.MessageID ? `<${p.MessageID}@inbound.postmarkapp.com>` : null),
    text: p.TextBody || htmlText(p.HtmlBody ?? ''),
    attachments: (p.Attachments ?? []).map((a) => ({ name: a.Name ?? 'attachment', size: a.ContentLength ?? 0 })),
    authenticationResults: header('authentication-results'),
  };
}

/**
 * Both DKIM and SPF failed: the sender may be forged (one failing alone is
 * common for a forward or a mailing list).
 *   authenticationFailed(['mx.example; dkim=fail header.d=x; spf=fail smtp.mailfrom=x']) = true
 */
export function authenticationFailed(results: string[]): boolean {
  const all = results.join(';').toLowerCase();
  return /\bdkim\s*=\s*fail\b/.test(all) && /\bspf\s*=\s*fail\b/.test(all);
}

/**
 * The message to capture: a forward's original (as inbound when its sender is
 * external: the SQL decides direction from who sent it), else the delivered
 * message itself (BCC: From the member, to its To and Cc). BadMail when there
 * is nothing to capture.
 */
export function captureArgs(mail: InboundMail): CaptureArgs {
  if (!mail.from || !fits(mail.from)) throw new BadMail('the message has no From address');
  const forwarded = parseForwarded(mail.text);
  const attachments = attachmentNames(mail.attachments);
  if (forwarded?.from && fits(forwarded.from)) {
    const subject = forwarded.subject ?? mail.subject.replace(FORWARD_SUBJECT, '');
    const date = forwardedDate(forwarded.date, zoneOf(mail.rawDate)) ?? mail.date ?? new Date().toISOString();
    const body = trimBody(forwarded.body);
    const messageId = forwarded.messageId ?? derivedId([forwarded.from.email, date, subject, body]);
    return {
      sender: mail.from.email,
      authenticationFailed: authenticationFailed(mail.authenticationResults),
      forwarded: true,
      message: message(messageId, forwarded.from, forwarded.to, forwarded.cc, date, subject, body, attachments),
    };
  }
  const date = mail.date ?? new Date().toISOString();
  const body = trimBody(mail.text);
  const messageId = mail.messageId ?? derivedId([mail.from.email, date, mail.subject, body]);
  return {
    sender: mail.from.email,
    authenticationFailed: authenticationFailed(mail.authenticationResults),
    forwarded: false,
    message: message(messageId, mail.from, mail.to, mail.cc, date, mail.subject, body, attachments),
  };
}

function message(messageId: string, from: Addr, to: Addr[], cc: Addr[], date: string, subject: string, body: string, attachments: string[]) {
  // the add-on's shape: Gmail's ids are the Message-ID here, as no Gmail message is behind it
  const id = messageId.slice(0, 200);
  return {
    messageId: messageId.slice(0, 1000),
    gmailMessageId: id,
    threadId: id,
    from: clean(from),
    to: to.filter(fits).slice(0, 500).map(clean),
    cc: cc.filter(fits).slice(0, 500).map(clean),
    date,
    ...(subject ? { subject: subject.slice(0, 1000) } : {}),
    ...(body ? { body } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

const fits = (a: Addr) => a.email.length <= 254;
const clean = (a: Addr): Addr => ({ email: a.email.toLowerCase(), ...(a.name ? { name: a.name.slice(0, 300) } : {}) });

/**
 * A Message-ID for a forward whose original's was not kept: the same
 * original forwarded twice is one interaction.
 *   derivedId(['jane@acme.example', '2026-11-20T01:00:00.000Z', 'Price', 'Hello']) = '<fwd.5c1e…@capture.rapport.invalid>'
 */
export function derivedId(parts: string[]): string {
  return `<fwd.${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}@capture.rapport.invalid>`;
}

function zoneOf(rawDate: string | null): string | null {
  return rawDate?.match(/[+-]\d{4}\s*(?:\([^)]*\))?\s*$/)?.[0] ?? null;
}

function mailbox(a: Address | undefined): Addr | null {
  return mailboxes(a ? [a] : [])[0] ?? null;
}

function mailboxes(list: Address[] | undefined): Addr[] {
  const out: Addr[] = [];
  for (const a of list ?? []) {
    for (const m of a.group ?? [a as Mailbox]) {
      const found = parseAddresses(m.address)[0];
      if (found) out.push(m.name && m.name !== m.address ? { email: found.email, name: m.name } : found);
    }
  }
  return out;
}

function isoOrNull(text: string | undefined): string | null {
  const at = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

function byteLength(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}

/** An HTML body's text, for a message with no plain part: tags dropped, breaks kept, entities of the common kinds read. */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
