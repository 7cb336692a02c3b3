import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchPage,
  type GmailCursor,
  type GmailReader,
  gmailReader,
  GoogleAccessLost,
  HistoryExpired,
  type SyncedMessage,
} from '../../backend/google/gmail.js';
import { authorizeUrl, CALENDAR_SCOPE, exchangeCode, GMAIL_SCOPE, type OAuthApp, revokeToken } from '../../backend/google/oauth.js';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.js';

/**
 * The Gmail client against the stand-in, through the real googleapis and
 * google-auth-library clients on loopback sockets: consent, delegation, the
 * import of a mailbox in pages, the increments after it.
 */
const clientId = 'rapport-test.apps.googleusercontent.com';
const clientSecret = 'test-client-secret';
const FAST = { quotaUnitsPerSecond: 1_000_000 };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/mail/${name}`, import.meta.url));
const DAY = 86_400_000;

let google: GoogleStandIn;
let app: OAuthApp;
let dir: string;

beforeAll(async () => {
  google = await startGoogleStandIn({ clientId, clientSecret });
  app = { clientId, clientSecret, redirectUri: 'http://127.0.0.1:9/google/callback', apiUrl: google.url, oauthUrl: google.url };
  dir = await mkdtemp(join(tmpdir(), 'rapport-google-'));
});
afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

/** The member consents (the stand-in auto-consents as `email`); the callback's code exchanged. */
async function connect(email: string, scopes: string[] = [GMAIL_SCOPE.readonly], o: { refuseRefreshToken?: boolean } = {}) {
  google.consentAs(email, o);
  const res = await fetch(authorizeUrl(app, { scopes, state: 'state-1', loginHint: email }), { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(app.redirectUri);
  expect(back.searchParams.get('state')).toBe('state-1');
  return exchangeCode(app, back.searchParams.get('code')!);
}

const plain = (n: number, extra = '') =>
  `From: Client ${n} <client${n}@customer${n % 7}.example>\r\nTo: tanaka@rapport-rep.example\r\nSubject: Question ${n}\r\nMessage-ID: <q-${n}@customer.example>\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\nHello, question number ${n}.\r\n`;

describe('OAuth', () => {
  it('asks for offline access with consent and the address, and the exchange gives a refresh token, the address and the scopes', async () => {
    const url = new URL(authorizeUrl(app, { scopes: [GMAIL_SCOPE.readonly], state: 's' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: 's',
      client_id: clientId,
    });
    expect(url.searchParams.get('scope')!.split(' ')).toEqual([GMAIL_SCOPE.readonly, 'openid', 'email']);
    const real = new URL(authorizeUrl({ clientId, clientSecret, redirectUri: app.redirectUri }, { scopes: [CALENDAR_SCOPE], state: 's' }));
    expect(real.origin).toBe('https://accounts.google.com');

    const granted = await connect('Oauth.Rep@Rapport-Rep.example');
    expect(granted.email).toBe('oauth.rep@rapport-rep.example');
    expect(granted.refreshToken).toMatch(/^1\/\//);
    expect(granted.scopes).toEqual([GMAIL_SCOPE.readonly, 'openid', 'email']);
    const reader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    expect(await reader.address()).toBe('oauth.rep@rapport-rep.example');
  });

  it('a revoked grant is lost access (invalid_grant), and revoking it again is no error', async () => {
    const granted = await connect('revoked.rep@rapport-rep.example');
    await revokeToken(app, granted.refreshToken);
    const reader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    await expect(reader.address()).rejects.toMatchObject({ name: 'GoogleAccessLost', reason: 'invalid_grant' });
    await expect(revokeToken(app, granted.refreshToken)).resolves.toBeUndefined();
  });

  it('a grant revoked while a reader holds an access token: 401, a fresh token is refused, invalid_grant', async () => {
    const granted = await connect('mid.rep@rapport-rep.example');
    const reader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    await reader.historyId();
    google.revokeAll('mid.rep@rapport-rep.example');
    const error = await reader.address().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleAccessLost);
    expect((error as GoogleAccessLost).reason).toBe('invalid_grant');
    expect(String(error)).not.toContain(granted.refreshToken);
  });

  it('no refresh token from Google is no_refresh_token', async () => {
    await expect(connect('again.rep@rapport-rep.example', [GMAIL_SCOPE.readonly], { refuseRefreshToken: true })).rejects.toMatchObject({
      reason: 'no_refresh_token',
    });
  });

  it('a grant without a Gmail scope is insufficient_scope', async () => {
    const granted = await connect('calendar.rep@rapport-rep.example', [CALENDAR_SCOPE]);
    const reader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    await expect(reader.address()).rejects.toMatchObject({ reason: 'insufficient_scope' });
  });

  it("domain-wide delegation reads the user's mailbox with a service account key; a refused delegation is domain_policy", async () => {
    const keyFile = join(dir, 'service-account.json');
    await google.delegationKeyFile(keyFile);
    const endpoints = { apiUrl: google.url, oauthUrl: google.url };
    google.mailbox('delegated@rapport-rep.example').add(plain(1));
    const reader = await gmailReader({ kind: 'delegated', keyFile, subject: 'delegated@rapport-rep.example', scopes: [GMAIL_SCOPE.readonly], endpoints }, FAST);
    expect(await reader.address()).toBe('delegated@rapport-rep.example');
    const page = await fetchPage(reader, { phase: 'import', importAfter: new Date(Date.now() - DAY).toISOString() }, { metadataOnly: false });
    expect(page.messages.map((m) => m.subject)).toEqual(['Question 1']);

    google.refuseDelegation('refused@rapport-rep.example');
    const refused = await gmailReader({ kind: 'delegated', keyFile, subject: 'refused@rapport-rep.example', scopes: [GMAIL_SCOPE.readonly], endpoints }, FAST);
    await expect(refused.address()).rejects.toMatchObject({ name: 'GoogleAccessLost', reason: 'domain_policy' });
  });
});

/** Reads every page of the import; the pages as they came. */
async function importAll(reader: GmailReader, importAfter: string, o: { metadataOnly: boolean; pageSize?: number }) {
  const pages = [];
  let cursor: GmailCursor = { phase: 'import', importAfter };
  for (let i = 0; i < 20; i++) {
    const page = await fetchPage(reader, cursor, o);
    pages.push(page);
    cursor = page.next;
    if (page.importDone) break;
  }
  return { pages, cursor, messages: pages.flatMap((p) => p.messages) };
}

describe('import and increments', () => {
  const rep = 'tanaka@rapport-rep.example';
  const now = Date.now();
  const importAfter = new Date(now - 60 * DAY).toISOString();
  const ids: Record<string, string> = {};
  let reader: GmailReader;

  beforeAll(async () => {
    const box = google.mailbox(rep);
    let n = 0;
    // 250 messages after importAfter, newest first in the listing; minutes apart so the order is fixed
    const at = () => ({ internalDate: new Date(now - ++n * 60_000) });
    for (const name of ['iso-2022-jp', 'shift_jis', 'gb2312', 'no-message-id', 'reply-with-attachment', 'html-only', 'mailing-list']) {
      ids[name] = box.add(fixture(`${name}.eml`), at());
    }
    const bulk = ['List-Unsubscribe: <mailto:u@x.example>\r\n', 'Precedence: list\r\n', 'Auto-Submitted: auto-generated\r\n'];
    for (let i = 0; i < 20; i++) box.add(plain(1000 + i, bulk[i % 3]), at()); // 20 bulk
    for (let i = 0; i < 2; i++) box.add(plain(1100 + i, bulk[0]), { ...at(), labels: ['INBOX', 'CATEGORY_UPDATES'] }); // bulk first, though in a tab
    const tabs = ['CATEGORY_PROMOTIONS', 'CATEGORY_SOCIAL', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS'];
    for (let i = 0; i < 16; i++) box.add(plain(1200 + i), { ...at(), labels: ['INBOX', tabs[i % 4]!] }); // 16 category
    for (let i = 0; i < 3; i++) box.add(plain(1300 + i, 'Auto-Submitted: no\r\n'), at()); // kept
    while (n < 250) box.add(plain(n), { ...at(), labels: n % 2 ? ['INBOX'] : ['SENT'] });
    // never listed, never counted: spam, trash, chat; and mail older than importAfter
    box.add(plain(2000), { ...at(), labels: ['SPAM'] });
    box.add(plain(2001), { ...at(), labels: ['TRASH'] });
    box.add(plain(2002), { ...at(), labels: ['CHAT'] });
    box.add(plain(2003), { ...at(), labels: ['DRAFT'] }); // listed (Gmail lists drafts), dropped uncounted
    for (let i = 0; i < 5; i++) box.add(plain(3000 + i), { internalDate: new Date(now - 90 * DAY - i * 60_000) });
    const granted = await connect(rep);
    reader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
  });

  const byGmailId = (messages: SyncedMessage[], id: string | undefined) => messages.find((m) => m.gmailId === id);

  it('imports 250 messages (and a draft, dropped) in 3 pages of 100, skipping 23 bulk and 16 category exactly, and starts the increments at the history id the import began at', async () => {
    const started = google.mailbox(rep).historyId();
    const { pages, cursor, messages } = await importAll(reader, importAfter, { metadataOnly: false, pageSize: 100 });
    expect(pages.map((p) => p.importDone)).toEqual([false, false, true]);
    expect(pages.map((p) => p.messages.length + p.skipped.bulk + p.skipped.category)).toEqual([100, 100, 50]);
    expect(pages.reduce((n, p) => n + p.skipped.bulk, 0)).toBe(23);
    expect(pages.reduce((n, p) => n + p.skipped.category, 0)).toBe(16);
    expect(messages).toHaveLength(250 - 23 - 16);
    expect(messages.some((m) => m.subject === 'Question 2003')).toBe(false); // the draft
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(messages.length);
    expect(cursor).toEqual({ phase: 'incremental', historyId: started });
    expect(pages[0]!.next).toMatchObject({ phase: 'import', historyId: started, importAfter });
    // newest first, as Gmail lists
    expect(messages[0]!.gmailId).toBe(ids['iso-2022-jp']);
    const q = new URLSearchParams(google.requests.findLast((r) => r.path.endsWith('/messages'))!.query);
    expect(q.get('q')).toBe(`after:${Math.floor(Date.parse(importAfter) / 1000)} -in:chats -in:spam -in:trash`);
  });

  it('decodes Japanese (ISO-2022-JP, Shift_JIS) and Chinese (GB2312) subjects, names and bodies', async () => {
    const { messages } = await importAll(reader, importAfter, { metadataOnly: false });
    expect(byGmailId(messages, ids['iso-2022-jp'])).toMatchObject({
      subject: 'お見積りの件',
      from: { email: 'yamada@sakura.example.jp', name: '山田 太郎' },
      to: [{ email: 'tanaka@rapport-rep.example' }],
      body: '田中様\n\nお世話になっております。\nお見積りをお送りします。\n\n山田',
      messageId: '<20261116100000.jp1@sakura.example.jp>',
      labels: ['INBOX', 'UNREAD'],
    });
    expect(byGmailId(messages, ids.shift_jis)).toMatchObject({
      subject: '打ち合わせの日程',
      from: { name: '鈴木 花子' },
      body: '鈴木です。\n来週の打ち合わせは水曜日でいかがでしょうか。',
    });
    expect(byGmailId(messages, ids.gb2312)).toMatchObject({
      subject: '合同续签',
      from: { email: 'wang.wei@huaxia.example.cn', name: '王伟' },
      cc: [{ email: 'li.na@huaxia.example.cn', name: 'Li Na' }],
      body: '王经理，您好！\n附件是新的合同，请查收。',
    });
  });

  it('gives a message without a Message-ID a stable one, lists attachments, trims quotes, keys the thread and reads HTML-only mail', async () => {
    const first = await importAll(reader, importAfter, { metadataOnly: false });
    const again = await importAll(reader, importAfter, { metadataOnly: false });
    const noId = byGmailId(first.messages, ids['no-message-id'])!;
    expect(noId.messageId).toBe(`<gmail-${ids['no-message-id']}@mail.gmail.com>`);
    expect(byGmailId(again.messages, ids['no-message-id'])!.messageId).toBe(noId.messageId);
    expect(byGmailId(first.messages, ids['reply-with-attachment'])).toEqual({
      gmailId: ids['reply-with-attachment'],
      threadId: ids['reply-with-attachment'],
      messageId: '<reply-1@acme.example>',
      threadRootId: '<quote-1@rapport-rep.example>',
      from: { email: 'jane@acme.example', name: 'Jane Doe' },
      to: [{ email: 'tanaka@rapport-rep.example', name: 'Tanaka' }],
      cc: [{ email: 'bob@acme.example' }],
      date: new Date(now - 5 * 60_000).toISOString(),
      subject: 'Re: Quote for 2027',
      body: 'Thanks, the signed quote is attached.',
      attachments: ['quote-2027.pdf'],
      labels: ['INBOX', 'UNREAD'],
    });
    expect(byGmailId(first.messages, ids['html-only'])!.body).toBe('Agenda for Monday:\nPricing & terms\n\nKen');
  });

  it('a message with a 5 MB attachment: read whole (format raw), the attachment listed, the body kept', async () => {
    const big = 'big.rep@rapport-rep.example';
    const pdf = Buffer.alloc(5 * 1024 * 1024, 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const raw = `From: Jane <jane@acme.example>\r\nTo: ${big}\r\nSubject: Drawings\r\nMessage-ID: <big-1@acme.example>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe drawings.\r\n--b\r\nContent-Type: application/pdf; name="drawings.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf}\r\n--b--\r\n`;
    google.mailbox(big).add(raw, { internalDate: new Date(now - DAY) });
    const granted = await connect(big);
    const bigReader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    const { messages } = await importAll(bigReader, importAfter, { metadataOnly: false });
    expect(messages).toMatchObject([{ subject: 'Drawings', body: 'The drawings.', attachments: ['drawings.pdf'] }]);
  });

  it("a calendar invitation (text/plain beside text/calendar, Google Calendar's shape): the text is the body, the invite listed", async () => {
    const rep = 'invited.rep@rapport-rep.example';
    const ics = [
      'BEGIN:VCALENDAR',
      'METHOD:REQUEST',
      'BEGIN:VEVENT',
      'UID:kickoff-1@acme.example',
      'SUMMARY:Kickoff',
      'DTSTART:20261210T010000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const raw = [
      'From: Jane Doe <jane@acme.example>',
      `To: ${rep}`,
      'Subject: Invitation: Kickoff @ Thu Dec 10, 2026 10am (JST)',
      'Message-ID: <invite-1@acme.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: multipart/alternative; boundary="a"',
      '',
      '--a',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'You have been invited to the following event: Kickoff',
      '--a',
      'Content-Type: text/calendar; charset=utf-8; method=REQUEST',
      '',
      ics,
      '--a--',
      '--m',
      'Content-Type: application/ics; name="invite.ics"',
      'Content-Disposition: attachment; filename="invite.ics"',
      '',
      ics,
      '--m--',
      '',
    ].join('\r\n');
    google.mailbox(rep).add(raw, { internalDate: new Date(now - DAY) });
    const granted = await connect(rep);
    const invited = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    const { messages } = await importAll(invited, importAfter, { metadataOnly: false });
    expect(messages).toMatchObject([
      {
        messageId: '<invite-1@acme.example>',
        body: 'You have been invited to the following event: Kickoff',
        attachments: expect.arrayContaining(['invite.ics']),
      },
    ]);
  });

  it('metadata-only: no body and no attachments, headers still decoded, no search (Gmail refuses q under the metadata scope), older mail left out', async () => {
    const meta = 'meta.rep@rapport-rep.example';
    const box = google.mailbox(meta);
    const jp = box.add(fixture('iso-2022-jp.eml'), { internalDate: new Date(now - DAY) });
    box.add(fixture('mailing-list.eml'), { internalDate: new Date(now - 2 * DAY) });
    box.add(fixture('reply-with-attachment.eml'), { internalDate: new Date(now - 3 * DAY) });
    for (let i = 0; i < 4; i++) box.add(plain(4000 + i), { internalDate: new Date(now - 90 * DAY - i * DAY) });
    const granted = await connect(meta, [GMAIL_SCOPE.metadata]);
    const metaReader = await gmailReader({ kind: 'oauth', app, refreshToken: granted.refreshToken }, FAST);
    const { pages, messages } = await importAll(metaReader, importAfter, { metadataOnly: true, pageSize: 2 });
    expect(pages.map((p) => p.importDone)).toEqual([false, true]);
    expect(pages.reduce((n, p) => n + p.skipped.bulk, 0)).toBe(1);
    expect(messages.map((m) => m.subject)).toEqual(['お見積りの件', 'Re: Quote for 2027']);
    expect(messages[0]).toMatchObject({ gmailId: jp, from: { name: '山田 太郎' }, attachments: [] });
    expect(messages[1]).toMatchObject({ threadRootId: '<quote-1@rapport-rep.example>', attachments: [] });
    expect(messages.every((m) => m.body === undefined)).toBe(true);
    // a metadata grant asked for whole messages: the member must grant more
    await expect(fetchPage(metaReader, { phase: 'import', importAfter }, { metadataOnly: false })).rejects.toMatchObject({ reason: 'insufficient_scope' });
  });

  it('increments: after the import, exactly the messages added since; a message deleted since is skipped; expired history is HistoryExpired', async () => {
    const { cursor } = await importAll(reader, importAfter, { metadataOnly: false });
    const box = google.mailbox(rep);
    const added = [box.add(plain(5000)), box.add(plain(5001), { threadId: 'thread-x' }), box.add(fixture('iso-2022-jp.eml'))];
    box.add(fixture('mailing-list.eml'));
    box.remove(box.add(plain(5002)));
    const page = await fetchPage(reader, cursor, { metadataOnly: false });
    expect(page.messages.map((m) => m.gmailId)).toEqual(added);
    expect(page.messages[1]!.threadId).toBe('thread-x');
    expect(page.skipped).toEqual({ bulk: 1, category: 0 });
    expect(page.next).toEqual({ phase: 'incremental', historyId: box.historyId() });
    expect(page.historyId).toBe(box.historyId());

    const quiet = await fetchPage(reader, page.next, { metadataOnly: false });
    expect(quiet.messages).toEqual([]);

    box.add(plain(5003));
    box.expireHistoryBefore();
    await expect(fetchPage(reader, page.next, { metadataOnly: false })).rejects.toBeInstanceOf(HistoryExpired);
  });
});
