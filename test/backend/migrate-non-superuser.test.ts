import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_ROLES } from '../../backend/db/migrate.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const migrateCli = (url: string) => run(process.execPath, ['--import', 'tsx', 'backend/cli/migrate.ts', '--url', url], { cwd: ROOT });

/**
 * `npm run db:migrate` as a new user of a plain PostgreSQL runs it: as the
 * owner of a fresh database, not a superuser. Its own server, since the
 * request roles are the server's, and the shared one has them already.
 */
describe('npm run db:migrate as a database owner who is not a superuser', () => {
  let server: PostgresServer;
  let admin: pg.Client;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create role rapport_owner login');
    await admin.query('create database rapport_app owner rapport_owner');
    url = server.url.replace('postgres@', 'rapport_owner@').replace(/\/postgres$/, '/rapport_app');
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** statements as a superuser in rapport_app, on one session; the last one's rows */
  const inApp = async <R extends pg.QueryResultRow>(...statements: string[]) => {
    const c = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/rapport_app') });
    await c.connect();
    try {
      let rows: R[] = [];
      for (const s of statements) rows = (await c.query<R>(s)).rows;
      return rows;
    } finally {
      await c.end();
    }
  };

  it('names, in one sentence, the roles a superuser must create, and writes nothing', { timeout: 60_000 }, async () => {
    const failed = await migrateCli(url).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(1);
    const said = (failed as { stderr: string }).stderr.trim();
    expect(said.split('\n')).toHaveLength(1);
    expect(said).toMatch(/^The roles anon, authenticated, service_role, authenticator do not exist and only a superuser can create them: .*\.$/);
    for (const role of REQUIRED_ROLES) expect(said).toContain(role.create);
    // nothing half-applied: no schema, no record, no role
    expect(await inApp(`select nspname from pg_namespace where nspname in ('rapport', 'crm', 'api', 'extensions')`)).toEqual([]);
    expect((await admin.query(`select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')`)).rows).toEqual([]);

    // README's "Using your own PostgreSQL" shows the same statements
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Using your own PostgreSQL'), readme.indexOf('\n## ', readme.indexOf('## Using your own PostgreSQL') + 1));
    for (const role of REQUIRED_ROLES) expect(section).toContain(role.create);

    // a superuser runs what the sentence says; then the owner migrates alone
    await admin.query(/`([^`]+)`/.exec(said)![1]!);
    const { stdout } = await migrateCli(url);
    expect(stdout).toMatch(/^applied \d+ migration\(s\)/);
    const owners = await inApp<{ owner: string; n: string }>(
      `select r.rolname as owner, count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.oid = c.relowner
       where n.nspname in ('crm', 'rapport') and c.relkind = 'r' group by 1`,
    );
    expect(owners.map((o) => o.owner)).toEqual(['rapport_owner']);
    expect(Number(owners[0]!.n)).toBeGreaterThan(10);
    // the backend's role can use what the owner made
    expect(await inApp(`set role service_role`, `select api.healthz('{}'::jsonb) is not null as ok`)).toEqual([{ ok: true }]);
    expect((await migrateCli(url)).stdout).toContain('up to date');
  });
});
