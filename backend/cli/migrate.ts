import { migrate } from '../db/migrate.js';
import { postgresPool, postgresRunner } from '../db/postgres.js';
import { readArgs } from './args.js';

/**
 * `npm run db:migrate [-- --url postgres://...]`: applies supabase/migrations
 * to a PostgreSQL database (DATABASE_URL by default). The embedded database
 * migrates itself at start; a Supabase project takes `supabase db push`.
 */
async function main() {
  const { values: flags } = readArgs(process.argv.slice(2), { url: { type: 'string' } });
  const url = flags.url ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set: set it, or pass --url postgres://user@host:port/db');
    process.exit(2);
  }
  const pool = postgresPool(url, { max: 1 });
  try {
    const applied = await migrate(postgresRunner(pool));
    console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the database is up to date');
  } finally {
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
