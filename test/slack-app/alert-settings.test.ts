import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_KIND_NAMES, MESSAGE_ALERT_KINDS } from '../../backend/alerts/kinds.js';
import { ALERT_INPUTS, ALERT_RULES_BLOCK } from '../../slack-app/alert-settings/modals.js';
import { ACTIONS, VIEWS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeSlack, SIGNING_SECRET, slackRapport, TEAM } from '../support/slack.js';
import { Hono } from 'hono';
import type { AppDeps } from '../../backend/types.js';
import { connectSlack } from '../../slack-app/connect.js';

type Input = { block: string; action: string };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const v = (id: Input, value: Record<string, unknown>): Values => ({ [id.block]: { [id.action]: value } });
const ticks = (id: Input, values: string[]) =>
  v(id, { type: 'checkboxes', selected_options: values.map((x) => ({ text: { type: 'plain_text', text: x }, value: x })) });
const time = (id: Input, t: string) => v(id, { type: 'timepicker', selected_time: t });
const text = (id: Input, value: string | null) => v(id, { type: 'plain_text_input', value });
const user = (id: Input, u: string | null) => v(id, { type: 'users_select', selected_user: u });
const conversation = (id: Input, c: string) => v(id, { type: 'conversations_select', selected_conversation: c });

function submission(userId: string, view: { callback_id: string; private_metadata: string }, ...values: Values[]) {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'test' },
    user: { id: userId, name: 'someone', team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.def',
    view: { id: 'V0ALERTS', team_id: TEAM, type: 'modal', ...view, state: { values: Object.assign({}, ...values) } },
  };
}

/**
 * /crm alerts and /crm alerts channel through the signed endpoint: the
 * member's modal prefilled and saved, a rule's modal for managers (a rep is
 * told who sets them), a Slack Connect channel refused in the modal in the
 * member's language, Remove, and the events that stop a channel's rules and
 * tell each creator by DM.
 */
describe('alert settings in Slack', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const ids = {} as Record<'rep' | 'manager' | 'admin', string>;
  const opened = () => {
    const views = slack.calls.filter((c) => c.method === 'views.open');
    expect(views, JSON.stringify(slack.responses)).toHaveLength(1);
    return views[0]!.args.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: any[] };
  };
  const block = (view: { blocks: any[] }, id: string) => view.blocks.find((b) => b.block_id === id);
  const dms = (to: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === to).map((c) => String(c.args.text));
  const api = async (token: string, path: string) =>
    (await rapport.app.request(path, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;
  let event = 0;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    for (const who of ['rep', 'manager', 'admin'] as const)
      ids[who] = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws[who].id]))[0]!.s;
    slack.channelNames.set('C0SALES', 'sales');
    slack.channelNames.set('C0EXT', 'acme-shared');
    slack.externalChannels.add('C0EXT');
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
    expect(rapport.errors).toEqual([]);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('opens /crm alerts prefilled, and saves what was ticked, typed and picked', async () => {
    await rapport.command(ids.rep, 'alerts');
    const view = opened();
    expect(view.callback_id).toBe(VIEWS.alertPrefs);
    const kinds = block(view, ALERT_INPUTS.kinds.block).element;
    expect(kinds.options.map((o: any) => o.text.text)).toEqual(MESSAGE_ALERT_KINDS.map((k) => ALERT_KIND_NAMES[k].en));
    expect(kinds.initial_options).toHaveLength(10);
    expect(block(view, ALERT_INPUTS.tags.block).element.initial_value).toBe('vip');
    expect(block(view, ALERT_INPUTS.start.block).element.initial_time).toBe('08:00');
    expect(block(view, ALERT_INPUTS.days.block).element.initial_options.map((o: any) => o.value)).toEqual(['1', '2', '3', '4', '5']);

    const on = MESSAGE_ALERT_KINDS.filter((k) => k !== 'deal_won' && k !== 'deal_lost');
    const saved = await rapport.interaction(
      submission(
        ids.rep,
        view,
        ticks(ALERT_INPUTS.kinds, on),
        text(ALERT_INPUTS.tags, 'vip, gold、 platinum'),
        time(ALERT_INPUTS.start, '08:00'),
        time(ALERT_INPUTS.end, '20:00'),
        ticks(ALERT_INPUTS.days, ['1', '2', '3', '4', '5', '6']),
      ),
    );
    expect(saved.status).toBe(200);
    expect(saved.text).toBe('');
    const now = await api(ws.rep.token, '/api/me/alerts');
    expect(now.kinds).toMatchObject({ deal_won: 'off', deal_lost: 'off', waiting_reply: 'dm' });
    expect(now.tags).toEqual(['vip', 'gold', 'platinum']);
    expect(now.days).toEqual([1, 2, 3, 4, 5, 6]);
    // the hours were left as shown: still the defaults, not chosen
    expect(now.hours.chosen).toBe(false);
  });

  it('keeps the modal open with the error on its field', async () => {
    await rapport.command(ids.rep, 'alerts');
    const view = opened();
    const bad = await rapport.interaction(
      submission(
        ids.rep,
        view,
        ticks(ALERT_INPUTS.kinds, []),
        time(ALERT_INPUTS.start, '18:00'),
        time(ALERT_INPUTS.end, '09:00'),
        ticks(ALERT_INPUTS.days, ['1']),
      ),
    );
    expect(bad.json()).toEqual({ response_action: 'errors', errors: { [ALERT_INPUTS.end.block]: 'Choose a start before the end.' } });
    const noDays = await rapport.interaction(
      submission(
        ids.rep,
        view,
        ticks(ALERT_INPUTS.kinds, []),
        time(ALERT_INPUTS.start, '09:00'),
        time(ALERT_INPUTS.end, '18:00'),
        ticks(ALERT_INPUTS.days, []),
      ),
    );
    expect(noDays.json().errors[ALERT_INPUTS.days.block]).toBe('Choose at least one working day.');
    // nothing was saved by either
    expect((await api(ws.rep.token, '/api/me/alerts')).days).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('tells a rep that managers and admins set channel alerts, and opens the rule modal for a manager', async () => {
    await rapport.command(ids.rep, 'alerts channel');
    expect(slack.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(slack.responses.at(-1)?.text).toContain('managers and admins');

    await rapport.command(ids.manager, 'alerts channel');
    const view = opened();
    expect(view.callback_id).toBe(VIEWS.alertRule);
    expect(block(view, ALERT_INPUTS.channel.block).element.filter).toMatchObject({ exclude_external_shared_channels: true });
    const stages = block(view, ALERT_INPUTS.stage.block).element.options.map((o: any) => o.value);
    expect(stages).toEqual(expect.arrayContaining(['lead', 'customer']));
    const saved = await rapport.interaction(
      submission(
        ids.manager,
        view,
        conversation(ALERT_INPUTS.channel, 'C0SALES'),
        ticks(ALERT_INPUTS.kinds, ['waiting_reply', 'deal_won']),
        user(ALERT_INPUTS.owner, ids.rep),
      ),
    );
    expect(saved.text).toBe('');
    expect(dms(ids.manager)).toEqual(['Alerts will be posted in #sales.']);
    const rules = (await api(ws.manager.token, '/api/alert-rules')).items;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      channelId: 'C0SALES',
      channelName: 'sales',
      teamId: TEAM,
      kinds: ['waiting_reply', 'deal_won'],
      filter: { owner: { id: ws.rep.id } },
    });
  });

  it('refuses a Slack Connect channel in the modal, in the member’s language, and stores nothing', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.admin.id]);
    await rapport.command(ids.admin, 'alerts channel');
    const view = opened();
    const refused = await rapport.interaction(
      submission(ids.admin, view, conversation(ALERT_INPUTS.channel, 'C0EXT'), ticks(ALERT_INPUTS.kinds, ['deal_won'])),
    );
    expect(refused.json()).toEqual({ response_action: 'errors', errors: { [ALERT_INPUTS.channel.block]: expect.stringContaining('Slack コネクト') } });
    expect((await api(ws.manager.token, '/api/alert-rules')).items.map((r: any) => r.channelId)).toEqual(['C0SALES']);
    // a member who is not in Rapport cannot be a filter
    const stranger = await rapport.interaction(
      submission(ids.admin, view, conversation(ALERT_INPUTS.channel, 'C0SALES'), ticks(ALERT_INPUTS.kinds, ['deal_won']), user(ALERT_INPUTS.team, 'U0NOBODY')),
    );
    expect(Object.keys(stranger.json().errors)).toEqual([ALERT_INPUTS.team.block]);
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.admin.id]);
  });

  it('lists the rules with Remove for their creator, and Remove takes one away', async () => {
    await rapport.command(ids.manager, 'alerts channel');
    const view = opened();
    const [rule] = (await api(ws.manager.token, '/api/alert-rules')).items;
    const listed = block(view, `${ALERT_RULES_BLOCK}:${rule.id}`);
    expect(listed.text.text).toContain('#sales');
    expect(listed.accessory).toMatchObject({ action_id: ACTIONS.alertRuleDelete, value: rule.id });
    // the rep's list is not theirs to see; the admin's Remove exists too
    const press = {
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: ids.manager, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '123.456.abc',
      container: { type: 'view', view_id: 'V0ALERTS' },
      view: { id: 'V0ALERTS', callback_id: VIEWS.alertRule, type: 'modal', private_metadata: '{}', hash: '1.x', state: { values: {} } },
      actions: [{ type: 'button', action_id: ACTIONS.alertRuleDelete, block_id: `${ALERT_RULES_BLOCK}:${rule.id}`, value: rule.id, action_ts: '1.2' }],
    };
    await rapport.interaction(press);
    expect((await api(ws.manager.token, '/api/alert-rules')).items).toEqual([]);
    const updated = slack.calls.find((c) => c.method === 'views.update');
    expect(updated?.args.view_id).toBe('V0ALERTS');
    expect(JSON.stringify(updated?.args.view)).toContain('No channel gets alerts yet');
  });

  it('stops the rules of a channel that becomes shared, archived or that Rapport leaves, and tells each creator in their language', async () => {
    const add = async (who: 'manager' | 'admin', channel: string) => {
      await rapport.command(ids[who], 'alerts channel');
      const view = slack.calls.filter((c) => c.method === 'views.open').at(-1)!.args.view;
      const res = await rapport.interaction(submission(ids[who], view, conversation(ALERT_INPUTS.channel, channel), ticks(ALERT_INPUTS.kinds, ['deal_won'])));
      expect(res.text).toBe('');
    };
    slack.channelNames.set('C0TURN', 'partners');
    slack.channelNames.set('C0LEFT', 'old-team');
    await add('manager', 'C0TURN');
    await add('admin', 'C0TURN');
    await add('manager', 'C0LEFT');
    await t.sql.query(`update crm.members set locale = 'zh' where id = $1`, [ws.admin.id]);
    slack.calls.length = 0;
    const shared = await rapport.event({ type: 'channel_shared', connected_team_id: 'T0ACME', channel: 'C0TURN', event_ts: '1.1' }, `Ev${++event}`);
    expect(shared.status).toBe(200);
    expect(dms(ids.manager)).toEqual([
      expect.stringContaining('Your channel alert for #partners stopped: the channel is now shared with another organisation'),
    ]);
    expect(dms(ids.admin)).toEqual([expect.stringContaining('Slack Connect')]);
    expect(dms(ids.admin)[0]).toContain('已停止');
    // someone else leaving the channel changes nothing; Rapport leaving it stops its rules
    await rapport.event({ type: 'member_left_channel', user: ids.rep, channel: 'C0LEFT', channel_type: 'C', team: TEAM }, `Ev${++event}`);
    expect((await api(ws.manager.token, '/api/alert-rules')).items.find((r: any) => r.channelId === 'C0LEFT').active).toBe(true);
    await rapport.event({ type: 'member_left_channel', user: 'U0BOT', channel: 'C0LEFT', channel_type: 'C', team: TEAM }, `Ev${++event}`);
    const rules = (await api(ws.manager.token, '/api/alert-rules')).items;
    expect(rules.map((r: any) => [r.channelId, r.active, r.disabledReason]).sort()).toEqual([
      ['C0LEFT', false, 'not_in_channel'],
      ['C0TURN', false, 'shared'],
      ['C0TURN', false, 'shared'],
    ]);
    expect(dms(ids.manager).at(-1)).toContain('Rapport was removed from the channel');
    // archived later: nothing more to stop, nobody told twice
    slack.calls.length = 0;
    await rapport.event({ type: 'channel_archive', channel: 'C0TURN', user: ids.rep }, `Ev${++event}`);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(rapport.errors).toEqual([]);
  });

  it('has the server ask Slack about a rule’s channel with the team’s token once the Slack app is connected', async () => {
    const jobs: NonNullable<AppDeps['jobs']> = {};
    connectSlack(new Hono(), { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }, rapport.backend, { jobs, digests: false });
    expect(await jobs.slackChannel!(TEAM, 'C0EXT')).toEqual({ found: true, shared: true, name: 'acme-shared' });
    expect(await jobs.slackChannel!(TEAM, 'C0SALES')).toEqual({ found: true, shared: false, name: 'sales' });
    expect(slack.calls.filter((c) => c.method === 'conversations.info').map((c) => c.args.channel)).toEqual(['C0EXT', 'C0SALES']);
  });

  it('lists the alert commands in /crm help', async () => {
    await rapport.command(ids.rep, 'help');
    const help = JSON.stringify(slack.responses.at(-1));
    expect(help).toContain('/crm alerts');
    expect(help).toContain('/crm alerts channel');
  });
});
