/**
 * What the parts that run two server copies and kill one share (alerts,
 * briefs and nudges): an admin connection to the run's database, waiting for
 * a condition, killing the victim and handing its leases over (as if they had
 * run out), and counting the Slack stand-in's posts by their metadata key.
 */
import pg from 'pg';
import type { Row } from './report.js';
import type { ChildServer } from './server.js';
import type { PostedDm } from './slack-stand-in.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Admin {
  q<R extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<R[]>;
  /** the first row's `n` */
  count(text: string, params?: unknown[]): Promise<number>;
  client: pg.Client;
}

/** Runs `body` with a connection of its own to the run's database, closed after. */
export async function withAdmin<T>(url: string, body: (admin: Admin) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q: Admin['q'] = async (text, params = []) => (await client.query(text, params)).rows;
  const count = async (text: string, params: unknown[] = []) => Number((await q<{ n: number }>(text, params))[0]?.n ?? 0);
  try {
    return await body({ q, count, client });
  } finally {
    await client.end();
  }
}

/** Polls `done` every `everyMs` until it is true or `timeoutMs` has passed; whether it became true. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(everyMs);
  }
  return done();
}

/** The lease_owner pattern of a server copy's workers (hostname:pid:random). */
export const ownedBy = (server: ChildServer) => `%:${server.pid}:%`;

/**
 * kill -9 the victim, then, once a post it had under way has landed (`settleMs`:
 * a real lease runs out long after), end the leases it held in `table` (a
 * table with status, lease_owner, lease_until) as if they had run out: the
 * survivor's next step takes them over. The ids of the rows it held, and when it died.
 */
export async function killAndOrphan(
  admin: Admin,
  o: { victim: ChildServer; table: 'crm.alert_deliveries' | 'crm.meeting_briefs'; workspaceId: string; settleMs?: number },
): Promise<{ ids: string[]; killedAt: number }> {
  await o.victim.kill9();
  const killedAt = Date.now();
  if (o.settleMs) await sleep(o.settleMs);
  const rows = await admin.q<{ id: string }>(
    `update ${o.table} set lease_until = now() where workspace_id = $1 and status = 'pending' and lease_owner like $2 returning id::text`,
    [o.workspaceId, ownedBy(o.victim)],
  );
  return { ids: rows.map((r) => r.id), killedAt };
}

/** Posts of one metadata event_type, counted by their key. */
export function postsByKey(posts: PostedDm[], type: string): Map<string, PostedDm[]> {
  const byKey = new Map<string, PostedDm[]>();
  for (const p of posts) if (p.type === type && p.key) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  return byKey;
}

/** Of the keys that must each be posted once: how many were not, and how many posts came beyond the first. */
export function exactlyOnce(keys: string[], byKey: Map<string, PostedDm[]>): { missing: number; duplicated: number } {
  return {
    missing: keys.filter((k) => !byKey.has(k)).length,
    duplicated: keys.reduce((s, k) => s + Math.max(0, (byKey.get(k)?.length ?? 0) - 1), 0),
  };
}

/** A two-copies part's row in the table: no outage, so no 5xx columns of its own. */
export function copiesRow(r: {
  scenario: string;
  posts: number;
  faults: string;
  expected: number;
  missing: number;
  duplicated: number;
  /** lost beyond the missing posts (e.g. rows never marked sent) */
  unsent?: number;
  maxLatencyMs?: number;
  notes: string[];
}): Row {
  return {
    scenario: r.scenario,
    sent: r.posts,
    faults: r.faults,
    expected: r.expected,
    found: r.expected - r.missing,
    lost: r.missing + (r.unsent ?? 0),
    duplicated: r.duplicated,
    inOutage: 0,
    outsideOutage: 0,
    other5xx: 0,
    dropped: 0,
    maxLatencyMs: r.maxLatencyMs ?? 0,
    notes: r.notes,
  };
}
