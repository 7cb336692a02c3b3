import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAlertStep, startAlertScheduler } from '../../slack-app/alerts/scheduler.js';
import { serviceClient } from '../../slack-app/backend-client.js';
import { digestClient } from '../../slack-app/digest/scheduler.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, slackRapport, TEAM } from '../support/slack.js';
import { withSubject } from '../support/alert-subjects.js';

/**
 * The alert sender under faults, as the digests are tested: two workers at
 * once, a worker killed after posting and before recording it, Slack's 429,
 * a rule's channel that became Slack Connect, and batching as a member and a
 * channel see it (what they receive, counted by each message's metadata key).
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('alert messages reach Slack exactly once (PGlite)', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const clock = { now: new Date('2026-12-02T10:00:00Z') };
  const dms = fakeDms(() => clock.now);
  const slack = fakeSlack({ methods: dms.methods });
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const errors: unknown[] = [];

  const step = (workerId = 'worker-1', backend = () => rapport.backend) =>
    runAlertStep({
      service: serviceClient(backend()),
      clientFor: () => digestClient(BOT_TOKEN),
      workerId,
      now: () => clock.now,
      publicUrl: 'https://rapport.example.com',
      logError: (e) => errors.push(e),
    });
  const emit = async (kind: string, key: string, recipients: string[], subject: object = {}) =>
    t.sql.query(`select crm.alert_emit($1, $2, $3, $4, $5::uuid[], $6::jsonb)`, [
      ws.id,
      kind,
      key,
      clock.now.toISOString(),
      recipients,
      JSON.stringify(await withSubject(t.sql, ws.id, kind, subject, recipients[0] ?? ws.manager.id)),
    ]);
  const slackId = async (id: string) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [id]))[0]!.s;
  const posts = () => slack.calls.filter((c) => c.method === 'chat.postMessage');
  const keys = () => posts().map((c) => c.args.metadata?.event_payload?.key as string | undefined);
  const rule = async (channel: string, kinds: string[]) =>
    (
      await t.sql.query<{ id: string }>(
        `insert into crm.alert_rules (workspace_id, team_id, channel_id, channel_name, kinds, created_by) values ($1, $2, $3, 'deals-room', $4, $5) returning id::text`,
        [ws.id, TEAM, channel, kinds, ws.manager.id],
      )
    )[0]!.id;
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    rapport = slackRapport(t, { now: () => clock.now });
  });
  beforeEach(async () => {
    // each test: its own workspace (own streams), an empty Slack, and nothing left due from the last
    clock.now = new Date(clock.now.getTime() + 60 * MINUTE);
    await t?.sql.query(`update crm.alert_deliveries set status = 'skipped' where status = 'pending'`);
    await t?.sql.query(`update crm.alerts set status = 'skipped' where status = 'pending'`);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2) on conflict do nothing`, [TEAM, ws.id]);
    slack.calls.length = 0;
    dms.clear();
    errors.length = 0;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('posts each message once when two workers claim at the same moment', async () => {
    const kinds = ['follow_up_due', 'deal_won', 'deal_lost', 'deal_created', 'capture_failed'];
    // (the manager works Tokyo hours: their alerts wait for the morning)
    for (const [i, m] of [ws.rep, ws.rep2, ws.admin].entries())
      for (const [j, k] of kinds.entries()) await emit(k, `two:${i}:${j}`, [m.id], { detail: { what: 'mailbox', address: 'a@b.example', error: 'x' } });
    const [a, b] = await Promise.all([step('worker-a'), step('worker-b')]);
    expect(a.sent + b.sent).toBe(15);
    expect(new Set(keys()).size).toBe(15);
    expect(keys()).toHaveLength(15);
    // a later step finds nothing to send
    advance(30 * MINUTE);
    expect((await step('worker-c')).claimed).toBe(0);
    expect(posts()).toHaveLength(15);
  });

  it('runs two claiming loops in one process (startAlertScheduler) and still posts each message once', async () => {
    const kinds = ['follow_up_due', 'deal_won', 'deal_lost', 'deal_created', 'capture_failed'];
    for (const [i, m] of [ws.rep, ws.rep2, ws.admin].entries()) for (const [j, k] of kinds.entries()) await emit(k, `loops:${i}:${j}`, [m.id]);
    const scheduler = startAlertScheduler({
      service: serviceClient(rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      workerId: 'in-process',
      now: () => clock.now,
      intervalMs: 20,
      limit: 4,
      logError: (e) => errors.push(e),
    });
    for (let i = 0; i < 200 && keys().length < 15; i++) await new Promise((r) => setTimeout(r, 25));
    await scheduler.stop();
    expect(new Set(keys()).size).toBe(15);
    expect(keys()).toHaveLength(15);
    expect(errors).toEqual([]);
  });

  it('does not post again when a worker died after posting, before recording it', async () => {
    await emit('deal_won', 'crash:1', [ws.rep.id]);
    // this worker's backend answers everything but /alerts/finish: it posts, then cannot record the post
    const dying = {
      ...rapport.backend,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new Request(input, init).url;
        if (url.endsWith('/alerts/finish')) throw new Error('killed');
        return rapport.backend.fetch(input, init);
      }) as typeof fetch,
    };
    const first = await step('worker-dies', () => dying);
    expect(first.claimed).toBe(1);
    expect(posts()).toHaveLength(1);
    expect(dms.dm(await slackId(ws.rep.id))).toHaveLength(1);
    // within the lease nobody takes it over
    advance(30 * SECOND);
    expect((await step('worker-2')).claimed).toBe(0);
    // after it, the next worker finds the post by its key and records it
    advance(31 * SECOND);
    const second = await step('worker-2');
    expect(second).toMatchObject({ claimed: 1, sent: 1 });
    expect(posts()).toHaveLength(1);
    expect(slack.calls.some((c) => c.method === 'conversations.history')).toBe(true);
    const [row] = await t.sql.query<{ status: string; attempts: number; ts: string }>(
      `select status, attempts, ts from crm.alert_deliveries where workspace_id = $1`,
      [ws.id],
    );
    expect(row).toMatchObject({ status: 'sent', attempts: 2, ts: dms.dm(await slackId(ws.rep.id))[0]!.ts });
  });

  it("honours Slack's Retry-After on a 429", async () => {
    await emit('deal_lost', 'limited:1', [ws.rep.id]);
    slack.failNext('chat.postMessage', 429, 1, { 'retry-after': '30' });
    expect(await step()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    advance(29 * SECOND);
    expect((await step()).claimed).toBe(0);
    advance(1 * SECOND);
    expect(await step()).toMatchObject({ claimed: 1, sent: 1 });
    expect(posts()).toHaveLength(2); // the refused one, then the one that went
    expect(dms.dm(await slackId(ws.rep.id))).toHaveLength(1);
  });

  it('sends nothing to a rule channel that became Slack Connect, and tells the rule’s creator in their language', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.manager.id]);
    const rid = await rule('C0SHARED1', ['deal_won']);
    slack.externalChannels.add('C0SHARED1');
    await emit('deal_won', 'shared:1', []);
    expect(await step()).toMatchObject({ claimed: 1, stopped: 1, sent: 0 });
    expect(posts().filter((c) => c.args.channel === 'C0SHARED1')).toEqual([]);
    const told = dms.dm(await slackId(ws.manager.id));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('#deals-room');
    expect(told[0]!.text).toContain('Slack コネクト');
    const [r] = await t.sql.query<{ active: boolean; disabled_reason: string }>(`select active, disabled_reason from crm.alert_rules where id = $1`, [rid]);
    expect(r).toEqual({ active: false, disabled_reason: 'shared' });
    await emit('deal_won', 'shared:2', []);
    expect((await step()).claimed).toBe(0);
  });

  it('posts a channel rule’s first alert at once and folds what follows within 5 minutes into one message "and N more"', async () => {
    await rule('C0DEALS01', ['deal_created']);
    const contact = (
      await t.sql.query<{ id: string }>(`insert into crm.contacts (workspace_id, name, owner_id) values ($1, 'Ada Lovelace', $2) returning id::text`, [
        ws.id,
        ws.rep.id,
      ])
    )[0]!.id;
    await emit('deal_created', 'fold:0', [], { contactId: contact });
    expect(await step()).toMatchObject({ sent: 1 });
    for (const n of [1, 2, 3, 4]) {
      advance(MINUTE);
      await emit('deal_created', `fold:${n}`, [], { contactId: contact });
      expect((await step()).claimed).toBe(0);
    }
    advance(MINUTE);
    expect(await step()).toMatchObject({ sent: 1 });
    const channel = dms.dm('C0DEALS01');
    expect(channel).toHaveLength(2);
    expect(channel[0]!.text).toBe('A deal was created: Ada Lovelace');
    expect(channel[1]!.text).toBe('A deal was created: Ada Lovelace (and 3 more)');
    expect(JSON.stringify(channel[1]!.blocks)).toContain('and 3 more');
  });

  it('sends a member at most one DM of a kind per 10 minutes, except the first waiting alert of a thread', async () => {
    const dm = async () => dms.dm(await slackId(ws.rep.id));
    await emit('waiting_reply', 'wait:1', [ws.rep.id], { threadKey: 'th-1', immediate: true });
    await step();
    advance(MINUTE);
    await emit('waiting_reply', 'wait:2', [ws.rep.id], { threadKey: 'th-1' });
    await emit('waiting_reply', 'wait:3', [ws.rep.id], { threadKey: 'th-2', immediate: true });
    await step();
    expect(await dm()).toHaveLength(2);
    advance(8 * MINUTE);
    await step();
    expect(await dm()).toHaveLength(2);
    advance(MINUTE);
    await step();
    expect(await dm()).toHaveLength(3);
  });

  it('sends nothing outside the member’s working hours, then at the start of the next working period', async () => {
    await t.sql.query(`update crm.members set timezone = 'Asia/Tokyo', work_start = '09:00', work_end = '18:00' where id = $1`, [ws.rep.id]);
    // Wednesday 19:00 UTC: 04:00 on Thursday in Tokyo
    clock.now = new Date('2026-12-09T19:00:00Z');
    await emit('follow_up_due', 'night:1', [ws.rep.id]);
    expect((await step()).claimed).toBe(0);
    clock.now = new Date('2026-12-09T23:59:00Z');
    expect((await step()).claimed).toBe(0);
    expect(posts()).toEqual([]);
    // 09:00 in Tokyo
    clock.now = new Date('2026-12-10T00:00:00Z');
    expect(await step()).toMatchObject({ sent: 1 });
    expect(dms.dm(await slackId(ws.rep.id))[0]!.text).toMatch(/^A follow-up is due: Alert subject /);
  });
});
