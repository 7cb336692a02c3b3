import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, loadMigrations, migrate, type SqlRunner } from '../../backend/db/migrate.js';
import { emptyDatabase } from '../support/empty-database.js';

const STATED = '20261202001000';

/** What a function is, as the catalogue holds it: its full definition, settings and privileges. */
const FUNCTIONS = `
  select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
    pg_get_functiondef(p.oid) as def, p.proacl::text as acl, p.proconfig::text as config,
    p.procost::text as cost, p.prorows::text as rows, p.prosecdef as definer, p.proleakproof as leakproof
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('crm', 'api') order by 1`;

/** The names 20261124002400_hot_functions_plpgsql.sql rewrote from the catalogue (its `wanted` list). */
async function rewrittenNames(): Promise<string[]> {
  const sql = await readFile(path.join(MIGRATIONS_DIR, '20261124002400_hot_functions_plpgsql.sql'), 'utf8');
  const list = /wanted text\[\] := array\[([\s\S]*?)\];/.exec(sql)![1]!.replace(/--[^\n]*/g, '');
  return [...list.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).sort();
}

describe.each(['pglite', 'postgres'] as const)('the helpers stated in full (%s)', (kind) => {
  let sql: SqlRunner;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, close } = await emptyDatabase(kind));
  });
  afterAll(async () => {
    await close?.();
  });

  it('states each function the catalogue rewrite made, and changes nothing that runs', async () => {
    const all = await loadMigrations();
    const stated = all.find((m) => m.version === STATED)!;
    const names = [...stated.sql.matchAll(/^create or replace function crm\.([a-z_]+)\(/gm)].map((m) => m[1]!).sort();
    expect(names).toHaveLength(28);
    expect(names).toEqual(await rewrittenNames());

    await migrate(
      sql,
      all.filter((m) => m.version < STATED),
    );
    const before = await sql.query(FUNCTIONS);
    expect(
      await migrate(
        sql,
        all.filter((m) => m.version <= STATED),
      ),
    ).toEqual([STATED]);
    const after = await sql.query(FUNCTIONS);
    expect(before.length).toBeGreaterThan(100);
    expect(after).toEqual(before);
  });
});
