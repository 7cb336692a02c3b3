import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../backend/db/migrate.js';
import { openPglite, pgliteRunner } from '../backend/db/pglite.js';
import { DEMO_ADMIN_EMAIL, prepare } from '../backend/db/pglite-prepare.js';
import { postgresRunner } from '../backend/db/postgres.js';
import { startPostgres, type PostgresServer } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the throwaway server's admin URL; databases made from rapport_template are migrated */
    pgAdminUrl: string;
    /** a migrated PGlite's data directory as a tar file; each test's PGlite starts from it */
    pgliteSnapshot: string;
    /** an embedded data directory as `npm start` prepares it (migrated, the demo workspace, demo-token); a spawned server starts from a copy */
    embeddedDataDir: string;
  }
}

let server: PostgresServer | undefined;
let snapshotDir: string | undefined;
let embeddedDir: string | undefined;

/**
 * One real PostgreSQL server for the whole run, in a temporary directory, with
 * the migrations applied once to a template database that each test file
 * copies (CREATE DATABASE ... TEMPLATE is a file copy: milliseconds).
 */
export async function setup(project: TestProject) {
  server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('create database rapport_template');
  await admin.end();
  const tpl = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/rapport_template'), options: '-c TimeZone=UTC' });
  await tpl.connect();
  await migrate(postgresRunner(tpl));
  await tpl.end();
  project.provide('pgAdminUrl', server.url);
  project.provide('pgliteSnapshot', await pgliteSnapshot());
  project.provide('embeddedDataDir', await embeddedDataDir());
}

/**
 * The embedded data directory a first `npm start` makes (initdb, the
 * migrations, the demo workspace and its token: 9.6 s on an idle machine),
 * made once; a test that spawns the server on a copy of it starts in 3.4 s.
 * (test/backend/server.test.ts still starts on an empty one: that start is
 * what it tests.)
 */
async function embeddedDataDir(): Promise<string> {
  embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-embedded-'));
  await prepare({ dataDir: embeddedDir, demo: true, demoAdminEmail: DEMO_ADMIN_EMAIL });
  return embeddedDir;
}

/**
 * The same for PGlite: migrated once, its data directory written to a tar
 * file that each test's PGlite loads. A new PGlite runs initdb (2-6 s on two
 * busy cores) and then the migrations (1.5 s); loading the snapshot takes
 * 1.5-2.5 s, and ~150 PGlite databases are made in a run.
 */
async function pgliteSnapshot(): Promise<string> {
  const db = await openPglite();
  try {
    await migrate(pgliteRunner(db));
    snapshotDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-pglite-'));
    const file = path.join(snapshotDir, 'migrated.tar');
    await writeFile(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
    return file;
  } finally {
    await db.close();
  }
}

export async function teardown() {
  await server?.stop();
  if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
  if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
}
