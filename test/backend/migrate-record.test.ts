import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Migration, type SqlRunner } from '../../backend/db/migrate.js';
import { openPglite, pgliteRunner } from '../../backend/db/pglite.js';
import { postgresRunner } from '../../backend/db/postgres.js';
import { emptyPostgresDatabase, type EmptyDatabase } from '../support/empty-database.js';

/** The last migration a database migrated before the record left public could have had. */
const OLD_HEAD = '20261202000300';

/**
 * A database the previous migrator left: the migrations up to OLD_HEAD
 * applied, recorded in public.rapport_schema_migrations.
 */
async function oldDatabase(sql: SqlRunner, all: Migration[]) {
  await migrate(
    sql,
    all.filter((m) => m.version <= OLD_HEAD),
  );
  await sql.exec(`
    create table public.rapport_schema_migrations (version text primary key, name text not null, applied_at timestamptz not null default now());
    insert into public.rapport_schema_migrations select version, name, applied_at - interval '7 days' from rapport.schema_migrations;
    drop schema rapport cascade;`);
}

const recorded = (sql: SqlRunner) =>
  sql.query<{ version: string; old: boolean }>(`select version, applied_at < now() - interval '1 day' as old from rapport.schema_migrations order by 1`);

describe.each(['pglite', 'postgres'] as const)('the migrations record on %s', (kind) => {
  let sql: SqlRunner;
  let db: EmptyDatabase | undefined;
  let close: () => Promise<void>;
  let all: Migration[];
  beforeAll(async () => {
    all = await loadMigrations();
    if (kind === 'pglite') {
      const p = await openPglite();
      sql = pgliteRunner(p);
      close = () => p.close();
    } else {
      db = await emptyPostgresDatabase();
      sql = db.sql;
      close = db.close;
    }
    await oldDatabase(sql, all);
  });
  afterAll(async () => {
    await close?.();
  });

  it('moves out of public once, keeping what was applied and when, then applies only the rest', async () => {
    const before = all.filter((m) => m.version <= OLD_HEAD).map((m) => m.version);
    const after = all.filter((m) => m.version > OLD_HEAD).map((m) => m.version);
    expect(after.length).toBeGreaterThan(0);
    if (kind === 'postgres') {
      // two copies starting together: the lock makes them take turns, and the rows move once
      const second = new pg.Client({ connectionString: db!.url });
      await second.connect();
      try {
        const [a, b] = await Promise.all([migrate(sql), migrate(postgresRunner(second))]);
        expect([a, b].sort((x, y) => x.length - y.length)).toEqual([[], after]);
      } finally {
        await second.end();
      }
    } else {
      expect(await migrate(sql)).toEqual(after);
    }
    const rows = await recorded(sql);
    expect(rows.map((r) => r.version)).toEqual([...before, ...after]);
    expect(rows.filter((r) => r.old).map((r) => r.version)).toEqual(before);
    expect((await sql.query(`select to_regclass('public.rapport_schema_migrations') as t`))[0]).toEqual({ t: null });
    expect(await migrate(sql)).toEqual([]);
  });
});
