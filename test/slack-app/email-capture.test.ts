import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectSlack } from '../../slack-app/connect.js';
import { ACTIONS, BLOCKS } from '../../slack-app/ids.js';
import type { MailboxNotice } from '../../slack-app/mailbox/types.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, SIGNING_SECRET, TEAM, fakeSlack, slackRapport } from '../support/slack.js';

/**
 * Issue 16 in Slack: the Home tab's Email capture part (the capture address,
 * New address) and the reconnect DM Gmail sync sends, against the real
 * backend on a real database, slack.com stood in by msw.
 */
const INBOUND = 'log@in.example.com';
const SECRET = 'inbound-relay-secret-'.padEnd(48, 'z');

/** A press on the Home tab's button. */
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

/** A one-line email from `from` to `to`, as a relay posts it to /inbound/mime. */
function mail(from: string, to: string, subject: string): Uint8Array {
  const lines = [
    `From: ${from}`,
    'To: jane@customer.example',
    `Bcc: ${to}`,
    `Subject: ${subject}`,
    'Date: Fri, 20 Nov 2026 10:00:00 +0900',
    `Message-ID: <${Math.random().toString(36).slice(2)}@ws.example>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello',
  ];
  return new TextEncoder().encode(lines.join('\r\n'));
}

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: any[] };

describe('Email capture in Slack: the capture address on the Home tab, New address, the reconnect DM', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let events = 0;

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const api = async (m: TestMember, method: string, path: string) => {
    const res = await rapport.app.request(path, { method, headers: { authorization: `Bearer ${m.token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const lastHome = () => {
    const published = slack.calls.filter((c) => c.method === 'views.publish');
    expect(published.length).toBeGreaterThan(0);
    return (published.at(-1)!.args as { view: { blocks: Block[] } }).view.blocks;
  };
  const openHome = async (user: string) => {
    await rapport.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0CAPTURE${++events}`);
    return lastHome();
  };
  const block = (blocks: Block[], id: string) => blocks.find((b) => b.block_id === id);
  const relay = (message: Uint8Array, recipient: string) =>
    rapport.app.request('/inbound/mime', {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822', 'x-rapport-recipient': recipient },
      body: message,
    });

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { inbound: { address: INBOUND, secret: SECRET } });
  });
  beforeEach(() => {
    slack.calls.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it("a rep's Home shows their own capture address as code, how to use it, and New address behind a confirm", async () => {
    const { address } = (await api(ws.rep, 'GET', '/api/me/capture')).body;
    expect(address).toMatch(/^log\+[a-z2-9]{10}@in\.example\.com$/);
    const home = await openHome(await slackId(ws.rep));
    const shown = block(home, BLOCKS.captureAddress)!.text!.text;
    expect(shown).toContain(`\`${address}\``);
    expect(shown).toContain('BCC it on mail you send to a customer, or forward a customer’s email to it');
    const rotate = block(home, BLOCKS.captureActions)!.elements![0];
    expect(rotate).toMatchObject({
      action_id: ACTIONS.captureRotate,
      text: { text: 'New address' },
      confirm: { title: { text: 'Get a new capture address?' } },
    });
    // a colleague's Home shows their own address, not this one
    const peer = await openHome(await slackId(ws.rep2));
    expect(block(peer, BLOCKS.captureAddress)!.text!.text).not.toContain(address);
  });

  it('New address: the Home shows a new address at once, and mail to the old one is refused and listed under it', async () => {
    const user = await slackId(ws.rep);
    const old = (await api(ws.rep, 'GET', '/api/me/capture')).body.address as string;
    expect((await relay(mail(ws.rep.email, old, 'Before'), old)).status).toBe(200);

    await rapport.interaction(homePress(user, ACTIONS.captureRotate, BLOCKS.captureActions));
    const now = (await api(ws.rep, 'GET', '/api/me/capture')).body.address as string;
    expect(now).not.toBe(old);
    const home = lastHome();
    expect(block(home, BLOCKS.captureAddress)!.text!.text).toContain(`\`${now}\``);
    expect(block(home, BLOCKS.captureAddress)!.text!.text).toContain('Address changed');

    // the old address is retired: the relay is told no (final), the new one takes mail
    expect((await relay(mail(ws.rep.email, old, 'After rotating'), old)).status).toBe(403);
    expect((await relay(mail(ws.rep.email, now, 'To the new one'), now)).status).toBe(200);
    const again = await openHome(user);
    const refusals = JSON.stringify(again.filter((b) => b.type === 'context'));
    expect(refusals).toContain('Recently refused at your address');
    expect(refusals).toContain('“After rotating”: sent to an address you have since replaced');
  });

  it('the Email capture part speaks Japanese to a Japanese member', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.rep2.id]);
    const home = await openHome(await slackId(ws.rep2));
    expect(JSON.stringify(home)).toContain('メールの自動記録');
    expect(block(home, BLOCKS.captureAddress)!.text!.text).toContain('あなたの記録用アドレス');
    expect(block(home, BLOCKS.captureActions)!.elements![0].text.text).toBe('新しいアドレス');
  });

  it('a server without a capture address says so on the Home, with no New address button', async () => {
    const bare = slackRapport(t);
    await bare.event({ type: 'app_home_opened', user: await slackId(ws.admin), channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0CAPTURE${++events}`);
    const home = lastHome();
    expect(block(home, BLOCKS.captureAddress)!.text!.text).toContain('no capture address set up (RAPPORT_INBOUND_ADDRESS)');
    expect(block(home, BLOCKS.captureActions)).toBeUndefined();
    expect(bare.errors).toEqual([]);
  });

  it("the reconnect DM: connectSlack gives Gmail sync a hook that posts one DM in the member's language, with the Reconnect Gmail link", async () => {
    const jobs: { mailboxNotice?: (n: MailboxNotice) => Promise<void> } = {};
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, RAPPORT_PUBLIC_URL: 'https://rapport.example.com' };
    const connected = connectSlack(new Hono(), env, rapport.backend, { jobs, digests: false });
    const user = await slackId(ws.manager);
    const notice: MailboxNotice = {
      workspaceId: ws.id,
      memberId: ws.manager.id,
      slackTeamId: TEAM,
      slackUserId: user,
      locale: 'ja',
      address: ws.manager.email,
      reason: 'invalid_grant',
      reconnectUrl: 'https://rapport.example.com/google/reconnect?t=signed.token',
    };
    await jobs.mailboxNotice!(notice);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    const { args } = posts[0]!;
    expect(args.channel).toBe(user);
    expect(args.text).toContain(`Rapport は ${ws.manager.email} の同期を停止しました`);
    expect(args.text).toContain('Google が Rapport のアクセスを受け付けなくなりました');
    const button = (args.blocks as Block[]).find((b) => b.block_id === BLOCKS.gmailNotice)!.elements![0];
    expect(button).toMatchObject({ type: 'button', text: { text: 'Gmail を再接続' }, url: notice.reconnectUrl, action_id: ACTIONS.gmailReconnect });

    // nobody in Slack to tell: nothing is posted
    slack.calls.length = 0;
    await jobs.mailboxNotice!({ ...notice, slackUserId: null });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);

    // the link button's press is only acked
    const res = await rapport.interaction(homePress(user, ACTIONS.gmailReconnect, BLOCKS.gmailNotice));
    expect(res.status).toBe(200);
    await connected.stop();
  });
});
