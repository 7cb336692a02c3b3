import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOME_MAX_BLOCKS } from '../../slack-app/home/home-view.js';
import { contactIdFromUrl } from '../../slack-app/contacts/unfurl.js';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { fakeSlack, slackRapport, TEAM } from '../support/slack.js';

const NOW = new Date('2026-11-24T00:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const PUBLIC_URL = 'https://rapport.example.com';

describe('App Home and link unfurls, driven through the signed HTTP endpoint', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let janeId: string;
  let events = 0;

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const post = async (m: TestMember, path: string, body: unknown) => {
    const res = await rapport.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as any;
  };
  const followUp = (m: TestMember, contactId: string, dueAt: string, note: string) =>
    post(m, '/api/follow-ups', { contactId, dueAt, note, ownerEmail: m.email });
  const openHome = async (m: TestMember) => {
    await rapport.event({ type: 'app_home_opened', user: await slackId(m), channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0HOME${++events}`);
    return lastPublished();
  };
  const lastPublished = () => {
    const published = slack.calls.filter((c) => c.method === 'views.publish');
    expect(published.length).toBeGreaterThan(0);
    return published.at(-1)!.args as { user_id: string; view: { type: string; blocks: any[] } };
  };
  const shareLinks = async (m: TestMember, channel: string, urls: string[]) => {
    const links = urls.map((url) => ({ domain: new URL(url).hostname, url }));
    await rapport.event(
      {
        type: 'link_shared',
        channel,
        user: await slackId(m),
        message_ts: '1700000000.000200',
        unfurl_id: 'U0UNFURL',
        source: 'conversations_history',
        links,
        event_ts: '1.2',
      },
      `Ev0LINK${++events}`,
    );
    return slack.calls.filter((c) => c.method === 'chat.unfurl');
  };
  const homeButton = async (m: TestMember, actionId: string, value: string) =>
    rapport.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: await slackId(m), team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '123.456.abc',
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', team_id: TEAM, blocks: [], hash: 'h1', state: { values: {} } },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2', text: { type: 'plain_text', text: 'x' } }],
    });

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => NOW });
    janeId = (
      await post(ws.rep, '/api/contacts', {
        name: 'Jane Tanaka',
        title: 'VP Sales',
        emails: ['jane@acme.co.jp'],
        company: { name: 'Acme', domain: 'acme.co.jp' },
        stage: 'customer',
        ownerEmail: ws.rep.email,
      })
    ).id;
    await post(ws.rep, '/api/interactions', {
      kind: 'email',
      occurredAt: at(-1),
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

  it('shows my open follow-ups overdue first, recent activity on my contacts and how capture is going', async () => {
    await followUp(ws.rep, janeId, at(2), 'prepare the demo');
    await followUp(ws.rep, janeId, at(-3), 'send the renewal quote');
    const [acme] = await t.sql.query<{ id: string }>(`select company_id id from crm.contacts where id = $1`, [janeId]);
    await t.sql.query(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, company_id, is_ext_shared, linked_by, linked_at, last_captured_at, last_error, last_error_at)
       values ($1, $2, 'C0ACMEDEAL', 'acme-deal', $3, true, $4, $5, $6, 'not_in_channel', $7)`,
      [ws.id, TEAM, acme!.id, ws.rep.id, at(-10), at(-2), at(-1)],
    );

    const { user_id, view } = await openHome(ws.rep);
    expect(user_id).toBe(await slackId(ws.rep));
    expect(view.type).toBe('home');
    const text = JSON.stringify(view.blocks);
    // follow-ups: overdue first, flagged, each with its three buttons
    expect(text.indexOf('send the renewal quote')).toBeLessThan(text.indexOf('prepare the demo'));
    expect(text).toContain('overdue');
    const ids = await t.sql.query<{ id: string }>(`select id from crm.follow_ups where owner_id = $1`, [ws.rep.id]);
    for (const { id } of ids) {
      const buttons = view.blocks.find((b) => b.type === 'actions' && b.elements.some((e: any) => e.value === id));
      expect(buttons.elements.map((e: any) => e.action_id)).toEqual([ACTIONS.followUpDone, ACTIONS.followUpSnooze1d, ACTIONS.followUpSnooze1w]);
    }
    // activity: the email on Jane, escaped so it cannot ping
    expect(text).toContain('Jane Tanaka');
    expect(text).toContain('Renewal &lt;!channel&gt; &amp; pricing');
    expect(text).not.toContain('<!channel>');
    // capture health: the channel, what it is linked to, its last capture and the failure, up front
    expect(text).toContain('<#C0ACMEDEAL>');
    expect(text).toContain('Company: Acme');
    expect(text).toContain('Last captured');
    expect(text).toContain('not_in_channel');
    expect(text).toContain('Linked channels with capture failures in the last 7 days: 1');
    for (const b of view.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });

  it('says so in one line where there is nothing, and what went wrong where the backend failed', async () => {
    // rep2 has no follow-ups, no contacts; a time zone PostgreSQL does not know (written past the
    // check that now refuses one, as data from before it would be) makes the follow-up list fail
    const { view } = await openHome(ws.rep2);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('You have no open follow-ups.');
    expect(text).toContain('No recent activity on your contacts.');
    await t.sql.query(`alter table crm.members disable trigger members_timezone_check`);
    await t.sql.query(`update crm.members set timezone = 'Mars/Olympus' where id = $1`, [ws.rep2.id]);
    try {
      rapport.errors.length = 0;
      const failed = JSON.stringify((await openHome(ws.rep2)).view.blocks);
      expect(failed).toContain('Rapport could not load this part');
      expect(rapport.errors.length).toBe(1);
    } finally {
      rapport.errors.length = 0;
      await t.sql.query(`update crm.members set timezone = 'UTC' where id = $1`, [ws.rep2.id]);
      await t.sql.query(`alter table crm.members enable trigger members_timezone_check`);
    }
  });

  it('Done on the Home tab completes the follow-up in Rapport and publishes the Home again', async () => {
    const contact = await post(ws.admin, '/api/contacts', { name: 'Hiro Done', emails: ['hiro@done.example'], ownerEmail: ws.admin.email });
    const f = await followUp(ws.admin, contact.id, at(-1), 'call Hiro back');
    await followUp(ws.admin, contact.id, at(5), 'send Hiro the contract');
    expect(JSON.stringify((await openHome(ws.admin)).view.blocks)).toContain('call Hiro back');
    slack.calls.length = 0;

    await homeButton(ws.admin, ACTIONS.followUpDone, f.id);
    const [stored] = await t.sql.query<{ status: string; completed_by: string }>(`select status, completed_by from crm.follow_ups where id = $1`, [f.id]);
    expect(stored).toEqual({ status: 'done', completed_by: ws.admin.id });
    const text = JSON.stringify(lastPublished().view.blocks);
    expect(text).not.toContain('call Hiro back');
    expect(text).toContain('send Hiro the contract');
    expect(slack.responses).toEqual([]);
  });

  it('Snooze 1 week on the Home tab moves the due time a week on', async () => {
    const contact = await post(ws.admin, '/api/contacts', {
      name: 'Sora Snooze',
      emails: ['sora@snooze.example'],
      ownerEmail: ws.admin.email,
    });
    const f = await followUp(ws.admin, contact.id, at(1), 'ask Sora about budget');
    await homeButton(ws.admin, ACTIONS.followUpSnooze1w, f.id);
    const [stored] = await t.sql.query<{ due_at: Date; status: string }>(`select due_at, status from crm.follow_ups where id = $1`, [f.id]);
    expect({ due: new Date(stored!.due_at).toISOString(), status: stored!.status }).toEqual({ due: at(8), status: 'open' });
    expect(JSON.stringify(lastPublished().view.blocks)).toContain('ask Sora about budget');
  });

  it('keeps 60 open follow-ups within 100 blocks and points to /crm follow-ups for the rest', async () => {
    const { member, contactId } = await freshMember('sixty');
    for (let i = 0; i < 60; i++) await followUp(member, contactId, at(i - 30), `task number ${i}`);
    const { view } = await openHome(member);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('My open follow-ups (60)');
    expect(text).toContain('30 overdue');
    const shown = view.blocks.filter((b) => b.type === 'actions').length;
    expect(shown).toBeGreaterThan(0);
    expect(text).toContain(`and ${60 - shown} more`);
    expect(text).toContain('/crm follow-ups');
    expect(text).toContain('task number 0');
  });

  it('unfurls a contact link in an internal channel as a compact card, and leaves other links alone', async () => {
    const url = `${PUBLIC_URL}/c/${janeId}`;
    const unfurls = await shareLinks(ws.rep, 'C0GENERAL', [url, `https://example.com/c/${janeId}`, `${PUBLIC_URL}/settings`]);
    expect(unfurls).toHaveLength(1);
    expect(unfurls[0]!.args).toMatchObject({ channel: 'C0GENERAL', ts: '1700000000.000200' });
    expect(Object.keys(unfurls[0]!.args.unfurls)).toEqual([url]);
    const card = JSON.stringify(unfurls[0]!.args.unfurls[url].blocks);
    for (const shown of ['Jane Tanaka', 'VP Sales', 'Acme', 'Customer', 'Ren Rep', 'Last interaction']) expect(card).toContain(shown);
    // no timeline, no notes
    expect(card).not.toContain('Renewal');
    expect(card).not.toContain('renewal quote');
  });

  it('unfurls to nothing but a link in a channel shared with another company', async () => {
    slack.externalChannels.add('C0EXT');
    const url = `${PUBLIC_URL}/c/${janeId}`;
    const unfurls = await shareLinks(ws.rep, 'C0EXT', [url]);
    expect(unfurls).toHaveLength(1);
    const shown = JSON.stringify(unfurls[0]!.args.unfurls[url]);
    expect(shown).toContain('Open in Rapport');
    expect(shown).toContain(url);
    for (const secret of ['Jane', 'Tanaka', 'VP Sales', 'Acme', 'Customer', 'Ren Rep', 'jane@acme.co.jp']) expect(shown).not.toContain(secret);
  });

  it("does not unfurl an unknown id or another workspace's contact", async () => {
    const other = await makeWorkspace(t.sql, t.db);
    const theirs = (await post(other.rep, '/api/contacts', { name: 'Secret Person', emails: ['secret@rival.example'] })).id;
    const unfurls = await shareLinks(ws.rep, 'C0GENERAL', [`${PUBLIC_URL}/c/${theirs}`, `${PUBLIC_URL}/c/00000000-0000-4000-8000-000000000000`]);
    expect(unfurls).toEqual([]);
    expect(JSON.stringify(slack.calls)).not.toContain('Secret Person');
  });

  it('speaks Japanese: Home and unfurl in Japanese, dates in Tokyo time', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.manager.id]);
    const contact = await post(ws.manager, '/api/contacts', {
      name: '田中 太郎',
      title: '部長',
      emails: ['taro@sakura-mfg.co.jp'],
      company: { name: '株式会社サクラ製作所' },
      ownerEmail: ws.manager.email,
    });
    await followUp(ws.manager, contact.id, '2026-11-23T01:00:00Z', '見積書を送る');
    const text = JSON.stringify((await openHome(ws.manager)).view.blocks);
    for (const ja of [
      '未完了のフォローアップ（1 件）',
      '期限切れ',
      '見積書を送る',
      '完了',
      '1日延期',
      '2026年11月23日(月) 10:00',
      '担当連絡先の最近の動き',
      '紐づけたチャンネル',
      '記録に失敗しました',
    ]) {
      expect(text).toContain(ja);
    }
    const url = `${PUBLIC_URL}/c/${contact.id}`;
    const unfurls = await shareLinks(ws.manager, 'C0GENERAL', [url]);
    const card = JSON.stringify(unfurls[0]!.args.unfurls[url].blocks);
    for (const ja of ['田中 太郎', '部長', '株式会社サクラ製作所', 'ステージ', 'リード', '担当者', 'Mia Manager']) expect(card).toContain(ja);
  });

  it('finds the contact id only in links under the public URL', () => {
    const id = '0b7c2f4e-5a1d-4e2b-9c3d-1a2b3c4d5e6f';
    expect(contactIdFromUrl(`${PUBLIC_URL}/c/${id.toUpperCase()}?from=slack#top`, PUBLIC_URL)).toBe(id);
    expect(contactIdFromUrl(`${PUBLIC_URL}/c/${id}/`, `${PUBLIC_URL}/`)).toBe(id);
    expect(contactIdFromUrl(`https://crm.example/app/c/${id}`, 'https://crm.example/app')).toBe(id);
    expect(contactIdFromUrl(`https://crm.example/c/${id}`, 'https://crm.example/app')).toBeUndefined();
    expect(contactIdFromUrl(`https://rapport.example.com.evil.example/c/${id}`, PUBLIC_URL)).toBeUndefined();
    expect(contactIdFromUrl(`${PUBLIC_URL}/c/${id}/timeline`, PUBLIC_URL)).toBeUndefined();
    expect(contactIdFromUrl(`${PUBLIC_URL}/c/not-an-id`, PUBLIC_URL)).toBeUndefined();
    expect(contactIdFromUrl('not a url', PUBLIC_URL)).toBeUndefined();
  });

  /** A member of ws of their own, with one contact they own, so that their Home holds only what the test made. */
  async function freshMember(local: string): Promise<{ member: TestMember; contactId: string }> {
    const { randomUUID } = await import('node:crypto');
    const { newApiToken } = await import('../../backend/auth/api-tokens.js');
    const id = randomUUID();
    const email = `${local}@${ws.domain}`;
    await t.sql.query(
      `insert into crm.members (id, workspace_id, email, display_name, role, timezone, locale, slack_user_id) values ($1, $2, $3, $4, 'rep', 'UTC', 'en', $5)`,
      [id, ws.id, email, local, `U${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`],
    );
    const { token, hash } = newApiToken();
    await t.db.callAnonymous('token_create', { email, workspaceId: ws.id, tokenHash: hash });
    const member: TestMember = { id, email, name: local, role: 'rep', token };
    const contact = await post(member, '/api/contacts', {
      name: `Contact of ${local}`,
      emails: [`${local}@customer.example`],
      ownerEmail: email,
    });
    return { member, contactId: contact.id };
  }
});
