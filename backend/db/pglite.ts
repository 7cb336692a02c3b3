import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type CallerContext, type Db, assertFunctionName, pageSql, toDbError } from './port.js';
import type { SqlRunner } from './migrate.js';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, in this process.
 * `dataDir` undefined keeps everything in memory (tests); a path persists it.
 */
/**
 * PGlite's own start parameters (PGlite.defaultStartParams in 0.3) with smaller
 * shared buffers: 128 MB of them is most of a server's memory, and the embedded
 * database of a small team fits in a fraction (the OS caches the files too).
 * Measured with `npm run bench -- --only embedded` (server RSS after the demo
 * loads): 128 MB 587 MB (with the cluster created in process), 32 MB 328 MB,
 * 16 MB 268 MB (with --max-semi-space-size=4 in `npm start` as well).
 */
const SMALL_START_PARAMS = [
  '--single',
  '-F',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'io_method=sync',
  '-c',
  'max_parallel_maintenance_workers=0',
  '-c',
  'shared_buffers=16MB',
];

export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File; small?: boolean } = {}): Promise<PGlite> {
  return PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    // not btree_gin: loaded here it breaks pg_trgm's % operator (see
    // supabase/migrations/20261124001920_search_walk_first.sql)
    extensions: { pg_trgm },
    // only for an existing data directory: creating one with these parameters costs more memory, not less
    ...(opts.small ? { startParams: SMALL_START_PARAMS } : {}),
  });
}

export function pgliteRunner(pg: PGlite): SqlRunner {
  return {
    async exec(sql) {
      await pg.exec(sql);
    },
    async query<R>(sql: string, params?: unknown[]) {
      return (await pg.query<R>(sql, params)).rows;
    },
  };
}

export function pgliteDb(pg: PGlite, opts: { closeWith?: boolean } = {}): Db {
  let inFlight = 0;
  async function counted<R>(run: () => Promise<R>): Promise<R> {
    inFlight += 1;
    try {
      return await run();
    } finally {
      inFlight -= 1;
    }
  }
  async function row<R>(sql: string, ctx: CallerContext, args: object): Promise<R> {
    try {
      const res = await counted(() => pg.query<R>(sql, [JSON.stringify(ctx), JSON.stringify(args)]));
      return res.rows[0]!;
    } catch (e) {
      throw toDbError(e as never);
    }
  }
  return {
    kind: 'pglite',
    async call<T>(fn: string, ctx: CallerContext, args: object) {
      return (await row<{ r: T }>(`select api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb) as r`, ctx, args)).r;
    },
    async callJson(fn: string, ctx: CallerContext, args: object) {
      return (await row<{ r: string }>(`select api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb)::text as r`, ctx, args)).r;
    },
    async callPage(fn: string, ctx: CallerContext, args: object) {
      const r = await row<{ items: string; cursor: unknown }>(pageSql(fn), ctx, args);
      return { itemsJson: r.items, nextCursor: r.cursor };
    },
    async callAnonymous<T>(fn: string, args: object) {
      try {
        const res = await counted(() => pg.query<{ r: T }>(`select api.${assertFunctionName(fn)}($1::jsonb) as r`, [JSON.stringify(args)]));
        return res.rows[0]!.r;
      } catch (e) {
        throw toDbError(e as never);
      }
    },
    inFlight: () => inFlight,
    async close() {
      if (opts.closeWith !== false) await pg.close();
    },
  };
}
