import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { linkFor, webClient } from '../support/web.js';

/**
 * The pipeline page (/deals) in-process on each database: the workspace's
 * stages in order, each with its open deals and totals per currency (never
 * converted), mine / my team's / everyone's / one owner's; Move stage by a
 * form with its CSRF token; nothing of another workspace.
 */
const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`;

describe.each(['pglite', 'postgres'] as const)('web pipeline on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids = { big: '', yen: '', rep2: '', won: '', foreign: '', acme: '' };
  let rep: ReturnType<typeof webClient>;

  const stageOf = async (id: string) => (await t.sql.query<{ stage: string }>('select stage from crm.deals where id = $1', [id]))[0]!.stage;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    const made = async (token: string, body: object) => {
      const res = await caller(app, token)('POST', '/api/deals', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; company: { id: string } | null };
    };
    const big = await made(ws.rep.token, {
      name: 'Acme renewal',
      company: { name: 'Acme Widgets', domain: 'acme-widgets.example' },
      amount: 120050,
      currency: 'USD',
      stage: 'proposal',
      closeDate: '2026-12-31',
    });
    ids.big = big.id;
    ids.acme = big.company!.id;
    ids.yen = (await made(ws.rep.token, { name: 'Kaisha pilot', amount: 5000, currency: 'JPY', stage: 'proposal' })).id;
    await made(ws.rep.token, { name: 'Second dollar deal', amount: 100, currency: 'USD', stage: 'proposal' });
    await made(ws.rep.token, { name: HOSTILE, stage: 'qualified' });
    ids.rep2 = (await made(ws.rep2.token, { name: 'Rae deal', amount: 999, currency: 'EUR', stage: 'negotiation' })).id;
    ids.won = (await made(ws.rep.token, { name: 'Closed and won', amount: 1, currency: 'USD', stage: 'commit' })).id;
    const closed = await caller(app, ws.rep.token)('PATCH', `/api/deals/${ids.won}`, { status: 'won', reason: 'signed' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    ids.foreign = (await made(other.rep.token, { name: 'Foreign deal', amount: 777, currency: 'USD', stage: 'proposal' })).id;

    rep = webClient(app);
    expect((await rep.signIn(await linkFor(app, ws.rep.token))).status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it("shows a rep's own open deals as columns in the pipeline's order, with totals per currency", async () => {
    const page = await rep.get('/deals');
    expect(page.status).toBe(200);
    const order = ['Qualified', 'Meeting held', 'Proposal sent', 'Negotiation', 'Verbal yes'].map((s) => page.text.indexOf(`>${s} <`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.text).toContain('Acme renewal');
    expect(page.text).toContain(`href="/companies/${ids.acme}"`);
    expect(page.text).toContain('$1,200.50');
    expect(page.text).toContain('Dec 31, 2026');
    // USD and JPY summed apart, never converted
    expect(page.text).toContain('¥5,000 · $1,201.50');
    expect(page.text).toContain('3 open');
    // this month's closed ones, counted in the same scope
    expect(page.text).toMatch(/Since [A-Z][a-z]{2} 1, \d{4}: 1 won, 0 lost\./);
    // a colleague's, a closed one and another workspace's are not there
    expect(page.text).not.toContain('Rae deal');
    expect(page.text).not.toContain('Closed and won');
    expect(page.text).not.toContain('Foreign deal');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img');
  });

  it("widens to the team and everyone as the API scopes, or one owner's, never another workspace's", async () => {
    const all = await rep.get('/deals?scope=all');
    expect(all.text).toContain('Rae deal');
    expect(all.text).toContain('€9.99');
    expect(all.text).not.toContain('Foreign deal');
    expect(all.text).toContain(': 1 won, 0 lost.');
    // a rep's team is themselves; their manager's is both reps
    expect((await rep.get('/deals?scope=team')).text).not.toContain('Rae deal');
    const manager = webClient(app);
    await manager.signIn(await linkFor(app, ws.manager.token));
    const team = await manager.get('/deals');
    expect(team.text).toMatch(/value="team" checked/);
    expect(team.text).toContain('Rae deal');
    expect(team.text).toContain('Acme renewal');
    const one = await manager.get(`/deals?owner=${ws.rep2.id}`);
    expect(one.text).toContain('Rae deal');
    expect(one.text).not.toContain('Acme renewal');
    expect(one.text).toContain(': 0 won, 0 lost.');
    // an owner of another workspace, or not an id: a 400 page, not a 500
    const foreignOwner = await manager.get(`/deals?owner=${other.rep.id}`);
    expect(foreignOwner.status).toBe(400);
    expect(foreignOwner.text).not.toContain('Foreign deal');
    expect((await manager.get('/deals?owner=nobody%00')).status).toBe(400);
    expect((await manager.get('/deals?scope=galaxy')).status).toBe(400);
  });

  it('moves a deal to another stage by its form, with the CSRF token only, back to the same view', async () => {
    const page = await rep.get('/deals?scope=all');
    const path = `/deals/${ids.big}/stage`;
    expect((await rep.post(path, { stage: 'negotiation' })).status).toBe(403);
    expect(await stageOf(ids.big)).toBe('proposal');
    const moved = await rep.post(path, { _csrf: rep.csrfIn(page.text), stage: 'negotiation', back: '/deals?scope=all' });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe('/deals?scope=all');
    expect(await stageOf(ids.big)).toBe('negotiation');
    const [change] = await t.sql.query<{ source: string }>(
      `select source from crm.audit_log where workspace_id = $1 and entity_id = $2 order by id desc limit 1`,
      [ws.id, ids.big],
    );
    expect(change?.source).toBe('web');
    // never back to another site
    const elsewhere = await rep.post(path, { _csrf: rep.csrfIn(page.text), stage: 'proposal', back: '//evil.example/deals' });
    expect(elsewhere.location).toBe('/deals');
  });

  it("refuses a stage the pipeline lacks and another workspace's deal, changing nothing", async () => {
    const csrf = rep.csrfIn((await rep.get('/deals')).text);
    const unknown = await rep.post(`/deals/${ids.big}/stage`, { _csrf: csrf, stage: 'moon' });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    const foreign = await rep.post(`/deals/${ids.foreign}/stage`, { _csrf: csrf, stage: 'qualified' });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain('Foreign deal');
    expect(await stageOf(ids.foreign)).toBe('proposal');
    expect((await rep.post('/deals/x/stage', { _csrf: csrf, stage: 'qualified' })).status).toBe(404);
    expect((await rep.post(`/deals/${ids.big}/stage`, { _csrf: csrf, stage: 'Bad Stage!' })).status).toBe(400);
  });

  it('speaks the member’s language, with money as they write it', async () => {
    const ja = webClient(app);
    await ja.signIn(await linkFor(app, other.rep.token));
    const page = await ja.get('/deals');
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain('パイプライン');
    expect(page.text).toContain('Foreign deal');
    expect(page.text).toContain('$7.77');
    await t.sql.query(`update crm.members set locale = 'zh' where id = $1`, [ws.admin.id]);
    const zh = webClient(app);
    await zh.signIn(await linkFor(app, ws.admin.token));
    const zhPage = await zh.get('/deals');
    expect(zhPage.text).toContain('销售管道');
    expect(zhPage.text).toContain('Rae deal');
  });
});
