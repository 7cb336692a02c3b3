import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { profileOf } from '../../slack-app/identity.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeSlack, TEAM } from '../support/slack.js';
import { slackOidcStandIn } from '../support/slack-oidc-stand-in.js';
import { webClient } from '../support/web.js';

const SERVER_KEY = Buffer.alloc(32, 7);
const CLIENT = { clientId: '1234567890.9876543210', clientSecret: 'abcdef0123456789abcdef0123456789' };

/**
 * "Sign in with Slack" on the web pages, on each database, against Slack's
 * OpenID Connect at the network edge (msw at slack.com): a member of the
 * workspace installed for the Slack team signs in by their verified address;
 * a wrong state, a wrong nonce, an unverified address, a deactivated member
 * and a stranger under the 'invite' policy are refused with a page saying
 * why; under the 'slack' policy a full member of the team joins, a guest
 * does not.
 */
describe.each(['pglite', 'postgres'] as const)('Sign in with Slack on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  const slack = slackOidcStandIn(CLIENT);
  const users = fakeSlack();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers, ...slack.handlers, ...users.handlers);
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    await t.sql.query('insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)', [TEAM, ws.id]);
    app = createApp({
      db: t.db,
      publicUrl: 'https://rapport.example.com',
      signin: { serverKey: SERVER_KEY, slack: CLIENT },
      // as the Slack app fills it in (slack-app/connect.ts): users.info with the team's bot token
      jobs: {
        slackProfile: async (teamId, userId) => {
          const info = await new WebClient(BOT_TOKEN, { retryConfig: { retries: 0 } }).users.info({ user: userId });
          return profileOf(info.user!, teamId);
        },
      },
    });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const slackIdOf = async (memberId: string) =>
    (await t.sql.query<{ slack_user_id: string }>('select slack_user_id from crm.members where id = $1', [memberId]))[0]!.slack_user_id;

  /** the browser's round trip: Rapport → Slack's authorize page → back to the callback */
  async function signIn(web: ReturnType<typeof webClient>, next?: string) {
    const start = await web.get(`/signin/slack${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    expect(start.status).toBe(302);
    const back = new URL(slack.authorize(start.location!));
    return web.get(back.pathname + back.search);
  }

  it('offers the button on the sign-in page, carrying where to go, and asks Slack for openid email profile with a state and nonce', async () => {
    const page = await webClient(app).get('/signin?next=%2Faccount');
    expect(page.text).toContain('href="/signin/slack?next=%2Faccount"');
    expect(page.text).not.toContain('/signin/google');
    const web = webClient(app);
    const start = await web.get('/signin/slack?next=/account');
    const to = new URL(start.location!);
    expect(`${to.origin}${to.pathname}`).toBe('https://slack.com/openid/connect/authorize');
    expect(to.searchParams.get('scope')).toBe('openid email profile');
    expect(to.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(to.searchParams.get('redirect_uri')).toBe('https://rapport.example.com/signin/slack/callback');
    expect(to.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
    expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{32}$/);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('rapport_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/signin/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('signs a member in by their Slack identity and goes where they were going', async () => {
    slack.signInAs({ userId: await slackIdOf(ws.rep.id), teamId: TEAM, email: ws.rep.email });
    const web = webClient(app);
    const done = await signIn(web, '/account');
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account');
    const account = await web.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(ws.rep.email);
    const [session] = await t.sql.query<{ via: string }>('select via from crm.web_sessions where member_id = $1 order by created_at desc limit 1', [ws.rep.id]);
    expect(session?.via).toBe('slack');
    // the code was exchanged once, with the app's own client and the same redirect URL
    expect(slack.tokenCalls.at(-1)).toMatchObject({ client_id: CLIENT.clientId, redirect_uri: 'https://rapport.example.com/signin/slack/callback' });
  });

  it('refuses a callback whose state is not this browser’s, and one from a browser that never started', async () => {
    slack.signInAs({ userId: await slackIdOf(ws.rep.id), teamId: TEAM, email: ws.rep.email });
    const web = webClient(app, { 'accept-language': 'ja' });
    const start = await web.get('/signin/slack');
    const back = new URL(slack.authorize(start.location!));
    back.searchParams.set('state', 'x'.repeat(32));
    const wrong = await web.get(back.pathname + back.search);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('このブラウザで始まったものではない');
    expect(web.jar.has('rapport_session')).toBe(false);

    const start2 = await webClient(app).get('/signin/slack');
    const back2 = new URL(slack.authorize(start2.location!));
    const elsewhere = await webClient(app).get(back2.pathname + back2.search);
    expect(elsewhere.status).toBe(400);
  });

  it('refuses an ID token with another nonce, an unverified address, and what Slack refused', async () => {
    const id = await slackIdOf(ws.rep.id);
    const before = (await t.sql.query('select 1 from crm.web_sessions')).length;
    slack.signInAs({ userId: id, teamId: TEAM, email: ws.rep.email, nonce: 'replayed-nonce' });
    const replay = await signIn(webClient(app));
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('Slack did not sign you in (nonce)');

    slack.signInAs({ userId: id, teamId: TEAM, email: ws.rep.email, emailVerified: false });
    const unverified = await signIn(webClient(app));
    expect(unverified.status).toBe(403);
    expect(unverified.text).toContain('has not verified your email address');

    slack.signInAs(undefined);
    const denied = await signIn(webClient(app));
    expect(denied.status).toBe(400);
    expect(denied.text).toContain('(access_denied)');
    expect((await t.sql.query('select 1 from crm.web_sessions')).length).toBe(before);
  });

  it('refuses a deactivated member, a stranger under the invite policy (naming the admins), and another Slack team', async () => {
    const id = await slackIdOf(ws.rep2.id);
    await t.sql.query('update crm.members set active = false where id = $1', [ws.rep2.id]);
    slack.signInAs({ userId: id, teamId: TEAM, email: ws.rep2.email });
    const gone = await signIn(webClient(app));
    expect(gone.status).toBe(403);
    expect(gone.text).toContain('access to this Rapport workspace has ended');
    await t.sql.query('update crm.members set active = true where id = $1', [ws.rep2.id]);

    users.users.set('U0STRANGER', { id: 'U0STRANGER', email: `new@${ws.domain}` });
    slack.signInAs({ userId: 'U0STRANGER', teamId: TEAM, email: `new@${ws.domain}` });
    const stranger = await signIn(webClient(app, { 'accept-language': 'zh-CN' }));
    expect(stranger.status).toBe(403);
    expect(stranger.text).toContain('还不是此 Rapport 工作区的成员');
    expect(stranger.text).toContain('Ada Admin');

    slack.signInAs({ userId: 'U0OTHER', teamId: 'T0ELSEWHERE', email: ws.rep.email });
    const other = await signIn(webClient(app));
    expect(other.status).toBe(403);
    expect(other.text).toContain('not connected to Rapport');
    expect(await t.sql.query('select 1 from crm.members where lower(email) = $1', [`new@${ws.domain}`])).toHaveLength(0);
  });

  it('never signs in a member of another workspace through this workspace’s Slack team', async () => {
    const b = await makeWorkspace(t.sql, t.db);
    slack.signInAs({ userId: 'U0FROMB', teamId: TEAM, email: b.rep.email });
    const res = await signIn(webClient(app));
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(b.id);
    expect(await t.sql.query('select 1 from crm.web_sessions where member_id = $1', [b.rep.id])).toHaveLength(0);
  });

  it('lets a full member of the Slack team join under the slack policy, and not a guest', async () => {
    await t.sql.query(`update crm.workspaces set join_policy = 'slack' where id = $1`, [ws.id]);
    users.users.set('U0GUEST', { id: 'U0GUEST', email: 'guest@partner.example', restricted: true });
    slack.signInAs({ userId: 'U0GUEST', teamId: TEAM, email: 'guest@partner.example' });
    expect((await signIn(webClient(app))).status).toBe(403);

    users.users.set('U0JOINER', { id: 'U0JOINER', email: `joiner@${ws.domain}`, realName: 'Jo Joiner', tz: 'Asia/Tokyo' });
    slack.signInAs({ userId: 'U0JOINER', teamId: TEAM, email: `joiner@${ws.domain}`, name: 'Jo Joiner', locale: 'ja-JP' });
    const web = webClient(app);
    const done = await signIn(web, '/account');
    expect(done.status).toBe(303);
    const [m] = await t.sql.query<{ joined_via: string; role: string; slack_user_id: string; locale: string }>(
      'select joined_via, role, slack_user_id, locale from crm.members where workspace_id = $1 and lower(email) = $2',
      [ws.id, `joiner@${ws.domain}`],
    );
    expect(m).toEqual({ joined_via: 'slack', role: 'rep', slack_user_id: 'U0JOINER', locale: 'ja' });
    expect((await web.get('/account')).text).toContain('Jo Joiner');
    await t.sql.query(`update crm.workspaces set join_policy = 'invite' where id = $1`, [ws.id]);
  });

  it('answers bad input with a 4xx page, never a 500: no query, a made-up code, a state without its cookie', async () => {
    expect((await webClient(app).get('/signin/slack/callback')).status).toBe(400);
    const web = webClient(app);
    const start = await web.get('/signin/slack?next=//evil.example');
    const state = new URL(start.location!).searchParams.get('state')!;
    const madeUp = await web.get(`/signin/slack/callback?code=made-up&state=${state}`);
    expect(madeUp.status).toBe(400);
    expect(madeUp.text).toContain('(invalid_code)');
    expect((await webClient(app).get(`/signin/slack/callback?code=x&state=${'s'.repeat(5000)}`)).status).toBe(400);
    // where it goes after is a path here, whatever the start said
    slack.signInAs({ userId: await slackIdOf(ws.rep.id), teamId: TEAM, email: ws.rep.email });
    const safe = webClient(app);
    const begun = await safe.get('/signin/slack?next=//evil.example');
    const back = new URL(slack.authorize(begun.location!));
    expect((await safe.get(back.pathname + back.search)).location).toBe('/');
  });

  it('says so when Sign in with Slack is not set up', async () => {
    const bare = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    const res = await webClient(bare).get('/signin/slack');
    expect(res.status).toBe(404);
    expect(res.text).toContain('not set up on this server');
    expect((await webClient(bare).get('/signin')).text).not.toContain('/signin/slack');
  });
});
