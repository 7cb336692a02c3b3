import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { createTestGoogleIssuer, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * The team without SQL: members added, changed and deactivated by an admin,
 * the rules that refuse a change with a sentence, the workspace's join policy
 * and personal tokens, on every database.
 */
describe.each(['pglite', 'postgres', 'supabase'] as const)('the team on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  const google = createTestGoogleIssuer();
  const as = (token: string) => caller(app, token);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(google.certsHandler(), ...t.handlers);
    app = createApp({ db: t.db, google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID] }) });
    ws = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('lists every active member for anyone, deactivated ones for admins with ?active=all', async () => {
    const res = await as(ws.rep.token)('GET', '/api/members');
    expect(res.status).toBe(200);
    const mine = res.body.items.find((m: any) => m.id === ws.rep.id);
    expect(mine).toMatchObject({ email: ws.rep.email, role: 'rep', managerId: ws.manager.id, active: true, joinedVia: 'invite' });
    expect(mine.lastSeenAt).toEqual(expect.any(String));
    expect((await as(ws.rep.token)('GET', '/api/members?active=all')).status).toBe(403);
    expect((await as(ws.admin.token)('GET', '/api/members?active=all')).status).toBe(200);
  });

  it('adds a member (admin), and names the member who has the email already', async () => {
    const admin = as(ws.admin.token);
    const email = `new.rep@${ws.domain}`;
    const made = await admin('POST', '/api/members', { email, name: '新しい 営業', managerId: ws.manager.id, timezone: 'Asia/Tokyo', locale: 'ja' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      email,
      name: '新しい 営業',
      role: 'rep',
      managerId: ws.manager.id,
      timezone: 'Asia/Tokyo',
      locale: 'ja',
      joinedVia: 'invite',
    });
    const again = await admin('POST', '/api/members', { email: email.toUpperCase(), name: 'Someone else' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('新しい 営業');
    expect((await as(ws.manager.token)('POST', '/api/members', { email: `x@${ws.domain}`, name: 'X' })).status).toBe(403);
    const badZone = await admin('POST', '/api/members', { email: `tz@${ws.domain}`, name: 'TZ', timezone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    const ghostManager = await admin('POST', '/api/members', { email: `g@${ws.domain}`, name: 'G', managerId: '00000000-0000-4000-8000-000000000000' });
    expect(ghostManager.status).toBe(400);
    expect(ghostManager.body.error.code).toBe('manager_inactive');
    // none of the refusals wrote a row
    const rows = await t.sql.query<{ n: number }>(`select count(*)::int n from crm.members where workspace_id = $1`, [ws.id]);
    expect(rows[0]!.n).toBe(5);
  });

  it('refuses with a sentence: the last admin demoted, a manager cycle, a manager who left, an unknown zone', async () => {
    const admin = as(ws.admin.token);
    const demote = await admin('PATCH', `/api/members/${ws.admin.id}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    expect(demote.body.error.message).toContain(ws.admin.name);
    // the manager reporting to their own rep
    const cycle = await admin('PATCH', `/api/members/${ws.manager.id}`, { managerId: ws.rep.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.code).toBe('manager_cycle');
    expect((await admin('PATCH', `/api/members/${ws.rep.id}`, { managerId: ws.rep.id })).status).toBe(400);
    expect((await admin('PATCH', `/api/members/${ws.rep.id}`, { timezone: 'Nowhere/Land' })).status).toBe(400);
    expect((await admin('PATCH', `/api/members/${ws.rep.id}`, {})).status).toBe(400);
  });

  it('lets a member change their own time zone and language, and nothing else of anyone', async () => {
    const rep = as(ws.rep.token);
    const own = await rep('PATCH', `/api/members/${ws.rep.id}`, { timezone: 'Asia/Shanghai', locale: 'zh' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ timezone: 'Asia/Shanghai', locale: 'zh' });
    expect((await rep('PATCH', `/api/members/${ws.rep.id}`, { role: 'admin' })).status).toBe(403);
    expect((await rep('PATCH', `/api/members/${ws.rep2.id}`, { timezone: 'UTC' })).status).toBe(403);
    const audit = await t.sql.query<{ action: string }>(
      `select action from crm.audit_log where workspace_id = $1 and entity_id = $2 and entity_type = 'member' order by at desc limit 1`,
      [ws.id, ws.rep.id],
    );
    expect(audit[0]?.action).toBe('update');
  });

  it('sets the join policy (admin), and wants a domain before joining by domain', async () => {
    const admin = as(ws.admin.token);
    const none = await admin('PATCH', '/api/workspace', { joinPolicy: 'domains' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('join_domains_required');
    const ok = await admin('PATCH', '/api/workspace', { joinPolicy: 'domains', joinDomains: ['Example-Trading.CO.JP'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ joinPolicy: 'domains', joinDomains: ['example-trading.co.jp'] });
    expect(ok.body.admins.map((a: any) => a.id)).toEqual([ws.admin.id]);
    expect((await as(ws.rep.token)('PATCH', '/api/workspace', { joinPolicy: 'slack' })).status).toBe(403);
    expect((await as(ws.rep.token)('GET', '/api/workspace')).body.joinPolicy).toBe('domains');
  });

  it('lets a Google user at a join domain become a rep by opening the add-on, once', async () => {
    const email = `joiner@example-trading.co.jp`;
    const token = google.sign({ email, name: 'Joiner Person', sub: 'google-joiner-1' });
    const first = await caller(app, token)('GET', '/api/me');
    expect(first.status).toBe(200);
    expect(first.body.member).toMatchObject({ email, name: 'Joiner Person', role: 'rep', joinedVia: 'google' });
    const second = await caller(app, token)('GET', '/api/me');
    expect(second.body.member.id).toBe(first.body.member.id);
    // another domain is no member of anything
    expect((await caller(app, google.sign({ email: 'stranger@elsewhere.example', sub: 'g-2' }))('GET', '/api/me')).status).toBe(403);
    // where the workspace is known (named by the add-on's X-Rapport-Workspace, or the server's only one), the refusal names its admins
    const named = await caller(app, google.sign({ email: 'stranger@elsewhere.example', sub: 'g-2' }), { 'x-rapport-workspace': ws.id })('GET', '/api/me');
    expect(named.status).toBe(403);
    expect(named.body.error.message).toContain(ws.admin.name);
  });

  it('issues, lists and revokes personal tokens; an expired or revoked token is refused', async () => {
    const rep = as(ws.rep2.token);
    const made = await rep('POST', '/api/tokens', { label: 'laptop', expiresInDays: 30 });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^rpt_/);
    expect(made.body).toMatchObject({ label: 'laptop', active: true, memberId: ws.rep2.id });
    expect((await as(made.body.token)('GET', '/api/me')).status).toBe(200);
    const list = await rep('GET', '/api/tokens');
    expect(list.body.items.map((x: any) => x.id)).toContain(made.body.id);
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);
    // another member cannot see or revoke it; an admin can
    expect((await as(ws.rep.token)('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(404);
    expect((await as(ws.admin.token)('GET', `/api/tokens?member=${ws.rep2.email}`)).body.items.length).toBeGreaterThan(0);
    const revoked = await rep('DELETE', `/api/tokens/${made.body.id}`);
    expect(revoked.body).toMatchObject({ active: false });
    expect((await as(made.body.token)('GET', '/api/me')).status).toBe(401);
    // expiry, as time passes
    const short = await rep('POST', '/api/tokens', { label: 'short', expiresInDays: 1 });
    await t.sql.query(`update crm.api_tokens set expires_at = now() - interval '1 second' where id = $1`, [short.body.id]);
    const expired = await as(short.body.token)('GET', '/api/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
  });

  it('deactivates with reassignment in one step: contacts, open follow-ups, reports, tokens, links; reactivates', async () => {
    const admin = as(ws.admin.token);
    const w = await makeWorkspace(t.sql, t.db);
    const asW = as(w.admin.token);
    // the manager owns a contact and an open follow-up, and has two reports
    const contact = (await as(w.manager.token)('POST', '/api/contacts', { name: 'Owned Person', emails: [`owned-${w.id.slice(0, 6)}@customer.example`] })).body;
    const followUp = (await as(w.manager.token)('POST', '/api/follow-ups', { contactId: contact.id, dueAt: '2026-12-24T00:00:00Z' })).body;
    await t.sql.query(`update crm.members set slack_user_id = 'ULEAVER', google_sub = 'g-leaver' where id = $1`, [w.manager.id]);
    const refused = await asW('POST', `/api/members/${w.manager.id}/deactivate`, { reassignTo: w.manager.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('reassign_invalid');
    expect((await admin('POST', `/api/members/${w.manager.id}/deactivate`, { reassignTo: w.rep.id })).status).toBe(404);
    const done = await asW('POST', `/api/members/${w.manager.id}/deactivate`, { reassignTo: w.rep.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ contacts: 1, followUps: 1, reports: 2, tokensRevoked: 1, member: { active: false, slackUserId: null } });
    expect((await asW('GET', `/api/contacts/${contact.id}`)).body.owner.id).toBe(w.rep.id);
    const fu = await t.sql.query<{ owner_id: string }>(`select owner_id from crm.follow_ups where id = $1`, [followUp.id]);
    expect(fu[0]!.owner_id).toBe(w.rep.id);
    // every credential of theirs is refused, and the refusal does not tell them to make a token
    const gone = await as(w.manager.token)('GET', '/api/me');
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('member_deactivated');
    expect(gone.body.error.message).not.toContain('npm run token');
    const viaGoogle = await caller(app, google.sign({ email: w.manager.email, sub: 'g-leaver' }))('GET', '/api/me');
    expect(viaGoogle.status).toBe(401);
    // what they owned stays findable by their email
    const owned = await asW('GET', `/api/contacts?owner=${encodeURIComponent(w.manager.email)}`);
    expect(owned.status).toBe(200);
    expect((await asW('GET', '/api/members')).body.items.map((m: any) => m.id)).not.toContain(w.manager.id);
    expect((await asW('GET', '/api/members?active=all')).body.items.map((m: any) => m.id)).toContain(w.manager.id);
    const audit = await t.sql.query<{ action: string }>(`select action from crm.audit_log where workspace_id = $1 and entity_id = $2 order by at`, [
      w.id,
      w.manager.id,
    ]);
    expect(audit.map((a) => a.action)).toContain('deactivate');
    const back = await asW('POST', `/api/members/${w.manager.id}/reactivate`);
    expect(back.body).toMatchObject({ active: true });
    // the reassignment stays
    expect((await asW('GET', `/api/contacts/${contact.id}`)).body.owner.id).toBe(w.rep.id);
  });

  it('keeps the whole-workspace export for managers and admins', async () => {
    expect((await as(ws.rep.token)('GET', '/api/contacts/export?format=json')).status).toBe(403);
    expect((await as(ws.manager.token)('GET', '/api/contacts/export?format=json')).status).toBe(200);
  });
});
