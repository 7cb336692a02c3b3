import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { insertDeal } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const NOW = '2026-11-24T03:00:00Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();

/**
 * The pipeline in GET /api/stats (issue 18): open deals by stage per currency,
 * raw and weighted by the stage's probability, won and lost in the period, win
 * rate and days to close, by rep; scoped like the rest of the stats. And
 * POST /api/deals/{id}/snooze.
 */
describe.each(ADAPTERS)('deal numbers on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, clock: () => new Date(NOW) });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
    const deal = (d: Parameters<typeof insertDeal>[2]) => insertDeal(t.sql, ws.id, { createdAt: daysAgo(20), ...d });
    ids.proposal = await deal({ owner: ws.rep.id, stage: 'proposal', amount: 100_000, currency: 'USD' });
    await deal({ owner: ws.rep.id, stage: 'proposal', amount: 5000, currency: 'JPY' });
    await deal({ owner: ws.rep.id, stage: 'qualified', amount: 1001, currency: 'USD' });
    await deal({ owner: ws.rep.id, stage: 'qualified' });
    await deal({ owner: ws.rep2.id, stage: 'commit', amount: 2000, currency: 'EUR' });
    await deal({ owner: ws.rep.id, status: 'won', stage: 'commit', amount: 30_000, currency: 'USD', createdAt: daysAgo(10), closedAt: daysAgo(2) });
    await deal({ owner: ws.rep.id, status: 'lost', stage: 'meeting', amount: 700, currency: 'USD', createdAt: daysAgo(5), closedAt: daysAgo(3) });
    await deal({ owner: ws.rep.id, status: 'won', stage: 'commit', amount: 9000, currency: 'JPY', createdAt: daysAgo(35), closedAt: daysAgo(25) });
    await deal({ owner: ws.rep2.id, status: 'won', stage: 'negotiation', amount: 500, currency: 'EUR', createdAt: daysAgo(4), closedAt: daysAgo(1) });
    await deal({ owner: ws.admin.id, stage: 'meeting', amount: 777, currency: 'USD' });
    await deal({ owner: null, stage: 'meeting', amount: 50, currency: 'USD' });
    ids.other = await insertDeal(t.sql, other.id, { owner: other.rep.id, stage: 'proposal', amount: 999_999, currency: 'USD' });
    await insertDeal(t.sql, other.id, { owner: other.rep.id, status: 'won', amount: 1, currency: 'USD', closedAt: daysAgo(1) });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const deals = async (token: string, period = 'week') => {
    const res = await caller(app, token)('GET', `/api/stats?period=${period}`);
    expect(res.status).toBe(200);
    return res.body.deals;
  };

  it("a rep's own pipeline per currency, raw and weighted; won, lost, win rate and days to close in the period", async () => {
    const d = await deals(ws.rep.token);
    expect(d.pipeline.count).toBe(4);
    expect(d.pipeline.totals).toEqual([
      { currency: 'JPY', count: 1, amount: 5000, weighted: 2500 },
      { currency: 'USD', count: 2, amount: 101_001, weighted: 50_100 },
    ]);
    expect(d.pipeline.byStage.map((s: any) => [s.stage, s.probability, s.count])).toEqual([
      ['qualified', 10, 2],
      ['meeting', 25, 0],
      ['proposal', 50, 2],
      ['negotiation', 75, 0],
      ['commit', 90, 0],
    ]);
    expect(d.pipeline.byStage[0].amounts).toEqual([{ currency: 'USD', count: 1, amount: 1001, weighted: 100 }]);
    expect(d.won).toEqual({ count: 1, amounts: [{ currency: 'USD', count: 1, amount: 30_000 }] });
    expect(d.lost).toEqual({ count: 1, amounts: [{ currency: 'USD', count: 1, amount: 700 }] });
    expect(d.winRate).toBe(0.5);
    expect(d.avgDaysToClose).toBe(8);
    expect(d.byRep).toEqual([
      {
        rep: { id: ws.rep.id, name: 'Ren Rep' },
        open: 4,
        pipeline: d.pipeline.totals,
        won: 1,
        lost: 1,
        wonAmounts: [{ currency: 'USD', count: 1, amount: 30_000 }],
        winRate: 0.5,
        avgDaysToClose: 8,
      },
    ]);
    // a month reaches the JPY win 25 days ago: two wins, 8 and 10 days
    const month = await deals(ws.rep.token, 'month');
    expect(month.won.amounts).toEqual([
      { currency: 'JPY', count: 1, amount: 9000 },
      { currency: 'USD', count: 1, amount: 30_000 },
    ]);
    expect(month.avgDaysToClose).toBe(9);
    expect(month.winRate).toBe(0.667);
  });

  it("a manager's team by rep; an admin's whole workspace (unowned deals too); another workspace's deals never", async () => {
    const team = await deals(ws.manager.token);
    expect(team.pipeline.count).toBe(5);
    expect(team.pipeline.totals.map((x: any) => [x.currency, x.amount, x.weighted])).toEqual([
      ['EUR', 2000, 1800],
      ['JPY', 5000, 2500],
      ['USD', 101_001, 50_100],
    ]);
    expect(team.won.count).toBe(2);
    expect(team.winRate).toBe(0.667);
    expect(team.avgDaysToClose).toBe(5.5);
    expect(team.byRep.map((r: any) => [r.rep.name, r.open, r.won, r.lost, r.winRate])).toEqual([
      ['Ren Rep', 4, 1, 1, 0.5],
      ['Rae Rep', 1, 1, 0, 1],
    ]);
    const all = await deals(ws.admin.token);
    expect(all.pipeline.count).toBe(7);
    expect(all.pipeline.totals.find((x: any) => x.currency === 'USD')).toEqual({ currency: 'USD', count: 4, amount: 101_828, weighted: 50_100 + 194 + 13 });
    expect(all.byRep.map((r: any) => r.rep.name)).toContain('Ada Admin');
    const elsewhere = await deals(other.admin.token);
    expect(elsewhere.pipeline.totals).toEqual([{ currency: 'USD', count: 1, amount: 999_999, weighted: 500_000 }]);
    expect(elsewhere.won.count).toBe(1);
  });

  it('snoozes a deal a week (or 1 to 90 days) for its owner, their manager and admins; audited', async () => {
    const snooze = (token: string, id: string, body: unknown = {}) => caller(app, token)('POST', `/api/deals/${id}/snooze`, body);
    const week = await snooze(ws.rep.token, ids.proposal!);
    expect(week.status).toBe(200);
    expect(Date.parse(week.body.snoozedUntil)).toBe(Date.parse(NOW) + 7 * 86_400_000);
    expect(week.body.deal).toMatchObject({ id: ids.proposal, stage: 'proposal', amount: 100_000, currency: 'USD' });
    const three = await snooze(ws.manager.token, ids.proposal!, { days: 3 });
    expect(Date.parse(three.body.snoozedUntil)).toBe(Date.parse(NOW) + 3 * 86_400_000);
    expect((await snooze(ws.rep2.token, ids.proposal!)).status).toBe(403);
    expect((await snooze(ws.rep.token, ids.other!)).status).toBe(404);
    expect((await snooze(ws.rep.token, ids.proposal!, { days: 0 })).status).toBe(400);
    expect((await snooze(ws.rep.token, ids.proposal!, { days: 91 })).status).toBe(400);
    expect((await snooze(ws.rep.token, 'not-an-id')).status).toBe(400);
    const audit = await t.sql.query<{ actor: string; src: string; after: { snoozedUntil: string } }>(
      `select actor_member_id::text as actor, source as src, after from crm.audit_log
        where workspace_id = $1 and entity_type = 'deal' and entity_id = $2 and action = 'snooze' order by at, id`,
      [ws.id, ids.proposal],
    );
    expect(audit.map((a) => a.actor)).toEqual([ws.rep.id, ws.manager.id]);
    const [row] = await t.sql.query<{ snoozed: string }>(`select snoozed_until::text as snoozed from crm.deals where id = $1`, [ids.proposal]);
    expect(Date.parse(row!.snoozed)).toBe(Date.parse(NOW) + 3 * 86_400_000);
  });
});
