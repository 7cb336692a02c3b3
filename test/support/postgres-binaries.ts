/**
 * What test/support/postgres-server.ts needs to run PostgreSQL's own binaries:
 * finding them ($PG_BIN, `pg_config --bindir`, the newest
 * /usr/lib/postgresql/<ver>/bin, then $PATH), running them as the `postgres`
 * user when the tests run as root, a free port, and a temp root the server
 * user can reach.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { access, mkdtemp, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const HOST = '127.0.0.1';
export const REQUIRED_BINARIES = ['initdb', 'pg_ctl', 'postgres'] as const;
export const START_ATTEMPTS = 5;
export const PG_CTL_TIMEOUT_SECONDS = '60';

export interface PgBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
  /** Where they were found, for messages. */
  source: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

// ---------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Wraps a command so it runs as the postgres user when we are root. */
export function asServerUser(file: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [file, args];
  return ['runuser', ['-u', 'postgres', '--', file, ...args]];
}

export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // Settings that would silently redirect pg_ctl/initdb elsewhere.
  for (const key of ['PGDATA', 'PGPORT', 'PGHOST', 'PGOPTIONS', 'PGUSER', 'PGDATABASE']) {
    delete env[key];
  }
  return env;
}

/**
 * Runs a command to completion, capturing stdout/stderr. stdin is /dev/null.
 * Rejects with a CommandError that includes the captured output.
 * `asServer`: run as the postgres user when we are root (initdb, pg_ctl).
 */
export function run(file: string, args: string[], cwd: string, asServer = true): Promise<RunResult> {
  const [cmd, cmdArgs] = asServer ? asServerUser(file, args) : [file, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      reject(new CommandError(`failed to run ${cmd}: ${err.message}`, stdout, stderr, null));
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const output = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n');
      reject(new CommandError(`${[cmd, ...cmdArgs].join(' ')} ${how}${output ? `:\n${output}` : ''}`, stdout, stderr, code));
    });
  });
}

/** Single-quotes a value for the `sh -c` line pg_ctl builds from `-o`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------
// Locating binaries
// ---------------------------------------------------------------------------

export function isExecutable(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export function binariesIn(dir: string, source: string): PgBinaries | undefined {
  const found = REQUIRED_BINARIES.map((name) => path.join(dir, name));
  if (!found.every(isExecutable)) return undefined;
  return { initdb: found[0]!, pg_ctl: found[1]!, postgres: found[2]!, source };
}

export function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

let cachedBinaries: PgBinaries | undefined;

export async function findBinaries(): Promise<PgBinaries> {
  if (cachedBinaries) return cachedBinaries;
  const looked: string[] = [];

  // 1. $PG_BIN: explicit, so a wrong value is an error rather than a fallback.
  const pgBin = process.env.PG_BIN;
  if (pgBin) {
    const bins = binariesIn(pgBin, `PG_BIN=${pgBin}`);
    if (!bins) {
      const missing = REQUIRED_BINARIES.filter((n) => !isExecutable(path.join(pgBin, n)));
      throw new Error(
        `PG_BIN is set to ${pgBin}, but it does not contain the PostgreSQL server binaries ` +
          `${missing.join(', ')}. Point PG_BIN at the directory holding initdb, pg_ctl and postgres ` +
          `(on Debian/Ubuntu: /usr/lib/postgresql/<version>/bin), or unset it.`,
      );
    }
    return (cachedBinaries = bins);
  }
  looked.push('$PG_BIN (unset)');

  // 2. pg_config --bindir (on Debian /usr/bin/pg_config may come from libpq-dev
  //    alone, so the directory it names need not contain the server).
  try {
    const { stdout } = await run('pg_config', ['--bindir'], os.tmpdir(), false);
    const dir = stdout.trim();
    if (dir) {
      const bins = binariesIn(dir, `pg_config --bindir (${dir})`);
      if (bins) return (cachedBinaries = bins);
      looked.push(`pg_config --bindir (${dir}: no initdb/pg_ctl/postgres)`);
    }
  } catch {
    looked.push('pg_config --bindir (pg_config not available)');
  }

  // 3. Newest /usr/lib/postgresql/<ver>/bin.
  const debianRoot = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)*$/.test(v))
      .sort(compareVersionsDesc);
  } catch {
    // not Debian-style
  }
  for (const v of versions) {
    const dir = path.join(debianRoot, v, 'bin');
    const bins = binariesIn(dir, dir);
    if (bins) return (cachedBinaries = bins);
  }
  looked.push(`${debianRoot}/<version>/bin (${versions.length ? `no server binaries in ${versions.join(', ')}` : 'none'})`);

  // 4. $PATH, each binary on its own.
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const resolved: Partial<Record<(typeof REQUIRED_BINARIES)[number], string>> = {};
  for (const name of REQUIRED_BINARIES) {
    for (const dir of pathDirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) {
        resolved[name] = candidate;
        break;
      }
    }
  }
  if (resolved.initdb && resolved.pg_ctl && resolved.postgres) {
    return (cachedBinaries = {
      initdb: resolved.initdb,
      pg_ctl: resolved.pg_ctl,
      postgres: resolved.postgres,
      source: '$PATH',
    });
  }
  const missing = REQUIRED_BINARIES.filter((n) => !resolved[n]);
  looked.push(`$PATH (missing ${missing.join(', ')})`);

  throw new Error(
    `PostgreSQL server binaries not found: the tests need initdb, pg_ctl and postgres ` +
      `(a client-only install such as libpq-dev/postgresql-client is not enough).\n` +
      `Looked in: ${looked.join('; ')}.\n` +
      `Install the server with \`sudo apt-get install postgresql\` (Debian/Ubuntu; binaries land in ` +
      `/usr/lib/postgresql/<version>/bin), or set PG_BIN to a directory containing them.`,
  );
}

// ---------------------------------------------------------------------------
// Temp dir, ports, users
// ---------------------------------------------------------------------------

/** Asks the kernel for a currently free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close((err) => (err ? reject(err) : port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

export async function postgresIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'], os.tmpdir(), false)).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'], os.tmpdir(), false)).stdout.trim());
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // fall through
  }
  throw new Error(
    "Running as root, but there is no 'postgres' system user to run initdb/postgres as " +
      '(PostgreSQL refuses to run as root). Install the server package, which creates it: ' +
      '`apt-get install postgresql`, or run the tests as a non-root user.',
  );
}

/** True if every ancestor of `dir` can be traversed by "other" (the postgres user). */
export async function traversableByOthers(dir: string): Promise<boolean> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const st = await stat(current);
      if ((st.mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export async function makeTempRoot(): Promise<string> {
  const bases = [os.tmpdir()];
  if (isRoot() && !bases.includes('/tmp')) bases.push('/tmp');
  for (const base of bases) {
    if (isRoot() && !(await traversableByOthers(base))) continue;
    try {
      await access(base, fsConstants.W_OK);
    } catch {
      continue;
    }
    return mkdtemp(path.join(base, 'rapport-pg-'));
  }
  throw new Error(
    `No usable temp dir for the PostgreSQL data directory: ${bases.join(', ')} ` +
      (isRoot() ? 'is not writable or not traversable by the postgres user (every parent needs o+x).' : 'is not writable.') +
      ' Set TMPDIR to a suitable directory.',
  );
}
