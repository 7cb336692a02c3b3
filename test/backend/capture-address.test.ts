import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * A member's capture address (issue 16, part 1): mail BCC'd or forwarded to
 * log+<secret>@in.example.com, delivered by the relay as raw MIME or as
 * Postmark's JSON, is captured as the add-on's log captures it.
 */
const INBOUND = 'log@in.example.com';
const SECRET = 'inbound-relay-secret-'.padEnd(48, 'z');

// "こんにちは" in ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B), and "你好" in GB2312
const ISO_2022_JP_HELLO = [0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24, 0x4f, 0x1b, 0x28, 0x42];
const GB2312_HELLO = [0xc4, 0xe3, 0xba, 0xc3];

/** A raw message: header lines, a blank line, the body (bytes as given, or UTF-8). */
function raw(headers: string[], body: string | number[]): Uint8Array {
  const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  const tail = typeof body === 'string' ? Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8') : Buffer.from(body);
  return new Uint8Array(Buffer.concat([head, tail]));
}

/** A response's JSON, untyped as a test reads it. */
const json = (res: Response): Promise<any> => res.json();

const b64 = (bytes: number[] | string) => (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64');

describe.each(['pglite', 'postgres'] as const)('capture address on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let as: ReturnType<typeof caller>;
  let address = '';

  const mime = (message: Uint8Array, recipient: string, auth: string | null = `Bearer ${SECRET}`) =>
    app.request('/inbound/mime', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-rapport-recipient': recipient, ...(auth ? { authorization: auth } : {}) },
      body: message,
    });
  const postmark = (body: object, password = SECRET) =>
    caller(app, undefined, { authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}` })('POST', '/inbound/postmark', body);
  const interaction = async (id: string) =>
    (
      await t.sql.query<{ direction: string; subject: string; body: string; occurred_at: Date | string; author_id: string }>(
        'select direction, subject, body, occurred_at, author_id from crm.interactions where id = $1',
        [id],
      )
    )[0]!;
  const participants = async (id: string) =>
    (
      await t.sql.query<{ role: string; address: string }>(
        'select role, address from crm.interaction_participants where interaction_id = $1 order by role, address',
        [id],
      )
    ).map((r) => `${r.role}:${r.address}`);
  const count = async (table: string) =>
    Number((await t.sql.query<{ n: string | number }>(`select count(*) as n from crm.${table} where workspace_id = $1`, [a.id]))[0]!.n);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, inbound: { address: INBOUND, secret: SECRET } });
    a = await makeWorkspace(t.sql, t.db);
    as = caller(app, a.rep.token);
    const me = await as('GET', '/api/me/capture');
    expect(me.status).toBe(200);
    address = me.body.address;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it("gives each member an address of their own: the inbound address with a 10-letter secret after '+'", async () => {
    expect(address).toMatch(/^log\+[a-z2-9]{10}@in\.example\.com$/);
    const again = await as('GET', '/api/me/capture');
    expect(again.body).toEqual({ address, secret: address.slice(4, 14), rotatedAt: null, recentRefusals: [] });
    const peer = await caller(app, a.rep2.token)('GET', '/api/me/capture');
    expect(peer.body.address).not.toBe(address);
  });

  it('captures a BCC from the member as outbound to its To and Cc', async () => {
    const res = await mime(
      raw(
        [
          `From: Rep <${a.rep.email}>`,
          'To: Jane Client <jane.bcc@customer.example>',
          'Cc: ops.bcc@customer.example',
          `Bcc: ${address}`,
          'Subject: Our proposal',
          'Date: Fri, 20 Nov 2026 10:00:00 +0900',
          '<bcc-1@ws.example>'.replace(/^/, 'Message-ID: '),
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
        ],
        'Hello Jane,\nthe proposal is attached.\n\n-- \nRep',
      ),
      address,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ created: true, forwarded: false });
    const i = await interaction(body.interactionId);
    expect(i).toMatchObject({ direction: 'outbound', subject: 'Our proposal', body: 'Hello Jane,\nthe proposal is attached.', author_id: a.rep.id });
    expect(new Date(i.occurred_at).toISOString()).toBe('2026-11-20T01:00:00.000Z');
    expect(await participants(body.interactionId)).toEqual(['cc:ops.bcc@customer.example', `from:${a.rep.email}`, 'to:jane.bcc@customer.example']);
  });

  it('captures the original of a Gmail forward, as inbound from its external sender', async () => {
    const res = await mime(
      raw(
        [
          `From: Rep <${a.rep.email}>`,
          `To: ${address}`,
          'Subject: Fwd: Pricing question',
          'Date: Fri, 20 Nov 2026 12:00:00 +0900',
          'Message-ID: <fwd-outer-1@ws.example>',
          'Content-Type: text/plain; charset=utf-8',
        ],
        [
          'FYI',
          '',
          '---------- Forwarded message ---------',
          'From: Jane Client <jane.fwd@customer.example>',
          'Date: Thu, Nov 19, 2026 at 3:30 PM',
          'Subject: Pricing question',
          `To: Rep <${a.rep.email}>`,
          '',
          'Hi, what would 50 seats cost?',
          '',
          'Jane',
        ].join('\n'),
      ),
      address,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ created: true, forwarded: true });
    const i = await interaction(body.interactionId);
    expect(i).toMatchObject({ direction: 'inbound', subject: 'Pricing question', body: 'Hi, what would 50 seats cost?\n\nJane' });
    // the forward's zone (+0900) for a date written without one
    expect(new Date(i.occurred_at).toISOString()).toBe('2026-11-19T06:30:00.000Z');
    expect(await participants(body.interactionId)).toEqual(['from:jane.fwd@customer.example', `to:${a.rep.email}`]);
    // the same forward again is the same interaction (its Message-ID derived from the original)
    const again = await mime(
      raw(
        [
          `From: ${a.rep.email}`,
          `To: ${address}`,
          'Subject: Fwd: Pricing question',
          'Date: Fri, 20 Nov 2026 12:00:00 +0900',
          'Content-Type: text/plain; charset=utf-8',
        ],
        '---------- Forwarded message ---------\nFrom: Jane Client <jane.fwd@customer.example>\nDate: Thu, Nov 19, 2026 at 3:30 PM\nSubject: Pricing question\n\nHi, what would 50 seats cost?\n\nJane',
      ),
      address,
    );
    expect(await json(again)).toMatchObject({ interactionId: body.interactionId, created: false });
  });

  it('captures the original of a Japanese Outlook forward (差出人 / 送信日時 / 宛先 / 件名), base64 in UTF-8', async () => {
    const text = [
      '',
      '________________________________',
      '差出人: 山田 太郎 <yamada@sakura.example>',
      '送信日時: 2026年11月20日 15:30',
      `宛先: ${a.rep.email}`,
      'CC: 鈴木 <suzuki@sakura.example>',
      '件名: お見積りのご依頼',
      '',
      'いつもお世話になっております。',
      'お見積りをお願いいたします。',
    ].join('\r\n');
    const res = await mime(
      raw(
        [
          `From: =?UTF-8?B?${b64('営業 担当')}?= <${a.rep.email}>`,
          `To: ${address}`,
          `Subject: =?UTF-8?B?${b64('転送: お見積りのご依頼')}?=`,
          'Date: Fri, 20 Nov 2026 16:00:00 +0900',
          'Message-ID: <outlook-outer@ws.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset="utf-8"',
          'Content-Transfer-Encoding: base64',
        ],
        b64(text),
      ),
      address,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.forwarded).toBe(true);
    const i = await interaction(body.interactionId);
    expect(i).toMatchObject({ direction: 'inbound', subject: 'お見積りのご依頼', body: 'いつもお世話になっております。\nお見積りをお願いいたします。' });
    expect(new Date(i.occurred_at).toISOString()).toBe('2026-11-20T06:30:00.000Z');
    expect(await participants(body.interactionId)).toEqual(['cc:suzuki@sakura.example', 'from:yamada@sakura.example', `to:${a.rep.email}`]);
  });

  it("reads the charsets of Japanese and Chinese mail through Node's TextDecoder", () => {
    const decode = (label: string, bytes: number[]) => new TextDecoder(label).decode(new Uint8Array(bytes));
    expect(decode('iso-2022-jp', ISO_2022_JP_HELLO)).toBe('こんにちは');
    expect(decode('shift_jis', [0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd])).toBe('こんにちは');
    expect(decode('euc-jp', [0xa4, 0xb3, 0xa4, 0xf3, 0xa4, 0xcb, 0xa4, 0xc1, 0xa4, 0xcf])).toBe('こんにちは');
    expect(decode('gb2312', GB2312_HELLO)).toBe('你好');
    expect(decode('gbk', GB2312_HELLO)).toBe('你好');
    expect(decode('gb18030', GB2312_HELLO)).toBe('你好');
    expect(decode('big5', [0xa7, 0x41, 0xa6, 0x6e])).toBe('你好');
  });

  it('captures an ISO-2022-JP body and subject', async () => {
    const res = await mime(
      raw(
        [
          `From: ${a.rep.email}`,
          'To: tanaka.jis@customer.example',
          `Subject: =?ISO-2022-JP?B?${b64(ISO_2022_JP_HELLO)}?=`,
          'Date: Fri, 20 Nov 2026 10:00:00 +0900',
          'Message-ID: <jis-1@ws.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=ISO-2022-JP',
          'Content-Transfer-Encoding: 7bit',
        ],
        [...ISO_2022_JP_HELLO, 0x0d, 0x0a],
      ),
      address,
    );
    expect(res.status).toBe(200);
    const i = await interaction((await json(res)).interactionId);
    expect(i).toMatchObject({ subject: 'こんにちは', body: 'こんにちは', direction: 'outbound' });
  });

  it('captures a GB2312 body in base64, in a multipart message with an attachment', async () => {
    const res = await mime(
      raw(
        [
          `From: ${a.rep.email}`,
          'To: wang.gb@customer.example',
          `Subject: =?GB2312?B?${b64(GB2312_HELLO)}?=`,
          'Date: Fri, 20 Nov 2026 10:00:00 +0800',
          'Message-ID: <gb-1@ws.example>',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b1"',
        ],
        [
          '--b1',
          'Content-Type: text/plain; charset=GB2312',
          'Content-Transfer-Encoding: base64',
          '',
          b64(GB2312_HELLO),
          '--b1',
          'Content-Type: application/pdf; name="quote.pdf"',
          'Content-Disposition: attachment; filename="quote.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          b64('%PDF-1.4 not really'),
          '--b1--',
          '',
        ].join('\n'),
      ),
      address,
    );
    expect(res.status).toBe(200);
    const i = await interaction((await json(res)).interactionId);
    expect(i).toMatchObject({ subject: '你好', body: '你好\n📎 quote.pdf' });
  });

  it('takes an email with a 5 MB attachment (listed, not stored); only past 50 MB is it refused as too large', async () => {
    const attachment = b64('x'.repeat(5 * 1024 * 1024));
    const message = raw(
      [
        `From: ${a.rep.email}`,
        'To: big.file@customer.example',
        'Subject: The drawings',
        'Date: Fri, 20 Nov 2026 11:00:00 +0900',
        'Message-ID: <big-1@ws.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b2"',
      ],
      [
        '--b2',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'Attached.',
        '--b2',
        'Content-Type: application/zip; name="drawings.zip"',
        'Content-Disposition: attachment; filename="drawings.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        attachment,
        '--b2--',
        '',
      ].join('\n'),
    );
    expect(message.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    const res = await mime(message, address);
    expect(res.status).toBe(200);
    const i = await interaction((await json(res)).interactionId);
    expect(i.body).toContain('📎 drawings.zip');
    expect(i.body.length).toBeLessThan(1000);
    const huge = await app.request('/inbound/mime', {
      method: 'POST',
      headers: {
        'content-type': 'message/rfc822',
        'content-length': String(51 * 1024 * 1024),
        'x-rapport-recipient': address,
        authorization: `Bearer ${SECRET}`,
      },
      body: new Uint8Array(16),
    });
    expect(huge.status).toBe(413);
  });

  it('answers 401 without the inbound secret, and writes nothing', async () => {
    const before = [await count('interactions'), await count('capture_refusals')];
    const message = raw([`From: ${a.rep.email}`, 'To: x.nosecret@customer.example', 'Subject: s', 'Message-ID: <nosecret@ws.example>'], 'body');
    for (const auth of [null, 'Bearer wrong-secret', `Rapport-Service ${SECRET}`, `Basic ${Buffer.from('u:wrong').toString('base64')}`]) {
      const res = await mime(message, address, auth);
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('inbound_auth_invalid');
    }
    expect((await postmark({ MailboxHash: address.slice(4, 14), From: a.rep.email }, 'wrong')).status).toBe(401);
    expect([await count('interactions'), await count('capture_refusals')]).toEqual(before);
  });

  it("refuses mail from another sender (403) and shows the refusal to the address's member", async () => {
    const before = await count('interactions');
    const res = await mime(
      raw(
        ['From: Mallory <mallory@elsewhere.example>', 'To: x.stranger@customer.example', 'Subject: Buy now', 'Message-ID: <stranger@elsewhere.example>'],
        'spam',
      ),
      address,
    );
    expect(res.status).toBe(403);
    expect((await json(res)).error).toMatchObject({ code: 'capture_sender_not_member', details: { reason: 'sender_not_member' } });
    // a colleague's mail is not theirs either
    const colleague = await mime(raw([`From: ${a.rep2.email}`, 'To: x@customer.example', 'Subject: Mine', 'Message-ID: <colleague@ws.example>'], 'b'), address);
    expect(colleague.status).toBe(403);
    expect(await count('interactions')).toBe(before);
    const me = await as('GET', '/api/me/capture');
    expect(me.body.recentRefusals.slice(0, 2)).toMatchObject([
      { reason: 'sender_not_member', from: a.rep2.email, subject: 'Mine' },
      { reason: 'sender_not_member', from: 'mallory@elsewhere.example', subject: 'Buy now' },
    ]);
    // nobody else sees them
    expect((await caller(app, a.rep2.token)('GET', '/api/me/capture')).body.recentRefusals).toEqual([]);
  });

  it('refuses mail whose DKIM and SPF both failed', async () => {
    const headers = (results: string) => [
      `Authentication-Results: mx.in.example.com; ${results}`,
      `From: ${a.rep.email}`,
      'To: x.dkim@customer.example',
      'Subject: Forged',
      `Message-ID: <dkim-${results.length}@ws.example>`,
    ];
    const forged = await mime(raw(headers('dkim=fail header.d=ws.example; spf=fail smtp.mailfrom=ws.example'), 'b'), address);
    expect(forged.status).toBe(403);
    expect((await json(forged)).error.code).toBe('capture_authentication_failed');
    expect((await as('GET', '/api/me/capture')).body.recentRefusals[0]).toMatchObject({ reason: 'authentication_failed', subject: 'Forged' });
    // one of them failing alone (a mailing list, a forward) is not a forgery
    expect((await mime(raw(headers('dkim=fail header.d=ws.example; spf=pass smtp.mailfrom=ws.example'), 'b'), address)).status).toBe(200);
  });

  it('makes one interaction of one Message-ID, logged by the add-on and BCC’d', async () => {
    const messageId = '<same-message@ws.example>';
    const logged = await as('POST', '/api/gmail/log', {
      messages: [
        {
          messageId,
          gmailMessageId: 'g-same',
          threadId: 't-same',
          from: { email: a.rep.email },
          to: [{ email: 'same.person@customer.example' }],
          cc: [],
          date: '2026-11-20T01:00:00Z',
          subject: 'Same message',
          body: 'Hello',
        },
      ],
    });
    expect(logged.status).toBe(201);
    const res = await mime(
      raw(
        [
          `From: ${a.rep.email}`,
          'To: same.person@customer.example',
          'Subject: Same message',
          `Message-ID: ${messageId}`,
          'Date: Fri, 20 Nov 2026 10:00:00 +0900',
        ],
        'Hello',
      ),
      address,
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ interactionId: logged.body.items[0].interactionId, created: false, forwarded: false });
    const n = await t.sql.query<{ n: string | number }>(
      `select count(*) as n from crm.interactions where workspace_id = $1 and dedupe_key = 'email:same-message@ws.example'`,
      [a.id],
    );
    expect(Number(n[0]!.n)).toBe(1);
  });

  it('captures from Postmark: the secret in MailboxHash, the Message-ID from its headers, attachments by name', async () => {
    const res = await postmark({
      From: `Rep <${a.rep.email}>`,
      FromFull: { Email: a.rep.email, Name: 'Rep' },
      To: 'Kim <kim.pm@customer.example>',
      Cc: '',
      Subject: 'Contract',
      Date: 'Fri, 20 Nov 2026 10:00:00 +0900',
      MessageID: '9d1b7c4e-0000-4000-8000-000000000000',
      Headers: [{ Name: 'Message-ID', Value: '<postmark-1@ws.example>' }],
      TextBody: 'Signed copy attached.',
      HtmlBody: '<p>Signed copy attached.</p>',
      MailboxHash: address.slice(4, 14),
      Attachments: [{ Name: 'contract.pdf', ContentLength: 1234, ContentType: 'application/pdf', Content: '' }],
      OriginalRecipient: address,
    });
    expect(res.status).toBe(200);
    const i = await interaction(res.body.interactionId);
    expect(i).toMatchObject({ subject: 'Contract', body: 'Signed copy attached.\n📎 contract.pdf', direction: 'outbound' });
    const key = await t.sql.query<{ dedupe_key: string }>('select dedupe_key from crm.interactions where id = $1', [res.body.interactionId]);
    expect(key[0]!.dedupe_key).toBe('email:postmark-1@ws.example');
    const refused = await postmark({ From: 'x@elsewhere.example', Subject: 'no', MailboxHash: address.slice(4, 14), TextBody: 'x' });
    expect(refused.status).toBe(403);
  });

  it('answers bad mail with a 4xx sentence, never 500', async () => {
    const cases: [Uint8Array, string, number][] = [
      [new Uint8Array(), address, 400],
      [raw(['Subject: no sender', 'To: x@customer.example'], 'b'), address, 400],
      [raw([`From: ${a.rep.email}`], 'b'), '', 400],
      [raw([`From: ${a.rep.email}`], 'b'), 'someone@in.example.com', 403],
      [raw([`From: ${a.rep.email}`], 'b'), 'log+unknown2345@in.example.com', 403],
      [new Uint8Array(Buffer.from('\u0000\u0001 not mail at all \u00ff')), address, 400],
    ];
    for (const [message, recipient, status] of cases) {
      const res = await mime(message, recipient);
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(body.error.message).toMatch(/\S/);
    }
  });

  it('rotating retires the old address: mail to it is refused, the new one works', async () => {
    const rotated = await as('POST', '/api/me/capture/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.address).toMatch(/^log\+[a-z2-9]{10}@in\.example\.com$/);
    expect(rotated.body.address).not.toBe(address);
    expect(rotated.body.rotatedAt).not.toBeNull();
    expect((await as('GET', '/api/me/capture')).body.address).toBe(rotated.body.address);
    const message = (id: string) => raw([`From: ${a.rep.email}`, 'To: rot@customer.example', 'Subject: After rotation', `Message-ID: <${id}@ws.example>`], 'b');
    const old = await mime(message('rot-old'), address);
    expect(old.status).toBe(403);
    expect((await json(old)).error.code).toBe('capture_address_retired');
    expect((await mime(message('rot-new'), rotated.body.address)).status).toBe(200);
  });
});
