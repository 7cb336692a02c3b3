/**
 * A GmailApp over fixture messages. As with the add-on's real
 * `gmail.addons.current.message.*` scopes, a message can be read only after
 * `GmailApp.setCurrentMessageAccessToken(e.gmail.accessToken)` in the same
 * execution (unless requireAccessToken is false).
 *
 * Example:
 *   fakeGmail({ messages: [{ id: '18f0a1', threadId: '18f0a0', headers: { 'Message-ID': '<a@x>' },
 *     from: '"山田 太郎" <yamada@example.co.jp>', to: 'sam.carter@rapport-demo.com, b@x.com', cc: '',
 *     date: new Date('2026-11-20T01:00:00Z'), subject: 'お見積もり', plainBody: '…' }] })
 *   // in the add-on: GmailApp.getMessageById('18f0a1').getFrom() → '"山田 太郎" <yamada@example.co.jp>'
 */
import { exception, toRealm, type RealmRef } from './realm.js';

export interface FixtureAttachment {
  name: string;
  size: number;
  contentType: string;
}

export interface FixtureMessage {
  id: string;
  threadId: string;
  /** Raw headers beyond the ones below: Message-ID, References, In-Reply-To, … */
  headers: Record<string, string>;
  /** Header strings exactly as Gmail returns them: '"山田 太郎" <yamada@example.co.jp>, b@x.com' */
  from: string;
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  date: Date;
  subject: string;
  plainBody: string;
  /** HTML body; defaults to the plain body, escaped, in a div */
  body?: string;
  attachments?: FixtureAttachment[];
}

export interface GmailFixtures {
  messages: readonly FixtureMessage[];
}

export function fakeGmail(fixtures: { messages: FixtureMessage[] }): GmailFixtures {
  const ids = new Set<string>();
  for (const m of fixtures.messages) {
    if (ids.has(m.id)) throw new Error(`fakeGmail: two fixture messages have the id ${m.id}`);
    ids.add(m.id);
  }
  return { messages: fixtures.messages.map((m) => ({ ...m, headers: { ...m.headers } })) };
}

export interface GmailRecord {
  /** tokens given to setCurrentMessageAccessToken, in order */
  accessTokens: string[];
  /** ids of messages the add-on opened */
  reads: string[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function createGmailApp(fixtures: GmailFixtures, realm: RealmRef, opts: { requireAccessToken: boolean }, record: GmailRecord) {
  let token: string | null = null;

  const byId = (id: string) => fixtures.messages.find((m) => m.id === id);
  const threadMessages = (threadId: string) => fixtures.messages.filter((m) => m.threadId === threadId).sort((a, b) => a.date.getTime() - b.date.getTime());

  function allowed() {
    if (opts.requireAccessToken && !token) {
      throw exception(realm.current, 'Access denied: : Missing access token for per message scope authorization.');
    }
  }

  function headerOf(m: FixtureMessage, name: string): string {
    const wanted = name.toLowerCase();
    const own = Object.entries(m.headers).find(([k]) => k.toLowerCase() === wanted);
    if (own) return own[1];
    const standard: Record<string, string | undefined> = {
      from: m.from,
      to: m.to,
      cc: m.cc,
      bcc: m.bcc,
      'reply-to': m.replyTo,
      subject: m.subject,
      date: m.date.toUTCString(),
    };
    return standard[wanted] ?? '';
  }

  function message(m: FixtureMessage): Record<string, unknown> {
    return {
      getId: () => m.id,
      getHeader: (name: string) => headerOf(m, String(name)),
      getFrom: () => m.from,
      getTo: () => m.to,
      getCc: () => m.cc ?? '',
      getBcc: () => m.bcc ?? '',
      getReplyTo: () => m.replyTo ?? headerOf(m, 'Reply-To'),
      getDate: () => new realm.current.Date(m.date.getTime()),
      getSubject: () => m.subject,
      getPlainBody: () => m.plainBody,
      getBody: () => m.body ?? `<div dir="ltr">${escapeHtml(m.plainBody).replace(/\n/g, '<br>')}</div>`,
      getRawContent: () =>
        `${[
          ...Object.entries({ From: m.from, To: m.to, ...(m.cc ? { Cc: m.cc } : {}), Subject: m.subject, Date: m.date.toUTCString() }),
          ...Object.entries(m.headers),
        ]
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\n\r\n${m.plainBody}`,
      getAttachments: () =>
        toRealm(
          realm.current,
          (m.attachments ?? []).map((a) => ({
            getName: () => a.name,
            getSize: () => a.size,
            getContentType: () => a.contentType,
          })),
        ),
      getThread: () => thread(m.threadId),
      isDraft: () => false,
      isInInbox: () => true,
      isInTrash: () => false,
      isStarred: () => false,
      isUnread: () => false,
    };
  }

  function thread(threadId: string): Record<string, unknown> {
    const messages = () => threadMessages(threadId);
    return {
      getId: () => threadId,
      getMessages: () => toRealm(realm.current, messages().map(message)),
      getMessageCount: () => messages().length,
      getFirstMessageSubject: () => messages()[0]?.subject ?? '',
      getLastMessageDate: () => new realm.current.Date(messages().at(-1)?.date.getTime() ?? 0),
      getPermalink: () => `https://mail.google.com/mail/u/0/#inbox/${threadId}`,
      isUnread: () => false,
    };
  }

  const GmailApp = {
    setCurrentMessageAccessToken(accessToken: string) {
      if (typeof accessToken !== 'string' || !accessToken) throw exception(realm.current, 'Invalid argument: accessToken');
      record.accessTokens.push(accessToken);
      token = accessToken;
    },
    getMessageById(id: string) {
      allowed();
      const m = byId(String(id));
      if (!m) throw exception(realm.current, `Invalid argument: id`);
      record.reads.push(m.id);
      return message(m);
    },
    getThreadById(id: string) {
      allowed();
      return threadMessages(String(id)).length ? thread(String(id)) : null;
    },
  };

  return {
    GmailApp,
    /** Each Apps Script execution starts without the per-message token. */
    startExecution() {
      token = null;
    },
  };
}
