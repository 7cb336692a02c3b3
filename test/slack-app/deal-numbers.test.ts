import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scheduledMemberClient, serviceClient } from '../../slack-app/backend-client.js';
import { digestClient, runDigestStep } from '../../slack-app/digest/scheduler.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { insertContact, insertDeal, insertInteraction } from '../support/deal-rows.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

/** Tuesday 2026-11-24, 09:30 in Tokyo, where the manager lives */
const NOW = new Date('2026-11-24T00:30:00Z');
const DAY = 86_400_000;

/**
 * Deals in Slack (issue 18): the digest's stalled deals and deals closing this
 * week with Move stage and Snooze (Snooze changes the deal as the presser and
 * updates that message in place), and the pipeline in /crm stats.
 */
describe('deal numbers in Slack', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const clock = { now: NOW };
  const dms = fakeDms(() => clock.now);
  const slack = fakeSlack({ methods: dms.methods });
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let mia: string;
  const ids: Record<string, string> = {};

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => clock.now });
    mia = await slackId(ws.manager);
    const jane = await insertContact(t.sql, ws.id, 'Jane Tanaka', ws.rep.id);
    await insertInteraction(t.sql, ws.id, jane, new Date(NOW.getTime() - 30 * DAY).toISOString());
    const old = new Date(NOW.getTime() - 40 * DAY).toISOString();
    ids.stalled = await insertDeal(t.sql, ws.id, {
      name: 'Acme renewal',
      owner: ws.rep.id,
      stage: 'proposal',
      amount: 100_000,
      currency: 'USD',
      createdAt: old,
      contacts: [jane],
    });
    ids.closing = await insertDeal(t.sql, ws.id, {
      name: 'Tokyo pilot',
      owner: ws.rep2.id,
      stage: 'commit',
      amount: 5000,
      currency: 'JPY',
      closeDate: '2026-11-27',
      createdAt: new Date(NOW.getTime() - DAY).toISOString(),
    });
    await insertDeal(t.sql, ws.id, {
      name: 'Won deal',
      owner: ws.rep.id,
      status: 'won',
      amount: 30_000,
      currency: 'USD',
      createdAt: new Date(NOW.getTime() - 10 * DAY).toISOString(),
      closedAt: new Date(NOW.getTime() - 2 * DAY).toISOString(),
    });
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
    clock.now = NOW;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it('the digest lists the stalled deal and the one closing this week with Move stage and Snooze; Snooze updates that message', async () => {
    await rapport.command(mia, 'digest');
    const preview = slack.responses[0]!;
    const text = JSON.stringify(preview.blocks);
    expect(text).toContain('Deals closing this week (1)');
    expect(text).toContain('Stalled deals: no contact for 14+ days (1)');
    expect(text).toContain('*Acme renewal* · $1,000.00 · Proposal sent · last activity');
    expect(text).toContain('owner Ren Rep');
    const actions = preview.blocks.find((b: any) => b.block_id === `digest_deal_actions:stalled:${ids.stalled}`);
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      [ACTIONS.dealMoveStage, ids.stalled],
      [ACTIONS.dealSnooze, ids.stalled],
    ]);

    const deps = {
      service: serviceClient(rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      memberApi: (workspaceId: string, memberId: string) => scheduledMemberClient(rapport.backend, workspaceId, memberId),
      workerId: 'worker-deals',
      now: () => clock.now,
    };
    expect(await runDigestStep(deps)).toMatchObject({ sent: 1 });
    const sent = dms.dm(mia)[0]!;
    await rapport.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: mia, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '1.2.abc',
      container: { type: 'message', message_ts: sent.ts, channel_id: `D${mia.slice(1)}`, is_ephemeral: false },
      channel: { id: `D${mia.slice(1)}`, name: 'directmessage' },
      message: { type: 'message', ts: sent.ts, text: sent.text, blocks: sent.blocks, bot_id: 'B0BOT' },
      actions: [
        {
          action_ts: '1.2',
          type: 'button',
          action_id: ACTIONS.dealSnooze,
          block_id: `digest_deal_actions:stalled:${ids.stalled}`,
          value: ids.stalled,
          text: { type: 'plain_text', text: 'x' },
        },
      ],
    });
    const update = slack.calls.filter((c) => c.method === 'chat.update').at(-1)!.args;
    expect(update).toMatchObject({ channel: `D${mia.slice(1)}`, ts: sent.ts });
    const id = `digest_deal_actions:stalled:${ids.stalled}`;
    const line = '⏰ Snoozed until Tue, Dec 1, 2026, 9:30 AM by Mia Manager';
    expect(update.blocks).toEqual(
      (sent.blocks as any[]).map((b) => (b.block_id === id ? { type: 'context', block_id: id, elements: [{ type: 'mrkdwn', text: line }] } : b)),
    );
    const [deal] = await t.sql.query<{ until: Date }>(`select snoozed_until as until from crm.deals where id = $1`, [ids.stalled]);
    expect(new Date(deal!.until).toISOString()).toBe(new Date(NOW.getTime() + 7 * DAY).toISOString());
    const [audit] = await t.sql.query(`select source, actor_member_id from crm.audit_log where entity_id = $1 and action = 'snooze'`, [ids.stalled]);
    expect(audit).toEqual({ source: 'slack', actor_member_id: ws.manager.id });
    // the next digest leaves the snoozed deal out
    await rapport.command(mia, 'digest');
    expect(JSON.stringify(slack.responses.at(-1)!.blocks)).not.toContain('Stalled deals');
  });

  it('a Snooze the presser may not do is told to them alone, and the deal stays as it was', async () => {
    const rae = await slackId(ws.rep2);
    const blocks = [{ type: 'actions', block_id: `digest_deal_actions:stalled:${ids.closing}`, elements: [] }];
    await t.sql.query(`update crm.deals set owner_id = $2 where id = $1`, [ids.closing, ws.rep.id]);
    try {
      await rapport
        .interaction({
          type: 'block_actions',
          team: { id: TEAM, domain: 'test' },
          user: { id: rae, team_id: TEAM },
          api_app_id: 'A0APP',
          token: 'deprecated',
          trigger_id: '1.2.abc',
          container: { type: 'message', message_ts: '1.1', channel_id: `D${rae.slice(1)}`, is_ephemeral: false },
          channel: { id: `D${rae.slice(1)}`, name: 'directmessage' },
          message: { type: 'message', ts: '1.1', text: 'digest', blocks, bot_id: 'B0BOT' },
          actions: [{ action_ts: '1.2', type: 'button', action_id: ACTIONS.dealSnooze, block_id: blocks[0]!.block_id, value: ids.closing }],
        })
        .catch(() => undefined);
      const told = slack.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => c.args);
      expect(told).toEqual([expect.objectContaining({ user: rae, text: expect.stringContaining('Only its owner') })]);
      expect(slack.calls.filter((c) => c.method === 'chat.update')).toEqual([]);
      const [deal] = await t.sql.query(`select snoozed_until from crm.deals where id = $1`, [ids.closing]);
      expect(deal).toEqual({ snoozed_until: null });
    } finally {
      await t.sql.query(`update crm.deals set owner_id = $2 where id = $1`, [ids.closing, ws.rep2.id]);
      rapport.errors.length = 0;
    }
  });

  it('/crm stats shows the pipeline per currency, weighted, won and lost and by rep, in Japanese', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.manager.id]);
    try {
      await rapport.command(mia, 'stats');
      const text = JSON.stringify(slack.responses.at(-1)!.blocks);
      expect(text).toContain('進行中のパイプライン（2 件）');
      expect(text).toContain('$1,000.00（確度加重 $500.00）');
      expect(text).toContain('￥5,000（確度加重 ￥4,500）');
      // stage names are the workspace's pipeline's (made in English here)
      expect(text).toContain('Proposal sent · 50% · 1 件');
      expect(text).toContain('受注 1 件 · 失注 0 件 · 受注率 100% · 平均 8 日で受注');
      expect(text).toContain('受注額: $300.00');
      expect(text).toContain('担当者別の案件');
    } finally {
      await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.manager.id]);
    }
  });
});
