import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** supabase/migrations: what is deployed, append-only (supabase/schema/ is generated from it for reading). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../supabase/migrations/', import.meta.url));
export const SEED_FILE = fileURLToPath(new URL('../../supabase/seed.sql', import.meta.url));

/** What the migrator needs from a connection: run a script, run a query. */
export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

/** 20261124000100_foundation.sql -> { version: '20261124000100', name: 'foundation' } */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({
      version: f.slice(0, 14),
      name: path.basename(f.slice(15), '.sql'),
      sql: await readFile(path.join(dir, f), 'utf8'),
    })),
  );
}

/** One lock for every copy of the migrator on a database: two copies starting together take turns. */
const LOCK = 727274;

/**
 * Where the migrator records what it applied: schema `rapport`, which no API
 * exposes (Supabase's PostgREST serves `public`, where anon could have read
 * and deleted the list). The migrator makes the schema itself, since it
 * records the very first migration.
 */
export const MIGRATIONS_TABLE = 'rapport.schema_migrations';

/**
 * The roles the migrations grant to (foundation, authenticator_role), with the
 * statements that make them as those migrations would. Only a superuser may
 * make service_role (BYPASSRLS).
 */
export const REQUIRED_ROLES: { name: string; create: string }[] = [
  { name: 'anon', create: 'create role anon nologin noinherit;' },
  { name: 'authenticated', create: 'create role authenticated nologin noinherit;' },
  { name: 'service_role', create: 'create role service_role nologin noinherit bypassrls;' },
  {
    name: 'authenticator',
    create: 'create role authenticator nologin noinherit; grant anon, authenticated, service_role to authenticator;',
  },
];

/** The one sentence a role that is not a superuser gets when roles are missing, naming what a superuser must run. */
export function missingRolesMessage(missing: string[]): string {
  const statements = REQUIRED_ROLES.filter((r) => missing.includes(r.name))
    .map((r) => r.create)
    .join(' ');
  return `The roles ${missing.join(', ')} do not exist and only a superuser can create them: ask one to run \`${statements}\` on this server, then run npm run db:migrate again.`;
}

/**
 * Applies the migrations not yet recorded in rapport.schema_migrations, each
 * in its own transaction, under an advisory lock so that two copies starting
 * together do not race. Returns the versions applied. A database migrated
 * before the record moved out of `public` has its rows carried over first,
 * once. When roles the migrations need are missing and this role cannot make
 * them, it stops before writing anything.
 */
export async function migrate(db: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await db.exec(`select pg_advisory_lock(${LOCK})`);
  try {
    const [who] = await db.query<{ missing: string[] | null; superuser: boolean }>(
      `select (select array_agg(r order by o) from unnest($1::text[]) with ordinality x(r, o)
               where not exists (select 1 from pg_roles where rolname = r)) as missing,
              (select rolsuper from pg_roles where rolname = current_user) as superuser`,
      [REQUIRED_ROLES.map((r) => r.name)],
    );
    if (who?.missing?.length && !who.superuser) throw new Error(missingRolesMessage(who.missing));
    await db
      .exec(`
      begin;
      create schema if not exists rapport;
      revoke all on schema rapport from public;
      create table if not exists ${MIGRATIONS_TABLE} (
        version text primary key,
        name text not null,
        applied_at timestamptz not null default now()
      );
      do $$
      begin
        if to_regclass('public.rapport_schema_migrations') is not null then
          insert into ${MIGRATIONS_TABLE} (version, name, applied_at)
            select version, name, applied_at from public.rapport_schema_migrations
            on conflict (version) do nothing;
          drop table public.rapport_schema_migrations;
        end if;
      end
      $$;
      commit;`)
      .catch(async (e) => {
        await db.exec('rollback').catch(() => {});
        throw e;
      });
    const done = new Set((await db.query<{ version: string }>(`select version from ${MIGRATIONS_TABLE}`)).map((r) => r.version));
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      try {
        await db.exec(`begin;\n${m.sql}\n;insert into ${MIGRATIONS_TABLE} (version, name) values ('${m.version}', '${m.name}');\ncommit;`);
      } catch (e) {
        await db.exec('rollback').catch(() => {});
        throw new Error(`migration ${m.version}_${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await db.exec(`select pg_advisory_unlock(${LOCK})`);
  }
}

/** Loads supabase/seed.sql (the demo workspace) when the database holds no workspace yet. */
export async function seedIfEmpty(db: SqlRunner, file = SEED_FILE): Promise<boolean> {
  const [row] = await db.query<{ n: number | string }>('select count(*) as n from crm.workspaces');
  if (Number(row?.n) > 0) return false;
  const sql = await readFile(file, 'utf8');
  await db.exec(`begin;\n${sql}\n;commit;`);
  return true;
}
