/**
 * Rapport as it runs in production, for the benchmark: `slack-app/server.ts`
 * (what `npm start` runs) in a child process of its own, on 127.0.0.1, against
 * the bench's PostgreSQL, with the Slack app connected over HTTP to a Slack Web
 * API stand-in on loopback (nothing leaves the machine). The load generator
 * stays in the bench's process, so the server's event loop is not shared with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GoogleStandIn, startGoogleStandIn } from '../test/support/google-stand-in.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_SLACK_TEAM = 'T0BENCH';
/** a throwaway signing secret for this run's signed requests (loopback only) */
export const BENCH_SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
/** The capture address the server is given (members' are log+<secret>@in.bench.example) and the relay's secret. */
export const BENCH_INBOUND_ADDRESS = 'log@in.bench.example';
export const BENCH_INBOUND_SECRET = 'bench-inbound-relay-secret-0123456789abcdef';
/**
 * Gmail sync's quota in the bench: the stand-in has none, so the limiter is
 * set out of the way and the figure is Rapport's own processing rate. Against
 * Google a mailbox is held to 250 units a second (50 messages a second).
 */
export const BENCH_GMAIL_QUOTA_UNITS = 1_000_000;

export interface RunningServer {
  base: string;
  pid: number;
  slackStandIn: string;
  /** Slack Web API calls the app made, by method (response_url posts count as 'respond') */
  slackCalls: Map<string, number>;
  /** what the app posted to each response_url */
  slackAnswers: SlackAnswers;
  /** chat.postMessage under Slack's posting limit: posts, 429s, alert messages by key */
  slackPosts: SlackPosts;
  /** the Gmail API and OAuth stand-in on loopback the server syncs mailboxes from */
  google: GoogleStandIn;
  stop(): Promise<void>;
}

/**
 * Answers posted to response_url (`<stand-in>/respond/<key>`), by key: a waiter
 * gets the body of the answer to its command, even when it comes first.
 */
export class SlackAnswers {
  private bodies = new Map<string, string>();
  private waiters = new Map<string, (body: string) => void>();
  deliver(key: string, body: string) {
    const w = this.waiters.get(key);
    if (w) {
      this.waiters.delete(key);
      w(body);
    } else this.bodies.set(key, body);
  }
  /** the first answer posted for key; rejects after timeoutMs */
  wait(key: string, timeoutMs = 30_000): Promise<string> {
    const body = this.bodies.get(key);
    if (body !== undefined) {
      this.bodies.delete(key);
      return Promise.resolve(body);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error(`no answer to response_url ${key} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(key, (b) => {
        clearTimeout(timer);
        resolve(b);
      });
    });
  }
}

/**
 * What the app posted with chat.postMessage, under Slack's posting limit as
 * published (docs.slack.dev, Rate limits: "chat.postMessage generally allows
 * posting one message per second per channel", short bursts allowed): each
 * channel holds a bucket of POST_BURST posts refilled at one a second, and a
 * post beyond it is answered 429 with Retry-After: 1, as Slack does. (Slack's
 * workspace-wide limit, "several hundred per minute" with no figure, is not
 * modelled.) Alert messages are counted by their metadata key (the delivery's id).
 */
export class SlackPosts {
  static readonly POST_BURST = 3;
  posts = 0;
  limited = 0;
  /** rapport_alert posts by event_payload.key */
  readonly alerts = new Map<string, number>();
  /** when each alert key was first posted (performance.now() of the bench process), and to which channel */
  readonly alertAt = new Map<string, { at: number; channel: string }>();
  private buckets = new Map<string, { tokens: number; at: number }>();
  /** true: posted; false: refused with 429 */
  take(channel: string, metadata: { event_type?: string; event_payload?: { key?: string } } | undefined): boolean {
    const now = performance.now();
    const b = this.buckets.get(channel) ?? { tokens: SlackPosts.POST_BURST, at: now };
    b.tokens = Math.min(SlackPosts.POST_BURST, b.tokens + (now - b.at) / 1000);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens < 1) {
      this.limited += 1;
      return false;
    }
    b.tokens -= 1;
    this.posts += 1;
    const key = metadata?.event_type === 'rapport_alert' ? metadata.event_payload?.key : undefined;
    if (key) {
      this.alerts.set(key, (this.alerts.get(key) ?? 0) + 1);
      if (!this.alertAt.has(key)) this.alertAt.set(key, { at: now, channel });
    }
    return true;
  }
}

/** answers every Web API method with ok, and counts them; keeps what is posted to response_url; holds chat.postMessage to Slack's limit */
function slackStandIn(calls: Map<string, number>, answers: SlackAnswers, posts: SlackPosts): Promise<{ server: Server; url: string }> {
  let seq = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const respond = /^\/respond\/(.+)$/.exec(path);
      const method = respond ? 'respond' : path.replace(/^\/api\//, '');
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (respond) answers.deliver(respond[1]!, Buffer.concat(chunks).toString('utf8'));
      res.setHeader('content-type', 'application/json');
      if (method === 'chat.postMessage') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const channel = form.get('channel') ?? '';
        let metadata: { event_type?: string; event_payload?: { key?: string } } | undefined;
        try {
          metadata = form.get('metadata') ? JSON.parse(form.get('metadata')!) : undefined;
        } catch {
          metadata = undefined;
        }
        if (!posts.take(channel, metadata)) {
          res.statusCode = 429;
          res.setHeader('retry-after', '1');
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        res.end(JSON.stringify({ ok: true, channel, ts: `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}` }));
        return;
      }
      const body =
        method === 'auth.test'
          ? { ok: true, team_id: BENCH_SLACK_TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' }
          : method === 'users.info'
            ? { ok: true, user: { id: 'U0', tz: 'Asia/Tokyo', profile: {} } }
            : { ok: true };
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/**
 * Extra node options for the server process, from BENCH_SERVER_NODE_ARGS, to
 * look inside a case: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof'
 * writes the server's CPU profile when the bench stops it.
 */
function nodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export async function startServer(databaseUrl: string, opts: { poolMax: number; log: (line: string) => void }): Promise<RunningServer> {
  const slackCalls = new Map<string, number>();
  const slackAnswers = new SlackAnswers();
  const slackPosts = new SlackPosts();
  const standIn = await slackStandIn(slackCalls, slackAnswers, slackPosts);
  const google = await startGoogleStandIn();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-'));
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs(), '--import', 'tsx', 'slack-app/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(opts.poolMax),
      SLACK_BOT_TOKEN: 'xoxb-bench', // fake: the Slack stand-in takes any token
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: `${standIn.url}/api/`,
      RAPPORT_RATE_LIMIT_PER_MINUTE: '0',
      RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE: '0',
      RAPPORT_INBOUND_ADDRESS: BENCH_INBOUND_ADDRESS,
      RAPPORT_INBOUND_SECRET: BENCH_INBOUND_SECRET,
      RAPPORT_INBOUND_RATE_LIMIT_PER_MINUTE: '0',
      // Gmail sync against the stand-in (its consent page answers for the bench's rep)
      GOOGLE_OAUTH_CLIENT_ID: 'stand-in-client.apps.googleusercontent.com',
      GOOGLE_OAUTH_CLIENT_SECRET: 'stand-in-secret',
      GOOGLE_API_URL: `${google.url}/`,
      GOOGLE_OAUTH_URL: google.url,
      RAPPORT_PUBLIC_URL: 'http://rapport.bench.invalid',
      RAPPORT_SECRET_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      RAPPORT_GMAIL_QUOTA_UNITS: String(BENCH_GMAIL_QUOTA_UNITS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${output}`)), 60_000);
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
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
  // errors the server logs while the cases run are shown (they also fail the case's checks)
  child.stdout!.on('data', (d: Buffer) => /error/i.test(d.toString()) && opts.log(`[server] ${d.toString().trim()}`));
  child.stderr!.on('data', (d: Buffer) => opts.log(`[server] ${d.toString().trim()}`));
  return {
    base,
    pid: child.pid!,
    slackStandIn: standIn.url,
    slackCalls,
    slackAnswers,
    slackPosts,
    google,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      standIn.server.close();
      await google.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
