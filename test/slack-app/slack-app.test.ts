import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../slack-app/ids.js';
import { verifySlackSignature, signSlackRequest } from '../../slack-app/signature.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, SIGNING_SECRET } from '../support/slack.js';

const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

describe('the Slack app, driven through its signed HTTP endpoint', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let repSlackId: string;
  let janeId: string;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    repSlackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    const rep = (path: string, body: unknown) =>
      rapport.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    janeId = (
      (await (
        await rep('/api/contacts', {
          name: 'Jane Tanaka',
          title: 'VP Sales',
          emails: ['jane@acme.co.jp'],
          company: { name: 'Acme', domain: 'acme.co.jp' },
          stage: 'customer',
        })
      ).json()) as any
    ).id;
    await rep('/api/contacts', { name: 'Janet Smith', emails: ['janet@globex.example'] });
    await rep('/api/contacts', { name: '田中 太郎', emails: ['taro@sakura-mfg.co.jp'], company: { name: '株式会社サクラ製作所' } });
    await rep('/api/follow-ups', { contactId: janeId, dueAt: '2020-01-01T00:00:00Z', note: 'send the renewal quote' });
    await rep('/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-20T00:00:00Z',
      subject: 'Renewal <!channel> & pricing',
      source: 'gmail',
      externalId: '<renewal@acme>',
      participants: [{ role: 'from', email: 'jane@acme.co.jp' }],
    });
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  describe('never accepts a request Slack did not sign', () => {
    it("verifies Slack's published example", () => {
      const body =
        'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
      const example = {
        secret: '8f742231b10e8888abcd99yyyzzz85a5',
        timestamp: '1531420618',
        body,
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      };
      expect(verifySlackSignature({ ...example, nowSeconds: 1531420618 })).toEqual({ ok: true });
      expect(verifySlackSignature({ ...example, body: `${body}x`, nowSeconds: 1531420618 })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifySlackSignature({ ...example, nowSeconds: 1531420618 + 301 })).toEqual({ ok: false, reason: 'stale' });
      expect(verifySlackSignature({ ...example, nowSeconds: 1531420618 - 301 })).toEqual({ ok: false, reason: 'stale' });
      expect(verifySlackSignature({ ...example, nowSeconds: 1531420618 + 300 })).toEqual({ ok: true });
    });

    it.each([
      ['no signature', () => ({})],
      ['a wrong signature', () => ({ ...signSlackRequest('f'.repeat(32), 'x', Math.floor(Date.now() / 1000)) })],
      ['a timestamp six minutes old', () => signSlackRequest(SIGNING_SECRET, BODY, Math.floor(Date.now() / 1000) - 360)],
      ['a timestamp six minutes ahead', () => signSlackRequest(SIGNING_SECRET, BODY, Math.floor(Date.now() / 1000) + 360)],
    ])('answers 401 to %s and does nothing', async (_label, headers) => {
      const res = await rapport.app.request('/slack/events', {
        method: 'POST',
        body: BODY,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers() },
      });
      expect(res.status).toBe(401);
      expect(slack.calls).toEqual([]);
      expect(slack.responses).toEqual([]);
    });
  });

  it('answers url_verification with its challenge', async () => {
    const res = await rapport.send(JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'c-123' }), 'application/json');
    expect(res.json()).toEqual({ challenge: 'c-123' });
  });

  it('/crm <name> with one match answers privately with the contact card, escaped, with its buttons', async () => {
    const res = await rapport.command(repSlackId, 'Jane Tanaka');
    expect(res.status).toBe(200);
    expect(slack.responses).toHaveLength(1);
    const [answer] = slack.responses;
    expect(answer!.response_type).toBe('ephemeral');
    const text = blocksText(answer!.blocks);
    expect(text).toContain('Jane Tanaka');
    expect(text).toContain('VP Sales');
    expect(text).toContain('send the renewal quote');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&amp;');
    for (const id of [ACTIONS.edit, ACTIONS.addNote, ACTIONS.addFollowUp, ACTIONS.logCall, ACTIONS.moreHistory, ACTIONS.share]) expect(text).toContain(id);
  });

  it('/crm <email> finds the contact by address', async () => {
    await rapport.command(repSlackId, 'JANE@acme.co.jp');
    expect(blocksText(slack.responses[0]!.blocks)).toContain('Jane Tanaka');
  });

  it('/crm with several matches offers a list; picking one replaces it with the card', async () => {
    await rapport.command(repSlackId, 'jan');
    const list = blocksText(slack.responses[0]!.blocks);
    expect(list).toContain('Jane Tanaka');
    expect(list).toContain('Janet Smith');
    expect(list).toContain(ACTIONS.pickContact);
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.pickContact, janeId));
    expect(slack.responses[0]).toMatchObject({ replace_original: true });
    expect(blocksText(slack.responses[0]!.blocks)).toContain('VP Sales');
  });

  it('/crm with no match says so and offers to create the contact', async () => {
    await rapport.command(repSlackId, 'Nobody Atall');
    const text = blocksText(slack.responses[0]!.blocks);
    expect(text).toContain('Nobody Atall');
    expect(text).toContain(ACTIONS.createContact);
  });

  it('/crm and /crm help answer with help; never silence', async () => {
    await rapport.command(repSlackId, '');
    await rapport.command(repSlackId, 'help');
    expect(slack.responses).toHaveLength(2);
    for (const r of slack.responses) expect(blocksText(r.blocks)).toContain('/crm');
  });

  it('/crm follow-ups lists mine with Done; Done completes it in Rapport and redraws the list', async () => {
    await rapport.command(repSlackId, 'follow-ups');
    const list = blocksText(slack.responses[0]!.blocks);
    expect(list).toContain('send the renewal quote');
    const [row] = await t.sql.query<{ id: string }>(`select id from crm.follow_ups where workspace_id = $1 and note = 'send the renewal quote'`, [ws.id]);
    expect(list).toContain(row!.id);
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.followUpDone, row!.id));
    const [stored] = await t.sql.query<{ status: string; completed_by: string }>(`select status, completed_by from crm.follow_ups where id = $1`, [row!.id]);
    expect(stored).toEqual({ status: 'done', completed_by: ws.rep.id });
    expect(slack.responses[0]).toMatchObject({ replace_original: true });
    expect(blocksText(slack.responses[0]!.blocks)).not.toContain('send the renewal quote');
  });

  it('in a channel shared with another company, the card has no Share button and Share posts nothing from the CRM', async () => {
    slack.externalChannels.add('C0SHARED');
    await rapport.command(repSlackId, 'Jane Tanaka', 'C0SHARED');
    expect(blocksText(slack.responses[0]!.blocks)).not.toContain(ACTIONS.share);
    slack.responses.length = 0;
    // a forged Share press from that channel still posts nothing but a link
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.share, janeId, 'C0SHARED'));
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    const posted = JSON.stringify(posts[0]!.args);
    for (const secret of ['Jane Tanaka', 'jane@acme.co.jp', 'VP Sales', 'Acme', 'renewal']) expect(posted).not.toContain(secret);
  });

  it('Share posts the card to an internal channel', async () => {
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.share, janeId, 'C0GENERAL'));
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('C0GENERAL');
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Jane Tanaka');
  });

  it('a Share that Slack answers with a 5xx is tried once and reported, never posted twice', async () => {
    slack.failNext('chat.postMessage', 503);
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.share, janeId, 'C0GENERAL'));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const told = slack.responses.at(-1)!;
    expect(told).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(told.text).toMatch(/Something went wrong.*503/);
    expect(rapport.errors.splice(0)).toHaveLength(1);
  });

  it('a failed event is answered 500 with its claim released, so that Slack retries it, and the retry runs', async () => {
    slack.failNext('chat.postMessage', 500);
    const mention = {
      type: 'app_mention',
      user: repSlackId,
      text: '<@U0BOT> Jane Tanaka',
      ts: '1700000009.000100',
      channel: 'C0GENERAL',
      event_ts: '1700000009.000100',
    };
    const first = await rapport.event(mention, 'EvFailsOnce');
    expect(first.status).toBe(500);
    expect(rapport.errors.splice(0)).toHaveLength(1);
    const retry = await rapport.event(mention, 'EvFailsOnce', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' });
    expect(retry.status).toBe(200);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
    const again = await rapport.event(mention, 'EvFailsOnce', { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' });
    expect(again.status).toBe(200);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
  });

  it('answers a mention in the thread, once, however often Slack retries the event', async () => {
    const mention = {
      type: 'app_mention',
      user: repSlackId,
      text: '<@U0BOT> history of Jane Tanaka',
      ts: '1700000000.000100',
      channel: 'C0GENERAL',
      event_ts: '1700000000.000100',
    };
    for (let i = 0; i < 4; i++) {
      const res = await rapport.event(mention, 'Ev0MENTION1', i ? { 'x-slack-retry-num': String(i), 'x-slack-retry-reason': 'http_timeout' } : {});
      expect(res.status).toBe(200);
    }
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000000.000100' });
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Jane Tanaka');
  });

  it('tells a Slack user who is no member, privately, how to get access', async () => {
    slack.users.set('U0STRANGER', { id: 'U0STRANGER', email: 'stranger@elsewhere.example', locale: 'ja-JP' });
    await rapport.command('U0STRANGER', 'Jane Tanaka');
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]!.response_type).toBe('ephemeral');
    expect(slack.responses[0]!.text).toContain('stranger@elsewhere.example');
    expect(JSON.stringify(slack.responses[0])).not.toContain('Jane Tanaka');
  });

  it('recognises a member by Slack profile email the first time, and remembers their Slack id', async () => {
    await t.sql.query(`update crm.members set slack_user_id = null where id = $1`, [ws.rep2.id]);
    slack.users.set('U0NEWREP2', { id: 'U0NEWREP2', email: ws.rep2.email.toUpperCase(), locale: 'en-US' });
    await rapport.command('U0NEWREP2', 'help');
    expect(slack.responses).toHaveLength(1);
    const [m] = await t.sql.query<{ slack_user_id: string }>(`select slack_user_id from crm.members where id = $1`, [ws.rep2.id]);
    expect(m!.slack_user_id).toBe('U0NEWREP2');
  });

  it('speaks Japanese: /crm lang ja, then a card with Japanese labels and dates for 田中', async () => {
    await rapport.command(repSlackId, 'lang ja');
    expect(slack.responses[0]!.text).toContain('日本語');
    slack.responses.length = 0;
    await rapport.command(repSlackId, '田中');
    const text = blocksText(slack.responses[0]!.blocks);
    expect(text).toContain('田中 太郎');
    expect(text).toContain('株式会社サクラ製作所');
    expect(text).toMatch(/ステージ|担当者/);
    slack.responses.length = 0;
    await rapport.event(
      { type: 'app_mention', user: repSlackId, text: '<@U0BOT> 田中さんの履歴', ts: '1700000001.000100', channel: 'C0GENERAL' },
      'Ev0MENTIONJA',
    );
    const post = slack.calls.find((c) => c.method === 'chat.postMessage');
    expect(JSON.stringify(post?.args.blocks)).toContain('田中 太郎');
    await rapport.command(repSlackId, 'lang en');
  });
});

const BODY = 'token=x&team_id=T0TEST&user_id=U1&command=%2Fcrm&text=acme&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';
