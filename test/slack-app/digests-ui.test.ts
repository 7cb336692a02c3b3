import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scheduledMemberClient, serviceClient } from '../../slack-app/backend-client.js';
import { createApp } from '../../backend/app.js';
import { digestClient, runDigestStep } from '../../slack-app/digest/scheduler.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

const PUBLIC_URL = 'https://rapport.example.com';
const EXPECTED_METHODS = ['auth.test', 'chat.postMessage', 'chat.update', 'chat.postEphemeral', 'users.info', 'conversations.open', 'conversations.history'];
/** Tuesday 2026-11-24, 09:30 in Tokyo, where the manager lives */
const NOW = new Date('2026-11-24T00:30:00Z');
const DAY = 86_400_000;

type Message = { ts: string; text?: string; blocks?: any };

describe('the digest message: what it shows, its buttons, /crm digest', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const clock = { now: NOW };
  const dms = fakeDms(() => clock.now);
  const slack = fakeSlack({ methods: dms.methods });
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let mia: string;
  const ids: Record<string, string> = {};
  const contacts: Record<string, string> = {};

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const post = async (m: TestMember, path: string, body: unknown) => {
    const res = await rapport.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as any;
  };
  const deps = () => ({
    service: serviceClient(rapport.backend),
    clientFor: () => digestClient(BOT_TOKEN),
    memberApi: (workspaceId: string, memberId: string) => scheduledMemberClient(rapport.backend, workspaceId, memberId),
    workerId: 'worker-ui',
    now: () => clock.now,
    publicUrl: PUBLIC_URL,
  });
  const press = (user: string, message: Message, action: Record<string, unknown>) =>
    rapport.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: user, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '1.2.abc',
      container: { type: 'message', message_ts: message.ts, channel_id: `D${user.slice(1)}`, is_ephemeral: false },
      channel: { id: `D${user.slice(1)}`, name: 'directmessage' },
      message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, bot_id: 'B0BOT' },
      actions: [{ action_ts: '1.2', ...action }],
    });
  const button = (actionId: string, id: string) => ({
    type: 'button',
    action_id: actionId,
    block_id: `digest_actions:${id}`,
    value: id,
    text: { type: 'plain_text', text: 'x' },
  });
  /** the message after one follow-up's buttons became line, every other block unchanged */
  const marked = (blocks: any[], id: string, line: string) =>
    blocks.map((b) => (b.block_id === `digest_actions:${id}` ? { type: 'context', block_id: b.block_id, elements: [{ type: 'mrkdwn', text: line }] } : b));
  const lastUpdate = () => slack.calls.filter((c) => c.method === 'chat.update').at(-1)?.args;
  const followUp = async (id: string) =>
    (
      await t.sql.query<{ status: string; completed_by: string | null; owner_id: string; due_at: Date }>(
        `select status, completed_by, owner_id, due_at from crm.follow_ups where id = $1`,
        [id],
      )
    )[0]!;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => clock.now });
    mia = await slackId(ws.manager);
    const contact = async (m: TestMember, name: string, company: string) =>
      (
        await post(m, '/api/contacts', {
          name,
          emails: [`${randomUUID().slice(0, 6)}@${company.toLowerCase()}.example`],
          company: { name: company },
          ownerEmail: m.email,
        })
      ).id as string;
    contacts.jane = await contact(ws.rep, 'Jane Tanaka', 'Acme');
    contacts.li = await contact(ws.rep2, 'Li Wei', 'Globex');
    const fu = async (key: string, m: TestMember, contactId: string, dueAt: string, note: string) => {
      ids[key] = (await post(m, '/api/follow-ups', { contactId, dueAt, note, ownerEmail: m.email })).id;
    };
    await fu('quote', ws.rep, contacts.jane, new Date(NOW.getTime() - 3 * DAY).toISOString(), 'send the renewal quote');
    await fu('call', ws.rep, contacts.jane, new Date(NOW.getTime() - 1 * DAY).toISOString(), 'call about the pilot');
    await fu('demo', ws.rep2, contacts.li, new Date(NOW.getTime() - 2 * DAY).toISOString(), 'book the demo');
    await fu('contract', ws.rep2, contacts.li, '2026-11-24T08:00:00Z', 'send the contract'); // 17:00 in Tokyo
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
    clock.now = NOW;
  });
  afterAll(async () => {
    expect(slack.calls.map((c) => c.method).filter((m) => !EXPECTED_METHODS.includes(m))).toEqual([]);
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it('/crm digest previews, only to the manager, the very blocks the scheduler then sends', async () => {
    await rapport.command(mia, 'digest');
    const preview = slack.responses[0]!;
    expect(preview.response_type).toBe('ephemeral');
    const text = JSON.stringify(preview.blocks);
    expect(preview.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Daily digest · Tue, Nov 24' } });
    // overdue by rep, oldest first; then due today, with its owner; each linked to Rapport
    const order = [
      'Overdue (3)',
      'Ren Rep: 2 overdue',
      'send the renewal quote',
      'call about the pilot',
      'Rae Rep: 1 overdue',
      'book the demo',
      'Due today (1)',
      'send the contract',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain(`<${PUBLIC_URL}/c/${contacts.jane}|Jane Tanaka>`);
    expect(text).toContain('owner Rae Rep');
    for (const id of Object.values(ids)) {
      const buttons = preview.blocks.find((b: any) => b.block_id === `digest_actions:${id}`);
      expect(buttons.elements.map((e: any) => e.action_id)).toEqual([
        ACTIONS.digestDone,
        ACTIONS.digestSnooze1d,
        ACTIONS.digestSnooze1w,
        ACTIONS.digestReassign,
      ]);
      expect(buttons.elements.slice(0, 3).map((e: any) => e.value)).toEqual([id, id, id]);
    }

    expect(await runDigestStep(deps())).toMatchObject({ claimed: 1, sent: 1 });
    const [dm] = dms.dm(mia);
    expect(dm!.blocks).toEqual(preview.blocks);
  });

  it('Done, Snooze 1 day, Snooze 1 week and Reassign change the follow-up as the presser and update that message in place', async () => {
    const sent = dms.dm(mia)[0]!;
    let message: Message = { ts: sent.ts, text: sent.text!, blocks: sent.blocks };
    const step = async (action: Record<string, unknown>, id: string, line: string) => {
      await press(mia, message, action);
      const update = lastUpdate()!;
      expect(update).toMatchObject({ channel: `D${mia.slice(1)}`, ts: sent.ts });
      expect(update.blocks).toEqual(marked(message.blocks, id, line));
      message = { ...message, blocks: update.blocks };
    };

    await step(button(ACTIONS.digestDone, ids.quote!), ids.quote!, '✅ Done by Mia Manager');
    expect(await followUp(ids.quote!)).toMatchObject({ status: 'done', completed_by: ws.manager.id });
    const timeline = (await (
      await rapport.app.request(`/api/contacts/${contacts.jane}/timeline`, { headers: { authorization: `Bearer ${ws.manager.token}` } })
    ).json()) as any;
    expect(timeline.items.find((e: any) => e.type === 'follow_up' && e.followUp.id === ids.quote).followUp.status).toBe('done');
    const [audit] = await t.sql.query<{ source: string; actor_member_id: string }>(
      `select source, actor_member_id from crm.audit_log where entity_id = $1 and action = 'update'`,
      [ids.quote],
    );
    expect(audit).toEqual({ source: 'slack', actor_member_id: ws.manager.id });

    // overdue: a day from now; due later today: a week from its due time
    await step(button(ACTIONS.digestSnooze1d, ids.demo!), ids.demo!, '⏰ Snoozed to Wed, Nov 25, 2026, 9:30 AM by Mia Manager');
    expect(new Date((await followUp(ids.demo!)).due_at).toISOString()).toBe(new Date(NOW.getTime() + DAY).toISOString());
    await step(button(ACTIONS.digestSnooze1w, ids.contract!), ids.contract!, '⏰ Snoozed to Tue, Dec 1, 2026, 5:00 PM by Mia Manager');
    expect(new Date((await followUp(ids.contract!)).due_at).toISOString()).toBe('2026-12-01T08:00:00.000Z');

    const rae = await slackId(ws.rep2);
    slack.users.set(rae, { id: rae, email: ws.rep2.email });
    await step(
      { type: 'users_select', action_id: ACTIONS.digestReassign, block_id: `digest_actions:${ids.call}`, selected_user: rae },
      ids.call!,
      '👤 Reassigned to Rae Rep by Mia Manager',
    );
    expect((await followUp(ids.call!)).owner_id).toBe(ws.rep2.id);
    expect(slack.calls.filter((c) => c.method === 'users.info').map((c) => c.args.user)).toEqual([rae]);
    expect(slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(4);
  });

  it('a change that fails is told to the presser alone, and the message stays as it was', async () => {
    const sent = dms.dm(mia)[0]!;
    slack.users.set('U0STRANGER', { id: 'U0STRANGER', email: 'stranger@elsewhere.example' });
    await press(
      mia,
      { ts: sent.ts, text: sent.text!, blocks: sent.blocks },
      { type: 'users_select', action_id: ACTIONS.digestReassign, block_id: `digest_actions:${ids.contract}`, selected_user: 'U0STRANGER' },
    );
    expect(lastUpdate()).toBeUndefined();
    const told = slack.calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(told).toHaveLength(1);
    expect(told[0]!.args).toMatchObject({ channel: `D${mia.slice(1)}`, user: mia });
    expect(told[0]!.args.text).toMatch(/^Something went wrong: .*stranger@elsewhere\.example/);
    expect((await followUp(ids.contract!)).owner_id).toBe(ws.rep2.id);
    expect(rapport.errors.splice(0)).toHaveLength(1);
  });

  it('/crm digest on, off, time and weekends change the settings and say what they now are', async () => {
    const row = async () =>
      (
        await t.sql.query<{ e: boolean | null; t: string | null; w: boolean | null }>(
          `select digest_enabled e, to_char(digest_time, 'HH24:MI') t, digest_weekends w from crm.members where id = $1`,
          [ws.manager.id],
        )
      )[0];
    const answers: string[] = [];
    for (const text of ['digest off', 'digest on', 'digest time 8:30', 'digest weekends on', 'digest weekends off']) {
      await rapport.command(mia, text);
      answers.push(slack.responses.at(-1)!.text);
    }
    expect(answers).toEqual([
      'Your daily digest is off. `/crm digest on` turns it on.',
      'Your daily digest is on: every weekday at 09:00 (Asia/Tokyo).',
      'Your daily digest is on: every weekday at 08:30 (Asia/Tokyo).',
      'Your daily digest is on: every day at 08:30 (Asia/Tokyo).',
      'Your daily digest is on: every weekday at 08:30 (Asia/Tokyo).',
    ]);
    expect(await row()).toEqual({ e: true, t: '08:30', w: false });
  });

  it.each([
    ['digest time 25:00', '“25:00” is not a time: give hours and minutes, 00:00 to 23:59'],
    ['digest time', '“” is not a time'],
    ['digest weekends maybe', 'Weekends takes on or off, not “maybe”'],
    ['digest sometimes', 'Rapport did not understand “digest sometimes”'],
  ])('/crm %s answers with what is wrong and changes nothing', async (text, said) => {
    const before = await t.sql.query(`select digest_enabled, digest_time, digest_weekends from crm.members where id = $1`, [ws.manager.id]);
    await rapport.command(mia, text);
    const answer = slack.responses.at(-1)!;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(said);
    expect(JSON.stringify(answer.blocks)).toContain('/crm digest time 08:30');
    expect(await t.sql.query(`select digest_enabled, digest_time, digest_weekends from crm.members where id = $1`, [ws.manager.id])).toEqual(before);
  });

  it('speaks Japanese: the digest, its buttons and a bad time, for a Japanese reader', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.manager.id]);
    try {
      await rapport.command(mia, 'digest');
      const text = JSON.stringify(slack.responses.at(-1)!.blocks);
      // what is left after the buttons above: the follow-up reassigned to Rae, due yesterday
      for (const ja of [
        'デイリーダイジェスト · 11月24日(火)',
        '期限切れ（1 件）',
        'Rae Rep: 期限切れ 1 件',
        '期限 昨日（2026年11月23日(月) 9:30）',
        '完了',
        '1日延期',
        '1週間延期',
        '担当を変更…',
      ]) {
        expect(text).toContain(ja);
      }
      await rapport.command(mia, 'digest time 25:00');
      expect(slack.responses.at(-1)!.text).toContain('「25:00」は時刻として認識できません');
    } finally {
      await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.manager.id]);
    }
  });

  it('keeps a very busy team (60 overdue over 8 reps) within 50 blocks, with exact counts', async () => {
    const boss = randomUUID();
    const slackBoss = `U${boss.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    await t.sql.query(
      `insert into crm.members (id, workspace_id, email, display_name, role, timezone, locale, slack_user_id) values ($1, $2, $3, 'Bo Boss', 'manager', 'Asia/Tokyo', 'en', $4)`,
      [boss, ws.id, `boss@${ws.domain}`, slackBoss],
    );
    for (let i = 0; i < 8; i++) {
      const rep = randomUUID();
      await t.sql.query(
        `insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale) values ($1, $2, $3, $4, 'rep', $5, 'UTC', 'en')`,
        [rep, ws.id, `busy${i}@${ws.domain}`, `Busy Rep ${i}`, boss],
      );
      await t.sql.query(
        `insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, note, created_by)
         select $1, $2, $3, $4::timestamptz - make_interval(days => n), 'chase ' || n, $3 from generate_series(1, $5::int) n`,
        [ws.id, contacts.jane, rep, NOW.toISOString(), 4 + i],
      );
    }
    await rapport.command(slackBoss, 'digest');
    const { blocks } = slack.responses.at(-1)!;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(blocks);
    expect(text).toContain('Overdue (60)');
    for (let i = 0; i < 8; i++) expect(text).toContain(`Busy Rep ${i}: ${4 + i} overdue`);
    const withButtons = blocks.filter((b: any) => b.type === 'actions').length;
    expect(withButtons).toBeGreaterThan(0);
    const sections = blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text as string);
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(3000);
    const listed = sections.flatMap((s: string) => s.split('\n')).filter((l: string) => l.startsWith('• ')).length;
    const more = [...text.matchAll(/…and (\d+) more/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(withButtons + listed + more).toBe(60);
  });

  it('POST /api/jobs/digests runs one step, only with the service secret; 503 where Slack is not connected', async () => {
    const serviceSecret = rapport.backend.serviceSecret;
    const app = createApp({ db: t.db, serviceSecret, jobs: { digests: () => runDigestStep({ ...deps(), workerId: 'cron' }) } });
    const post = (authorization?: string) => app.request('/api/jobs/digests', { method: 'POST', ...(authorization ? { headers: { authorization } } : {}) });
    expect((await post()).status).toBe(401);
    expect((await post('Rapport-Service wrong')).status).toBe(401);
    expect((await post(`Bearer ${serviceSecret}`)).status).toBe(401);
    await t.sql.query(`update crm.members set digest_enabled = true, digest_weekends = true where id = $1`, [ws.rep.id]);
    clock.now = new Date('2026-11-28T10:00:00Z'); // Saturday, 10:00 for Ren in UTC
    const res = await post(`Rapport-Service ${serviceSecret}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
    expect(dms.dm(await slackId(ws.rep))).toHaveLength(1);
    const without = await createApp({ db: t.db, serviceSecret }).request('/api/jobs/digests', {
      method: 'POST',
      headers: { authorization: `Rapport-Service ${serviceSecret}` },
    });
    expect(without.status).toBe(503);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('jobs_unavailable');
  });
});
