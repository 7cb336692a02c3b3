import pg from 'pg';
import { type CallerContext, type Db, DbUnavailableError, assertFunctionName, pageSql, toDbError } from './port.js';
import type { SqlRunner } from './migrate.js';

/**
 * Any PostgreSQL reached with a connection string. Sessions run in UTC so the
 * timestamps inside the returned JSON read the same as PGlite's and Supabase's.
 */
export function postgresPool(url: string, opts: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 5_000,
    // a query that holds a connection longer than this is cut, so a stuck
    // database answers 503 instead of hanging every request behind it
    statement_timeout: 15_000,
    // and when the server itself stops answering (paused, a network partition)
    // nothing can cut the statement there: give up on our side a little later
    query_timeout: 20_000,
  });
  // an idle client's connection dying (server restart) must not crash the process
  pool.on('error', () => {});
  return pool;
}

export function postgresRunner(pool: pg.Pool | pg.Client): SqlRunner {
  return {
    async exec(sql) {
      await pool.query(sql);
    },
    async query<R>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params as unknown[])).rows as R[];
    },
  };
}

function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return (
    // 57014: cancelled by statement_timeout, a database too busy to answer in time
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08003', '57014'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
      (e as Error).message ?? '',
    )
  );
}

export function postgresDb(pool: pg.Pool): Db {
  async function row(sql: string, params: unknown[]): Promise<Record<string, unknown>> {
    try {
      const res = await pool.query(sql, params);
      return res.rows[0];
    } catch (e) {
      if (isConnectionError(e)) throw new DbUnavailableError(e);
      throw toDbError(e as never);
    }
  }
  const run = async <T>(sql: string, params: unknown[]): Promise<T> => (await row(sql, params)).r as T;
  const callerParams = (ctx: CallerContext, args: object) => [JSON.stringify(ctx), JSON.stringify(args)];
  return {
    kind: 'postgres',
    call<T>(fn: string, ctx: CallerContext, args: object) {
      return run<T>(`select api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb) as r`, callerParams(ctx, args));
    },
    callJson(fn: string, ctx: CallerContext, args: object) {
      return run<string>(`select api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb)::text as r`, callerParams(ctx, args));
    },
    async callPage(fn: string, ctx: CallerContext, args: object) {
      const r = await row(pageSql(fn), callerParams(ctx, args));
      return { itemsJson: r.items as string, nextCursor: r.cursor };
    },
    callAnonymous<T>(fn: string, args: object) {
      return run<T>(`select api.${assertFunctionName(fn)}($1::jsonb) as r`, [JSON.stringify(args)]);
    },
    async close() {
      await pool.end();
    },
  };
}
