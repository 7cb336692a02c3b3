import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { type Db, DbUnavailableError } from '../../backend/db/port.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { linkFor, webClient } from '../support/web.js';

/**
 * An error a person's browser meets is a page in their language with a way
 * home, not the API's JSON: a mistyped link, the database not answering
 * while they read a contact. The API, Slack's callbacks and any client that
 * does not ask for HTML keep the JSON error.
 */
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('error pages for a browser', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let down = false;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    ws = await makeWorkspace(t.sql, t.db);
    // the same database, made to stop answering when a test says so
    const flaky = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (down) throw new DbUnavailableError(new Error('connection refused'));
          return value.apply(target, args);
        };
      },
    }) as Db;
    app = createApp({ db: flaky, publicUrl: 'https://rapport.example.com' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a mistyped link with a page in the reader’s language', async () => {
    const res = await webClient(app, { ...HTML, 'accept-language': 'ja,en;q=0.5' }).get('/contacts/oops');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.text).toContain('<html lang="ja">');
    expect(res.text).toContain('Rapport に /contacts/oops というページはありません');
    expect(res.text).toContain('href="/"');
  });

  it('shows a signed-in reader that the database is not answering, with its Retry-After', async () => {
    const web = webClient(app, HTML);
    expect((await web.signIn(await linkFor(app, ws.rep.token, '/'))).status).toBe(303);
    down = true;
    try {
      const res = await web.get('/');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('The database is not answering just now. Nothing was saved');
    } finally {
      down = false;
    }
    expect((await web.get('/')).status).toBe(200);
  });

  it('keeps JSON for the API, for Slack and for a client that does not ask for HTML', async () => {
    // (no credential: the API refuses before it looks for the route)
    const api = await app.request('/api/nothing-here', { headers: HTML });
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('auth_required');
    const slack = await app.request('/slack/nothing-here', { headers: HTML });
    expect(slack.headers.get('content-type')).toMatch(/json/);
    const plain = await app.request('/contacts/oops', { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(404);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });
});
