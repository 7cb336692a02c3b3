import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBatch } from '../../backend/google/gmail-batch.js';
import { fetchPage, type GmailReaderOptions } from '../../backend/google/gmail.js';
import { type ConnectedMailbox, connectedMailbox } from '../support/google-reader.js';
import type { GoogleStandIn } from '../support/google-stand-in.js';

/**
 * Gmail's batch endpoint: the import reads a page of messages in batches of
 * up to 50 calls (one HTTP request each) instead of a request per message;
 * a call that fails inside a batch is fetched again alone, after a wait when
 * it was rate-limited, and a message gone since the listing is left out.
 */
const clientId = 'rapport-batch.apps.googleusercontent.com';
const clientSecret = 'batch-secret';
const rep = 'batch.rep@rapport-rep.example';
const DAY = 86_400_000;

describe('parseBatch', () => {
  it("reads Google's multipart answer into the calls' order, each with its status", () => {
    const text = [
      '--batch_pK7JBAk73-E=_AA5eFwv4m2Q=',
      'Content-Type: application/http',
      'Content-ID: <response-item-1>',
      '',
      'HTTP/1.1 404 Not Found',
      'Content-Type: application/json; charset=UTF-8',
      '',
      '{"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}',
      '--batch_pK7JBAk73-E=_AA5eFwv4m2Q=',
      'Content-Type: application/http',
      'Content-ID: <response-item-0>',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json; charset=UTF-8',
      'Vary: Origin',
      '',
      '{"id": "18c1", "threadId": "18c1", "raw": "RnJvbTogYUBiLmM="}',
      '--batch_pK7JBAk73-E=_AA5eFwv4m2Q=',
      'Content-Type: application/http',
      'Content-ID: <response-item-2>',
      '',
      'HTTP/1.1 429 Too Many Requests',
      'Retry-After: 3',
      'Content-Type: application/json; charset=UTF-8',
      '',
      '{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}',
      '--batch_pK7JBAk73-E=_AA5eFwv4m2Q=--',
      '',
    ].join('\r\n');
    const answers = parseBatch('multipart/mixed; boundary=batch_pK7JBAk73-E=_AA5eFwv4m2Q=', text, 4);
    expect(answers.map((a) => a.status)).toEqual([200, 404, 429, 500]);
    expect(answers[0]!.body).toEqual({ id: '18c1', threadId: '18c1', raw: 'RnJvbTogYUBiLmM=' });
    expect(answers[2]!.retryAfter).toBe('3');
    expect(() => parseBatch('application/json', '{}', 1)).toThrow(/not multipart/);
  });
});

describe('batched reads against the stand-in', () => {
  let m: ConnectedMailbox;
  let google: GoogleStandIn;
  let waits: number[];
  let count: ConnectedMailbox['count'];

  beforeEach(async () => {
    m = await connectedMailbox({ clientId, clientSecret, email: rep });
    ({ google, waits, count } = m);
  });
  afterEach(() => google.close());

  const reader = (o: GmailReaderOptions = {}) => m.reader(o);
  const message = (n: number) =>
    `From: c${n}@customer.example\r\nTo: ${rep}\r\nSubject: S${n}\r\nMessage-ID: <m${n}@customer.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nBody ${n} ご確認ください\r\n`;
  const importPage = async (o: GmailReaderOptions = {}) =>
    fetchPage(await reader(o), { phase: 'import', importAfter: new Date(Date.now() - DAY).toISOString() }, { metadataOnly: false, pageSize: 100 });

  it('a page of 100 is two batch requests of 50, read as the same messages as 100 requests would be', async () => {
    const box = google.mailbox(rep);
    for (let i = 0; i < 100; i++) box.add(message(i), { internalDate: new Date(Date.now() - i * 60_000) });
    const batched = await importPage();
    expect(count(/^\/batch\/gmail\/v1$/)).toBe(2);
    // the stand-in logs each call inside a batch as well
    expect(count(/\/messages\/[^/]+$/)).toBe(100);
    google.requests.length = 0;
    const single = await importPage({ batchSize: 1 });
    expect(count(/^\/batch\/gmail\/v1$/)).toBe(0);
    expect(count(/\/messages\/[^/]+$/)).toBe(100);
    expect(batched.messages).toHaveLength(100);
    expect(batched.messages).toEqual(single.messages);
    expect(batched.messages[0]!.body).toContain('ご確認ください');
  });

  it('a call rate-limited inside a batch is fetched again alone after its Retry-After; one gone is left out', async () => {
    const box = google.mailbox(rep);
    const ids = [0, 1, 2, 3].map((i) => box.add(message(i), { internalDate: new Date(Date.now() - i * 60_000) }));
    google.fail({ path: new RegExp(`/messages/${ids[1]}$`), status: 429, times: 1, retryAfter: 3 });
    google.fail({ path: new RegExp(`/messages/${ids[2]}$`), status: 404, times: 1 });
    const page = await importPage();
    expect(page.messages.map((m) => m.subject).sort()).toEqual(['S0', 'S1', 'S3']);
    expect(waits).toEqual([expect.any(Number)]);
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(count(new RegExp(`/messages/${ids[1]}$`))).toBe(2);
    expect(count(/^\/batch\/gmail\/v1$/)).toBe(1);
  });

  it('a batch request refused as a whole (503) is retried with backoff', async () => {
    google.mailbox(rep).add(message(7));
    google.fail({ path: /^\/batch\/gmail\/v1$/, status: 503, times: 2 });
    const page = await importPage();
    expect(page.messages.map((m) => m.subject)).toEqual(['S7']);
    expect(count(/^\/batch\/gmail\/v1$/)).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('a quota of 50 units a second makes batches of 10 (5 units a call)', async () => {
    const box = google.mailbox(rep);
    for (let i = 0; i < 20; i++) box.add(message(i));
    const page = await importPage({ quotaUnitsPerSecond: 50 });
    expect(page.messages).toHaveLength(20);
    expect(count(/^\/batch\/gmail\/v1$/)).toBe(2);
  });
});
