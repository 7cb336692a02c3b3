import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, seedIfEmpty } from '../../backend/db/migrate.js';
import { openTestDb, type TestDb } from '../support/databases.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO_WS = '00000000-0000-4000-8000-000000000001';

describe.each(['pglite', 'postgres'] as const)('migrations and the demo seed on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(t.sql)).toEqual([]);
  });

  it('loads the demo workspace once, consistent with the functions that read it', async () => {
    expect(await seedIfEmpty(t.sql)).toBe(true);
    expect(await seedIfEmpty(t.sql)).toBe(false);
    const count = async (table: string) =>
      Number((await t.sql.query<{ n: string | number }>(`select count(*) n from crm.${table} where workspace_id = $1`, [DEMO_WS]))[0]!.n);
    const roles = await t.sql.query<{ role: string }>(`select role from crm.members where workspace_id = $1`, [DEMO_WS]);
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'manager', 'rep', 'rep']);
    expect(await count('contacts')).toBeGreaterThanOrEqual(10);
    expect(await count('companies')).toBeGreaterThanOrEqual(3);
    expect(await count('interactions')).toBeGreaterThanOrEqual(10);
    expect(await count('follow_ups')).toBeGreaterThanOrEqual(5);
    const kinds = await t.sql.query<{ kind: string }>(`select distinct kind from crm.interactions where workspace_id = $1`, [DEMO_WS]);
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['email', 'slack', 'note']));
    // what capture would key them by, so capturing a seeded email again finds it
    const badKeys = await t.sql.query(`select id from crm.interactions where dedupe_key <> crm.dedupe_key(kind, source, external_id)`);
    expect(badKeys).toEqual([]);
    const stale = await t.sql.query(
      `select c.id from crm.contacts c
       where c.last_interaction_at is distinct from (select max(p.occurred_at) from crm.interaction_participants p where p.contact_id = c.id)`,
    );
    expect(stale).toEqual([]);
    const japanese = await t.sql.query(`select name from crm.contacts where workspace_id = $1 and name ~ '[一-龯ぁ-んァ-ン]'`, [DEMO_WS]);
    expect(japanese.length).toBeGreaterThanOrEqual(3);
  });
});

describe('npm run db:migrate', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('says a migrated database is up to date, and names DATABASE_URL when it is missing', { timeout: 60_000 }, async () => {
    const url = (await t.sql.query<{ db: string }>('select current_database() as db'))[0]!.db;
    const { inject } = await import('vitest');
    const admin = inject('pgAdminUrl');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'backend/cli/migrate.ts', '--url', admin.replace(/\/postgres$/, `/${url}`)], { cwd: ROOT });
    expect(stdout).toContain('up to date');
    const failed = await run(process.execPath, ['--import', 'tsx', 'backend/cli/migrate.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('DATABASE_URL');
  });
});
