import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type CallerContext, type Db, assertFunctionName, toDbError } from './port.js';
import type { SqlRunner } from './migrate.js';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, in this process.
 * `dataDir` undefined keeps everything in memory (tests); a path persists it.
 */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File } = {}): Promise<PGlite> {
  return PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { pg_trgm },
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
  return {
    kind: 'pglite',
    async call<T>(fn: string, ctx: CallerContext, args: object) {
      try {
        const res = await pg.query<{ r: T }>(`select api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb) as r`, [
          JSON.stringify(ctx),
          JSON.stringify(args),
        ]);
        return res.rows[0]!.r;
      } catch (e) {
        throw toDbError(e as never);
      }
    },
    async callAnonymous<T>(fn: string, args: object) {
      try {
        const res = await pg.query<{ r: T }>(`select api.${assertFunctionName(fn)}($1::jsonb) as r`, [JSON.stringify(args)]);
        return res.rows[0]!.r;
      } catch (e) {
        throw toDbError(e as never);
      }
    },
    async close() {
      if (opts.closeWith !== false) await pg.close();
    },
  };
}
