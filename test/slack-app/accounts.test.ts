import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCardBlocks } from '../../slack-app/accounts/account-card.js';
import { ACCOUNT_ACTIONS } from '../../slack-app/accounts/ids.js';
import { parseCrmCommand } from '../../slack-app/crm-command.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport } from '../support/slack.js';

const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

/**
 * The account card in Slack (issue 18): `/crm acme` answers with the account
 * when the query names a company and no person, `/crm company <name>` always
 * looks for companies, a query naming both lists both, @Rapport questions do
 * the same, and More history pages the account's timeline.
 */
describe('the account card in Slack', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let repSlackId: string;
  let acmeId: string;
  let janeId: string;
  let dealId: string;

  const rep = async (method: string, path: string, body?: unknown) => {
    const res = await rapport.app.request(path, {
      method,
      headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    repSlackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    acmeId = (await rep('POST', '/api/companies', { name: 'Acme Corp', domains: ['acme-slack.example', 'acme-slack.co.jp'], industry: 'Anvils <!channel>' }))
      .id;
    janeId = (await rep('POST', '/api/contacts', { name: 'Jane Roadrunner', emails: ['jane@acme-slack.example'] })).id;
    await rep('POST', '/api/contacts', { name: 'Taro Yamada', emails: ['taro@acme-slack.co.jp'] });
    await rep('POST', '/api/contacts', { name: 'Globe Trotter', emails: ['globe@trotter-slack.example'] });
    await rep('POST', '/api/companies', { name: 'Globex' });
    await rep('POST', '/api/companies', { name: 'Initech' });
    await rep('POST', '/api/companies', { name: 'Initrode' });
    const stage = (await t.sql.query<{ key: string }>(`select key from crm.pipeline_stages where workspace_id = $1 order by position limit 1`, [ws.id]))[0]!
      .key;
    dealId = (
      await t.sql.query<{ id: string }>(
        `insert into crm.deals (workspace_id, name, company_id, amount, currency, stage) values ($1, 'Rocket skates', $2, 1250000, 'USD', $3) returning id`,
        [ws.id, acmeId, stage],
      )
    )[0]!.id;
    for (let i = 0; i < 13; i++) {
      await rep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
        subject: `Order ${i}`,
        source: 'gmail',
        externalId: `<order-${i}@acme-slack.example>`,
        participants: [
          { role: 'from', email: i % 2 ? 'jane@acme-slack.example' : 'taro@acme-slack.co.jp' },
          { role: 'to', email: ws.rep.email },
          ...(i === 12 ? [{ role: 'cc', email: 'jane@acme-slack.example' }] : []),
        ],
      });
    }
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

  it('parses /crm company <name> and leaves other words to the search', () => {
    expect(parseCrmCommand('company Acme Corp')).toEqual({ kind: 'company', query: 'Acme Corp' });
    expect(parseCrmCommand('会社 サクラ')).toEqual({ kind: 'company', query: 'サクラ' });
    expect(parseCrmCommand('acme')).toEqual({ kind: 'search', query: 'acme' });
    expect(parseCrmCommand('company')).toEqual({ kind: 'search', query: 'company' });
  });

  it('/crm acme answers with the account card: domains, people, open deals with Move stage, New deal, More history', async () => {
    await rapport.command(repSlackId, 'acme');
    expect(slack.responses).toHaveLength(1);
    const text = blocksText(slack.responses[0]!.blocks);
    expect(text).toContain('Acme Corp');
    expect(text).toContain('acme-slack.co.jp');
    expect(text).toContain('Jane Roadrunner');
    expect(text).toContain('Taro Yamada');
    expect(text).toContain('Rocket skates');
    expect(text).toContain('$12,500.00');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain(`"action_id":"${ACTIONS.dealMoveStage}","text":{"type":"plain_text","text":"Move stage","emoji":true},"value":"${dealId}"`);
    const blocks = slack.responses[0]!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = blocks.flatMap((b) => b.elements ?? []);
    expect(buttons.length).toBeGreaterThan(0);
    expect(text).toContain(`"action_id":"${ACTIONS.pickContact}","text":{"type":"plain_text","text":"Open","emoji":true},"value":"${janeId}"`);
    expect(buttons.find((b) => b.action_id === ACTIONS.dealNew)?.value).toBe(JSON.stringify({ companyId: acmeId }));
    expect(buttons.find((b) => b.action_id === ACTIONS.accountMoreHistory)?.value).toBe(JSON.stringify({ c: acmeId }));
    // the newest interaction is the last one: Order 12
    expect(text).toContain('Order 12');
  });

  it('/crm company Acme Corp, and a legal form or a domain, find the account; a company no one has is said so', async () => {
    for (const q of ['company Acme Corp', 'company ACME Inc.', 'company acme-slack.co.jp']) {
      slack.responses.length = 0;
      await rapport.command(repSlackId, q);
      expect(blocksText(slack.responses[0]!.blocks), q).toContain('account_header');
    }
    slack.responses.length = 0;
    await rapport.command(repSlackId, 'company Umbrella');
    expect(blocksText(slack.responses[0]!.blocks)).toContain('No company matches');
  });

  it('a query naming a company and a person lists both; several companies list them; picking one shows its card', async () => {
    await rapport.command(repSlackId, 'glob');
    const both = blocksText(slack.responses[0]!.blocks);
    expect(both).toContain('Globex');
    expect(both).toContain('Globe Trotter');
    expect(both).toContain(ACCOUNT_ACTIONS.pickAccount);
    expect(both).toContain(ACTIONS.pickContact);

    slack.responses.length = 0;
    await rapport.command(repSlackId, 'init');
    const list = blocksText(slack.responses[0]!.blocks);
    expect(list).toContain('Initech');
    expect(list).toContain('Initrode');
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(repSlackId, ACCOUNT_ACTIONS.pickAccount, acmeId));
    expect(slack.responses[0]).toMatchObject({ replace_original: true });
    expect(blocksText(slack.responses[0]!.blocks)).toContain('Rocket skates');

    // a person's name still answers with their contact card
    slack.responses.length = 0;
    await rapport.command(repSlackId, 'Jane Roadrunner');
    expect(blocksText(slack.responses[0]!.blocks)).toContain(ACTIONS.moreHistory);
  });

  it('More history pages the account timeline: each interaction once, then More with the cursor', async () => {
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.accountMoreHistory, JSON.stringify({ c: acmeId })));
    const first = slack.responses[0]!;
    const text = blocksText(first.blocks);
    for (let i = 12; i >= 3; i--) expect(text).toContain(`Order ${i}`);
    expect(text).not.toContain('Order 2');
    expect(text.split('Order 12').length).toBe(2);
    const more = (first.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((b) => b.action_id === ACTIONS.accountMoreHistory);
    expect(more).toBeDefined();
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(repSlackId, ACTIONS.accountMoreHistory, more!.value));
    const second = blocksText(slack.responses[0]!.blocks);
    for (const i of [2, 1, 0]) expect(second).toContain(`Order ${i}`);
    expect(second).not.toContain('Order 3');
  });

  it('@Rapport history of Acme answers in the thread with the account card', async () => {
    await rapport.event(
      { type: 'app_mention', user: repSlackId, text: '<@U0BOT> history of Acme', ts: '1700000009.000100', channel: 'C0GENERAL', event_ts: '1700000009.000100' },
      'Ev0ACCOUNT1',
    );
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000009.000100' });
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Rocket skates');
  });

  it('renders in Japanese, with a private last interaction left out where others read it', () => {
    const card = {
      id: 'c1',
      name: '株式会社サクラ',
      domains: ['sakura.co.jp'],
      industry: null,
      size: '51-200' as const,
      owner: null,
      people: [],
      peopleCount: 0,
      openDeals: [],
      openDealsCount: 0,
      openFollowUps: [],
      lastInteraction: {
        type: 'interaction' as const,
        at: '2026-11-01T00:00:00Z',
        interaction: { kind: 'email', subject: 'Secret plan', visibility: 'private', occurredAt: '2026-11-01T00:00:00Z', direction: 'inbound' } as never,
      },
    };
    const opts = { locale: 'ja' as const, timeZone: 'Asia/Tokyo', now: '2026-11-24T00:00:00Z', external: false };
    const mine = blocksText(accountCardBlocks(card, opts).blocks);
    expect(mine).toContain('従業員数');
    expect(mine).toContain('Secret plan');
    expect(blocksText(accountCardBlocks(card, { ...opts, shared: true }).blocks)).not.toContain('Secret plan');
    expect(blocksText(accountCardBlocks(card, { ...opts, external: true }).blocks)).not.toContain('サクラ');
  });
});
