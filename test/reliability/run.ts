/**
 * `npm run test:reliability`: Rapport under load, with faults, on the real
 * HTTP server (slack-app/server.ts, what `npm start` runs, in a child
 * process) and a real PostgreSQL server on loopback.
 *   run 1: 64 clients log interactions for RELIABILITY_SECONDS (default 60),
 *          PostgreSQL restarted midway, Slack events replayed four times
 *          across the restart;
 *   run 2: the same load, PostgreSQL paused (SIGSTOP) for 10 s midway;
 *   digests: two server copies, one killed (kill -9) in the middle of a pass;
 *   alerts: two server copies sending due alerts, one killed mid-send;
 *   briefs and nudges: two server copies sending meeting briefs and nudges to
 *          members in Tokyo, Shanghai and New York, one killed mid-send.
 * Prints a table and exits 1 unless nothing acknowledged was lost, nothing was
 * duplicated and no 5xx came outside the injected outage.
 */
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { runAlerts } from './alerts.js';
import { runBriefs } from './briefs.js';
import { runDigests } from './digests.js';
import { REQUEST_TIMEOUT_MS, runLoad, type Attempt, type LoadResult } from './load.js';
import { printTable, rowOk, type Row } from './report.js';
import { seed, LINKED_CHANNEL } from './seed.js';
import { startServer, type ChildServer } from './server.js';
import { replaySlackEvents, type ReplayResult } from './slack-replay.js';
import { startSlackStandIn, TEAM, type SlackStandIn } from './slack-stand-in.js';
import { copiesRow } from './two-copies.js';

const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 60);
const PAUSE_MS = Number(process.env.RELIABILITY_PAUSE_SECONDS ?? 10) * 1000;
const CLIENTS = 64;
const MANAGERS = 100;
const SLACK_EVENTS = 20;
/** follow-ups falling due together for each member with Slack, in the alert part */
const ALERTS_PER_MEMBER = 5;
/** members in each of Tokyo, Shanghai and New York with a brief and a nudge falling due, in the briefs part */
const MEETING_MEMBERS_PER_ZONE = 4;
/** after the database is back, how long a pool may take to reconnect: its connection timeout (5 s) */
const RECOVERY_GRACE_MS = 5_000;
const REP_EMAIL = 'rep@reliability.test';

const log = (line: string) => console.log(`[reliability] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Window {
  start: number;
  end: number;
}

const inWindow = (a: { sentAt: number; answeredAt: number }, w: Window) => a.sentAt <= w.end + RECOVERY_GRACE_MS && a.answeredAt >= w.start;

async function captureRow(admin: pg.Client, workspaceId: string, scenario: string, faults: string, prefix: string, load: LoadResult, w: Window): Promise<Row> {
  const rows = (
    await admin.query<{ external_id: string; n: string }>(
      `select external_id, count(*) n from crm.interactions where workspace_id = $1 and source = 'gmail' and external_id like $2 group by external_id`,
      [workspaceId, `<${prefix}-%`],
    )
  ).rows;
  const found = new Map(rows.map((r) => [r.external_id, Number(r.n)]));
  const lost = [...load.acked].filter((id) => !found.has(id)).length;
  const duplicatedRows = rows.reduce((s, r) => s + Number(r.n) - 1, 0);
  const created2x = [...load.created.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  const is5xx = (a: Attempt) => a.status >= 500;
  const notes: string[] = [];
  const storedNotAcked = rows.filter((r) => !load.acked.has(r.external_id)).length;
  if (storedNotAcked) notes.push(`${storedNotAcked} stored without an acknowledgement reaching the client (client gave up)`);
  if (load.gaveUp) notes.push(`${load.gaveUp} deliveries given up by their client`);
  for (const u of load.unexpected.slice(0, 3)) notes.push(`unexpected ${u.status}: ${u.body}`);
  if (created2x) notes.push(`${created2x} messages answered 201 more than once`);
  return {
    scenario,
    sent: load.attempts.length,
    faults,
    expected: load.acked.size,
    found: [...load.acked].filter((id) => found.has(id)).length,
    lost,
    duplicated: duplicatedRows + created2x,
    inOutage: load.attempts.filter((a) => a.status === 503 && inWindow(a, w)).length,
    outsideOutage: load.attempts.filter((a) => a.status === 503 && !inWindow(a, w)).length,
    other5xx: load.attempts.filter((a) => is5xx(a) && a.status !== 503).length,
    dropped: load.attempts.filter((a) => a.status <= 0).length,
    maxLatencyMs: Math.max(0, ...load.attempts.map((a) => a.answeredAt - a.sentAt)),
    notes,
  };
}

async function slackRow(admin: pg.Client, workspaceId: string, replay: ReplayResult, w: Window): Promise<Row> {
  const ids = replay.tsOf.map((ts) => `${TEAM}:${LINKED_CHANNEL}:${ts}`);
  const rows = (
    await admin.query<{ external_id: string; created_ms: string }>(
      `select external_id, (extract(epoch from created_at) * 1000)::bigint created_ms from crm.interactions
        where workspace_id = $1 and source = 'slack' and external_id = any($2)`,
      [workspaceId, ids],
    )
  ).rows;
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.external_id, (count.get(r.external_id) ?? 0) + 1);
  // Slack stops at the first 2xx: whatever it answered 2xx to must be stored by then
  let ackedBeforeStored = 0;
  replay.tsOf.forEach((_, i) => {
    const first = replay.deliveries.filter((d) => d.event === i && d.status >= 200 && d.status < 300).sort((a, b) => a.answeredAt - b.answeredAt)[0];
    const row = rows.find((r) => r.external_id === ids[i]);
    if (first && (!row || Number(row.created_ms) > first.answeredAt + 250)) ackedBeforeStored++;
  });
  const notes: string[] = [];
  if (ackedBeforeStored) notes.push(`${ackedBeforeStored} events answered 2xx before their message was stored (a real Slack would not have retried them)`);
  const fails = replay.deliveries.filter((d) => d.status >= 500);
  return {
    scenario: 'slack events x4 (run 1)',
    sent: replay.deliveries.length,
    faults: 'restart',
    expected: ids.length,
    found: ids.filter((id) => count.has(id)).length,
    lost: ids.filter((id) => !count.has(id)).length,
    duplicated: [...count.values()].reduce((s, n) => s + n - 1, 0),
    inOutage: fails.filter((d) => inWindow(d, w)).length,
    outsideOutage: fails.filter((d) => !inWindow(d, w)).length,
    other5xx: 0,
    dropped: replay.deliveries.filter((d) => d.status <= 0).length,
    maxLatencyMs: Math.max(0, ...replay.deliveries.map((d) => d.answeredAt - d.sentAt)),
    notes,
  };
}

async function main() {
  const started = Date.now();
  let postgres: PostgresServer | undefined;
  let standIn: SlackStandIn | undefined;
  const servers: ChildServer[] = [];
  try {
    postgres = await startPostgres({ log });
    const seeded = await seed(postgres.url, MANAGERS);
    standIn = await startSlackStandIn();
    const a = await startServer('server A', postgres.url, standIn.url);
    servers.push(a);
    log(`server A on ${a.base} (pid ${a.pid}); ${CLIENTS} clients, ${SECONDS} s per run`);
    const admin = new pg.Client({ connectionString: postgres.url });
    const table: Row[] = [];
    const pgServer = postgres;

    // run 1: restart midway, Slack replays across it
    {
      const prefix = `r1-${started}`;
      const load = runLoad({ base: a.base, token: seeded.repToken, repEmail: REP_EMAIL, prefix, clients: CLIENTS, seconds: SECONDS });
      await sleep((SECONDS * 1000) / 2 - 500);
      const replay = replaySlackEvents({
        base: a.base,
        authorSlackId: seeded.repSlackId,
        events: SLACK_EVENTS,
        spreadMs: 1_500,
        runId: `R1${started}`,
      });
      await sleep(500);
      const w = { start: Date.now(), end: 0 };
      await pgServer.restart();
      w.end = Date.now();
      log(`run 1: PostgreSQL restarted in ${w.end - w.start} ms`);
      const [result, replayed] = await Promise.all([load, replay]);
      await admin.connect();
      table.push(await captureRow(admin, seeded.workspaceId, 'capture, run 1', `restart (${w.end - w.start} ms)`, prefix, result, w));
      table.push(await slackRow(admin, seeded.workspaceId, replayed, w));
    }

    // run 2: paused for 10 s midway
    {
      const prefix = `r2-${started}`;
      const load = runLoad({ base: a.base, token: seeded.repToken, repEmail: REP_EMAIL, prefix, clients: CLIENTS, seconds: SECONDS });
      await sleep(Math.max(0, (SECONDS * 1000 - PAUSE_MS) / 2));
      const w = { start: Date.now(), end: 0 };
      await pgServer.pause();
      await sleep(PAUSE_MS);
      await pgServer.resume();
      w.end = Date.now();
      log(`run 2: PostgreSQL paused for ${w.end - w.start} ms`);
      const result = await load;
      table.push(await captureRow(admin, seeded.workspaceId, 'capture, run 2', `pause ${Math.round((w.end - w.start) / 1000)} s (SIGSTOP)`, prefix, result, w));
    }

    // digests: two copies, one killed mid-pass
    {
      const b = await startServer('server B', postgres.url, standIn.url);
      servers.push(b);
      standIn.postDelayMs = 30;
      const d = await runDigests({
        url: postgres.url,
        victim: a,
        survivor: b,
        standIn,
        workspaceId: seeded.workspaceId,
        managerSlackIds: seeded.managerSlackIds,
        killAfterMs: 1_500,
      });
      const notes: string[] = [];
      if (!d.killedMidPass) notes.push('the killed copy was not in a pass when it died');
      if (d.unsent) notes.push(`${d.unsent} deliveries not marked sent`);
      table.push({
        scenario: 'digests, 2 copies',
        sent: d.passes,
        faults: `kill -9 mid-pass (${d.orphaned} leases orphaned)`,
        expected: d.managers,
        found: d.managers - d.missing,
        lost: d.missing,
        duplicated: d.duplicated,
        inOutage: 0,
        outsideOutage: 0,
        other5xx: d.errors5xx,
        dropped: 0,
        maxLatencyMs: 0,
        notes,
      });
    }

    // alerts: two copies again (the digest part killed A), one killed mid-send
    {
      const b = servers[1]!;
      const c = await startServer('server C', postgres.url, standIn.url);
      servers.push(c);
      // a post takes a second, so that the messages are still in flight when the victim dies
      standIn.postDelayMs = 1_000;
      const r = await runAlerts({
        url: postgres.url,
        victim: b,
        survivor: c,
        standIn,
        workspaceId: seeded.workspaceId,
        perMember: ALERTS_PER_MEMBER,
        killAfterMs: 1_500,
      });
      log(`alerts: ${r.alerts} alerts in ${r.deliveries} messages, the last posted ${(r.wallMs / 1000).toFixed(1)} s after they fell due`);
      const notes: string[] = [];
      if (!r.killedMidSend) notes.push('the killed copy held no message when it died');
      if (r.unsent) notes.push(`${r.unsent} alerts not marked sent (${r.states})`);
      table.push(
        copiesRow({
          scenario: 'alerts, 2 copies',
          posts: r.posts,
          faults: `kill -9 mid-send (${r.orphaned} leases orphaned)`,
          expected: r.deliveries,
          missing: r.missing,
          duplicated: r.duplicated,
          unsent: r.unsent,
          notes,
        }),
      );
    }

    // briefs and nudges: two fresh copies whose scheduler steps every second (C stops: two copies, no third)
    {
      await servers.find((s) => s.name === 'server C')?.stop();
      const extra = { env: { RAPPORT_SCHEDULER_SECONDS: '1' } };
      const [d, e] = await Promise.all([startServer('server D', postgres.url, standIn.url, extra), startServer('server E', postgres.url, standIn.url, extra)]);
      servers.push(d, e);
      standIn.postDelayMs = 1_000;
      const partStarted = Date.now();
      const r = await runBriefs({
        url: postgres.url,
        victim: d,
        survivor: e,
        standIn,
        workspaceId: seeded.workspaceId,
        perZone: MEETING_MEMBERS_PER_ZONE,
        spacingMs: 800,
      });
      log(
        `briefs and nudges: ${r.expected} due in ${Math.round((Date.now() - partStarted) / 1000)} s, local minutes ${r.minutes.join(', ')} (${r.held} nudges outside working hours held for their start); the latest posted ${(r.maxLateMs / 1000).toFixed(1)} s after it fell due`,
      );
      const notes = [...r.notes];
      if (!r.killedMidSend) notes.push('the killed copy held no brief or nudge when it died');
      if (r.unsent) notes.push(`${r.unsent} briefs and nudges not marked sent`);
      table.push(
        copiesRow({
          scenario: 'briefs and nudges, 2 copies',
          posts: r.posts,
          faults: `kill -9 mid-send (${r.orphaned} leases orphaned, ${r.foundPosted} posted)`,
          expected: r.expected,
          missing: r.missing,
          duplicated: r.duplicated,
          maxLatencyMs: r.maxLateMs,
          notes,
        }),
      );
    }
    await admin.end();

    for (const s of servers) {
      const crash = s.crashed();
      if (crash) table[0]!.notes.push(crash);
    }
    const serverErrors = servers.flatMap((s) => s.errors.map((e) => `[${s.name}] ${e}`));
    console.log('');
    printTable(table);
    if (serverErrors.length) {
      console.log(`\nserver log lines mentioning errors (${serverErrors.length}, first 10):`);
      for (const e of serverErrors.slice(0, 10)) console.log(`  ${e.slice(0, 400)}`);
    }
    const ok = table.every(rowOk);
    console.log(
      `\nreliability: ${ok ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s (requests time out after ${REQUEST_TIMEOUT_MS / 1000} s; 5xx within ${RECOVERY_GRACE_MS / 1000} s after the database is back count as in the outage)`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await standIn?.close().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(`[reliability] could not run: ${e instanceof Error ? e.stack : e}`);
    process.exit(1);
  },
);
