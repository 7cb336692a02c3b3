import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchPage, type GmailReader, type GmailReaderOptions, gmailReader, GoogleUnavailable } from '../../backend/google/gmail.js';
import type { OAuthApp } from '../../backend/google/oauth.js';
import { type ConnectedMailbox, connectedMailbox } from '../support/google-reader.js';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.js';

/**
 * Google failing, through the real clients against the stand-in: rate limits
 * and server errors are retried with our backoff (the waits are recorded, not
 * slept), and nothing inside googleapis or google-auth-library retries on its
 * own; the quota holds calls to the units per second asked for.
 */
const clientId = 'rapport-faults.apps.googleusercontent.com';
const clientSecret = 'faults-secret';
const rep = 'faults.rep@rapport-rep.example';
const DAY = 86_400_000;

let m: ConnectedMailbox;
let google: GoogleStandIn;
let app: OAuthApp;
let refreshToken: string;
let waits: number[];
let count: ConnectedMailbox['count'];

beforeEach(async () => {
  m = await connectedMailbox({ clientId, clientSecret, email: rep });
  ({ google, app, refreshToken, waits, count } = m);
});
afterEach(() => google.close());

const reader = (o: GmailReaderOptions = {}): Promise<GmailReader> => m.reader(o);
const message = (n: number) => `From: c${n}@customer.example\r\nTo: ${rep}\r\nSubject: S${n}\r\nMessage-ID: <m${n}@customer.example>\r\n\r\nBody ${n}\r\n`;

describe('retries', () => {
  it('a 429 with Retry-After: 2 is retried after at least 2 s', async () => {
    google.mailbox(rep).add(message(1));
    google.fail({ path: /\/messages\/[^/]+$/, status: 429, times: 1, retryAfter: 2 });
    const page = await fetchPage(await reader(), { phase: 'import', importAfter: new Date(Date.now() - DAY).toISOString() }, { metadataOnly: false });
    expect(page.messages.map((m) => m.subject)).toEqual(['S1']);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(count(/\/messages\/[^/]+$/)).toBe(2);
  });

  it('a 500 twice, then success: three attempts, waits growing from 1 s', async () => {
    google.fail({ path: /\/profile$/, status: 500, times: 2 });
    expect(await (await reader()).address()).toBe(rep);
    expect(count(/\/profile$/)).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThan(1250);
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
  });

  it('a 403 userRateLimitExceeded is retried', async () => {
    google.fail({ path: /\/profile$/, status: 403, times: 1, reason: 'userRateLimitExceeded' });
    expect(await (await reader()).historyId()).toBe(google.mailbox(rep).historyId());
    expect(count(/\/profile$/)).toBe(2);
  });

  it('six 503s in a row: five attempts, then GoogleUnavailable carrying the last Retry-After', async () => {
    google.fail({ path: /\/profile$/, status: 503, times: 6, retryAfter: 7 });
    const error = await (await reader()).address().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleUnavailable);
    expect((error as GoogleUnavailable).retryAfterSeconds).toBe(7);
    expect((error as Error).message).toMatch(/5 attempts.*HTTP 503/);
    expect(count(/\/profile$/)).toBe(5);
    expect(waits).toHaveLength(4);
  });

  it('the token endpoint failing is retried by us alone (google-auth-library does not retry): one failure, one retry', async () => {
    google.fail({ path: /^\/token$/, status: 500, times: 1 });
    expect(await (await reader()).address()).toBe(rep);
    expect(count(/^\/token$/)).toBe(3); // the exchange in beforeEach, the failed refresh, the retried one
    expect(waits).toHaveLength(1);
  });

  it('a 401 that a fresh token does not cure is revoked access', async () => {
    google.fail({ path: /\/profile$/, status: 401, times: 2, reason: 'authError' });
    await expect((await reader()).address()).rejects.toMatchObject({ name: 'GoogleAccessLost', reason: 'revoked' });
    expect(count(/\/profile$/)).toBe(2);
    expect(count(/^\/token$/)).toBe(3); // the exchange, the first token, the fresh one
    expect(waits).toEqual([]);
  });

  it('a request that hangs past its time limit is retried', async () => {
    google.fail({ path: /\/profile$/, status: 500, times: 1, stallMs: 2000 });
    expect(await (await reader({ timeoutMs: 300 })).address()).toBe(rep);
    expect(count(/\/profile$/)).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('a closed port is a network error, retried, then GoogleUnavailable', async () => {
    const gone = await startGoogleStandIn();
    await gone.close();
    const r = await gmailReader(
      { kind: 'oauth', app: { ...app, apiUrl: gone.url }, refreshToken },
      { maxAttempts: 3, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(r.address()).rejects.toMatchObject({ name: 'GoogleUnavailable', message: expect.stringMatching(/3 attempts.*network error ECONNREFUSED/) });
    expect(waits).toHaveLength(2);
  });
});

describe('quota', () => {
  it('at 50 units per second, no second holds more than 10 messages.get (5 units each)', async () => {
    const box = google.mailbox(rep);
    for (let i = 0; i < 20; i++) box.add(message(i));
    const started = Date.now();
    const page = await fetchPage(
      await reader({ quotaUnitsPerSecond: 50, concurrency: 10 }),
      { phase: 'import', importAfter: new Date(Date.now() - DAY).toISOString() },
      { metadataOnly: false },
    );
    expect(page.messages).toHaveLength(20);
    const gets = google.requests.filter((r) => /\/messages\/[^/]+$/.test(r.path)).map((r) => r.at);
    // 1 (profile) + 5 (list) + 20 × 5 = 106 units: a little over 2 s at 50 per second
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(5000);
    const most = Math.max(...gets.map((t) => gets.filter((u) => u >= t && u < t + 1000).length));
    expect(most).toBeLessThanOrEqual(10);
    expect(most).toBeGreaterThanOrEqual(8);
  });
});
