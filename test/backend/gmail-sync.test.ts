import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { Db } from '../../backend/db/port.js';
import type { MailboxNotice } from '../../backend/google/schemas.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { startMailboxSync } from '../../backend/google/scheduler.js';
import { runMailboxStep } from '../../backend/google/sync.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Gmail sync end to end (issue 16, part 2): the real googleapis and
 * google-auth-library clients against a Gmail and OAuth stand-in on
 * loopback; the backend's routes and worker on a real database. Connect,
 * first import, new mail, an expired history id, a revoked token, a copy
 * killed mid-import, disconnect.
 */
const PUBLIC = 'http://rapport.test';
const KEY = Buffer.alloc(32, 7);
let seq = 0;

/** A raw message as Gmail stores it. */
function mail(o: { from: string; to: string[]; subject: string; body?: string; id?: string | null; inReplyTo?: string; date?: Date; headers?: string[] }) {
  const id = o.id === undefined ? `<m${++seq}.${Date.now()}@mail.test>` : o.id;
  return [
    `From: ${o.from}`,
    `To: ${o.to.join(', ')}`,
    `Subject: ${o.subject}`,
    `Date: ${(o.date ?? new Date()).toUTCString()}`,
    ...(id ? [`Message-ID: ${id}`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    ...(o.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? `Body of ${o.subject}`,
    '',
  ].join('\r\n');
}

describe.each(['pglite', 'postgres'] as const)('Gmail sync on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let rep: ReturnType<typeof caller>;
  const notices: MailboxNotice[] = [];
  // the member's Google Workspace address, their Rapport email too
  const address = () => a.rep.email;

  const step = (o: { workerId?: string; db?: Db } = {}) =>
    runMailboxStep({ db: o.db ?? t.db, gmail, workerId: o.workerId ?? 'worker-1', notice: async (n) => void notices.push(n), pageSize: 20, pageBudget: 100 });
  const status = async () => (await rep('GET', '/api/me/mailbox')).body;
  const synced = async () =>
    (
      await t.sql.query<{ external_id: string; direction: string; visibility: string }>(
        `select external_id, direction, visibility from crm.interactions where workspace_id = $1 and source = 'gmail' order by external_id`,
        [a.id],
      )
    ).map((r) => r.external_id);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    gmail = {
      serverKey: KEY,
      publicUrl: PUBLIC,
      oauth: {
        clientId: 'stand-in-client.apps.googleusercontent.com',
        clientSecret: 'stand-in-secret',
        redirectUri: `${PUBLIC}/google/oauth_callback`,
        apiUrl: `${google.url}/`,
        oauthUrl: google.url,
      },
      endpoints: { apiUrl: `${google.url}/`, oauthUrl: google.url },
      importDays: 90,
      pollSeconds: 120,
      quotaUnitsPerSecond: 100_000,
    };
    app = createApp({ db: t.db, gmail });
    a = await makeWorkspace(t.sql, t.db);
    rep = caller(app, a.rep.token);
    const admin = caller(app, a.admin.token);
    await admin('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] });
    await admin('POST', '/api/contacts', { name: 'Lee Customer', emails: ['lee@customer.test'] });
    const box = google.mailbox(address());
    const old = new Date(Date.now() - 5 * 86_400_000);
    // 30 with known contacts, 10 bulk, 5 promotions, 10 from strangers, 3 internal, 1 too old
    for (let i = 0; i < 30; i++) box.add(mail({ from: `Kim <kim@customer.test>`, to: [address()], subject: `Order ${i}`, date: old }), { internalDate: old });
    for (let i = 0; i < 10; i++)
      box.add(mail({ from: 'news@list.test', to: [address()], subject: `Newsletter ${i}`, headers: ['List-Unsubscribe: <mailto:u@list.test>'] }));
    for (let i = 0; i < 5; i++) box.add(mail({ from: 'deals@shop.test', to: [address()], subject: `Deal ${i}` }), { labels: ['INBOX', 'CATEGORY_PROMOTIONS'] });
    for (let i = 0; i < 10; i++) box.add(mail({ from: `stranger${i}@elsewhere.test`, to: [address()], subject: `Hello ${i}` }));
    for (let i = 0; i < 3; i++) box.add(mail({ from: `colleague@${a.domain}`, to: [address()], subject: `Lunch ${i}` }));
    const ancient = new Date(Date.now() - 200 * 86_400_000);
    box.add(mail({ from: 'kim@customer.test', to: [address()], subject: 'Ancient', date: ancient }), { internalDate: ancient });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it("connects through Google's consent: the state is checked, the refresh token sealed, the import starts", async () => {
    google.consentAs(address());
    const connect = await rep('POST', '/api/me/mailbox', {});
    expect(connect.status).toBe(200);
    const authorize = new URL(connect.body.authorizeUrl);
    expect(authorize.origin).toBe(google.url);
    expect(authorize.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/gmail.readonly');
    expect(authorize.searchParams.get('access_type')).toBe('offline');
    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC}/google/oauth_callback`);
    // a state altered on the way is refused, and nothing is connected
    const forged = await app.request(`/google/oauth_callback?code=${back.searchParams.get('code')}&state=${back.searchParams.get('state')}x`);
    expect(forged.status).toBe(400);
    expect((await status()).status).toBe('off');
    const page = await app.request(`${back.pathname}${back.search}`, { headers: { 'accept-language': 'ja' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Gmail を接続しました');
    const s = await status();
    expect(s).toMatchObject({ available: true, connected: true, status: 'importing', address: address(), mode: 'oauth' });
    const [row] = await t.sql.query<{ sealed_token: string }>('select sealed_token from crm.mailboxes where member_id = $1', [a.rep.id]);
    expect(row!.sealed_token).toMatch(/^v1:/);
    expect(row!.sealed_token).not.toContain('refresh');
  });

  it('imports newest first: the known contacts captured, the rest counted by reason, nothing older than the window', async () => {
    const first = await runMailboxStep({ db: t.db, gmail, workerId: 'worker-1', pageSize: 20, pageBudget: 1 });
    expect(first).toMatchObject({ claimed: 1, pages: 1 });
    // the first page is visible at once: the newest mail
    const early = await status();
    expect(early.counts.captured + Object.values(early.counts.skipped as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(20);
    while ((await status()).status === 'importing') {
      await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
      await step();
    }
    const s = await status();
    expect(s.status).toBe('active');
    expect(s.counts).toEqual({ captured: 30, skipped: { bulk: 10, category: 5, blocked: 0, unknown: 10, internal: 3 } });
    expect(s.lastError).toBeNull();
    expect(await synced()).toHaveLength(30);
  });

  it('captures new mail incrementally, including the rep\u2019s reply sent without clicking anything', async () => {
    const box = google.mailbox(address());
    box.add(mail({ from: 'lee@customer.test', to: [address()], subject: 'Question', id: '<q1@customer.test>' }));
    box.add(mail({ from: address(), to: ['lee@customer.test'], subject: 'Re: Question', inReplyTo: '<q1@customer.test>', id: '<r1@gmail.test>' }));
    await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
    const pass = await step();
    expect(pass).toMatchObject({ claimed: 1, captured: 2, failed: 0 });
    const rows = await t.sql.query<{ external_id: string; direction: string; author_id: string }>(
      `select external_id, direction, author_id from crm.interactions where workspace_id = $1 and external_id in ('<q1@customer.test>', '<r1@gmail.test>') order by external_id`,
      [a.id],
    );
    expect(rows).toEqual([
      { external_id: '<q1@customer.test>', direction: 'inbound', author_id: a.rep.id },
      { external_id: '<r1@gmail.test>', direction: 'outbound', author_id: a.rep.id },
    ]);
    // up to date: due again after the poll interval
    expect((await step()).claimed).toBe(0);
  });

  it("takes a customer off the manager's 'waiting for a reply' when the rep replied from Gmail without clicking anything", async () => {
    await rep('POST', '/api/contacts', { name: 'Wen Waiting', emails: ['wen@customer.test'] });
    const asked = new Date(Date.now() - 2 * 86_400_000).toISOString();
    // the customer's question, logged from the add-on two days ago
    const logged = await rep('POST', '/api/interactions', {
      kind: 'email',
      source: 'gmail',
      externalId: '<wen-question@customer.test>',
      occurredAt: asked,
      subject: 'Can you send the quote?',
      body: 'Hello, can you send the quote?',
      participants: [
        { role: 'from', email: 'wen@customer.test' },
        { role: 'to', email: address() },
      ],
    });
    expect(logged.status).toBe(201);
    const waiting = async () => {
      const digest = await caller(app, a.manager.token)('GET', '/api/me/digest');
      expect(digest.status).toBe(200);
      return (digest.body.waiting.items as { contact: { name: string } }[]).map((x) => x.contact.name);
    };
    expect(await waiting()).toContain('Wen Waiting');
    // the rep answers in Gmail; nobody clicks Log
    google.mailbox(address()).add(
      mail({
        from: address(),
        to: ['wen@customer.test'],
        subject: 'Re: Can you send the quote?',
        inReplyTo: '<wen-question@customer.test>',
        id: '<wen-reply@gmail.test>',
      }),
    );
    await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
    expect(await step()).toMatchObject({ captured: 1, failed: 0 });
    expect(await waiting()).not.toContain('Wen Waiting');
  });

  it("takes a customer off the manager's 'going cold' when the rep writes to them from Gmail, though the mail stays private", async () => {
    const made = await rep('POST', '/api/contacts', { name: 'Cole Cold', emails: ['cole@customer.test'], stage: 'customer' });
    expect(made.status).toBe(201);
    // last in touch, as everyone sees it, 40 days ago (the workspace's cold_after is 30)
    await t.sql.query(`update crm.contacts set last_interaction_at = now() - interval '40 days', created_at = now() - interval '90 days' where id = $1`, [
      made.body.id,
    ]);
    const cold = async (token: string) => {
      const digest = await caller(app, token)('GET', '/api/me/digest');
      expect(digest.status).toBe(200);
      return (digest.body.goingCold.items as { contact: { name: string } }[]).map((x) => x.contact.name);
    };
    expect(await cold(a.manager.token)).toContain('Cole Cold');
    google.mailbox(address()).add(mail({ from: address(), to: ['cole@customer.test'], subject: 'Checking in', id: '<cole-checkin@gmail.test>' }));
    await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
    expect(await step()).toMatchObject({ captured: 1, failed: 0 });
    expect(await cold(a.manager.token)).not.toContain('Cole Cold');
    expect(await cold(a.rep.token)).not.toContain('Cole Cold');
    // private: the time everyone sees has not moved
    const [row] = await t.sql.query<{ stale: boolean; visibility: string }>(
      `select c.last_interaction_at < now() - interval '39 days' as stale, i.visibility from crm.contacts c, crm.interactions i
       where c.id = $1 and i.workspace_id = c.workspace_id and i.external_id = '<cole-checkin@gmail.test>'`,
      [made.body.id],
    );
    expect(row).toEqual({ stale: true, visibility: 'private' });
  });

  it('re-imports after Google forgets the history id, and makes no duplicates', async () => {
    const before = (await synced()).length;
    const capturedBefore = (await status()).counts.captured;
    const box = google.mailbox(address());
    box.add(mail({ from: 'kim@customer.test', to: [address()], subject: 'After expiry', id: '<late@customer.test>' }));
    box.expireHistoryBefore();
    await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
    await step(); // history.list answers 404: the cursor goes back to a bounded import
    const [row] = await t.sql.query<{ reimports: number; status: string }>('select reimports, status from crm.mailboxes where member_id = $1', [a.rep.id]);
    expect(row).toMatchObject({ reimports: 1, status: 'importing' });
    while ((await status()).status === 'importing') await step();
    const after = await synced();
    expect(after).toHaveLength(before + 1);
    expect(new Set(after).size).toBe(after.length);
    expect((await status()).counts.captured).toBe(capturedBefore + 1);
  });

  it('tells the member once, with a reconnect link, when the token is revoked', async () => {
    google.revokeAll(address());
    google.mailbox(address()).add(mail({ from: 'kim@customer.test', to: [address()], subject: 'While revoked' }));
    await t.sql.query('update crm.mailboxes set due_at = now() where member_id = $1', [a.rep.id]);
    expect(await step()).toMatchObject({ failed: 1 });
    const s = await status();
    expect(s.status).toBe('reconnect');
    expect(s.lastError).toContain('Connect Gmail again');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ memberId: a.rep.id, address: address(), reason: 'invalid_grant', locale: 'en' });
    expect((await step()).claimed).toBe(0);
    expect(notices).toHaveLength(1);
    // the link restarts the consent for this member; a tampered one is refused
    const link = new URL(notices[0]!.reconnectUrl);
    expect(link.origin).toBe(PUBLIC);
    const go = await app.request(`${link.pathname}${link.search}`);
    expect(go.status).toBe(302);
    expect(go.headers.get('location')).toContain(`${google.url}/`);
    expect((await app.request(`${link.pathname}${link.search.replace(/member=[^&]+/, `member=${a.rep2.id}`)}`)).status).toBe(400);
    // consenting again resumes where it stopped
    google.consentAs(address());
    const consent = await fetch(go.headers.get('location')!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect((await app.request(`${back.pathname}${back.search}`)).status).toBe(200);
    while (['importing', 'active'].includes((await status()).status) && (await step()).claimed > 0) {
      /* until caught up */
    }
    expect(await synced()).toContain(
      (await t.sql.query<{ e: string }>(`select external_id as e from crm.interactions where subject = 'While revoked' and workspace_id = $1`, [a.id]))[0]!.e,
    );
    expect((await status()).status).toBe('active');
  });

  it('loses and doubles nothing when a copy dies mid-import: another takes over from the last committed page', async () => {
    const who = a.rep2.email;
    const box = google.mailbox(who);
    for (let i = 0; i < 95; i++) box.add(mail({ from: 'lee@customer.test', to: [who], subject: `Batch ${i}`, id: `<batch-${i}@customer.test>` }));
    for (let i = 0; i < 25; i++) box.add(mail({ from: `nobody${i}@elsewhere.test`, to: [who], subject: `Cold ${i}` }));
    google.consentAs(who);
    const connect = await caller(app, a.rep2.token)('POST', '/api/me/mailbox', {});
    const back = new URL((await fetch(connect.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!);
    expect((await app.request(`${back.pathname}${back.search}`)).status).toBe(200);
    // the copy dies right after its third page commits: every later call of its fails, its lease stays
    let pages = 0;
    const dying: Db = {
      ...t.db,
      kind: t.db.kind,
      callAnonymous: async <T>(fn: string, args: object) => {
        if (pages >= 3) throw new Error('killed');
        const out = await t.db.callAnonymous<T>(fn, args);
        if (fn === 'mailbox_page') pages += 1;
        return out;
      },
    };
    await expect(step({ workerId: 'doomed', db: dying })).rejects.toThrow('killed');
    const [held] = await t.sql.query<{ lease_owner: string; captured: number }>('select lease_owner, captured from crm.mailboxes where member_id = $1', [
      a.rep2.id,
    ]);
    expect(held!.lease_owner).toBe('doomed');
    // no one takes a leased mailbox; once the lease runs out, another copy resumes
    expect((await step({ workerId: 'survivor' })).claimed).toBe(0);
    await t.sql.query(`update crm.mailboxes set lease_until = now() - interval '1 second' where member_id = $1`, [a.rep2.id]);
    while ((await step({ workerId: 'survivor' })).claimed > 0) {
      /* until the import is done */
    }
    const [done] = await t.sql.query<{ status: string; captured: number; skipped: { unknown: number } }>(
      'select status, captured, skipped from crm.mailboxes where member_id = $1',
      [a.rep2.id],
    );
    expect(done).toMatchObject({ status: 'active', skipped: { unknown: 25 } });
    expect(Number(done!.captured)).toBe(95);
    const [n] = await t.sql.query<{ n: string | number; d: string | number }>(
      `select count(*) as n, count(distinct external_id) as d from crm.interactions where workspace_id = $1 and external_id like '<batch-%'`,
      [a.id],
    );
    expect([Number(n!.n), Number(n!.d)]).toEqual([95, 95]);
  });

  it("runs in the server's loop: one kick imports a whole mailbox, pass after pass, without waiting for the tick", async () => {
    const who = a.manager.email;
    const box = google.mailbox(who);
    for (let i = 0; i < 150; i++) box.add(mail({ from: 'kim@customer.test', to: [who], subject: `Loop ${i}`, id: `<loop-${i}@customer.test>` }));
    google.consentAs(who);
    const connect = await caller(app, a.manager.token)('POST', '/api/me/mailbox', {});
    const back = new URL((await fetch(connect.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!);
    expect((await app.request(`${back.pathname}${back.search}`)).status).toBe(200);
    const loop = startMailboxSync({ db: t.db, gmail, workerId: 'loop', tickSeconds: 3600, pageSize: 20, pageBudget: 2 });
    try {
      await loop.kick();
      const state = async () =>
        (await t.sql.query<{ status: string; captured: number }>('select status, captured from crm.mailboxes where member_id = $1', [a.manager.id]))[0]!;
      for (let waited = 0; (await state()).status !== 'active' && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(await state()).toMatchObject({ status: 'active' });
      expect(Number((await state()).captured)).toBe(150);
    } finally {
      await loop.stop();
    }
  });

  it('disconnects: the token is revoked at Google, sync stops, what was captured stays', async () => {
    const kept = (await synced()).length;
    const revokes = google.requests.filter((r) => r.path === '/revoke').length;
    const res = await rep('DELETE', '/api/me/mailbox');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connected: false, status: 'off' });
    expect(google.requests.filter((r) => r.path === '/revoke').length).toBe(revokes + 1);
    expect(await synced()).toHaveLength(kept);
    expect((await step()).claimed).toBe(0);
  });
});
