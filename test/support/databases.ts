import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { http, HttpResponse } from 'msw';
import pg from 'pg';
import { inject } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { migrate, type SqlRunner } from '../../backend/db/migrate.js';
import { openPglite, pgliteDb, pgliteRunner } from '../../backend/db/pglite.js';
import type { Db, DbKind } from '../../backend/db/port.js';
import { postgresDb, postgresPool, postgresRunner } from '../../backend/db/postgres.js';
import { supabaseDb } from '../../backend/db/supabase.js';

export const ADAPTERS: DbKind[] = ['pglite', 'postgres', 'supabase'];

export const SUPABASE_TEST_URL = 'http://supabase.test';
export const SUPABASE_TEST_KEY = `test-service-role-key-${'x'.repeat(20)}`;

export interface TestDb {
  kind: DbKind;
  db: Db;
  /** direct SQL on the same database, for arranging data and checking what was stored */
  sql: SqlRunner;
  /** msw handlers this database needs (the Supabase stand-in); empty otherwise */
  handlers: ReturnType<typeof http.post>[];
  close(): Promise<void>;
}

/**
 * A new PGlite, migrated: loaded from the snapshot global-setup.ts made of a
 * migrated database (read once per worker), else migrated here.
 */
let snapshot: Promise<Blob | null> | undefined;
async function freshPglite(): Promise<PGlite> {
  snapshot ??= (async () => {
    const file = inject('pgliteSnapshot');
    return file ? new Blob([await readFile(file)]) : null;
  })();
  const loadDataDir = await snapshot;
  if (loadDataDir) return openPglite({ loadDataDir });
  const pg = await openPglite();
  await migrate(pgliteRunner(pg));
  return pg;
}

/**
 * PostgREST's RPC, answered by running the same api function on PGlite, with
 * the checks the real one makes: the service key in apikey and Authorization,
 * the api schema in Content-Profile. Errors come back in PostgREST's shape.
 */
export function supabaseRpcHandler(pgdb: PGlite) {
  return http.post(`${SUPABASE_TEST_URL}/rest/v1/rpc/:fn`, async ({ request, params }) => {
    if (request.headers.get('apikey') !== SUPABASE_TEST_KEY || request.headers.get('authorization') !== `Bearer ${SUPABASE_TEST_KEY}`) {
      return HttpResponse.json({ code: 'PGRST301', message: 'Invalid API key', details: null, hint: null }, { status: 401 });
    }
    if (request.headers.get('content-profile') !== 'api') {
      return HttpResponse.json({ code: 'PGRST106', message: 'The schema must be one of the following: api', details: null, hint: null }, { status: 406 });
    }
    const fn = String(params.fn);
    const body = (await request.json()) as Record<string, unknown>;
    const names = Object.keys(body).sort().join(',');
    const sql = names === 'args,ctx' ? `select api.${fn}($1::jsonb, $2::jsonb) as r` : names === 'args' ? `select api.${fn}($1::jsonb) as r` : null;
    if (!sql || !/^[a-z_]+$/.test(fn)) {
      return HttpResponse.json({ code: 'PGRST202', message: `Could not find the function api.${fn}`, details: null, hint: null }, { status: 404 });
    }
    try {
      const res = await pgdb.query<{ r: unknown }>(sql, names === 'args' ? [JSON.stringify(body.args)] : [JSON.stringify(body.ctx), JSON.stringify(body.args)]);
      return HttpResponse.json(res.rows[0]!.r as never);
    } catch (e) {
      const err = e as { code?: string; message: string; detail?: string; hint?: string };
      const status = err.code === '23505' ? 409 : err.code?.startsWith('42') ? 404 : 400;
      return HttpResponse.json({ code: err.code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null }, { status });
    }
  });
}

/** A fresh, migrated database behind the named adapter. */
export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const pgdb = await freshPglite();
    return { kind, db: pgliteDb(pgdb), sql: pgliteRunner(pgdb), handlers: [], close: () => pgdb.close() };
  }
  if (kind === 'supabase') {
    const pgdb = await freshPglite();
    return {
      kind,
      db: supabaseDb(SUPABASE_TEST_URL, SUPABASE_TEST_KEY),
      sql: pgliteRunner(pgdb),
      handlers: [supabaseRpcHandler(pgdb)],
      close: () => pgdb.close(),
    };
  }
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template rapport_template`);
  await admin.end();
  const pool = postgresPool(adminUrl.replace(/\/postgres$/, `/${name}`), { max: 8 });
  return {
    kind,
    db: postgresDb(pool),
    sql: postgresRunner(pool),
    handlers: [],
    async close() {
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
