import { Hono } from 'hono';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seal } from '../../backend/crypto.js';
import { CALENDAR_EVENTS_SCOPE, GMAIL_SCOPE } from '../../backend/google/oauth.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { verifyConsentState } from '../../backend/google/state.js';
import { runMailboxStep } from '../../backend/google/sync.js';
import type { AppDeps } from '../../backend/types.js';
import { connectSlack } from '../../slack-app/connect.js';
import { ACTIONS, BLOCKS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, SIGNING_SECRET, TEAM, fakeSlack, slackRapport } from '../support/slack.js';

/**
 * Gmail sync in Slack (issue 16): the Home tab's Connect Gmail (Google's
 * consent page, signed for the member), the status of a connected mailbox
 * and Disconnect, an admin's Mailboxes part, and the reconnect DM when Google
 * refuses the token, against the real backend and sync worker on a real
 * database; slack.com and Google's token and revoke endpoints stood in by msw.
 */
const PUBLIC = 'https://rapport.example.com';
const OAUTH = 'https://oauth.google.test';
const KEY = Buffer.alloc(32, 7);

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: any[] };

function homePress(user: string, actionId: string, blockId: string) {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.abc',
    container: { type: 'view', view_id: 'V0HOME' },
    view: { id: 'V0HOME', type: 'home', team_id: TEAM, blocks: [], hash: 'h1', state: { values: {} } },
    actions: [{ type: 'button', action_id: actionId, block_id: blockId, value: 'x', action_ts: '1.2', text: { type: 'plain_text', text: 'x' } }],
  };
}

describe('Gmail sync in Slack: Connect, status and Disconnect on the Home tab, Mailboxes for an admin, the reconnect DM', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  const google = { token: [] as string[], revoked: [] as string[] };
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let events = 0;
  const gmail: NonNullable<AppDeps['gmail']> = {
    serverKey: KEY,
    publicUrl: PUBLIC,
    oauth: { clientId: 'client-1.apps.googleusercontent.com', clientSecret: 'client-secret', redirectUri: `${PUBLIC}/google/oauth_callback`, oauthUrl: OAUTH },
    endpoints: { apiUrl: 'https://gmail.google.test/', oauthUrl: OAUTH },
    importDays: 90,
    pollSeconds: 120,
    quotaUnitsPerSecond: 100_000,
  } satisfies GmailSettings;

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const lastHome = () => (slack.calls.filter((c) => c.method === 'views.publish').at(-1)!.args as { view: { blocks: Block[] } }).view.blocks;
  const openHome = async (user: string) => {
    await rapport.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0GMAIL${++events}`);
    return lastHome();
  };
  const block = (blocks: Block[], id: string) => blocks.find((b) => b.block_id === id);
  /** As Google's consent would leave it: a connected mailbox holding a (sealed) refresh token. */
  const connect = (m: TestMember) =>
    t.db.callAnonymous('mailbox_connected', {
      workspaceId: ws.id,
      memberId: m.id,
      address: m.email,
      mode: 'oauth',
      sealedToken: seal(KEY, 'google-refresh-token', m.id, `refresh-${m.id}`),
      scopes: [GMAIL_SCOPE.readonly],
    });

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(
      ...slack.handlers,
      // Google refuses every refresh token (a password change, a revoked grant), and takes revokes
      http.post(`${OAUTH}/token`, async ({ request }) => {
        google.token.push(await request.text());
        return HttpResponse.json({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, { status: 400 });
      }),
      http.post(`${OAUTH}/revoke`, async ({ request }) => {
        google.revoked.push(`${new URL(request.url).search} ${await request.text()}`);
        return HttpResponse.json({});
      }),
    );
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { gmail });
  });
  beforeEach(() => {
    slack.calls.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it("Connect Gmail on a rep's Home opens Google's consent page, signed for that rep and hinting their address", async () => {
    const home = await openHome(await slackId(ws.rep));
    expect(block(home, BLOCKS.gmailStatus)!.text!.text).toContain('*Gmail sync*: not connected');
    const [button] = block(home, BLOCKS.gmailActions)!.elements!;
    expect(button).toMatchObject({ action_id: ACTIONS.gmailConnect, text: { text: 'Connect Gmail' } });
    const url = new URL(button.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${OAUTH}/o/oauth2/v2/auth`);
    expect(url.searchParams.get('client_id')).toBe(gmail.oauth!.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/google/oauth_callback`);
    expect(url.searchParams.get('login_hint')).toBe(ws.rep.email);
    expect(url.searchParams.get('scope')).toContain(GMAIL_SCOPE.readonly);
    // the state is the backend's own signature for this member (what /google/oauth_callback will accept)
    expect(verifyConsentState(KEY, url.searchParams.get('state')!, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true, memberId: ws.rep.id });
    // the press on a link button is only acked
    expect((await rapport.interaction(homePress(await slackId(ws.rep), ACTIONS.gmailConnect, BLOCKS.gmailActions))).status).toBe(200);
  });

  it('a connected mailbox shows its status and counts; Disconnect revokes at Google and the Home offers Connect again', async () => {
    await connect(ws.rep2);
    const user = await slackId(ws.rep2);
    const home = await openHome(user);
    const text = block(home, BLOCKS.gmailStatus)!.text!.text;
    expect(text).toContain(`*Gmail sync* (${ws.rep2.email}): importing your recent mail`);
    expect(text).toContain('Not synced yet · 0 captured, 0 skipped');
    const disconnect = block(home, BLOCKS.gmailActions)!.elements!.find((e) => e.action_id === ACTIONS.gmailDisconnect);
    expect(disconnect).toMatchObject({ action_id: ACTIONS.gmailDisconnect, confirm: { title: { text: 'Disconnect Gmail?' } } });

    await rapport.interaction(homePress(user, ACTIONS.gmailDisconnect, BLOCKS.gmailActions));
    expect(google.revoked.join('\n')).toContain(`refresh-${ws.rep2.id}`);
    const after = lastHome();
    expect(block(after, BLOCKS.gmailStatus)!.text!.text).toContain('not connected');
    expect(block(after, BLOCKS.gmailActions)!.elements![0].action_id).toBe(ACTIONS.gmailConnect);
  });

  it('a Gmail-only connection offers Connect Google Calendar; Stop calendar sync and Sync my calendar too switch it', async () => {
    await connect(ws.manager);
    const user = await slackId(ws.manager);
    const link = (blocks: Block[]) => block(blocks, BLOCKS.gmailActions)!.elements!.find((e) => e.action_id === ACTIONS.calendarConnect);
    const home = await openHome(user);
    // the calendar is wanted by default, and Google's consent so far covers Gmail only
    expect(block(home, BLOCKS.gmailStatus)!.text!.text).toContain('Google Calendar: waiting for your consent');
    const url = new URL(link(home)!.url);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining([GMAIL_SCOPE.readonly, CALENDAR_EVENTS_SCOPE]));
    expect(verifyConsentState(KEY, url.searchParams.get('state')!, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true, memberId: ws.manager.id });
    expect((await rapport.interaction(homePress(user, ACTIONS.calendarConnect, BLOCKS.gmailActions))).status).toBe(200);

    await rapport.interaction(homePress(user, ACTIONS.calendarOff, BLOCKS.gmailActions));
    const off = lastHome();
    expect(block(off, BLOCKS.gmailStatus)!.text!.text).toContain('Google Calendar: not synced');
    expect(link(off)).toBeUndefined();
    expect(block(off, BLOCKS.gmailActions)!.elements!.find((e) => e.action_id === ACTIONS.calendarOn)).toMatchObject({
      text: { text: 'Sync my calendar too' },
    });

    await rapport.interaction(homePress(user, ACTIONS.calendarOn, BLOCKS.gmailActions));
    const on = lastHome();
    expect(block(on, BLOCKS.gmailStatus)!.text!.text).toContain('Google Calendar: waiting for your consent');
    expect(link(on)).toBeDefined();
  });

  it("an admin's Home lists every mailbox with its member, address and status; a rep's has no such part", async () => {
    await connect(ws.manager);
    const admin = JSON.stringify(await openHome(await slackId(ws.admin)));
    expect(admin).toContain('Mailboxes (');
    expect(admin).toContain('*Mia Manager*');
    expect(admin).toContain(`(${ws.manager.email}): importing your recent mail`);
    expect(JSON.stringify(await openHome(await slackId(ws.rep)))).not.toContain('Mailboxes (');
  });

  it('when Google refuses the token, the worker has the member told once by DM, in Japanese, with the signed Reconnect link', async () => {
    const jobs: NonNullable<AppDeps['jobs']> = {};
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, RAPPORT_PUBLIC_URL: PUBLIC };
    const connected = connectSlack(new Hono(), env, rapport.backend, { jobs, digests: false });
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.rep.id]);
    await connect(ws.rep);
    const step = () => runMailboxStep({ db: t.db, gmail, workerId: 'worker-1', notice: jobs.mailboxNotice! });

    expect((await step()).failed).toBeGreaterThanOrEqual(1);
    expect(google.token.join('\n')).toContain(`refresh-${ws.rep.id}`);
    const user = await slackId(ws.rep);
    const dms = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === user);
    expect(dms()).toHaveLength(1);
    const { text, blocks } = dms()[0]!.args as { text: string; blocks: Block[] };
    expect(text).toContain(`Rapport は ${ws.rep.email} の同期を停止しました`);
    expect(text).toContain('Google が Rapport のアクセスを受け付けなくなりました');
    const button = block(blocks, BLOCKS.gmailNotice)!.elements![0];
    expect(button.text.text).toBe('Gmail を再接続');
    expect(button.url).toMatch(new RegExp(`^${PUBLIC}/google/connect\\?`));
    // the link leads to Google's consent for this member
    const res = await rapport.app.request(button.url.slice(PUBLIC.length));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${OAUTH}/o/oauth2/v2/auth\\?`));

    // later passes do not tell them again; their Home says why and offers Reconnect
    await step();
    expect(dms()).toHaveLength(1);
    const home = await openHome(user);
    expect(block(home, BLOCKS.gmailStatus)!.text!.text).toContain('再接続が必要です');
    expect(block(home, BLOCKS.gmailActions)!.elements!.map((e: any) => e.action_id)).toEqual([
      ACTIONS.gmailReconnect,
      ACTIONS.gmailDisconnect,
      ACTIONS.calendarOff,
    ]);
    await connected.stop();
  });
});
