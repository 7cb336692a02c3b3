import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * Gmail messages the add-on may meet in the wild, sent straight to the API: no
 * From, 500 recipients, a 5 MB body. Each works or gets a 4xx JSON answer that
 * names the problem; none is a 500.
 */
describe('bad Gmail messages at /api/gmail/*', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await openTestDb('pglite');
    app = createApp({ db: t.db, clock: () => new Date('2026-11-24T03:00:00Z'), logError: (_ref, e) => errors.push(e) });
    ws = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    await t?.close();
    expect(errors).toEqual([]);
  });

  const mid = () => `<bad-${randomUUID()}@mail.customer.example>`;
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `guest${i}@partner-${i % 7}.example`, name: `Guest ${i}` }));
  const logged = (over: Record<string, unknown>) => ({
    messageId: mid(),
    gmailMessageId: randomUUID().slice(0, 16),
    threadId: randomUUID().slice(0, 16),
    from: { email: 'jane@acme-bad.example', name: 'Jane' },
    to: [{ email: ws.rep.email }],
    cc: [],
    date: '2026-11-20T09:00:00+09:00',
    subject: 'Hello',
    body: 'Hi',
    ...over,
  });

  it('a message with no From: context shows its other people; log is a 400 naming from and stores nothing', async () => {
    const rep = caller(app, ws.rep.token);
    const ctx = await rep('POST', '/api/gmail/context', {
      message: { messageId: mid(), to: [{ email: 'olivia@stone.example', name: 'Olivia' }, { email: ws.rep.email }], cc: [] },
    });
    expect(ctx.status).toBe(200);
    expect(ctx.body.people.map((p: any) => [p.email, p.role])).toEqual([['olivia@stone.example', 'to']]);
    expect(ctx.body.more).toBe(0);

    const before = await tableDigest(t.sql);
    const { from: _drop, ...noFrom } = logged({});
    const res = await rep('POST', '/api/gmail/log', { messages: [noFrom] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(JSON.stringify(res.body.error)).toContain('from');
    expect(await tableDigest(t.sql)).toEqual(before);
  });

  it('500 recipients: context answers the first ten external people and counts the rest; log stores all of them', async () => {
    const rep = caller(app, ws.rep.token);
    const to = many(250);
    const cc = many(500).slice(250);
    const ctx = await rep('POST', '/api/gmail/context', {
      message: { messageId: mid(), from: { email: 'jane@acme-bad.example' }, to, cc },
    });
    expect(ctx.status).toBe(200);
    expect(ctx.body.people).toHaveLength(10);
    expect(ctx.body.people[0].email).toBe('jane@acme-bad.example');
    expect(ctx.body.more).toBe(501 - 10);

    const msg = logged({ to: [{ email: ws.rep.email }, ...many(499)], cc: many(1000).slice(500) });
    const res = await rep('POST', '/api/gmail/log', { messages: [msg] });
    expect(res.status).toBe(201);
    const id = res.body.items[0].interactionId;
    const full = await rep('GET', `/api/interactions/${id}`);
    expect(full.status).toBe(200);
    // the sender, 500 in To and 500 in Cc
    expect(full.body.participants).toHaveLength(1 + 500 + 500);

    // 501 in one list is a 400 naming the list
    const over = await rep('POST', '/api/gmail/context', { message: { messageId: mid(), to: many(501), cc: [] } });
    expect(over.status).toBe(400);
    expect(JSON.stringify(over.body.error)).toContain('to');
  });

  it('a 5 MB body is a 413 with a JSON error and stores nothing; a 100,001-character body is a 400 naming body', async () => {
    const rep = caller(app, ws.rep.token);
    const before = await tableDigest(t.sql);
    const huge = 'x'.repeat(5 * 1024 * 1024);
    for (const [path, body] of [
      ['/api/gmail/log', { messages: [logged({ body: huge })] }],
      ['/api/gmail/context', { message: { messageId: mid(), to: [], cc: [], subject: huge } }],
    ] as const) {
      const res = await rep('POST', path, body);
      expect(res.status, path).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toMatch(/1 MB/);
    }
    const long = await rep('POST', '/api/gmail/log', { messages: [logged({ body: 'y'.repeat(100_001) })] });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.error)).toContain('body');
    expect(await tableDigest(t.sql)).toEqual(before);
  });
});
