import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAlertStep } from '../../slack-app/alerts/scheduler.js';
import { serviceClient } from '../../slack-app/backend-client.js';
import { digestClient } from '../../slack-app/digest/scheduler.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, slackRapport, TEAM } from '../support/slack.js';
import { withSubject } from '../support/alert-subjects.js';

/**
 * An alert as its recipient sees it in Slack (issue 19), and its buttons:
 * Open card shows the contact's card to the presser; Done, Snooze and Assign
 * to me act as the presser and turn the buttons into a line in place.
 */
const NOW = new Date('2026-12-02T10:00:00Z'); // a Wednesday, working hours in UTC
type Message = { ts: string; text?: string; blocks?: any };

describe('alert messages and their buttons', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const clock = { now: NOW };
  const dms = fakeDms(() => clock.now);
  const slack = fakeSlack({ methods: dms.methods });
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let contact: string;

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
  const step = () =>
    runAlertStep({
      service: serviceClient(rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      workerId: 'w',
      now: () => clock.now,
      publicUrl: 'https://rapport.example.com',
    });
  const emit = async (kind: string, key: string, to: TestMember, subject: object) => {
    await t.sql.query(`select crm.alert_emit($1, $2, $3, $4, $5::uuid[], $6::jsonb)`, [
      ws.id,
      kind,
      key,
      clock.now.toISOString(),
      [to.id],
      JSON.stringify(await withSubject(t.sql, ws.id, kind, subject, to.id)),
    ]);
    return (await t.sql.query<{ id: string }>(`select id::text from crm.alerts where workspace_id = $1 and dedupe_key like $2 || ':%'`, [ws.id, key]))[0]!.id;
  };
  const press = (user: string, message: Message, actionId: string, value: string) =>
    rapport.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: user, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '1.2.abc',
      response_url: 'https://hooks.slack.com/actions/T0TEST/1/abc',
      container: { type: 'message', message_ts: message.ts, channel_id: `D${user.slice(1)}`, is_ephemeral: false },
      channel: { id: `D${user.slice(1)}`, name: 'directmessage' },
      message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, bot_id: 'B0BOT' },
      actions: [{ action_ts: '1.2', type: 'button', action_id: actionId, block_id: `alert_actions:${value}`, value, text: { type: 'plain_text', text: 'x' } }],
    });
  const lastUpdate = () => slack.calls.filter((c) => c.method === 'chat.update').at(-1)?.args;
  const lineOf = (blocks: any[], id: string) => blocks.find((b) => b.block_id === `alert_actions:${id}`);

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => clock.now });
    contact = (await post(ws.rep, '/api/contacts', { name: 'Jane Tanaka', emails: ['jane@acme.example'], company: { name: 'Acme' }, ownerEmail: ws.rep.email }))
      .id;
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    expect(rapport.errors).toEqual([]);
    network?.close();
    await t?.close();
  });

  it("shows the card's essentials, the email's subject and start, and the four buttons; Done marks the message in place", async () => {
    const email = await post(ws.rep, '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-12-02T09:00:00Z',
      subject: 'Renewal <!channel> quote',
      body: 'Could you send the renewal quote by Friday?\nThanks, Jane',
      source: 'gmail',
      externalId: '<jane-1@acme.example>',
      participants: [{ role: 'from', email: 'jane@acme.example' }],
    });
    const id = await emit('waiting_reply', `w:${email.id}`, ws.rep, {
      contactId: contact,
      interactionId: email.id,
      immediate: true,
      detail: { windowMinutes: 240 },
    });
    expect(await step()).toMatchObject({ sent: 1 });
    const ren = await slackId(ws.rep);
    const [sent] = dms.dm(ren);
    expect(sent!.text).toBe('A customer is waiting for a reply: Jane Tanaka');
    const body = JSON.stringify(sent!.blocks);
    expect(body).toContain('Jane Tanaka');
    expect(body).toContain('Acme');
    expect(body).toContain('Owner: Ren Rep');
    expect(body).toContain('Renewal &lt;!channel&gt; quote');
    expect(body).toContain('Could you send the renewal quote by Friday? Thanks, Jane');
    expect(lineOf(sent!.blocks as any[], id).elements.map((e: any) => e.action_id)).toEqual([
      ACTIONS.alertOpen,
      ACTIONS.alertDone,
      ACTIONS.alertSnooze,
      ACTIONS.alertAssign,
    ]);

    await press(ren, { ts: sent!.ts, text: sent!.text, blocks: sent!.blocks }, ACTIONS.alertDone, id);
    const update = lastUpdate()!;
    expect(update).toMatchObject({ channel: `D${ren.slice(1)}`, ts: sent!.ts });
    expect(lineOf(update.blocks, id)).toEqual({
      type: 'context',
      block_id: `alert_actions:${id}`,
      elements: [{ type: 'mrkdwn', text: ':white_check_mark: Done by Ren Rep' }],
    });
    const [ra] = await t.sql.query<{ state: string }>(`select state from crm.reply_assignments where interaction_id = $1`, [email.id]);
    expect(ra!.state).toBe('done');
    const [audit] = await t.sql.query<{ source: string }>(`select source from crm.audit_log where entity_id = $1 and action = 'reply_done'`, [email.id]);
    expect(audit!.source).toBe('slack');
  });

  it('Open card shows the contact’s card to the presser only', async () => {
    clock.now = new Date(NOW.getTime() + 20 * 60_000);
    const id = await emit('deal_won', 'open:1', ws.rep, { contactId: contact, detail: { reason: 'Best fit' } });
    await step();
    const ren = await slackId(ws.rep);
    const sent = dms.dm(ren).at(-1)!;
    expect(JSON.stringify(sent.blocks)).toContain('Reason: Best fit');
    slack.calls.length = 0;
    await press(ren, { ts: sent.ts, text: sent.text, blocks: sent.blocks }, ACTIONS.alertOpen, id);
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(slack.responses[0]!.blocks)).toContain('Jane Tanaka');
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('Snooze and Assign to me on a follow-up alert change the follow-up as the presser', async () => {
    clock.now = new Date(NOW.getTime() + 40 * 60_000);
    // a follow-up alert goes to the follow-up's owner (a DM for anyone else is dropped when due)
    const fu = await post(ws.manager, '/api/follow-ups', {
      contactId: contact,
      dueAt: clock.now.toISOString(),
      note: 'Send the quote',
      ownerEmail: ws.manager.email,
    });
    const mia = await slackId(ws.manager);
    slack.users.set(mia, { id: mia, email: ws.manager.email });
    // the manager works Tokyo hours: 10:40 UTC is 19:40 there, inside 08:00-20:00; the
    // follow-up's own trigger wrote its alert unless its due time was long past
    const [made] = await t.sql.query<{ id: string }>(`select id::text from crm.alerts where follow_up_id = $1 and kind = 'follow_up_due'`, [fu.id]);
    const id =
      made?.id ??
      (await emit('follow_up_due', `fu:${fu.id}`, ws.manager, { contactId: contact, followUpId: fu.id, detail: { dueAt: new Date(fu.dueAt).toISOString() } }));
    expect(await step()).toMatchObject({ sent: 1 });
    const sent = dms.dm(mia).at(-1)!;
    expect(JSON.stringify(sent.blocks)).toContain('Send the quote');
    let message: Message = { ts: sent.ts, text: sent.text, blocks: sent.blocks };
    await press(mia, message, ACTIONS.alertAssign, id);
    expect(lineOf(lastUpdate()!.blocks, id).elements[0].text).toBe(':raising_hand: Mia Manager took it');
    message = { ...message, blocks: sent.blocks };
    await press(mia, message, ACTIONS.alertSnooze, id);
    expect(lineOf(lastUpdate()!.blocks, id).elements[0].text).toMatch(/^:zzz: Snoozed by Mia Manager until /);
    const [row] = await t.sql.query<{ owner_id: string; due_at: Date }>(`select owner_id::text, due_at from crm.follow_ups where id = $1`, [fu.id]);
    expect(row!.owner_id).toBe(ws.manager.id);
    expect(new Date(row!.due_at).toISOString()).toBe(new Date(clock.now.getTime() + 60 * 60_000).toISOString());
  });

  it("tells the presser, alone, when they may not act on someone else's alert", async () => {
    clock.now = new Date(NOW.getTime() + 60 * 60_000);
    const id = await emit('deal_lost', 'lost:1', ws.rep, { contactId: contact });
    await step();
    const ren = await slackId(ws.rep);
    const sent = dms.dm(ren).at(-1)!;
    const rae = await slackId(ws.rep2);
    slack.users.set(rae, { id: rae, email: ws.rep2.email });
    await press(rae, { ts: sent.ts, text: sent.text, blocks: sent.blocks }, ACTIONS.alertDone, id);
    expect(slack.calls.filter((c) => c.method === 'chat.update')).toEqual([]);
    const told = slack.calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(told.map((c) => c.args.user)).toEqual([rae]);
    expect(told[0]!.args.text).toContain('Only the person this alert was sent to');
  });
});
