import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { SqlRunner } from '../../backend/db/migrate.js';
import { openPglite, pgliteRunner } from '../../backend/db/pglite.js';
import { postgresRunner } from '../../backend/db/postgres.js';

export interface EmptyDatabase {
  url: string;
  /** one session on it (SET and advisory locks hold for the session) */
  sql: SqlRunner;
  close(): Promise<void>;
}

/**
 * A new, unmigrated database on the tests' PostgreSQL server, for a test that
 * must see what happens before or between migrations (openTestDb gives a
 * migrated copy of the template).
 */
export async function emptyPostgresDatabase(): Promise<EmptyDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  return {
    url,
    sql: postgresRunner(client),
    async close() {
      await client.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** An unmigrated database of either kind: a new in-memory PGlite, or emptyPostgresDatabase(). */
export async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<Pick<EmptyDatabase, 'sql' | 'close'>> {
  if (kind === 'postgres') return emptyPostgresDatabase();
  const db = await openPglite();
  return { sql: pgliteRunner(db), close: () => db.close() };
}
