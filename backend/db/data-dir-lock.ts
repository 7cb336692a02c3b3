/**
 * One process at a time on an embedded data directory. PGlite takes no lock
 * on its files, so a server and a CLI (or two servers) opening the same
 * RAPPORT_DATA_DIR would each write pages the other does not know about and
 * corrupt it. Whoever opens the directory first writes RAPPORT_DATA_DIR/rapport.pid
 * (its pid, then what it is) and removes it when it exits; anyone else is
 * refused with a sentence while that pid is alive. A file left by a process
 * that died (kill -9, a crash) names a pid that no longer runs and is ignored.
 *   rapport.pid = "4242\nnpm start\n"
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { databaseKind, type Env } from '../env.js';

// Only node: modules and the environment's rules, like pglite-prepare.ts: the
// server takes the directory first thing, before it loads the app.

export const PID_FILE = 'rapport.pid';

/** What holds a data directory: the server, or one of the CLIs (by its npm script). */
export type Holder = 'npm start' | `npm run ${string}`;

export class DataDirBusyError extends Error {
  constructor(
    readonly pid: number,
    readonly holder: string,
    readonly file: string,
  ) {
    super(
      holder === 'npm start'
        ? `Rapport is running on this data directory (pid ${pid}): stop it first, or do this through its API while it runs (README: "Set up your team"); if no Rapport is running, delete ${file}.`
        : `${holder} is using this data directory (pid ${pid}): wait for it to finish, then try again; if it is not running, delete ${file}.`,
    );
    this.name = 'DataDirBusyError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** removes the pid file (if it is still ours); idempotent */
  release(): void;
}

/** true while a process with this pid exists (EPERM: it exists, as another user) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid file's holder, or null when there is none (or it names no live process). */
export function dataDirHolder(dataDir: string): { pid: number; holder: string } | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, PID_FILE), 'utf8');
  } catch {
    return null;
  }
  const [first = '', second = ''] = text.split('\n');
  const pid = Number(first.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  return { pid, holder: second.trim() || 'npm start' };
}

/**
 * Takes the data directory for this process, or throws DataDirBusyError when
 * a live process holds it. The directory must exist. The file is written with
 * O_EXCL, so of two processes starting together one wins and the other is
 * refused; a stale file is replaced.
 */
export function lockDataDir(dataDir: string, holder: Holder): DataDirLock {
  const file = path.join(dataDir, PID_FILE);
  const content = `${process.pid}\n${holder}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw e;
      const held = dataDirHolder(dataDir);
      if (held) throw new DataDirBusyError(held.pid, held.holder, file);
      // stale: its process is gone
      try {
        unlinkSync(file);
      } catch {
        // removed meanwhile by someone else: try again
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file);
    } catch {
      // gone already
    }
  };
  // an exit by process.exit or an uncaught error removes it too (a signal's
  // default action does not run this: the pid is then dead, so the file is stale)
  process.on('exit', release);
  return { file, release };
}

/** The environment's embedded data directory taken for this process (created if new); undefined for PostgreSQL and Supabase. */
export function lockEmbeddedDataDir(env: Pick<Env, 'RAPPORT_DATA_DIR' | 'DATABASE_URL' | 'SUPABASE_URL'>, holder: Holder): DataDirLock | undefined {
  if (databaseKind(env) !== 'pglite') return undefined;
  const dataDir = path.resolve(env.RAPPORT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return lockDataDir(dataDir, holder);
}
