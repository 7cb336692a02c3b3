import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertMessageLimits } from '../../slack-app/limits.js';
import { assertModalLimits } from '../../slack-app/contacts/modals.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

/**
 * Stored and typed text is inert on every Slack surface: hostile values go in
 * through the real backend, each surface is driven through the signed endpoint,
 * and every mrkdwn text that comes out may hold only the links and mentions
 * Rapport makes itself (its own /c/<id> pages, Slack permalinks, its members,
 * the channel it was asked about). `@channel` typed as plain text stays as it
 * is: Slack broadcasts only `<!channel>`, which can never be formed here.
 */
const NOW = new Date('2026-11-24T00:30:00Z');
const DAY = 86_400_000;
const PUBLIC_URL = 'https://rapport.example.com';
const H = '<script>alert(1)</script> <!channel> <!here> <@U123ABC> <#C0123|x> <https://evil.example|click> &amp; *bold* \u202e @channel';
const CHANNEL = 'C0HOSTILE';
/** segment names stop at 100 characters */
const SEGMENT = 'Seg <!channel> <@U123ABC> <#C0123|x> <https://evil.example|click> <script>x</script> &amp; *b* \u202e';

describe('stored text stays inert in every Block Kit surface', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const slackIds: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let checked = 0;

  const sql = <R = any>(q: string, p: unknown[] = []) => t.sql.query<R>(q, p);
  const post = async (m: TestMember, path: string, body: unknown) => {
    const res = await rapport.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as any;
  };

  /** '<target|label>' or '<target>' sequences Rapport makes itself */
  const allowedTarget = (target: string) =>
    target.startsWith(`${PUBLIC_URL}/`) ||
    target.startsWith('https://test.slack.com/archives/') ||
    target.startsWith('!date^') ||
    (target.startsWith('@') && Object.values(slackIds).includes(target.slice(1))) ||
    target === `#${CHANNEL}`;

  /** every mrkdwn text in a message or view, with where it sits */
  function mrkdwnTexts(node: unknown, where = '$', out: [string, string][] = []): [string, string][] {
    if (Array.isArray(node)) for (const [i, n] of node.entries()) mrkdwnTexts(n, `${where}[${i}]`, out);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push([where, o.text]);
      for (const [k, v] of Object.entries(o)) mrkdwnTexts(v, `${where}.${k}`, out);
    }
    return out;
  }

  /** asserts each mrkdwn text (and a message's own text, which Slack also parses) can neither link nor ping */
  function expectInert(surface: string, payload: { text?: unknown; blocks?: unknown; view?: unknown }, reached = true) {
    const texts = mrkdwnTexts(payload.blocks ?? payload.view);
    if (typeof payload.text === 'string') texts.push(['$.text', payload.text]);
    expect(texts.length, `${surface}: no mrkdwn at all`).toBeGreaterThan(0);
    for (const [where, text] of texts) {
      const rest = text.replace(/<([^<>|]*)(?:\|[^<>]*)?>/g, (whole, target: string) => (allowedTarget(target) ? '' : whole));
      expect(rest, `${surface} ${where}: ${text}`).not.toMatch(/[<>]/);
      for (const raw of ['<!channel>', '<!here>', '<@U123ABC>', '<#C0123', '<https://evil', '<script']) expect(text, `${surface} ${where}`).not.toContain(raw);
      checked += 1;
    }
    if (payload.blocks) assertMessageLimits(payload.blocks as never);
    if (payload.view && (payload.view as { type?: string }).type === 'modal') assertModalLimits(payload.view as never);
    // the hostile value did reach the surface (escaped), so this is no empty check
    if (reached) expect(JSON.stringify(payload), surface).toContain('&lt;!channel&gt;');
  }
  const lastCall = (method: string) => {
    const call = slack.calls.filter((c) => c.method === method).at(-1);
    expect(call, method).toBeDefined();
    return call!.args;
  };
  const onlyResponse = () => {
    expect(slack.responses.length).toBeGreaterThan(0);
    return slack.responses.at(-1)!;
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await sql(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => NOW });
    for (const m of ['rep', 'rep2', 'manager', 'admin'] as const) {
      slackIds[m] = (await sql<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws[m].id]))[0]!.s;
      await sql(`update crm.members set display_name = $2 where id = $1`, [ws[m].id, `${m} ${H}`]);
    }
    slack.channelNames.set(CHANNEL, `chan ${H}`);
    const contact = (name: string, email: string) =>
      post(ws.rep, '/api/contacts', {
        name,
        title: `T ${H}`,
        emails: [email],
        company: { name: `Co ${H}`, domain: 'evil-co.example' },
        stage: 'customer',
        ownerEmail: ws.rep.email,
        tags: ['hostile'],
      });
    ids.zed = (await contact(`Zed ${H}`, 'amp&amp*bold*@evil-co.example')).id;
    ids.zedToo = (await contact(`Zed ${H}`, 'zed.too@evil-co.example')).id;
    await post(ws.rep, '/api/interactions', {
      kind: 'email',
      direction: 'inbound',
      occurredAt: new Date(NOW.getTime() - 2 * DAY).toISOString(),
      subject: `Subj ${H}`,
      body: `Body ${H}`,
      source: 'gmail',
      externalId: '<hostile@evil>',
      participants: [{ role: 'from', email: 'zed.too@evil-co.example' }],
    });
    await post(ws.rep, '/api/interactions', {
      kind: 'note',
      occurredAt: new Date(NOW.getTime() - DAY).toISOString(),
      body: `Note ${H}`,
      source: 'api',
      contactId: ids.zed,
    }).catch(() => undefined);
    ids.followUp = (
      await post(ws.rep, '/api/follow-ups', {
        contactId: ids.zed,
        dueAt: new Date(NOW.getTime() - DAY).toISOString(),
        note: `FU ${H}`,
        ownerEmail: ws.rep.email,
      })
    ).id;
    await post(ws.rep, '/api/segments', { name: SEGMENT, filter: { tag: 'hostile' } });
    const [{ company }] = await sql(`select company_id company from crm.contacts where id = $1`, [ids.zed]);
    await sql(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, company_id, is_ext_shared, linked_by, linked_at, last_captured_at, last_error, last_error_at)
       values ($1, $2, $3, $4, $5, true, $6, $7, $7, $8, $7)`,
      [ws.id, TEAM, CHANNEL, `chan ${H}`, company, ws.rep.id, new Date(NOW.getTime() - DAY).toISOString(), `err ${H}`],
    );
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('/crm <name>: the list of matches, then the contact card', async () => {
    await rapport.command(slackIds.rep!, 'Zed');
    expectInert('/crm search list', onlyResponse());
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.rep!, ACTIONS.pickContact, ids.zed!));
    expectInert('contact card', onlyResponse());
  });

  it('/crm <hostile query> that matches nothing, and its create-contact modal', async () => {
    await rapport.command(slackIds.rep!, `nobody ${H}`);
    const answer = onlyResponse();
    expectInert('/crm no match', answer);
    const create = JSON.stringify(answer.blocks).match(/"action_id":"contact_create"[^}]*"value":"((?:[^"\\]|\\.)*)"/);
    if (create) {
      await rapport.interaction(buttonPress(slackIds.rep!, ACTIONS.createContact, JSON.parse(`"${create[1]}"`)));
      const { view } = lastCall('views.open');
      assertModalLimits(view);
      for (const [where, text] of mrkdwnTexts(view)) expect(text, where).not.toMatch(/<[!@#h]/);
    }
  });

  it('More history and each modal that names the contact or prefills its fields', async () => {
    await rapport.interaction(buttonPress(slackIds.rep!, ACTIONS.moreHistory, ids.zed!));
    const history = slack.calls.find((c) => c.method === 'views.open' || c.method === 'views.push')?.args ?? onlyResponse();
    expectInert('More history', history.view ? { view: history.view } : history, false);
    for (const action of [ACTIONS.edit, ACTIONS.addNote, ACTIONS.addFollowUp, ACTIONS.logCall]) {
      slack.calls.length = 0;
      await rapport.interaction(buttonPress(slackIds.rep!, action, ids.zed!));
      const { view } = lastCall('views.open');
      assertModalLimits(view);
      const texts = mrkdwnTexts(view);
      for (const [where, text] of texts) {
        expect(text, `${action} ${where}`).not.toMatch(/<[!@#]|<http/);
        checked += 1;
      }
      // plain_text keeps the value literally (Slack does not parse it): the edit modal prefills the name as typed
      if (action === ACTIONS.edit) expect(JSON.stringify(view)).toContain(JSON.stringify(`Zed ${H}`).slice(1, -1));
    }
  });

  it('App Home', async () => {
    await rapport.event({ type: 'app_home_opened', user: slackIds.rep!, channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, 'Ev0INERTHOME');
    expectInert('App Home', { view: lastCall('views.publish').view });
  });

  it('a shared /c/<id> link unfurls inert', async () => {
    const url = `${PUBLIC_URL}/c/${ids.zed}`;
    await rapport.event(
      {
        type: 'link_shared',
        channel: CHANNEL,
        user: slackIds.rep!,
        message_ts: '1700000000.000200',
        unfurl_id: 'U0UNFURL',
        source: 'conversations_history',
        links: [{ domain: 'rapport.example.com', url }],
        event_ts: '1.2',
      },
      'Ev0INERTLINK',
    );
    const unfurls = lastCall('chat.unfurl').unfurls as Record<string, { blocks: unknown[] }>;
    expectInert('unfurl', { blocks: unfurls[url]!.blocks });
  });

  it('/crm follow-ups lists the note inert', async () => {
    await rapport.command(slackIds.rep!, 'follow-ups');
    expectInert('/crm follow-ups', onlyResponse());
  });

  it('the digest preview (built from api.digest_compose) and "Done by" after a press', async () => {
    await rapport.command(slackIds.manager!, 'digest');
    const digest = onlyResponse();
    expectInert('digest', digest);
    // the manager marks it done from the digest: the line "Done by <display name>" replaces its buttons
    slack.responses.length = 0;
    slack.calls.length = 0;
    await rapport.interaction({
      ...buttonPress(slackIds.manager!, ACTIONS.digestDone, ids.followUp!),
      container: { type: 'message', message_ts: '1.1', channel_id: 'D0MIA', is_ephemeral: false },
      channel: { id: 'D0MIA', name: 'directmessage' },
      message: { type: 'message', ts: '1.1', text: digest.text, blocks: digest.blocks, bot_id: 'B0BOT' },
      actions: [
        {
          type: 'button',
          action_id: ACTIONS.digestDone,
          block_id: `digest_actions:${ids.followUp}`,
          value: ids.followUp,
          action_ts: '1.2',
          text: { type: 'plain_text', text: 'x' },
        },
      ],
    });
    const updated = [...slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.args), ...slack.responses];
    expect(updated.length).toBeGreaterThan(0);
    for (const u of updated) expectInert('digest after Done', u);
    expect(JSON.stringify(updated)).toMatch(/manager &lt;script&gt;/);
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.rep!, ACTIONS.followUpDone, ids.followUp!));
    for (const r of slack.responses) if (r.blocks) expectInert('follow-up done', r, false);
  });

  it('/crm link in a channel with a hostile name', async () => {
    await rapport.command(slackIds.rep!, 'link Zed', CHANNEL);
    expectInert('/crm link', onlyResponse());
  });

  it('/crm duplicates, /crm list <segment>, the segment names and /crm stats', async () => {
    await rapport.command(slackIds.rep!, 'duplicates');
    expectInert('/crm duplicates', onlyResponse());
    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, `list ${SEGMENT}`);
    expectInert('/crm list <segment>', onlyResponse());
    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, 'list nowhere');
    expectInert('/crm list (segment names)', onlyResponse());
    slack.responses.length = 0;
    await rapport.command(slackIds.manager!, 'stats');
    expectInert('/crm stats', onlyResponse());
  });
});
