import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';

/**
 * The alerts' foundation (issue 19): a member's working period (hours and
 * days in their time zone) that DMs wait for, working minutes for the reply
 * window, and the outbox's one row per recipient and cause, written only for
 * a kind the member left on.
 */
describe.each(['pglite', 'postgres'] as const)('alert foundation on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  const one = async <T>(text: string, params: unknown[] = []) => (await t.sql.query<{ v: T }>(text, params))[0]!.v;
  const iso = (v: unknown) => new Date(v as string).toISOString();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    a = await makeWorkspace(t.sql, t.db);
    // the rep works 09:00 to 18:00 in Tokyo, Monday to Friday
    await t.sql.query(`update crm.members set timezone = 'Asia/Tokyo', work_start = '09:00', work_end = '18:00' where id = $1`, [a.rep.id]);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const working = (at: string) => one<string>(`select crm.alert_working_time(m, $2::timestamptz) as v from crm.members m where id = $1`, [a.rep.id, at]);
  const plus = (at: string, minutes: number) =>
    one<string>(`select crm.add_working_minutes(m, $2::timestamptz, $3) as v from crm.members m where id = $1`, [a.rep.id, at, minutes]);

  it('keeps a moment inside working hours, and moves one outside to the start of the next working period', async () => {
    // Wednesday 2026-12-02 10:00 in Tokyo (01:00 UTC): working
    expect(iso(await working('2026-12-02T01:00:00Z'))).toBe('2026-12-02T01:00:00.000Z');
    // Wednesday 06:00 Tokyo: the same day's 09:00
    expect(iso(await working('2026-12-01T21:00:00Z'))).toBe('2026-12-02T00:00:00.000Z');
    // Wednesday 22:00 Tokyo: Thursday 09:00
    expect(iso(await working('2026-12-02T13:00:00Z'))).toBe('2026-12-03T00:00:00.000Z');
    // Friday 19:00 Tokyo: Monday 09:00
    expect(iso(await working('2026-12-04T10:00:00Z'))).toBe('2026-12-07T00:00:00.000Z');
    // Saturday noon with Saturday chosen as a working day: at once
    await t.sql.query(`update crm.members set work_days = '{1,2,3,4,5,6}' where id = $1`, [a.rep.id]);
    expect(iso(await working('2026-12-05T03:00:00Z'))).toBe('2026-12-05T03:00:00.000Z');
    await t.sql.query(`update crm.members set work_days = null where id = $1`, [a.rep.id]);
  });

  it('counts the reply window in working minutes', async () => {
    // Wednesday 16:00 Tokyo + 4 working hours: 2 today, 2 from Thursday 09:00
    expect(iso(await plus('2026-12-02T07:00:00Z', 240))).toBe('2026-12-03T02:00:00.000Z');
    // Friday 17:00 + 4 h: Monday 12:00
    expect(iso(await plus('2026-12-04T08:00:00Z', 240))).toBe('2026-12-07T03:00:00.000Z');
    // a window of zero at night: the next morning
    expect(iso(await plus('2026-12-02T14:00:00Z', 0))).toBe('2026-12-03T00:00:00.000Z');
  });

  it('writes one alert per recipient and cause, only for a kind left on, at the next working moment', async () => {
    const emit = (key: string, recipients: string[], subject: object = {}) =>
      t.sql.query(`select crm.alert_emit($1, 'follow_up_due', $2, '2026-12-02T13:00:00Z', $3::uuid[], $4::jsonb)`, [
        a.id,
        key,
        recipients,
        JSON.stringify(subject),
      ]);
    await emit('fu:1', [a.rep.id, a.rep2.id]);
    await emit('fu:1', [a.rep.id, a.rep2.id]);
    // the actor is never told of their own change
    await emit('fu:2', [a.rep.id], { actorId: a.rep.id });
    const rows = await t.sql.query<{ member_id: string; due_at: string; stream: string }>(
      `select member_id, due_at, stream from crm.alerts where workspace_id = $1 order by member_id`,
      [a.id],
    );
    expect(rows).toHaveLength(2);
    const rep = rows.find((r) => r.member_id === a.rep.id)!;
    // 22:00 in Tokyo: Thursday 09:00; rep2 (UTC, 08:00-20:00): 13:00 UTC is inside
    expect(iso(rep.due_at)).toBe('2026-12-03T00:00:00.000Z');
    expect(iso(rows.find((r) => r.member_id === a.rep2.id)!.due_at)).toBe('2026-12-02T13:00:00.000Z');
    expect(rep.stream).toBe(`dm:${a.rep.id}:follow_up_due`);

    await t.sql.query(`update crm.members set alert_prefs = '{"follow_up_due": "off"}' where id = $1`, [a.rep2.id]);
    await emit('fu:3', [a.rep2.id]);
    expect(await one<number>(`select count(*)::int as v from crm.alerts where workspace_id = $1 and dedupe_key like 'fu:3%'`, [a.id])).toBe(0);
  });
});
