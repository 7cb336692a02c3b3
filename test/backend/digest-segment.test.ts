import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const NOW = '2026-11-24T03:00:00Z';

describe.each(['pglite', 'postgres'] as const)('a digest scoped to a saved segment on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  let network: ReturnType<typeof setupNetwork>;
  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    app = createApp({ db: t.db, clock: () => new Date(NOW) });
    const rep = caller(app, ws.rep.token);
    for (const [name, tags] of [
      ['VIP One', ['vip']],
      ['VIP Two', ['vip', 'jp']],
      ['Plain Three', []],
      ['Plain Four', ['jp']],
    ] as const) {
      const c = (
        await rep('POST', '/api/contacts', {
          name,
          emails: [`${name.replace(' ', '.').toLowerCase()}@seg.example`],
          tags,
          stage: 'customer',
        })
      ).body;
      await rep('POST', '/api/follow-ups', { contactId: c.id, dueAt: '2026-11-01T00:00:00Z', note: `overdue ${name}` });
      await t.sql.query(`update crm.contacts set last_interaction_at = '2026-01-01T00:00:00Z' where id = $1`, [c.id]);
    }
    expect((await caller(app, ws.manager.token)('POST', '/api/segments', { name: 'VIP', filter: { tag: 'vip' } })).status).toBe(201);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const digest = async () => (await caller(app, ws.manager.token)('GET', '/api/me/digest')).body;
  const names = (items: { contact: { name: string } }[]) => items.map((i) => i.contact.name).sort();

  it("covers the segment's contacts only, with exact counts, and the whole team again once cleared", async () => {
    const whole = await digest();
    expect(whole.overdue.total).toBe(4);
    expect(whole.goingCold.total).toBe(4);

    const set = await caller(app, ws.manager.token)('PUT', '/api/me/digest/segment', { segment: 'vip' });
    expect(set.status).toBe(200);
    expect(set.body.segment.name).toBe('VIP');
    const scoped = await digest();
    expect(scoped.overdue.total).toBe(2);
    expect(names(scoped.overdue.byRep.flatMap((r: { items: never[] }) => r.items))).toEqual(['VIP One', 'VIP Two']);
    expect(scoped.goingCold.total).toBe(2);
    expect(names(scoped.goingCold.items)).toEqual(['VIP One', 'VIP Two']);

    expect((await caller(app, ws.manager.token)('PUT', '/api/me/digest/segment', { segment: null })).body).toEqual({ segment: null });
    expect((await digest()).overdue.total).toBe(4);
  });

  it('refuses a segment the workspace does not have, and a deleted segment scopes nothing', async () => {
    const unknown = await caller(app, ws.manager.token)('PUT', '/api/me/digest/segment', { segment: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('segment_not_found');
    const jp = (await caller(app, ws.manager.token)('POST', '/api/segments', { name: 'Japan', filter: { tag: 'jp' } })).body;
    await caller(app, ws.manager.token)('PUT', '/api/me/digest/segment', { segment: jp.id });
    expect((await digest()).overdue.total).toBe(2);
    expect((await caller(app, ws.manager.token)('DELETE', `/api/segments/${jp.id}`)).status).toBeLessThan(300);
    expect((await digest()).overdue.total).toBe(4);
  });
});
