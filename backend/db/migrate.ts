import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** supabase/migrations, the only definition of the schema. */
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

/**
 * Applies the migrations not yet recorded in public.rapport_schema_migrations,
 * each in its own transaction, under an advisory lock so that two copies
 * starting together do not race. Returns the versions applied.
 */
export async function migrate(db: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await db.exec(`
    create table if not exists public.rapport_schema_migrations (
      version text primary key,
      name text not null,
      applied_at timestamptz not null default now()
    );
    select pg_advisory_lock(727274);
  `);
  try {
    const done = new Set(
      (await db.query<{ version: string }>('select version from public.rapport_schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      try {
        await db.exec(`begin;\n${m.sql}\n;insert into public.rapport_schema_migrations (version, name) values ('${m.version}', '${m.name}');\ncommit;`);
      } catch (e) {
        await db.exec('rollback').catch(() => {});
        throw new Error(`migration ${m.version}_${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await db.exec('select pg_advisory_unlock(727274)');
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
