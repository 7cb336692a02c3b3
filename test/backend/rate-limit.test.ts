import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { parseEnv } from '../../backend/env.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';

const T0 = Date.parse('2026-11-24T10:00:05Z');

/**
 * Two copies of the server (two createApp on one database, each with its own
 * limiter) enforce one limit together: the counts meet in crm.rate_counters.
 */
describe.each(['postgres', 'pglite'] as const)('rate limits across server copies on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let now = T0;
  const clock = () => now;
  let appA: ReturnType<typeof createApp>;
  let appB: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    ws = await makeWorkspace(t.sql, t.db);
    const rateLimit = { perCredential: 20, perWorkspace: 0, now: clock };
    appA = createApp({ db: t.db, rateLimit: { ...rateLimit } });
    appB = createApp({ db: t.db, rateLimit: { ...rateLimit } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('40 requests on one token across two copies: about 20 pass, the rest get 429 with Retry-After', async () => {
    const a = caller(appA, ws.rep.token, { 'accept-language': 'ja' });
    const b = caller(appB, ws.rep.token);
    const statuses: number[] = [];
    let refused: { status: number; body: any; headers: Headers } | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await (i % 2 ? b : a)('GET', '/api/me');
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    const ok = statuses.filter((s) => s === 200).length;
    // two copies, each flushing once it has counted 10% of the limit (2): at most 2 x 2 over
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThanOrEqual(24);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - ok);
    expect(refused!.headers.get('retry-after')).toBe('55');
    expect(refused!.body.error.code).toBe('rate_limited');
    expect(refused!.body.error.message).toContain('55');
    const [sum] = await t.sql.query<{ n: number }>(`select sum(n)::int as n from crm.rate_counters where key like 'token:%'`);
    expect(sum!.n).toBe(ok);

    // another member's token has its own count
    expect((await caller(appA, ws.rep2.token)('GET', '/api/me')).status).toBe(200);
    expect((await caller(appB, ws.rep2.token)('GET', '/api/me')).status).toBe(200);

    // the next minute frees it, on both copies; the flush deletes old windows
    now = T0 + 60_000;
    expect((await a('GET', '/api/me')).status).toBe(200);
    expect((await b('GET', '/api/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    now = T0 + 125_000;
    expect((await a('GET', '/api/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50)); // that request's flush runs behind it
    const windows = await t.sql.query<{ w: number }>(`select distinct (extract(epoch from window_start) * 1000)::float8 as w from crm.rate_counters`);
    expect(windows.map((w) => Number(w.w)).sort()).toEqual([T0 + 55_000, T0 + 115_000]);
  });

  it('a Slack user has the budget of one person, so 400 commands from one of them starve nobody else; the scheduler counts against no budget', async () => {
    const secret = 's'.repeat(40);
    const base = T0 + 10 * 60_000;
    now = base;
    const app = createApp({ db: t.db, serviceSecret: secret, rateLimit: { perCredential: 3, perWorkspace: 8, now: clock } });
    const service = (memberId: string, source: 'slack' | 'scheduler') =>
      caller(app, undefined, {
        authorization: `Rapport-Service ${secret}`,
        'x-rapport-workspace': ws.id,
        'x-rapport-member-id': memberId,
        'x-rapport-source': source,
      });
    const flood: number[] = [];
    for (let i = 0; i < 6; i++) flood.push((await service(ws.rep.id, 'slack')('GET', '/api/me')).status);
    // the rep's own 3; what Slack was refused is not counted against the workspace
    expect(flood).toEqual([200, 200, 200, 429, 429, 429]);
    // another rep, through Slack or a token, still has theirs
    expect((await service(ws.rep2.id, 'slack')('GET', '/api/me')).status).toBe(200);
    expect((await caller(app, ws.rep2.token)('GET', '/api/me')).status).toBe(200);
    // the scheduler (digests) sends as many as it needs, and uses none of the workspace's 8
    const digests: number[] = [];
    for (let i = 0; i < 12; i++) digests.push((await service(ws.manager.id, 'scheduler')('GET', '/api/me')).status);
    expect(digests.every((s) => s === 200)).toBe(true);
    // 5 of the workspace's 8 are used: an admin still gets 3
    const admin = caller(app, ws.admin.token);
    expect([(await admin('GET', '/api/me')).status, (await admin('GET', '/api/me')).status, (await admin('GET', '/api/me')).status]).toEqual([200, 200, 200]);
    expect((await admin('GET', '/api/me')).status).toBe(429);
  });
});

describe('rate limit settings', () => {
  it('default to 600 a minute per credential and 6,000 per workspace; 0 turns them off', () => {
    const env = parseEnv({});
    expect(env.RAPPORT_RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(env.RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(parseEnv({ RAPPORT_RATE_LIMIT_PER_MINUTE: '0' }).RAPPORT_RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(() => parseEnv({ RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE/);
  });
});
