/** Reading a Gmail message into what the backend stores. */
import type * as z from 'zod';
import type { GmailMessage } from '../../backend/gmail/schemas';
import { parseAddresses, syntheticMessageId, threadRoot, trimBody, utf8Bytes, type Addr } from './text';

export type { Addr };

/** What POST /api/gmail/log takes for one message (the route's own schema; a type-only import). */
export type LoggedMessage = z.input<typeof GmailMessage>;

/** The Message-ID of a message; Gmail's own id stands in for the rare message without one. */
export function messageIdOf(m: GoogleAppsScript.Gmail.GmailMessage): string {
  const id = (m.getHeader('Message-ID') || m.getHeader('Message-Id') || '').trim();
  return id || syntheticMessageId(m.getId());
}

/** The first Message-ID of the conversation, the same in every mailbox: References' first, else In-Reply-To, else its own. */
export function threadRootOf(m: GoogleAppsScript.Gmail.GmailMessage): string {
  return threadRoot(m.getHeader('References'), m.getHeader('In-Reply-To')) ?? messageIdOf(m);
}

/** The people of a message as the backend's context call wants them. */
export function peopleOf(m: GoogleAppsScript.Gmail.GmailMessage): { from: Addr | undefined; to: Addr[]; cc: Addr[] } {
  return {
    from: parseAddresses(m.getFrom())[0],
    to: parseAddresses(m.getTo()).slice(0, 500),
    cc: parseAddresses(m.getCc()).slice(0, 500),
  };
}

/** One message as data for the backend; undefined when it has no sender Rapport could name. */
export function loggedMessage(m: GoogleAppsScript.Gmail.GmailMessage): LoggedMessage | undefined {
  const { from, to, cc } = peopleOf(m);
  if (!from) return undefined;
  const subject = (m.getSubject() || '').slice(0, 1000);
  const body = trimBody(m.getPlainBody());
  const attachments = m
    .getAttachments({ includeInlineImages: false })
    .map((a) => a.getName())
    .filter(Boolean)
    .slice(0, 100)
    .map((n) => n.slice(0, 300));
  return fitMessage({
    messageId: messageIdOf(m).slice(0, 1000),
    gmailMessageId: m.getId(),
    threadId: m.getThread().getId(),
    threadRootId: threadRootOf(m).slice(0, 1000),
    from,
    to,
    cc,
    date: m.getDate().toISOString(),
    ...(subject ? { subject } : {}),
    ...(body ? { body } : {}),
    ...(attachments.length ? { attachments } : {}),
  });
}

/**
 * The most bytes of JSON one request to the backend carries: its limit is
 * 1 MB (1,048,576 bytes), less a margin for the envelope around the messages.
 */
export const REQUEST_BUDGET = 1_000_000;

const size = (value: unknown) => utf8Bytes(JSON.stringify(value));

/**
 * A message made to fit budget bytes of JSON: first the display
 * names of To and Cc go (the addresses are what Rapport matches on), then a
 * LoggedMessage's body is cut. 500 recipients with 300-character names would
 * otherwise be more than the backend takes.
 *   fitMessage({ ...m, to: [{ email: 'a@x.com', name: 'A…(300)' }, …500] }).to[0] = { email: 'a@x.com' }
 */
export function fitMessage<M extends { to: Addr[]; cc: Addr[]; body?: string }>(m: M, budget = REQUEST_BUDGET): M {
  if (size(m) <= budget) return m;
  const bare = (list: Addr[]) => list.map((a) => ({ email: a.email }));
  const out: M = { ...m, to: bare(m.to), cc: bare(m.cc) };
  const over = size(out) - budget;
  if (over > 0 && out.body) {
    // every character is at least one byte, so dropping `over` of them is a first cut that is never too short
    let body = out.body.slice(0, Math.max(0, out.body.length - over - 1));
    out.body = `${body}…`;
    while (body && size(out) > budget) {
      body = body.slice(0, Math.floor(body.length / 2));
      out.body = `${body}…`;
    }
    if (!body) delete out.body;
  }
  return out;
}

/**
 * Messages in batches of at most max, each batch under budget bytes of JSON,
 * in their order: a thread of 100 long emails is more than one request takes.
 *   batches([m1, m2, m3], 2) = [[m1, m2], [m3]]
 */
export function batches<M>(messages: M[], max: number, budget = REQUEST_BUDGET): M[][] {
  const out: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    const n = size(m) + 1;
    if (current.length && (current.length >= max || bytes + n > budget)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += n;
  }
  if (current.length) out.push(current);
  return out;
}
