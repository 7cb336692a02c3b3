import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { linkFor, webClient } from '../support/web.js';

/**
 * Signing in to the web companion by one-time link, sessions and CSRF, on
 * each database: a link works once and for 10 minutes, a session is a
 * cookie whose hash is stored, every form needs its CSRF token, and a
 * deactivated member's session ends.
 */
describe.each(['pglite', 'postgres'] as const)('web sign-in on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('sends a page that needs sign-in to the sign-in page with where it was going', async () => {
    const res = await webClient(app).get('/account?tab=1');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/signin?next=%2Faccount%3Ftab%3D1');
    const signin = await webClient(app, { 'accept-language': 'zh-CN' }).get('/signin');
    expect(signin.status).toBe(200);
    expect(signin.text).toContain('登录 Rapport');
    expect(signin.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(signin.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('signs in by a one-time link, once, to where the link says, with a Secure HttpOnly cookie', async () => {
    const url = await linkFor(app, ws.rep.token, '/account');
    expect(url).toMatch(/^https:\/\/rapport\.example\.com\/signin\/link\/[A-Za-z0-9_-]{43}$/);
    const web = webClient(app);
    const shown = await web.get(new URL(url).pathname);
    // a GET (a link scanner) uses nothing: the page asks to continue
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Ren Rep');
    const done = await web.post(new URL(url).pathname);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account');
    const set = done.headers.getSetCookie().find((c) => c.startsWith('__Host-rapport_session='));
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/Secure/i);
    expect(set).toMatch(/SameSite=Lax/i);
    const account = await web.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(ws.rep.email);
    expect(account.text).toContain('アカウント');
    // the database keeps the hash, never the cookie's token
    const token = web.jar.get('__Host-rapport_session')!;
    const [stored] = await t.sql.query<{ raw: number; hashed: number }>(
      `select count(*) filter (where token_hash = $1)::int as raw, count(*) filter (where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex'))::int as hashed from crm.web_sessions`,
      [token],
    );
    expect(stored).toEqual({ raw: 0, hashed: 1 });

    const again = webClient(app);
    const used = await again.signIn(url);
    expect(used.status).toBe(410);
    expect(used.text).toContain('使用済み');
    expect(again.jar.has('__Host-rapport_session')).toBe(false);
  });

  it('refuses an expired link, a made-up one, and a Continue pressed from another site', async () => {
    const url = await linkFor(app, ws.rep2.token);
    await t.sql.query(`update crm.signin_links set expires_at = now() - interval '1 second' where member_id = $1 and used_at is null`, [ws.rep2.id]);
    expect((await webClient(app).signIn(url)).status).toBe(410);
    expect((await webClient(app).get('/signin/link/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(400);
    expect((await webClient(app).get('/signin/link/not-a-token')).status).toBe(400);
    // a form on another site posting the link: no proof cookie from the page, no session
    const fresh = await linkFor(app, ws.rep2.token);
    const forged = await webClient(app).post(new URL(fresh).pathname);
    expect(forged.status).toBe(403);
    expect((await webClient(app).signIn(fresh)).status).toBe(303);
  });

  it('needs the CSRF token on every form, and signs out everywhere', async () => {
    const web = webClient(app);
    await web.signIn(await linkFor(app, ws.manager.token));
    const other = webClient(app);
    await other.signIn(await linkFor(app, ws.manager.token));
    const page = await web.get('/account');
    expect(page.text).toContain('（このブラウザ）');
    const forged = await web.post('/account/signout-everywhere', { _csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    expect((await web.post('/account/signout-everywhere')).status).toBe(403);
    expect((await other.get('/account')).status).toBe(200);
    const out = await web.post('/account/signout-everywhere', { _csrf: web.csrfIn(page.text) });
    expect(out.status).toBe(303);
    expect((await other.get('/account')).status).toBe(303);
    expect((await web.get('/account')).status).toBe(303);
  });

  it('ends the session of a member who is deactivated, and after 14 idle days', async () => {
    const web = webClient(app);
    await web.signIn(await linkFor(app, ws.rep2.token));
    expect((await web.get('/account')).status).toBe(200);
    await t.sql.query(`update crm.web_sessions set last_seen_at = now() - interval '14 days 1 minute' where member_id = $1`, [ws.rep2.id]);
    expect((await web.get('/account')).status).toBe(303);
    await web.signIn(await linkFor(app, ws.rep2.token));
    expect((await web.get('/account')).status).toBe(200);
    await t.sql.query('update crm.members set active = false where id = $1', [ws.rep2.id]);
    expect((await web.get('/account')).status).toBe(303);
    await t.sql.query('update crm.members set active = true where id = $1', [ws.rep2.id]);
  });

  it('takes only a path on this server as where to go next', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const res = await app.request('/api/me/signin-link', {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ next }),
      });
      expect(res.status).toBe(400);
    }
  });
});
