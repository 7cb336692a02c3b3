import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newApiToken } from './auth/api-tokens.js';
import { createGoogleIdTokenVerifier } from './auth/google-id-token.js';
import { migrate, seedIfEmpty } from './db/migrate.js';
import { openPglite, pgliteDb, pgliteRunner } from './db/pglite.js';
import { type DataDirLock, type Holder, lockEmbeddedDataDir } from './db/data-dir-lock.js';
import { DEMO_ADMIN_EMAIL, prepareEmbedded, type Prepared } from './db/pglite-prepare.js';
import type { Db } from './db/port.js';
import { postgresDb, postgresPool } from './db/postgres.js';
import { supabaseDb } from './db/supabase.js';
import { databaseKind, type Env } from './env.js';
import { gmailSettings } from './google/settings.js';
import { signinDeps } from './web/signin-settings.js';
import type { AppDeps } from './types.js';
import { randomBytes } from 'node:crypto';

export interface Runtime {
  deps: AppDeps;
  /** set on the embedded database's first start: the demo admin's token, shown once */
  demoToken?: string;
  demoTokenFile?: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** the embedded database's preparation when the caller started it already (prepareEmbedded) */
  early?: Promise<Prepared | null>;
  /** the data directory's lock when the caller took it already (the server takes it before preparing) */
  lock?: DataDirLock;
  /** who takes the lock otherwise, named in the sentence another process is refused with */
  holder?: Holder;
  /**
   * a new data directory is created in this process, not in a child: for a
   * command that exits when done (npm run setup), whose memory leaves with it
   * anyway, this saves a second cold start of the database
   */
  createInProcess?: boolean;
}

/**
 * Opens the database the environment names (PGlite by default, under
 * RAPPORT_DATA_DIR/pgdata), applies migrations to PGlite, loads the demo
 * workspace into an empty embedded database, and builds the app's deps. The
 * embedded data directory is held (RAPPORT_DATA_DIR/rapport.pid) until close:
 * a second process on it is refused with DataDirBusyError before it reads anything.
 */
export async function openRuntime(env: Env, log: (line: string) => void = () => {}, embedded: EmbeddedOptions = {}): Promise<Runtime> {
  let db: Db;
  let demoToken: string | undefined;
  let demoTokenFile: string | undefined;
  let lock: DataDirLock | undefined;
  const kind = databaseKind(env);
  if (kind === 'supabase') {
    db = supabaseDb(env.SUPABASE_URL!, env.SUPABASE_SERVICE_ROLE_KEY!);
  } else if (kind === 'postgres') {
    db = postgresDb(postgresPool(env.DATABASE_URL!, { max: env.DATABASE_POOL_MAX }));
  } else {
    const dataDir = path.resolve(env.RAPPORT_DATA_DIR);
    lock = embedded.lock ?? lockEmbeddedDataDir(env, embedded.holder ?? `npm run ${path.basename(process.argv[1] ?? 'rapport', '.ts')}`);
    try {
      ({ db, demoToken, demoTokenFile } = await openEmbedded(env, dataDir, log, embedded));
    } catch (e) {
      lock?.release();
      throw e;
    }
  }
  await db.callAnonymous('healthz', {}).catch(async (e: Error) => {
    await db.close().catch(() => undefined);
    lock?.release();
    throw new Error(
      `the database answered but has no Rapport schema (${e.message}); run \`npm run db:migrate\` (Postgres) or \`supabase db push\` (Supabase) first`,
    );
  });
  const gmail = gmailSettings(env);
  const deps: AppDeps = {
    db,
    serviceSecret: env.RAPPORT_SERVICE_SECRET ?? randomBytes(32).toString('base64url'),
    rateLimit: {
      perCredential: env.RAPPORT_RATE_LIMIT_PER_MINUTE,
      perWorkspace: env.RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE,
      perCaptureAddress: env.RAPPORT_INBOUND_RATE_LIMIT_PER_MINUTE,
    },
    imports: { maxRows: env.RAPPORT_IMPORT_MAX_ROWS },
    tokenTrustMs: env.RAPPORT_TOKEN_TRUST_MS,
    ...(env.RAPPORT_INBOUND_ADDRESS && env.RAPPORT_INBOUND_SECRET
      ? { inbound: { address: env.RAPPORT_INBOUND_ADDRESS.toLowerCase(), secret: env.RAPPORT_INBOUND_SECRET } }
      : {}),
    ...(env.RAPPORT_PUBLIC_URL ? { publicUrl: env.RAPPORT_PUBLIC_URL.replace(/\/+$/, '') } : {}),
    ...(gmail ? { gmail } : {}),
    ...signinDeps(env),
    ...(env.GOOGLE_CLIENT_IDS.length
      ? {
          google: createGoogleIdTokenVerifier({
            clientIds: env.GOOGLE_CLIENT_IDS,
            ...(env.GOOGLE_CERTS_URL ? { certsUrl: env.GOOGLE_CERTS_URL } : {}),
          }),
        }
      : {}),
  };
  return {
    deps,
    ...(demoToken ? { demoToken, demoTokenFile } : {}),
    close: async () => {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** The embedded database in dataDir, prepared (a new one in a child process), migrated, with the demo when it is empty and wanted. */
async function openEmbedded(
  env: Env,
  dataDir: string,
  log: (line: string) => void,
  opts: EmbeddedOptions,
): Promise<{ db: Db; demoToken?: string; demoTokenFile?: string }> {
  const pgdata = path.join(dataDir, 'pgdata');
  const create = opts.createInProcess === true && !existsSync(path.join(pgdata, 'PG_VERSION'));
  // otherwise a new data directory is created, migrated and seeded in a child process (its memory leaves with it)
  const prepared = create ? null : await (opts.early ?? prepareEmbedded(env));
  const pg = await openPglite({ dataDir: pgdata, small: !create });
  const runner = pgliteRunner(pg);
  const applied = (prepared?.applied ?? 0) + (await migrate(runner)).length;
  if (applied) log(`applied ${applied} migration(s) to the embedded database`);
  const db = pgliteDb(pg);
  if (prepared?.demoToken) return { db, demoToken: prepared.demoToken, ...(prepared.demoTokenFile ? { demoTokenFile: prepared.demoTokenFile } : {}) };
  if (!prepared && env.RAPPORT_DEMO !== 'off' && (await seedIfEmpty(runner))) {
    const { token, hash } = newApiToken();
    await db.callAnonymous('token_create', { email: DEMO_ADMIN_EMAIL, tokenHash: hash, label: 'demo token' });
    const demoTokenFile = path.join(dataDir, 'demo-token');
    await writeFile(demoTokenFile, `${token}\n`, { mode: 0o600 });
    return { db, demoToken: token, demoTokenFile };
  }
  return { db };
}

/** The demo token file, if the embedded database made one. */
export async function readDemoToken(dataDir: string): Promise<string | undefined> {
  return (await readFile(path.join(path.resolve(dataDir), 'demo-token'), 'utf8').catch(() => undefined))?.trim();
}
