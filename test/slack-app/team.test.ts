import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCrmCommand } from '../../slack-app/crm-command.js';
import { HOME_MAX_BLOCKS, homeView } from '../../slack-app/home/home-view.js';
import { canonicalTimeZone, memberLine, teamBlocks } from '../../slack-app/team/team-command.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { fakeSlack, slackRapport, type SlackUser } from '../support/slack.js';

describe('a team in Slack: joining by themselves, whom to ask, the daily profile read', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let workspaceName: string;

  const memberBySlackId = async (slackUserId: string) =>
    (
      await t.sql.query<{ role: string; joined_via: string; timezone: string; locale: string; display_name: string; email: string }>(
        `select role, joined_via, timezone, locale, display_name, email from crm.members where slack_user_id = $1`,
        [slackUserId],
      )
    )[0];
  const policy = (joinPolicy: 'invite' | 'slack' | 'domains', domains: string[] = []) =>
    t.sql.query(`update crm.workspaces set join_policy = $2, join_domains = $3 where id = $1`, [ws.id, joinPolicy, domains]);
  const person = (id: string, extra: Partial<SlackUser> = {}) => {
    const u: SlackUser = { id, email: `${id.toLowerCase()}@${ws.domain}`, locale: 'en-US', ...extra };
    slack.users.set(id, u);
    return u;
  };
  const dmsTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === user);

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    workspaceName = (await t.sql.query<{ name: string }>(`select name from crm.workspaces where id = $1`, [ws.id]))[0]!.name;
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

  it("under joinPolicy 'slack' a full member of the team joins as a rep, with their Slack name, zone and language, and is told once, in Japanese", async () => {
    await policy('slack');
    person('U0HANA', { locale: 'ja-JP', tz: 'Asia/Tokyo', realName: '田中 花子', email: 'hana@gmail.example' });
    await rapport.command('U0HANA', 'help');
    // the command is answered as for any member
    expect(slack.responses).toHaveLength(1);
    expect(JSON.stringify(slack.responses[0])).toContain('Slack で Rapport を使う');
    expect(await memberBySlackId('U0HANA')).toMatchObject({
      role: 'rep',
      joined_via: 'slack',
      timezone: 'Asia/Tokyo',
      locale: 'ja',
      display_name: '田中 花子',
      email: 'hana@gmail.example',
    });
    const welcome = dmsTo('U0HANA');
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.args.text).toContain(workspaceName);
    expect(welcome[0]!.args.text).toContain('営業担当');

    slack.calls.length = 0;
    slack.responses.length = 0;
    await rapport.command('U0HANA', 'help');
    expect(slack.responses).toHaveLength(1);
    expect(dmsTo('U0HANA')).toEqual([]);
    // their profile was read when they joined: not again today
    expect(slack.calls.filter((c) => c.method === 'users.info')).toEqual([]);
    await policy('invite');
  });

  it('a welcome that Slack refuses to post never fails the request', async () => {
    await policy('slack');
    person('U0LATE', { realName: 'Lee Late' });
    slack.failNext('chat.postMessage', 500, 5);
    await rapport.command('U0LATE', 'help');
    expect(slack.responses).toHaveLength(1);
    expect(await memberBySlackId('U0LATE')).toMatchObject({ role: 'rep', joined_via: 'slack' });
    slack.failNext('chat.postMessage', 500, 0);
    // logged for the operator, and only that
    expect(rapport.errors).toHaveLength(1);
    rapport.errors.length = 0;
    await policy('invite');
  });

  it.each([
    ['a guest', { restricted: true }],
    ['a bot', { isBot: true }],
    ['a deactivated Slack user', { deleted: true }],
    ['a person of another company in Slack Connect', { teamId: 'T0OTHERCO' }],
  ])("under joinPolicy 'slack' %s never joins, and is told whom to ask", async (_label, extra) => {
    await policy('slack');
    const id = `U0NJ${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    person(id, extra);
    await rapport.command(id, 'help');
    expect(await memberBySlackId(id)).toBeUndefined();
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]!.response_type).toBe('ephemeral');
    expect(slack.responses[0]!.text).toContain('Ada Admin');
    expect(slack.responses[0]!.text).not.toContain('Slack で Rapport');
    await policy('invite');
  });

  it("under joinPolicy 'invite' an unknown person is not added, and the message names the admins in their language", async () => {
    await policy('invite');
    person('U0STRANGER', { locale: 'ja-JP', email: 'stranger@elsewhere.example' });
    await rapport.command('U0STRANGER', 'help');
    expect(await memberBySlackId('U0STRANGER')).toBeUndefined();
    const text = slack.responses[0]!.text as string;
    expect(text).toContain('Ada Admin');
    expect(text).toContain('stranger@elsewhere.example');
    expect(text).toContain('管理者');
  });

  it("under joinPolicy 'domains' only an address of a listed domain joins", async () => {
    await policy('domains', ['joiners.example']);
    person('U0DOMOUT', { email: 'out@elsewhere.example' });
    person('U0DOMIN', { email: 'in@joiners.example' });
    await rapport.command('U0DOMOUT', 'help');
    await rapport.command('U0DOMIN', 'help');
    expect(await memberBySlackId('U0DOMOUT')).toBeUndefined();
    expect(await memberBySlackId('U0DOMIN')).toMatchObject({ role: 'rep', joined_via: 'slack' });
    await policy('invite');
  });

  it("a member's time zone and language follow their Slack profile, read at most once a day", async () => {
    const slackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep2.id]))[0]!.s;
    await t.sql.query(`update crm.members set profile_read_at = null where id = $1`, [ws.rep2.id]);
    person(slackId, { email: ws.rep2.email, tz: 'Europe/Paris', locale: 'zh-CN' });
    await rapport.command(slackId, 'help');
    expect(slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
    expect(await memberBySlackId(slackId)).toMatchObject({ timezone: 'Europe/Paris', locale: 'zh' });
    // answered in the language just read
    expect(JSON.stringify(slack.responses[0])).toContain('在 Slack 中使用 Rapport');
    slack.calls.length = 0;
    await rapport.command(slackId, 'help');
    expect(slack.calls.filter((c) => c.method === 'users.info')).toEqual([]);
  });

  it("a modal's submission, which Slack waits on, is never slowed by the daily read", async () => {
    const slackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.admin.id]))[0]!.s;
    await t.sql.query(`update crm.members set profile_read_at = null where id = $1`, [ws.admin.id]);
    person(slackId, { email: ws.admin.email, tz: 'Europe/Berlin' });
    await rapport.interaction({
      type: 'view_submission',
      team: { id: 'T0TEST', domain: 'test' },
      user: { id: slackId, name: 'someone', team_id: 'T0TEST' },
      api_app_id: 'A0APP',
      token: 'deprecated',
      trigger_id: '123.456.def',
      view: { id: 'V0NONE', callback_id: 'no_such_modal', private_metadata: '', team_id: 'T0TEST', type: 'modal', state: { values: {} } },
    });
    expect(slack.calls.filter((c) => c.method === 'users.info')).toEqual([]);
    // the next request reads it
    await rapport.command(slackId, 'help');
    expect(slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
    expect(await memberBySlackId(slackId)).toMatchObject({ timezone: 'Europe/Berlin' });
  });

  it('a daily read that Slack cannot answer is not retried on every request', async () => {
    const slackId = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.manager.id]))[0]!.s;
    await t.sql.query(`update crm.members set profile_read_at = null where id = $1`, [ws.manager.id]);
    slack.users.delete(slackId);
    await rapport.command(slackId, 'help');
    await rapport.command(slackId, 'help');
    expect(slack.responses).toHaveLength(2);
    expect(slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
    expect(await memberBySlackId(slackId)).toMatchObject({ timezone: 'Asia/Tokyo' });
  });
});

describe('/crm team and /crm tz', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const slackIdOf = async (memberId: string) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [memberId]))[0]!.s;
  const stored = async (memberId: string) =>
    (await t.sql.query<{ timezone: string; timezone_chosen: boolean }>(`select timezone, timezone_chosen from crm.members where id = $1`, [memberId]))[0]!;
  const answered = () => {
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]!.response_type).toBe('ephemeral');
    return `${slack.responses[0]!.text}\n${JSON.stringify(slack.responses[0]!.blocks ?? [])}`;
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    // one who joined from Slack, and one who left
    await t.sql.query(`update crm.members set joined_via = 'slack' where id = $1`, [ws.rep2.id]);
    await t.sql.query(
      `insert into crm.members (workspace_id, email, display_name, role, timezone, locale, active, deactivated_at)
       values ($1, $2, 'Lou Leaver', 'rep', 'UTC', 'en', false, now())`,
      [ws.id, `leaver@${ws.domain}`],
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
  });

  it('reads its words in English, Japanese and Chinese', () => {
    for (const w of ['team', 'members', 'チーム', 'メンバー', '团队', '成员']) expect(parseCrmCommand(w)).toEqual({ kind: 'team' });
    expect(parseCrmCommand('tz Asia/Tokyo')).toEqual({ kind: 'tz', zone: 'Asia/Tokyo' });
    expect(parseCrmCommand('タイムゾーン  Asia/Tokyo')).toEqual({ kind: 'tz', zone: 'Asia/Tokyo' });
    expect(parseCrmCommand('时区 Asia/Shanghai')).toEqual({ kind: 'tz', zone: 'Asia/Shanghai' });
    expect(parseCrmCommand('TZ')).toEqual({ kind: 'tz', zone: null });
    // more than one word is a search, as before
    expect(parseCrmCommand('team acme')).toEqual({ kind: 'search', query: 'team acme' });
  });

  it('canonicalTimeZone spells a zone the IANA way, and knows none that is not', () => {
    expect(canonicalTimeZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('memberLine escapes what was stored', () => {
    const line = memberLine(
      { id: 'x', name: '<!channel> Eve', role: 'rep', manager: { id: 'm', name: 'Bo & Co' } as never, joinedVia: 'invite', active: true },
      'en',
    );
    expect(line).toContain('&lt;!channel&gt; Eve');
    expect(line).toContain('reports to Bo &amp; Co');
  });

  it("teamBlocks keeps within Slack's limits for a team of 600, counting the ones left out", () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      id: String(i),
      name: `Person ${'x'.repeat(60)} ${i}`,
      role: 'rep' as const,
      manager: null,
      joinedVia: 'slack' as const,
      active: true,
    }));
    const { blocks } = teamBlocks(many, 'ja');
    expect(JSON.stringify(blocks.at(-1))).toMatch(/ほか \d+ 人/);
  });

  it("the Home tab's Team part says why when it could not load, and a team of 600 stays under 100 blocks", () => {
    const base = { followUps: { ok: true as const, value: [] }, activity: { ok: true as const, value: [] }, links: { ok: true as const, value: [] } };
    const opts = { locale: 'en' as const, timeZone: 'UTC', now: '2026-12-03T00:00:00Z' };
    const failed = JSON.stringify(homeView({ ...base, team: { ok: false, reason: 'backend down' } }, opts).blocks);
    expect(failed).toContain('"Team"');
    expect(failed).toContain('backend down');
    const members = Array.from({ length: 600 }, (_, i) => ({
      id: String(i),
      email: `p${i}@x.example`,
      name: `Person ${i}`,
      role: 'rep' as const,
      manager: null,
      managerId: null,
      timezone: 'UTC',
      locale: 'en' as const,
      slackUserId: null,
      active: true,
      joinedVia: 'invite' as const,
      lastSeenAt: null,
      addresses: [],
    }));
    const view = homeView({ ...base, team: { ok: true, value: { members, joinPolicy: 'slack', joinDomains: [] } } }, opts);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(JSON.stringify(view.blocks)).toMatch(/Team \(600\).*…and \d+ more/);
  });

  it('/crm team lists every active member for a rep: role, manager, how they joined; not the deactivated', async () => {
    await rapport.command(await slackIdOf(ws.rep.id), 'team');
    const text = answered();
    expect(text).toContain('Team (4)');
    for (const name of ['Mia Manager', 'Ren Rep', 'Rae Rep', 'Ada Admin']) expect(text).toContain(name);
    expect(text).not.toContain('Lou Leaver');
    expect(text).toContain('*Ren Rep* (you) · Rep · reports to Mia Manager · added by an admin');
    expect(text).toContain('*Rae Rep* · Rep · reports to Mia Manager · joined from Slack');
    expect(text).toContain('*Ada Admin* · Admin · no manager');
  });

  it('/crm チーム answers in Japanese', async () => {
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.manager.id]);
    await rapport.command(await slackIdOf(ws.manager.id), 'チーム');
    const text = answered();
    expect(text).toContain('チーム（4 人）');
    expect(text).toContain('マネージャー');
    expect(text).toContain('上長: Mia Manager');
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.manager.id]);
  });

  it('/crm tz Asia/Tokyo sets my own time zone, which my Slack profile then no longer moves', async () => {
    await rapport.command(await slackIdOf(ws.rep.id), 'tz asia/tokyo');
    expect(answered()).toContain('Your time zone is now Asia/Tokyo');
    expect(await stored(ws.rep.id)).toEqual({ timezone: 'Asia/Tokyo', timezone_chosen: true });
    // the next daily read of the Slack profile leaves it alone
    await t.sql.query(`update crm.members set profile_read_at = null where id = $1`, [ws.rep.id]);
    const slackId = await slackIdOf(ws.rep.id);
    slack.users.set(slackId, { id: slackId, email: ws.rep.email, tz: 'America/New_York' });
    slack.responses.length = 0;
    await rapport.command(slackId, 'tz');
    expect(answered()).toContain('Your time zone is Asia/Tokyo');
    expect((await stored(ws.rep.id)).timezone).toBe('Asia/Tokyo');
  });

  it('/crm tz with an unknown zone says so plainly and changes nothing', async () => {
    const before = await stored(ws.rep2.id);
    await rapport.command(await slackIdOf(ws.rep2.id), 'tz Mars/Olympus_Mons');
    const text = answered();
    expect(text).toContain('“Mars/Olympus_Mons” is not a time zone');
    expect(text).toContain('Asia/Tokyo');
    expect(await stored(ws.rep2.id)).toEqual(before);
  });

  it('/crm 时区 and /crm タイムゾーン set it in Chinese and Japanese', async () => {
    await t.sql.query(`update crm.members set locale = 'zh' where id = $1`, [ws.admin.id]);
    await rapport.command(await slackIdOf(ws.admin.id), '时区 Asia/Shanghai');
    expect(answered()).toContain('你的时区已设置为 Asia/Shanghai');
    slack.responses.length = 0;
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.admin.id]);
    await rapport.command(await slackIdOf(ws.admin.id), 'タイムゾーン Europe/London');
    expect(answered()).toContain('タイムゾーンを Europe/London に設定しました');
    expect((await stored(ws.admin.id)).timezone).toBe('Europe/London');
    slack.responses.length = 0;
    await rapport.command(await slackIdOf(ws.admin.id), 'タイムゾーン 火星');
    expect(answered()).toContain('「火星」はタイムゾーンとして認識できません');
  });

  it('the Home tab shows an admin the team and who may join; a rep sees no Team part', async () => {
    let events = 0;
    const openHome = async (memberId: string) => {
      slack.calls.length = 0;
      await rapport.event(
        { type: 'app_home_opened', user: await slackIdOf(memberId), channel: 'D0HOME', tab: 'home', event_ts: '1.1' },
        `Ev0TEAMHOME${++events}`,
      );
      const published = slack.calls.filter((c) => c.method === 'views.publish');
      expect(published).toHaveLength(1);
      return JSON.stringify(published[0]!.args.view);
    };
    await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.admin.id]);
    await t.sql.query(`update crm.workspaces set join_policy = 'domains', join_domains = array['acme.example', 'acme.co.jp'] where id = $1`, [ws.id]);
    const admin = await openHome(ws.admin.id);
    expect(admin).toContain('Team (4)');
    expect(admin).toContain('acme.example, acme.co.jp');
    expect(admin).toContain('*Rae Rep* · Rep · reports to Mia Manager · joined from Slack');
    expect(admin).not.toContain('Lou Leaver');
    const rep = await openHome(ws.rep.id);
    expect(rep).not.toContain('Team (');
    expect(rep).not.toContain('Who may join');
  });

  it('/crm help names team and tz', async () => {
    await rapport.command(await slackIdOf(ws.rep2.id), 'help');
    const text = answered();
    expect(text).toContain('/crm team');
    expect(text).toContain('/crm tz');
  });
});
