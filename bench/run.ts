/**
 * `npm run bench`: Rapport's benchmark. Performance targets live here, never in
 * timed unit tests.
 *
 *   npx tsx bench/run.ts [--scale 1] [--db postgres|pglite|both] [--only <case,...>]
 *                        [--requests 2000] [--concurrency 16] [--pglite-scale <s>]
 *                        [--max-seconds 15] [--explain | --explain-all] [--out <file>]
 *
 * For each database: a fresh server (a throwaway PostgreSQL on loopback, or an
 * in-memory PGlite), the migrations, a set-based data load (bench/load.ts), the
 * real app (createApp) served on 127.0.0.1 on a free port, then each case
 * (bench/cases.ts) through HTTP and as raw SQL through the same driver, in the
 * same run, at the same concurrency. Prints a table and writes
 * bench/results/latest.json (a full run) or quick.json. See bench/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import pg from 'pg';
import { createApp } from '../backend/app.js';
import { migrate } from '../backend/db/migrate.js';
import { openPglite, pgliteDb, pgliteRunner } from '../backend/db/pglite.js';
import { postgresPool, postgresRunner } from '../backend/db/postgres.js';
import type { Db } from '../backend/db/port.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { BENCH_INBOUND_ADDRESS, BENCH_INBOUND_SECRET, BENCH_SLACK_TEAM, startServer } from './server.js';
import { measureEmbedded, type EmbeddedResult } from './embedded.js';
import { CASES, type BenchCase, type CaseContext, type Query } from './cases.js';
import { explainCase } from './explain.js';
import { loadData, workspaceSizes } from './load.js';
import { runClosedLoop, stats } from './measure.js';
import { table, type CaseResult, type DbName, type DbResult } from './report.js';
import { parseOptions, type Options } from './options.js';

/**
 * The throwaway server's settings beyond the test defaults (durability off): a
 * server sized for this machine's memory, as a hosted PostgreSQL on 24 GiB would
 * be (a quarter of it for shared buffers), and memory for the load's sorts.
 */
const PG_SETTINGS = {
  shared_buffers: '4GB',
  effective_cache_size: '16GB',
  maintenance_work_mem: '1GB',
  work_mem: '16MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  autovacuum: 'off',
};

/** the app's connection pool, and the baseline's: 4 connections, about twice the cores (16 measured 11 % fewer captures a second: 16 backends contending for 2 cores); BENCH_POOL_MAX overrides */
const POOL_MAX = Number(process.env.BENCH_POOL_MAX ?? 4);

const cpuShare = (u: NodeJS.CpuUsage, wallMs: number) => Math.round(((u.user + u.system) / 1000 / wallMs) * 100);
const log = (line: string) => process.stderr.write(`${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Tiny deterministic PRNG (mulberry32) so that the targets are the same from run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listen(db: Db): Promise<{ server: ServerType; base: string }> {
  const app = createApp({
    db,
    inbound: { address: BENCH_INBOUND_ADDRESS, secret: BENCH_INBOUND_SECRET },
    logError: (ref, err) => log(`[app] error ${ref}: ${err instanceof Error ? err.message : String(err)}`),
  });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({ server, base: `http://127.0.0.1:${info.port}` });
    });
    server.once('error', reject);
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    const s = server as unknown as { close(cb: () => void): void; closeAllConnections?: () => void };
    s.close(() => resolve());
    s.closeAllConnections?.();
  });
}

async function runCases(
  _dbName: DbName,
  ctx: Omit<CaseContext, 'rand' | 'runId'>,
  opts: Options,
  explainQuery: ((c: BenchCase, prepared: unknown) => Promise<string>) | null,
) {
  const results: CaseResult[] = [];
  const explain: Record<string, string> = {};
  const cases = CASES.filter((c) => !opts.only || opts.only.includes(c.name));
  for (const [k, c] of cases.entries()) {
    const caseCtx: CaseContext = { ...ctx, n: c.requests ?? ctx.n, rand: prng(1000 + k), runId: Date.now().toString(36) };
    const prepared = await c.prepare(caseCtx);
    // a case may fix its own count and concurrency (one import of 100,000 rows is one request)
    const requests = c.requests ?? opts.requests;
    const warm = opts.warmup ?? Math.min(c.warmup, Math.max(5, Math.floor(requests / 10)));
    const loop = { n: requests, concurrency: opts.concurrency ?? c.concurrency, maxMs: (c.maxSeconds ?? opts.maxSeconds) * 1000 };
    // warm both sides on requests that are not measured (indices n.. n+warm)
    await runClosedLoop({ ...loop, n: warm, offset: requests }, (i) => prepared.baseline(i));
    let cpu = process.cpuUsage();
    const base = await runClosedLoop({ ...loop, ...(prepared.until ? { until: () => prepared.until!('baseline') } : {}) }, (i) => prepared.baseline(i));
    const baseCpu = cpuShare(process.cpuUsage(cpu), base.wallMs);
    await runClosedLoop({ ...loop, n: warm, offset: requests }, (i) => prepared.http(i));
    cpu = process.cpuUsage();
    const http = await runClosedLoop({ ...loop, ...(prepared.until ? { until: () => prepared.until!('http') } : {}) }, (i) => prepared.http(i));
    const httpCpu = cpuShare(process.cpuUsage(cpu), http.wallMs);
    const verify = prepared.verify ? await prepared.verify({ http: http.n, baseline: base.n }) : undefined;
    const hs = stats(http);
    const bs = stats(base);
    const ratioP50 = Math.round((hs.p50 / bs.p50) * 100) / 100;
    const r: CaseResult = {
      case: c.name,
      note: prepared.note,
      concurrency: loop.concurrency,
      target: c.target({ http: hs, wallMs: http.wallMs, ratioP50, ...(verify ? { verifyOk: verify.ok, verifyDetails: verify.details } : {}) }),
      http: hs,
      baseline: bs,
      ratioP50,
      ratioP95: Math.round((hs.p95 / bs.p95) * 100) / 100,
      nodeCpu: { http: httpCpu, baseline: baseCpu },
      errorSamples: [...http.errorSamples.map((e) => `http: ${e}`), ...base.errorSamples.map((e) => `baseline: ${e}`)],
      ...(verify ? { verify } : {}),
    };
    results.push(r);
    log(
      `  ${c.name.padEnd(13)} ${r.target.met ? 'met' : 'MISSED'} (${r.target.text}) | c=${loop.concurrency} http p50 ${hs.p50.toFixed(2)} p95 ${hs.p95.toFixed(2)} p99 ${hs.p99.toFixed(2)} ms, ${hs.rps} req/s (n ${hs.n}${hs.capped ? ', capped' : ''}, ${hs.errors} errors) | ` +
        `baseline p50 ${bs.p50.toFixed(2)} ms (n ${bs.n}${bs.capped ? ', capped' : ''}, ${bs.errors} errors) | ratio ${r.ratioP50}x | node cpu ${httpCpu}% / ${baseCpu}%  [${prepared.note}]`,
    );
    for (const e of r.errorSamples) log(`    ! ${e}`);
    if (verify) log(`    ${verify.line}`);
    if (explainQuery && (opts.explain === 'all' || r.ratioP50 > 5 || hs.p50 > 100)) {
      try {
        explain[c.name] = await explainQuery(c, prepared);
      } catch (e) {
        explain[c.name] = `explain failed: ${(e as Error).message}`;
      }
    }
  }
  return { results, explain };
}

async function benchPostgres(opts: Options, cleanups: (() => Promise<void>)[]): Promise<DbResult> {
  const contacts = workspaceSizes(opts.scale).reduce((a, b) => a + b, 0);
  log(`postgres: starting a throwaway server`);
  const srv = await startPostgres({ settings: PG_SETTINGS });
  cleanups.push(() => srv.stop());
  const loader = new pg.Client({ connectionString: srv.url, options: '-c TimeZone=UTC' });
  await loader.connect();
  cleanups.push(() => loader.end().catch(() => {}));
  const version = (await loader.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  log(`postgres ${version} on ${srv.host}:${srv.port}`);
  const t = performance.now();
  await migrate(postgresRunner(loader));
  const migrateMs = Math.round(performance.now() - t);
  log(`postgres: loading ${contacts.toLocaleString('en')} contacts in 100 workspaces`);
  // a second connection loads the other workspaces alongside the measured one
  const loader2 = new pg.Client({ connectionString: srv.url, options: '-c TimeZone=UTC' });
  await loader2.connect();
  const load = await loadData([postgresRunner(loader), postgresRunner(loader2)], opts.scale, log);
  await loader2.end();
  log(`postgres: loaded in ${secs(load.ms)}: ${JSON.stringify(load.rows)}`);

  // the Slack team of the bench's slash commands, installed for the measured workspace as OAuth would leave it
  await loader.query(`insert into crm.slack_installations (team_id, workspace_id, team_name) values ($1, $2, 'Bench')`, [
    BENCH_SLACK_TEAM,
    load.measured.workspaceId,
  ]);
  const basePool = postgresPool(srv.url, { max: POOL_MAX });
  cleanups.push(() => basePool.end().catch(() => {}));
  const server = await startServer(srv.url, { poolMax: POOL_MAX, log });
  cleanups.push(() => server.stop());
  const base = server.base;
  log(`postgres: Rapport (slack-app/server.ts, pid ${server.pid}) listening on ${base}`);
  const adminQ: Query = async (sql, params) => (await loader.query(sql, params as unknown[])).rows;
  const baseQ: Query = async (sql, params) => (await basePool.query(sql, params as unknown[])).rows;
  const { results, explain } = await runCases(
    'postgres',
    {
      base,
      ws: load.measured,
      n: opts.requests,
      admin: adminQ,
      baseline: baseQ,
      slackStandIn: server.slackStandIn,
      slackAnswers: server.slackAnswers,
      slackPosts: server.slackPosts,
      google: server.google,
    },
    opts,
    opts.explain ? (c, prepared) => explainCase(srv.url, load.measured, c, prepared) : null,
  );
  return {
    db: 'postgres',
    scale: opts.scale,
    contactsMeasured: load.measured.contacts,
    load: load.steps,
    loadMs: load.ms,
    migrateMs,
    rows: { ...load.rows },
    appPool: `slack-app/server.ts in its own process, DATABASE_POOL_MAX=${POOL_MAX}`,
    baselineConnection: `pg.Pool max ${POOL_MAX} (postgresPool) in the bench's process, unnamed parameterised queries`,
    cases: results,
    ...(opts.explain ? { explain } : {}),
  };
}

async function benchPglite(opts: Options, cleanups: (() => Promise<void>)[]): Promise<DbResult> {
  const contacts = workspaceSizes(opts.pgliteScale).reduce((a, b) => a + b, 0);
  log(`pglite: opening an in-memory database`);
  const pgl = await openPglite();
  cleanups.push(() => pgl.close().catch(() => {}));
  const runner = pgliteRunner(pgl);
  const t = performance.now();
  await migrate(runner);
  const migrateMs = Math.round(performance.now() - t);
  log(
    `pglite: loading ${contacts.toLocaleString('en')} contacts in 100 workspaces${opts.pgliteScale < opts.scale ? ` (scale ${opts.pgliteScale}, smaller than --scale ${opts.scale}: loading PGlite is slower)` : ''}`,
  );
  const load = await loadData([runner], opts.pgliteScale, log);
  log(`pglite: loaded in ${secs(load.ms)}: ${JSON.stringify(load.rows)}`);
  const db = pgliteDb(pgl, { closeWith: false });
  const { server, base } = await listen(db);
  cleanups.push(() => closeServer(server));
  log(`pglite: app listening on ${base}`);
  const q: Query = async (sql, params) => (await pgl.query<never>(sql, params)).rows;
  const { results } = await runCases('pglite', { base, ws: load.measured, n: opts.requests, admin: q, baseline: q }, opts, null);
  return {
    db: 'pglite',
    scale: opts.pgliteScale,
    contactsMeasured: load.measured.contacts,
    load: load.steps,
    loadMs: load.ms,
    migrateMs,
    rows: { ...load.rows },
    appPool: 'one PGlite instance (single connection, in process)',
    baselineConnection: 'the same PGlite instance, directly (pg.query)',
    cases: results,
  };
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const results: DbResult[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!().catch((e) => log(`cleanup: ${(e as Error).message}`));
  };
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  let embedded: EmbeddedResult | null = null;
  try {
    if (!opts.only || opts.only.includes('embedded')) {
      log('embedded: npm start on a fresh data directory (PGlite, demo workspace)');
      embedded = await measureEmbedded(log);
    }
    for (const d of opts.only?.every((n) => n === 'embedded') ? [] : opts.db) {
      const t = performance.now();
      results.push(d === 'postgres' ? await benchPostgres(opts, cleanups) : await benchPglite(opts, cleanups));
      await cleanup();
      log(`${d}: done in ${secs(performance.now() - t)}`);
    }
  } finally {
    await cleanup();
  }

  const cpus = os.cpus();
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    scale: opts.scale,
    // the output file as the repository names it, never a machine's own path
    options: { ...opts, out: path.relative(process.cwd(), opts.out) || opts.out },
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    embedded,
    databases: Object.fromEntries(results.map((r) => [r.db, r])),
  };
  console.log('');
  console.log(
    `Rapport bench ${out.date} | node ${out.node} | ${out.cpu}, ${out.cores} cores, ${out.totalMemoryGiB} GiB | ` +
      `${opts.requests} requests per case and side unless the case fixes its own`,
  );
  for (const r of results) {
    console.log(
      `${r.db}: scale ${r.scale} (${r.contactsMeasured.toLocaleString('en')} contacts measured, ${r.rows.contacts?.toLocaleString('en')} in all, ` +
        `${r.rows.interactions?.toLocaleString('en')} interactions, ${r.rows.participants?.toLocaleString('en')} participants), load ${secs(r.loadMs)}`,
    );
  }
  console.log('');
  console.log(table(results));
  if (embedded) {
    for (const [label, r] of [
      ['first start', embedded.cold],
      ['second start', embedded.warm],
    ] as const) {
      console.log(
        `\nembedded, ${label} (npm start, PGlite, demo workspace): first 200 on /healthz after ${r.startMs} ms; server RSS ${r.rssMb} MB, ` +
          `${r.rssAfterRequestsMb} MB after 200 requests (process tree with npm and tsx: ${r.treeRssMb} MB)`,
      );
    }
    console.log(`embedded target ${embedded.target.text}: ${embedded.target.met ? 'met' : 'NOT met'}`);
  }
  console.log('');
  console.log('ratio p50 = API p50 / baseline p50 (same run, same concurrency). total s = wall time of the API run. * = stopped by --max-seconds.');
  for (const r of results) for (const c of r.cases) if (c.verify) console.log(`${r.db} ${c.verify.line}`);
  for (const r of results) {
    for (const [name, text] of Object.entries(r.explain ?? {})) {
      console.log(`\n--- ${r.db} ${name}: EXPLAIN ANALYZE ---\n${text}`);
    }
  }
  await mkdir(path.dirname(opts.out), { recursive: true });
  await writeFile(opts.out, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), opts.out) || opts.out} (${out.totalSeconds} s in all)`);
  const bad = results.some((r) => r.cases.some((c) => c.http.errors + c.baseline.errors > 0 || (c.verify && !c.verify.ok)));
  if (bad) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.message.startsWith('usage') || e.message.includes('\nusage') ? e.message : e.stack) : e);
  process.exit(process.exitCode || 1);
});
