/**
 * Alerts (issue 19) in two server copies on one database, one killed (kill -9)
 * in the middle of sending: every alert still reaches its member exactly once.
 * (The follow-ups also write their overdue alerts, due tomorrow: not counted.)
 * Each member of the run's workspace gets follow-ups falling due together (the
 * follow-ups' own trigger writes the alerts into the outbox); each copy's
 * in-process alert scheduler (a step every second) folds each member's due
 * alerts into one message and posts it to the Slack stand-in, slowed so the
 * pass lasts long enough to be killed in. Once a post it had in flight has
 * landed, the dead copy's leases are moved to now (as if they had run out) and
 * the survivor must find in the DM what the dead copy posted before dying, by
 * its metadata key, and not post it again.
 */
import { randomUUID } from 'node:crypto';
import type { ChildServer } from './server.js';
import type { SlackStandIn } from './slack-stand-in.js';
import { exactlyOnce, killAndOrphan, ownedBy, postsByKey, sleep, waitFor, withAdmin } from './two-copies.js';

export interface AlertResult {
  alerts: number;
  deliveries: number;
  killedMidSend: boolean;
  /** deliveries the dead copy held when it died */
  orphaned: number;
  posts: number;
  /** deliveries never posted / posted more than once */
  missing: number;
  duplicated: number;
  /** alerts not 'sent' at the end */
  unsent: number;
  /** the alerts' statuses at the end, e.g. 'sent: 1005' */
  states: string;
  /** from the follow-ups' due time to the last post */
  wallMs: number;
}

export async function runAlerts(opts: {
  url: string;
  victim: ChildServer;
  survivor: ChildServer;
  standIn: SlackStandIn;
  workspaceId: string;
  perMember: number;
  killAfterMs: number;
  timeoutMs?: number;
}): Promise<AlertResult> {
  return withAdmin(opts.url, async (admin) => {
    const { q, count } = admin;
    const ws = opts.workspaceId;
    // every member with Slack works around the clock, so that the run sends at any hour and on any day
    await q(`update crm.members set work_start = '00:00', work_end = '24:00', work_days = '{1,2,3,4,5,6,7}' where workspace_id = $1`, [ws]);
    const contact = randomUUID();
    await q(`insert into crm.contacts (id, workspace_id, name, stage) values ($1, $2, 'Alert Customer', 'customer')`, [contact, ws]);
    const before = opts.standIn.posts.length;
    // due a few seconds from now, all together: the outbox rows are written by the follow-ups' trigger
    const [row] = await q<{ due: Date }>(
      `with m as (select id from crm.members where workspace_id = $1 and slack_user_id is not null and active)
       , ins as (insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, note)
                 select $1, $2, m.id, now() + interval '3 seconds', 'reliability ' || g from m, generate_series(1, $3) g
                 returning due_at)
       select max(due_at) as due from ins`,
      [ws, contact, opts.perMember],
    );
    const alerts = await count(`select count(*)::int as n from crm.alerts where workspace_id = $1 and kind = 'follow_up_due' and contact_id = $2`, [
      ws,
      contact,
    ]);
    if (!alerts) throw new Error('the follow-ups wrote no alert into the outbox');
    const dueAt = new Date(row!.due).getTime();
    await sleep(Math.max(0, dueAt - Date.now()) + opts.killAfterMs);
    const held = await count(
      `select count(*)::int as n from crm.alert_deliveries where workspace_id = $1 and status = 'pending' and lease_until > now() and lease_owner like $2`,
      [ws, ownedBy(opts.victim)],
    );
    // a post the victim had sent lands up to postDelayMs after it died; a real lease (60 s) runs out long after that,
    // so its leases end only once such a post is in the DM (taking over sooner races a post in flight, which no lookup can see)
    const orphaned = (
      await killAndOrphan(admin, { victim: opts.victim, table: 'crm.alert_deliveries', workspaceId: ws, settleMs: opts.standIn.postDelayMs + 500 })
    ).ids.length;
    const pending = () =>
      count(`select count(*)::int as n from crm.alerts where workspace_id = $1 and contact_id = $2 and kind = 'follow_up_due' and status = 'pending'`, [
        ws,
        contact,
      ]);
    await waitFor(async () => (await pending()) === 0, opts.timeoutMs ?? 120_000);
    // a moment more: a post under way when the last alert was marked
    await sleep(500);
    const deliveries = await q<{ id: string }>(
      `select distinct d.id::text from crm.alert_deliveries d join crm.alerts a on a.delivery_id = d.id where a.workspace_id = $1 and a.contact_id = $2 and a.kind = 'follow_up_due'`,
      [ws, contact],
    );
    const posts = opts.standIn.posts.slice(before).filter((p) => p.type === 'rapport_alert');
    const states = await q<{ s: string; n: number }>(
      `select status || coalesce(' (' || skip_reason || ')', '') as s, count(*)::int as n from crm.alerts where workspace_id = $1 and contact_id = $2 and kind = 'follow_up_due' group by 1 order by 1`,
      [ws, contact],
    );
    const unsent = await count(
      `select count(*)::int as n from crm.alerts where workspace_id = $1 and contact_id = $2 and kind = 'follow_up_due' and status <> 'sent'`,
      [ws, contact],
    );
    return {
      alerts,
      deliveries: deliveries.length,
      killedMidSend: held > 0,
      orphaned,
      posts: posts.length,
      ...exactlyOnce(
        deliveries.map((d) => d.id),
        postsByKey(posts, 'rapport_alert'),
      ),
      unsent,
      states: states.map((x) => `${x.s}: ${x.n}`).join(', '),
      wallMs: Math.max(0, ...posts.map((p) => p.at)) - dueAt,
    };
  });
}
