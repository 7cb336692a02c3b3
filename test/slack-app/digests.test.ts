import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../backend/env.js';
import { scheduledMemberClient, serviceClient } from '../../slack-app/backend-client.js';
import { BACKOFF_MINUTES, digestClient, runDigestStep, startDigestScheduler, type StepResult } from '../../slack-app/digest/scheduler.js';
import { connectSlack } from '../../slack-app/connect.js';
import { openTestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, SIGNING_SECRET, slackRapport, TEAM } from '../support/slack.js';

const MINUTE = 60_000;
/** every Web API method the digests may call; anything else fails the test */
const EXPECTED_METHODS = ['auth.test', 'chat.postMessage', 'conversations.open', 'conversations.history', 'views.publish'];

/** A Rapport with a fake clock, a fake Slack keeping DMs, and scheduler steps on both. */
async function digestRig(kind: 'pglite' | 'postgres') {
  const t = await openTestDb(kind);
  const clock = { now: new Date('2026-11-24T00:00:00Z') };
  const dms = fakeDms(() => clock.now);
  const slack = fakeSlack({ methods: dms.methods });
  const network = setupNetwork(...slack.handlers);
  const rapport = slackRapport(t, { now: () => clock.now });
  const step = (workerId = 'worker-1') =>
    runDigestStep({
      service: serviceClient(rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      memberApi: (workspaceId, memberId) => scheduledMemberClient(rapport.backend, workspaceId, memberId),
      workerId,
      now: () => clock.now,
      publicUrl: 'https://rapport.example.com',
      logError: () => undefined,
    });
  /** a workspace with a Slack team of its own (teamId), so that its members can be claimed */
  const workspace = async (teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`) => {
    const ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [teamId, ws.id]);
    return ws;
  };
  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const set = (m: TestMember, columns: string, values: unknown[]) => t.sql.query(`update crm.members set ${columns} where id = $1`, [m.id, ...values]);
  const posts = (to?: string) =>
    slack.calls.filter((c) => c.method === 'chat.postMessage' && (!to || c.args.channel === to || c.args.channel === `D${to.slice(1)}`));
  const delivery = async (m: TestMember) =>
    (
      await t.sql.query<{
        local_date: string;
        status: string;
        attempts: number;
        last_error: string | null;
        lease_until: Date;
        slack_ts: string | null;
      }>(
        `select to_char(local_date, 'YYYY-MM-DD') local_date, status, attempts, last_error, lease_until, slack_ts from crm.digest_deliveries where member_id = $1 order by local_date desc limit 1`,
        [m.id],
      )
    )[0];
  return { t, clock, dms, slack, network, rapport, step, workspace, slackId, set, posts, delivery };
}

describe('daily digests: when they go out, exactly once (PGlite)', () => {
  let rig: Awaited<ReturnType<typeof digestRig>>;
  let ws: TestWorkspace;

  beforeAll(async () => {
    rig = await digestRig('pglite');
    ws = await rig.workspace(TEAM);
  });
  beforeEach(() => {
    rig.slack.calls.length = 0;
    rig.slack.responses.length = 0;
  });
  afterEach(async () => {
    // nobody is due any more: the next test sees only its own members
    await rig.t.sql.query(`update crm.members set digest_enabled = false`);
  });
  afterAll(async () => {
    expect(rig.slack.calls.map((c) => c.method).filter((m) => !EXPECTED_METHODS.includes(m))).toEqual([]);
    rig.network.close();
    await rig.t.close();
  });

  it.each([
    ['Asia/Tokyo', '2026-03-08T00:00:00Z'],
    ['Asia/Tokyo', '2026-11-01T00:00:00Z'],
    ['Asia/Shanghai', '2026-03-08T01:00:00Z'],
    ['Asia/Shanghai', '2026-11-01T01:00:00Z'],
    // daylight saving time starts (EDT, UTC-4) and ends (EST, UTC-5) on these Sundays
    ['America/New_York', '2026-03-08T13:00:00Z'],
    ['America/New_York', '2026-11-01T14:00:00Z'],
    // British Summer Time starts on 2026-03-29
    ['Europe/London', '2026-03-29T08:00:00Z'],
    ['Europe/London', '2026-11-01T09:00:00Z'],
  ])('a manager in %s gets nothing at 08:59 local and one DM at 09:00 (%s)', async (timeZone, nineAm) => {
    const { manager } = await rig.workspace();
    await rig.set(manager, 'timezone = $2, digest_weekends = true', [timeZone]);
    const user = await rig.slackId(manager);

    rig.clock.now = new Date(Date.parse(nineAm) - MINUTE);
    expect(await rig.step()).toMatchObject({ claimed: 0 });
    expect(rig.posts(user)).toEqual([]);

    rig.clock.now = new Date(nineAm);
    expect(await rig.step()).toEqual({ claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
    rig.clock.now = new Date(Date.parse(nineAm) + 30 * MINUTE);
    expect(await rig.step()).toMatchObject({ claimed: 0 });

    expect(rig.posts(user)).toHaveLength(1);
    // nothing to report: one short line, marked with its key so that a retry can find it
    const [dm] = rig.dms.dm(user);
    expect(dm!.blocks).toHaveLength(1);
    expect(JSON.stringify(dm!.blocks)).toContain('nothing overdue, nothing due today');
    const localDate = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(nineAm));
    expect(dm!.metadata).toEqual({ event_type: 'rapport_digest', event_payload: { key: `${manager.id}:${localDate}` } });
    expect(await rig.delivery(manager)).toMatchObject({ local_date: localDate, status: 'sent', attempts: 1, slack_ts: dm!.ts });
  });

  it('with weekends off, Sunday brings nothing and Monday 09:00 brings one DM', async () => {
    const { manager } = await rig.workspace();
    await rig.set(manager, `timezone = 'Asia/Tokyo'`, []);
    rig.clock.now = new Date('2026-03-08T03:00:00Z'); // Sunday, 12:00 in Tokyo
    expect(await rig.step()).toMatchObject({ claimed: 0 });
    rig.clock.now = new Date('2026-03-09T00:00:00Z'); // Monday, 09:00 in Tokyo
    expect(await rig.step()).toMatchObject({ claimed: 1, sent: 1 });
    expect(rig.posts(await rig.slackId(manager))).toHaveLength(1);
  });

  it('after a crash between claim and finish, a later step posts only what the DM does not already hold', async () => {
    const { manager, rep2 } = await rig.workspace();
    await rig.set(manager, `timezone = 'Asia/Tokyo'`, []);
    await rig.set(rep2, `timezone = 'Asia/Tokyo', digest_enabled = true`, []);
    rig.clock.now = new Date('2026-11-24T00:05:00Z'); // 09:05 in Tokyo
    // a worker claims both, posts the manager's digest, and dies before finishing
    const res = await rig.rapport.app.request('/api/slack/digests/claim', {
      method: 'POST',
      headers: { authorization: `Rapport-Service ${rig.rapport.backend.serviceSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workerId: 'crashed-worker' }),
    });
    expect(((await res.json()) as { claimed: unknown[] }).claimed).toHaveLength(2);
    const managerId = await rig.slackId(manager);
    const rep2Id = await rig.slackId(rep2);
    rig.clock.now = new Date('2026-11-24T00:05:02Z');
    const earlier = rig.dms.add(managerId, {
      text: 'Daily digest',
      metadata: { event_type: 'rapport_digest', event_payload: { key: `${manager.id}:2026-11-24` } },
    });

    // within the lease nothing is taken over
    rig.clock.now = new Date('2026-11-24T00:09:00Z');
    expect(await rig.step()).toMatchObject({ claimed: 0 });
    rig.clock.now = new Date('2026-11-24T00:11:00Z');
    expect(await rig.step()).toEqual({ claimed: 2, sent: 2, skipped: 0, retried: 0, failed: 0 });

    expect(rig.posts(managerId)).toEqual([]);
    expect(rig.dms.dm(managerId)).toEqual([earlier]);
    expect(rig.posts(rep2Id)).toHaveLength(1);
    expect(rig.dms.dm(rep2Id)).toHaveLength(1);
    const history = rig.slack.calls.filter((c) => c.method === 'conversations.history');
    expect(history.map((c) => c.args.channel).sort()).toEqual([`D${managerId.slice(1)}`, `D${rep2Id.slice(1)}`].sort());
    // from a minute before the first attempt, metadata included
    expect(history[0]!.args).toMatchObject({
      include_all_metadata: 'true',
      oldest: `${String(Date.parse('2026-11-24T00:04:00Z') / 1000)}.000000`,
    });
    expect(await rig.delivery(manager)).toMatchObject({ status: 'sent', attempts: 2, slack_ts: earlier.ts });
    expect(await rig.delivery(rep2)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('Slack 429: not tried again before Retry-After, sent after it', async () => {
    const { manager } = await rig.workspace();
    await rig.set(manager, `timezone = 'Asia/Tokyo'`, []);
    const user = await rig.slackId(manager);
    const at = Date.parse('2026-11-25T00:00:00Z');
    rig.clock.now = new Date(at);
    rig.slack.failNext('chat.postMessage', 429, 1, { 'retry-after': '120' });
    expect(await rig.step()).toEqual({ claimed: 1, sent: 0, skipped: 0, retried: 1, failed: 0 });
    const waiting = await rig.delivery(manager);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting!.last_error).toContain('ratelimited');
    expect(new Date(waiting!.lease_until).toISOString()).toBe(new Date(at + 120_000).toISOString());

    rig.clock.now = new Date(at + 119_000);
    expect(await rig.step()).toMatchObject({ claimed: 0 });
    expect(rig.posts(user)).toHaveLength(1);
    rig.clock.now = new Date(at + 121_000);
    expect(await rig.step()).toMatchObject({ claimed: 1, sent: 1 });
    expect(rig.posts(user)).toHaveLength(2);
    expect(rig.dms.dm(user)).toHaveLength(1);
    expect(await rig.delivery(manager)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('Slack 500: retried after 1, 5, 15 and 60 minutes, then failed; /crm digest status and the Home tab say so', async () => {
    await rig.set(ws.rep, `timezone = 'UTC', digest_enabled = true`, []);
    const user = await rig.slackId(ws.rep);
    rig.clock.now = new Date('2026-11-26T09:00:00Z');
    rig.slack.failNext('chat.postMessage', 500, 5);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await rig.step();
      const row = await rig.delivery(ws.rep);
      expect(row).toMatchObject({ attempts: attempt, last_error: 'Slack: HTTP 500' });
      if (attempt === 5) {
        expect(result).toMatchObject({ claimed: 1, failed: 1 });
        expect(row!.status).toBe('failed');
        break;
      }
      expect(result).toMatchObject({ claimed: 1, retried: 1 });
      const retryAt = rig.clock.now.getTime() + BACKOFF_MINUTES[attempt - 1]! * MINUTE;
      expect(new Date(row!.lease_until).toISOString()).toBe(new Date(retryAt).toISOString());
      rig.clock.now = new Date(retryAt - 1000);
      expect(await rig.step()).toMatchObject({ claimed: 0 });
      rig.clock.now = new Date(retryAt + 1000);
    }
    rig.clock.now = new Date(rig.clock.now.getTime() + 3 * 60 * MINUTE);
    expect(await rig.step()).toMatchObject({ claimed: 0 });
    expect(rig.posts(user)).toHaveLength(5);
    expect(rig.dms.dm(user)).toEqual([]);

    await rig.rapport.command(user, 'digest status');
    const mine = JSON.stringify(rig.slack.responses.at(-1));
    for (const shown of ['Thu, Nov 26', 'failed', '5 attempts', 'Slack: HTTP 500']) expect(mine).toContain(shown);
    await rig.rapport.command(await rig.slackId(ws.manager), 'digest status');
    const team = JSON.stringify(rig.slack.responses.at(-1));
    for (const shown of ["Your team's failed deliveries (last 14 days): 1", 'Ren Rep', 'Slack: HTTP 500']) expect(team).toContain(shown);

    await rig.rapport.event({ type: 'app_home_opened', user: await rig.slackId(ws.manager), channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, 'Ev0DIGESTHOME');
    const home = JSON.stringify(rig.slack.calls.filter((c) => c.method === 'views.publish').at(-1)!.args.view.blocks);
    for (const shown of ['Daily digest: 1 failed deliveries in the last 14 days', 'Ren Rep', 'Slack: HTTP 500', '/crm digest status'])
      expect(home).toContain(shown);
    expect(rig.rapport.errors).toEqual([]);
  });
});

describe('daily digests: how the server runs them', () => {
  let rig: Awaited<ReturnType<typeof digestRig>>;
  beforeAll(async () => {
    rig = await digestRig('pglite');
  });
  afterAll(async () => {
    rig.network.close();
    await rig.t.close();
  });

  it("connectSlack hands the job route a step on the environment's token", async () => {
    const { manager } = await rig.workspace();
    const jobs: { digests?: () => Promise<StepResult> } = {};
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, RAPPORT_PUBLIC_URL: 'https://rapport.example.com' };
    const slack = connectSlack(new Hono(), env, rig.rapport.backend, { clock: () => rig.clock.now, jobs, digests: false });
    rig.clock.now = new Date('2026-11-24T00:00:00Z'); // 09:00 in Tokyo
    expect(await jobs.digests!()).toEqual({ claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
    expect(rig.dms.dm(await rig.slackId(manager))).toHaveLength(1);
    await slack.stop();
  });

  it('RAPPORT_SCHEDULER_SECONDS is the server scheduler\u2019s step: 60 s unless set, 1 to 3600', () => {
    expect(parseEnv({}).RAPPORT_SCHEDULER_SECONDS).toBe(60);
    expect(parseEnv({ RAPPORT_SCHEDULER_SECONDS: '1' }).RAPPORT_SCHEDULER_SECONDS).toBe(1);
    expect(() => parseEnv({ RAPPORT_SCHEDULER_SECONDS: '0' })).toThrow(/RAPPORT_SCHEDULER_SECONDS/);
    expect(() => parseEnv({ RAPPORT_SCHEDULER_SECONDS: '3601' })).toThrow(/RAPPORT_SCHEDULER_SECONDS/);
  });

  it('startDigestScheduler steps in-process until stopped', async () => {
    const { manager } = await rig.workspace();
    rig.clock.now = new Date('2026-11-25T00:00:00Z');
    const scheduler = startDigestScheduler({
      service: serviceClient(rig.rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      memberApi: (workspaceId, memberId) => scheduledMemberClient(rig.rapport.backend, workspaceId, memberId),
      workerId: 'ticking',
      now: () => rig.clock.now,
      intervalMs: 20,
    });
    const user = await rig.slackId(manager);
    for (let i = 0; i < 200 && rig.dms.dm(user).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    const claims = rig.slack.calls.length;
    rig.clock.now = new Date('2026-11-26T00:00:00Z');
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.dms.dm(user)).toHaveLength(1);
    expect(rig.slack.calls.length).toBe(claims);
  });
});

describe('daily digests: two schedulers racing (PostgreSQL)', () => {
  let rig: Awaited<ReturnType<typeof digestRig>>;
  beforeAll(async () => {
    rig = await digestRig('postgres');
  });
  afterAll(async () => {
    rig.network.close();
    await rig.t.close();
  });

  it('send exactly one DM per member and local date', async () => {
    const a = await rig.workspace();
    const b = await rig.workspace();
    const members = [a.manager, a.rep, a.rep2, a.admin, b.manager, b.rep, b.rep2, b.admin];
    const zones = ['Asia/Tokyo', 'Asia/Shanghai', 'America/New_York', 'Europe/London'];
    for (const [i, m] of members.entries())
      await rig.set(m, `timezone = $2, digest_enabled = true, digest_time = '00:00', digest_weekends = true`, [zones[i % 4]]);
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26']) {
      rig.clock.now = new Date(`${day}T12:00:00Z`);
      const results = await Promise.all([rig.step('worker-a'), rig.step('worker-b')]);
      expect(results[0]!.claimed + results[1]!.claimed).toBe(members.length);
      expect(results[0]!.sent + results[1]!.sent).toBe(members.length);
    }
    for (const m of members) {
      const dm = rig.dms.dm(await rig.slackId(m));
      expect(dm).toHaveLength(3);
      expect(new Set(dm.map((x) => x.metadata!.event_payload.key)).size).toBe(3);
    }
    const [counts] = await rig.t.sql.query<{ n: string; sent: string }>(
      `select count(*) n, count(*) filter (where status = 'sent') sent from crm.digest_deliveries`,
    );
    expect(counts).toEqual({ n: String(members.length * 3), sent: String(members.length * 3) });
  });
});
