/**
 * The embedded database's one-off work, done in a child process so that its
 * memory leaves with it: creating the cluster (PGlite runs initdb as a
 * second WebAssembly module, ~200 MB that a process would otherwise keep),
 * applying migrations and loading the demo workspace. The server then opens the
 * prepared data directory itself, with small buffers (see openPglite).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { databaseKind, type Env } from '../env.js';

// Only node: modules and the environment's rules above, so that `npm start` can fork the child before it
// loads the app (backend/server.ts); the child loads what it needs in prepare().

export const DEMO_ADMIN_EMAIL = 'admin@rapport-demo.com';

export interface Prepared {
  /** migrations applied now */
  applied: number;
  /** the demo admin's API token when the demo workspace was loaded now */
  demoToken?: string;
  demoTokenFile?: string;
}

const CHILD_FLAG = 'RAPPORT_PREPARE_DATA_DIR';

export interface Job {
  dataDir: string;
  demo: boolean;
  demoAdminEmail: string;
}

/** The preparation itself, in this process (the test suite's template data directory; `npm start` runs it in a child). */
export async function prepare(job: Job): Promise<Prepared> {
  const [{ newApiToken }, { migrate, seedIfEmpty }, { openPglite, pgliteDb, pgliteRunner }] = await Promise.all([
    import('../auth/api-tokens.js'),
    import('./migrate.js'),
    import('./pglite.js'),
  ]);
  const pg = await openPglite({ dataDir: path.join(job.dataDir, 'pgdata') });
  try {
    const runner = pgliteRunner(pg);
    const applied = (await migrate(runner)).length;
    if (!job.demo || !(await seedIfEmpty(runner))) return { applied };
    const { token, hash } = newApiToken();
    await pgliteDb(pg, { closeWith: false }).callAnonymous('token_create', {
      email: job.demoAdminEmail,
      tokenHash: hash,
      label: 'demo token',
    });
    const demoTokenFile = path.join(job.dataDir, 'demo-token');
    await writeFile(demoTokenFile, `${token}\n`, { mode: 0o600 });
    return { applied, demoToken: token, demoTokenFile };
  } finally {
    await pg.close();
  }
}

/**
 * Prepares RAPPORT_DATA_DIR/pgdata when it does not exist yet, in a child
 * process; an existing directory is migrated in process by the caller (cheap).
 * Returns null when there was nothing to create.
 */
export async function prepareNewDataDir(job: Job): Promise<Prepared | null> {
  await mkdir(job.dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(path.join(job.dataDir, 'pgdata', 'PG_VERSION'))) return null;
  return new Promise<Prepared>((resolve, reject) => {
    // a child process, not a worker thread: the allocator keeps a worker's
    // memory in the process after the worker ends (~150 MB measured)
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: process.execArgv,
      env: { ...process.env, [CHILD_FLAG]: JSON.stringify(job) },
    });
    let result: Prepared | undefined;
    child.once('message', (m: { ok: true; prepared: Prepared } | { ok: false; error: string }) => {
      if (m.ok) result = m.prepared;
      else reject(new Error(m.error));
    });
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`preparing the embedded database failed (exit ${code})`))));
  });
}

/**
 * The embedded database's preparation for the environment, or undefined when
 * it names PostgreSQL or Supabase. backend/server.ts starts it first thing, so
 * that the child's work (initdb ~2 s) overlaps the app's loading (~0.8 s).
 */
export function prepareEmbedded(env: Env): Promise<Prepared | null> | undefined {
  if (databaseKind(env) !== 'pglite') return undefined;
  return prepareNewDataDir({
    dataDir: path.resolve(env.RAPPORT_DATA_DIR),
    demo: env.RAPPORT_DEMO !== 'off',
    demoAdminEmail: DEMO_ADMIN_EMAIL,
  });
}

if (process.env[CHILD_FLAG] && process.send) {
  const job = JSON.parse(process.env[CHILD_FLAG]!) as Job;
  prepare(job).then(
    (prepared) => process.send!({ ok: true, prepared }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)),
  );
}
