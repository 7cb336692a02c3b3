import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createApp } from '../../backend/app.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import { newApiToken } from '../../backend/auth/api-tokens.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { createTestGoogleIssuer, TEST_CERTS_URL, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const SERVICE_SECRET = 's'.repeat(40);

describe('who may call', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const google = createTestGoogleIssuer();
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(google.certsHandler());
    app = createApp({
      db: t.db,
      serviceSecret: SERVICE_SECRET,
      google: createGoogleIdTokenVerifier({ clientIds: ['another-client.apps.googleusercontent.com', TEST_CLIENT_ID] }),
    });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network.close();
    await t.close();
  });

  it('answers 401 without a credential, in the language the caller asks for', async () => {
    const en = await caller(app)('GET', '/api/me');
    expect(en.status).toBe(401);
    expect(en.headers.get('www-authenticate')).toBe('Bearer');
    expect(en.body.error).toMatchObject({ code: 'auth_required', message: expect.stringContaining('Authorization') });
    const ja = await caller(app)('GET', '/api/contacts', undefined, { 'accept-language': 'ja-JP,ja;q=0.9' });
    expect(ja.body.error.message).toContain('認証が必要です');
    const zh = await caller(app)('GET', '/api/contacts', undefined, { 'accept-language': 'zh-CN' });
    expect(zh.body.error.message).toContain('需要先登录');
  });

  it('rejects unknown, malformed and revoked API tokens with 401', async () => {
    expect((await caller(app, newApiToken().token)('GET', '/api/me')).body.error.code).toBe('token_invalid');
    expect((await caller(app, 'not-a-token')('GET', '/api/me')).status).toBe(401);
    expect((await caller(app)('GET', '/api/me', undefined, { authorization: `Basic ${btoa('a:b')}` })).status).toBe(401);
    const { token, hash } = newApiToken();
    await t.db.callAnonymous('token_create', { email: ws.rep.email, workspaceId: ws.id, tokenHash: hash });
    expect((await caller(app, token)('GET', '/api/me')).status).toBe(200);
    await t.sql.query(`update crm.api_tokens set revoked_at = now() where token_hash = $1`, [hash]);
    expect((await caller(app, token)('GET', '/api/me')).status).toBe(401);
  });

  it('never stores a token, only its hash', async () => {
    const rows = await t.sql.query<{ token_hash: string }>(`select token_hash from crm.api_tokens`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a Google ID token of a member, finds them by email, then remembers their subject id', async () => {
    const token = google.sign({ email: ws.rep.email, sub: 'google-sub-rep' });
    const res = await caller(app, token)('GET', '/api/me');
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ id: ws.rep.id });
    const [row] = await t.sql.query<{ google_sub: string }>(`select google_sub from crm.members where id = $1`, [ws.rep.id]);
    expect(row!.google_sub).toBe('google-sub-rep');
    // the Google account's address changed; the subject id still names the member
    const renamed = google.sign({ email: 'renamed@elsewhere.example', sub: 'google-sub-rep' });
    expect((await caller(app, renamed)('GET', '/api/me')).body.member.id).toBe(ws.rep.id);
    // what the add-on captures is recorded as coming from Gmail
    const c = await caller(app, token)('POST', '/api/contacts', { name: 'From Gmail', emails: ['from.gmail@customer.example'] });
    expect(c.body.source).toBe('gmail');
  });

  it.each([
    ['wrong audience', () => google.sign({ email: ws.rep.email, aud: 'someone-else.apps.googleusercontent.com' }), 'audience'],
    ['wrong issuer', () => google.sign({ email: ws.rep.email, iss: 'https://evil.example.com' }), 'issuer'],
    ['expired', () => google.sign({ email: ws.rep.email, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), 'expired'],
    ['bad signature', () => google.sign({ email: ws.rep.email }, { key: 'other' }), 'signature'],
    ['unknown key', () => google.sign({ email: ws.rep.email }, { kid: 'no-such-key' }), 'unknown_key'],
    ['unverified email', () => google.sign({ email: ws.rep.email, email_verified: false }), 'email_unverified'],
  ])('rejects a Google ID token with %s (401)', async (_label, make, reason) => {
    const res = await caller(app, make())('GET', '/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'google_token_invalid', details: { reason } });
  });

  it('answers 403 with how to get access to a verified Google user who is no member', async () => {
    const res = await caller(app, google.sign({ email: 'stranger@customer.example', sub: 'stranger' }))('GET', '/api/me');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'not_a_member' });
    expect(res.body.error.message).toContain('stranger@customer.example');
    expect(res.body.error.message).toContain('admin');
  });

  it("answers 503 with Retry-After when Google's keys cannot be fetched", async () => {
    const fresh = createApp({
      db: t.db,
      google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID], certsUrl: 'https://certs.down.test/keys' }),
    });
    network.use(http.get('https://certs.down.test/keys', () => new HttpResponse(null, { status: 500 })));
    const res = await caller(fresh, google.sign({ email: ws.rep.email }))('GET', '/api/me');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(TEST_CERTS_URL).toContain('googleapis.com');
  });

  it('lets the Slack app act for a member with the service secret, and nobody else', async () => {
    const slack = (headers: Record<string, string>) => caller(app)('GET', '/api/me', undefined, headers);
    const ok = await slack({
      authorization: `Rapport-Service ${SERVICE_SECRET}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-member-email': ws.manager.email,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.member.id).toBe(ws.manager.id);
    const [m] = await t.sql.query<{ slack_user_id: string }>(`select slack_user_id from crm.members where id = $1`, [ws.rep2.id]);
    const bySlack = await slack({
      authorization: `Rapport-Service ${SERVICE_SECRET}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-slack-user': m!.slack_user_id,
    });
    expect(bySlack.body.member.id).toBe(ws.rep2.id);
    // a member of another workspace cannot be reached through this workspace
    const cross = await slack({
      authorization: `Rapport-Service ${SERVICE_SECRET}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-member-email': other.rep.email,
    });
    expect(cross.status).toBe(401);
    const wrong = await slack({
      authorization: `Rapport-Service ${'x'.repeat(40)}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-member-email': ws.manager.email,
    });
    expect(wrong.status).toBe(401);
    const noMember = await slack({ authorization: `Rapport-Service ${SERVICE_SECRET}`, 'x-rapport-workspace': ws.id });
    expect(noMember.status).toBe(401);
    const scheduler = await slack({
      authorization: `Rapport-Service ${SERVICE_SECRET}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-source': 'scheduler',
    });
    expect(scheduler.status).toBe(200);
    expect(scheduler.body.member).toBeNull();
  });

  it('has no service access at all when no secret is configured', async () => {
    const bare = createApp({ db: t.db });
    const res = await caller(bare)('GET', '/api/me', undefined, { authorization: 'Rapport-Service ', 'x-rapport-workspace': ws.id });
    expect(res.status).toBe(401);
  });
});
