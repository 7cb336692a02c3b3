import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { linkFor, webClient } from '../support/web.js';

type Web = ReturnType<typeof webClient>;

/**
 * The admin pages in-process, on each database: the team (add, edit,
 * deactivate with reassignment, reactivate, join policy), connections, a
 * CSV import followed to its report, the export; each refused to a rep and
 * a manager, without its CSRF token, and for another workspace's ids.
 */
describe.each(['pglite', 'postgres'] as const)('web admin pages on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let admin: Web;

  async function signedIn(token: string): Promise<Web> {
    const web = webClient(app);
    await web.signIn(await linkFor(app, token));
    return web;
  }
  const csrf = async (web: Web, path = '/admin') => web.csrfIn((await web.get(path)).text);
  const memberRow = async (id: string) =>
    (
      await t.sql.query<{ active: boolean; display_name: string; role: string; timezone: string; locale: string; manager_id: string | null }>(
        'select active, display_name, role, timezone, locale, manager_id from crm.members where id = $1',
        [id],
      )
    )[0]!;

  /** a multipart upload as the import form sends it, its token in the action's query */
  async function upload(web: Web, csv: string, token: string | null, name = 'contacts.csv') {
    const form = new FormData();
    form.append('file', new Blob([new TextEncoder().encode(csv)], { type: 'text/csv' }), name);
    const cookie = [...web.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await app.request(`/admin/import${token === null ? '' : `?_csrf=${encodeURIComponent(token)}`}`, {
      method: 'POST',
      body: form,
      headers: { cookie },
    });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
  /** the import's page once it has finished */
  async function finished(web: Web, path: string) {
    for (let i = 0; i < 200; i++) {
      const res = await web.get(path);
      if (!res.text.includes('data-import-running')) return res;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import at ${path} never finished`);
  }

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
    admin = await signedIn(ws.admin.token);
  }, 60_000);
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('refuses every admin page to a rep and a manager, in their language, and their forms change nothing', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.rep.id]);
    const rep = await signedIn(ws.rep.token);
    for (const path of ['/admin', '/admin/connections', '/admin/import', `/admin/members/${ws.rep2.id}`, '/admin/export?format=csv']) {
      const res = await rep.get(path);
      expect(res.status, path).toBe(403);
      expect(res.text).toContain('管理者専用');
      expect(res.text).not.toContain(ws.rep2.email);
    }
    const token = rep.csrfIn((await rep.get('/account')).text);
    const made = await rep.post('/admin/members', { _csrf: token, email: 'sneaky@example.com', name: 'Sneaky' });
    expect(made.status).toBe(403);
    const off = await rep.post(`/admin/members/${ws.rep2.id}/deactivate`, { _csrf: token, reassignTo: ws.rep.id });
    expect(off.status).toBe(403);
    expect((await memberRow(ws.rep2.id)).active).toBe(true);
    const count = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.members where email = 'sneaky@example.com'`);
    expect(count[0]!.n).toBe(0);
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.rep.id]);

    const manager = await signedIn(ws.manager.token);
    expect((await manager.get('/admin')).status).toBe(403);
    // the navigation shows Admin to admins only
    expect((await manager.get('/account')).text).not.toContain('href="/admin"');
    expect((await admin.get('/account')).text).toContain('href="/admin"');
  });

  it('lists the team and adds a member; a bad or taken email is said with a 4xx and nothing is added', async () => {
    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    for (const m of [ws.admin, ws.manager, ws.rep, ws.rep2]) expect(page.text).toContain(m.email);
    const token = admin.csrfIn(page.text);
    const added = await admin.post('/admin/members', {
      _csrf: token,
      email: 'nina@example.com',
      name: 'Nina New',
      role: 'rep',
      managerId: ws.manager.id,
      timezone: 'Asia/Tokyo',
      locale: 'ja',
    });
    expect(added.status).toBe(303);
    expect(added.location).toMatch(/^\/admin\?added=[0-9a-f-]{36}$/);
    const shown = await admin.get(added.location!);
    expect(shown.text).toContain('Nina New was added.');
    const [row] = await t.sql.query<{ role: string; timezone: string; locale: string; manager_id: string }>(
      `select role, timezone, locale, manager_id from crm.members where workspace_id = $1 and email = 'nina@example.com'`,
      [ws.id],
    );
    expect(row).toEqual({ role: 'rep', timezone: 'Asia/Tokyo', locale: 'ja', manager_id: ws.manager.id });

    const bad = await admin.post('/admin/members', { _csrf: token, email: 'not-an-email', name: 'X' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The request is not valid: Email.');
    const taken = await admin.post('/admin/members', { _csrf: token, email: 'nina@example.com', name: 'Nina Again' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('role="alert"');
    const n = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.members where workspace_id = $1`, [ws.id]);
    expect(n[0]!.n).toBe(5);
  });

  it('shows stored text as text: a name made of markup stays inert on the team and member pages', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const [m] = await t.sql.query<{ id: string }>(
      `insert into crm.members (workspace_id, email, display_name, role, timezone, locale) values ($1, 'hostile@example.com', $2, 'rep', 'UTC', 'en') returning id`,
      [ws.id, hostile],
    );
    for (const path of ['/admin', `/admin/members/${m!.id}`]) {
      const page = await admin.get(path);
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    }
    await t.sql.query('delete from crm.members where id = $1', [m!.id]);
  });

  it('edits a member, and says a wrong time zone with a 400', async () => {
    const token = await csrf(admin, `/admin/members/${ws.rep2.id}`);
    const saved = await admin.post(`/admin/members/${ws.rep2.id}`, {
      _csrf: token,
      name: 'Rae Renamed',
      role: 'manager',
      managerId: '',
      timezone: 'Europe/Paris',
      locale: 'zh',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/admin/members/${ws.rep2.id}?saved=1`);
    expect(await memberRow(ws.rep2.id)).toMatchObject({
      display_name: 'Rae Renamed',
      role: 'manager',
      timezone: 'Europe/Paris',
      locale: 'zh',
      manager_id: null,
    });
    const bad = await admin.post(`/admin/members/${ws.rep2.id}`, { _csrf: token, name: 'Rae', role: 'rep', timezone: 'Mars/Olympus', locale: 'en' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Time zone');
    expect((await memberRow(ws.rep2.id)).display_name).toBe('Rae Renamed');
    await admin.post(`/admin/members/${ws.rep2.id}`, { _csrf: token, name: 'Rae Rep', role: 'rep', managerId: ws.manager.id, timezone: 'UTC', locale: 'en' });
  });

  it('deactivates a member, their contacts and follow-ups going to the member chosen, and reactivates them', async () => {
    const as = caller(app, ws.rep2.token);
    const contact = await as('POST', '/api/contacts', { name: 'Carla Customer', emails: ['carla@customer.example'] });
    expect(contact.status).toBe(201);
    const fu = await as('POST', '/api/follow-ups', { contactId: contact.body.id, note: 'Call Carla', dueAt: '2030-01-01T09:00:00Z' });
    expect(fu.status).toBe(201);

    const token = await csrf(admin, `/admin/members/${ws.rep2.id}`);
    const missing = await admin.post(`/admin/members/${ws.rep2.id}/deactivate`, { _csrf: token, reassignTo: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Who takes over');
    const self = await admin.post(`/admin/members/${ws.rep2.id}/deactivate`, { _csrf: token, reassignTo: ws.rep2.id });
    expect(self.status).toBe(400);
    expect((await memberRow(ws.rep2.id)).active).toBe(true);

    const off = await admin.post(`/admin/members/${ws.rep2.id}/deactivate`, { _csrf: token, reassignTo: ws.rep.id });
    expect(off.status).toBe(303);
    const page = await admin.get(off.location!);
    expect(page.text).toContain('Rae Rep was deactivated: 1 contacts and 1 open follow-ups went to Ren Rep.');
    expect((await memberRow(ws.rep2.id)).active).toBe(false);
    const owners = await t.sql.query<{ c: string; f: string }>(
      'select (select owner_id from crm.contacts where id = $1) as c, (select owner_id from crm.follow_ups where id = $2) as f',
      [contact.body.id, fu.body.id],
    );
    expect(owners[0]).toEqual({ c: ws.rep.id, f: ws.rep.id });
    expect((await admin.get('/admin')).text).toContain('Deactivated');

    const on = await admin.post(`/admin/members/${ws.rep2.id}/reactivate`, { _csrf: token });
    expect(on.status).toBe(303);
    expect((await admin.get(on.location!)).text).toContain('Rae Rep is active again.');
    expect((await memberRow(ws.rep2.id)).active).toBe(true);
  });

  it('sets who may join', async () => {
    const token = await csrf(admin);
    const saved = await admin.post('/admin/join-policy', { _csrf: token, joinPolicy: 'domains', joinDomains: 'example.com, Acme.co.jp' });
    expect(saved.status).toBe(303);
    const [w] = await t.sql.query<{ join_policy: string; join_domains: string[] }>('select join_policy, join_domains from crm.workspaces where id = $1', [
      ws.id,
    ]);
    expect(w).toEqual({ join_policy: 'domains', join_domains: ['example.com', 'acme.co.jp'] });
    const bad = await admin.post('/admin/join-policy', { _csrf: token, joinPolicy: 'everyone', joinDomains: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Who can join');
    await admin.post('/admin/join-policy', { _csrf: token, joinPolicy: 'invite', joinDomains: '' });
  });

  it('shows the Slack team, the mailboxes and the linked channels', async () => {
    const empty = await admin.get('/admin/connections');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No Slack team is linked yet');
    expect(empty.text).toContain('No mailbox is connected yet.');
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id, team_name) values ($1, $2, 'Acme Sales')`, [
      `T${ws.id.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      ws.id,
    ]);
    const linked = await admin.get('/admin/connections');
    expect(linked.text).toContain('Linked to the Slack team Acme Sales');
    // another workspace's team is not this one's
    expect((await (await signedIn(other.admin.token)).get('/admin/connections')).text).not.toContain('Acme Sales');
  });

  it('imports a CSV with a bad row: the page follows it to the report, each line and reason, nothing written', async () => {
    const token = await csrf(admin, '/admin/import');
    const csv = 'Name,Email\nAnn Able,ann@able.example\nBob,bob-at-example\n';
    const res = await upload(admin, csv, token, 'team.csv');
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/admin\/imports\/[0-9a-f-]{36}$/);
    const page = await finished(admin, res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('team.csv');
    expect(page.text).toContain('Line 3: bob-at-example is not an email address.');
    const n = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.contacts where workspace_id = $1 and name = 'Ann Able'`, [ws.id]);
    expect(n[0]!.n).toBe(0);

    const good = await upload(admin, 'Name,Email\nAnn Able,ann@able.example\n', token);
    const done = await finished(admin, good.location!);
    expect(done.text).toMatch(/1 (new )?contact/);
    const [row] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.contacts where workspace_id = $1 and name = 'Ann Able'`, [ws.id]);
    expect(row!.n).toBe(1);

    // past the 1 MB every other page's form is held to: the import takes what POST /api/imports takes
    const big = await upload(admin, `Name,Email\nBea Big,bea@big.example\n${'\n'.repeat(2 * 1024 * 1024)}`, token, 'big.csv');
    expect(big.status).toBe(303);
    expect((await finished(admin, big.location!)).text).not.toContain('could not be imported');
    const [bea] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.contacts where workspace_id = $1 and name = 'Bea Big'`, [ws.id]);
    expect(bea!.n).toBe(1);
    // a form of another page past 1 MB is refused
    expect((await admin.post('/admin/members', { _csrf: token, name: 'x'.repeat(1024 * 1024 + 10) })).status).toBe(413);

    // a file that is no CSV: the page says why
    const none = await upload(admin, '', token);
    expect((await finished(admin, none.location!)).text).toContain('The file could not be imported.');
  });

  it('shows an import still running as a progress bar with a Refresh link, the page following it by its script', async () => {
    const [run] = await t.sql.query<{ id: string }>(
      `insert into crm.web_imports (workspace_id, member_id, file_name, phase, done, total) values ($1, $2, 'big.csv', 'validate', 1, 2) returning id`,
      [ws.id, ws.admin.id],
    );
    const page = await admin.get(`/admin/imports/${run!.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-import-running');
    expect(page.text).toContain('Checking the rows');
    expect(page.text).toMatch(/<progress max="100" value="50"/);
    expect(page.text).toContain(`<a href="/admin/imports/${run!.id}">Refresh</a>`);
    // no inline script, and no meta refresh (the script, or the link, follows it)
    expect(page.text).not.toMatch(/<script>|http-equiv="refresh"/);
    await t.sql.query(`update crm.web_imports set updated_at = now() - interval '11 minutes' where id = $1`, [run!.id]);
    const stalled = await admin.get(`/admin/imports/${run!.id}`);
    expect(stalled.text).not.toContain('data-import-running');
    expect(stalled.text).toContain('has reported nothing for 10 minutes');
  });

  it('refuses an upload and a form without their CSRF token, and changes nothing', async () => {
    const before = await t.sql.query<{ n: number }>('select count(*)::int as n from crm.web_imports where workspace_id = $1', [ws.id]);
    const res = await upload(admin, 'Name,Email\nZed,zed@z.example\n', null);
    expect(res.status).toBe(403);
    const wrong = await upload(admin, 'Name,Email\nZed,zed@z.example\n', 'x'.repeat(43));
    expect(wrong.status).toBe(403);
    const after = await t.sql.query<{ n: number }>('select count(*)::int as n from crm.web_imports where workspace_id = $1', [ws.id]);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await admin.post('/admin/members', { email: 'forged@example.com', name: 'Forged' })).status).toBe(403);
    expect((await admin.post(`/admin/members/${ws.rep.id}/deactivate`, { reassignTo: ws.manager.id })).status).toBe(403);
    expect((await admin.post('/admin/join-policy', { joinPolicy: 'slack' })).status).toBe(403);
    expect((await memberRow(ws.rep.id)).active).toBe(true);
    const [w] = await t.sql.query<{ join_policy: string }>('select join_policy from crm.workspaces where id = $1', [ws.id]);
    expect(w!.join_policy).toBe('invite');
  });

  it("answers another workspace's member and import with the not-found page, and changes nothing of theirs", async () => {
    const page = await admin.get(`/admin/members/${other.rep.id}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain(other.rep.email);
    expect((await admin.get('/admin/members/not-an-id')).status).toBe(404);
    const token = await csrf(admin);
    const off = await admin.post(`/admin/members/${other.rep.id}/deactivate`, { _csrf: token, reassignTo: ws.rep.id });
    expect(off.status).toBe(404);
    const edit = await admin.post(`/admin/members/${other.rep.id}`, { _csrf: token, name: 'Taken Over' });
    expect(edit.status).toBe(404);
    expect(await memberRow(other.rep.id)).toMatchObject({ active: true, display_name: 'Ren Rep' });

    const theirs = webClient(app);
    await theirs.signIn(await linkFor(app, other.admin.token));
    const started = await upload(theirs, 'Name,Email\nOlga Other,olga@other.example\n', await csrf(theirs, '/admin/import'));
    await finished(theirs, started.location!);
    const foreign = await admin.get(started.location!);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain('Olga');
  });

  it('downloads the export with the session', async () => {
    const csv = await admin.get('/admin/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="rapport-contacts-.*\.csv"$/);
    expect(csv.text).toContain('Ann Able');
    const json = await admin.get('/admin/export?format=json');
    expect(JSON.parse(json.text).items.some((c: { name: string }) => c.name === 'Ann Able')).toBe(true);
    expect(json.text).not.toContain('Olga');
  });
});
