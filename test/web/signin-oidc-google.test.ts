import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.js';
import { setupNetwork } from '../support/network.js';
import { webClient } from '../support/web.js';

const SERVER_KEY = Buffer.alloc(32, 9);
const CLIENT = { clientId: 'rapport-web.apps.googleusercontent.com', clientSecret: 'web-secret' };

/**
 * "Sign in with Google" on the web pages, on each database, against the
 * Google stand-in on loopback (authorize, token, the certificates the ID
 * token is verified with by google-auth-library): a member signs in by their
 * verified address; a wrong nonce and an unverified address are refused; a
 * newcomer joins under the 'domains' policy; an address in two workspaces
 * chooses one, and only among its own choices.
 */
describe.each(['pglite', 'postgres'] as const)('Sign in with Google on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let google: GoogleStandIn;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn(CLIENT);
    ws = await makeWorkspace(t.sql, t.db, { locale: 'zh' });
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com', signin: { serverKey: SERVER_KEY, google: { ...CLIENT, oauthUrl: google.url } } });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  /** the browser's round trip through Google's consent (the stand-in consents as whom consentAs said) */
  async function signIn(web: ReturnType<typeof webClient>, next?: string) {
    const start = await web.get(`/signin/google${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    expect(start.status).toBe(302);
    const consent = await fetch(start.location!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    return web.get(back.pathname + back.search);
  }

  it('asks Google for openid email profile with a state and nonce, and signs a member in', async () => {
    const page = await webClient(app).get('/signin?next=%2Faccount');
    expect(page.text).toContain('href="/signin/google?next=%2Faccount"');
    const start = await webClient(app).get('/signin/google');
    const to = new URL(start.location!);
    expect(to.pathname).toBe('/o/oauth2/v2/auth');
    expect(to.searchParams.get('scope')).toBe('openid email profile');
    expect(to.searchParams.get('redirect_uri')).toBe('https://rapport.example.com/signin/google/callback');
    expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{32}$/);
    expect(to.searchParams.get('access_type')).toBeNull();

    google.consentAs(ws.rep.email);
    const web = webClient(app);
    const done = await signIn(web, '/account');
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account');
    expect((await web.get('/account')).text).toContain(ws.rep.email);
    const [m] = await t.sql.query<{ google_sub: string | null; via: string }>(
      'select m.google_sub, s.via from crm.members m join crm.web_sessions s on s.member_id = m.id where m.id = $1',
      [ws.rep.id],
    );
    expect(m?.via).toBe('google');
    expect(m?.google_sub).toMatch(/^\d+$/);
  });

  it('refuses an ID token with another nonce, an unverified address, and a stranger under the invite policy', async () => {
    google.consentAs(ws.rep.email, { nonce: 'replayed' });
    const replay = await signIn(webClient(app));
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('(nonce)');

    google.consentAs(ws.manager.email, { emailVerified: false });
    const unverified = await signIn(webClient(app, { 'accept-language': 'ja' }));
    expect(unverified.status).toBe(403);
    expect(unverified.text).toContain('メールアドレスが確認されていない');

    google.consentAs(`stranger@${ws.domain}`);
    const stranger = await signIn(webClient(app));
    expect(stranger.status).toBe(403);
    expect(stranger.text).toContain(`stranger@${ws.domain}`);
    expect(await t.sql.query('select 1 from crm.web_sessions where member_id = $1', [ws.manager.id])).toHaveLength(0);
  });

  it('refuses a deactivated member', async () => {
    await t.sql.query('update crm.members set active = false where id = $1', [ws.rep2.id]);
    google.consentAs(ws.rep2.email);
    const gone = await signIn(webClient(app));
    expect(gone.status).toBe(403);
    expect(gone.text).toContain('access to this Rapport workspace has ended');
    await t.sql.query('update crm.members set active = true where id = $1', [ws.rep2.id]);
  });

  it('lets a newcomer of a listed domain join under the domains policy', async () => {
    await t.sql.query(`update crm.workspaces set join_policy = 'domains', join_domains = array[$2] where id = $1`, [ws.id, ws.domain]);
    google.consentAs(`newcomer@${ws.domain}`);
    const web = webClient(app);
    expect((await signIn(web, '/account')).status).toBe(303);
    const [m] = await t.sql.query<{ joined_via: string; role: string }>('select joined_via, role from crm.members where lower(email) = $1', [
      `newcomer@${ws.domain}`,
    ]);
    expect(m).toEqual({ joined_via: 'google', role: 'rep' });
    expect((await web.get('/account')).status).toBe(200);
    await t.sql.query(`update crm.workspaces set join_policy = 'invite', join_domains = '{}' where id = $1`, [ws.id]);
  });

  it('lets an address in two workspaces choose one, among its own choices only', async () => {
    const other = randomUUID();
    await t.sql.query(`insert into crm.workspaces (id, name) values ($1, 'Second Shop <img src=x onerror=alert(1)>')`, [other]);
    await t.sql.query(`insert into crm.members (workspace_id, email, display_name, role) values ($1, $2, 'Ada Elsewhere', 'admin')`, [other, ws.admin.email]);
    const stranger = randomUUID();
    await t.sql.query(`insert into crm.workspaces (id, name) values ($1, 'Not Yours')`, [stranger]);

    google.consentAs(ws.admin.email);
    const web = webClient(app);
    const chooser = await signIn(web, '/account');
    expect(chooser.status).toBe(200);
    // a workspace's name is stored text: inert on the page
    expect(chooser.text).toContain('Second Shop &lt;img src=x onerror=alert(1)&gt;');
    expect(chooser.text).not.toContain('<img');
    expect(chooser.text).toContain(`Workspace ${ws.id.slice(0, 8)}`);
    expect(web.jar.has('rapport_session')).toBe(false);
    const proof = web.csrfIn(chooser.text);

    // a workspace it was not offered, a forged proof, another browser: refused
    expect((await web.post('/signin/google/choose', { _csrf: proof, workspace: stranger })).status).toBe(400);
    expect((await web.post('/signin/google/choose', { _csrf: 'x'.repeat(43), workspace: other })).status).toBe(400);
    expect((await webClient(app).post('/signin/google/choose', { _csrf: proof, workspace: other })).status).toBe(400);

    const done = await web.post('/signin/google/choose', { _csrf: proof, workspace: other });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account');
    const account = await web.get('/account');
    expect(account.text).toContain('Ada Elsewhere');
    // the choice is spent with its cookie; a post with nothing at all is a 400 too
    expect((await web.post('/signin/google/choose', { _csrf: proof, workspace: other })).status).toBe(400);
    expect((await webClient(app).post('/signin/google/choose')).status).toBe(400);
  });
});
