import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { withSubject } from '../support/alert-subjects.js';

/**
 * Alerts reach Slack batched (issue 19): POST /api/slack/alerts/claim folds
 * the due alerts of a stream into one message, holds a channel rule's stream
 * 5 minutes and a member's DMs of one kind 10 (what comes in between is ONE
 * further message), lets the first waiting-for-reply alert of a thread
 * through at once, waits for the member's working hours, and leases each
 * message to one worker; /finish says how it went.
 */
const SECRET = `alert-service-secret-${'x'.repeat(24)}`;
const SERVICE = { authorization: `Rapport-Service ${SECRET}` };
const T0 = Date.parse('2026-12-02T10:00:00Z'); // a Wednesday, inside 08:00-20:00 UTC
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

type Claimed = { id: string; workspaceId: string; attempts: number; total: number; recipient: Record<string, string>; items: Record<string, any>[] };

describe.each(['pglite', 'postgres'] as const)('alert delivery on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let now = at(0);
  const service = () => caller(app, undefined, SERVICE);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, serviceSecret: SECRET, clock: () => now });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const claim = async (when: Date, ws: TestWorkspace, workerId = 'w1'): Promise<Claimed[]> => {
    now = when;
    const res = await service()('POST', '/api/slack/alerts/claim', { workerId, limit: 500 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.claimed as Claimed[]).filter((d) => d.workspaceId === ws.id);
  };
  const finish = async (when: Date, body: object) => {
    now = when;
    const res = await service()('POST', '/api/slack/alerts/finish', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const emit = async (ws: TestWorkspace, kindOf: string, key: string, due: Date, recipients: string[], subject: object = {}) =>
    t.sql.query(`select crm.alert_emit($1, $2, $3, $4, $5::uuid[], $6::jsonb)`, [
      ws.id,
      kindOf,
      key,
      due.toISOString(),
      recipients,
      JSON.stringify(await withSubject(t.sql, ws.id, kindOf, subject, recipients[0] ?? ws.manager.id)),
    ]);
  const rule = async (ws: TestWorkspace, kinds: string[]) =>
    (
      await t.sql.query<{ id: string }>(
        `insert into crm.alert_rules (workspace_id, channel_id, channel_name, kinds, created_by) values ($1, 'C0SALES1', 'sales', $2, $3) returning id::text`,
        [ws.id, kinds, ws.manager.id],
      )
    )[0]!.id;
  const statuses = async (ws: TestWorkspace) =>
    (
      await t.sql.query<{ status: string; n: number }>(`select status, count(*)::int as n from crm.alerts where workspace_id = $1 group by 1 order by 1`, [
        ws.id,
      ])
    ).map((r) => `${r.status}:${r.n}`);

  it("sends a channel rule's first alert at once and folds what follows within 5 minutes into ONE further message", async () => {
    const a = await makeWorkspace(t.sql, t.db);
    await rule(a, ['deal_created']);
    await emit(a, 'deal_created', 'deal:1', at(0), [], { detail: { reason: 'r1' } });
    const first = await claim(at(0), a);
    expect(first.map((d) => [d.total, d.recipient.type, d.recipient.channelId])).toEqual([[1, 'rule', 'C0SALES1']]);
    await finish(at(0), { id: first[0]!.id, workerId: 'w1', outcome: 'sent', channel: 'C0SALES1', ts: '1.1' });
    for (const n of [2, 3, 4]) await emit(a, 'deal_created', `deal:${n}`, at(n - 1), [], { detail: { reason: `r${n}` } });
    // held: nothing goes before the window ends
    expect(await claim(at(3), a)).toEqual([]);
    expect(await claim(at(4.9), a)).toEqual([]);
    const second = await claim(at(5), a);
    expect(second.map((d) => d.total)).toEqual([3]);
    expect(second[0]!.items.map((i) => i.detail.reason)).toEqual(['r2', 'r3', 'r4']);
    await finish(at(5), { id: second[0]!.id, workerId: 'w1', outcome: 'sent', channel: 'C0SALES1', ts: '1.2' });
    expect(await statuses(a)).toEqual(['sent:4']);
    // nothing is claimed twice
    expect(await claim(at(20), a)).toEqual([]);
  });

  it('sends a member at most one DM of a kind per 10 minutes, except the first waiting alert of a thread', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    await emit(a, 'waiting_reply', 'w:1', at(0), [a.rep.id], { threadKey: 't1', immediate: true });
    expect((await claim(at(0), a)).map((d) => d.total)).toEqual([1]);
    const [d1] = await t.sql.query<{ id: string }>(`select id::text from crm.alert_deliveries where workspace_id = $1`, [a.id]);
    await finish(at(0), { id: d1!.id, workerId: 'w1', outcome: 'sent' });
    await emit(a, 'waiting_reply', 'w:2', at(1), [a.rep.id], { threadKey: 't1' });
    await emit(a, 'waiting_reply', 'w:3', at(2), [a.rep.id], { threadKey: 't1' });
    // a new thread's first alert does not wait
    await emit(a, 'waiting_reply', 'w:4', at(3), [a.rep.id], { threadKey: 't2', immediate: true });
    const during = await claim(at(3), a);
    expect(during.map((d) => d.total)).toEqual([1]);
    await finish(at(3), { id: during[0]!.id, workerId: 'w1', outcome: 'sent' });
    expect(await claim(at(9), a)).toEqual([]);
    const after = await claim(at(10), a);
    expect(after.map((d) => [d.total, d.recipient.slackUserId])).toEqual([[2, expect.stringMatching(/^U/)]]);
    // another kind is another stream
    await emit(a, 'follow_up_due', 'f:1', at(10), [a.rep.id]);
    expect((await claim(at(10), a)).map((d) => d.items[0]!.kind)).toEqual(['follow_up_due']);
  });

  it('sends a burst of new threads as one DM, which takes in what comes while Slack makes it wait, but never a DM being sent', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    const sec = (s: number) => new Date(T0 + s * 1000);
    const waiting = (n: number, s: number) => emit(a, 'waiting_reply', `w:${n}`, sec(s), [a.rep.id], { threadKey: `t${n}`, immediate: true });
    await waiting(1, 0);
    const [first] = await claim(sec(0), a);
    await finish(sec(0), { id: first!.id, workerId: 'w1', outcome: 'sent' });
    // the stream is held now; three new threads at once: one message
    for (const n of [2, 3, 4]) await waiting(n, 1);
    const burst = await claim(sec(1), a);
    expect(burst.map((d) => d.total)).toEqual([3]);
    // Slack refused it (429, retry after 1 s): nothing was posted, so a new thread meanwhile joins it
    await finish(sec(1), { id: burst[0]!.id, workerId: 'w1', outcome: 'retry', retryAfterSeconds: 1, error: 'Slack: ratelimited' });
    await waiting(5, 1.5);
    expect(await claim(sec(1.5), a)).toEqual([]);
    const again = await claim(sec(2), a);
    expect(again.map((d) => [d.id, d.total, d.attempts])).toEqual([[burst[0]!.id, 4, 1]]);
    // while a worker holds it (it may be posting it), a new thread is a message of its own
    await waiting(6, 2.5);
    const other = await claim(sec(2.5), a, 'w2');
    expect(other.map((d) => d.total)).toEqual([1]);
    expect(other[0]!.id).not.toBe(again[0]!.id);
    await finish(sec(3), { id: again[0]!.id, workerId: 'w1', outcome: 'sent' });
    expect(await statuses(a)).toEqual(['pending:1', 'sent:5']);
    // a message tried and failed (it may have been posted) is not joined either
    await finish(sec(3), { id: other[0]!.id, workerId: 'w2', outcome: 'retry', error: 'Slack: HTTP 500' });
    await waiting(7, 3.5);
    const later = await claim(sec(65), a);
    expect(later.map((d) => [d.total, d.attempts]).sort()).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it("waits for the member's working hours: a claim at night sends nothing", async () => {
    const a = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`update crm.members set timezone = 'Asia/Tokyo', work_start = '09:00', work_end = '18:00' where id = $1`, [a.rep.id]);
    // 19:00 UTC is 04:00 Thursday in Tokyo: due at 09:00 Tokyo = 00:00 UTC
    const night = new Date('2026-12-02T19:00:00Z');
    await emit(a, 'follow_up_due', 'f:night', night, [a.rep.id]);
    expect(await claim(night, a)).toEqual([]);
    expect(await claim(new Date('2026-12-02T23:59:00Z'), a)).toEqual([]);
    const morning = await claim(new Date('2026-12-03T00:00:00Z'), a);
    expect(morning.map((d) => [d.total, d.recipient.timezone])).toEqual([[1, 'Asia/Tokyo']]);
  });

  it('leases a message to one worker: concurrent claims never share one, an expired lease is taken over', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    for (let i = 0; i < 12; i++) {
      const who = [a.rep.id, a.rep2.id, a.manager.id][i % 3]!;
      await emit(a, ['follow_up_due', 'deal_won', 'deal_lost', 'capture_failed'][i % 4]!, `c:${i}`, at(0), [who]);
    }
    const [x, y] = await Promise.all([claim(at(0), a, 'wA'), claim(at(0), a, 'wB')]);
    const ids = [...x!, ...y!].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    // every alert is in exactly one message
    expect([...x!, ...y!].reduce((n, d) => n + d.total, 0)).toBe(12);
    const folded = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.alerts where workspace_id = $1 and delivery_id is not null`, [a.id]);
    expect(folded[0]!.n).toBe(12);
    // held: nobody else gets them within the lease; after it, the next claim does, as a second attempt
    expect(await claim(at(0.5), a, 'wC')).toEqual([]);
    const again = await claim(at(2), a, 'wC');
    expect(again).toHaveLength(ids.length);
    expect(again.every((d) => d.attempts === 2)).toBe(true);
    // the first worker's finish comes too late: it holds nothing
    expect((await finish(at(2), { id: again[0]!.id, workerId: 'wA', outcome: 'sent' })).held).toBe(false);
    expect((await finish(at(2), { id: again[0]!.id, workerId: 'wC', outcome: 'sent' })).held).toBe(true);
  });

  it('retries after Slack’s Retry-After without counting it, fails after 5 attempts, and stops a rule whose channel became shared', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    await emit(a, 'deal_won', 'won:1', at(0), [a.rep.id]);
    let [d] = await claim(at(0), a);
    await finish(at(0), { id: d!.id, workerId: 'w1', outcome: 'retry', retryAfterSeconds: 30, error: 'ratelimited' });
    expect(await claim(at(0.4), a)).toEqual([]);
    [d] = await claim(at(0.5), a);
    expect(d!.attempts).toBe(1);
    for (let i = 1; i <= 5; i++) {
      const body = await finish(at(i), { id: d!.id, workerId: 'w1', outcome: 'retry', error: 'boom' });
      expect(body.status).toBe(i < 5 ? 'pending' : 'failed');
      if (i < 5) [d] = await claim(at(i + 1), a);
    }
    expect(await statuses(a)).toEqual(['failed:1']);

    const rid = await rule(a, ['deal_lost']);
    await emit(a, 'deal_lost', 'lost:1', at(10), []);
    const [r] = await claim(at(10), a);
    const body = await finish(at(10), { id: r!.id, workerId: 'w1', outcome: 'shared' });
    expect(body.tell).toMatchObject({ ruleId: rid, channelId: 'C0SALES1', reason: 'shared', creator: { id: a.manager.id, locale: 'en' } });
    const [stopped] = await t.sql.query<{ active: boolean; disabled_reason: string }>(`select active, disabled_reason from crm.alert_rules where id = $1`, [
      rid,
    ]);
    expect(stopped).toEqual({ active: false, disabled_reason: 'shared' });
    // nothing more reaches the channel
    await emit(a, 'deal_lost', 'lost:2', at(20), []);
    expect(await claim(at(20), a)).toEqual([]);
  });

  it('shows a private email’s subject and text only in its author’s DM, never in a channel', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    const asRep = caller(app, a.rep.token);
    const contact = (await asRep('POST', '/api/contacts', { name: 'Pia Private', emails: ['pia@customer.example'] })).body.id;
    const interaction = (
      await asRep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-12-02T09:00:00Z',
        subject: 'Secret pricing',
        body: 'Our budget is 40k',
        source: 'gmail',
        externalId: '<private-1@customer.example>',
        visibility: 'private',
        participants: [{ role: 'from', email: 'pia@customer.example' }],
      })
    ).body.id;
    await rule(a, ['waiting_reply']);
    await emit(a, 'waiting_reply', 'w:p', at(0), [a.rep.id, a.manager.id], { contactId: contact, interactionId: interaction, detail: { windowMinutes: 0 } });
    const got = await claim(at(0), a);
    const by = (type: string, id?: string) => got.find((d) => d.recipient.type === type && (!id || d.recipient.memberId === id))!.items[0]!;
    expect(by('member', a.rep.id).interaction).toMatchObject({ subject: 'Secret pricing', snippet: 'Our budget is 40k', private: true });
    expect(by('member', a.manager.id).interaction).toMatchObject({ subject: null, snippet: null });
    expect(by('rule').interaction).toMatchObject({ subject: null, snippet: null });
    expect(by('rule').contact).toMatchObject({ name: 'Pia Private', owner: { id: a.rep.id } });
  });
});
