import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { SlackChannelState } from '../../backend/types.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Channel rules (issue 19): managers and admins send chosen kinds about what
 * matches a filter to a channel; never to one shared with another
 * organisation (Slack Connect), nor to one whose state Slack cannot tell; and
 * a channel that becomes shared, goes, or loses Rapport stops its rules.
 */
const TEAM = 'T0RULES';
const SECRET = 'rules-service-secret-'.padEnd(48, 'r');

describe.each(ADAPTERS)('alert rules on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  let bare: ReturnType<typeof createApp>;
  let segment: string;
  const asked: string[] = [];
  const channels = new Map<string, SlackChannelState | 'down'>();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    const slackChannel = async (team: string, channel: string) => {
      asked.push(`${team}:${channel}`);
      const state = channels.get(channel) ?? { found: true, shared: false, name: 'sales' };
      if (state === 'down') throw new Error('slack is down');
      return state;
    };
    app = createApp({ db: t.db, serviceSecret: SECRET, jobs: { slackChannel } });
    // the backend on its own, with no Slack app to ask
    bare = createApp({ db: t.db });
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, a.id]);
    await t.sql.query(`insert into crm.pipeline_stages (workspace_id, key, name, position, probability) values ($1, 'proposal_x', 'Proposal', 90, 50)`, [a.id]);
    segment = (await caller(app, a.rep.token)('POST', '/api/segments', { name: 'Big ones', filter: { tag: 'big' } })).body.id;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const as = (who: 'rep' | 'manager' | 'admin', ws = a) => caller(app, ws[who].token);
  const service = () => caller(app, undefined, { authorization: `Rapport-Service ${SECRET}` });
  const rules = async () =>
    t.sql.query<{ channel_id: string; active: boolean; disabled_reason: string | null }>(
      `select channel_id, active, disabled_reason from crm.alert_rules where workspace_id = $1 order by created_at, id`,
      [a.id],
    );

  it('lets a manager add a rule with a filter, shown to managers and admins with its creator, and never to reps', async () => {
    const made = await as('manager')('POST', '/api/alert-rules', {
      channelId: 'C0SALES',
      kinds: ['deal_won', 'deal_lost', 'deal_won'],
      filter: { ownerId: a.rep.id, teamOf: a.manager.id, tag: 'vip', segmentId: segment, stage: 'proposal_x' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      teamId: TEAM,
      channelId: 'C0SALES',
      channelName: 'sales',
      kinds: ['deal_won', 'deal_lost'],
      filter: {
        owner: { id: a.rep.id, name: 'Ren Rep' },
        teamOf: { id: a.manager.id, name: 'Mia Manager' },
        tag: 'vip',
        segment: { id: segment, name: 'Big ones' },
        stage: 'proposal_x',
      },
      createdBy: { id: a.manager.id },
      active: true,
      disabledReason: null,
      canDelete: true,
    });
    expect(asked).toContain(`${TEAM}:C0SALES`);
    const list = await as('admin')('GET', '/api/alert-rules');
    expect(list.body.items.map((r: { id: string; canDelete: boolean }) => [r.id, r.canDelete])).toEqual([[made.body.id, true]]);
    expect((await as('rep')('GET', '/api/alert-rules')).status).toBe(403);
    const refused = await as('rep')('POST', '/api/alert-rules', { channelId: 'C0REP', kinds: ['deal_won'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('alert_rules_managers_only');
    // a rep is refused before Slack is asked
    expect(asked).not.toContain(`${TEAM}:C0REP`);
    // the rule is what the outbox matches: the rep's won deal with a vip, big contact at that stage reaches the channel, another does not
    const [c] = await t.sql.query<{ id: string }>(
      `insert into crm.contacts (workspace_id, name, owner_id, tags) values ($1, 'Vip Big', $2, array['vip', 'big']) returning id`,
      [a.id, a.rep.id],
    );
    const emit = (key: string, subject: object) =>
      t.sql.query(`select crm.alert_emit($1, 'deal_won', $2, now(), '{}', $3::jsonb)`, [a.id, key, JSON.stringify(subject)]);
    await emit('rules:won', { ownerId: a.rep.id, contactId: c!.id, stage: 'proposal_x' });
    await emit('rules:won-other-stage', { ownerId: a.rep.id, contactId: c!.id, stage: 'lead' });
    await emit('rules:won-other-owner', { ownerId: a.rep2.id, contactId: c!.id, stage: 'proposal_x' });
    const sent = await t.sql.query<{ key: string }>(`select dedupe_key as key from crm.alerts where rule_id = $1`, [made.body.id]);
    expect(sent.map((x) => x.key)).toEqual([`rules:won:r:${made.body.id}`]);
    // audited
    const [audit] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.audit_log where entity_type = 'alert_rule' and entity_id = $1`, [
      made.body.id,
    ]);
    expect(Number(audit!.n)).toBe(1);
  });

  it('refuses unknown kinds, members, segments and stages with a JSON 400 or 404', async () => {
    const post = (body: object) => as('admin')('POST', '/api/alert-rules', { channelId: 'C0BAD', kinds: ['deal_won'], ...body });
    const cases: [object, number, string][] = [
      [{ kinds: ['already_answered'] }, 400, 'invalid_request'],
      [{ kinds: [] }, 400, 'invalid_request'],
      [{ filter: { ownerId: b.rep.id } }, 404, 'member_not_found'],
      [{ filter: { teamOf: b.manager.id } }, 404, 'member_not_found'],
      [{ filter: { teamOf: a.rep.id } }, 400, 'alert_rule_not_a_manager'],
      [{ filter: { segmentId: '00000000-0000-4000-8000-000000000000' } }, 404, 'segment_not_found'],
      [{ filter: { stage: 'nowhere' } }, 400, 'alert_rule_stage_unknown'],
      [{ filter: { colour: 'red' } }, 400, 'invalid_request'],
      [{ channelId: 'D0DM' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect([JSON.stringify(body), res.status, res.body.error?.code]).toEqual([JSON.stringify(body), status, code]);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    // a contact lifecycle stage is a stage too
    expect((await post({ filter: { stage: 'customer' } })).status).toBe(201);
    expect((await rules()).filter((r) => r.channel_id === 'C0BAD')).toHaveLength(1);
  });

  it('refuses a Slack Connect channel, one Slack cannot show, and any when there is no Slack to ask', async () => {
    channels.set('C0SHARED', { found: true, shared: true, name: 'acme-shared' });
    const shared = await as('manager')('POST', '/api/alert-rules', { channelId: 'C0SHARED', kinds: ['waiting_reply'] });
    expect(shared.status).toBe(422);
    expect(shared.body.error.code).toBe('alert_rule_channel_shared');
    expect(shared.body.error.message).toContain('acme-shared');
    // in the member's own language
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [a.manager.id]);
    const ja = await as('manager')('POST', '/api/alert-rules', { channelId: 'C0SHARED', kinds: ['waiting_reply'] });
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [a.manager.id]);
    expect(ja.body.error.message).toContain('Slack コネクト');
    channels.set('C0GONE', { found: false, shared: false });
    channels.set('C0DOWN', 'down');
    channels.set('C0OUT', { found: true, shared: false, name: 'outside', isMember: false });
    for (const [channel, code] of [
      ['C0GONE', 'alert_rule_channel_unverified'],
      ['C0DOWN', 'alert_rule_channel_unverified'],
      ['C0OUT', 'alert_rule_not_in_channel'],
    ]) {
      const res = await as('manager')('POST', '/api/alert-rules', { channelId: channel, kinds: ['waiting_reply'] });
      expect([channel, res.status, res.body.error.code]).toEqual([channel, 422, code]);
    }
    const blind = await caller(bare, a.manager.token)('POST', '/api/alert-rules', { channelId: 'C0SALES2', kinds: ['waiting_reply'] });
    expect([blind.status, blind.body.error.code]).toEqual([422, 'alert_rule_channel_unverified']);
    // a channel linked as shared (/crm link in a Slack Connect channel) is refused without asking Slack
    await t.sql.query(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, is_ext_shared, linked_by, contact_id)
       values ($1, $2, 'C0LINKED', 'acme', true, $3, (select id from crm.contacts where workspace_id = $1 limit 1))`,
      [a.id, TEAM, a.rep.id],
    );
    const linked = await as('manager')('POST', '/api/alert-rules', { channelId: 'C0LINKED', kinds: ['waiting_reply'] });
    expect([linked.status, linked.body.error.code]).toEqual([422, 'alert_rule_channel_shared']);
    expect(asked).not.toContain(`${TEAM}:C0LINKED`);
    // another workspace without Slack: nowhere to send
    const noSlack = await as('admin', b)('POST', '/api/alert-rules', { channelId: 'C0SALES', kinds: ['waiting_reply'] });
    expect([noSlack.status, noSlack.body.error.code]).toEqual([409, 'alert_rule_no_slack']);
    expect((await rules()).map((r) => r.channel_id).filter((c) => ['C0SHARED', 'C0GONE', 'C0DOWN', 'C0OUT', 'C0LINKED', 'C0SALES2'].includes(c))).toEqual([]);
  });

  it('stops every rule of a channel that became shared, skips what it had pending, and says whom to tell', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [a.admin.id]);
    const first = (await as('manager')('POST', '/api/alert-rules', { channelId: 'C0TURNS', kinds: ['deal_created'] })).body;
    const second = (await as('admin')('POST', '/api/alert-rules', { channelId: 'C0TURNS', kinds: ['deal_created', 'deal_won'] })).body;
    await t.sql.query(`select crm.alert_emit($1, 'deal_created', 'rules:deal', now(), '{}', '{}')`, [a.id]);
    const stopped = await service()('POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0TURNS', reason: 'shared' });
    expect(stopped.status).toBe(200);
    expect(
      stopped.body.stopped.map((s: { ruleId: string; reason: string; creator: { id: string; locale: string } }) => [
        s.ruleId,
        s.reason,
        s.creator.id,
        s.creator.locale,
      ]),
    ).toEqual([
      [first.id, 'shared', a.manager.id, 'en'],
      [second.id, 'shared', a.admin.id, 'ja'],
    ]);
    expect((await rules()).filter((r) => r.channel_id === 'C0TURNS')).toEqual([
      { channel_id: 'C0TURNS', active: false, disabled_reason: 'shared' },
      { channel_id: 'C0TURNS', active: false, disabled_reason: 'shared' },
    ]);
    const pending = await t.sql.query<{ status: string; skip_reason: string }>(
      `select status, skip_reason from crm.alerts where workspace_id = $1 and dedupe_key like 'rules:deal%'`,
      [a.id],
    );
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => p.status === 'skipped' && p.skip_reason === 'rule_shared')).toBe(true);
    // said again (Slack retries): nobody is told twice
    expect((await service()('POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0TURNS', reason: 'shared' })).body).toEqual({ stopped: [] });
    // the list shows why it stopped
    const listed = (await as('manager')('GET', '/api/alert-rules')).body.items.find((r: { id: string }) => r.id === first.id);
    expect(listed).toMatchObject({ active: false, disabledReason: 'shared', canDelete: true });
    // an archived channel stops its rules as channel_gone
    await as('manager')('POST', '/api/alert-rules', { channelId: 'C0ARCH', kinds: ['deal_lost'] });
    const gone = await service()('POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0ARCH', reason: 'channel_gone' });
    expect(gone.body.stopped.map((s: { reason: string }) => s.reason)).toEqual(['channel_gone']);
    // members cannot call it
    expect((await as('admin')('POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0ARCH', reason: 'shared' })).status).toBe(401);
  });

  it('remembers a linked channel that became shared, so no new rule is accepted for it', async () => {
    await t.sql.query(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, is_ext_shared, linked_by, contact_id)
       values ($1, $2, 'C0LATER', 'later', false, $3, (select id from crm.contacts where workspace_id = $1 limit 1))`,
      [a.id, TEAM, a.rep.id],
    );
    expect((await as('manager')('POST', '/api/alert-rules', { channelId: 'C0LATER', kinds: ['deal_lost'] })).status).toBe(201);
    await service()('POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0LATER', reason: 'shared' });
    const again = await as('manager')('POST', '/api/alert-rules', { channelId: 'C0LATER', kinds: ['deal_lost'] });
    expect([again.status, again.body.error.code]).toEqual([422, 'alert_rule_channel_shared']);
  });

  it('removes a rule for its creator or an admin, with what it had pending; 404 elsewhere', async () => {
    const rule = (await as('manager')('POST', '/api/alert-rules', { channelId: 'C0DEL', kinds: ['follow_up_due'] })).body;
    await t.sql.query(`select crm.alert_emit($1, 'follow_up_due', 'rules:del', now(), '{}', '{}')`, [a.id]);
    expect((await as('rep')('DELETE', `/api/alert-rules/${rule.id}`)).status).toBe(403);
    expect((await as('admin', b)('DELETE', `/api/alert-rules/${rule.id}`)).status).toBe(404);
    const adminRule = (await as('admin')('POST', '/api/alert-rules', { channelId: 'C0DEL', kinds: ['follow_up_due'] })).body;
    const forbidden = await as('manager')('DELETE', `/api/alert-rules/${adminRule.id}`);
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'alert_rule_delete_forbidden']);
    expect((await as('manager')('DELETE', `/api/alert-rules/${rule.id}`)).body).toEqual({ deleted: true, id: rule.id });
    expect((await as('admin')('DELETE', `/api/alert-rules/${adminRule.id}`)).status).toBe(200);
    expect((await as('admin')('DELETE', `/api/alert-rules/${rule.id}`)).status).toBe(404);
    const [left] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.alerts where rule_id = any($1::uuid[])`, [[rule.id, adminRule.id]]);
    expect(Number(left!.n)).toBe(0);
    const [audited] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.audit_log where entity_id = $1 and action = 'delete'`, [rule.id]);
    expect(Number(audited!.n)).toBe(1);
  });
});
