/** What every benchmark case shares: its context, the HTTP helpers, and the checks on answers. */
import http from 'node:http';
import type { LoadedWorkspace } from './load.js';
import type { Stats } from './measure.js';
import type { GoogleStandIn } from '../test/support/google-stand-in.js';
import type { SlackAnswers, SlackPosts } from './server.js';

export type Query = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

export interface CaseContext {
  /** http://127.0.0.1:<port> */
  base: string;
  ws: LoadedWorkspace;
  /** requests per side */
  n: number;
  /** runs a statement for picking targets and verifying (not timed) */
  admin: Query;
  /** the baseline's connection: a pg.Pool as large as the app's, or the PGlite instance */
  baseline: Query;
  /** the loopback Slack Web API stand-in the server was given (its response_url answers go there too) */
  slackStandIn?: string;
  /** the answers the app posted to the stand-in's response_url paths */
  slackAnswers?: SlackAnswers;
  /** what the app posted to the stand-in with chat.postMessage (under Slack's posting limit) */
  slackPosts?: SlackPosts;
  /** the Gmail API and OAuth stand-in the server syncs from (the server process only) */
  google?: GoogleStandIn;
  /** a short random id for this run, so captured rows can be told apart */
  runId: string;
  rand: () => number;
}

export interface PreparedCase {
  /** how the targets were chosen, for the report */
  note: string;
  /**
   * One request. It may return the latency to record, in ms, when it goes on
   * after the moment timed (a slash command is timed to its ack, and its worker
   * then waits for the answer, so that 50 in flight means 50 whole commands).
   */
  http(i: number): Promise<void | number>;
  baseline(i: number): Promise<void>;
  /** one representative request, for --explain: the api function and args the route calls, and the baseline SQL */
  explainTarget(i: number): { fn: string; args: object; baselineSql: string; baselineParams: unknown[] };
  /** the measured run of a side ends when this says so (the background work it measures against is done), not at n requests */
  until?(side: 'http' | 'baseline'): boolean;
  /** after both sides ran: checks on what was stored; returns a line for the report */
  verify?(sent: { http: number; baseline: number }): Promise<{ ok: boolean; line: string; details: Record<string, unknown> }>;
}

export interface TargetInput {
  http: Stats;
  /** wall time of the measured HTTP run */
  wallMs: number;
  ratioP50: number;
  /** the case's own check of what was stored, when it has one */
  verifyOk?: boolean;
  /** the figures the case's check measured beside the latencies (a page's size, a browser's paint) */
  verifyDetails?: Record<string, unknown>;
}

export interface BenchCase {
  name: string;
  /** the requests sent before timing starts, to warm the JIT, the pools and the caches (not counted) */
  warmup: number;
  /** fixed requests per side, whatever --requests says */
  requests?: number;
  /** requests in flight: the realistic concurrency of this kind of request (--concurrency overrides it) */
  concurrency: number;
  /** the time cap of each side, instead of --max-seconds (a case measured against long background work) */
  maxSeconds?: number;
  /** the target this case is held to, and whether a run met it */
  target: (r: TargetInput) => { met: boolean; text: string };
  prepare(ctx: CaseContext): Promise<PreparedCase>;
}

class CheckError extends Error {}
export function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new CheckError(what);
}

/**
 * The load generator's HTTP client: node:http over kept-alive connections.
 * Not fetch: on this 2-core machine fetch (undici) spent 0.44 ms of the
 * bench process's CPU per request against a server that does nothing, and
 * node:http 0.12 ms (8,400 requests a second at 64 in flight), so with fetch
 * the client took CPU the measured server needed once a case passed about
 * 1,000 requests a second.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const headers = { ...o.headers, ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}) };
    const req = http.request(url, { method: o.method ?? 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export async function get(ctx: CaseContext, path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(ctx.base + path, { headers: { authorization: `Bearer ${ctx.ws.token}` } });
  return { status: res.status, body: res.text ? JSON.parse(res.text) : null };
}

export async function post(ctx: CaseContext, path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const res = await request(ctx.base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.ws.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: res.text ? JSON.parse(res.text) : null };
}

export function expectStatus(r: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(r.status)) {
    const err = (r.body as { error?: { code?: string } } | null)?.error?.code ?? '';
    throw new CheckError(`HTTP ${r.status} ${err}`);
  }
}

/** `k` random rows of a query's result, with repeats, to fill n targets */
export function spread<T>(rows: T[], n: number, rand: () => number): T[] {
  if (rows.length === 0) throw new Error('no targets found in the loaded data');
  return Array.from({ length: n }, () => rows[Math.floor(rand() * rows.length)]!);
}

export function randomCase(s: string, rand: () => number): string {
  return [...s].map((ch) => (rand() < 0.5 ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/** a sample big enough that repeats are rare (at most 5,000 distinct rows) */
export const sampleSize = (n: number) => Math.min(Math.max(n, 100), 5000);
