import path from 'node:path';
import pg from 'pg';
import { migrate } from '../db/migrate.js';
import { openPglite, pgliteRunner } from '../db/pglite.js';
import { postgresRunner } from '../db/postgres.js';
import { readSchema, type SchemaStatements } from '../db/schema-dump.js';
import { SCHEMA_DIR, mergeVariants, readSchemaDir, writeSchemaDir } from '../db/schema-files.js';
import { readArgs } from './args.js';

/**
 * `npm run db:schema [-- --check] [-- --url postgres://...]`: writes
 * supabase/schema/, the current definition of every object, from a fresh
 * embedded database and a fresh PostgreSQL database, both migrated with
 * supabase/migrations (statements only one of them has are marked so). The
 * PostgreSQL one is a throwaway server started the way the tests start it
 * (Debian's `postgresql` package), or with --url an already migrated database
 * of yours, read and not changed. --check writes nothing and exits 1 when the
 * files are not what the migrations give.
 */
async function main() {
  const { values: flags } = readArgs(process.argv.slice(2), { url: { type: 'string' }, check: { type: 'boolean' } });
  const embedded = await fromPglite();
  const server = flags.url !== undefined ? await fromPostgres(flags.url) : await fromThrowawayPostgres();
  const files = mergeVariants(server, embedded);
  const onDisk = await readSchemaDir();
  const changed = [...new Set([...files.keys(), ...onDisk.keys()])].filter((f) => files.get(f) !== onDisk.get(f)).sort();
  const where = path.relative(process.cwd(), SCHEMA_DIR) || '.';
  if (flags.check) {
    if (changed.length) {
      console.error(`${where} is not what the migrations give (${changed.join(', ')}): run npm run db:schema`);
      process.exit(1);
    }
    console.log(`${where} is up to date (${files.size} files)`);
    return;
  }
  await writeSchemaDir(files);
  console.log(`${where}: ${files.size} files, ${changed.length} changed${changed.length ? `: ${changed.join(', ')}` : ''}`);
}

async function fromPglite(): Promise<SchemaStatements> {
  const db = await openPglite();
  try {
    await migrate(pgliteRunner(db));
    return await readSchema(pgliteRunner(db));
  } finally {
    await db.close();
  }
}

async function fromPostgres(url: string): Promise<SchemaStatements> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await readSchema(postgresRunner(client));
  } finally {
    await client.end();
  }
}

async function fromThrowawayPostgres(): Promise<SchemaStatements> {
  // the tests' own server: the same binaries, a temp directory, removed after
  const { startPostgres } = await import('../../test/support/postgres-server.js');
  const server = await startPostgres();
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await migrate(postgresRunner(client));
    } finally {
      await client.end();
    }
    return await fromPostgres(server.url);
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
