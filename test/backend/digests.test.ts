import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const SECRET = 'digest-service-secret-'.padEnd(40, 'x');
const SERVICE = { authorization: `Rapport-Service ${SECRET}` };
const NOW = '2026-11-24T03:00:00Z'; // Tuesday: 12:00 in Tokyo (the manager), 03:00 in UTC (the reps)
const ms = (iso: string) => Date.parse(iso);
const plus = (iso: string, seconds: number) => new Date(ms(iso) + seconds * 1000).toISOString();

/** Opens a database with an app on a clock the test moves, and the helpers that arrange digest data. */
function digestHarness(kind: (typeof ADAPTERS)[number]) {
  const h = {
    t: undefined as unknown as TestDb,
    app: undefined as unknown as ReturnType<typeof createApp>,
    now: NOW,
    network: undefined as ReturnType<typeof setupNetwork> | undefined,
    sql: <R = any>(text: string, params: unknown[] = []) => h.t.sql.query<R>(text, params),
    async one<R = any>(text: string, params: unknown[] = []): Promise<R> {
      return (await h.sql<R>(text, params))[0]!;
    },
    as: (token: string) => caller(h.app, token),
    service: () => caller(h.app, undefined, SERVICE),
    digest: async (token: string) => (await h.as(token)('GET', '/api/me/digest')).body,
    async contact(
      ws: TestWorkspace,
      ownerId: string | null,
      name: string,
      o: { stage?: string; company?: string; lastAt?: string; createdAt?: string; mergedInto?: string } = {},
    ) {
      const company = o.company ? (await h.one(`insert into crm.companies (workspace_id, name) values ($1, $2) returning id`, [ws.id, o.company])).id : null;
      return (
        await h.one(
          `insert into crm.contacts (workspace_id, name, company_id, owner_id, stage, last_interaction_at, created_at, merged_into_id)
         values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), $8) returning id`,
          [ws.id, name, company, ownerId, o.stage ?? 'lead', o.lastAt ?? null, o.createdAt ?? null, o.mergedInto ?? null],
        )
      ).id as string;
    },
    async followUp(
      ws: TestWorkspace,
      contactId: string,
      ownerId: string,
      dueAt: string,
      o: { status?: string; doneAt?: string; doneBy?: string; createdBy?: string; createdAt?: string } = {},
    ) {
      return (
        await h.one(
          `insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, note, status, completed_at, completed_by, created_by, created_at)
         values ($1, $2, $3, $4, 'call back', $5, $6, $7, $8, coalesce($9::timestamptz, now())) returning id`,
          [ws.id, contactId, ownerId, dueAt, o.status ?? 'open', o.doneAt ?? null, o.doneBy ?? null, o.createdBy ?? null, o.createdAt ?? null],
        )
      ).id as string;
    },
    async interaction(
      ws: TestWorkspace,
      authorId: string,
      contactId: string,
      kind: string,
      direction: string,
      at: string,
      o: { createdAt?: string; visibility?: string; deleted?: boolean } = {},
    ) {
      const key = `test:${randomUUID()}`;
      const { id } = await h.one(
        `insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id, dedupe_key, visibility, author_id, created_at, deleted_at)
         values ($1, $2, $3, $4, 'Re: 見積もり', 'Hello  there', 'api', $5, $5, $6, $7, coalesce($8::timestamptz, now()), $9) returning id`,
        [ws.id, kind, direction, at, key, o.visibility ?? 'workspace', authorId, o.createdAt ?? null, o.deleted ? at : null],
      );
      await h.sql(`insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, contact_id) values ($1, $2, $3, 'about', $4)`, [
        ws.id,
        id,
        at,
        contactId,
      ]);
      return id as string;
    },
    async installed(o: { managerTz?: string } = {}) {
      const ws = await makeWorkspace(h.t.sql, h.t.db);
      const teamId = `T${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      await h.sql(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [teamId, ws.id]);
      if (o.managerTz) await h.sql(`update crm.members set timezone = $2 where id = $1`, [ws.manager.id, o.managerTz]);
      return { ws, teamId };
    },
    async claim(workerId: string, ws: TestWorkspace, extra: object = {}) {
      const res = await h.service()('POST', '/api/slack/digests/claim', { workerId, ...extra });
      expect(res.status).toBe(200);
      return (res.body.claimed as any[]).filter((c) => c.workspaceId === ws.id);
    },
    finish: async (body: object) => (await h.service()('POST', '/api/slack/digests/finish', body)).body,
  };
  beforeAll(async () => {
    h.t = await openTestDb(kind);
    h.network = setupNetwork(...h.t.handlers);
    h.app = createApp({ db: h.t.db, clock: () => new Date(h.now), serviceSecret: SECRET });
  });
  // a claim sees every workspace of the database: only the running test's are installed
  afterEach(async () => {
    h.now = NOW;
    await h.sql('delete from crm.slack_installations');
  });
  afterAll(async () => {
    h.network?.close();
    await h.t?.close();
  });
  return h;
}

describe.each(ADAPTERS)('daily digest on %s', (kind) => {
  const h = digestHarness(kind);

  it("splits overdue from due today at the reader's own local midnight", async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const k = await h.contact(ws, ws.rep.id, '山田 太郎', { company: '株式会社サンプル' });
    const f1 = await h.followUp(ws, k, ws.rep.id, '2026-11-23T14:59:00Z'); // Tokyo: 23:59 yesterday
    const f2 = await h.followUp(ws, k, ws.rep.id, '2026-11-23T15:01:00Z'); // Tokyo: 00:01 today
    const f3 = await h.followUp(ws, k, ws.rep.id, '2026-11-24T14:59:00Z'); // Tokyo: 23:59 today
    await h.followUp(ws, k, ws.rep.id, '2026-11-24T15:01:00Z'); // Tokyo: tomorrow
    await h.followUp(ws, k, ws.rep.id, '2026-11-20T00:00:00Z', { status: 'done', doneAt: '2026-11-21T00:00:00Z' });
    await h.followUp(ws, k, ws.admin.id, '2026-11-20T00:00:00Z'); // not the manager's team

    const mgr = await h.digest(ws.manager.token);
    expect(mgr.overdue).toEqual({
      total: 1,
      byRep: [
        {
          rep: { id: ws.rep.id, name: 'Ren Rep' },
          total: 1,
          items: [
            {
              id: f1,
              dueAt: expect.any(String),
              note: 'call back',
              contact: { id: k, name: '山田 太郎', reading: null, company: '株式会社サンプル' },
              owner: { id: ws.rep.id, name: 'Ren Rep' },
            },
          ],
        },
      ],
    });
    expect(ms(mgr.overdue.byRep[0].items[0].dueAt)).toBe(ms('2026-11-23T14:59:00Z'));
    expect(mgr.dueToday.total).toBe(2);
    expect(mgr.dueToday.items.map((i: any) => i.id)).toEqual([f2, f3]);
    expect(mgr).toMatchObject({ isManager: true, localDate: '2026-11-24', empty: false, whenEmpty: 'line' });

    // the rep's midnight is UTC's: both of yesterday's Tokyo items are overdue, tomorrow's Tokyo one is today
    const rep = await h.digest(ws.rep.token);
    expect(rep.overdue.total).toBe(2);
    expect(rep.overdue.byRep[0].items.map((i: any) => i.id)).toEqual([f1, f2]);
    expect(rep.dueToday.total).toBe(2);
    expect(rep.isManager).toBe(false);
    expect((await h.digest(ws.rep2.token)).overdue.total).toBe(0);
  });

  it('counts every item exactly and lists at most 5 per rep and 10 per section, oldest rep first', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const k = await h.contact(ws, ws.rep2.id, '李 小龙');
    const many: string[] = [];
    for (let i = 0; i < 30; i++) many.push(await h.followUp(ws, k, ws.rep2.id, plus('2026-11-01T00:00:00Z', i * 3600)));
    for (let i = 0; i < 3; i++) await h.followUp(ws, k, ws.rep.id, plus('2026-10-01T00:00:00Z', i * 60));
    for (let i = 0; i < 12; i++) await h.followUp(ws, k, ws.manager.id, plus('2026-11-24T05:00:00Z', i * 60));
    for (let i = 0; i < 12; i++) await h.contact(ws, ws.rep.id, `顧客 ${i}`, { stage: 'customer', lastAt: plus('2026-09-01T00:00:00Z', i * 60) });

    const d = await h.digest(ws.manager.token);
    expect(d.overdue.total).toBe(33);
    expect(d.overdue.byRep.map((r: any) => [r.rep.id, r.total, r.items.length])).toEqual([
      [ws.rep.id, 3, 3],
      [ws.rep2.id, 30, 5],
    ]);
    expect(d.overdue.byRep[1].items.map((i: any) => i.id)).toEqual(many.slice(0, 5));
    expect([d.dueToday.total, d.dueToday.items.length]).toEqual([12, 10]);
    expect([d.goingCold.total, d.goingCold.items.length]).toEqual([12, 10]);
    expect(d.goingCold.items[0]).toMatchObject({ contact: { name: '顧客 0', company: null }, owner: { id: ws.rep.id }, stage: 'customer' });
  });

  it('lists contacts waiting for a reply: past the reply window, within 14 days, not answered, never a private one', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const names = ['inside', 'outside', 'answered', 'secret', 'stale', 'twice', 'call', 'deleted', 'notTeam'] as const;
    const c = {} as Record<(typeof names)[number], string>;
    for (const n of names) c[n] = await h.contact(ws, n === 'notTeam' ? ws.admin.id : ws.rep.id, n);
    await h.interaction(ws, ws.rep.id, c.inside, 'email', 'inbound', '2026-11-23T03:01:00Z'); // 1 minute inside the 24 h window
    const late = await h.interaction(ws, ws.rep.id, c.outside, 'email', 'inbound', '2026-11-23T02:59:00Z'); // 1 minute past it
    await h.interaction(ws, ws.rep.id, c.answered, 'slack', 'inbound', '2026-11-22T00:00:00Z');
    await h.interaction(ws, ws.rep.id, c.answered, 'email', 'outbound', '2026-11-22T05:00:00Z');
    await h.interaction(ws, ws.rep2.id, c.secret, 'email', 'inbound', '2026-11-22T00:00:00Z', { visibility: 'private' });
    await h.interaction(ws, ws.rep.id, c.stale, 'email', 'inbound', '2026-11-09T00:00:00Z');
    const first = await h.interaction(ws, ws.rep.id, c.twice, 'slack', 'inbound', '2026-11-21T00:00:00Z');
    await h.interaction(ws, ws.rep.id, c.twice, 'email', 'inbound', '2026-11-24T02:00:00Z');
    await h.interaction(ws, ws.rep.id, c.call, 'call', 'inbound', '2026-11-21T00:00:00Z');
    await h.interaction(ws, ws.rep.id, c.deleted, 'email', 'inbound', '2026-11-21T00:00:00Z', { deleted: true });
    await h.interaction(ws, ws.admin.id, c.notTeam, 'email', 'inbound', '2026-11-21T00:00:00Z');

    for (const token of [ws.rep.token, ws.manager.token]) {
      const d = await h.digest(token);
      expect(d.waiting.total).toBe(2);
      expect(d.waiting.items.map((i: any) => [i.contact.id, i.interaction.id])).toEqual([
        [c.twice, first],
        [c.outside, late],
      ]);
      expect(d.waiting.items[1]).toMatchObject({
        owner: { id: ws.rep.id, name: 'Ren Rep' },
        interaction: { kind: 'email', subject: 'Re: 見積もり', snippet: 'Hello there' },
      });
    }
    expect((await h.digest(ws.rep2.token)).waiting.total).toBe(0);
  });

  it('finds customers going cold after exactly 30 days of silence, not a minute before', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const cut = '2026-10-25T03:00:00Z';
    await h.contact(ws, ws.rep.id, 'exactly', { stage: 'customer', lastAt: cut });
    const over = await h.contact(ws, ws.rep.id, 'over', { stage: 'customer', lastAt: plus(cut, -60), company: '北京科技有限公司' });
    await h.contact(ws, ws.rep.id, 'under', { stage: 'prospect', lastAt: plus(cut, 60) });
    await h.contact(ws, ws.rep.id, 'lead', { stage: 'lead', lastAt: '2026-01-01T00:00:00Z' });
    await h.contact(ws, ws.rep.id, 'churned', { stage: 'churned', lastAt: '2026-01-01T00:00:00Z' });
    const never = await h.contact(ws, ws.rep2.id, 'never', { stage: 'prospect', createdAt: '2026-09-01T00:00:00Z' });
    await h.contact(ws, ws.rep.id, 'merged', { stage: 'customer', lastAt: '2026-01-01T00:00:00Z', mergedInto: over });
    await h.contact(ws, ws.admin.id, 'admins', { stage: 'customer', lastAt: '2026-01-01T00:00:00Z' });

    const d = await h.digest(ws.manager.token);
    expect(d.goingCold.total).toBe(2);
    expect(d.goingCold.items.map((i: any) => [i.contact.id, i.stage, ms(i.lastInteractionAt)])).toEqual([
      [never, 'prospect', ms('2026-09-01T00:00:00Z')],
      [over, 'customer', ms(plus(cut, -60))],
    ]);
    expect(d.goingCold.items[1].contact.company).toBe('北京科技有限公司');
    h.now = plus(NOW, -120); // two minutes earlier, 'over' is not yet cold
    expect((await h.digest(ws.manager.token)).goingCold.total).toBe(1);
  });

  it("counts yesterday's activity in the reader's timezone", async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const k = await h.contact(ws, ws.rep.id, 'Acme');
    const add = (who: string, kind: string, createdAt: string, o: object = {}) =>
      h.interaction(ws, who, k, kind, 'outbound', '2026-11-01T00:00:00Z', { createdAt, ...o });
    await add(ws.rep.id, 'email', '2026-11-22T15:00:00Z'); // Tokyo yesterday 00:00; UTC two days ago
    await add(ws.rep.id, 'email', '2026-11-22T14:59:00Z'); // neither
    await add(ws.rep.id, 'slack', '2026-11-23T10:00:00Z'); // both
    await add(ws.rep.id, 'note', '2026-11-23T15:00:00Z'); // UTC yesterday; Tokyo today
    await add(ws.rep.id, 'call', '2026-11-23T12:00:00Z');
    await add(ws.rep.id, 'meeting', '2026-11-23T13:00:00Z');
    await add(ws.rep.id, 'email', '2026-11-23T13:00:00Z', { deleted: true });
    await add(ws.rep2.id, 'note', '2026-11-23T10:00:00Z', { visibility: 'private' });
    await h.followUp(ws, k, ws.rep2.id, '2026-11-30T00:00:00Z', { status: 'done', doneAt: '2026-11-23T10:00:00Z', doneBy: ws.rep2.id });
    await h.followUp(ws, k, ws.rep2.id, '2026-11-30T00:00:00Z', { status: 'canceled', doneAt: '2026-11-23T10:00:00Z', doneBy: ws.rep2.id });
    await h.followUp(ws, k, ws.rep.id, '2026-11-30T00:00:00Z', { createdBy: ws.rep.id, createdAt: '2026-11-23T10:00:00Z' });

    const counts = (d: any) => d.yesterday.map((y: any) => [y.rep.name, y.emails, y.slack, y.notes, y.calls, y.followUpsDone, y.followUpsCreated]);
    expect(counts(await h.digest(ws.manager.token))).toEqual([
      ['Rae Rep', 0, 0, 1, 0, 1, 0],
      ['Ren Rep', 1, 1, 0, 2, 0, 1],
    ]);
    // the rep cannot see rep2's private note, and it is not theirs to count
    expect(counts(await h.digest(ws.rep.token))).toEqual([['Ren Rep', 0, 1, 1, 2, 0, 1]]);
  });

  it('says an empty digest is empty, and composes one for the Slack app acting for a member', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db, { locale: 'ja' });
    const [m] = await h.sql(`select slack_user_id from crm.members where id = $1`, [ws.manager.id]);
    const res = await h.service()('GET', '/api/me/digest', undefined, {
      'x-rapport-workspace': ws.id,
      'x-rapport-member-id': ws.manager.id,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      reader: { memberId: ws.manager.id, name: 'Mia Manager', locale: 'ja', timezone: 'Asia/Tokyo', slackUserId: m.slack_user_id },
      localDate: '2026-11-24',
      isManager: true,
      whenEmpty: 'line',
      overdue: { total: 0, byRep: [] },
      dueToday: { total: 0, items: [] },
      waiting: { total: 0, items: [] },
      goingCold: { total: 0, items: [] },
      yesterday: [],
      meetingsToday: { total: 0, byRep: [] },
      dealsClosing: { total: 0, weekStart: '2026-11-23', items: [] },
      dealsStalled: { total: 0, stalledAfterDays: 14, items: [] },
      empty: true,
    });
    const bare = await h.service()('GET', '/api/me/digest', undefined, { 'x-rapport-workspace': ws.id, 'x-rapport-source': 'scheduler' });
    expect(bare.status).toBe(401);
    expect((await caller(h.app)('GET', '/api/me/digest')).status).toBe(401);
  });

  it('turns the digest on for managers and off for reps by default, lets a rep opt in, and refuses a time like 25:00', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const status = async (token: string) => (await h.as(token)('GET', '/api/me/digest/status')).body;
    expect((await status(ws.manager.token)).settings).toEqual({
      enabled: true,
      time: '09:00',
      weekends: false,
      explicit: { enabled: null, time: null, weekends: null },
      isManager: true,
      timezone: 'Asia/Tokyo',
    });
    expect(await status(ws.rep.token)).toEqual({
      settings: {
        enabled: false,
        time: '09:00',
        weekends: false,
        explicit: { enabled: null, time: null, weekends: null },
        isManager: false,
        timezone: 'UTC',
      },
      deliveries: [],
      teamFailures: [],
    });
    const rep = h.as(ws.rep.token);
    const on = await rep('PATCH', '/api/me/digest', { enabled: true, time: '07:30' });
    expect(on.body).toMatchObject({
      enabled: true,
      time: '07:30',
      weekends: false,
      explicit: { enabled: true, time: '07:30', weekends: null },
    });
    for (const bad of [{ time: '25:00' }, { time: '7:30' }, { enabled: 'yes' }, { colour: 'red' }]) {
      const res = await rep('PATCH', '/api/me/digest', bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await status(ws.rep.token)).settings.time).toBe('07:30');
  });

  it("lets only an admin change the workspace's digest defaults", async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    for (const token of [ws.rep.token, ws.manager.token]) {
      const res = await h.as(token)('PATCH', '/api/workspace/digest', { time: '06:00' });
      expect([res.status, res.body.error.code]).toEqual([403, 'admin_only']);
    }
    const admin = h.as(ws.admin.token);
    expect((await admin('PATCH', '/api/workspace/digest', { replyWindowHours: 0 })).status).toBe(400);
    expect((await admin('PATCH', '/api/workspace/digest', { coldAfterDays: 366 })).status).toBe(400);
    expect((await admin('PATCH', '/api/workspace/digest', { stalledAfterDays: 0 })).status).toBe(400);
    const res = await admin('PATCH', '/api/workspace/digest', {
      time: '08:00',
      weekends: true,
      whenEmpty: 'skip',
      replyWindowHours: 48,
      coldAfterDays: 60,
      stalledAfterDays: 21,
    });
    expect(res.body).toEqual({ time: '08:00', weekends: true, whenEmpty: 'skip', replyWindowHours: 48, coldAfterDays: 60, stalledAfterDays: 21 });
    expect((await h.as(ws.manager.token)('GET', '/api/me/digest/status')).body.settings).toMatchObject({ time: '08:00', weekends: true });
    expect((await h.digest(ws.manager.token)).whenEmpty).toBe('skip');
  });

  // [timezone, local date, 09:00 there in UTC]; 2026-03-08 and 2026-11-01 are New York's DST changes, 03-29 and 10-25 London's
  const NINE: [string, string, string][] = [
    ['Asia/Tokyo', '2026-11-24', '2026-11-24T00:00:00Z'],
    ['Asia/Tokyo', '2026-03-08', '2026-03-08T00:00:00Z'],
    ['Asia/Tokyo', '2026-11-01', '2026-11-01T00:00:00Z'],
    ['Asia/Shanghai', '2026-11-24', '2026-11-24T01:00:00Z'],
    ['Asia/Shanghai', '2026-03-08', '2026-03-08T01:00:00Z'],
    ['Asia/Shanghai', '2026-11-01', '2026-11-01T01:00:00Z'],
    ['Europe/London', '2026-11-24', '2026-11-24T09:00:00Z'],
    ['Europe/London', '2026-03-29', '2026-03-29T08:00:00Z'],
    ['Europe/London', '2026-10-25', '2026-10-25T09:00:00Z'],
    ['Europe/London', '2026-07-01', '2026-07-01T08:00:00Z'],
    ['America/New_York', '2026-11-24', '2026-11-24T14:00:00Z'],
    ['America/New_York', '2026-03-08', '2026-03-08T13:00:00Z'],
    ['America/New_York', '2026-11-01', '2026-11-01T14:00:00Z'],
  ];
  it.each(NINE)('in %s on %s, the digest is due at 09:00 local, not at 08:59', async (tz, date, nine) => {
    const { ws, teamId } = await h.installed({ managerTz: tz });
    await h.sql(`update crm.members set digest_weekends = true where id = $1`, [ws.manager.id]); // DST changes fall on Sundays
    h.now = plus(nine, -60);
    expect(await h.claim('w1', ws)).toEqual([]);
    h.now = nine;
    const [m] = await h.sql(`select slack_user_id from crm.members where id = $1`, [ws.manager.id]);
    expect(await h.claim('w1', ws)).toEqual([
      {
        workspaceId: ws.id,
        memberId: ws.manager.id,
        slackUserId: m.slack_user_id,
        teamId,
        localDate: date,
        attempts: 1,
        claimedAt: expect.any(String),
        previousAttempt: null,
      },
    ]);
  });

  it('leaves weekends, reps who did not opt in and workspaces without Slack out', async () => {
    const { ws } = await h.installed();
    const uninstalled = await makeWorkspace(h.t.sql, h.t.db);
    h.now = '2026-11-28T00:00:00Z'; // Saturday 09:00 in Tokyo
    expect(await h.claim('w1', ws)).toEqual([]);
    await h.as(ws.manager.token)('PATCH', '/api/me/digest', { weekends: true });
    expect((await h.claim('w1', ws)).map((c) => c.memberId)).toEqual([ws.manager.id]);
    h.now = '2026-11-27T09:00:00Z'; // Friday 09:00 UTC, 18:00 in Tokyo
    expect((await h.claim('w1', ws)).map((c) => c.memberId)).toEqual([ws.manager.id]);
    await h.as(ws.rep.token)('PATCH', '/api/me/digest', { enabled: true });
    expect((await h.claim('w1', ws)).map((c) => c.memberId)).toEqual([ws.rep.id]);
    expect(await h.claim('w1', uninstalled)).toEqual([]);
  });

  it('sends one digest per local date, even when the member changes timezone during the day', async () => {
    const { ws } = await h.installed();
    const key = { workspaceId: ws.id, memberId: ws.manager.id, localDate: '2026-11-24', workerId: 'w1' };
    h.now = '2026-11-24T00:00:00Z'; // 09:00 in Tokyo
    expect((await h.claim('w1', ws)).map((c) => c.localDate)).toEqual(['2026-11-24']);
    expect(await h.finish({ ...key, outcome: 'sent', channel: 'D0DM', ts: '1764000000.000100' })).toEqual({ ok: true });
    for (const [tz, at] of [
      ['America/New_York', '2026-11-24T14:00:00Z'],
      ['Europe/London', '2026-11-24T15:00:00Z'],
    ] as const) {
      await h.sql(`update crm.members set timezone = $2 where id = $1`, [ws.manager.id, tz]);
      h.now = at; // 09:00 or later there, still the 24th
      expect(await h.claim('w2', ws)).toEqual([]);
    }
    h.now = '2026-11-25T09:00:00Z';
    expect((await h.claim('w2', ws)).map((c) => c.localDate)).toEqual(['2026-11-25']);
    const { deliveries } = (await h.as(ws.manager.token)('GET', '/api/me/digest/status')).body;
    expect(deliveries.map((d: any) => [d.localDate, d.status])).toEqual([
      ['2026-11-25', 'pending'],
      ['2026-11-24', 'sent'],
    ]);
    expect(ms(deliveries[1].sentAt)).toBe(ms('2026-11-24T00:00:00Z'));
  });

  it('takes over an expired lease (attempts + 1), never a live one, and ignores the worker that lost it', async () => {
    const { ws } = await h.installed();
    const T = '2026-11-24T00:00:00Z';
    h.now = T;
    expect((await h.claim('w1', ws, { leaseSeconds: 60 })).length).toBe(1);
    h.now = plus(T, 59);
    expect(await h.claim('w2', ws)).toEqual([]);
    h.now = plus(T, 60);
    const [taken] = await h.claim('w2', ws);
    expect(taken).toMatchObject({ attempts: 2, previousAttempt: { channel: null, error: null } });
    expect(ms(taken.previousAttempt.at)).toBe(ms(T));
    const key = { workspaceId: ws.id, memberId: ws.manager.id, localDate: '2026-11-24' };
    expect(await h.finish({ ...key, workerId: 'w1', outcome: 'sent' })).toEqual({ ok: false });
    const mine = async () => (await h.as(ws.manager.token)('GET', '/api/me/digest/status')).body.deliveries[0];
    expect(await mine()).toMatchObject({ status: 'pending', attempts: 2 });
    expect(await h.finish({ ...key, workerId: 'w2', outcome: 'sent' })).toEqual({ ok: true });
    expect(await mine()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await h.finish({ ...key, workerId: 'w2', outcome: 'failed' })).toEqual({ ok: false });
    h.now = plus(T, 3600);
    expect(await h.claim('w3', ws)).toEqual([]);
  });

  it('waits for retryAt, fails after maxAttempts, and shows the failures to the manager', async () => {
    const { ws } = await h.installed();
    await h.as(ws.rep.token)('PATCH', '/api/me/digest', { enabled: true });
    const T = '2026-11-24T09:00:00Z'; // rep (UTC) and manager (Tokyo, 18:00) are both due
    const repKey = { workspaceId: ws.id, memberId: ws.rep.id, localDate: '2026-11-24', workerId: 'w1' };
    const mgrKey = { ...repKey, memberId: ws.manager.id };
    h.now = T;
    const first = await h.claim('w1', ws, { maxAttempts: 2, leaseSeconds: 30 });
    expect(first.map((c) => c.memberId)).toEqual([ws.manager.id, ws.rep.id]); // the latest first
    expect(await h.finish({ ...mgrKey, outcome: 'failed', error: 'channel_not_found' })).toEqual({ ok: true });
    expect(await h.finish({ ...repKey, outcome: 'retry', error: 'ratelimited', channel: 'D0DM', retryAt: plus(T, 120) })).toEqual({
      ok: true,
    });
    h.now = plus(T, 60);
    expect(await h.claim('w2', ws, { maxAttempts: 2 })).toEqual([]);
    h.now = plus(T, 120);
    const [again] = await h.claim('w2', ws, { maxAttempts: 2, leaseSeconds: 30 });
    expect(again).toMatchObject({ memberId: ws.rep.id, attempts: 2, previousAttempt: { channel: 'D0DM', error: 'ratelimited' } });
    h.now = plus(T, 200);
    expect(await h.claim('w3', ws, { maxAttempts: 2 })).toEqual([]);
    const mgr = (await h.as(ws.manager.token)('GET', '/api/me/digest/status')).body;
    expect(mgr.teamFailures).toEqual([
      { member: { id: ws.manager.id, name: 'Mia Manager' }, localDate: '2026-11-24', lastError: 'channel_not_found', attempts: 1 },
      { member: { id: ws.rep.id, name: 'Ren Rep' }, localDate: '2026-11-24', lastError: 'ratelimited', attempts: 2 },
    ]);
    const rep = (await h.as(ws.rep.token)('GET', '/api/me/digest/status')).body;
    expect(rep.deliveries).toMatchObject([{ localDate: '2026-11-24', status: 'failed', attempts: 2, lastError: 'ratelimited' }]);
    expect(rep.teamFailures).toEqual([]);
  });

  it('answers only the service secret, and checks what the scheduler sends', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    expect((await caller(h.app, ws.admin.token)('POST', '/api/slack/digests/claim', { workerId: 'w' })).status).toBe(401);
    const svc = h.service();
    const paths = (res: any) => [res.status, res.body.error.details.issues.map((i: any) => i.path)];
    expect(paths(await svc('POST', '/api/slack/digests/claim', { workerId: '', leaseSeconds: 5 }))).toEqual([400, ['workerId', 'leaseSeconds']]);
    const bad = await svc('POST', '/api/slack/digests/finish', {
      workspaceId: ws.id,
      memberId: ws.rep.id,
      localDate: '24/11/2026',
      workerId: 'w',
      outcome: 'maybe',
      error: 'x'.repeat(501),
    });
    expect(paths(bad)).toEqual([400, ['localDate', 'outcome', 'error']]);
  });
});

describe('two servers claiming at once, on PostgreSQL', () => {
  const h = digestHarness('postgres');

  it('claims each member exactly once per local date, and each expired lease once', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 20; round++) {
      const { ws } = await h.installed();
      await h.sql(
        `insert into crm.members (workspace_id, email, display_name, manager_id, slack_user_id)
         select $1::uuid, 'm' || i || '@' || $2, 'Member ' || i, $3, 'U' || upper(substr(md5($1::text || i), 1, 10)) from generate_series(1, 12) i`,
        [ws.id, ws.domain, ws.manager.id],
      );
      await h.sql(`update crm.members set digest_enabled = true, timezone = 'UTC' where workspace_id = $1`, [ws.id]);
      const everyone = (await h.sql(`select id from crm.members where workspace_id = $1 order by id`, [ws.id])).map((r) => r.id);
      for (const [at, attempts] of [
        ['2026-11-24T10:00:00Z', 1],
        ['2026-11-24T10:10:00Z', 2],
      ] as const) {
        h.now = at; // the second time, every 300 s lease has expired
        const [a, b] = await Promise.all([h.claim(`a${round}`, ws), h.claim(`b${round}`, ws)]);
        expect([...a, ...b].map((c) => c.memberId).sort()).toEqual(everyone);
        expect(new Set([...a, ...b].map((c) => c.attempts))).toEqual(new Set([attempts]));
      }
      await h.sql('delete from crm.slack_installations');
    }
  });
});
