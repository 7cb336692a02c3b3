import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, INPUTS, VIEWS } from '../../slack-app/ids.js';
import { BackendError } from '../../slack-app/backend-client.js';
import { submit } from '../../slack-app/contacts/modal-kit.js';
import { VIEW_ACTIONS } from '../../slack-app/contacts/modal-ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, viewSubmission as submission } from '../support/slack.js';

/** The backend's clock: Tuesday 2026-11-24, 03:00 UTC (12:00 in Tokyo). */
const NOW = new Date('2026-11-24T03:00:00Z');

type Input = { block: string; action: string };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const v = (id: Input, value: Record<string, unknown>): Values => ({ [id.block]: { [id.action]: value } });
const text = (id: Input, value: string | null) => v(id, { type: 'plain_text_input', value });
const pick = (id: Input, value: string) => v(id, { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } });
const date = (id: Input, d: string | null) => v(id, { type: 'datepicker', selected_date: d });
const time = (id: Input, t: string | null) => v(id, { type: 'timepicker', selected_time: t });
const user = (id: Input, u: string | null) => v(id, { type: 'users_select', selected_user: u });

describe('the modals and More history, driven through the signed HTTP endpoint', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const slackIdOf = async (memberId: string) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [memberId]))[0]!.s;
  let rep: string;
  let manager: string;
  let janeId: string;
  const api = (token: string, method: string, path: string, body?: unknown) =>
    rapport.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const newContact = async (token: string, body: Record<string, unknown>) =>
    ((await (await api(token, 'POST', '/api/contacts', body)).json()) as { id: string }).id;

  /** Press a button, and return the modal Slack was asked to open. */
  async function open(userId: string, actionId: string, value: string, channel = 'C0GENERAL') {
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(userId, actionId, value, channel));
    const opened = slack.calls.filter((c) => c.method === 'views.open');
    expect(opened, JSON.stringify(slack.responses)).toHaveLength(1);
    expect(opened[0]!.args.trigger_id).toBe('123.456.abc');
    return opened[0]!.args.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: any[] };
  }
  const inputOf = (view: { blocks: any[] }, id: Input) => view.blocks.find((b) => b.block_id === id.block)?.element;
  const told = () => slack.calls.filter((c) => c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage');

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t, { now: () => NOW });
    rep = await slackIdOf(ws.rep.id);
    manager = await slackIdOf(ws.manager.id);
    janeId = await newContact(ws.rep.token, {
      name: 'Jane Tanaka',
      title: 'VP Sales',
      phone: '+81 3 1234 5678',
      emails: ['jane@acme.co.jp'],
      stage: 'customer',
      ownerEmail: ws.rep.email,
      tags: ['key'],
    });
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
  });

  it('Edit opens a prefilled modal; saving sends only what changed, so a change made meanwhile is kept', async () => {
    const view = await open(rep, ACTIONS.edit, janeId);
    expect(view.callback_id).toBe(VIEWS.editContact);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: janeId, ch: 'C0GENERAL' });
    expect(inputOf(view, INPUTS.stage)).toMatchObject({ type: 'static_select', initial_option: { value: 'customer' } });
    expect(inputOf(view, INPUTS.stage).options.map((o: any) => o.value)).toEqual(['lead', 'prospect', 'customer', 'churned']);
    expect(inputOf(view, INPUTS.owner)).toMatchObject({ type: 'users_select', initial_user: rep });
    expect(inputOf(view, INPUTS.title).initial_value).toBe('VP Sales');
    expect(inputOf(view, INPUTS.phone).initial_value).toBe('+81 3 1234 5678');
    expect(inputOf(view, INPUTS.tags).initial_value).toBe('key');

    // a colleague changes the phone while the modal is open
    await api(ws.rep2.token, 'PATCH', `/api/contacts/${janeId}`, { phone: '+81 3 0000 0000' });
    slack.users.set(manager, { id: manager, email: ws.manager.email });
    const res = await rapport.interaction(
      submission(
        rep,
        { id: 'V0EDIT1', callback_id: view.callback_id, private_metadata: view.private_metadata },
        pick(INPUTS.stage, 'prospect'),
        user(INPUTS.owner, manager),
        text(INPUTS.title, 'VP Sales'),
        text(INPUTS.phone, '+81 3 1234 5678'),
        text(INPUTS.tags, 'key, renewal、重要'),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const [c] = await t.sql.query<any>(`select stage, owner_id, title, phone, tags from crm.contacts where id = $1`, [janeId]);
    expect(c).toEqual({
      stage: 'prospect',
      owner_id: ws.manager.id,
      title: 'VP Sales',
      phone: '+81 3 0000 0000',
      tags: ['key', 'renewal', '重要'],
    });
    const [audit] = await t.sql.query<{ after: Record<string, unknown>; source: string }>(
      `select after, source from crm.audit_log where entity_id = $1 and actor_member_id = $2 order by id desc limit 1`,
      [janeId, ws.rep.id],
    );
    expect(Object.keys(audit!.after).sort()).toEqual(['owner', 'stage', 'tags']);
    expect(audit!.source).toBe('slack');
    const [confirm] = told();
    expect(confirm).toMatchObject({ method: 'chat.postEphemeral', args: { channel: 'C0GENERAL', user: rep } });
    expect(confirm!.args.text).toContain('Stage: Prospect');
    expect(confirm!.args.text).toContain('Owner: Mia Manager');
  });

  it('Edit sets the reading typed in the modal, folded, and says so', async () => {
    const id = await newContact(ws.rep.token, { name: '田中 太郎', stage: 'lead' });
    const view = await open(rep, ACTIONS.edit, id);
    expect(inputOf(view, INPUTS.reading).initial_value).toBeUndefined();
    const res = await rapport.interaction(
      submission(
        rep,
        { id: 'V0EDITR', callback_id: view.callback_id, private_metadata: view.private_metadata },
        pick(INPUTS.stage, 'lead'),
        user(INPUTS.owner, rep),
        text(INPUTS.reading, 'ﾀﾅｶ ﾀﾛｳ'),
      ),
    );
    expect(res.status).toBe(200);
    const [c] = await t.sql.query<{ reading: string }>(`select reading from crm.contacts where id = $1`, [id]);
    expect(c!.reading).toBe('タナカ タロウ');
    expect(told()[0]!.args.text).toContain('Reading of the name: タナカ タロウ');
  });

  it('Edit with nothing changed saves nothing and says so; an owner who is no member is a field error', async () => {
    const aikoId = await newContact(ws.rep.token, { name: 'Aiko Ito', title: 'CFO', stage: 'lead', tags: ['a', 'b'] });
    const view = await open(rep, ACTIONS.edit, aikoId);
    const meta = { id: 'V0EDIT2', callback_id: view.callback_id, private_metadata: view.private_metadata };
    const audits = async () => (await t.sql.query(`select 1 from crm.audit_log where entity_id = $1`, [aikoId])).length;
    const before = await audits();
    slack.calls.length = 0;
    // the owner select started on the rep; leaving it there is no change
    const same = await rapport.interaction(
      submission(
        rep,
        meta,
        pick(INPUTS.stage, 'lead'),
        user(INPUTS.owner, rep),
        text(INPUTS.title, ' CFO '),
        text(INPUTS.phone, null),
        text(INPUTS.tags, 'a,b'),
      ),
    );
    expect(same.text).toBe('');
    expect(told()[0]!.args.text).toContain('Nothing changed for Aiko Ito');

    slack.users.set('U0OUTSIDER', { id: 'U0OUTSIDER', email: 'someone@elsewhere.example' });
    const res = await rapport.interaction(
      submission(
        rep,
        meta,
        pick(INPUTS.stage, 'customer'),
        user(INPUTS.owner, 'U0OUTSIDER'),
        text(INPUTS.title, 'CFO'),
        text(INPUTS.phone, null),
        text(INPUTS.tags, 'a, b'),
      ),
    );
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { [INPUTS.owner.block]: expect.stringContaining('someone@elsewhere.example') },
    });
    expect(await audits()).toBe(before);
    expect((await t.sql.query<{ stage: string }>(`select stage from crm.contacts where id = $1`, [aikoId]))[0]!.stage).toBe('lead');
  });

  it('Add note stores one note about the contact, however often the same view is submitted', async () => {
    const view = await open(rep, ACTIONS.addNote, janeId);
    expect(view.callback_id).toBe(VIEWS.addNote);
    expect(JSON.stringify(view.blocks)).toContain('Jane Tanaka');
    expect(inputOf(view, INPUTS.note)).toMatchObject({ type: 'plain_text_input', multiline: true });
    const note = submission(
      rep,
      { id: 'V0NOTE1', callback_id: view.callback_id, private_metadata: view.private_metadata },
      text(INPUTS.note, 'Wants the <!channel> renewal in Q1'),
    );
    slack.calls.length = 0;
    expect((await rapport.interaction(note)).text).toBe('');
    expect((await rapport.interaction(note)).text).toBe('');
    const rows = await t.sql.query<any>(
      `select i.kind, i.source, i.body, i.external_id, p.role, p.contact_id from crm.interactions i
       join crm.interaction_participants p on p.interaction_id = i.id where i.workspace_id = $1 and i.external_id = 'view:V0NOTE1'`,
      [ws.id],
    );
    expect(rows).toEqual([
      {
        kind: 'note',
        source: 'slack',
        body: 'Wants the <!channel> renewal in Q1',
        external_id: 'view:V0NOTE1',
        role: 'about',
        contact_id: janeId,
      },
    ]);
    expect(told()).toHaveLength(1);
    expect(told()[0]!.args.text).toContain('Jane Tanaka');
  });

  it('Add note with nothing typed is a field error and stores nothing', async () => {
    const view = await open(rep, ACTIONS.addNote, janeId);
    const res = await rapport.interaction(
      submission(rep, { id: 'V0NOTE2', callback_id: view.callback_id, private_metadata: view.private_metadata }, text(INPUTS.note, '   ')),
    );
    expect(res.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.note.block]: 'Please fill this in.' } });
    expect(await t.sql.query(`select 1 from crm.interactions where external_id = 'view:V0NOTE2'`)).toEqual([]);
  });

  it('Add follow-up defaults to tomorrow 09:00; 09:00 for a member in Tokyo is stored as 00:00Z', async () => {
    const forRep = await open(rep, ACTIONS.addFollowUp, janeId);
    expect(forRep.callback_id).toBe(VIEWS.addFollowUp);
    expect(inputOf(forRep, INPUTS.dueDate)).toMatchObject({ type: 'datepicker', initial_date: '2026-11-25' });
    expect(inputOf(forRep, INPUTS.dueTime)).toMatchObject({ type: 'timepicker', initial_time: '09:00' });

    const view = await open(manager, ACTIONS.addFollowUp, janeId, 'D0MANAGER');
    expect(JSON.stringify(view.blocks)).toContain('Asia/Tokyo');
    const submitted = () =>
      rapport.interaction(
        submission(
          manager,
          { id: 'V0FU1', callback_id: view.callback_id, private_metadata: view.private_metadata },
          date(INPUTS.dueDate, '2026-12-01'),
          time(INPUTS.dueTime, '09:00'),
          text(INPUTS.note, 'Send the Q1 quote'),
        ),
      );
    const res = await submitted();
    expect(res.text).toBe('');
    // the same view submitted again (a double click) makes no second follow-up
    expect((await submitted()).text).toBe('');
    const rows = await t.sql.query<any>(`select due_at, owner_id, note, status from crm.follow_ups where contact_id = $1 and note = 'Send the Q1 quote'`, [
      janeId,
    ]);
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0].due_at).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(rows[0]).toMatchObject({ owner_id: ws.manager.id, status: 'open' });
    // from a DM the confirmation comes as a message from the app
    expect(told()[0]).toMatchObject({ method: 'chat.postMessage', args: { channel: manager } });
    expect(told()[0]!.args.text).toContain('2026');
  });

  it.each([
    ['a day that has passed', '2026-11-23', '09:00', INPUTS.dueDate.block, 'already passed'],
    ['an hour that has passed today', '2026-11-24', '02:00', INPUTS.dueTime.block, 'already passed'],
    ['a date that does not exist', '2026-02-30', '09:00', INPUTS.dueDate.block, 'valid date'],
    ['no time', '2026-12-01', null, INPUTS.dueTime.block, 'valid time'],
  ])('Add follow-up at %s is a field error and stores nothing', async (_label, d, tm, block, message) => {
    const view = await open(rep, ACTIONS.addFollowUp, janeId);
    const res = await rapport.interaction(
      submission(
        rep,
        { id: 'V0FU2', callback_id: view.callback_id, private_metadata: view.private_metadata },
        date(INPUTS.dueDate, d),
        time(INPUTS.dueTime, tm),
        text(INPUTS.note, 'never stored'),
      ),
    );
    expect(res.json()).toEqual({ response_action: 'errors', errors: { [block]: expect.stringContaining(message) } });
    expect(await t.sql.query(`select 1 from crm.follow_ups where note = 'never stored'`)).toEqual([]);
  });

  it('Log call opens at now in the member’s zone and stores a meeting, once, with its subject and body', async () => {
    const view = await open(manager, ACTIONS.logCall, janeId);
    expect(view.callback_id).toBe(VIEWS.logCall);
    expect(inputOf(view, INPUTS.kind).initial_option.value).toBe('call');
    expect(inputOf(view, INPUTS.occurredDate).initial_date).toBe('2026-11-24');
    expect(inputOf(view, INPUTS.occurredTime).initial_time).toBe('12:00');
    const meta = { id: 'V0CALL1', callback_id: view.callback_id, private_metadata: view.private_metadata };
    const future = await rapport.interaction(
      submission(
        manager,
        meta,
        pick(INPUTS.kind, 'call'),
        pick(INPUTS.direction, 'outbound'),
        date(INPUTS.occurredDate, '2026-11-24'),
        time(INPUTS.occurredTime, '18:00'),
        text(INPUTS.summary, 'Not yet'),
      ),
    );
    expect(future.json()).toMatchObject({
      response_action: 'errors',
      errors: { [INPUTS.occurredTime.block]: expect.stringContaining('future') },
    });
    const res = await rapport.interaction(
      submission(
        manager,
        meta,
        pick(INPUTS.kind, 'meeting'),
        pick(INPUTS.direction, 'inbound'),
        date(INPUTS.occurredDate, '2026-11-24'),
        time(INPUTS.occurredTime, '10:30'),
        text(INPUTS.summary, 'Pricing review\nThey want a quote by Friday'),
      ),
    );
    expect(res.text).toBe('');
    const rows = await t.sql.query<any>(`select kind, direction, source, subject, body, occurred_at from crm.interactions where external_id = 'view:V0CALL1'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'meeting',
      direction: 'inbound',
      source: 'slack',
      subject: 'Pricing review',
      body: 'They want a quote by Friday',
    });
    expect(new Date(rows[0].occurred_at).toISOString()).toBe('2026-11-24T01:30:00.000Z');
    expect(told()[0]!.args.text).toContain('Meeting with Jane Tanaka');
  });

  it('Create contact prefills the search; a bad or taken email is a field error; saving shows the new card', async () => {
    const byEmail = await open(rep, ACTIONS.createContact, 'kenji@newco.example');
    expect(byEmail.callback_id).toBe(VIEWS.createContact);
    expect(inputOf(byEmail, INPUTS.emails).initial_value).toBe('kenji@newco.example');
    expect(inputOf(byEmail, INPUTS.name).initial_value).toBeUndefined();
    const view = await open(rep, ACTIONS.createContact, 'Kenji Sato');
    expect(inputOf(view, INPUTS.name).initial_value).toBe('Kenji Sato');
    const meta = { id: 'V0NEW1', callback_id: view.callback_id, private_metadata: view.private_metadata };
    const fields = (email: string) => [
      text(INPUTS.name, 'Kenji Sato'),
      text(INPUTS.emails, email),
      text(INPUTS.company, 'NewCo'),
      text(INPUTS.title, 'CTO'),
      text(INPUTS.phone, null),
    ];
    const count = async () => (await t.sql.query(`select 1 from crm.contacts where workspace_id = $1 and name = 'Kenji Sato'`, [ws.id])).length;

    const bad = await rapport.interaction(submission(rep, meta, ...fields('kenji at newco')));
    expect(bad.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.emails.block]: expect.stringContaining('email address') } });
    const noName = await rapport.interaction(submission(rep, meta, ...fields('kenji@newco.example'), text(INPUTS.name, null)));
    expect(noName.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.name.block]: 'Please fill this in.' } });
    const taken = await rapport.interaction(submission(rep, meta, ...fields('JANE@acme.co.jp')));
    expect(taken.json()).toMatchObject({ response_action: 'errors', errors: { [INPUTS.emails.block]: expect.any(String) } });
    expect(await count()).toBe(0);

    slack.calls.length = 0;
    const res = await rapport.interaction(submission(rep, meta, ...fields('kenji@newco.example')));
    expect(res.text).toBe('');
    const [c] = await t.sql.query<any>(`select c.id, c.title, c.source from crm.contacts c where workspace_id = $1 and name = 'Kenji Sato'`, [ws.id]);
    expect(c).toMatchObject({ title: 'CTO' });
    const card = told().find((m) => m.method === 'chat.postEphemeral')!;
    expect(card.args).toMatchObject({ channel: 'C0GENERAL', user: rep });
    expect(JSON.stringify(card.args.blocks)).toContain('Kenji Sato');
    expect(JSON.stringify(card.args.blocks)).toContain(ACTIONS.edit);
    expect(JSON.stringify(card.args.blocks)).toContain(c.id);
  });

  it('a confirmation that cannot be posted in the channel arrives as a DM', async () => {
    const view = await open(rep, ACTIONS.addNote, janeId, 'C0NOTJOINED');
    slack.calls.length = 0;
    slack.failNext('chat.postEphemeral', 500);
    await rapport.interaction(
      submission(rep, { id: 'V0NOTE3', callback_id: view.callback_id, private_metadata: view.private_metadata }, text(INPUTS.note, 'via DM')),
    );
    expect(told().map((m) => [m.method, m.args.channel])).toEqual([
      ['chat.postEphemeral', 'C0NOTJOINED'],
      ['chat.postMessage', rep],
    ]);
  });

  it('a button on a contact that is gone tells the person privately and opens nothing', async () => {
    await rapport.interaction(buttonPress(rep, ACTIONS.addNote, '00000000-0000-4000-8000-000000000000'));
    expect(slack.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('speaks Japanese to a member whose locale is ja', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.rep2.id]);
    const jaRep = await slackIdOf(ws.rep2.id);
    const taroId = await newContact(ws.rep2.token, { name: '田中 太郎', emails: ['taro@sakura-mfg.co.jp'] });
    const edit = await open(jaRep, ACTIONS.edit, taroId);
    expect(edit.title.text).toBe('連絡先を編集');
    expect(JSON.stringify(edit.blocks)).toContain('ステージ');
    expect((await open(jaRep, ACTIONS.addFollowUp, taroId)).title.text).toBe('フォローアップを追加');
    const note = await open(jaRep, ACTIONS.addNote, taroId);
    const res = await rapport.interaction(
      submission(jaRep, { id: 'V0JA1', callback_id: note.callback_id, private_metadata: note.private_metadata }, text(INPUTS.note, '')),
    );
    expect(res.json().errors[INPUTS.note.block]).toBe('入力してください。');
  });

  it('More history pages through a long timeline, ten at a time, until there is no more', async () => {
    const id = await newContact(ws.rep.token, { name: 'Hiro Busy', emails: ['hiro@busy.example'] });
    for (let i = 1; i <= 22; i++) {
      const n = String(i).padStart(2, '0');
      await api(ws.rep.token, 'POST', '/api/interactions', {
        kind: 'email',
        source: 'gmail',
        externalId: `<h${n}@busy.example>`,
        occurredAt: `2026-11-01T${n}:00:00Z`,
        subject: `History ${n}`,
        participants: [{ role: 'from', email: 'hiro@busy.example' }],
      });
    }
    const subjects = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/History (\d\d)/g)].map((m) => m[1]);
    // the card shows the creation and History 22..19; the pages start after them
    await rapport.interaction(buttonPress(rep, ACTIONS.moreHistory, id));
    const first = slack.responses[0]!;
    expect(first).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(subjects(first.blocks)).toEqual(['18', '17', '16', '15', '14', '13', '12', '11', '10', '09']);
    const more = first.blocks.at(-1).elements[0];
    expect(more.action_id).toBe(VIEW_ACTIONS.moreHistoryPage);
    expect(more.value.length).toBeLessThanOrEqual(2000);

    slack.responses.length = 0;
    await rapport.interaction(buttonPress(rep, VIEW_ACTIONS.moreHistoryPage, more.value));
    const second = slack.responses[0]!;
    expect(subjects(second.blocks)).toEqual(['08', '07', '06', '05', '04', '03', '02', '01']);
    expect(JSON.stringify(second.blocks)).not.toContain(VIEW_ACTIONS.moreHistoryPage);
  });

  it('logged nothing unexpected', () => {
    expect(rapport.errors).toEqual([]);
  });
});

describe('a submission the backend is slow to save', () => {
  const run = (save: () => Promise<unknown>) => {
    const acks: unknown[] = [];
    const posts: { method: string; args: Record<string, unknown> }[] = [];
    const post = (method: string) => async (args: Record<string, unknown>) => void posts.push({ method, args });
    const client = { chat: { postEphemeral: post('chat.postEphemeral'), postMessage: post('chat.postMessage') } };
    const done = submit({
      ack: async (r?: unknown) => void acks.push(r),
      r: { locale: 'en' } as never,
      client: client as never,
      user: 'U0REP',
      meta: { ch: 'C0GENERAL' },
      blocks: { name: INPUTS.name.block },
      save,
      saved: async () => void posts.push({ method: 'saved', args: {} }),
      deadlineMs: 5,
    });
    return { acks, posts, done };
  };
  const slow =
    <T>(outcome: () => T) =>
    () =>
      new Promise<T>((resolve, reject) =>
        setTimeout(() => {
          try {
            resolve(outcome());
          } catch (e) {
            reject(e);
          }
        }, 40),
      );

  it('closes the modal in time and confirms once saved', async () => {
    const { acks, posts, done } = run(slow(() => 'ok'));
    await done;
    expect(acks).toEqual([undefined]);
    expect(posts.map((p) => p.method)).toEqual(['saved']);
  });

  it('closes the modal in time and tells the person privately when saving then fails', async () => {
    const { acks, posts, done } = run(
      slow(() => {
        throw new BackendError(409, 'email_taken', 'jane@acme.co.jp is already Jane Tanaka’s');
      }),
    );
    await done;
    expect(acks).toEqual([undefined]);
    expect(posts).toMatchObject([
      { method: 'chat.postEphemeral', args: { channel: 'C0GENERAL', user: 'U0REP', text: expect.stringContaining('already Jane Tanaka') } },
    ]);
  });

  it('tells the person, and rethrows for the log, a failure that is not the backend’s answer', async () => {
    const { posts, done } = run(
      slow(() => {
        throw new Error('socket hang up');
      }),
    );
    await expect(done).rejects.toThrow('socket hang up');
    expect(JSON.stringify(posts)).toContain('socket hang up');
  });
});
