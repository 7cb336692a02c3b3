/** Reading a Gmail message into what the backend stores. */
import { parseAddresses, trimBody, type Addr } from './text';

export type { Addr };

/** What POST /api/gmail/log takes for one message. */
export interface LoggedMessage {
  messageId: string;
  gmailMessageId: string;
  threadId: string;
  threadRootId?: string;
  from: Addr;
  to: Addr[];
  cc: Addr[];
  date: string;
  subject?: string;
  body?: string;
  attachments?: string[];
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/** The Message-ID of a message; Gmail's own id stands in for the rare message without one. */
export function messageIdOf(m: GoogleAppsScript.Gmail.GmailMessage): string {
  const id = (m.getHeader('Message-ID') || m.getHeader('Message-Id') || '').trim();
  return id || `<gmail-${m.getId()}@mail.gmail.com>`;
}

/** The first Message-ID of the conversation, the same in every mailbox: References' first, else In-Reply-To, else its own. */
export function threadRootOf(m: GoogleAppsScript.Gmail.GmailMessage): string {
  const refs = (m.getHeader('References') || '').match(MESSAGE_ID);
  const reply = (m.getHeader('In-Reply-To') || '').match(MESSAGE_ID);
  return refs?.[0] ?? reply?.[0] ?? messageIdOf(m);
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
  return {
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
  };
}
