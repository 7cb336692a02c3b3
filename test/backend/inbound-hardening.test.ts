import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * The capture address under load and over time: a rate limit per address
 * (429 with Retry-After, which relays retry), refusals kept 90 days and at
 * most 200 per member, and a person's export and erasure covering the
 * refusals of mail they sent.
 */
const INBOUND = 'log@in.example.com';
const SECRET = 'inbound-relay-secret-'.padEnd(48, 'h');
const SPAMMER = 'Spammer.Person@elsewhere.example';

const raw = (headers: string[], body: string) => new TextEncoder().encode(`${headers.join('\r\n')}\r\n\r\n${body}`);

describe.each(['pglite', 'postgres'] as const)('inbound hardening on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let limited: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let address = '';
  let address2 = '';

  const mime = (on: ReturnType<typeof createApp>, to: string, from: string, n: number) =>
    on.request('/inbound/mime', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-rapport-recipient': to, authorization: `Bearer ${SECRET}` },
      body: raw([`From: ${from}`, 'To: someone@customer.example', `Subject: Message ${n}`, `Message-ID: <hardening-${kind}-${n}@x.example>`], 'Hi'),
    });
  const refusals = async (memberId: string) =>
    Number((await t.sql.query<{ n: string | number }>('select count(*) as n from crm.capture_refusals where member_id = $1', [memberId]))[0]!.n);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, inbound: { address: INBOUND, secret: SECRET } });
    limited = createApp({
      db: t.db,
      inbound: { address: INBOUND, secret: SECRET },
      rateLimit: { perCredential: 0, perWorkspace: 0, perCaptureAddress: 3 },
    });
    a = await makeWorkspace(t.sql, t.db);
    address = (await caller(app, a.rep.token)('GET', '/api/me/capture')).body.address;
    address2 = (await caller(app, a.rep2.token)('GET', '/api/me/capture')).body.address;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('answers 429 with Retry-After past the limit of one capture address a minute, and counts each address on its own', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await mime(limited, address, a.rep.email, n)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const over = await mime(limited, address, a.rep.email, 9);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // nothing of the refused deliveries was stored; another member's address is not held back
    const stored = await t.sql.query('select 1 from crm.interactions where workspace_id = $1 and external_id like $2', [a.id, `<hardening-${kind}-%`]);
    expect(stored).toHaveLength(3);
    expect((await mime(limited, address2, a.rep2.email, 20)).status).toBe(200);
  });

  it('keeps refusals 90 days and at most 200 per member; the member sees the latest', async () => {
    await t.sql.query(
      `insert into crm.capture_refusals (workspace_id, member_id, at, reason, sender, subject)
       select $1, $2, now() - make_interval(mins => g), 'sender_not_member', 'old' || g || '@elsewhere.example', 'old'
       from generate_series(1, 230) g`,
      [a.id, a.rep.id],
    );
    await t.sql.query(
      `insert into crm.capture_refusals (workspace_id, member_id, at, reason, sender, subject)
       values ($1, $2, now() - interval '100 days', 'sender_not_member', 'ancient@elsewhere.example', 'ancient')`,
      [a.id, a.rep2.id],
    );
    expect((await mime(app, address, 'newest@elsewhere.example', 100)).status).toBe(403);
    expect(await refusals(a.rep.id)).toBe(200);
    expect((await mime(app, address2, 'another@elsewhere.example', 101)).status).toBe(403);
    const left = await t.sql.query<{ sender: string }>('select sender from crm.capture_refusals where member_id = $1', [a.rep2.id]);
    expect(left.map((r) => r.sender)).toEqual(['another@elsewhere.example']);
    const me = await caller(app, a.rep.token)('GET', '/api/me/capture');
    expect(me.body.recentRefusals[0]).toMatchObject({ from: 'newest@elsewhere.example', reason: 'sender_not_member' });
    expect(me.body.recentRefusals).toHaveLength(20);
  });

  it("a person's export lists the refused mail they sent, and erasing them removes it", async () => {
    const made = await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Spammer Person', emails: [SPAMMER.toLowerCase()] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await mime(app, address2, SPAMMER, 200)).status).toBe(403);
    const exported = await caller(app, a.admin.token)('GET', `/api/contacts/${made.body.id}/export`);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.captureRefusals).toEqual([
      {
        at: expect.any(String),
        reason: 'sender_not_member',
        from: SPAMMER,
        subject: 'Message 200',
        member: { id: a.rep2.id, name: expect.any(String), email: a.rep2.email },
      },
    ]);
    const erased = await caller(app, a.admin.token)('DELETE', `/api/contacts/${made.body.id}?erase=true`);
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const left = await t.sql.query('select 1 from crm.capture_refusals where lower(sender) = $1', [SPAMMER.toLowerCase()]);
    expect(left).toEqual([]);
  });
});
