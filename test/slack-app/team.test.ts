import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
