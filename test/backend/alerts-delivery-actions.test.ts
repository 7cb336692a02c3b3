import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { insertDeal } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { withSubject } from '../support/alert-subjects.js';

/**
 * An alert's buttons (issue 19): Done, Snooze and Assign to me act on what the
 * alert is about (the follow-up, the deal, the waiting email), as its
 * recipient only (a channel alert: anyone who may see its subject), audited.
 */
describe.each(['pglite', 'postgres'] as const)('acting on an alert on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let contact: string;
  let email: string;
  const NOW = new Date('2026-12-02T10:00:00Z');

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, clock: () => NOW });
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    const asRep = caller(app, a.rep.token);
    contact = (await asRep('POST', '/api/contacts', { name: 'Cora Customer', emails: ['cora@customer.example'] })).body.id;
    email = (
      await asRep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-12-02T09:00:00Z',
        subject: 'Quote?',
        source: 'gmail',
        externalId: '<cora-1@customer.example>',
        participants: [{ role: 'from', email: 'cora@customer.example' }],
      })
    ).body.id;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  /** an alert as a producer writes it: its id (for rule alerts, recipients = []) */
  const alert = async (kindOf: string, key: string, recipients: string[], subject: object) => {
    await t.sql.query(`select crm.alert_emit($1, $2, $3, $4, $5::uuid[], $6::jsonb)`, [
      a.id,
      kindOf,
      key,
      NOW.toISOString(),
      recipients,
      JSON.stringify(await withSubject(t.sql, a.id, kindOf, subject, recipients[0] ?? a.manager.id)),
    ]);
    return (
      await t.sql.query<{ id: string }>(`select id::text from crm.alerts where workspace_id = $1 and dedupe_key like $2 || ':%' order by member_id`, [
        a.id,
        key,
      ])
    ).map((r) => r.id);
  };
  const audit = async (entity: string, action: string) =>
    t.sql.query<{ actor_id: string; after: Record<string, unknown> }>(
      `select actor_member_id::text as actor_id, after from crm.audit_log where workspace_id = $1 and entity_type = $2 and action = $3 order by at desc`,
      [a.id, entity, action],
    );

  it('Done on a follow-up alert completes the follow-up, and nothing more about it goes out', async () => {
    const followUp = (await caller(app, a.rep.token)('POST', '/api/follow-ups', { contactId: contact, dueAt: '2026-12-02T09:00:00Z', note: 'Call back' })).body
      .id;
    const [id] = await alert('follow_up_due', `fu:${followUp}`, [a.rep.id], { contactId: contact, followUpId: followUp });
    await alert('follow_up_overdue', `fu-late:${followUp}`, [a.rep.id], { contactId: contact, followUpId: followUp });
    const res = await caller(app, a.rep.token)('POST', `/api/alerts/${id}/done`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, kind: 'follow_up_due', action: 'done', by: { id: a.rep.id } });
    const [f] = await t.sql.query<{ status: string; completed_by: string }>(`select status, completed_by::text from crm.follow_ups where id = $1`, [followUp]);
    expect(f).toEqual({ status: 'done', completed_by: a.rep.id });
    const [late] = await t.sql.query<{ status: string; skip_reason: string }>(
      `select status, skip_reason from crm.alerts where follow_up_id = $1 and kind = 'follow_up_overdue'`,
      [followUp],
    );
    expect(late).toEqual({ status: 'skipped', skip_reason: 'done' });
    expect((await audit('follow_up', 'complete')).find((r) => r.after.alertId === id)).toMatchObject({ actor_id: a.rep.id });
  });

  it("Done on a waiting email: no answer needed, the manager's escalation is skipped", async () => {
    const [id] = await alert('waiting_reply', `wait:${email}`, [a.rep.id], { contactId: contact, interactionId: email, immediate: true });
    const [esc] = await alert('waiting_reply', `esc:${email}`, [a.manager.id], { contactId: contact, interactionId: email, detail: { escalation: true } });
    expect((await caller(app, a.rep.token)('POST', `/api/alerts/${id}/done`)).status).toBe(200);
    const [ra] = await t.sql.query<{ state: string; member_id: string }>(`select state, member_id::text from crm.reply_assignments where interaction_id = $1`, [
      email,
    ]);
    expect(ra).toEqual({ state: 'done', member_id: a.rep.id });
    const [e] = await t.sql.query<{ status: string }>(`select status from crm.alerts where id = $1`, [esc]);
    expect(e!.status).toBe('skipped');
    expect((await audit('interaction', 'reply_done'))[0]).toMatchObject({ actor_id: a.rep.id });
  });

  it('Snooze: a waiting email alerts again later; a deal is snoozed; a follow-up falls due later', async () => {
    const [id] = await alert('tagged_inbound', `tag:${email}`, [a.rep.id], { contactId: contact, interactionId: email, detail: { tags: ['vip'] } });
    const res = await caller(app, a.rep.token)('POST', `/api/alerts/${id}/snooze`, { minutes: 90 });
    expect(res.body).toMatchObject({ action: 'snoozed', until: expect.stringMatching(/^2026-12-02T11:30:00/) });
    const again = await t.sql.query<{ due_at: Date; immediate: boolean; member_id: string }>(
      `select due_at, immediate, member_id::text from crm.alerts where workspace_id = $1 and kind = 'tagged_inbound' and id <> $2`,
      [a.id, id],
    );
    expect(again.map((r) => [new Date(r.due_at).toISOString(), r.immediate, r.member_id])).toEqual([['2026-12-02T11:30:00.000Z', true, a.rep.id]]);

    const deal = await insertDeal(t.sql, a.id, { owner: a.rep.id, createdBy: a.rep.id, contacts: [contact] });
    const [dealAlert] = await alert('deal_close_passed', `close:${deal}`, [a.rep.id], { dealId: deal, detail: { closeDate: '2026-12-01' } });
    expect((await caller(app, a.rep.token)('POST', `/api/alerts/${dealAlert}/snooze`, { minutes: 10080 })).status).toBe(200);
    const [d] = await t.sql.query<{ snoozed_until: Date }>(`select snoozed_until from crm.deals where id = $1`, [deal]);
    expect(new Date(d!.snoozed_until).toISOString()).toBe('2026-12-09T10:00:00.000Z');

    const followUp = (await caller(app, a.rep.token)('POST', '/api/follow-ups', { contactId: contact, dueAt: '2026-12-02T09:00:00Z' })).body.id;
    const [fuAlert] = await alert('follow_up_overdue', `fu2:${followUp}`, [a.rep.id], { followUpId: followUp });
    await caller(app, a.rep.token)('POST', `/api/alerts/${fuAlert}/snooze`, { minutes: 15 });
    const [f] = await t.sql.query<{ due_at: Date }>(`select due_at from crm.follow_ups where id = $1`, [followUp]);
    expect(new Date(f!.due_at).toISOString()).toBe('2026-12-02T10:15:00.000Z');
  });

  it("Done on an acknowledged alert drops the recipient's snoozed copy, not a colleague's alert of the same cause", async () => {
    const detail = { what: 'mailbox', address: 'shared@x.example', error: 'revoked' };
    await alert('capture_failed', 'cap:shared', [a.rep.id, a.manager.id], { detail });
    const byMember = async (m: string) =>
      (await t.sql.query<{ id: string }>(`select id::text from crm.alerts where dedupe_key = $1`, [`cap:shared:m:${m}`]))[0]!.id;
    const repAlert = await byMember(a.rep.id);
    await t.sql.query(`update crm.alerts set status = 'sent' where id = $1`, [repAlert]);
    expect((await caller(app, a.rep.token)('POST', `/api/alerts/${repAlert}/snooze`, { minutes: 60 })).status).toBe(200);
    expect((await caller(app, a.rep.token)('POST', `/api/alerts/${repAlert}/done`)).status).toBe(200);
    const rows = await t.sql.query<{ member_id: string; status: string; skip_reason: string | null }>(
      `select member_id::text, status, skip_reason from crm.alerts where workspace_id = $1 and kind = 'capture_failed' and dedupe_key like 'cap:shared:%' and id <> $2
       order by member_id = $3 desc`,
      [a.id, repAlert, a.rep.id],
    );
    expect(rows).toEqual([
      { member_id: a.rep.id, status: 'skipped', skip_reason: 'done' },
      { member_id: a.manager.id, status: 'pending', skip_reason: null },
    ]);
  });

  it('Assign to me: the caller is on the email, owns the deal, owns the follow-up; a capture alert has nothing to take', async () => {
    const [rule] = await t.sql.query<{ id: string }>(
      `insert into crm.alert_rules (workspace_id, channel_id, kinds, created_by) values ($1, 'C0TEAM001', '{waiting_reply,deal_stage_changed}', $2) returning id::text`,
      [a.id, a.manager.id],
    );
    // a channel's alert: anyone who may see its subject may take it
    await alert('waiting_reply', `chan:${email}`, [], { contactId: contact, interactionId: email });
    const [channelAlert] = await t.sql.query<{ id: string }>(`select id::text from crm.alerts where rule_id = $1`, [rule!.id]);
    expect((await caller(app, a.rep2.token)('POST', `/api/alerts/${channelAlert!.id}/assign`)).status).toBe(200);
    const [ra] = await t.sql.query<{ state: string; member_id: string }>(`select state, member_id::text from crm.reply_assignments where interaction_id = $1`, [
      email,
    ]);
    expect(ra).toEqual({ state: 'assigned', member_id: a.rep2.id });

    const deal = await insertDeal(t.sql, a.id, { owner: a.rep.id, createdBy: a.rep.id, contacts: [contact] });
    await alert('deal_stage_changed', `stage:${deal}`, [], { dealId: deal, detail: { fromStage: 'lead', toStage: 'proposal' } });
    const [dealAlert] = await t.sql.query<{ id: string }>(`select id::text from crm.alerts where rule_id = $1 and deal_id = $2`, [rule!.id, deal]);
    expect((await caller(app, a.rep2.token)('POST', `/api/alerts/${dealAlert!.id}/assign`)).status).toBe(200);
    const [d] = await t.sql.query<{ owner_id: string }>(`select owner_id::text from crm.deals where id = $1`, [deal]);
    expect(d!.owner_id).toBe(a.rep2.id);
    expect((await audit('deal', 'update')).find((r) => r.after.alertId === dealAlert!.id)).toMatchObject({ actor_id: a.rep2.id });

    const [capture] = await alert('capture_failed', 'cap:1', [a.rep.id], { detail: { what: 'mailbox', address: 'rep@x.example', error: 'revoked' } });
    const refused = await caller(app, a.rep.token)('POST', `/api/alerts/${capture}/assign`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'alert_not_assignable']);
  });

  it("refuses another member's DM alert (403), another workspace's (404), and a channel alert about a private email to others than its author", async () => {
    const [mine] = await alert('deal_won', 'won:x', [a.rep.id], {});
    expect((await caller(app, a.rep2.token)('POST', `/api/alerts/${mine}/done`)).status).toBe(403);
    expect((await caller(app, a.admin.token)('POST', `/api/alerts/${mine}/done`)).status).toBe(403);
    const other = await caller(app, b.rep.token)('POST', `/api/alerts/${mine}/done`);
    expect([other.status, other.body.error.code]).toEqual([404, 'alert_not_found']);

    const secret = (
      await caller(app, a.rep.token)('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-12-02T09:30:00Z',
        subject: 'Private',
        source: 'gmail',
        externalId: '<cora-private@customer.example>',
        visibility: 'private',
        participants: [{ role: 'from', email: 'cora@customer.example' }],
      })
    ).body.id;
    await t.sql.query(`insert into crm.alert_rules (workspace_id, channel_id, kinds, created_by) values ($1, 'C0TEAM002', '{tagged_inbound}', $2)`, [
      a.id,
      a.manager.id,
    ]);
    await alert('tagged_inbound', `tag-private:${secret}`, [], { contactId: contact, interactionId: secret });
    const [channelAlert] = await t.sql.query<{ id: string }>(`select id::text from crm.alerts where interaction_id = $1 and rule_id is not null`, [secret]);
    expect((await caller(app, a.rep2.token)('POST', `/api/alerts/${channelAlert!.id}/done`)).status).toBe(403);
    expect((await caller(app, a.rep.token)('POST', `/api/alerts/${channelAlert!.id}/done`)).status).toBe(200);
  });
});
