import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const NOW = '2026-11-24T03:00:00Z';
const ago = (minutes: number, from = NOW) => new Date(Date.parse(from) - minutes * 60_000).toISOString();
const DAY = 24 * 60;

type ContactOpts = {
  owner?: string | null;
  stage?: string;
  tags?: string[];
  custom?: object;
  tz?: string;
  companyId?: string;
  lastAt?: string;
  createdAt?: string;
  emails?: string[];
  createdBy?: string;
};

/** A database, an app on a clock the test moves, and SQL helpers that arrange exact data. */
function harness(kind: (typeof ADAPTERS)[number]) {
  const h = {
    t: undefined as unknown as TestDb,
    app: undefined as unknown as ReturnType<typeof createApp>,
    now: NOW,
    network: undefined as ReturnType<typeof setupNetwork> | undefined,
    as: (token: string) => caller(h.app, token),
    one: async <R = any>(text: string, params: unknown[] = []) => (await h.t.sql.query<R>(text, params))[0]!,
    async company(ws: TestWorkspace, name: string, domain: string | null = null) {
      return (await h.one(`insert into crm.companies (workspace_id, name, domain) values ($1, $2, $3) returning id`, [ws.id, name, domain])).id as string;
    },
    async contact(ws: TestWorkspace, name: string, o: ContactOpts = {}) {
      const { id } = await h.one(
        `insert into crm.contacts (workspace_id, name, owner_id, stage, tags, custom, timezone, company_id, last_interaction_at, created_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now()), $11) returning id`,
        [
          ws.id,
          name,
          o.owner === undefined ? ws.rep.id : o.owner,
          o.stage ?? 'lead',
          o.tags ?? [],
          JSON.stringify(o.custom ?? {}),
          o.tz ?? null,
          o.companyId ?? null,
          o.lastAt ?? null,
          o.createdAt ?? null,
          o.createdBy ?? null,
        ],
      );
      for (const [i, e] of (o.emails ?? []).entries()) {
        await h.one(`insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, $4) returning id`, [
          ws.id,
          id,
          e,
          i === 0,
        ]);
      }
      return id as string;
    },
    async interaction(ws: TestWorkspace, author: string | null, contactId: string, kind: string, direction: string, at: string, o: { deleted?: boolean } = {}) {
      const key = `test:${randomUUID()}`;
      const { id } = await h.one(
        `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key, author_id, deleted_at)
         values ($1, $2, $3, $4, 'api', $5, $5, $6, $7) returning id`,
        [ws.id, kind, direction, at, key, author, o.deleted ? at : null],
      );
      await h.one(
        `insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, contact_id) values ($1, $2, $3, 'about', $4) returning id`,
        [ws.id, id, at, contactId],
      );
      return id as string;
    },
    async followUp(ws: TestWorkspace, contactId: string, owner: string, o: { due: string; createdAt?: string; doneAt?: string }) {
      await h.one(
        `insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, status, completed_at, created_at)
         values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now())) returning id`,
        [ws.id, contactId, owner, o.due, o.doneAt ? 'done' : 'open', o.doneAt ?? null, o.createdAt ?? ago(30 * DAY)],
      );
    },
    async stageMove(ws: TestWorkspace, contactId: string, from: string, to: string, at: string) {
      await h.one(
        `insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after, at)
         values ($1, $2, 'api', 'contact', $3, 'update', $4, $5, $6) returning id`,
        [ws.id, ws.rep.id, contactId, JSON.stringify({ stage: from }), JSON.stringify({ stage: to }), at],
      );
    },
  };
  beforeAll(async () => {
    h.t = await openTestDb(kind);
    h.network = setupNetwork(...h.t.handlers);
    h.app = createApp({ db: h.t.db, clock: () => new Date(h.now) });
  });
  afterEach(() => {
    h.now = NOW;
  });
  afterAll(async () => {
    h.network?.close();
    await h.t?.close();
  });
  return h;
}

describe.each(ADAPTERS)('segments, stats and tidy on %s', (kind) => {
  const h = harness(kind);
  const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((c) => c.name);

  it('saves, lists and deletes segments: names unique ignoring case, only the creator or an admin deletes', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const rep = h.as(ws.rep.token);
    const made = await rep('POST', '/api/segments', { name: 'Tokyo customers', filter: { stage: 'customer', owner: 'me' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      name: 'Tokyo customers',
      filter: { stage: 'customer', owner: 'me' },
      createdBy: { id: ws.rep.id },
      canDelete: true,
    });
    const taken = await h.as(ws.rep2.token)('POST', '/api/segments', { name: '  TOKYO customers ', filter: { tag: 'x' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'segment_name_taken', message: expect.stringContaining('TOKYO customers') });
    const listed = await h.as(ws.rep2.token)('GET', '/api/segments');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: made.body.id, canDelete: false })]);
    const refused = await h.as(ws.rep2.token)('DELETE', `/api/segments/${made.body.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('segment_delete_forbidden');
    expect((await h.as(ws.admin.token)('DELETE', `/api/segments/${made.body.id}`)).body).toEqual({ deleted: true, id: made.body.id });
    expect((await rep('DELETE', `/api/segments/${made.body.id}`)).status).toBe(404);
    const own = await rep('POST', '/api/segments', { name: 'tokyo CUSTOMERS', filter: { tag: 'vip' } });
    expect((await rep('DELETE', `/api/segments/${own.body.id}`)).status).toBe(200);
    expect((await rep('GET', '/api/segments')).body.items).toEqual([]);
    const audit = await h.t.sql.query<{ action: string }>(`select action from crm.audit_log where workspace_id = $1 and entity_type = 'segment' order by id`, [
      ws.id,
    ]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete', 'create', 'delete']);
  });

  it.each([
    ['no filter field', { name: 'x', filter: {} }, 'filter'],
    ['an unknown filter field', { name: 'x', filter: { colour: 'red' } }, 'filter.colour'],
    ['a stage that does not exist', { name: 'x', filter: { stage: 'hot' } }, 'filter.stage'],
    ['an owner that is not an address', { name: 'x', filter: { owner: 'bob' } }, 'filter.owner'],
    ['a time without an offset', { name: 'x', filter: { lastInteractionBefore: '2026-11-01' } }, 'filter.lastInteractionBefore'],
    [
      'after later than before',
      { name: 'x', filter: { lastInteractionAfter: '2026-11-02T00:00:00Z', lastInteractionBefore: '2026-11-01T00:00:00Z' } },
      'filter.lastInteractionAfter',
    ],
    ['a custom value that is an object', { name: 'x', filter: { custom: { plan: { a: 1 } } } }, 'filter.custom.plan'],
    ['hasOpenFollowUp as a string', { name: 'x', filter: { hasOpenFollowUp: 'yes' } }, 'filter.hasOpenFollowUp'],
    ['an empty name', { name: '  ', filter: { tag: 'a' } }, 'name'],
    ['a name of 101 characters', { name: 'n'.repeat(101), filter: { tag: 'a' } }, 'name'],
    ['a name that looks like an id', { name: randomUUID(), filter: { tag: 'a' } }, 'name'],
    ['an unknown field', { name: 'x', filter: { tag: 'a' }, shared: true }, 'shared'],
  ])('refuses a segment with %s (400 naming the field)', async (_label, body, field) => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const res = await h.as(ws.rep.token)('POST', '/api/segments', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('refuses an owner or a company the workspace does not have', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const rep = h.as(ws.rep.token);
    const owner = await rep('POST', '/api/segments', { name: 'x', filter: { owner: 'nobody@elsewhere.example' } });
    expect([owner.status, owner.body.error.code]).toEqual([400, 'member_unknown']);
    const company = await rep('POST', '/api/segments', { name: 'x', filter: { company: 'Initech' } });
    expect([company.status, company.body.error.code]).toEqual([400, 'segment_company_unknown']);
    expect(company.body.error.message).toContain('Initech');
  });

  it('matches each filter field, and all of them together', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const acme = await h.company(ws, 'Acme 株式会社', 'acme.co.jp');
    const globex = await h.company(ws, 'Globex', 'globex.example');
    const a = await h.contact(ws, 'Aoki', {
      stage: 'customer',
      tags: ['vip'],
      companyId: acme,
      lastAt: ago(2 * DAY),
      custom: { plan: 'gold', seats: 20, trial: false },
    });
    const b = await h.contact(ws, 'Baba', {
      stage: 'customer',
      owner: ws.rep2.id,
      companyId: globex,
      lastAt: ago(40 * DAY),
      custom: { plan: 'gold', region: 'kanto' },
    });
    const _c = await h.contact(ws, 'Chen', { stage: 'lead', tags: ['vip', 'apac'], owner: null, custom: { plan: 'free' } });
    await h.contact(ws, 'Merged away', { stage: 'customer', tags: ['vip'] });
    await h.t.sql.query(`update crm.contacts set merged_into_id = $2 where workspace_id = $1 and name = 'Merged away'`, [ws.id, a]);
    await h.followUp(ws, a, ws.rep.id, { due: ago(-DAY) });
    await h.followUp(ws, b, ws.rep2.id, { due: ago(DAY), doneAt: ago(10) });
    const list = async (filter: object, token = ws.rep.token) => {
      const name = `s-${randomUUID().slice(0, 8)}`;
      const made = await h.as(ws.rep.token)('POST', '/api/segments', { name, filter });
      expect(made.status).toBe(201);
      const res = await h.as(token)('GET', `/api/contacts?segment=${encodeURIComponent(name)}`);
      expect(res.status).toBe(200);
      return names(res);
    };
    expect(await list({ stage: 'customer' })).toEqual(['Aoki', 'Baba']);
    expect(await list({ owner: 'me' })).toEqual(['Aoki']);
    expect(await list({ owner: 'me' }, ws.rep2.token)).toEqual(['Baba']); // 'me' is the reader
    expect(await list({ owner: ws.rep2.email.toUpperCase() })).toEqual(['Baba']);
    expect(await list({ tag: 'vip' })).toEqual(['Aoki', 'Chen']);
    expect(await list({ company: acme })).toEqual(['Aoki']);
    expect(await list({ company: 'ａｃｍｅ株式会社' })).toEqual(['Aoki']); // folded like search
    expect(await list({ company: 'GLOBEX.example' })).toEqual(['Baba']);
    expect(await list({ lastInteractionBefore: ago(30 * DAY) })).toEqual(['Baba', 'Chen']); // never counts as before
    expect(await list({ lastInteractionAfter: ago(30 * DAY) })).toEqual(['Aoki']);
    expect(await list({ lastInteractionAfter: ago(50 * DAY), lastInteractionBefore: ago(30 * DAY) })).toEqual(['Baba']);
    expect(await list({ hasOpenFollowUp: true })).toEqual(['Aoki']);
    expect(await list({ hasOpenFollowUp: false })).toEqual(['Baba', 'Chen']);
    expect(await list({ custom: { plan: 'gold' } })).toEqual(['Aoki', 'Baba']);
    expect(await list({ custom: { seats: 20, trial: false } })).toEqual(['Aoki']);
    expect(await list({ custom: { plan: 'gold', region: null } })).toEqual(['Aoki']);
    expect(await list({ stage: 'customer', tag: 'vip', owner: 'me', company: 'Acme 株式会社', hasOpenFollowUp: true, custom: { plan: 'gold' } })).toEqual([
      'Aoki',
    ]);
    expect(await list({ stage: 'customer', tag: 'apac' })).toEqual([]);
    // an owner who leaves the workspace's addresses matches nothing, not everything
    const gone = await h.as(ws.rep.token)('POST', '/api/segments', { name: 'rep2 book', filter: { owner: ws.rep2.email } });
    await h.t.sql.query(`update crm.members set email = 'renamed@' || split_part(email, '@', 2) where id = $1`, [ws.rep2.id]);
    expect(names(await h.as(ws.rep.token)('GET', `/api/contacts?segment=${gone.body.id}`))).toEqual([]);
  });

  it('pages a segment by keyset, combined with q, stage and owner, by name or id', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    for (const n of ['山田 一郎', 'Abe', 'Endo', 'Fujii', 'Goto', 'Hara', 'Ito'])
      await h.contact(ws, n, { tags: ['event-2026'], stage: n === 'Goto' ? 'customer' : 'lead' });
    await h.contact(ws, 'Not tagged', {});
    const rep = h.as(ws.rep.token);
    const seg = (await rep('POST', '/api/segments', { name: 'Event leads', filter: { tag: 'event-2026' } })).body;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await rep('GET', `/api/contacts?segment=event%20LEADS&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...names(res));
      cursor = res.body.nextCursor;
      pages += 1;
      // a contact added mid-way sorts into its place without repeating or skipping anyone
      if (pages === 1) await h.contact(ws, 'Zeta', { tags: ['event-2026'] });
    } while (cursor);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual(['Abe', 'Endo', 'Fujii', 'Goto', 'Hara', 'Ito', 'Zeta', '山田 一郎'].sort());
    expect(names(await rep('GET', `/api/contacts?segment=${seg.id}&q=fuji`))).toEqual(['Fujii']);
    expect(names(await rep('GET', `/api/contacts?segment=${seg.id}&q=山田`))).toEqual(['山田 一郎']);
    expect(names(await rep('GET', `/api/contacts?segment=${seg.id}&stage=customer`))).toEqual(['Goto']);
    expect(names(await rep('GET', `/api/contacts?segment=${seg.id}&owner=${ws.rep2.email}`))).toEqual([]);
  });

  it("answers 404 naming an unknown segment, in the reader's language", async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db, { locale: 'ja' });
    const res = await h.as(ws.rep.token)('GET', '/api/contacts?segment=Nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      code: 'segment_not_found',
      message: expect.stringContaining('「Nowhere」'),
      details: { segment: 'Nowhere' },
    });
    expect((await h.as(ws.rep.token)('GET', `/api/contacts?segment=${randomUUID()}`)).status).toBe(404);
  });

  it("keeps each workspace's segments its own", async () => {
    const a = await makeWorkspace(h.t.sql, h.t.db);
    const b = await makeWorkspace(h.t.sql, h.t.db);
    await h.contact(a, 'Secret Aoki', { tags: ['vip'] });
    const seg = (await h.as(a.rep.token)('POST', '/api/segments', { name: 'VIPs', filter: { tag: 'vip' } })).body;
    const asB = h.as(b.admin.token);
    expect((await asB('GET', `/api/contacts?segment=${seg.id}`)).status).toBe(404);
    expect((await asB('GET', '/api/contacts?segment=VIPs')).status).toBe(404);
    expect((await asB('DELETE', `/api/segments/${seg.id}`)).status).toBe(404);
    expect((await asB('GET', '/api/segments')).body.items).toEqual([]);
    expect((await asB('POST', '/api/segments', { name: 'vips', filter: { tag: 'vip' } })).status).toBe(201); // B's own name space
    expect(names(await h.as(a.rep.token)('GET', '/api/contacts?segment=vips'))).toEqual(['Secret Aoki']);
  });

  it("counts the caller's numbers: stages, stage changes, interactions by rep and kind, follow-ups, time zones; a rep their own, a manager the team's, an admin everything", async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const mine = await h.contact(ws, 'Mine', { stage: 'prospect', tz: 'Asia/Tokyo' });
    const mine2 = await h.contact(ws, 'Mine 2', { stage: 'customer', tz: 'Asia/Tokyo' });
    const theirs = await h.contact(ws, 'Theirs', { owner: ws.rep2.id, stage: 'lead' });
    const admins = await h.contact(ws, 'Admin’s', { owner: ws.admin.id, stage: 'churned', tz: 'Europe/Paris' });
    await h.contact(ws, 'Nobody’s', { owner: null });
    await h.stageMove(ws, mine, 'lead', 'prospect', ago(7 * DAY)); // the period's first instant
    await h.stageMove(ws, mine2, 'lead', 'prospect', ago(3 * DAY));
    await h.stageMove(ws, mine2, 'prospect', 'customer', ago(DAY));
    await h.stageMove(ws, mine2, 'customer', 'customer', ago(DAY)); // not a change
    await h.stageMove(ws, theirs, 'prospect', 'lead', ago(7 * DAY + 1)); // a minute before the week
    await h.stageMove(ws, theirs, 'lead', 'customer', ago(-5)); // after now
    await h.stageMove(ws, admins, 'customer', 'churned', ago(DAY));
    await h.interaction(ws, ws.rep.id, mine, 'email', 'outbound', ago(10));
    await h.interaction(ws, ws.rep.id, mine, 'email', 'outbound', ago(20));
    await h.interaction(ws, ws.rep.id, mine, 'call', 'outbound', ago(DAY));
    await h.interaction(ws, ws.rep.id, mine, 'note', 'internal', ago(DAY), { deleted: true });
    await h.interaction(ws, ws.rep2.id, theirs, 'meeting', 'outbound', ago(10 * DAY)); // a month's, not a week's
    await h.interaction(ws, ws.rep2.id, theirs, 'slack', 'outbound', ago(2 * DAY));
    await h.interaction(ws, ws.admin.id, admins, 'note', 'internal', ago(DAY));
    await h.followUp(ws, mine, ws.rep.id, { due: ago(60), createdAt: ago(DAY) }); // created, overdue
    await h.followUp(ws, mine, ws.rep.id, { due: ago(-DAY), createdAt: ago(8 * DAY) }); // neither
    await h.followUp(ws, theirs, ws.rep2.id, { due: ago(DAY), createdAt: ago(2 * DAY), doneAt: ago(DAY) }); // created, done
    await h.followUp(ws, admins, ws.admin.id, { due: ago(DAY) }); // overdue, the admin's

    const stats = async (token: string, period = 'week') => {
      const res = await h.as(token)('GET', `/api/stats?period=${period}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const byStage = (s: any) => Object.fromEntries(s.contacts.byStage.map((x: any) => [x.stage, x.count]));
    const rep = await stats(ws.rep.token);
    expect(rep).toMatchObject({ period: 'week', scope: 'own', members: 1, periodLabel: 'Last 7 days', from: expect.any(String) });
    expect(Date.parse(rep.from)).toBe(Date.parse(ago(7 * DAY)));
    expect(byStage(rep)).toEqual({ lead: 0, prospect: 1, customer: 1, churned: 0 });
    expect(rep.contacts.byTimezone).toEqual([{ timezone: 'Asia/Tokyo', count: 2, label: 'Asia/Tokyo' }]);
    expect(rep.stageMoves).toEqual([
      { from: 'lead', to: 'prospect', count: 2, label: 'Lead → Prospect' },
      { from: 'prospect', to: 'customer', count: 1, label: 'Prospect → Customer' },
    ]);
    expect(rep.interactions).toEqual({
      total: 3,
      byKind: { email: 2, slack: 0, call: 1, meeting: 0, note: 0 },
      byRep: [{ rep: { id: ws.rep.id, name: 'Ren Rep' }, total: 3, byKind: { email: 2, slack: 0, call: 1, meeting: 0, note: 0 } }],
    });
    expect(rep.followUps).toEqual({ created: 1, done: 0, overdue: 1 });

    const mgr = await stats(ws.manager.token);
    expect(mgr).toMatchObject({ scope: 'team', members: 3 });
    expect(byStage(mgr)).toEqual({ lead: 1, prospect: 1, customer: 1, churned: 0 });
    expect(mgr.contacts.byTimezone).toEqual([
      { timezone: 'Asia/Tokyo', count: 2, label: 'Asia/Tokyo' },
      { timezone: null, count: 1, label: 'No time zone' },
    ]);
    expect(mgr.stageMoves.map((m: any) => m.count)).toEqual([2, 1]);
    expect(mgr.interactions.byRep.map((r: any) => [r.rep.name, r.total])).toEqual([
      ['Ren Rep', 3],
      ['Rae Rep', 1],
      ['Mia Manager', 0],
    ]);
    expect(mgr.followUps).toEqual({ created: 2, done: 1, overdue: 1 });
    expect((await stats(ws.manager.token, 'month')).interactions.byKind).toEqual({ email: 2, slack: 1, call: 1, meeting: 1, note: 0 });
    expect((await stats(ws.manager.token, 'month')).stageMoves.map((m: any) => [m.label, m.count])).toEqual([
      ['Lead → Prospect', 2],
      ['Prospect → Customer', 1],
      ['Prospect → Lead', 1],
    ]);

    const admin = await stats(ws.admin.token);
    expect(admin).toMatchObject({ scope: 'workspace', members: 4 });
    expect(admin.contacts.total).toBe(5);
    expect(byStage(admin)).toEqual({ lead: 2, prospect: 1, customer: 1, churned: 1 });
    expect(admin.stageMoves.find((m: any) => m.to === 'churned')).toMatchObject({ from: 'customer', count: 1 });
    expect(admin.followUps).toEqual({ created: 2, done: 1, overdue: 2 });

    const ja = await makeWorkspace(h.t.sql, h.t.db, { locale: 'ja' });
    const jaStats = await stats(ja.rep.token, 'month');
    expect(jaStats.periodLabel).toBe('過去 1 か月');
    expect(jaStats.contacts.byStage[0].label).toBe('リード');
    expect(jaStats.kindLabels.meeting).toBe('打ち合わせ');
    expect((await h.as(ws.rep.token)('GET', '/api/stats?period=year')).status).toBe(400);
  });

  it('takes the median minutes from each inbound email of the period to the first later outbound one with that contact', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const k1 = await h.contact(ws, 'Kato');
    const k2 = await h.contact(ws, 'Kudo');
    const k3 = await h.contact(ws, 'Kubo', { owner: ws.admin.id });
    const median = async (token = ws.rep.token) => (await h.as(token)('GET', '/api/stats')).body.replies;
    expect(await median()).toEqual({ inboundEmails: 0, answered: 0, medianMinutes: null });
    // the period's first instant counts: answered 30 minutes later (an earlier outbound one is no reply)
    await h.interaction(ws, ws.rep.id, k1, 'email', 'outbound', ago(7 * DAY + 60));
    await h.interaction(ws, null, k1, 'email', 'inbound', ago(7 * DAY));
    await h.interaction(ws, ws.rep.id, k1, 'call', 'outbound', ago(7 * DAY - 30));
    // answered by the first of two replies, 90 minutes later
    await h.interaction(ws, null, k2, 'email', 'inbound', ago(3 * DAY));
    await h.interaction(ws, ws.rep.id, k2, 'email', 'outbound', ago(3 * DAY - 90));
    await h.interaction(ws, ws.rep.id, k2, 'email', 'outbound', ago(3 * DAY - 200));
    expect(await median()).toEqual({ inboundEmails: 2, answered: 2, medianMinutes: 60 });
    // a minute before the period: not counted, though answered in 1 minute
    await h.interaction(ws, null, k2, 'email', 'inbound', ago(7 * DAY + 1));
    // an outbound at the same instant is not later; a deleted reply and one after now are no replies
    await h.interaction(ws, null, k1, 'email', 'inbound', ago(DAY));
    await h.interaction(ws, ws.rep.id, k1, 'note', 'outbound', ago(DAY));
    await h.interaction(ws, ws.rep.id, k1, 'email', 'outbound', ago(DAY - 5), { deleted: true });
    await h.interaction(ws, ws.rep.id, k1, 'email', 'outbound', ago(-10));
    // inbound Slack and notes are not emails
    await h.interaction(ws, null, k2, 'slack', 'inbound', ago(DAY));
    expect(await median()).toEqual({ inboundEmails: 3, answered: 2, medianMinutes: 60 });
    // a third answered email makes the median the middle one: 30, 90, 240 -> 90
    await h.interaction(ws, null, k2, 'email', 'inbound', ago(2 * DAY));
    await h.interaction(ws, ws.rep.id, k2, 'email', 'outbound', ago(2 * DAY - 240));
    expect(await median()).toEqual({ inboundEmails: 4, answered: 3, medianMinutes: 90 });
    // another owner's contact is the admin's number, not the rep's
    await h.interaction(ws, null, k3, 'email', 'inbound', ago(DAY));
    await h.interaction(ws, ws.admin.id, k3, 'email', 'outbound', ago(DAY - 1));
    expect((await median()).inboundEmails).toBe(4);
    expect(await median(ws.admin.token)).toEqual({ inboundEmails: 5, answered: 4, medianMinutes: 60 });
  });

  it('lists incomplete records with their fixes, and applies each fix (audited); free mail gets no company fix', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const initech = await h.company(ws, 'Initech', 'initech.example');
    const fine = { createdAt: ago(200 * DAY), lastAt: ago(DAY), companyId: initech };
    await h.contact(ws, 'All good', fine);
    const globex = await h.contact(ws, 'Gina Globex', {
      ...fine,
      companyId: undefined,
      emails: [`gina@${ws.domain}`, 'gina@mail.globex.co.jp'],
    });
    const free = await h.contact(ws, 'Fumi Free', { ...fine, companyId: undefined, emails: ['fumi@gmail.com'] });
    const known = await h.contact(ws, 'Ivan Initech', {
      ...fine,
      companyId: undefined,
      emails: ['ivan@initech.example'],
      owner: null,
      createdBy: ws.rep.id,
    });
    const stale = await h.contact(ws, 'Sato Stale', { ...fine, lastAt: ago(91 * DAY) });
    await h.contact(ws, 'New, never contacted', { ...fine, lastAt: undefined, createdAt: ago(89 * DAY) });
    await h.contact(ws, 'Old, never contacted', { ...fine, lastAt: undefined });
    await h.contact(ws, 'Someone else’s', { owner: ws.admin.id, emails: ['x@gmail.com'] });
    await h.contact(ws, 'Unowned, by the admin', { ...fine, owner: null, createdBy: ws.admin.id });

    const rep = h.as(ws.rep.token);
    const res = await rep('GET', '/api/tidy');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(res.body.counts).toEqual({ noCompany: 3, noOwner: 1, noRecentInteraction: 2 });
    const byName = Object.fromEntries(res.body.items.map((i: any) => [i.contact.name, i]));
    expect(res.body.items[0].contact.name).toBe('Ivan Initech'); // two problems first
    expect(byName['Ivan Initech'].problems).toEqual([
      { code: 'no_company', label: 'No company' },
      { code: 'no_owner', label: 'No owner' },
    ]);
    expect(byName['Ivan Initech'].fixes).toEqual([
      {
        fix: 'company_from_domain',
        domain: 'initech.example',
        company: 'Initech',
        companyExists: true,
        label: 'Set the company to Initech (initech.example)',
      },
      { fix: 'owner_me', label: 'Make me the owner' },
    ]);
    // the workspace's own domain is skipped; a new company is named from the domain
    expect(byName['Gina Globex'].fixes).toEqual([
      expect.objectContaining({ fix: 'company_from_domain', domain: 'mail.globex.co.jp', company: 'Globex', companyExists: false }),
    ]);
    expect(byName['Fumi Free'].fixes).toEqual([]);
    expect(byName['Sato Stale'].problems.map((p: any) => p.code)).toEqual(['no_recent_interaction']);
    expect(byName['Old, never contacted']).toBeDefined();
    expect((await rep('GET', '/api/tidy?limit=2')).body.items).toHaveLength(2);
    expect((await h.as(ws.admin.token)('GET', '/api/tidy')).body.total).toBe(7);

    const fixed = await rep('POST', '/api/tidy/fix', { contactId: globex, fix: 'company_from_domain' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.contact.company).toMatchObject({ name: 'Globex', domain: 'mail.globex.co.jp' });
    const again = await h.as(ws.rep2.token)('POST', '/api/tidy/fix', { contactId: globex, fix: 'company_from_domain' });
    expect([again.status, again.body.error.code]).toEqual([409, 'tidy_already_fixed']);
    const gmail = await rep('POST', '/api/tidy/fix', { contactId: free, fix: 'company_from_domain' });
    expect([gmail.status, gmail.body.error.code]).toEqual([409, 'tidy_fix_unavailable']);
    expect(gmail.body.error.message).toContain('Fumi Free');
    expect((await rep('POST', '/api/tidy/fix', { contactId: known, fix: 'company_from_domain' })).body.contact.company.id).toBe(initech);
    expect((await rep('POST', '/api/tidy/fix', { contactId: known, fix: 'owner_me' })).body.contact.owner.id).toBe(ws.rep.id);
    expect((await rep('POST', '/api/tidy/fix', { contactId: known, fix: 'owner_me' })).status).toBe(200); // twice: still mine
    expect((await h.as(ws.rep2.token)('POST', '/api/tidy/fix', { contactId: known, fix: 'owner_me' })).status).toBe(409);
    expect((await h.as(ws.rep2.token)('POST', '/api/tidy/fix', { contactId: stale, fix: 'owner_me' })).status).toBe(409);
    expect((await rep('POST', '/api/tidy/fix', { contactId: stale, fix: 'archive' })).status).toBe(400);

    const audit = await h.t.sql.query<{ entity_id: string; after: any }>(
      `select entity_id, after from crm.audit_log where workspace_id = $1 and entity_type = 'contact' and action = 'update' order by id`,
      [ws.id],
    );
    expect(audit.map((a) => [a.entity_id, Object.keys(a.after)])).toEqual([
      [globex, ['company']],
      [known, ['company']],
      [known, ['owner']],
    ]);
    expect(await h.one(`select count(*)::int n from crm.audit_log where workspace_id = $1 and entity_type = 'company'`, [ws.id])).toEqual({
      n: 1,
    });
    expect((await rep('GET', '/api/tidy')).body.counts).toEqual({ noCompany: 1, noOwner: 0, noRecentInteraction: 2 });
    const other = await makeWorkspace(h.t.sql, h.t.db);
    expect((await h.as(other.admin.token)('POST', '/api/tidy/fix', { contactId: free, fix: 'owner_me' })).status).toBe(404);
  });
});
