import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Gmail sync's database side (issue 16, part 2), without Google: a mailbox
 * connected, leased to one worker at a time, its pages committed whole with
 * what the workspace's policy lets through, its failures recorded in words
 * the member reads. The sync itself, against a Gmail stand-in, is in
 * gmail-sync.test.ts.
 */
const msg = (id: string, from: string, to: string[], o: { subject?: string; thread?: string } = {}) => ({
  messageId: `<${id}@mail.test>`,
  ...(o.thread ? { threadRootId: o.thread } : {}),
  from: { email: from },
  to: to.map((email) => ({ email })),
  cc: [],
  date: '2026-11-30T09:00:00.000Z',
  subject: o.subject ?? `About ${id}`,
  body: `Body of ${id}`,
  attachments: [],
});

describe.each(['pglite', 'postgres'] as const)('mailboxes on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let rep: ReturnType<typeof caller>;
  let mailboxId = '';

  const anon = <T = any>(fn: string, args: object) => t.db.callAnonymous<T>(fn, args);
  const connect = (memberId: string, address: string) =>
    anon('mailbox_connected', { workspaceId: a.id, memberId, address, mode: 'oauth', sealedToken: 'v1:sealed', scopes: ['gmail.readonly'] });
  const claim = async (workerId: string) =>
    (await anon<{ claimed: any[] }>('mailbox_claim', { workerId, leaseSeconds: 60, limit: 50 })).claimed.filter((x) => x.workspaceId === a.id);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'senders' });
    rep = caller(app, a.rep.token);
    await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Kim Known', emails: ['kim@customer.test'] });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('is off until connected, keeps the member\u2019s choices, and says when the server cannot connect Gmail', async () => {
    const off = await rep('GET', '/api/me/mailbox');
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ available: false, connected: false, status: 'off', policy: 'known', visibility: 'private', lastError: null });
    expect(off.body.counts).toEqual({ captured: 0, skipped: { bulk: 0, category: 0, blocked: 0, unknown: 0, internal: 0 } });
    const set = await rep('PATCH', '/api/me/mailbox', { blockList: ['@Spam.Example', 'boss@partner.test', ' '.repeat(1)] });
    expect(set.status).toBe(400);
    const ok = await rep('PATCH', '/api/me/mailbox', { blockList: ['@Spam.Example', 'boss@partner.test'] });
    expect(ok.status).toBe(200);
    expect(ok.body.blockList).toEqual(['boss@partner.test', 'spam.example']);
    const post = await rep('POST', '/api/me/mailbox', {});
    expect(post.status).toBe(409);
    expect(post.body.error.code).toBe('mailbox_not_available');
  });

  it('leases a connected mailbox to one worker at a time', async () => {
    const c = await connect(a.rep.id, 'Ren.Rep@Gmail.test');
    expect(c).toMatchObject({ connected: true, status: 'importing', address: 'ren.rep@gmail.test', mode: 'oauth' });
    const first = await claim('worker-a');
    expect(first).toHaveLength(1);
    mailboxId = first[0].id;
    expect(first[0]).toMatchObject({ memberId: a.rep.id, sealedToken: 'v1:sealed', cursor: {}, metadataOnly: false });
    expect(await claim('worker-b')).toHaveLength(0);
  });

  it('commits a page whole: known contacts captured (private), the rest counted by reason, the cursor moved', async () => {
    const internal = `colleague@${a.domain}`;
    const page = await anon('mailbox_page', {
      id: mailboxId,
      workerId: 'worker-a',
      messages: [
        msg('known-1', 'kim@customer.test', [a.rep.email]),
        msg('stranger-1', 'who@stranger.test', [a.rep.email]),
        msg('internal-1', internal, [a.rep.email]),
        msg('blocked-1', 'ads@mail.spam.example', [a.rep.email]),
        msg('blocked-2', 'kim@customer.test', ['boss@partner.test']),
      ],
      skipped: { bulk: 3, category: 2 },
      cursor: { phase: 'import', pageToken: 'p2', historyId: '100', importAfter: '2026-09-01T00:00:00Z' },
      importDone: false,
    });
    expect(page).toMatchObject({ lost: false, captured: 1, skipped: { bulk: 3, category: 2, blocked: 2, unknown: 1, internal: 1 }, status: 'importing' });
    const rows = await t.sql.query<{ subject: string; visibility: string; author_id: string; direction: string }>(
      `select subject, visibility, author_id, direction from crm.interactions where workspace_id = $1 and external_id like '%@mail.test>'`,
      [a.id],
    );
    expect(rows).toEqual([{ subject: 'About known-1', visibility: 'private', author_id: a.rep.id, direction: 'inbound' }]);
    const status = await rep('GET', '/api/me/mailbox');
    expect(status.body).toMatchObject({ status: 'importing', counts: { captured: 1, skipped: { bulk: 3, category: 2, blocked: 2, unknown: 1, internal: 1 } } });
    expect(status.body.lastSyncAt).not.toBeNull();
  });

  it('captures a reply in a thread Rapport knows even from an address it does not, and nothing twice', async () => {
    const page = await anon('mailbox_page', {
      id: mailboxId,
      workerId: 'worker-a',
      messages: [
        msg('reply-1', 'kims.assistant@other.test', [a.rep.email], { thread: '<known-1@mail.test>' }),
        msg('known-1', 'kim@customer.test', [a.rep.email]),
      ],
      skipped: { bulk: 0, category: 0 },
      cursor: { phase: 'incremental', historyId: '120' },
      importDone: true,
    });
    expect(page).toMatchObject({ captured: 1, status: 'active' });
  });

  it('writes nothing for a worker whose lease another copy took over', async () => {
    const lost = await anon('mailbox_page', {
      id: mailboxId,
      workerId: 'worker-b',
      messages: [msg('late-1', 'kim@customer.test', [a.rep.email])],
      cursor: { phase: 'incremental', historyId: '999' },
    });
    expect(lost).toEqual({ lost: true });
    const [row] = await t.sql.query<{ cursor: { historyId: string } }>('select cursor from crm.mailboxes where id = $1', [mailboxId]);
    expect(row!.cursor.historyId).toBe('120');
  });

  it('takes any message with an outsider under the external policy, and re-imports after Google forgets the history', async () => {
    await rep('PATCH', '/api/me/mailbox', { policy: 'external' });
    const page = await anon('mailbox_page', {
      id: mailboxId,
      workerId: 'worker-a',
      messages: [msg('stranger-2', 'new@stranger.test', [a.rep.email])],
      cursor: { phase: 'incremental', historyId: '130' },
    });
    expect(page).toMatchObject({ captured: 1 });
    // the stranger becomes a contact as the workspace's auto-create says (senders), the mail stays private
    const [made] = await t.sql.query<{ owner_id: string; source: string; last_interaction_at: string | null; visibility: string }>(
      `select c.owner_id, c.source, c.last_interaction_at, i.visibility from crm.contact_emails e
       join crm.contacts c on c.id = e.contact_id
       join crm.interaction_participants p on p.contact_id = c.id
       join crm.interactions i on i.id = p.interaction_id
       where e.workspace_id = $1 and e.email = 'new@stranger.test'`,
      [a.id],
    );
    expect(made).toEqual({ owner_id: a.rep.id, source: 'gmail', last_interaction_at: null, visibility: 'private' });
    expect(await anon('mailbox_release', { id: mailboxId, workerId: 'worker-a', dueInSeconds: 0, reimport: { importAfter: '2026-11-01T00:00:00Z' } })).toEqual({
      released: true,
    });
    const [row] = await t.sql.query<{ status: string; cursor: object; reimports: number }>(
      'select status, cursor, reimports from crm.mailboxes where id = $1',
      [mailboxId],
    );
    expect(row).toMatchObject({ status: 'importing', cursor: { phase: 'import', importAfter: '2026-11-01T00:00:00Z' }, reimports: 1 });
  });

  it('asks for a reconnect once, and tells the member why in their language', async () => {
    const [mb] = await claim('worker-c');
    expect(mb.id).toBe(mailboxId);
    const first = await anon('mailbox_failed', { id: mailboxId, workerId: 'worker-c', error: 'mailbox_error_invalid_grant', reconnect: true });
    expect(first).toMatchObject({ notify: true, status: 'reconnect', member: { memberId: a.rep.id, locale: 'en', address: 'ren.rep@gmail.test' } });
    expect(first.member.slackUserId).toMatch(/^U/);
    // not claimed again until the member reconnects
    expect(await claim('worker-c')).toHaveLength(0);
    const again = await anon('mailbox_failed', { id: mailboxId, workerId: 'worker-c', error: 'mailbox_error_invalid_grant', reconnect: true });
    expect(again.notify).toBe(false);
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [a.rep.id]);
    const ja = await rep('GET', '/api/me/mailbox');
    expect(ja.body.status).toBe('reconnect');
    expect(ja.body.lastError).toContain('Gmail をもう一度接続してください');
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [a.rep.id]);
  });

  it('backs off when Google is unavailable, and marks the mailbox failed after five attempts in a row', async () => {
    await connect(a.rep2.id, 'rae@gmail.test');
    const [mb] = await claim('worker-d');
    const out = await anon('mailbox_failed', { id: mb.id, workerId: 'worker-d', error: 'mailbox_error_google_unavailable', retryAfterSeconds: 600 });
    expect(out).toMatchObject({ notify: false, status: 'importing' });
    const [row] = await t.sql.query<{ wait: number }>('select extract(epoch from due_at - now())::int as wait from crm.mailboxes where id = $1', [mb.id]);
    expect(row!.wait).toBeGreaterThanOrEqual(590);
    await t.sql.query('update crm.mailboxes set attempts = 4, due_at = now() where id = $1', [mb.id]);
    await claim('worker-d');
    expect(await anon('mailbox_failed', { id: mb.id, workerId: 'worker-d', error: 'mailbox_error_google_unavailable' })).toMatchObject({ status: 'failed' });
  });

  it('lists every mailbox for admins only, never with a token', async () => {
    expect((await rep('GET', '/api/mailboxes')).status).toBe(403);
    const list = await caller(app, a.admin.token)('GET', '/api/mailboxes');
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => [x.member.id, x.status])).toEqual(
      expect.arrayContaining([
        [a.rep.id, 'reconnect'],
        [a.rep2.id, 'failed'],
      ]),
    );
    expect(JSON.stringify(list.body)).not.toContain('sealed');
  });

  it('stops on disconnect, hands the token back once for revoking, and keeps what was captured', async () => {
    const out = await anon('mailbox_disconnect', { workspaceId: a.id, memberId: a.rep.id, source: 'api', now: new Date().toISOString() }).catch(() => null);
    expect(out).toBeNull(); // a member function: not callable without its caller context
    const res = await rep('DELETE', '/api/me/mailbox');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connected: false, status: 'off' });
    const [row] = await t.sql.query<{ sealed_token: string | null }>('select sealed_token from crm.mailboxes where id = $1', [mailboxId]);
    expect(row!.sealed_token).toBeNull();
    const [n] = await t.sql.query<{ n: string | number }>(
      `select count(*) as n from crm.interactions where workspace_id = $1 and external_id like '%@mail.test>'`,
      [a.id],
    );
    expect(Number(n!.n)).toBe(3);
  });

  it('pauses the sync of a member who left, and resumes it from its cursor when they come back', async () => {
    const admin = caller(app, a.admin.token);
    const c = await connect(a.rep2.id, 'rae.rep@gmail.test');
    const id = (c as { id?: string }).id ?? (await t.sql.query<{ id: string }>('select id from crm.mailboxes where member_id = $1', [a.rep2.id]))[0]!.id;
    await t.sql.query(`update crm.mailboxes set cursor = '{"phase":"import","pageToken":"p7"}', due_at = now() where id = $1`, [id]);
    expect((await admin('POST', `/api/members/${a.rep2.id}/deactivate`, { reassignTo: a.rep.id })).status).toBe(200);
    expect((await claim('worker-p')).map((x) => x.id)).toContain(id);
    expect(await anon('mailbox_page', { id, workerId: 'worker-p', messages: [], skipped: {}, cursor: { phase: 'import', pageToken: 'p8' } })).toEqual({
      lost: true,
    });
    const paused = await t.sql.query<{ status: string }>('select status from crm.mailboxes where id = $1', [id]);
    expect(paused[0]!.status).toBe('paused');
    expect((await claim('worker-p')).map((x) => x.id)).not.toContain(id);

    expect((await admin('POST', `/api/members/${a.rep2.id}/reactivate`)).status).toBe(200);
    const back = await claim('worker-q');
    const mine = back.find((x) => x.id === id);
    expect(mine).toMatchObject({ status: 'importing', cursor: { phase: 'import', pageToken: 'p7' } });
  });
});
