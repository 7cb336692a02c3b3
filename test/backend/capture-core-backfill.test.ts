import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type SqlRunner } from '../../backend/db/migrate.js';
import { emptyDatabase } from '../support/empty-database.js';

const CAPTURE_CORE = '20261203002000';

/**
 * The capture-core migration on a database that already holds interactions:
 * each one with an author gets that author as its first capturer, the way
 * named by its source; one without an author gets none.
 */
describe.each(['pglite', 'postgres'] as const)('capture core backfill (%s)', (kind) => {
  let sql: SqlRunner;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, close } = await emptyDatabase(kind));
  });
  afterAll(async () => {
    await close?.();
  });

  it('records each existing interaction’s author as its capturer, via its source', async () => {
    const all = await loadMigrations();
    await migrate(
      sql,
      all.filter((m) => m.version < CAPTURE_CORE),
    );
    const ws = randomUUID();
    const rep = randomUUID();
    await sql.query(`insert into crm.workspaces (id, name) values ($1, 'Backfill')`, [ws]);
    await sql.query(`insert into crm.members (id, workspace_id, email, display_name) values ($1, $2, 'rep@backfill.test', 'Rep')`, [rep, ws]);
    const sources = ['gmail', 'slack', 'api', 'manual', 'import'];
    for (const [n, source] of sources.entries()) {
      await sql.query(
        `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key, author_id)
         values ($1, 'note', 'internal', now(), $2, $3, $4, $5)`,
        [ws, source, `x${n}`, `${source}:x${n}`, rep],
      );
    }
    await sql.query(
      `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key)
       values ($1, 'note', 'internal', now(), 'import', 'orphan', 'import:orphan')`,
      [ws],
    );

    expect(await migrate(sql, all)).toContain(CAPTURE_CORE);
    const rows = await sql.query<{ source: string; via: string | null }>(
      `select i.source, c.via from crm.interactions i
         left join crm.interaction_capturers c on c.workspace_id = i.workspace_id and c.interaction_id = i.id
        where i.workspace_id = $1 order by i.external_id`,
      [ws],
    );
    expect(rows).toEqual([
      { source: 'import', via: null },
      { source: 'gmail', via: 'addon' },
      { source: 'slack', via: 'slack' },
      { source: 'api', via: 'api' },
      { source: 'manual', via: 'api' },
      { source: 'import', via: 'import' },
    ]);
  });
});
