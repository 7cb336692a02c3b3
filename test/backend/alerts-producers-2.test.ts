import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';

/**
 * Alerts from follow-ups, deals and capture failures (issue 19): written in
 * the change's own transaction for the owner (never the member who made the
 * change, for deal events), the admins or the channel rules; skipped at due
 * time when rescheduled, closed or recovered.
 */
describe.each(['pglite', 'postgres'] as const)('alerts from follow-ups, deals and failures on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  let jane: string;
  const iso = (v: unknown) => new Date(v as string).toISOString();
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000);
  const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

  interface AlertRow {
    id: string;
    kind: string;
    member_id: string | null;
    rule_id: string | null;
    due_at: string;
    actor_id: string | null;
    detail: Record<string, unknown>;
  }
  const alerts = (where: string, params: unknown[]) =>
    t.sql.query<AlertRow>(`select * from crm.alerts where workspace_id = $1 and ${where} order by kind, due_at, member_id, rule_id`, [a.id, ...params]);
  const relevant = async (alertId: string) =>
    (await t.sql.query<{ v: string | null }>(`select crm.alert_relevant(a) as v from crm.alerts a where a.id = $1`, [alertId]))[0]!.v;
  const ctx = (memberId: string) => ({ workspaceId: a.id, memberId, source: 'api' });

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    a = await makeWorkspace(t.sql, t.db);
    // every moment a working one, so due times are what the producers chose
    await t.sql.query(`update crm.members set work_start = '00:00', work_end = '23:59', work_days = '{1,2,3,4,5,6,7}' where workspace_id = $1`, [a.id]);
    await t.sql.query(`update crm.members set timezone = 'Asia/Tokyo' where id = $1`, [a.rep.id]);
    const [c] = await t.sql.query<{ id: string }>(
      `insert into crm.contacts (workspace_id, name, owner_id, source) values ($1, 'Jane Buyer', $2, 'api') returning id`,
      [a.id, a.rep.id],
    );
    jane = c!.id;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('alerts a follow-up due at its minute and overdue at the start of the owner’s next day, once', async () => {
    const due = new Date(Date.now() + 3 * 3_600_000);
    due.setUTCSeconds(0, 0);
    const f = await t.db.call<{ id: string }>('follow_up_create', ctx(a.rep2.id) as never, {
      contactId: jane,
      dueAt: due.toISOString(),
      ownerEmail: a.rep.email,
    });
    const rows = await alerts('follow_up_id = $2', [f.id]);
    expect(rows.map((r) => [r.kind, r.member_id])).toEqual([
      ['follow_up_due', a.rep.id],
      ['follow_up_overdue', a.rep.id],
    ]);
    expect(iso(rows[0]!.due_at)).toBe(due.toISOString());
    // the owner is in Tokyo: midnight there after the due date
    const tokyoDate = new Date(due.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    const nextMidnight = new Date(Date.parse(`${tokyoDate}T00:00:00+09:00`) + 86_400_000).toISOString();
    expect(iso(rows[1]!.due_at)).toBe(nextMidnight);
    expect(await relevant(rows[0]!.id)).toBeNull();

    // rescheduled: new alerts, the old ones skipped when due
    const later = new Date(due.getTime() + 86_400_000);
    await t.db.call('follow_up_update', ctx(a.rep.id) as never, { id: f.id, patch: { dueAt: later.toISOString() } });
    const after = await alerts('follow_up_id = $2', [f.id]);
    expect(after).toHaveLength(4);
    expect(await relevant(rows[0]!.id)).toBe('rescheduled');
    const fresh = after.find((r) => r.kind === 'follow_up_due' && iso(r.due_at) === later.toISOString())!;
    expect(await relevant(fresh.id)).toBeNull();
    // done: everything about it is skipped
    await t.db.call('follow_up_update', ctx(a.rep.id) as never, { id: f.id, patch: { status: 'done' } });
    expect(await relevant(fresh.id)).toBe('closed');
    expect(await alerts('follow_up_id = $2', [f.id])).toHaveLength(4);
  });

  it('alerts the owner of a deal created, moved, won or lost by someone else, and not of their own changes', async () => {
    const close = dateOnly(inDays(3));
    const d = await t.db.call<{ id: string }>('deal_create', ctx(a.rep2.id) as never, { name: 'Acme renewal', ownerId: a.rep.id, closeDate: close });
    await t.db.call('deal_update', ctx(a.rep2.id) as never, { id: d.id, patch: { stage: 'proposal' } });
    // the owner's own move alerts nobody
    await t.db.call('deal_update', ctx(a.rep.id) as never, { id: d.id, patch: { stage: 'negotiation' } });
    await t.db.call('deal_update', ctx(a.manager.id) as never, { id: d.id, patch: { status: 'won', reason: 'Best price' } });
    const rows = await alerts(`deal_id = $2 and kind <> 'deal_close_passed'`, [d.id]);
    expect(rows.map((r) => [r.kind, r.member_id, r.actor_id, r.detail])).toEqual([
      ['deal_created', a.rep.id, a.rep2.id, { stage: 'qualified' }],
      ['deal_stage_changed', a.rep.id, a.rep2.id, { fromStage: 'qualified', toStage: 'proposal' }],
      ['deal_won', a.rep.id, a.manager.id, { stage: 'negotiation', reason: 'Best price' }],
    ]);
    // their own deal: no "created"
    const mine = await t.db.call<{ id: string }>('deal_create', ctx(a.rep.id) as never, { name: 'Own deal' });
    expect(await alerts('deal_id = $2', [mine.id])).toEqual([]);
  });

  it('alerts a passed close date at the start of the owner’s next day, skipped once the date moves or the deal closes', async () => {
    const close = inDays(2);
    const d = await t.db.call<{ id: string }>('deal_create', ctx(a.rep.id) as never, { name: 'Closing soon', closeDate: dateOnly(close) });
    const [first] = await alerts(`deal_id = $2 and kind = 'deal_close_passed'`, [d.id]);
    // the rep is in Tokyo: midnight there after the close date
    expect(iso(first!.due_at)).toBe(new Date(Date.parse(`${dateOnly(close)}T00:00:00+09:00`) + 86_400_000).toISOString());
    expect(first!.detail).toEqual({ closeDate: dateOnly(close) });
    expect(await relevant(first!.id)).toBeNull();
    await t.db.call('deal_update', ctx(a.rep.id) as never, { id: d.id, patch: { closeDate: dateOnly(inDays(9)) } });
    expect(await relevant(first!.id)).toBe('rescheduled');
    const moved = (await alerts(`deal_id = $2 and kind = 'deal_close_passed'`, [d.id])).find((r) => r.id !== first!.id)!;
    expect(moved.detail).toEqual({ closeDate: dateOnly(inDays(9)) });
    await t.db.call('deal_update', ctx(a.rep.id) as never, { id: d.id, patch: { status: 'lost' } });
    expect(await relevant(moved.id)).toBe('closed');
  });

  it('sends deal events to the channel rules whose stage and owner match', async () => {
    const [rule] = await t.sql.query<{ id: string }>(
      `insert into crm.alert_rules (workspace_id, channel_id, kinds, owner_id, stage, created_by) values ($1, 'C0DEALS01', '{deal_stage_changed}', $2, 'commit', $3) returning id`,
      [a.id, a.rep.id, a.manager.id],
    );
    const d = await t.db.call<{ id: string }>('deal_create', ctx(a.rep.id) as never, { name: 'Rule deal' });
    await t.db.call('deal_update', ctx(a.rep.id) as never, { id: d.id, patch: { stage: 'proposal' } });
    await t.db.call('deal_update', ctx(a.rep.id) as never, { id: d.id, patch: { stage: 'commit' } });
    const rows = await alerts(`deal_id = $2`, [d.id]);
    // the owner made both moves (no DM); the rule hears the one into its stage
    expect(rows.map((r) => [r.kind, r.rule_id, r.detail])).toEqual([['deal_stage_changed', rule!.id, { fromStage: 'proposal', toStage: 'commit' }]]);
  });

  it('tells the linker and the admins when a channel stops capturing, once per failure', async () => {
    const [link] = await t.sql.query<{ id: string }>(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, contact_id, linked_by) values ($1, 'T0TEAM01', 'C0CUST01', 'acme-shared', $2, $3) returning id`,
      [a.id, jane, a.rep.id],
    );
    const fail = () => t.db.callAnonymous('slack_channel_failed', { teamId: 'T0TEAM01', channelId: 'C0CUST01', error: 'not_in_channel' });
    await fail();
    await fail();
    const rows = await alerts(`kind = 'capture_failed' and detail ->> 'channelId' = 'C0CUST01'`, []);
    expect(rows.map((r) => r.member_id).sort()).toEqual([a.rep.id, a.admin.id].sort());
    expect(rows[0]!.detail).toEqual({ what: 'channel', channelId: 'C0CUST01', channelName: 'acme-shared', error: 'not_in_channel' });
    expect(await relevant(rows[0]!.id)).toBeNull();
    await t.sql.query(`update crm.slack_channel_links set last_error = null, last_error_at = null where id = $1`, [link!.id]);
    expect(await relevant(rows[0]!.id)).toBe('recovered');
  });

  it('tells the admins of a mailbox to reconnect (its member has the reconnect DM), and its member too when it failed', async () => {
    const box = async (member: string, address: string) =>
      (
        await t.sql.query<{ id: string }>(`insert into crm.mailboxes (workspace_id, member_id, address, status) values ($1, $2, $3, 'active') returning id`, [
          a.id,
          member,
          address,
        ])
      )[0]!.id;
    const b1 = await box(a.rep2.id, a.rep2.email);
    const b2 = await box(a.manager.id, a.manager.email);
    await t.sql.query(`update crm.mailboxes set status = 'reconnect', last_error = 'invalid_grant', last_error_at = now() where id = $1`, [b1]);
    await t.sql.query(`update crm.mailboxes set status = 'failed', last_error = 'http_500', last_error_at = now() where id = $1`, [b2]);
    const of = (address: string) => alerts(`kind = 'capture_failed' and detail ->> 'address' = $2`, [address]);
    expect((await of(a.rep2.email)).map((r) => r.member_id)).toEqual([a.admin.id]);
    expect((await of(a.manager.email)).map((r) => r.member_id).sort()).toEqual([a.manager.id, a.admin.id].sort());
    const [alert] = await of(a.rep2.email);
    expect(alert!.detail).toEqual({ what: 'mailbox', address: a.rep2.email, error: 'invalid_grant' });
    await t.sql.query(`update crm.mailboxes set status = 'active' where id = $1`, [b1]);
    expect(await relevant(alert!.id)).toBe('recovered');
  });
});
