import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertModalLimits } from '../../slack-app/contacts/modals.js';
import { HOME_MAX_BLOCKS, homeView } from '../../slack-app/home/home-view.js';
import { slackMessages } from '../../slack-app/i18n/index.js';
import { ACTIONS, INPUTS, VIEWS } from '../../slack-app/ids.js';
import { addPeopleModal, deactivateMemberModal, editMemberModal, joinPolicyModal, reactivateModal, teamControls } from '../../slack-app/team/team-modals.js';
import { assertMessageLimits } from '../../slack-app/limits.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { fakeSlack, slackRapport, TEAM, viewSubmission, type SlackUser } from '../support/slack.js';

type Input = { block: string; action: string };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const v = (id: Input, value: Record<string, unknown>): Values => ({ [id.block]: { [id.action]: value } });
const text = (id: Input, value: string | null) => v(id, { type: 'plain_text_input', value });
const pick = (id: Input, value: string) => v(id, { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } });
const people = (ids: string[]) => v(INPUTS.people, { type: 'multi_users_select', selected_users: ids });

/** A view_submission payload as Slack sends it (view id V0TEAM unless given). */
const submission = (userId: string, view: { id?: string; callback_id: string; private_metadata: string }, ...values: Values[]) =>
  viewSubmission(userId, { id: 'V0TEAM', ...view }, ...values);

/** A press on the Home tab: a button, or a member chosen in a select. */
function homePress(user: string, actionId: string, selected?: string) {
  const action = selected
    ? {
        type: 'static_select',
        action_id: actionId,
        block_id: 'team_controls',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value: selected },
        action_ts: '1.2',
      }
    : { type: 'button', action_id: actionId, block_id: 'team_controls', value: 'x', action_ts: '1.2', text: { type: 'plain_text', text: 'x' } };
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.abc',
    container: { type: 'view', view_id: 'V0HOME' },
    view: { id: 'V0HOME', type: 'home', team_id: TEAM, blocks: [], hash: 'h1', state: { values: {} } },
    actions: [action],
  };
}

type Opened = { callback_id: string; private_metadata: string; title: { text: string }; blocks: any[] };

describe('an admin manages the team from the Home tab: add people, edit, deactivate, who may join', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let events = 0;
  const ids: Record<'admin' | 'manager' | 'rep' | 'rep2', string> = { admin: '', manager: '', rep: '', rep2: '' };

  const slackId = async (m: TestMember) => (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [m.id]))[0]!.s;
  const memberRow = async (where: string, param: string) =>
    (
      await t.sql.query<{
        id: string;
        role: string;
        manager_id: string | null;
        timezone: string;
        locale: string;
        display_name: string;
        active: boolean;
        joined_via: string;
      }>(`select id, role, manager_id, timezone, locale, display_name, active, joined_via from crm.members where workspace_id = $1 and ${where} = $2`, [
        ws.id,
        param,
      ])
    )[0];
  const api = async (m: TestMember, method: string, path: string, body?: unknown) => {
    const res = await rapport.app.request(path, {
      method,
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const lastPublished = () => {
    const published = slack.calls.filter((c) => c.method === 'views.publish');
    expect(published.length).toBeGreaterThan(0);
    return published.at(-1)!.args as { user_id: string; view: { type: string; blocks: any[] } };
  };
  const openHome = async (user: string) => {
    await rapport.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1.1' }, `Ev0TEAMHOME${++events}`);
    return lastPublished();
  };
  /** Press on the Home, and return the modal Slack was asked to open. */
  const open = async (user: string, actionId: string, selected?: string) => {
    slack.calls.length = 0;
    await rapport.interaction(homePress(user, actionId, selected));
    const opened = slack.calls.filter((c) => c.method === 'views.open');
    expect(opened, JSON.stringify(slack.calls.map((c) => c.method))).toHaveLength(1);
    const view = opened[0]!.args.view as Opened;
    assertModalLimits(view as never);
    return view;
  };
  const dmsTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === user).map((c) => String(c.args.text));
  const person = (u: SlackUser) => slack.users.set(u.id, u);

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t);
    for (const k of ['admin', 'manager', 'rep', 'rep2'] as const) ids[k] = await slackId(ws[k]);
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

  it("an admin's Home has Add people, Edit, Deactivate and Change who may join; a rep's has none of them", async () => {
    const admin = JSON.stringify((await openHome(ids.admin)).view.blocks);
    for (const id of [ACTIONS.teamAdd, ACTIONS.teamEdit, ACTIONS.teamDeactivate, ACTIONS.teamPolicy]) expect(admin).toContain(`"${id}"`);
    expect(admin).toContain('Add people');
    const rep = JSON.stringify((await openHome(ids.rep)).view.blocks);
    for (const id of [ACTIONS.teamAdd, ACTIONS.teamEdit, ACTIONS.teamDeactivate, ACTIONS.teamPolicy]) expect(rep).not.toContain(`"${id}"`);
  });

  it('adding Slack users makes them reps with their name, zone and language; a guest, a bot and a member already there are reported, each with why', async () => {
    person({ id: 'U0NAO', email: 'nao@newhire.example', realName: '青木 直', tz: 'Asia/Tokyo', locale: 'ja-JP' });
    person({ id: 'U0LIN', email: 'lin@newhire.example', realName: 'Lin Wei', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    person({ id: 'U0GUEST', email: 'guest@outside.example', realName: 'Gus Guest', restricted: true });
    person({ id: 'U0ROBOT', email: 'robot@newhire.example', realName: 'Robo', isBot: true });
    person({ id: 'U0AGAIN', email: ws.rep.email, realName: 'Ren Again' });

    const view = await open(ids.admin, ACTIONS.teamAdd);
    expect(view.callback_id).toBe(VIEWS.teamAdd);
    slack.calls.length = 0;
    const res = await rapport.interaction(submission(ids.admin, view, people(['U0NAO', 'U0LIN', 'U0GUEST', 'U0ROBOT', 'U0AGAIN'])));
    expect(res.status).toBe(200);

    expect(await memberRow('email', 'nao@newhire.example')).toMatchObject({
      role: 'rep',
      timezone: 'Asia/Tokyo',
      locale: 'ja',
      display_name: '青木 直',
      active: true,
      joined_via: 'invite',
    });
    expect(await memberRow('email', 'lin@newhire.example')).toMatchObject({ role: 'rep', timezone: 'Asia/Shanghai', locale: 'zh' });
    expect(await memberRow('email', 'guest@outside.example')).toBeUndefined();
    expect(await memberRow('email', 'robot@newhire.example')).toBeUndefined();

    const [report] = dmsTo(ids.admin);
    expect(report).toContain('Added 青木 直 (nao@newhire.example) as a rep.');
    expect(report).toContain('Added Lin Wei (lin@newhire.example) as a rep.');
    expect(report).toContain('Skipped Gus Guest: a guest of this Slack workspace.');
    expect(report).toContain('Skipped Robo: a bot or app.');
    // the backend's own 409 sentence names who has that address
    expect(report).toContain(`Already a member: ${ws.rep.email} is already a member: Ren Rep.`);
    // and the Home is published again, listing the new people
    expect(JSON.stringify(lastPublished().view.blocks)).toContain('Lin Wei');

    // their Slack account is linked the first time they use Rapport, by their email
    expect(await memberRow('email', 'nao@newhire.example')).toMatchObject({ joined_via: 'invite' });
    await rapport.command('U0NAO', 'help');
    expect(JSON.stringify(slack.responses.at(-1))).toContain('Slack で Rapport を使う');
    const linked = await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where email = 'nao@newhire.example'`);
    expect(linked[0]!.s).toBe('U0NAO');
  });

  it("editing a member's role, manager and time zone saves them and republishes the Home", async () => {
    const view = await open(ids.admin, ACTIONS.teamEdit, ws.rep2.id);
    expect(view.callback_id).toBe(VIEWS.teamEdit);
    expect(JSON.stringify(view.blocks)).toContain('Rae Rep');
    slack.calls.length = 0;
    const res = await rapport.interaction(
      submission(ids.admin, view, pick(INPUTS.role, 'manager'), pick(INPUTS.manager, ws.admin.id), text(INPUTS.timezone, 'europe/paris')),
    );
    expect(res.text).toBe('');
    expect(await memberRow('id', ws.rep2.id)).toMatchObject({ role: 'manager', manager_id: ws.admin.id, timezone: 'Europe/Paris' });
    expect(dmsTo(ids.admin)).toEqual(['Saved the changes to Rae Rep.']);
    expect(slack.calls.some((c) => c.method === 'views.publish')).toBe(true);

    // and back, clearing the manager
    const again = await open(ids.admin, ACTIONS.teamEdit, ws.rep2.id);
    await rapport.interaction(submission(ids.admin, again, pick(INPUTS.role, 'rep'), pick(INPUTS.manager, 'none'), text(INPUTS.timezone, 'Europe/Paris')));
    expect(await memberRow('id', ws.rep2.id)).toMatchObject({ role: 'rep', manager_id: null });
  });

  it('a manager cycle, the last admin and an unknown zone are refused on their field, in the admin’s language', async () => {
    // the manager would report to their own rep
    const cycle = await open(ids.admin, ACTIONS.teamEdit, ws.manager.id);
    const res = await rapport.interaction(
      submission(ids.admin, cycle, pick(INPUTS.role, 'manager'), pick(INPUTS.manager, ws.rep.id), text(INPUTS.timezone, 'Asia/Tokyo')),
    );
    expect(res.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.manager.block]: expect.stringContaining('managing themselves') } });
    expect(await memberRow('id', ws.manager.id)).toMatchObject({ manager_id: null });

    const self = await open(ids.admin, ACTIONS.teamEdit, ws.admin.id);
    const last = await rapport.interaction(submission(ids.admin, self, pick(INPUTS.role, 'rep'), pick(INPUTS.manager, 'none'), text(INPUTS.timezone, 'UTC')));
    expect(last.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.role.block]: expect.stringContaining('last admin') } });
    expect(await memberRow('id', ws.admin.id)).toMatchObject({ role: 'admin' });

    const zone = await rapport.interaction(
      submission(ids.admin, self, pick(INPUTS.role, 'admin'), pick(INPUTS.manager, 'none'), text(INPUTS.timezone, 'Mars/Base')),
    );
    expect(zone.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.timezone.block]: expect.stringContaining('Mars/Base') } });

    // in Japanese for a Japanese admin
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [ws.admin.id]);
    try {
      const ja = await rapport.interaction(submission(ids.admin, self, pick(INPUTS.role, 'rep'), pick(INPUTS.manager, 'none'), text(INPUTS.timezone, 'UTC')));
      expect(ja.json().errors[INPUTS.role.block]).toContain('最後の管理者');
    } finally {
      await t.sql.query(`update crm.members set locale = 'en' where id = $1`, [ws.admin.id]);
    }
  });

  it('deactivating a member moves their contacts to the one chosen and tells the admin the counts', async () => {
    const contact = await api(ws.rep2, 'POST', '/api/contacts', { name: 'Kei Customer', emails: ['kei@customer.example'], ownerEmail: ws.rep2.email });
    expect(contact.status).toBe(201);
    const view = await open(ids.admin, ACTIONS.teamDeactivate, ws.rep2.id);
    expect(view.callback_id).toBe(VIEWS.teamDeactivate);
    expect(JSON.stringify(view.blocks)).toContain('Rae Rep will be deactivated');
    // the one leaving cannot take over from themselves
    const choices = view.blocks.find((b) => b.block_id === INPUTS.reassignTo.block).element.options.map((o: any) => o.value);
    expect(choices).toContain(ws.rep.id);
    expect(choices).not.toContain(ws.rep2.id);

    slack.calls.length = 0;
    const res = await rapport.interaction(submission(ids.admin, view, pick(INPUTS.reassignTo, ws.rep.id)));
    expect(res.text).toBe('');
    expect(await memberRow('id', ws.rep2.id)).toMatchObject({ active: false });
    const moved = await api(ws.admin, 'GET', `/api/contacts/${contact.body.id}`);
    expect(moved.body.owner).toMatchObject({ id: ws.rep.id });
    const [told] = dmsTo(ids.admin);
    expect(told).toContain('Rae Rep is deactivated. Ren Rep now owns 1 of their contacts and 0 open follow-ups');
    expect(told).toContain('1 API tokens were revoked');
    const home = JSON.stringify(lastPublished().view.blocks);
    expect(home).not.toContain('Rae Rep');
    expect(home).toContain(`"${ACTIONS.teamReactivate}"`);
  });

  it('when someone left, the Home offers Reactivate (their name stays off it), whose modal brings the one chosen back', async () => {
    const added = await api(ws.admin, 'POST', '/api/members', { email: 'olu@newhire.example', name: 'Olu Leaver' });
    expect(added.status).toBe(201);
    expect((await api(ws.admin, 'POST', `/api/members/${added.body.id}/deactivate`, { reassignTo: ws.rep.id })).status).toBe(200);
    const home = (await openHome(ids.admin)).view.blocks;
    expect(JSON.stringify(home)).toContain(`"${ACTIONS.teamReactivate}"`);
    expect(JSON.stringify(home)).not.toContain('Olu Leaver');

    const view = await open(ids.admin, ACTIONS.teamReactivate);
    expect(view.callback_id).toBe(VIEWS.teamReactivate);
    const choices = view.blocks.find((b) => b.block_id === INPUTS.reactivate.block).element.options.map((o: any) => o.value);
    expect(choices).toContain(added.body.id);
    expect(choices).not.toContain(ws.rep.id);

    // a rep forging the submission changes nothing
    const forged = await rapport.interaction(submission(ids.rep, view, pick(INPUTS.reactivate, added.body.id)));
    expect(forged.json().errors[INPUTS.reactivate.block]).toContain('Only a Rapport admin');
    expect(await memberRow('id', added.body.id)).toMatchObject({ active: false });

    slack.calls.length = 0;
    const res = await rapport.interaction(submission(ids.admin, view, pick(INPUTS.reactivate, added.body.id)));
    expect(res.text).toBe('');
    expect(await memberRow('id', added.body.id)).toMatchObject({ active: true });
    expect(dmsTo(ids.admin)).toEqual(['Olu Leaver is active again.']);
    expect(JSON.stringify(lastPublished().view.blocks)).toContain('Olu Leaver');
  });

  it('deactivating the last admin is refused on the field', async () => {
    const view = await open(ids.admin, ACTIONS.teamDeactivate, ws.admin.id);
    const res = await rapport.interaction(submission(ids.admin, view, pick(INPUTS.reassignTo, ws.manager.id)));
    expect(res.json()).toEqual({ response_action: 'errors', errors: { [INPUTS.reassignTo.block]: expect.stringContaining('last admin') } });
    expect(await memberRow('id', ws.admin.id)).toMatchObject({ active: true, role: 'admin' });
  });

  it('a rep who forges the submissions is refused politely and nothing changes', async () => {
    // a forged press opens no modal: the Home says why
    slack.calls.length = 0;
    await rapport.interaction(homePress(ids.rep, ACTIONS.teamEdit, ws.rep.id));
    expect(slack.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(JSON.stringify(lastPublished().view.blocks)).toContain('Only a Rapport admin can change the team');

    const editView = { callback_id: VIEWS.teamEdit, private_metadata: JSON.stringify({ m: ws.rep.id, n: 'Ren Rep', r: 'rep', g: ws.manager.id, z: 'UTC' }) };
    const edit = await rapport.interaction(
      submission(ids.rep, editView, pick(INPUTS.role, 'admin'), pick(INPUTS.manager, 'none'), text(INPUTS.timezone, 'UTC')),
    );
    expect(edit.json()).toEqual({
      response_action: 'errors',
      errors: { [INPUTS.role.block]: 'Only a Rapport admin can change the team; nothing was changed.' },
    });
    expect(await memberRow('id', ws.rep.id)).toMatchObject({ role: 'rep', manager_id: ws.manager.id, active: true });

    const leave = { callback_id: VIEWS.teamDeactivate, private_metadata: JSON.stringify({ m: ws.manager.id, n: 'Mia Manager' }) };
    const deactivate = await rapport.interaction(submission(ids.rep, leave, pick(INPUTS.reassignTo, ws.rep.id)));
    expect(deactivate.json().errors[INPUTS.reassignTo.block]).toBe('Only a Rapport admin can change the team; nothing was changed.');
    expect(await memberRow('id', ws.manager.id)).toMatchObject({ active: true });

    person({ id: 'U0SNEAK', email: 'sneak@newhire.example', realName: 'Sam Sneak' });
    slack.calls.length = 0;
    await rapport.interaction(submission(ids.rep, { callback_id: VIEWS.teamAdd, private_metadata: '' }, people(['U0SNEAK'])));
    expect(await memberRow('email', 'sneak@newhire.example')).toBeUndefined();
    expect(dmsTo(ids.rep).join('\n')).toContain('Only a Rapport admin can change the team');

    const policy = await rapport.interaction(submission(ids.rep, { callback_id: VIEWS.teamPolicy, private_metadata: '' }, pick(INPUTS.joinPolicy, 'slack')));
    expect(policy.json().errors[INPUTS.joinPolicy.block]).toContain('Only a Rapport admin');
    expect((await t.sql.query<{ p: string }>(`select join_policy p from crm.workspaces where id = $1`, [ws.id]))[0]!.p).toBe('invite');
  });

  it('an admin changes who may join: domains need a domain, then both are saved', async () => {
    const view = await open(ids.admin, ACTIONS.teamPolicy);
    expect(view.callback_id).toBe(VIEWS.teamPolicy);
    const bad = await rapport.interaction(submission(ids.admin, view, pick(INPUTS.joinPolicy, 'domains'), text(INPUTS.joinDomains, 'not a domain')));
    expect(Object.keys(bad.json().errors)).toEqual([INPUTS.joinDomains.block]);
    const res = await rapport.interaction(
      submission(ids.admin, view, pick(INPUTS.joinPolicy, 'domains'), text(INPUTS.joinDomains, 'Newhire.example, other.example')),
    );
    expect(res.text).toBe('');
    const row = (await t.sql.query<{ p: string; d: string[] }>(`select join_policy p, join_domains d from crm.workspaces where id = $1`, [ws.id]))[0]!;
    expect(row.p).toBe('domains');
    expect([...row.d].sort()).toEqual(['newhire.example', 'other.example']);
    expect(JSON.stringify(lastPublished().view.blocks)).toContain('newhire.example');
    await t.sql.query(`update crm.workspaces set join_policy = 'invite', join_domains = '{}' where id = $1`, [ws.id]);
  });

  it('in a team past 100 the selects find members as the admin types; a rep is offered nobody', async () => {
    const suggest = (user: string, actionId: string, value: string, meta = '') =>
      rapport.interaction({
        type: 'block_suggestion',
        action_id: actionId,
        block_id: 'b',
        value,
        team: { id: TEAM, domain: 'test' },
        user: { id: user, team_id: TEAM },
        api_app_id: 'A0APP',
        token: 'x',
        view: { id: 'V0TEAM', type: 'modal', callback_id: VIEWS.teamEdit, private_metadata: meta },
      });
    const home = (await suggest(ids.admin, ACTIONS.teamEdit, 'ren')).json();
    expect(home.options).toEqual([{ text: { type: 'plain_text', text: 'Ren Rep', emoji: true }, value: ws.rep.id }]);
    // the manager of Ren: "no manager" first, never Ren themselves
    const manager = (await suggest(ids.admin, INPUTS.manager.action, '', JSON.stringify({ m: ws.rep.id, n: 'Ren Rep' }))).json();
    expect(manager.options[0].value).toBe('none');
    const values = manager.options.map((o: { value: string }) => o.value);
    expect(values).toContain(ws.manager.id);
    expect(values).not.toContain(ws.rep.id);
    const reassign = (await suggest(ids.admin, INPUTS.reassignTo.action, 'MANAGER@', JSON.stringify({ m: ws.rep.id, n: 'Ren Rep' }))).json();
    expect(reassign.options.map((o: { value: string }) => o.value)).toEqual([ws.manager.id]);
    expect((await suggest(ids.rep, ACTIONS.teamEdit, '')).json()).toEqual({ options: [] });
  });

  it("the modals and the Home keep Slack's limits for a team of 300 with long names, in every language", () => {
    const long = 'ﾛ'.repeat(500);
    const members = Array.from({ length: 300 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      email: `m${i}@example.com`,
      name: `${long}${i}`,
      role: 'rep' as const,
      manager: null,
      managerId: null,
      timezone: 'Asia/Tokyo',
      locale: 'ja' as const,
      slackUserId: null,
      active: true,
      joinedVia: 'invite' as const,
      lastSeenAt: null,
      addresses: [],
    }));
    for (const locale of ['en', 'ja', 'zh'] as const) {
      for (const view of [
        addPeopleModal(locale),
        editMemberModal(locale, members[0]!, members),
        deactivateMemberModal(locale, members[0]!, members),
        joinPolicyModal(locale, { joinPolicy: 'domains', joinDomains: ['a.example'] }),
        reactivateModal(locale, members),
      ]) {
        assertModalLimits(view);
        for (const b of view.blocks as any[]) expect((b.element?.options ?? []).length).toBeLessThanOrEqual(100);
      }
      // a manager beyond the first 100 members is still offered, and chosen
      const late = members[250]!;
      const manager = (editMemberModal(locale, { ...members[0]!, managerId: late.id }, members).blocks as any[]).find(
        (b) => b.block_id === INPUTS.manager.block,
      );
      expect(manager.element.initial_option.value).toBe(late.id);
      const controls = teamControls(members, locale);
      expect((controls.elements as any[]).filter((e) => e.type === 'external_select')).toHaveLength(2);
      expect((teamControls(members.slice(0, 100), locale).elements as any[]).filter((e) => e.type === 'static_select')).toHaveLength(2);
      assertMessageLimits([controls]);
      for (const e of controls.elements as any[]) expect((e.options ?? []).length).toBeLessThanOrEqual(100);
      const home = homeView(
        {
          followUps: { ok: true, value: [] },
          activity: { ok: true, value: [] },
          links: { ok: true, value: [] },
          team: { ok: true, value: { members, joinPolicy: 'invite', joinDomains: [] } },
        },
        { locale, timeZone: 'UTC', now: '2026-11-24T00:00:00Z' },
      );
      expect(home.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    }
    // every sentence this feature says exists in the three languages
    for (const key of Object.keys(slackMessages).filter((k) => k.startsWith('team_') || k.startsWith('view_team_'))) {
      const entry = (slackMessages as Record<string, Record<string, string>>)[key]!;
      expect([entry.en, entry.ja, entry.zh].every(Boolean), key).toBe(true);
    }
  });
});
