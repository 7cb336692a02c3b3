import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { SlackChannelState } from '../../backend/types.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Choosing alerts (issue 19): a member's kinds, tags, working hours and days
 * (GET/PUT /api/me/alerts), the workspace's reply window, and what the
 * outbox then does with them. Channel rules are alert-rules.test.ts's.
 */
describe.each(ADAPTERS)('alert settings on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  const asked: string[] = [];
  const channels = new Map<string, SlackChannelState>();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({
      db: t.db,
      jobs: {
        slackChannel: async (team, channel) => {
          asked.push(`${team}:${channel}`);
          return channels.get(channel) ?? { found: true, shared: false, name: 'sales' };
        },
      },
    });
    a = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const as = (who: 'rep' | 'rep2' | 'manager' | 'admin') => caller(app, a[who].token);
  const audit = async (entity: string, action: string) =>
    t.sql.query<{ before: any; after: any; source: string }>(
      `select before, after, source from crm.audit_log where workspace_id = $1 and entity_type = $2 and action = $3 order by id`,
      [a.id, entity, action],
    );

  it('shows every message kind with its default, vip, 08:00 to 20:00, Monday to Friday, in the member’s zone', async () => {
    const res = await as('manager')('GET', '/api/me/alerts');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kinds: {
        waiting_reply: 'dm',
        follow_up_due: 'dm',
        follow_up_overdue: 'dm',
        deal_created: 'dm',
        deal_stage_changed: 'dm',
        deal_won: 'dm',
        deal_lost: 'dm',
        deal_close_passed: 'dm',
        tagged_inbound: 'dm',
        capture_failed: 'dm',
      },
      tags: ['vip'],
      hours: { start: '08:00', end: '20:00', chosen: false, timezone: 'Asia/Tokyo' },
      days: [1, 2, 3, 4, 5],
      timezone: 'Asia/Tokyo',
    });
  });

  it('stores what a member chose, audited, and the outbox follows it', async () => {
    const res = await as('rep')('PUT', '/api/me/alerts', {
      kinds: { deal_won: 'off', follow_up_due: 'off' },
      tags: [' vip ', 'enterprise', 'vip'],
      hours: { start: '09:30', end: '17:00' },
      days: [6, 1, 2, 2],
    });
    expect(res.status).toBe(200);
    expect(res.body.kinds).toMatchObject({ deal_won: 'off', follow_up_due: 'off', waiting_reply: 'dm' });
    expect(res.body.tags).toEqual(['vip', 'enterprise']);
    expect(res.body.hours).toEqual({ start: '09:30', end: '17:00', chosen: true, timezone: 'UTC' });
    expect(res.body.days).toEqual([1, 2, 6]);
    // what is stored is what the foundation's functions read
    const [row] = await t.sql.query<{ prefs: any; days: number[]; start: string; tags: string[] }>(
      `select alert_prefs as prefs, work_days as days, work_start::text as start, crm.alert_tags(m) as tags from crm.members m where id = $1`,
      [a.rep.id],
    );
    expect(row!.prefs).toEqual({ deal_won: 'off', follow_up_due: 'off', tags: ['vip', 'enterprise'] });
    expect(row!.days.map(Number)).toEqual([1, 2, 6]);
    expect(row!.start).toBe('09:30:00');
    expect(row!.tags).toEqual(['vip', 'enterprise']);
    // a kind turned off writes no alert; one left on does, at the next working moment (Saturday is a working day now)
    await t.sql.query(`select crm.alert_emit($1, 'deal_won', 'settings:won', '2026-12-05T08:00:00Z', array[$2]::uuid[], '{}')`, [a.id, a.rep.id]);
    await t.sql.query(`select crm.alert_emit($1, 'deal_lost', 'settings:lost', '2026-12-05T08:00:00Z', array[$2]::uuid[], '{}')`, [a.id, a.rep.id]);
    const alerts = await t.sql.query<{ kind: string; due: string }>(
      `select kind, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as due from crm.alerts where workspace_id = $1 and member_id = $2 and dedupe_key like 'settings:%'`,
      [a.id, a.rep.id],
    );
    expect(alerts).toEqual([{ kind: 'deal_lost', due: '2026-12-05 09:30' }]);
    // audited: the hours by issue 17's function, the rest as alert settings
    const changed = await audit('member', 'alert_settings');
    expect(changed.at(-1)!.before).toEqual({ alertPrefs: {}, workDays: null });
    expect(changed.at(-1)!.after).toEqual({ alertPrefs: row!.prefs, workDays: [1, 2, 6] });
    expect((await audit('member', 'update')).at(-1)!.after).toEqual({ workStart: '09:30', workEnd: '17:00' });
  });

  it('keeps what a PUT leaves out, and null goes back to the defaults', async () => {
    await as('rep2')('PUT', '/api/me/alerts', { kinds: { capture_failed: 'off' }, tags: ['gold'], days: [1, 2, 3, 4, 5, 6, 7] });
    const kept = await as('rep2')('PUT', '/api/me/alerts', { kinds: { deal_created: 'off' } });
    expect(kept.body.kinds).toMatchObject({ capture_failed: 'off', deal_created: 'off' });
    expect(kept.body.tags).toEqual(['gold']);
    expect(kept.body.days).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const reset = await as('rep2')('PUT', '/api/me/alerts', { kinds: { capture_failed: 'dm' }, tags: null, days: null, hours: { start: null, end: null } });
    expect(reset.body).toMatchObject({ tags: ['vip'], days: [1, 2, 3, 4, 5], hours: { start: '08:00', end: '20:00', chosen: false } });
    expect(reset.body.kinds.capture_failed).toBe('dm');
    expect(reset.body.kinds.deal_created).toBe('off');
  });

  it('refuses unknown kinds and wrong values with a 400 that names the field, and changes nothing', async () => {
    const before = (await as('admin')('GET', '/api/me/alerts')).body;
    const bad: [unknown, string][] = [
      [{ kinds: { already_answered: 'off' } }, 'kinds.already_answered'],
      [{ kinds: { nope: 'dm' } }, 'kinds.nope'],
      [{ kinds: { deal_won: 'email' } }, 'kinds.deal_won'],
      [{ days: [0] }, 'days.0'],
      [{ days: [] }, 'days'],
      [{ days: [1.5] }, 'days.0'],
      [{ tags: [''] }, 'tags.0'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{}, ''],
    ];
    for (const [body, field] of bad) {
      const res = await as('admin')('PUT', '/api/me/alerts', body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(res.body.error.code).toBe('invalid_request');
      if (field) expect(res.body.error.message).toContain(field);
    }
    // hours go through issue 17's own check: an end before the start
    const hours = await as('admin')('PUT', '/api/me/alerts', { hours: { start: '18:00', end: '09:00' }, kinds: { deal_won: 'off' } });
    expect(hours.status).toBe(400);
    expect(hours.body.error.code).toBe('working_hours_invalid');
    expect((await as('admin')('GET', '/api/me/alerts')).body).toEqual(before);
  });

  it('the SQL refuses on its own what the edge would (another client of the function)', async () => {
    const ctx = { workspaceId: a.id, memberId: a.admin.id, source: 'api' as const, now: new Date().toISOString() };
    await expect(t.db.call('me_alerts', ctx, { kinds: { nope: 'dm' } })).rejects.toMatchObject({ key: 'alert_kind_unknown' });
    await expect(t.db.call('me_alerts', ctx, { kinds: { deal_won: 'loud' } })).rejects.toMatchObject({ key: 'alert_delivery_invalid' });
    await expect(t.db.call('me_alerts', ctx, { days: [8] })).rejects.toMatchObject({ key: 'alert_days_invalid' });
    await expect(t.db.call('me_alerts', ctx, { tags: [1] })).rejects.toMatchObject({ key: 'alert_tags_invalid' });
  });

  it('lets everyone read the reply window and only an admin change it, audited', async () => {
    expect((await as('rep')('GET', '/api/workspace/alerts')).body).toEqual({ replyMinutes: 240 });
    const refused = await as('manager')('PATCH', '/api/workspace/alerts', { replyMinutes: 60 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('admin_only');
    for (const replyMinutes of [-1, 10081, 1.5, '60']) {
      const res = await as('admin')('PATCH', '/api/workspace/alerts', { replyMinutes });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('replyMinutes');
    }
    expect((await as('admin')('PATCH', '/api/workspace/alerts', { replyMinutes: 0 })).body).toEqual({ replyMinutes: 0 });
    expect((await as('rep')('GET', '/api/workspace/alerts')).body).toEqual({ replyMinutes: 0 });
    const [row] = await t.sql.query<{ n: number }>(`select alert_reply_minutes as n from crm.workspaces where id = $1`, [a.id]);
    expect(Number(row!.n)).toBe(0);
    expect((await audit('workspace', 'alert_reply_minutes')).map((r) => [r.before, r.after])).toEqual([[{ alertReplyMinutes: 240 }, { alertReplyMinutes: 0 }]]);
    await expect(
      t.db.call('workspace_alerts', { workspaceId: a.id, memberId: a.admin.id, source: 'api', now: new Date().toISOString() }, { replyMinutes: 20000 }),
    ).rejects.toMatchObject({ key: 'alert_reply_minutes_invalid' });
  });
});
