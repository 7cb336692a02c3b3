import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresRunner } from '../../backend/db/postgres.js';
import { readSchema } from '../../backend/db/schema-dump.js';
import { HEADER, mergeVariants, readSchemaDir, renderFiles, staleFiles, variantOf } from '../../backend/db/schema-files.js';
import { openTestDb, type TestDb } from '../support/databases.js';

/**
 * supabase/schema/ is what the migrations give, on each database: a change
 * to a migration without `npm run db:schema` (or an edit by hand) fails here.
 */
describe.each(['pglite', 'postgres'] as const)('supabase/schema on %s', (kind) => {
  let t: TestDb;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  it('holds exactly the definitions a freshly migrated database has', async () => {
    let sql = t.sql;
    if (kind === 'postgres') {
      // readSchema sets search_path for its session: one connection, not the pool
      const [{ db }] = (await t.sql.query<{ db: string }>('select current_database() as db')) as [{ db: string }];
      client = new pg.Client({ connectionString: inject('pgAdminUrl').replace(/\/postgres$/, `/${db}`) });
      await client.connect();
      sql = postgresRunner(client);
    }
    const rendered = renderFiles(await readSchema(sql));
    const onDisk = await readSchemaDir();
    expect(rendered.size).toBeGreaterThan(100);
    const stale = staleFiles(onDisk, rendered, kind);
    if (stale.length) {
      const first = stale[0]!.split(':')[0]!;
      const mine = onDisk.has(first) ? variantOf(onDisk.get(first)!, kind) : '(missing)';
      expect.fail(
        `run npm run db:schema: ${stale.join(', ')}\n--- ${first} on disk (${kind})\n${mine}\n--- from the database\n${rendered.get(first) ?? '(none)'}`,
      );
    }
  });
});

describe('the variant markers', () => {
  const server = new Map([
    ['t.sql', ['create table t ();', 'create index a on t (x);', 'create index s on t (w, x);', 'grant select on table t to r;']],
    ['only-server.sql', ['create extension e;']],
  ]);
  const embedded = new Map([['t.sql', ['create table t ();', 'create index a on t (x);', 'create index e on t (x);', 'grant select on table t to r;']]]);

  it('write shared statements once and mark the rest, and give each database back exactly its own files', () => {
    const merged = mergeVariants(server, embedded);
    expect(merged.get('t.sql')).toBe(
      `${HEADER}\ncreate table t ();\n\ncreate index a on t (x);\n\n-- PostgreSQL only {\ncreate index s on t (w, x);\n-- }\n\n-- PGlite only {\ncreate index e on t (x);\n-- }\n\ngrant select on table t to r;\n`,
    );
    expect(staleFiles(merged, renderFiles(server), 'postgres')).toEqual([]);
    expect(staleFiles(merged, renderFiles(embedded), 'pglite')).toEqual([]);
    expect(staleFiles(merged, renderFiles(embedded), 'postgres')).toEqual(['only-server.sql: no such object in the database', 't.sql: differs']);
  });

  it('refuse a statement that holds a marker line', () => {
    expect(() => mergeVariants(new Map([['x.sql', ['a\n-- }\nb']]]), new Map())).toThrow(/marker/);
  });
});
