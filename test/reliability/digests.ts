/**
 * The digest scheduler in two copies on one database, one killed (kill -9)
 * in the middle of a pass: every manager still gets exactly one digest DM for
 * the day. Both copies run passes back to back (POST /api/jobs/digests, what
 * an outside cron calls; each copy's own in-process scheduler ticks too).
 * After the kill the dead copy's leases would run out after 300 s; rather
 * than wait, the run moves them to now (as if 300 s had passed), then lets
 * the surviving copy take them over: it must find in the DM what the dead
 * copy posted before dying and not post it again.
 */
import pg from 'pg';
import type { ChildServer } from './server.js';
import { SERVICE_SECRET } from './server.js';
import type { SlackStandIn } from './slack-stand-in.js';

export interface DigestResult {
  managers: number;
  passes: number;
  killedMidPass: boolean;
  /** deliveries the dead copy held when it died */
  orphaned: number;
  posts: number;
  /** managers with no DM / more than one DM for the day */
  missing: number;
  duplicated: number;
  /** digest_deliveries not 'sent' at the end */
  unsent: number;
  errors5xx: number;
}

async function pass(server: ChildServer): Promise<{ status: number; claimed: number }> {
  try {
    const res = await fetch(`${server.base}/api/jobs/digests`, {
      method: 'POST',
      headers: { authorization: `Rapport-Service ${SERVICE_SECRET}` },
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await res.json().catch(() => ({}))) as { claimed?: number };
    return { status: res.status, claimed: body.claimed ?? 0 };
  } catch {
    return { status: 0, claimed: 0 };
  }
}

export async function runDigests(opts: {
  url: string;
  victim: ChildServer;
  survivor: ChildServer;
  standIn: SlackStandIn;
  workspaceId: string;
  managerSlackIds: string[];
  killAfterMs: number;
}): Promise<DigestResult> {
  const admin = new pg.Client({ connectionString: opts.url });
  await admin.connect();
  try {
    await admin.query(`update crm.members set digest_enabled = true where workspace_id = $1 and role = 'manager'`, [opts.workspaceId]);
    const before = opts.standIn.posts.length;
    let passes = 0;
    let errors5xx = 0;
    let victimInPass = false;
    const stop = false;
    // the victim keeps calling, as a cron would, until it is killed: its own
    // in-process scheduler may have taken the day's work in one tick, and a
    // victim that stopped when idle would die between passes, testing nothing
    const loop = async (server: ChildServer, isVictim: boolean) => {
      let idle = 0;
      while (!stop && (isVictim || idle < 2)) {
        if (isVictim) victimInPass = true;
        const r = await pass(server);
        if (isVictim) victimInPass = false;
        if (isVictim && r.status === 0) return; // killed
        passes++;
        if (r.status >= 500) errors5xx++;
        idle = r.claimed === 0 ? idle + 1 : 0;
      }
    };
    const victimLoop = loop(opts.victim, true);
    const survivorLoop = loop(opts.survivor, false);
    await new Promise((r) => setTimeout(r, opts.killAfterMs));
    const killedMidPass = victimInPass;
    await opts.victim.kill9();
    await victimLoop;
    await survivorLoop;
    // the dead copy's leases: as if their 300 s had run out
    const orphaned =
      (
        await admin.query(`update crm.digest_deliveries set lease_until = now() where workspace_id = $1 and status = 'pending' and lease_until > now()`, [
          opts.workspaceId,
        ])
      ).rowCount ?? 0;
    await loop(opts.survivor, false);
    // digests only: an alert DM in the same channel is not a second digest
    const posts = opts.standIn.posts.slice(before).filter((p) => p.type === 'rapport_digest');
    const perMember = new Map<string, number>();
    for (const p of posts) perMember.set(p.channel, (perMember.get(p.channel) ?? 0) + 1);
    const dms = opts.managerSlackIds.map((u) => perMember.get(`D${u.slice(1)}`) ?? 0);
    const unsent = Number(
      (await admin.query(`select count(*) n from crm.digest_deliveries where workspace_id = $1 and status <> 'sent'`, [opts.workspaceId])).rows[0].n,
    );
    return {
      managers: opts.managerSlackIds.length,
      passes,
      killedMidPass,
      orphaned,
      posts: posts.length,
      missing: dms.filter((n) => n === 0).length,
      duplicated: dms.reduce((s, n) => s + Math.max(0, n - 1), 0),
      unsent,
      errors5xx,
    };
  } finally {
    await admin.end();
  }
}
