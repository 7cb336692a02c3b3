import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SocketModeReceiver } from '@slack/bolt';
import { http, HttpResponse } from 'msw';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { parseEnv, slackMode } from '../../backend/env.js';
import { connectSlack, describeSlack } from '../../slack-app/connect.js';
import { decryptToken, encryptToken } from '../../slack-app/install/crypto.js';
import { BOT_SCOPES } from '../../slack-app/install/scopes.js';
import { installLinkQuery, signState, verifyState } from '../../slack-app/install/state.js';
import { signSlackRequest } from '../../slack-app/signature.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeSlack, SIGNING_SECRET, TEAM } from '../support/slack.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'abcdef0123456789abcdef0123456789';
const KEY = randomBytes(32).toString('base64');
const PUBLIC_URL = 'https://rapport.example.com';
const REDIRECT_URI = `${PUBLIC_URL}/slack/oauth_redirect`;
const OTHER_TEAM = 'T0OTHER';
const OTHER_TOKEN = 'xoxb-other-team-token';
const SERVICE_SECRET = 'service-secret-'.padEnd(40, 'x');

const oauthEnv = (extra: Record<string, string> = {}) =>
  parseEnv({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    RAPPORT_SECRET_KEY: KEY,
    RAPPORT_PUBLIC_URL: PUBLIC_URL,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    ...extra,
  });
const key = oauthEnv().RAPPORT_SECRET_KEY!;

/** Slack's OAuth side: one answer per code, and auth.test by bearer token. */
const teamName = { current: 'Test Team' };
const oauthHandlers = [
  http.post('https://slack.com/api/oauth.v2.access', async ({ request }) => {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    if (form.client_id !== CLIENT_ID || form.client_secret !== CLIENT_SECRET || form.redirect_uri !== REDIRECT_URI) {
      return HttpResponse.json({ ok: false, error: 'bad_client_secret' });
    }
    const grant = (token: string, team: string, name: string) => ({
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: BOT_SCOPES.join(','),
      bot_user_id: 'U0BOT',
      app_id: 'A0APP',
      team: { id: team, name },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0ADMIN' },
    });
    if (form.code === 'code-ok') return HttpResponse.json(grant(BOT_TOKEN, TEAM, teamName.current));
    if (form.code === 'code-other') return HttpResponse.json(grant(OTHER_TOKEN, OTHER_TEAM, 'Other Team'));
    return HttpResponse.json({ ok: false, error: 'invalid_code' });
  }),
  http.post('https://slack.com/api/auth.test', ({ request }) => {
    const auth = request.headers.get('authorization');
    const team = auth === `Bearer ${BOT_TOKEN}` ? TEAM : auth === `Bearer ${OTHER_TOKEN}` ? OTHER_TEAM : null;
    if (!team) return HttpResponse.json({ ok: false, error: 'invalid_auth' });
    return HttpResponse.json({ ok: true, team_id: team, user_id: 'U0BOT', bot_id: 'B0BOT' });
  }),
];

/** Rapport with "Add to Slack" on, as server.ts connects it. */
function oauthRapport(t: TestDb, env = oauthEnv()) {
  const app = createApp({ db: t.db, serviceSecret: SERVICE_SECRET });
  const backend = {
    baseUrl: 'http://rapport.internal',
    serviceSecret: SERVICE_SECRET,
    fetch: ((input: string | URL | Request, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch,
  };
  const errors: unknown[] = [];
  const slack = connectSlack(app, env, backend, { logError: (e) => errors.push(e) });
  const event = async (event: Record<string, unknown>, team = TEAM) => {
    const body = JSON.stringify({
      token: 'x',
      team_id: team,
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
      authorizations: [{ team_id: team, user_id: 'U0BOT', is_bot: true }],
    });
    const res = await app.request('/slack/events', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) },
    });
    await slack.idle();
    return res.status;
  };
  return { app, slack, errors, event };
}

/** GET /slack/install, then Slack's redirect back with a code: the page the browser ends on. */
async function install(
  app: ReturnType<typeof createApp>,
  o: { query?: string; code?: string; cookie?: boolean; state?: (s: string) => string; lang?: string } = {},
) {
  const start = await app.request(`/slack/install${o.query ? `?${o.query}` : ''}`);
  expect(start.status).toBe(302);
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const sent = o.state ? o.state(state) : state;
  const res = await app.request(`/slack/oauth_redirect?code=${o.code ?? 'code-ok'}&state=${encodeURIComponent(sent)}`, {
    headers: { ...(o.cookie === false ? {} : { cookie }), ...(o.lang ? { 'accept-language': o.lang } : {}) },
  });
  return { status: res.status, html: await res.text() };
}

const linkFor = (ws: TestWorkspace) => installLinkQuery(key, ws.id, Math.floor(Date.now() / 1000) + 3600);

describe.each(['pglite', 'postgres'] as const)('"Add to Slack" on a server with several workspaces (%s)', (kind) => {
  let t: TestDb;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let rapport: ReturnType<typeof oauthRapport>;
  let repSlackId: string;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  const rows = async (team = TEAM) =>
    t.sql.query<{ workspace_id: string; team_name: string; bot_token_enc: string; bot_id: string; scopes: string; installed_by: string }>(
      `select * from crm.slack_installations where team_id = $1`,
      [team],
    );

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...oauthHandlers, ...slack.handlers);
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    rapport = oauthRapport(t);
    repSlackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [a.rep.id]))[0]!.s;
  });
  beforeEach(async () => {
    slack.calls.length = 0;
    rapport.errors.length = 0;
    teamName.current = 'Test Team';
    await t.sql.query(`delete from crm.slack_installations where team_id in ($1, $2)`, [TEAM, OTHER_TEAM]);
    rapport.slack.installations!.forget(TEAM);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('asks for the scopes manifest.yml lists', async () => {
    const manifest = parse(await readFile(path.join(ROOT, 'manifest.yml'), 'utf8'));
    expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
  });

  it('/slack/install redirects to Slack with a signed state, also in an HttpOnly cookie', async () => {
    const res = await rapport.app.request(`/slack/install?${linkFor(a)}`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(to.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(to.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
    expect(to.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    const state = to.searchParams.get('state')!;
    expect(verifyState(key, state, Math.floor(Date.now() / 1000))).toEqual({ ok: true, workspaceId: a.id });
    expect(verifyState(key, state, Math.floor(Date.now() / 1000) + 601)).toEqual({ ok: false, reason: 'expired' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain(`rapport_slack_oauth_state=${state}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
  });

  it('without a signed link, asks for one from an admin; a changed link is refused', async () => {
    const bare = await rapport.app.request('/slack/install', { headers: { 'accept-language': 'ja' } });
    expect(bare.status).toBe(400);
    const page = await bare.text();
    expect(page).toContain('インストールリンク');
    expect(page).toContain('npm run slack:install-link');
    expect(bare.headers.get('location')).toBeNull();
    const forged = linkFor(a).replace(a.id, b.id);
    expect((await rapport.app.request(`/slack/install?${forged}`)).status).toBe(400);
    const expired = installLinkQuery(key, a.id, Math.floor(Date.now() / 1000) - 1);
    expect(await (await rapport.app.request(`/slack/install?${expired}`)).text()).toContain('expired');
  });

  it("stores one installation with the bot token encrypted, and says so in the reader's language", async () => {
    teamName.current = 'Acme <Sales> & Co';
    const page = await install(rapport.app, { query: linkFor(a), lang: 'zh-CN,zh;q=0.9' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Rapport 已安装到 Acme &lt;Sales&gt; &amp; Co');
    const [row, ...more] = await rows();
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      workspace_id: a.id,
      team_name: 'Acme <Sales> & Co',
      bot_id: 'B0BOT',
      scopes: BOT_SCOPES.join(','),
      installed_by: 'U0ADMIN',
    });
    expect(row!.bot_token_enc).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(row!.bot_token_enc).not.toContain(BOT_TOKEN);
    expect(row!.bot_token_enc).not.toContain(Buffer.from(BOT_TOKEN).toString('base64'));
    expect(decryptToken(key, TEAM, row!.bot_token_enc)).toBe(BOT_TOKEN);
    expect(() => decryptToken(key, OTHER_TEAM, row!.bot_token_enc)).toThrow(/does not decrypt/);
    expect(() => decryptToken(randomBytes(32), TEAM, row!.bot_token_enc)).toThrow(/does not decrypt/);
    const audit = await t.sql.query(`select action, after::text a from crm.audit_log where entity_type = 'slack_installation' and workspace_id = $1`, [a.id]);
    expect(JSON.stringify(audit)).not.toContain('v1:');
  });

  it('installing twice updates the installation, not a second one', async () => {
    await install(rapport.app, { query: linkFor(a) });
    teamName.current = 'Test Team Renamed';
    expect((await install(rapport.app, { query: linkFor(a) })).status).toBe(200);
    const found = await rows();
    expect(found.map((r) => r.team_name)).toEqual(['Test Team Renamed']);
    const actions = await t.sql.query<{ action: string }>(
      `select action from crm.audit_log where entity_type = 'slack_installation' and workspace_id = $1 order by id desc limit 2`,
      [a.id],
    );
    expect(actions.map((x) => x.action)).toEqual(['reinstall', 'install']);
  });

  it.each([
    ['a tampered state', { state: (s: string) => `${Buffer.from(JSON.stringify({ w: 'b', e: 9e9 })).toString('base64url')}.${s.split('.')[1]}` }, 'not valid'],
    ['a state from another install', { state: () => signState(key, randomUUID(), Math.floor(Date.now() / 1000) + 60) }, 'not valid'],
    ['an expired state', { state: () => signState(key, randomUUID(), Math.floor(Date.now() / 1000) - 1) }, '10 minutes'],
    ['no cookie', { cookie: false }, 'cookie'],
    ['Slack answering ok:false', { code: 'code-revoked' }, 'invalid_code'],
  ])('%s ends on a 400 page and stores nothing', async (_label, o, says) => {
    const page = await install(rapport.app, { query: linkFor(a), ...o });
    expect(page.status).toBe(400);
    expect(page.html).toContain(says);
    expect(await rows()).toEqual([]);
  });

  it('refuses to move a Slack team bound to another workspace', async () => {
    expect((await install(rapport.app, { query: linkFor(b), code: 'code-other' })).status).toBe(200);
    const page = await install(rapport.app, { query: linkFor(a), code: 'code-other' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('already connected to another Rapport workspace');
    expect((await rows(OTHER_TEAM)).map((r) => r.workspace_id)).toEqual([b.id]);
    // the service route says 409 to a direct save as well
    const res = await rapport.app.request(`/api/slack/installations/teams/${OTHER_TEAM}`, {
      method: 'PUT',
      headers: { authorization: `Rapport-Service ${SERVICE_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        workspaceId: a.id,
        botUserId: 'U0BOT',
        botId: 'B0BOT',
        botTokenEnc: encryptToken(key, OTHER_TEAM, OTHER_TOKEN),
        scopes: 'commands',
      }),
    });
    expect(res.status).toBe(409);
  });

  it("authorizes an installed team's event with its decrypted token", async () => {
    await install(rapport.app, { query: linkFor(a) });
    expect(await rapport.event({ type: 'app_mention', user: repSlackId, text: '<@U0BOT> help', channel: 'C0GENERAL', ts: '1.1' })).toBe(200);
    // the stand-in records only calls that carried `Bearer <the installed token>`
    expect(slack.calls.map((c) => c.method)).toContain('chat.postMessage');
    expect(rapport.errors).toEqual([]);
  });

  it.each([
    ['app_uninstalled', { type: 'app_uninstalled' }],
    ['tokens_revoked', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } }],
  ])('%s removes the installation and its channel links; later events do nothing', async (_label, goodbye) => {
    await install(rapport.app, { query: linkFor(a) });
    await t.sql.query(`insert into crm.companies (workspace_id, name) values ($1, 'Linked Co')`, [a.id]);
    await t.sql.query(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, company_id)
       select $1, $2, 'C0LINKED', id from crm.companies where workspace_id = $1 and name = 'Linked Co' limit 1 on conflict do nothing`,
      [a.id, TEAM],
    );
    expect(await rapport.event(goodbye)).toBe(200);
    expect(await rows()).toEqual([]);
    expect(await t.sql.query(`select 1 from crm.slack_channel_links where team_id = $1`, [TEAM])).toEqual([]);
    // once more (Slack sends both events for one uninstall): nothing left to remove
    expect(await rapport.slack.installations!.remove(TEAM, 'tokens_revoked')).toEqual({ deleted: false, channelLinks: 0 });

    slack.calls.length = 0;
    rapport.errors.length = 0;
    expect(await rapport.event({ type: 'app_mention', user: repSlackId, text: '<@U0BOT> help', channel: 'C0GENERAL', ts: '1.2' })).toBe(200);
    expect(slack.calls).toEqual([]);
    expect(String(rapport.errors[0])).toMatch(/not installed in Slack team T0TEST/);
  });

  it('keeps the installation when only user tokens are revoked', async () => {
    await install(rapport.app, { query: linkFor(a) });
    await rapport.event({ type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'], bot: [] } });
    expect((await rows()).length).toBe(1);
  });

  it('runs the same listeners in Socket Mode, with no /slack/events route', async () => {
    await install(rapport.app, { query: linkFor(a) });
    const socket = oauthRapport(t, oauthEnv({ SLACK_APP_TOKEN: 'xapp-1-A0APP-1-abc' }));
    expect(socket.slack.mode).toBe('socket');
    expect((socket.slack.bolt as unknown as { receiver: unknown }).receiver).toBeInstanceOf(SocketModeReceiver);
    expect((await socket.app.request('/slack/events', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await socket.app.request(`/slack/install?${linkFor(a)}`)).status).toBe(302);
    await socket.slack.bolt!.processEvent({
      body: {
        team_id: TEAM,
        api_app_id: 'A0APP',
        type: 'event_callback',
        event_id: 'Ev0SOCKET',
        event: { type: 'app_mention', user: repSlackId, text: '<@U0BOT> help', channel: 'C0GENERAL', ts: '1.3' },
      },
      ack: async () => {},
    });
    expect(slack.calls.map((c) => c.method)).toContain('chat.postMessage');
    expect(socket.errors).toEqual([]);
    expect((rapport.slack.bolt as unknown as { receiver: unknown }).receiver).not.toBeInstanceOf(SocketModeReceiver);
  });
});

describe('"Add to Slack" on a server with one workspace', () => {
  let t: TestDb;
  let only: TestWorkspace;
  let network: ReturnType<typeof setupNetwork>;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...oauthHandlers);
    only = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it("refuses an install without a signed link even here: whoever installs gets the workspace's deliveries", async () => {
    const rapport = oauthRapport(t);
    // an outsider, starting from the bare URL, with their own Slack team (code-other)
    const start = await rapport.app.request('/slack/install');
    expect(start.status).toBe(400);
    expect(start.headers.get('set-cookie')).toBeNull();
    expect(await start.text()).toContain('npm run slack:install-link');
    // nor can they make up the state the callback wants
    const res = await rapport.app.request(
      `/slack/oauth_redirect?code=code-other&state=${encodeURIComponent(signState(randomBytes(32), only.id, Math.floor(Date.now() / 1000) + 60))}`,
    );
    expect(res.status).toBe(400);
    expect(await t.sql.query(`select team_id from crm.slack_installations`)).toEqual([]);
  });

  it('installs with the link the admin made, into that workspace', async () => {
    const rapport = oauthRapport(t);
    const page = await install(rapport.app, { query: linkFor(only) });
    expect(page.status).toBe(200);
    const found = await t.sql.query<{ workspace_id: string }>(`select workspace_id from crm.slack_installations where team_id = $1`, [TEAM]);
    expect(found).toEqual([{ workspace_id: only.id }]);
  });
});

describe('the environment for many workspaces and Socket Mode', () => {
  const base = {
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    RAPPORT_PUBLIC_URL: PUBLIC_URL,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
  };
  const problem = (env: Record<string, string>) => {
    try {
      parseEnv(env);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('requires RAPPORT_SECRET_KEY with the client id and secret', () => {
    expect(problem(base)).toMatch(/RAPPORT_SECRET_KEY: is required with SLACK_CLIENT_ID/);
  });

  it('refuses a key shorter than 32 bytes, without printing it', () => {
    const short = randomBytes(16).toString('base64');
    const message = problem({ ...base, RAPPORT_SECRET_KEY: short });
    expect(message).toMatch(/RAPPORT_SECRET_KEY: must be 32 or more random bytes/);
    expect(message).not.toContain(short);
    expect(problem({ ...base, RAPPORT_SECRET_KEY: 'not a key!' })).toMatch(/RAPPORT_SECRET_KEY/);
  });

  it('takes 64 hex characters or base64 of 32+ bytes', () => {
    expect(parseEnv({ ...base, RAPPORT_SECRET_KEY: 'ab'.repeat(32) }).RAPPORT_SECRET_KEY!.length).toBe(32);
    expect(parseEnv({ ...base, RAPPORT_SECRET_KEY: randomBytes(48).toString('base64url') }).RAPPORT_SECRET_KEY!.length).toBe(48);
  });

  it('names what else is missing or contradictory', () => {
    expect(
      problem({
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        RAPPORT_SECRET_KEY: KEY,
        RAPPORT_PUBLIC_URL: PUBLIC_URL,
      }),
    ).toMatch(/SLACK_CLIENT_SECRET/);
    expect(problem({ ...base, RAPPORT_SECRET_KEY: KEY, RAPPORT_PUBLIC_URL: '' })).toMatch(/RAPPORT_PUBLIC_URL: is required/);
    expect(problem({ ...base, RAPPORT_SECRET_KEY: KEY, SLACK_BOT_TOKEN: BOT_TOKEN })).toMatch(/SLACK_BOT_TOKEN: set either/);
    expect(problem({ SLACK_BOT_TOKEN: BOT_TOKEN })).toMatch(/SLACK_SIGNING_SECRET: is required .* SLACK_APP_TOKEN/);
    expect(problem({ SLACK_APP_TOKEN: 'xoxb-wrong', SLACK_BOT_TOKEN: BOT_TOKEN })).toMatch(/SLACK_APP_TOKEN: must be an app-level token/);
    expect(problem({ SLACK_SIGNING_SECRET: SIGNING_SECRET })).toMatch(/SLACK_BOT_TOKEN: the Slack app needs/);
  });

  it('selects the mode: Socket Mode with SLACK_APP_TOKEN, HTTP without, off without credentials', () => {
    expect(slackMode(parseEnv({}))).toBe('off');
    expect(slackMode(parseEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }))).toBe('http');
    expect(slackMode(parseEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A-1-x' }))).toBe('socket');
    expect(slackMode(oauthEnv({ SLACK_APP_TOKEN: 'xapp-1-A-1-x' }))).toBe('socket');
    expect(slackMode(oauthEnv())).toBe('http');
  });

  it('prints the mode and the URLs, never a secret', () => {
    const env = oauthEnv({ SLACK_APP_TOKEN: 'xapp-1-A0APP-1-secretish' });
    const text = [...describeSlack(env, 'http://localhost:8787'), ...describeSlack(oauthEnv(), 'http://localhost:8787')].join('\n');
    expect(text).toContain('Socket Mode');
    expect(text).toContain(`${PUBLIC_URL}/slack/events`);
    expect(text).toContain('npm run slack:install-link');
    expect(text).toContain(`${PUBLIC_URL}/slack/oauth_redirect`);
    expect(text).toContain(`${PUBLIC_URL}/signin/slack/callback`);
    for (const secret of [CLIENT_SECRET, KEY, SIGNING_SECRET, 'xapp-1-A0APP-1-secretish']) expect(text).not.toContain(secret);
    expect(describeSlack(parseEnv({}), 'http://localhost:8787').join('')).toMatch(/not connected/);
  });
});
