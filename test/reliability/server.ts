/**
 * Rapport's real server (`slack-app/server.ts`, what `npm start` runs) in a
 * child process on 127.0.0.1, against the run's PostgreSQL, with the Slack app
 * over HTTP talking to the loopback Slack stand-in. Like bench/server.ts, plus
 * kill -9 (the digest part kills one copy mid-pass) and a record of what the
 * server printed, so that an unexpected crash or error log shows in the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
export const SERVICE_SECRET = 'reliability-service-secret-'.padEnd(48, 'x');

export interface ChildServer {
  name: string;
  base: string;
  pid: number;
  /** lines the server wrote to stderr, or to stdout mentioning an error */
  errors: string[];
  /** set when the process exited before stop() or kill() was asked for */
  crashed(): string | undefined;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(
  name: string,
  databaseUrl: string,
  slackApiUrl: string,
  opts: { poolMax?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-reliability-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'slack-app/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(opts.poolMax ?? 10),
      RAPPORT_SERVICE_SECRET: SERVICE_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-reliability-not-a-real-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${slackApiUrl}/api/`,
      // the request rate limiter (backend/auth/rate-limit.ts) would throttle 64
      // clients of one token; limits are not what this run measures (0 = none)
      RAPPORT_RATE_LIMIT_PER_MINUTE: '0',
      RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE: '0',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let expectedExit = false;
  let exitNote: string | undefined;
  const errors: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: the server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: the server exited (${code}):\n${output}`));
    });
  });
  child.stdout!.on('data', (d: Buffer) => /error/i.test(d.toString()) && errors.push(d.toString().trim()));
  child.stderr!.on('data', (d: Buffer) => errors.push(d.toString().trim()));
  child.on('exit', (code, signal) => {
    if (!expectedExit) exitNote = `${name} exited by itself (code ${code}, signal ${signal})`;
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = () => (exited() ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));
  return {
    name,
    base,
    pid: child.pid!,
    errors,
    crashed: () => exitNote,
    async kill9() {
      expectedExit = true;
      child.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      expectedExit = true;
      if (!exited()) {
        child.kill('SIGTERM');
        await Promise.race([waitExit(), new Promise((r) => setTimeout(r, 5_000))]);
        if (!exited()) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
