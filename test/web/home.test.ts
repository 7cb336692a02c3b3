import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { linkFor, webClient } from '../support/web.js';

/**
 * The home page (search across contacts and companies, my follow-ups with
 * Done and Snooze) in-process on each database: what a member finds is what
 * the API's searches find, in their own workspace only; a colleague's
 * private things never show; a form without its CSRF token changes nothing.
 */
const SECRET = 'Quokka-private-5d1';
const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`;
const HOUR = 3600_000;

function inert(html: string) {
  expect(html).not.toContain('<script>alert');
  expect(html).not.toContain('<img');
}

describe.each(['pglite', 'postgres'] as const)('web home on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids = { jane: '', tanaka: '', globex: '', otherJane: '', due: { overdue: '', today: '', upcoming: '' }, rep2FollowUp: '', otherFollowUp: '' };
  let rep: ReturnType<typeof webClient>;

  const status = async (id: string) =>
    (await t.sql.query<{ status: string; due_at: Date }>('select status, due_at from crm.follow_ups where id = $1', [id]))[0]!;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    const asRep = caller(app, ws.rep.token);
    const asRep2 = caller(app, ws.rep2.token);
    const asOther = caller(app, other.rep.token);
    const made = async (p: Promise<{ status: number; body: any }>) => {
      const res = await p;
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body.id as string;
    };
    ids.jane = await made(
      asRep('POST', '/api/contacts', {
        name: 'Jane Latimer',
        emails: ['jane@acme-widgets.example'],
        company: { name: 'Acme Widgets', domain: 'acme-widgets.example' },
      }),
    );
    ids.tanaka = await made(asRep('POST', '/api/contacts', { name: '田中 太郎', reading: 'たなか たろう', emails: ['taro@kaisha.example'], title: '部長' }));
    ids.globex = await made(asRep('POST', '/api/companies', { name: 'Globex Corporation', domains: ['globex.example', 'globex-jp.example'] }));
    await made(asRep('POST', '/api/contacts', { name: HOSTILE, emails: ['hostile@acme-widgets.example'] }));
    ids.otherJane = await made(asOther('POST', '/api/contacts', { name: 'Jane Otherworld', emails: ['jane@globex.example'] }));
    await made(asOther('POST', '/api/contacts', { name: '田中 花子' }));
    await made(asOther('POST', '/api/companies', { name: 'Globex Other', domains: ['globex-other.example'] }));

    const now = Date.now();
    const endOfDay = new Date(now).setUTCHours(24, 0, 0, 0);
    ids.due.overdue = await made(
      asRep('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now - 2 * HOUR).toISOString(), note: 'Send the quote' }),
    );
    // later today in UTC (the rep's zone); right before midnight it would be tomorrow's
    const todayAt = Math.min(now + HOUR, now + (endOfDay - now) / 2);
    ids.due.today = await made(asRep('POST', '/api/follow-ups', { contactId: ids.tanaka, dueAt: new Date(todayAt).toISOString(), note: 'Call back' }));
    ids.due.upcoming = await made(
      asRep('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(endOfDay + 26 * HOUR).toISOString(), note: HOSTILE }),
    );
    ids.rep2FollowUp = await made(
      asRep2('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now + HOUR).toISOString(), note: `${SECRET} note` }),
    );
    ids.otherFollowUp = await made(asOther('POST', '/api/follow-ups', { contactId: ids.otherJane, dueAt: new Date(now - HOUR).toISOString() }));
    // rep2's private email with Jane: rep sees none of it
    const secret = await asRep2('POST', '/api/interactions', {
      kind: 'note',
      occurredAt: new Date(now - HOUR).toISOString(),
      subject: `${SECRET} subject`,
      body: `${SECRET} body`,
      source: 'api',
      externalId: `home-test-${Date.now()}`,
      direction: 'internal',
      visibility: 'private',
      participants: [{ role: 'about', email: 'jane@acme-widgets.example' }],
    });
    expect(secret.status, JSON.stringify(secret.body)).toBe(201);

    rep = webClient(app);
    expect((await rep.signIn(await linkFor(app, ws.rep.token))).status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('finds contacts by a Latin name and their company by its domain, and only in the own workspace', async () => {
    const page = await rep.get('/?q=jane');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/c/${ids.jane}"`);
    expect(page.text).toContain('Jane Latimer');
    expect(page.text).not.toContain('Otherworld');
    expect(page.text).not.toContain(ids.otherJane);
    // the search box keeps the query, and works with no script (a plain GET form)
    expect(page.text).toMatch(/<search><form method="get" action="\/" class="search">/);
    expect(page.text).toContain('value="jane"');

    const byDomain = await rep.get('/?q=acme-widgets.example');
    expect(byDomain.text).toContain('Jane Latimer');
    expect(byDomain.text).toContain('Acme Widgets');
    expect(byDomain.text).toMatch(/href="\/companies\/[0-9a-f-]{36}"/);
  });

  it('finds companies by a second domain, and never another workspace’s', async () => {
    const page = await rep.get(`/?q=${encodeURIComponent('globex-jp')}`);
    expect(page.text).toContain(`href="/companies/${ids.globex}"`);
    const globex = await rep.get('/?q=globex');
    expect(globex.text).toContain('Globex Corporation');
    expect(globex.text).not.toContain('Globex Other');
    expect(globex.text).not.toContain('Otherworld');
  });

  it('finds a two-character kanji name', async () => {
    const page = await rep.get(`/?q=${encodeURIComponent('田中')}`);
    expect(page.text).toContain(`href="/c/${ids.tanaka}"`);
    expect(page.text).toContain('田中 太郎');
    expect(page.text).not.toContain('田中 花子');
  });

  it('finds a name by its reading, and shows the reading above the name (ruby)', async () => {
    for (const q of ['tanaka', 'タナカ']) {
      const page = await rep.get(`/?q=${encodeURIComponent(q)}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<ruby>田中 太郎<rt>たなか たろう</rt></ruby>');
    }
    const card = await rep.get(`/c/${ids.tanaka}`);
    expect(card.text).toContain('<h1><ruby>田中 太郎<rt>たなか たろう</rt></ruby></h1>');
  });

  it('answers the as-you-type fragment with the same results, and refuses a search too long', async () => {
    const frag = await rep.get('/search?q=Jane');
    expect(frag.status).toBe(200);
    expect(frag.headers.get('content-type')).toContain('text/html');
    expect(frag.text).not.toContain('<html');
    expect(frag.text).toContain(`href="/c/${ids.jane}"`);
    expect(frag.text).not.toContain('Otherworld');
    expect((await rep.get('/search?q=')).text).toBe('');
    const long = 'x'.repeat(201);
    expect((await rep.get(`/search?q=${long}`)).status).toBe(400);
    const page = await rep.get(`/?q=${long}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('at most 200 characters');
    // a NUL is no search term, and no 500
    expect((await rep.get('/?q=ja%00ne')).status).toBe(200);
    // signed out: the fragment sends to sign-in like any page
    expect((await webClient(app).get('/search?q=Jane')).status).toBe(303);
  });

  it('shows my follow-ups overdue, today and upcoming, and nothing private of a colleague', async () => {
    const page = await rep.get('/');
    expect(page.status).toBe(200);
    const overdue = page.text.indexOf('Overdue');
    const today = page.text.indexOf('Today');
    const upcoming = page.text.indexOf('Upcoming');
    expect(overdue).toBeGreaterThan(0);
    expect(today).toBeGreaterThan(overdue);
    expect(upcoming).toBeGreaterThan(today);
    const at = (id: string) => page.text.indexOf(`/my/follow-ups/${id}/done`);
    expect(at(ids.due.overdue)).toBeGreaterThan(overdue);
    expect(at(ids.due.overdue)).toBeLessThan(today);
    expect(at(ids.due.today)).toBeGreaterThan(today);
    expect(at(ids.due.today)).toBeLessThan(upcoming);
    expect(at(ids.due.upcoming)).toBeGreaterThan(upcoming);
    expect(page.text).toContain('Send the quote');
    expect(page.text).not.toContain(ids.rep2FollowUp);
    expect(page.text).not.toContain(SECRET);
    expect((await rep.get('/?q=jane')).text).not.toContain(SECRET);
    expect((await rep.get(`/?q=${SECRET}`)).text).not.toContain(`${SECRET} `);
    inert(page.text);
    inert((await rep.get('/?q=acme')).text);
  });

  it('marks a follow-up done by its form, with the CSRF token only', async () => {
    const page = await rep.get('/');
    const path = `/my/follow-ups/${ids.due.overdue}/done`;
    expect((await rep.post(path)).status).toBe(403);
    expect((await rep.post(path, { _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await status(ids.due.overdue)).status).toBe('open');
    const done = await rep.post(path, { _csrf: rep.csrfIn(page.text) });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/');
    expect((await status(ids.due.overdue)).status).toBe('done');
    expect((await rep.get('/')).text).not.toContain(path);
    // audited as the web companion's doing
    const [audit] = await t.sql.query<{ source: string }>(
      `select source from crm.audit_log where workspace_id = $1 and entity_id = $2 order by id desc limit 1`,
      [ws.id, ids.due.overdue],
    );
    expect(audit?.source).toBe('web');
  });

  it('snoozes a follow-up a day from when it was due', async () => {
    const before = await status(ids.due.upcoming);
    const page = await rep.get('/');
    const res = await rep.post(`/my/follow-ups/${ids.due.upcoming}/snooze`, { _csrf: rep.csrfIn(page.text), due: before.due_at.toISOString(), days: '1' });
    expect(res.status).toBe(303);
    expect((await status(ids.due.upcoming)).due_at.getTime()).toBe(before.due_at.getTime() + 24 * HOUR);
    const bad = await rep.post(`/my/follow-ups/${ids.due.upcoming}/snooze`, { _csrf: rep.csrfIn(page.text), due: 'soon', days: '3' });
    expect(bad.status).toBe(400);
    expect((await status(ids.due.upcoming)).due_at.getTime()).toBe(before.due_at.getTime() + 24 * HOUR);
  });

  it("refuses another workspace's follow-up and a colleague's, changing nothing", async () => {
    const csrf = rep.csrfIn((await rep.get('/')).text);
    const foreign = await rep.post(`/my/follow-ups/${ids.otherFollowUp}/done`, { _csrf: csrf });
    expect(foreign.status).toBe(404);
    expect(foreign.text).toContain('No follow-up');
    expect((await status(ids.otherFollowUp)).status).toBe('open');
    const colleague = await rep.post(`/my/follow-ups/${ids.rep2FollowUp}/done`, { _csrf: csrf });
    expect(colleague.status).toBe(403);
    expect((await status(ids.rep2FollowUp)).status).toBe('open');
    expect((await rep.post('/my/follow-ups/not-an-id/done', { _csrf: csrf })).status).toBe(404);
  });

  it('shows 25 of a group and says how many more there are', async () => {
    await t.sql.query(
      `insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, note, created_by)
       select $1, $2, $3, now() + interval '3 days' + i * interval '1 hour', 'Batch ' || i, $3 from generate_series(1, 30) i`,
      [ws.id, ids.jane, ws.manager.id],
    );
    const manager = webClient(app);
    await manager.signIn(await linkFor(app, ws.manager.token));
    const page = await manager.get('/');
    expect(page.text).toContain('Upcoming <span class="count">(30)</span>');
    expect(page.text.match(/\/my\/follow-ups\/[0-9a-f-]{36}\/done/g)).toHaveLength(25);
    expect(page.text).toContain('5 more not shown.');
    expect(page.text).toContain('Batch 25<');
    expect(page.text).not.toContain('Batch 26<');
  });

  it('speaks the member’s language', async () => {
    const ja = webClient(app);
    await ja.signIn(await linkFor(app, other.rep.token));
    const page = await ja.get(`/?q=${encodeURIComponent('田中')}`);
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain('連絡先と会社を検索');
    expect(page.text).toContain('自分のフォローアップ');
    expect(page.text).toContain('田中 花子');
    expect(page.text).not.toContain('田中 太郎');
    await t.sql.query(`update crm.members set locale = 'zh' where id = $1`, [ws.rep2.id]);
    const zh = webClient(app);
    await zh.signIn(await linkFor(app, ws.rep2.token));
    const zhPage = await zh.get('/');
    expect(zhPage.text).toContain('<html lang="zh">');
    expect(zhPage.text).toContain('搜索联系人和公司');
    expect(zhPage.text).toContain(`${SECRET} note`);
  });
});
