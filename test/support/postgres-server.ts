/**
 * A throwaway, real PostgreSQL server for tests and benchmarks.
 *
 * Why: Rapport's SQL has to be exercised against a real PostgreSQL server, not
 * only PGlite or a mock, because the production backends (self-hosted
 * PostgreSQL, Supabase) are real servers with real locking, connection and
 * restart behaviour. Debian's `pg_createcluster` is not an option: it creates a
 * persistent, system-wide cluster (config in /etc/postgresql, a systemd unit,
 * a fixed port) that outlives the test run. Instead this module does what the
 * PostgreSQL regression suite does: `initdb` into a fresh temp dir, start it
 * with `pg_ctl` on a kernel-chosen free port with durability switched off
 * (fsync, synchronous_commit, full_page_writes), and delete everything on
 * `stop()`.
 *
 * Binaries are looked up in this order: `$PG_BIN`, `pg_config --bindir`, the
 * newest `/usr/lib/postgresql/<ver>/bin`, then `$PATH` (postgres-binaries.ts).
 *
 * initdb/postgres refuse to run as root; when `process.getuid() === 0` they are
 * run as the `postgres` system user via `runuser -u postgres -- ...`.
 *
 * A process 'exit' handler (and SIGINT/SIGTERM/SIGHUP handlers that re-raise
 * the signal) stop any server still running, so a crashed test run does not
 * leave an orphan postmaster behind. `pg_ctl` detaches the postmaster into its
 * own session, so it would otherwise survive its parent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  HOST,
  PG_CTL_TIMEOUT_SECONDS,
  START_ATTEMPTS,
  asServerUser,
  childEnv,
  findBinaries,
  freePort,
  isRoot,
  makeTempRoot,
  postgresIds,
  run,
  shQuote,
} from './postgres-binaries.js';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, no password). */
  url: string;
  host: string;
  port: number;
  /** The cluster's data directory (inside a temp dir that `stop()` removes). */
  dataDir: string;
  /** Stops the server (`pg_ctl -m immediate`) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** `pg_ctl -m fast restart` on the same port and data dir. */
  restart(): Promise<void>;
  /** SIGSTOP to the postmaster and every child of it: the server hangs, connections stay open. */
  pause(): Promise<void>;
  /** SIGCONT to the processes pause() stopped. Idempotent. */
  resume(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Receives progress lines ("initdb ...", "started on port ..."). */
  log?: (line: string) => void;
  /** Extra server settings, passed as `-c name=value` (e.g. `{ shared_buffers: '2GB' }` for the benchmark). */
  settings?: Record<string, string>;
}
// ---------------------------------------------------------------------------
// Crash cleanup
// ---------------------------------------------------------------------------

interface LiveServer {
  pgCtl: string;
  dataDir: string;
  root: string;
  /** pids pause() stopped: continued before the server is stopped */
  paused?: number[];
}

const live = new Set<LiveServer>();
let handlersInstalled = false;

function stopAllSync(): void {
  for (const server of live) {
    live.delete(server);
    for (const pid of server.paused ?? []) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    try {
      if (existsSync(path.join(server.dataDir, 'postmaster.pid'))) {
        const [cmd, args] = asServerUser(server.pgCtl, ['stop', '-D', server.dataDir, '-m', 'immediate', '-w', '-t', '10']);
        execFileSync(cmd, args, { stdio: 'ignore', cwd: server.root, env: childEnv(), timeout: 15_000 });
      }
    } catch {
      // best effort
    }
    try {
      rmSync(server.root, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', stopAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      stopAllSync();
      process.removeListener(signal, onSignal);
      // If nobody else handles it, re-raising gives the default behaviour (terminate).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    try {
      process.on(signal, onSignal);
    } catch {
      // Signals are not available in every context (e.g. some worker setups).
    }
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** The postmaster's pid and its children's, from postmaster.pid and /proc (Linux). */
async function serverPids(dataDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0) throw new Error(`no postmaster pid in ${dataDir}/postmaster.pid`);
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return [postmaster, ...children];
}

/** The last `lines` lines of `file` written after byte `from` ("" if unreadable). */
async function tailOfFile(file: string, from = 0, lines = 30): Promise<string> {
  try {
    const text = (await readFile(file)).subarray(from).toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const bins = await findBinaries();
  const ids = isRoot() ? await postgresIds() : undefined;

  const root = await makeTempRoot();
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const entry: LiveServer = { pgCtl: bins.pg_ctl, dataDir, root };
  live.add(entry);
  installExitHandlers();

  const cleanupAfterFailure = async (): Promise<void> => {
    live.delete(entry);
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
      await run(bins.pg_ctl, ['stop', '-D', dataDir, '-m', 'immediate', '-w'], root).catch(() => {});
    }
    await rm(root, { recursive: true, force: true }).catch(() => {});
  };

  try {
    if (ids) await chown(root, ids.uid, ids.gid);

    // initdb: C.UTF-8 locale where available, else no locale at all.
    const initArgs = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'];
    log(`initdb ${dataDir} (${bins.source})`);
    try {
      await run(bins.initdb, [...initArgs, '--locale=C.UTF-8'], root);
    } catch (first) {
      log('initdb with --locale=C.UTF-8 failed, retrying with --no-locale');
      await rm(dataDir, { recursive: true, force: true });
      try {
        await run(bins.initdb, [...initArgs, '--no-locale'], root);
      } catch (second) {
        throw new Error(`initdb failed.\nWith --locale=C.UTF-8: ${(first as Error).message}\n` + `With --no-locale: ${(second as Error).message}`);
      }
    }
    const tInit = performance.now();

    // Start on a kernel-chosen free port; retry if someone grabbed it meanwhile.
    let port = 0;
    let postmasterOpts = '';
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      postmasterOpts = [
        `-c listen_addresses=${HOST}`,
        `-p ${port}`,
        `-k ${shQuote(root)}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
        ...Object.entries(opts.settings ?? {}).map(([k, v]) => `-c ${k}=${shQuote(v)}`),
      ].join(' ');
      const logOffset = await fileSize(logFile); // pg_ctl -l appends; judge only this attempt
      try {
        // -l sends the postmaster's output to a file, so it does not hold our pipes open.
        await run(bins.pg_ctl, ['start', '-w', '-t', PG_CTL_TIMEOUT_SECONDS, '-D', dataDir, '-l', logFile, '-o', postmasterOpts], root);
        break;
      } catch (err) {
        const serverLog = await tailOfFile(logFile, logOffset);
        const portTaken = /could not (bind|create listen socket)|address already in use/i.test(serverLog);
        if (portTaken && attempt < START_ATTEMPTS) {
          log(`port ${port} was taken, retrying (${attempt}/${START_ATTEMPTS})`);
          continue;
        }
        throw new Error(
          `pg_ctl start failed (port ${port}, attempt ${attempt}): ${(err as Error).message}${serverLog ? `\nServer log (${logFile}):\n${serverLog}` : ''}`,
        );
      }
    }
    const tStart = performance.now();
    log(
      `postgres started on ${HOST}:${port} in ${Math.round(tStart - t0)} ms ` +
        `(initdb ${Math.round(tInit - t0)} ms, pg_ctl start ${Math.round(tStart - tInit)} ms)`,
    );

    let stopped: Promise<void> | undefined;
    const paused: number[] = (entry.paused = []);
    const resume = async (): Promise<void> => {
      for (const pid of paused) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone
        }
      }
      paused.length = 0;
    };
    const server: PostgresServer = {
      url: `postgres://postgres@${HOST}:${port}/postgres`,
      host: HOST,
      port,
      dataDir,
      stop() {
        stopped ??= (async () => {
          const t = performance.now();
          await resume();
          live.delete(entry);
          try {
            if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
              await run(bins.pg_ctl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], root);
            }
          } finally {
            await rm(root, { recursive: true, force: true });
          }
          log(`postgres on port ${port} stopped and removed in ${Math.round(performance.now() - t)} ms`);
        })();
        return stopped;
      },
      async restart() {
        if (stopped) throw new Error(`postgres on port ${port} has been stopped; cannot restart`);
        const t = performance.now();
        const logOffset = await fileSize(logFile);
        try {
          await run(bins.pg_ctl, ['restart', '-w', '-t', PG_CTL_TIMEOUT_SECONDS, '-m', 'fast', '-D', dataDir, '-l', logFile, '-o', postmasterOpts], root);
        } catch (err) {
          const serverLog = await tailOfFile(logFile, logOffset);
          throw new Error(`pg_ctl restart failed (port ${port}): ${(err as Error).message}${serverLog ? `\nServer log (${logFile}):\n${serverLog}` : ''}`);
        }
        log(`postgres on port ${port} restarted in ${Math.round(performance.now() - t)} ms`);
      },
      async pause() {
        if (stopped) throw new Error(`postgres on port ${port} has been stopped; cannot pause`);
        // the postmaster first, so that it forks no child we would miss
        const [postmaster, ...children] = await serverPids(dataDir);
        process.kill(postmaster!, 'SIGSTOP');
        paused.push(postmaster!);
        for (const pid of [...children, ...(await serverPids(dataDir)).slice(1)]) {
          if (paused.includes(pid)) continue;
          try {
            process.kill(pid, 'SIGSTOP');
            paused.push(pid);
          } catch {
            // exited meanwhile
          }
        }
        log(`postgres on port ${port} paused (${paused.length} processes)`);
      },
      async resume() {
        const n = paused.length;
        await resume();
        log(`postgres on port ${port} resumed (${n} processes)`);
      },
    };
    return server;
  } catch (err) {
    await cleanupAfterFailure();
    throw err;
  }
}
