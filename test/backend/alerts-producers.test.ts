import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';

/**
 * Alerts from captured messages (issue 19): an inbound email or Slack
 * message from a contact writes waiting_reply alerts for the owner (the
 * first of a thread at once) and, at twice the window, the owner's manager,
 * whatever the capture path; historic mail writes none; and at due time an
 * answer by anyone in the team, "Done", or a deleted message ends them.
 */
describe.each(['pglite', 'postgres'] as const)('alerts from captures on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  let jane: string;
  let orphan: string;
  const iso = (v: unknown) => new Date(v as string).toISOString();
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  interface AlertRow {
    id: string;
    kind: string;
    member_id: string | null;
    immediate: boolean;
    due_at: string;
    status: string;
    interaction_id: string;
    thread_key: string | null;
    detail: Record<string, unknown>;
  }
  const alertsOf = (interactionId: string) =>
    t.sql.query<AlertRow>(`select * from crm.alerts where workspace_id = $1 and interaction_id = $2 order by kind, due_at, member_id`, [a.id, interactionId]);
  const relevant = async (alertId: string) =>
    (await t.sql.query<{ v: string | null }>(`select crm.alert_relevant(a) as v from crm.alerts a where a.id = $1`, [alertId]))[0]!.v;

  const contact = async (name: string, email: string, owner: string | null) => {
    const [c] = await t.sql.query<{ id: string }>(`insert into crm.contacts (workspace_id, name, owner_id, source) values ($1, $2, $3, 'api') returning id`, [
      a.id,
      name,
      owner,
    ]);
    await t.sql.query('insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, true)', [a.id, c!.id, email]);
    return c!.id;
  };
  const ctx = (memberId: string) => ({ workspaceId: a.id, memberId, source: 'gmail' });
  const email = (id: string, from: string, to: string[], o: { at?: string; thread?: string; source?: string; direction?: string } = {}) => ({
    kind: 'email',
    source: o.source ?? 'gmail',
    externalId: `<${id}@mail.example>`,
    occurredAt: o.at ?? minutesAgo(5),
    subject: `About ${id}`,
    body: 'Hello',
    threadKey: `email-thread:${o.thread ?? id}`,
    ...(o.direction ? { direction: o.direction } : {}),
    participants: [{ role: 'from', email: from }, ...to.map((e) => ({ role: 'to', email: e }))],
  });
  const capture = async (memberId: string, args: object) =>
    (await t.db.call<{ interaction: { id: string } }>('interaction_capture', ctx(memberId) as never, args)).interaction.id;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    a = await makeWorkspace(t.sql, t.db);
    // a reply window of one working hour; every day a working day, all day, so the arithmetic is plain;
    // in a zone where it is now about noon, so that the hours these tests span never cross the
    // minute between 23:59 and 00:00 that a 00:00-23:59 day leaves out (it failed at 00:03 UTC)
    const offset = 12 - new Date().getUTCHours();
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    await t.sql.query(`update crm.workspaces set alert_reply_minutes = 60 where id = $1`, [a.id]);
    await t.sql.query(`update crm.members set work_start = '00:00', work_end = '23:59', work_days = '{1,2,3,4,5,6,7}', timezone = $2 where workspace_id = $1`, [
      a.id,
      zone,
    ]);
    jane = await contact('Jane Buyer', 'jane@acme.example', a.rep.id);
    orphan = await contact('Oscar Nobody', 'oscar@acme.example', null);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('alerts the owner after the window and their manager after twice the window, the first of a thread at once', async () => {
    const at = minutesAgo(5);
    const first = await capture(a.rep2.id, email('t1-a', 'jane@acme.example', [a.rep2.email], { at, thread: 't1' }));
    const rows = await alertsOf(first);
    expect(rows.map((r) => [r.kind, r.member_id, r.immediate, r.detail.escalation])).toEqual([
      ['waiting_reply', a.rep.id, true, false],
      ['waiting_reply', a.manager.id, true, true],
    ]);
    expect(iso(rows[0]!.due_at)).toBe(new Date(Date.parse(at) + 60 * 60_000).toISOString());
    expect(iso(rows[1]!.due_at)).toBe(new Date(Date.parse(at) + 120 * 60_000).toISOString());
    expect(rows[0]!.detail).toEqual({ escalation: false, windowMinutes: 60 });
    expect(rows[0]!.thread_key).toBe('email-thread:t1');

    // a second message in the thread is batched; the same message again alerts nobody again
    const second = await capture(a.rep2.id, email('t1-b', 'jane@acme.example', [a.rep2.email], { thread: 't1' }));
    expect((await alertsOf(second)).map((r) => r.immediate)).toEqual([false, false]);
    await capture(a.rep.id, email('t1-b', 'jane@acme.example', [a.rep2.email], { thread: 't1' }));
    expect(await alertsOf(second)).toHaveLength(2);
    expect(await relevant(rows[0]!.id)).toBeNull();
  });

  it('tells the colleagues it was addressed to when the contact has no owner', async () => {
    const id = await capture(a.rep2.id, email('orphan-1', 'oscar@acme.example', [a.rep2.email]));
    expect((await alertsOf(id)).map((r) => [r.member_id, r.detail.escalation])).toEqual([
      [a.rep2.id, false],
      [a.manager.id, true],
    ]);
    expect(orphan).toBeTruthy();
  });

  it('writes nothing for imported or old mail, outbound mail, or a member who turned the kind off', async () => {
    const imported = await capture(a.rep.id, email('imp-1', 'jane@acme.example', [a.rep.email], { source: 'import' }));
    const old = await capture(a.rep.id, email('old-1', 'jane@acme.example', [a.rep.email], { at: minutesAgo(3 * 24 * 60) }));
    const outbound = await capture(a.rep.id, email('out-1', a.rep.email, ['jane@acme.example']));
    for (const id of [imported, old, outbound]) expect(await alertsOf(id)).toEqual([]);

    await t.sql.query(`update crm.members set alert_prefs = '{"waiting_reply": "off"}' where id = $1`, [a.manager.id]);
    const quiet = await capture(a.rep.id, email('quiet-1', 'jane@acme.example', [a.rep.email]));
    expect((await alertsOf(quiet)).map((r) => r.member_id)).toEqual([a.rep.id]);
    await t.sql.query(`update crm.members set alert_prefs = '{}' where id = $1`, [a.manager.id]);
  });

  it('alerts from the batched capture path as from the single one', async () => {
    const items = ['b-1', 'b-2', 'b-3'].map((id, n) => ({
      ctx: ctx(a.rep2.id),
      args: email(id, 'jane@acme.example', [a.rep2.email], { thread: 'batch', at: minutesAgo(10 - n) }),
    }));
    const res = await t.db.callAnonymous<{ results: { interaction: { id: string } }[] }>('interaction_capture_many', { items });
    const ids = res.results.map((r) => r.interaction.id);
    const rows = (await Promise.all(ids.map(alertsOf))).map((rs) => rs.map((r) => [r.member_id, r.immediate]));
    // one thread: only its first message goes at once, for each member
    expect(rows).toEqual([
      [
        [a.rep.id, true],
        [a.manager.id, true],
      ],
      [
        [a.rep.id, false],
        [a.manager.id, false],
      ],
      [
        [a.rep.id, false],
        [a.manager.id, false],
      ],
    ]);
  });

  it('skips at due time what was answered by anyone, marked done, or deleted', async () => {
    await contact('Ann Answered', 'ann@acme.example', a.rep.id);
    const callMe = await contact('Carl Called', 'carl@acme.example', null);
    // answered by a colleague's email to the contact
    const q1 = await capture(a.rep.id, email('ans-1', 'ann@acme.example', [a.rep.email], { at: minutesAgo(30), thread: 'ans-1' }));
    const [r1] = await alertsOf(q1);
    expect(await relevant(r1!.id)).toBeNull();
    await capture(a.rep2.id, email('ans-1-reply', a.rep2.email, ['ann@acme.example'], { at: minutesAgo(20), thread: 'ans-1' }));
    expect(await relevant(r1!.id)).toBe('answered');

    // answered by a logged call
    const q2 = await capture(a.rep.id, email('ans-2', 'carl@acme.example', [a.rep.email], { at: minutesAgo(30) }));
    const [r2] = await alertsOf(q2);
    expect(await relevant(r2!.id)).toBeNull();
    await t.db.call('interaction_capture', { workspaceId: a.id, memberId: a.rep.id, source: 'api' } as never, {
      kind: 'call',
      source: 'api',
      externalId: 'call-ans-2',
      occurredAt: minutesAgo(10),
      participants: [{ role: 'about', contactId: callMe }],
    });
    expect(await relevant(r2!.id)).toBe('answered');

    // "Done" on it
    const q3 = await capture(a.rep.id, email('done-1', 'jane@acme.example', [a.rep.email], { at: minutesAgo(15) }));
    const [r3] = await alertsOf(q3);
    await t.sql.query(`insert into crm.reply_assignments (workspace_id, interaction_id, member_id, state) values ($1, $2, $3, 'done')`, [a.id, q3, a.rep.id]);
    expect(await relevant(r3!.id)).toBe('done');

    // the message deleted
    const q4 = await capture(a.rep.id, email('del-1', 'jane@acme.example', [a.rep.email], { at: minutesAgo(15) }));
    const [r4] = await alertsOf(q4);
    await t.sql.query(`update crm.interactions set deleted_at = now() where id = $1`, [q4]);
    expect(await relevant(r4!.id)).toBe('gone');
  });

  it('alerts the owner about a tagged contact and the rules whose tag matches', async () => {
    await t.sql.query(`update crm.contacts set tags = '{vip,apac}' where id = $1`, [jane]);
    const [rule] = await t.sql.query<{ id: string }>(
      `insert into crm.alert_rules (workspace_id, channel_id, kinds, tag, created_by) values ($1, 'C0ALERTS1', '{tagged_inbound,waiting_reply}', 'apac', $2) returning id`,
      [a.id, a.manager.id],
    );
    const id = await capture(a.rep.id, email('vip-1', 'jane@acme.example', [a.rep.email]));
    const rows = await t.sql.query<{ kind: string; member_id: string | null; rule_id: string | null; detail: { tags?: string[] } }>(
      `select kind, member_id, rule_id, detail from crm.alerts where interaction_id = $1 and (kind = 'tagged_inbound' or rule_id is not null) order by kind, rule_id nulls first`,
      [id],
    );
    expect(rows).toEqual([
      { kind: 'tagged_inbound', member_id: a.rep.id, rule_id: null, detail: { tags: ['vip'] } },
      { kind: 'tagged_inbound', member_id: null, rule_id: rule!.id, detail: { tags: ['apac', 'vip'] } },
      { kind: 'waiting_reply', member_id: null, rule_id: rule!.id, detail: { escalation: false, windowMinutes: 60 } },
    ]);
    await t.sql.query(`update crm.contacts set tags = '{}' where id = $1`, [jane]);
    await t.sql.query(`delete from crm.alert_rules where id = $1`, [rule!.id]);
  });

  it('lets only the author hear about a private capture the owner may not see', async () => {
    const id = await capture(a.rep2.id, { ...email('priv-1', 'jane@acme.example', [a.rep2.email]), visibility: 'private' });
    // the owner (rep) may not see rep2's private mail: rep2, to whom it was addressed, hears; no channel does
    expect((await alertsOf(id)).filter((r) => !r.detail.escalation).map((r) => r.member_id)).toEqual([a.rep2.id]);
  });
});
