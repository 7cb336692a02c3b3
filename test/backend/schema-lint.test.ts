import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_ROLES, migrate, type SqlRunner } from '../../backend/db/migrate.js';
import { emptyDatabase } from '../support/empty-database.js';
import { LINTS, SUPABASE_PUBLIC_DEFAULTS, exposedSchemas, type Lint } from '../support/schema-lints.js';

const exposed = exposedSchemas();
const run = (sql: SqlRunner, lint: Lint) =>
  sql
    .query<{ object: string }>(`select object from (${lint.sql}) l order by 1`, lint.sql.includes('$1') ? [exposed] : [])
    .then((rows) => rows.map((r) => r.object));

/**
 * Supabase's database linter on the migrated schema, as a Supabase project
 * would have it (public granted to the request roles by default): no ERROR or
 * WARN, and every foreign key covered by an index.
 */
describe.each(['pglite', 'postgres'] as const)("Supabase's linter on %s", (kind) => {
  let sql: SqlRunner;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, close } = await emptyDatabase(kind));
    // the request roles exist before the first migration on Supabase (and on the shared test server)
    const have = new Set((await sql.query<{ rolname: string }>('select rolname from pg_roles')).map((r) => r.rolname));
    for (const role of REQUIRED_ROLES) if (!have.has(role.name)) await sql.exec(role.create);
    await sql.exec(SUPABASE_PUBLIC_DEFAULTS);
    await migrate(sql);
  });
  afterAll(async () => {
    await close?.();
  });

  it('exposes the schemas config.toml names', () => {
    expect(exposed).toEqual(expect.arrayContaining(['public', 'api']));
    expect(exposed).not.toContain('crm');
  });

  it.each(LINTS.map((l) => [`${l.level} ${l.name} (${l.id})`, l] as const))('%s finds nothing', async (_, lint) => {
    expect(await run(sql, lint)).toEqual([]);
  });

  it('would have found what it is for: a table left in public, a definer function for anon, an unindexed key', async () => {
    const find = async (name: string) => run(sql, LINTS.find((l) => l.name === name)!);
    await sql.exec(`
      begin;
      create table public.rapport_schema_migrations (version text primary key, name text not null, api_token text);
      create function api.lint_probe() returns int language sql security definer set search_path = pg_catalog as 'select 1';
      grant execute on function api.lint_probe() to anon;
      create table crm.lint_probe (id uuid primary key, contact_id uuid references crm.contacts (id));`);
    try {
      expect(await find('rls_disabled_in_public')).toEqual(['rapport_schema_migrations']);
      expect(await find('sensitive_columns_exposed')).toEqual(['rapport_schema_migrations']);
      expect(await find('pg_graphql_anon_table_exposed')).toEqual(['rapport_schema_migrations']);
      expect(await find('pg_graphql_authenticated_table_exposed')).toEqual(['rapport_schema_migrations']);
      expect(await find('anon_security_definer_function_executable')).toEqual(['api.lint_probe()']);
      expect(await find('unindexed_foreign_keys')).toEqual(['crm.lint_probe lint_probe_contact_id_fkey']);
    } finally {
      await sql.exec('rollback');
    }
  });

  it("keeps the migrator's record out of the exposed schemas, out of the request roles' reach", async () => {
    const [where] = await sql.query<{ schema: string; anon: boolean; authed: boolean }>(
      `select n.nspname as schema, has_schema_privilege('anon', n.oid, 'usage') as anon, has_schema_privilege('authenticated', n.oid, 'usage') as authed
       from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = 'rapport.schema_migrations'::regclass`,
    );
    expect(where).toEqual({ schema: 'rapport', anon: false, authed: false });
    expect(exposed).not.toContain('rapport');
    expect((await sql.query(`select to_regclass('public.rapport_schema_migrations') as t`))[0]).toEqual({ t: null });
  });
});
