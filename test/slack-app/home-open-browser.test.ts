import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../backend/types.js';
import { connectSlack } from '../../slack-app/connect.js';
import { openBrowserModal } from '../../slack-app/home/open-browser.js';
import { ACTIONS, VIEWS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeSlack, SIGNING_SECRET, slackRapport, TEAM } from '../support/slack.js';
import { webClient } from '../support/web.js';

/**
 * The App Home's "Open in browser" (issue 20), driven through the signed
 * HTTP endpoint: the published tab carries the button and no link (a link
 * lives 10 minutes); pressing it makes a fresh one-time link as that member
 * and opens it in a modal in their language; the link signs them in, once.
 */
describe('App Home: Open in browser', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let events = 0;

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>('select slack_user_id s from crm.members where id = $1', [m.id]))[0]!.s;
  const openHome = async (m: TestMember) => {
    await rapport.event({ type: 'app_home_opened', user: await slackId(m), channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0OPEN${++events}`);
    return slack.calls.filter((c) => c.method === 'views.publish').at(-1)!.args as { view: { blocks: any[] } };
  };
  const press = async (m: TestMember) =>
    rapport.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: await slackId(m), team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '123.456.abc',
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', team_id: TEAM, blocks: [], hash: 'h1', state: { values: {} } },
      actions: [
        { type: 'button', action_id: ACTIONS.homeOpenBrowser, block_id: 'b', value: 'open', action_ts: '1.2', text: { type: 'plain_text', text: 'x' } },
      ],
    });

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    await t.sql.query('insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)', [TEAM, ws.id]);
    rapport = slackRapport(t);
  });
  beforeEach(() => {
    slack.calls.length = 0;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('publishes the button, and no link, at the top of the tab', async () => {
    const { view } = await openHome(ws.rep);
    const open = view.blocks.slice(0, 4).find((b) => b.accessory?.action_id === ACTIONS.homeOpenBrowser);
    expect(open?.accessory).toMatchObject({ action_id: ACTIONS.homeOpenBrowser, text: { text: 'ブラウザで開く' } });
    expect(JSON.stringify(view)).not.toContain('/signin/link/');
  });

  it('makes a fresh link when pressed and opens it in a modal in the member’s language; the link signs them in once', async () => {
    expect((await press(ws.rep)).status).toBe(200);
    const opened = slack.calls.filter((c) => c.method === 'views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]!.args.view as ReturnType<typeof openBrowserModal>;
    expect(opened[0]!.args.trigger_id).toBe('123.456.abc');
    expect(view.callback_id).toBe(VIEWS.openBrowser);
    expect(view.title.text).toBe('ブラウザで開く');
    expect(JSON.stringify(view.blocks)).toContain('10 分以内に 1 回だけ');
    const button = (view.blocks[1] as { elements: { url: string; text: { text: string } }[] }).elements[0]!;
    expect(button.text.text).toBe('Rapport を開く');
    const path = new URL(button.url).pathname;
    expect(path).toMatch(/^\/signin\/link\/[\w-]{43}$/);

    const web = webClient(rapport.app);
    const done = await web.signIn(button.url);
    expect(done.status).toBe(303);
    expect((await web.get('/account')).text).toContain(ws.rep.email);
    expect((await webClient(rapport.app).signIn(button.url)).status).toBe(410);

    // a second press, a second link
    await press(ws.rep);
    const again = slack.calls.filter((c) => c.method === 'views.open').at(-1)!.args.view;
    expect(JSON.stringify(again)).not.toContain(path);
  });

  it('has the server ask Slack, with the team’s token, whether someone signing in with Slack is a full member (may join)', async () => {
    const jobs: NonNullable<AppDeps['jobs']> = {};
    connectSlack(new Hono(), { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }, rapport.backend, { jobs, digests: false });
    slack.users.set('U0NEWBIE', { id: 'U0NEWBIE', email: 'nia@example.com', realName: 'Nia New', tz: 'Asia/Tokyo' });
    slack.users.set('U0VISITOR', { id: 'U0VISITOR', email: 'vic@partner.example', restricted: true });
    expect(await jobs.slackProfile!(TEAM, 'U0NEWBIE')).toEqual({ full: true, name: 'Nia New', timezone: 'Asia/Tokyo' });
    expect((await jobs.slackProfile!(TEAM, 'U0VISITOR')).full).toBe(false);
    expect(slack.calls.filter((c) => c.method === 'users.info').map((c) => c.args.user)).toEqual(['U0NEWBIE', 'U0VISITOR']);
  });

  it('builds the modal within Slack’s limits in every language', () => {
    for (const locale of ['en', 'ja', 'zh'] as const) {
      const view = openBrowserModal(locale, `https://rapport.example.com/signin/link/${'a'.repeat(43)}`);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });
});
