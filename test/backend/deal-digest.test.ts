import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { digestBlocks } from '../../slack-app/digest/blocks.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { insertContact, insertDeal, insertInteraction } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

// Sunday 20:00 UTC: Monday 05:00 in Tokyo (week of Nov 30), Sunday 15:00 in New York (week of Nov 23)
const NOW = '2026-11-29T20:00:00Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();

/**
 * The digest's deal sections (issue 18): "Deals closing this week" in the
 * reader's own week, and "Stalled deals" (no interaction the reader may see
 * with any of the deal's contacts for the workspace's stalled_after, not
 * snoozed), each deal with Move stage and Snooze in Slack.
 */
describe('deals in the digest', () => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, clock: () => new Date(NOW) });
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`update crm.members set timezone = 'America/New_York' where id = $1`, [ws.rep.id]);
    const recent = { createdAt: daysAgo(1) };
    // closing: the manager reads in Tokyo, the rep in New York
    ids.mon = await insertDeal(t.sql, ws.id, { ...recent, name: 'Monday renewal', owner: ws.rep.id, closeDate: '2026-11-30', amount: 100, currency: 'USD' });
    ids.fri = await insertDeal(t.sql, ws.id, { ...recent, name: 'Friday upsell', owner: ws.rep.id, closeDate: '2026-11-27' });
    ids.sun = await insertDeal(t.sql, ws.id, { ...recent, name: 'Sunday pilot', owner: ws.rep.id, closeDate: '2026-12-06', amount: 5000, currency: 'JPY' });
    await insertDeal(t.sql, ws.id, { ...recent, name: 'Next week', owner: ws.rep.id, closeDate: '2026-12-07' });
    await insertDeal(t.sql, ws.id, { ...recent, name: 'Won already', owner: ws.rep.id, closeDate: '2026-11-30', status: 'won' });
    ids.peer = await insertDeal(t.sql, ws.id, { ...recent, name: 'Rae big one', owner: ws.rep2.id, closeDate: '2026-11-30', amount: 900, currency: 'USD' });
    await insertDeal(t.sql, ws.id, { ...recent, name: 'Admin deal', owner: ws.admin.id, closeDate: '2026-11-30' });

    // stalled, all made 60 days ago
    const old = async (name: string, o: Parameters<typeof insertDeal>[2] = {}) => {
      const contact = await insertContact(t.sql, ws.id, `${name} contact`, ws.rep.id);
      ids[name] = await insertDeal(t.sql, ws.id, { name, owner: ws.rep.id, createdAt: daysAgo(60), contacts: [contact], ...o });
      return contact;
    };
    await insertInteraction(t.sql, ws.id, await old('silent20'), daysAgo(20));
    await insertInteraction(t.sql, ws.id, await old('recent'), daysAgo(3));
    await insertInteraction(t.sql, ws.id, await old('privateTeam'), daysAgo(3), { author: ws.rep.id, visibility: 'private' });
    await insertInteraction(t.sql, ws.id, await old('privateAdmin'), daysAgo(3), { author: ws.admin.id, visibility: 'private' });
    await old('snoozed', { snoozedUntil: daysAgo(-2) });
    await old('snoozeOver', { snoozedUntil: daysAgo(1) });
    ids.moved = await insertDeal(t.sql, ws.id, { name: 'moved', owner: ws.rep.id, createdAt: daysAgo(60), stageChangedAt: daysAgo(5) });
    const deleted = await old('deleted');
    await insertInteraction(t.sql, ws.id, deleted, daysAgo(3), { deleted: true });
    await insertInteraction(t.sql, ws.id, deleted, daysAgo(40));
    await old('lostOne', { status: 'lost' });
    // a second contact in touch keeps the deal going
    const second = await insertContact(t.sql, ws.id, 'Second', ws.rep.id);
    await insertInteraction(t.sql, ws.id, second, daysAgo(2));
    await old('twoContacts', { contacts: [second] });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const digest = async (token: string) => {
    const res = await caller(app, token)('GET', '/api/me/digest');
    expect(res.status).toBe(200);
    return res.body;
  };
  const names = (items: { name: string }[]) => items.map((x) => x.name);

  it("lists the team's open deals closing in the reader's week, in the reader's time zone", async () => {
    const tokyo = await digest(ws.manager.token);
    expect(tokyo.dealsClosing.weekStart).toBe('2026-11-30');
    expect(names(tokyo.dealsClosing.items)).toEqual(['Rae big one', 'Monday renewal', 'Sunday pilot']);
    expect(tokyo.dealsClosing.total).toBe(3);
    expect(tokyo.dealsClosing.items[1]).toMatchObject({ id: ids.mon, amount: 100, currency: 'USD', stage: 'qualified', closeDate: '2026-11-30' });
    const newYork = await digest(ws.rep.token);
    expect(newYork.dealsClosing.weekStart).toBe('2026-11-23');
    expect(names(newYork.dealsClosing.items)).toEqual(['Friday upsell']);
  });

  it('lists stalled deals: silent for 14 days, private team mail counts, snoozed and moved ones are left out', async () => {
    const d = await digest(ws.manager.token);
    expect(d.dealsStalled.stalledAfterDays).toBe(14);
    expect(names(d.dealsStalled.items).sort()).toEqual(['deleted', 'privateAdmin', 'silent20', 'snoozeOver']);
    expect(d.dealsStalled.total).toBe(4);
    const silent = d.dealsStalled.items.find((x: { name: string }) => x.name === 'silent20');
    expect(Date.parse(silent.lastActivityAt)).toBe(Date.parse(daysAgo(20)));
    expect(d.empty).toBe(false);
    // the admin sets 30 days: the deal silent for 20 is no longer stalled
    expect((await caller(app, ws.rep.token)('PATCH', '/api/workspace/digest', { stalledAfterDays: 30 })).status).toBe(403);
    const set = await caller(app, ws.admin.token)('PATCH', '/api/workspace/digest', { stalledAfterDays: 30 });
    expect(set.status).toBe(200);
    expect(set.body.stalledAfterDays).toBe(30);
    try {
      const later = await digest(ws.manager.token);
      expect(later.dealsStalled.stalledAfterDays).toBe(30);
      expect(names(later.dealsStalled.items).sort()).toEqual(['deleted', 'privateAdmin', 'snoozeOver']);
    } finally {
      await caller(app, ws.admin.token)('PATCH', '/api/workspace/digest', { stalledAfterDays: 14 });
    }
  });

  it('a snoozed deal leaves the stalled deals; a digest with only a stalled deal is not empty', async () => {
    const solo = await makeWorkspace(t.sql, t.db);
    const id = await insertDeal(t.sql, solo.id, { name: 'Lonely', owner: solo.rep.id, createdAt: daysAgo(30) });
    const before = await digest(solo.rep.token);
    expect(before.empty).toBe(false);
    expect(names(before.dealsStalled.items)).toEqual(['Lonely']);
    expect((await caller(app, solo.rep.token)('POST', `/api/deals/${id}/snooze`, {})).status).toBe(200);
    const after = await digest(solo.rep.token);
    expect(after.dealsStalled.total).toBe(0);
    expect(after.empty).toBe(true);
  });

  it('renders both sections in Slack with Move stage and Snooze (value: the deal id), in Japanese too', async () => {
    const d = await digest(ws.manager.token);
    const { blocks } = digestBlocks(d, { now: NOW });
    const all = JSON.stringify(blocks);
    expect(all).toContain('Deals closing this week (3)');
    expect(all).toContain('Stalled deals: no contact for 14+ days (4)');
    expect(all).toContain('$1.00');
    const actions = blocks.filter((b) => b.type === 'actions' && String(b.block_id).startsWith('digest_deal_actions:closing:'));
    expect(actions.map((b: any) => b.elements.map((e: any) => [e.action_id, e.value]))[1]).toEqual([
      [ACTIONS.dealMoveStage, ids.mon],
      [ACTIONS.dealSnooze, ids.mon],
    ]);
    const ids_ = blocks.map((b) => b.block_id).filter(Boolean);
    expect(new Set(ids_).size).toBe(ids_.length);
    const ja = digestBlocks({ ...d, reader: { ...d.reader, locale: 'ja' } }, { now: NOW });
    const jaText = JSON.stringify(ja.blocks);
    expect(jaText).toContain('今週クローズ予定の案件（3 件）');
    expect(jaText).toContain('停滞中の案件: 14 日以上接点なし（4 件）');
    expect(jaText).toContain('￥5,000');
    expect(jaText).toContain('1 週間スヌーズ');
  });
});
