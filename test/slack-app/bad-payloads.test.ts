import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, SHORTCUTS, VIEWS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, RESPONSE_URL, TEAM } from '../support/slack.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * Slack payloads with fields missing, types Rapport does not know and text far
 * over Slack's own limits, signed like Slack's: never a 500, never an error
 * in the log; the person gets an ephemeral answer (or a view error) or the
 * request is ignored. Nothing is posted where others see it.
 */
const HUGE = 'x'.repeat(60_000);
const NASTY = `<!channel> <@U123> <https://evil.example|click> &amp; *bold* \u202eevil\u202c \u0000 ${'田'.repeat(5_000)}`;

describe('the Slack app, given payloads it cannot use', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let user: string;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    user = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
    rapport.errors.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
  });

  /** what the person saw: only ephemeral answers, views, a reply in the mention's thread, or nothing */
  function expectOnlyPrivateAnswers() {
    const publicPosts = slack.calls.filter((c) => (c.method === 'chat.postMessage' && !c.args.thread_ts) || c.method === 'chat.update');
    expect(publicPosts).toEqual([]);
    for (const r of slack.responses) expect(r.response_type ?? 'ephemeral').toBe('ephemeral');
  }

  /**
   * Payloads Slack itself never sends (no user, no view, no response_url, a
   * message shortcut without its message, a user Slack does not know) are
   * ignored or answered privately like the others: no error is logged.
   */
  const expectNoErrorUnless = (_label: string) => {
    expect(rapport.errors.splice(0).map(String)).toEqual([]);
  };

  const base = {
    team: { id: TEAM, domain: 'test' },
    user: { id: 'USER', team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '1.2.abc',
  };
  const withUser = (p: Record<string, unknown>) => JSON.parse(JSON.stringify(p).replaceAll('"USER"', JSON.stringify(user)));
  const interactions: [string, Record<string, unknown>][] = [
    ['an unknown payload type', { ...base, type: 'dialog_submission_v9' }],
    ['block_actions without actions', { ...base, type: 'block_actions', response_url: RESPONSE_URL }],
    ['block_actions with an empty action list', { ...base, type: 'block_actions', actions: [], response_url: RESPONSE_URL }],
    ['an unknown action_id', buttonPress('USER', 'contact_explode', 'x')],
    [
      'a button with no value',
      {
        ...buttonPress('USER', ACTIONS.followUpDone, ''),
        actions: [{ type: 'button', action_id: ACTIONS.followUpDone, block_id: 'b', action_ts: '1.2' }],
      },
    ],
    ['a done button whose value is no id', buttonPress('USER', ACTIONS.followUpDone, "1' or '1'='1")],
    ['a snooze button with a huge value', buttonPress('USER', ACTIONS.followUpSnooze1d, HUGE)],
    ['an edit button for no contact', buttonPress('USER', ACTIONS.edit, '00000000-0000-4000-8000-00000000dead')],
    ['a create-contact button with hostile text', buttonPress('USER', ACTIONS.createContact, NASTY)],
    [
      'a digest reassign with no selection',
      {
        ...buttonPress('USER', ACTIONS.digestReassign, ''),
        actions: [{ type: 'users_select', action_id: ACTIONS.digestReassign, block_id: 'nope', action_ts: '1.2' }],
      },
    ],
    ['block_actions without a user', { ...buttonPress('USER', ACTIONS.followUpDone, 'x'), user: undefined }],
    [
      'a view submission with an unknown callback',
      { ...base, type: 'view_submission', view: { id: 'V1', callback_id: 'view_unknown', private_metadata: '', state: { values: {} } } },
    ],
    ['a view submission without a view', { ...base, type: 'view_submission' }],
    ...Object.values(VIEWS).map((cb): [string, Record<string, unknown>] => [
      `${cb} with no values and private metadata that is not JSON`,
      { ...base, type: 'view_submission', view: { id: 'V1', callback_id: cb, private_metadata: '{not json', state: { values: {} } } },
    ]),
    ...Object.values(VIEWS).map((cb): [string, Record<string, unknown>] => [
      `${cb} with oversized, hostile values`,
      {
        ...base,
        type: 'view_submission',
        view: {
          id: 'V1',
          callback_id: cb,
          private_metadata: JSON.stringify({ contactId: 'not-an-id', channel: 'C1', ts: '1.1' }),
          state: {
            values: Object.fromEntries(
              ['name', 'note', 'title', 'due', 'email', 'stage', 'body', 'subject'].map((k) => [
                k,
                { [k]: { type: 'plain_text_input', value: k === 'name' ? NASTY : HUGE } },
              ]),
            ),
          },
        },
      },
    ]),
    ['view_closed of an unknown view', { ...base, type: 'view_closed', view: { id: 'V1', callback_id: 'whatever' } }],
    ['a global shortcut Rapport does not have', { ...base, type: 'shortcut', callback_id: 'mystery_shortcut' }],
    [
      'the message shortcut without a message',
      { ...base, type: 'message_action', callback_id: SHORTCUTS.logMessage, channel: { id: 'C1' }, response_url: RESPONSE_URL },
    ],
    [
      'the message shortcut on a huge message with no ts',
      {
        ...base,
        type: 'message_action',
        callback_id: SHORTCUTS.logMessage,
        channel: { id: 'C1', name: 'x' },
        response_url: RESPONSE_URL,
        message: { type: 'message', text: HUGE + NASTY, user: 'U0OTHER' },
      },
    ],
    ['a block_suggestion for no select', { ...base, type: 'block_suggestion', action_id: 'nothing', value: HUGE }],
  ];

  it.each(interactions)('%s: no 500, nothing public, no error', async (label, payload) => {
    const res = await rapport.interaction(withUser(payload));
    expect(res.status).toBeLessThan(500);
    expectOnlyPrivateAnswers();
    expectNoErrorUnless(label);
  });

  it.each([
    ['no text', { text: undefined }],
    ['a huge text', { text: HUGE }],
    ['hostile text', { text: NASTY }],
    ['no user', { user_id: undefined }],
    ['an unknown command', { command: '/deals' }],
    ['an unknown user', { user_id: 'U0NOBODY' }],
    ['no team', { team_id: undefined }],
    ['no response_url', { response_url: undefined }],
  ])('a slash command with %s: no 500, at most a private answer', async (label, change) => {
    const form: Record<string, string | undefined> = {
      token: 'deprecated',
      team_id: TEAM,
      team_domain: 'test',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: user,
      user_name: 'someone',
      command: '/crm',
      text: 'help',
      api_app_id: 'A0APP',
      response_url: RESPONSE_URL,
      trigger_id: '1.2.abc',
      ...change,
    };
    const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const res = await rapport.send(body, 'application/x-www-form-urlencoded');
    expect(res.status).toBeLessThan(500);
    expectOnlyPrivateAnswers();
    expectNoErrorUnless(label);
  });

  const events: [string, Record<string, unknown>][] = [
    ['an unknown event type', { type: 'pin_explosion', user: 'USER' }],
    ['an event with no type', { user: 'USER' }],
    ['a mention with no text', { type: 'app_mention', user: 'USER', channel: 'C0GENERAL', ts: '1.1' }],
    ['a mention with huge, hostile text', { type: 'app_mention', user: 'USER', channel: 'C0GENERAL', ts: '1.2', text: `<@U0BOT> ${HUGE}${NASTY}` }],
    ['a mention with no user or channel', { type: 'app_mention', text: '<@U0BOT> history of Jane', ts: '1.3' }],
    ['a message with no channel', { type: 'message', user: 'USER', text: 'hi', ts: '1.4' }],
    ['a message with an unknown subtype', { type: 'message', subtype: 'hologram', channel: 'C0GENERAL', ts: '1.5' }],
    ['a message_changed without the message', { type: 'message', subtype: 'message_changed', channel: 'C0GENERAL', ts: '1.6' }],
    ['a message_deleted without previous_message', { type: 'message', subtype: 'message_deleted', channel: 'C0GENERAL', deleted_ts: '1.1', ts: '1.7' }],
    ['a huge message in a channel', { type: 'message', user: 'USER', channel: 'C0GENERAL', text: HUGE + NASTY, ts: '1.8' }],
    ['link_shared with no links', { type: 'link_shared', user: 'USER', channel: 'C0GENERAL', message_ts: '1.9' }],
    [
      'link_shared with hostile links',
      {
        type: 'link_shared',
        user: 'USER',
        channel: 'C0GENERAL',
        message_ts: '1.9',
        links: [{ domain: 'rapport.example.com', url: `https://rapport.example.com/c/${NASTY}` }, { url: 42 }],
      },
    ],
    ['app_home_opened with no tab', { type: 'app_home_opened', user: 'USER' }],
    ['app_home_opened for a user Slack does not know', { type: 'app_home_opened', user: 'U0NOBODY', tab: 'home' }],
    ['member_joined_channel with nothing', { type: 'member_joined_channel' }],
  ];

  it.each(events)('%s: answered 200, nothing public, no error, no row', async (_label, event) => {
    const before = await tableDigest(t.sql);
    const res = await rapport.event(withUser(event), `Ev${Math.random().toString(36).slice(2)}`);
    expect(res.status).toBe(200);
    expectOnlyPrivateAnswers();
    expect(rapport.errors.splice(0).map(String)).toEqual([]);
    // a channel that is not linked captures nothing; the event claim is the one row an event may leave
    const changed = (await tableDigest(t.sql))
      .split('\n')
      .filter((l) => !before.includes(l))
      .map((l) => l.split(':')[0]);
    expect(changed.filter((table) => table !== 'slack_events')).toEqual([]);
  });

  it.each([
    ['an event_callback with no event', JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'Ev0NONE' }), 'application/json'],
    ['JSON that is not an object', '[1,2,3]', 'application/json'],
    ['a form whose payload is not JSON', 'payload=%7Bnot', 'application/x-www-form-urlencoded'],
    ['an empty body', '', 'application/x-www-form-urlencoded'],
    ['a body of invalid UTF-8', Buffer.from([0x70, 0x3d, 0xff, 0xfe]).toString('latin1'), 'application/x-www-form-urlencoded'],
  ])('%s: a 4xx or an empty 200, never a 500', async (_label, body, type) => {
    const res = await rapport.send(body, type);
    expect(res.status).toBeLessThan(500);
    expectOnlyPrivateAnswers();
    expect(rapport.errors.splice(0).map(String)).toEqual([]);
  });
});
