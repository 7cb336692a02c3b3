import { readFileSync } from 'node:fs';
import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, exchangeCode, GMAIL_SCOPE, oauthClient, type OAuthApp } from '../../backend/google/oauth.js';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.js';

/**
 * The stand-in answers in Gmail's wire formats, read by the real googleapis
 * client: the `full` payload tree (parts, partIds, bodies in their own
 * charset, attachment ids), `metadata` headers, errors.
 */
const clientId = 'stand-in-test.apps.googleusercontent.com';
const clientSecret = 'stand-in-test-secret';
const rep = 'wire.rep@rapport-rep.example';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/mail/${name}`, import.meta.url));

let google: GoogleStandIn;
let gmail: gmail_v1.Gmail;
let app: OAuthApp;

beforeAll(async () => {
  google = await startGoogleStandIn({ clientId, clientSecret });
  app = { clientId, clientSecret, redirectUri: 'http://127.0.0.1:9/cb', apiUrl: google.url, oauthUrl: google.url };
  google.consentAs(rep);
  const res = await fetch(authorizeUrl(app, { scopes: [GMAIL_SCOPE.readonly], state: 's' }), { redirect: 'manual' });
  const { refreshToken } = await exchangeCode(app, new URL(res.headers.get('location')!).searchParams.get('code')!);
  const auth = oauthClient(app);
  auth.setCredentials({ refresh_token: refreshToken });
  const { google: apis } = await import('googleapis');
  // the stand-in's client and googleapis' own copy of google-auth-library differ in version only
  gmail = apis.gmail({ version: 'v1', rootUrl: `${google.url}/`, auth: auth as unknown as gmail_v1.Options['auth'], retry: false });
});
afterAll(() => google.close());

describe('messages.get', () => {
  it('format=full: the MIME tree with partIds, text bodies as sent, the attachment by id and size', async () => {
    const id = google.mailbox(rep).add(fixture('reply-with-attachment.eml'));
    const { data } = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
    const p = data.payload!;
    expect(p).toMatchObject({ partId: '', mimeType: 'multipart/mixed', filename: '', body: { size: 0 } });
    expect(p.headers!.find((h) => h.name === 'Subject')!.value).toBe('Re: Quote for 2027');
    expect(p.parts!.map((x) => [x.partId, x.mimeType, x.filename])).toEqual([
      ['0', 'multipart/alternative', ''],
      ['1', 'application/pdf', 'quote-2027.pdf'],
    ]);
    const [plain, html] = p.parts![0]!.parts!;
    expect([plain!.partId, html!.partId]).toEqual(['0.0', '0.1']);
    expect(Buffer.from(plain!.body!.data!, 'base64url').toString()).toMatch(/^Thanks, the signed quote is attached\./);
    expect(p.parts![1]!.body).toMatchObject({ size: 51209, attachmentId: expect.any(String) });
    expect(p.parts![1]!.body!.data).toBeUndefined();
    const attachment = await gmail.users.messages.attachments.get({ userId: 'me', messageId: id, id: p.parts![1]!.body!.attachmentId! });
    expect(Buffer.from(attachment.data.data!, 'base64url').subarray(0, 9).toString()).toBe('%PDF-1.4\n');
    expect(attachment.data.size).toBe(51209);
    expect(data).toMatchObject({ id, threadId: id, labelIds: ['INBOX', 'UNREAD'], internalDate: String(Date.parse('Fri, 20 Nov 2026 10:00:00 +0000')) });
  });

  it("format=full keeps a part's bytes in its charset (Shift_JIS here), as Gmail does; format=raw is the message as sent", async () => {
    const raw = fixture('shift_jis.eml');
    const id = google.mailbox(rep).add(raw);
    const { data } = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
    const bytes = Buffer.from(data.payload!.body!.data!, 'base64url');
    expect(new TextDecoder('shift_jis').decode(bytes)).toContain('来週の打ち合わせは水曜日でいかがでしょうか。');
    const { data: asRaw } = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
    expect(Buffer.from(asRaw.raw!, 'base64url').equals(raw)).toBe(true);
  });

  it('format=metadata: only the headers asked for', async () => {
    const id = google.mailbox(rep).add(fixture('mailing-list.eml'));
    const { data } = await gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['From', 'List-Id'] });
    expect(data.payload!.headers).toEqual([
      { name: 'From', value: 'Acme News <news@acme.example>' },
      { name: 'List-Id', value: 'Acme News <news.acme.example>' },
    ]);
    expect(data.payload!.parts).toBeUndefined();
  });

  it("an unknown id is Gmail's 404 error body", async () => {
    const error = await gmail.users.messages.get({ userId: 'me', id: 'ffffffffffff' }).catch((e: { status?: number; response?: { data: unknown } }) => e);
    expect((error as { status?: number }).status).toBe(404);
    expect((error as { response: { data: unknown } }).response.data).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        status: 'NOT_FOUND',
        errors: [{ domain: 'global', reason: 'notFound', message: 'Requested entity was not found.' }],
      },
    });
  });
});

describe('lists and history', () => {
  it('messages.list pages newest first with an opaque token; history.list lists additions after a history id', async () => {
    const box = google.mailbox('pages@rapport-rep.example');
    const start = box.historyId();
    const ids = [0, 1, 2].map((n) => box.add(`From: a@x.example\r\nSubject: ${n}\r\n\r\nx`, { internalDate: new Date(Date.UTC(2026, 10, 1 + n)) }));
    google.consentAs('pages@rapport-rep.example');
    const res = await fetch(authorizeUrl(app, { scopes: [GMAIL_SCOPE.readonly], state: 's' }), { redirect: 'manual' });
    const { refreshToken } = await exchangeCode(app, new URL(res.headers.get('location')!).searchParams.get('code')!);
    const auth = oauthClient(app);
    auth.setCredentials({ refresh_token: refreshToken });
    const opts = { auth: auth as unknown as gmail_v1.Options['auth'], retry: false };
    const first = await gmail.users.messages.list({ userId: 'me', maxResults: 2 }, opts);
    expect(first.data.messages!.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect(first.data.resultSizeEstimate).toBe(3);
    const second = await gmail.users.messages.list({ userId: 'me', maxResults: 2, pageToken: first.data.nextPageToken! }, opts);
    expect(second.data).toEqual({ messages: [{ id: ids[0], threadId: ids[0] }], resultSizeEstimate: 3 });
    const history = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'] }, opts);
    expect(history.data.history!.flatMap((h) => h.messagesAdded!.map((a) => a.message!.id))).toEqual(ids);
    expect(history.data.historyId).toBe(box.historyId());
  });
});
