import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseTarget } from '../../slack-app/capture/link-channel.js';
import { captureOfMessage, mentionedUsers, plainText } from '../../slack-app/capture/message.js';
import { packMeta } from '../../slack-app/capture/log-message.js';
import { ACTIONS, INPUTS, SHORTCUTS, VIEWS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM, RESPONSE_URL } from '../support/slack.js';

const CHANNEL = 'C0ACME';
const CUSTOMER = 'U0CUSTOMER';

describe('capture from Slack: linked channels and "Log to Rapport"', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let rep: string;
  let janeId: string;
  let kenId: string;
  let taroId: string;
  let janeDoeId: string;
  let eventSeq = 0;

  const rows = <T>(sql: string, params: unknown[] = []) => t.sql.query<T & Record<string, unknown>>(sql, params);
  const message = (over: Record<string, unknown>, eventId = `Ev${++eventSeq}`, headers: Record<string, string> = {}) =>
    rapport.event({ type: 'message', channel: CHANNEL, channel_type: 'channel', event_ts: over.ts, ...over }, eventId, headers);
  const lastResponse = () => slack.responses.at(-1)!;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    rep = (await rows<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    const post = async (path: string, body: unknown) =>
      (await (
        await rapport.app.request(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as { id: string };
    janeId = (await post('/api/contacts', { name: 'Jane Tanaka', emails: ['jane@acme.co.jp'], company: { name: 'Acme', domain: 'acme.co.jp' } })).id;
    kenId = (await post('/api/contacts', { name: 'Ken Mori', emails: ['ken@acme.co.jp'], company: { name: 'Acme', domain: 'acme.co.jp' } })).id;
    janeDoeId = (await post('/api/contacts', { name: 'Jane Doe', emails: ['jane.doe@gmail.com'] })).id;
    taroId = (await post('/api/contacts', { name: '田中 太郎', emails: ['taro@sakura.co.jp'], company: { name: '株式会社サクラ' } })).id;
    slack.users.set(CUSTOMER, { id: CUSTOMER, email: 'jane@acme.co.jp' });
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
  });

  it('parses Slack text: entities decoded, mentions found once, the thread kept', () => {
    expect(plainText('Q&amp;A &lt;b&gt;')).toBe('Q&A <b>');
    expect(mentionedUsers('hi <@U0AAA> and <@U0BBB|bob>, <@U0AAA>')).toEqual(['U0AAA', 'U0BBB']);
    const c = captureOfMessage(
      { ts: '1700000000.000200', thread_ts: '1700000000.000100', user: 'U0AAA', text: 'see <@U0BBB>', files: [{ name: 'quote.pdf' }] },
      { teamId: 'T1', channelId: 'C1' },
    );
    expect(c).toMatchObject({
      externalId: 'T1:C1:1700000000.000200',
      threadKey: 'slack:T1:C1:1700000000.000100',
      occurredAt: '2023-11-14T22:13:20.000Z',
      body: 'see <@U0BBB>\n\n📎 quote.pdf',
      participants: [
        { role: 'author', slackUserId: 'U0AAA' },
        { role: 'mention', slackUserId: 'U0BBB' },
      ],
    });
  });

  it('chooses what /crm link means: the one company named, else the one contact, else a choice', () => {
    const acme = { id: 'k1', name: 'Acme KK' };
    expect(
      chooseTarget('acme', [
        { id: 'a', name: 'Jane', company: acme },
        { id: 'b', name: 'Ken', company: acme },
      ]),
    ).toEqual({ pick: { type: 'company', ...acme } });
    expect(chooseTarget('jane', [{ id: 'a', name: 'Jane', company: acme }])).toEqual({ pick: { type: 'contact', id: 'a', name: 'Jane' } });
    expect(
      chooseTarget('ｊａｎｅ', [
        { id: 'a', name: 'Jane', company: null },
        { id: 'b', name: 'Janet', company: null },
      ]),
    ).toEqual({
      choices: [
        { type: 'contact', id: 'a', name: 'Jane' },
        { type: 'contact', id: 'b', name: 'Janet' },
      ],
    });
  });

  it("keeps the shortcut metadata under Slack's 3,000 characters, saying when the text was cut", () => {
    const packed = packMeta({ team: 'T1', channel: 'C1', ts: '1.1', text: '長い'.repeat(5000) });
    expect(packed.length).toBeLessThanOrEqual(3000);
    expect(JSON.parse(packed).cut).toBe(true);
    expect(JSON.parse(packMeta({ team: 'T1', channel: 'C1', ts: '1.1', text: 'short' })).cut).toBe(false);
  });

  describe('a linked channel', () => {
    it('/crm link Acme links the channel to the company and says to invite Rapport when it is not a member', async () => {
      const res = await rapport.command(rep, 'link Acme', CHANNEL);
      expect(res.status).toBe(200);
      const [link] = await rows<{ company_id: string; contact_id: string | null; linked_by: string }>(
        `select company_id, contact_id, linked_by from crm.slack_channel_links where channel_id = $1`,
        [CHANNEL],
      );
      expect(link).toMatchObject({ contact_id: null, linked_by: ws.rep.id });
      expect(lastResponse()).toMatchObject({ response_type: 'ephemeral' });
      expect(lastResponse().text).toContain('the company Acme');
      const audit = await rows(`select action from crm.audit_log where entity_type = 'slack_channel_link'`);
      expect(audit).toEqual([{ action: 'link' }]);
    });

    it("captures a colleague's message under every contact of the company, once however often Slack retries it", async () => {
      for (let retry = 0; retry < 4; retry++) {
        const res = await message(
          { ts: '1764000000.000100', user: rep, text: 'Quote sent to <@U0CUSTOMER> &amp; team' },
          'EvRetried',
          retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {},
        );
        expect(res.status).toBe(200);
      }
      const stored = await rows<{ id: string; body: string; direction: string; author_id: string; thread_key: string }>(
        `select id, body, direction, author_id, thread_key from crm.interactions where external_id = $1`,
        [`${TEAM}:${CHANNEL}:1764000000.000100`],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        body: 'Quote sent to <@U0CUSTOMER> & team',
        author_id: ws.rep.id,
        thread_key: `slack:${TEAM}:${CHANNEL}:1764000000.000100`,
      });
      const about = await rows<{ contact_id: string }>(
        `select contact_id from crm.interaction_participants where interaction_id = $1 and role = 'about' order by contact_id`,
        [stored[0]!.id],
      );
      expect(about.map((a) => a.contact_id).sort()).toEqual([janeId, kenId].sort());
      const last = await rows<{ at: string | null }>(`select last_captured_at at from crm.slack_channel_links where channel_id = $1`, [CHANNEL]);
      expect(last[0]!.at).not.toBeNull();
    });

    it("captures a customer's reply in the thread as inbound, matched by their Slack profile email, and tells them nothing", async () => {
      await message({ ts: '1764000100.000100', thread_ts: '1764000000.000100', user: CUSTOMER, text: 'Thanks, we will review' });
      const [row] = await rows<{ id: string; direction: string; thread_key: string; author_id: string }>(
        `select id, direction, thread_key, author_id from crm.interactions where external_id = $1`,
        [`${TEAM}:${CHANNEL}:1764000100.000100`],
      );
      expect(row).toMatchObject({ direction: 'inbound', thread_key: `slack:${TEAM}:${CHANNEL}:1764000000.000100`, author_id: ws.rep.id });
      const author = await rows(`select contact_id, slack_user_id from crm.interaction_participants where interaction_id = $1 and role = 'author'`, [row!.id]);
      expect(author).toEqual([{ contact_id: janeId, slack_user_id: CUSTOMER }]);
      expect(slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    });

    it('an edit updates the interaction; a deletion takes it out of the timeline and the audit log keeps it', async () => {
      const key = `${TEAM}:${CHANNEL}:1764000000.000100`;
      await message({
        subtype: 'message_changed',
        hidden: true,
        ts: '1764000200.000000',
        message: {
          type: 'message',
          user: rep,
          text: 'Quote v2 sent',
          ts: '1764000000.000100',
          edited: { user: rep, ts: '1764000200.000000' },
        },
        previous_message: { type: 'message', user: rep, text: 'Quote sent', ts: '1764000000.000100' },
      });
      const [edited] = await rows<{ id: string; body: string; edited_at: Date | string | null }>(
        `select id, body, edited_at from crm.interactions where external_id = $1`,
        [key],
      );
      expect(edited!.body).toBe('Quote v2 sent');
      expect(new Date(edited!.edited_at!).toISOString()).toBe('2025-11-24T16:03:20.000Z');

      await message({
        subtype: 'message_deleted',
        hidden: true,
        ts: '1764000300.000000',
        deleted_ts: '1764000000.000100',
        previous_message: { type: 'message', user: rep, text: 'Quote v2 sent', ts: '1764000000.000100' },
      });
      const timeline = (await (
        await rapport.app.request(`/api/contacts/${janeId}/timeline`, { headers: { authorization: `Bearer ${ws.rep.token}` } })
      ).json()) as { items: { interaction?: { id: string } }[] };
      expect(timeline.items.some((e) => e.interaction?.id === edited!.id)).toBe(false);
      const get = await rapport.app.request(`/api/interactions/${edited!.id}`, { headers: { authorization: `Bearer ${ws.rep.token}` } });
      expect(get.status).toBe(404);
      const audit = await rows<{ action: string; before: { body?: string } }>(`select action, before from crm.audit_log where entity_id = $1 order by id`, [
        edited!.id,
      ]);
      expect(audit.map((a) => a.action)).toEqual(['capture', 'edit', 'delete']);
      expect(audit[2]!.before.body).toBe('Quote v2 sent');
    });

    it("ignores bot messages, Rapport's own, joins, and channels nobody linked", async () => {
      const before = (await rows<{ n: number }>(`select count(*)::int n from crm.interactions`))[0]!.n;
      await message({ ts: '1764000400.000100', bot_id: 'B0OTHER', subtype: 'bot_message', text: 'build passed' });
      await message({ ts: '1764000400.000200', user: 'U0BOT', bot_id: 'B0BOT', text: 'a card' });
      await message({ ts: '1764000400.000300', user: rep, subtype: 'channel_join', text: 'joined' });
      await message({ ts: '1764000400.000400', user: rep, text: 'elsewhere', channel: 'C0OTHER' });
      expect((await rows<{ n: number }>(`select count(*)::int n from crm.interactions`))[0]!.n).toBe(before);
      expect(rapport.errors).toEqual([]);
    });

    it('records a capture failure on the link for the App Home, and tells the log', async () => {
      await message({ ts: 'not-a-ts', user: rep, text: 'broken' });
      const [link] = await rows<{ last_error: string | null }>(`select last_error from crm.slack_channel_links where channel_id = $1`, [CHANNEL]);
      expect(link!.last_error).toMatch(/externalId|invalid/i);
      expect(rapport.errors.length).toBe(1);
      rapport.errors.length = 0;
    });

    it('/crm unlink stops capture and keeps what was logged', async () => {
      await rapport.command(rep, 'unlink', CHANNEL);
      expect(lastResponse().text).toContain('no longer captured');
      await message({ ts: '1764000500.000100', user: rep, text: 'after unlink' });
      expect(await rows(`select 1 from crm.interactions where body = 'after unlink'`)).toEqual([]);
      expect((await rows(`select 1 from crm.interactions where external_id like $1`, [`${TEAM}:${CHANNEL}:%`])).length).toBeGreaterThan(0);
      await rapport.command(rep, 'unlink', CHANNEL);
      expect(lastResponse().text).toContain('not linked');
    });

    it('/crm link with several candidates offers a choice; picking one links the channel', async () => {
      await rapport.command(rep, 'link 田中 太郎', 'C0PICK');
      expect(lastResponse().text).toContain('田中 太郎');
      await rapport.command(rep, 'link jane', 'C0PICK2');
      const buttons = (lastResponse().blocks as any[]).filter((b) => b.accessory?.action_id === ACTIONS.linkPick).map((b) => b.accessory.value);
      expect(buttons.sort()).toEqual([`contact:${janeId}`, `contact:${janeDoeId}`].sort());
      await rapport.interaction(buttonPress(rep, ACTIONS.linkPick, `contact:${taroId}`, 'C0PICK'));
      expect(await rows(`select contact_id from crm.slack_channel_links where channel_id = 'C0PICK'`)).toEqual([{ contact_id: taroId }]);
      expect(lastResponse()).toMatchObject({ replace_original: true });
      expect(lastResponse().text).toContain('田中 太郎');
    });

    it('refuses to link a DM, and says what to type when nothing follows link', async () => {
      await rapport.command(rep, 'link Acme', 'D0DM');
      expect(lastResponse().text).toContain('Only channels');
      await rapport.command(rep, 'link', CHANNEL);
      expect(lastResponse().text).toContain('/crm link Acme');
    });
  });

  describe('"Log to Rapport" on any message', () => {
    const shortcut = (over: Record<string, unknown> = {}) => ({
      type: 'message_action',
      callback_id: SHORTCUTS.logMessage,
      trigger_id: '1.2.abc',
      message_ts: '1764001000.000100',
      response_url: RESPONSE_URL,
      team: { id: TEAM, domain: 'test' },
      user: { id: rep, team_id: TEAM },
      channel: { id: 'C0GENERAL', name: 'general' },
      message: { type: 'message', user: CUSTOMER, ts: '1764001000.000100', text: 'Can you send <@U0KENJI> the <b>contract</b>?' },
      token: 'x',
      action_ts: '1.3',
      ...over,
    });
    const submit = (view: Record<string, any>, contactId: string | null, note = '') => ({
      type: 'view_submission',
      team: { id: TEAM, domain: 'test' },
      user: { id: rep, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'x',
      trigger_id: '1.2.def',
      view: {
        ...view,
        id: 'V0LOG',
        state: {
          values: {
            [INPUTS.contact.block]: {
              [INPUTS.contact.action]: {
                type: 'external_select',
                selected_option: contactId ? { text: { type: 'plain_text', text: 'x' }, value: contactId } : null,
              },
            },
            [INPUTS.kind.block]: {
              [INPUTS.kind.action]: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'Slack message' }, value: 'slack' },
              },
            },
            [INPUTS.note.block]: { [INPUTS.note.action]: { type: 'plain_text_input', value: note || null } },
          },
        },
      },
    });

    it('opens a modal with the message, a contact picker searching as you type, kind and note', async () => {
      const res = await rapport.interaction(shortcut());
      expect(res.status).toBe(200);
      const open = slack.calls.find((c) => c.method === 'views.open')!;
      expect(open.args.trigger_id).toBe('1.2.abc');
      const view = open.args.view;
      expect(view.callback_id).toBe(VIEWS.logMessage);
      expect(JSON.stringify(view.blocks)).toContain('&lt;b&gt;contract&lt;/b&gt;');
      const picker = view.blocks.find((b: any) => b.block_id === INPUTS.contact.block);
      expect(picker.element).toMatchObject({ type: 'external_select', action_id: INPUTS.contact.action });
      expect(JSON.parse(view.private_metadata)).toMatchObject({
        channel: 'C0GENERAL',
        ts: '1764001000.000100',
        user: CUSTOMER,
        link: expect.stringContaining('/archives/C0GENERAL/p1764001000000100'),
      });
    });

    it('the picker finds contacts as you type, in Latin and Japanese', async () => {
      const suggest = (value: string) =>
        rapport.interaction({
          type: 'block_suggestion',
          action_id: INPUTS.contact.action,
          block_id: INPUTS.contact.block,
          value,
          team: { id: TEAM, domain: 'test' },
          user: { id: rep, team_id: TEAM },
          api_app_id: 'A0APP',
          token: 'x',
          view: { id: 'V0LOG', type: 'modal', callback_id: VIEWS.logMessage },
        });
      const latin = (await suggest('tana')).json();
      expect(latin.options).toEqual([{ text: { type: 'plain_text', text: 'Jane Tanaka · Acme' }, value: janeId }]);
      const cjk = (await suggest('田中')).json();
      expect(cjk.options.map((o: { value: string }) => o.value)).toEqual([taroId]);
      expect((await suggest('zzzz-nobody')).json()).toEqual({ options: [] });
    });

    it('requires a contact', async () => {
      await rapport.interaction(shortcut());
      const view = slack.calls.find((c) => c.method === 'views.open')!.args.view;
      const res = await rapport.interaction(submit(view, null));
      expect(res.json()).toMatchObject({
        response_action: 'errors',
        errors: { [INPUTS.contact.block]: expect.stringContaining('Pick the contact') },
      });
    });

    it('logs the message with its permalink, author and mentions to the picked contact; again says it is already logged', async () => {
      await rapport.interaction(shortcut());
      const view = slack.calls.find((c) => c.method === 'views.open')!.args.view;
      const first = await rapport.interaction(submit(view, janeId, 'they want it by Friday'));
      expect(first.text).toBe('');
      const [row] = await rows<{ id: string; url: string; body: string; direction: string }>(
        `select id, url, body, direction from crm.interactions where external_id = $1`,
        [`${TEAM}:C0GENERAL:1764001000.000100`],
      );
      expect(row).toMatchObject({
        url: expect.stringContaining('p1764001000000100'),
        body: 'Can you send <@U0KENJI> the <b>contract</b>?',
        direction: 'inbound',
      });
      const people = await rows<{ role: string; contact_id: string | null; slack_user_id: string | null }>(
        `select role, contact_id, slack_user_id from crm.interaction_participants where interaction_id = $1 order by id`,
        [row!.id],
      );
      expect(people).toEqual([
        { role: 'author', contact_id: janeId, slack_user_id: CUSTOMER },
        { role: 'mention', contact_id: null, slack_user_id: 'U0KENJI' },
        { role: 'about', contact_id: janeId, slack_user_id: null },
      ]);
      expect(await rows(`select body from crm.interactions where kind = 'note' and thread_key = $1`, [`slack:${TEAM}:C0GENERAL:1764001000.000100`])).toEqual([
        { body: 'they want it by Friday' },
      ]);
      const told = slack.calls.find((c) => c.method === 'chat.postEphemeral')!;
      expect(told.args).toMatchObject({ channel: 'C0GENERAL', user: rep });
      expect(told.args.text).toContain('Jane Tanaka');

      const again = await rapport.interaction(submit(view, janeId, 'they want it by Friday'));
      expect(again.json()).toMatchObject({ response_action: 'update' });
      expect(JSON.stringify(again.json().view)).toContain('already logged');
      expect(await rows(`select 1 from crm.interactions where external_id = $1`, [`${TEAM}:C0GENERAL:1764001000.000100`])).toHaveLength(1);
      expect(await rows(`select 1 from crm.interactions where kind = 'note' and thread_key = $1`, [`slack:${TEAM}:C0GENERAL:1764001000.000100`])).toHaveLength(
        1,
      );
    });

    it('a contact from another workspace cannot be picked: the field says so and nothing is stored', async () => {
      await rapport.interaction(shortcut({ message_ts: '1764002000.000100', message: { type: 'message', user: rep, ts: '1764002000.000100', text: 'x' } }));
      const view = slack.calls.find((c) => c.method === 'views.open')!.args.view;
      const res = await rapport.interaction(submit(view, '00000000-0000-4000-8000-00000000dead'));
      expect(res.json()).toMatchObject({ response_action: 'errors' });
      expect(await rows(`select 1 from crm.interactions where external_id = $1`, [`${TEAM}:C0GENERAL:1764002000.000100`])).toEqual([]);
    });
  });
});
