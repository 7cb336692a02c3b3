import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, RESPONSE_URL, slackRapport, TEAM } from '../support/slack.js';

/**
 * What other people read never carries a private entry, whoever asked
 * (the security review's point 1, test/backend/security-review.test.ts); and a Slack identity or team that is not the
 * workspace's never acts for one of its members or receives its deliveries
 * (point 2). Private entries may appear only where the person allowed to see
 * them is the only reader: an ephemeral answer, their DM with Rapport.
 */
const PRIVATE = 'Zebra-private-4c1';
const OPEN = 'Heron-open-77d';

describe.each(['pglite', 'postgres'] as const)('Slack posts others read, on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let repSlack: string;
  let janeId: string;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t);
    repSlack = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    const asRep = caller(rapport.app, ws.rep.token);
    janeId = (await asRep('POST', '/api/contacts', { name: 'Jane Tanaka', emails: [`jane-${kind}@acme.example`], company: { name: 'Acme' } })).body.id;
    const note = (body: string, visibility: 'private' | 'workspace', at: string) =>
      asRep('POST', '/api/interactions', {
        kind: 'note',
        occurredAt: at,
        subject: body,
        body,
        source: 'api',
        externalId: `note-${body}`,
        visibility,
        participants: [{ role: 'about', contactId: janeId }],
      });
    // the private note is the newest entry, where a card shows it first
    expect((await note(OPEN, 'workspace', '2026-11-20T09:00:00Z')).status).toBe(201);
    expect((await note(PRIVATE, 'private', '2026-11-21T09:00:00Z')).status).toBe(201);
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(rapport.errors).toEqual([]);
  });

  const posted = (method: string) => slack.calls.filter((c) => c.method === method).map((c) => JSON.stringify(c.args));
  const mention = (channel: string, text: string, id: string) =>
    rapport.event({ type: 'app_mention', user: repSlack, text: `<@U0BOT> ${text}`, channel, ts: '1700000000.000100', event_ts: '1700000000.000100' }, id);

  it('the author asking privately sees their private note (the data is there): /crm answers ephemerally, and their DM with Rapport', async () => {
    await rapport.command(repSlack, 'Jane Tanaka');
    expect(JSON.stringify(slack.responses)).toContain(PRIVATE);
    expect(slack.responses.every((r) => r.response_type === 'ephemeral')).toBe(true);
    slack.calls.length = 0;
    await rapport.event(
      { type: 'message', channel_type: 'im', channel: 'D0REPDM', user: repSlack, text: 'history of Jane Tanaka', ts: '1700000000.000200' },
      `Ev-dm-${kind}`,
    );
    const dm = posted('chat.postMessage');
    expect(dm).toHaveLength(1);
    expect(dm[0]).toContain(PRIVATE);
  });

  it('a mention answered in a channel thread carries no private entry, though its author asked', async () => {
    await mention('C0GENERAL', 'history of Jane Tanaka', `Ev-thread-${kind}`);
    const answers = posted('chat.postMessage');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('"thread_ts":"1700000000.000100"');
    expect(answers[0]).toContain(OPEN);
    expect(answers[0]).not.toContain(PRIVATE);
  });

  it('a mention in a group DM (read by everyone in it) carries none either', async () => {
    await mention('G0GROUPDM', 'history of Jane Tanaka', `Ev-mpim-${kind}`);
    const answers = posted('chat.postMessage');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(OPEN);
    expect(answers[0]).not.toContain(PRIVATE);
  });

  it('Share posts the card for the channel without it, though the card its author saw had it', async () => {
    await rapport.interaction(buttonPress(repSlack, ACTIONS.share, janeId, 'C0GENERAL'));
    const shared = posted('chat.postMessage');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toContain(OPEN);
    expect(shared[0]).not.toContain(PRIVATE);
  });

  it("an unfurl of the contact's link carries none", async () => {
    const url = `https://rapport.example.com/c/${janeId}`;
    await rapport.event(
      {
        type: 'link_shared',
        channel: 'C0GENERAL',
        user: repSlack,
        message_ts: '1700000000.000300',
        unfurl_id: 'U0UNFURL',
        source: 'conversations_history',
        links: [{ domain: 'rapport.example.com', url }],
        event_ts: '1.3',
      },
      `Ev-unfurl-${kind}`,
    );
    const unfurls = posted('chat.unfurl');
    expect(unfurls).toHaveLength(1);
    expect(unfurls[0]).toContain('Jane Tanaka');
    expect(unfurls[0]).not.toContain(PRIVATE);
  });

  it("a digest goes to a member's DM only, never to a channel", async () => {
    // the scheduler posts to the member's Slack user id (their DM), as Slack routes it
    const claim = await t.db.callAnonymous<{ claimed: { slackUserId: string; teamId: string }[] }>('digest_claim', {
      workerId: `w-${kind}`,
      now: '2026-11-24T01:00:00Z',
      limit: 500,
    });
    const mine = claim.claimed.filter((d) => d.teamId === TEAM);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((d) => /^[UW]/.test(d.slackUserId))).toBe(true);
  });

  describe("2. a Slack identity or team that is not the workspace's", () => {
    it("a user of another company (Slack Connect) with a member's email is never matched to that member", async () => {
      const outsider = 'U0OUTSIDER';
      slack.users.set(outsider, { id: outsider, email: ws.rep2.email, teamId: 'T0OTHERCO' });
      await rapport.event(
        { type: 'app_mention', user: outsider, text: '<@U0BOT> history of Jane Tanaka', channel: 'C0SHARED', ts: '1.5' },
        `Ev-outsider-${kind}`,
      );
      const said = slack.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => String(c.args.text));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/admin|管理者|管理员/);
      expect(JSON.stringify(slack.calls)).not.toContain('Jane Tanaka');
      const [rep2] = await t.sql.query<{ slack_user_id: string }>(`select slack_user_id from crm.members where id = $1`, [ws.rep2.id]);
      expect(rep2!.slack_user_id).not.toBe(outsider);
      // the same email from the workspace's own team links, and the member now knows their team
      slack.users.set('U0REP2NEW', { id: 'U0REP2NEW', email: ws.rep2.email });
      await t.sql.query(`update crm.members set slack_user_id = null where id = $1`, [ws.rep2.id]);
      await rapport.command('U0REP2NEW', 'Jane Tanaka');
      expect(JSON.stringify(slack.responses)).toContain('Jane Tanaka');
      expect(await t.sql.query(`select slack_user_id, slack_team_id from crm.members where id = $1`, [ws.rep2.id])).toEqual([
        { slack_user_id: 'U0REP2NEW', slack_team_id: TEAM },
      ]);
    });

    it("a member's digest goes through their own team's installation, not the most recently installed one", async () => {
      await t.sql.query(`update crm.members set slack_team_id = $2 where workspace_id = $1 and slack_user_id is not null`, [ws.id, TEAM]);
      await t.sql.query(
        `insert into crm.slack_installations (team_id, workspace_id, team_name, updated_at) values ('T0LATER', $1, 'Installed later', now() + interval '1 day')`,
        [ws.id],
      );
      try {
        const claim = await t.db.callAnonymous<{ claimed: { memberId: string; teamId: string }[] }>('digest_claim', {
          workerId: `w2-${kind}`,
          now: '2026-11-25T01:00:00Z',
          limit: 500,
        });
        const ours = claim.claimed.filter((d) => [ws.manager.id, ws.rep.id, ws.rep2.id, ws.admin.id].includes(d.memberId));
        expect(ours.length).toBeGreaterThan(0);
        expect(ours.every((d) => d.teamId === TEAM)).toBe(true);
        // a member whose team is unknown, in a workspace with two teams, is not guessed at
        await t.sql.query(`update crm.members set slack_team_id = null where id = $1`, [ws.manager.id]);
        const next = await t.db.callAnonymous<{ claimed: { memberId: string }[] }>('digest_claim', {
          workerId: `w3-${kind}`,
          now: '2026-11-26T01:00:00Z',
          limit: 500,
        });
        expect(next.claimed.map((d) => d.memberId)).not.toContain(ws.manager.id);
      } finally {
        await t.sql.query(`delete from crm.slack_installations where team_id = 'T0LATER'`);
        await t.sql.query(`update crm.members set slack_team_id = $2 where id = $1`, [ws.manager.id, TEAM]);
      }
    });

    it("one bot token: a team that is not the token's own never binds to the workspace, the token's own does", async () => {
      await t.sql.query(`delete from crm.slack_installations where workspace_id = $1`, [ws.id]);
      try {
        const form = (team: string) =>
          new URLSearchParams({
            token: 'x',
            team_id: team,
            team_domain: 'other',
            channel_id: 'C0GENERAL',
            channel_name: 'general',
            user_id: 'U0STRANGER',
            user_name: 'x',
            command: '/crm',
            text: 'Jane',
            api_app_id: 'A0APP',
            response_url: RESPONSE_URL,
            trigger_id: '1.2.3',
          }).toString();
        await rapport.send(form('T0FOREIGN'), 'application/x-www-form-urlencoded');
        expect(await t.sql.query(`select team_id from crm.slack_installations where workspace_id = $1`, [ws.id])).toEqual([]);
        expect(JSON.stringify(slack.responses)).not.toContain('Jane Tanaka');
        await rapport.command(repSlack, 'Jane Tanaka');
        expect(await t.sql.query(`select team_id from crm.slack_installations where workspace_id = $1`, [ws.id])).toEqual([{ team_id: TEAM }]);
      } finally {
        await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2) on conflict do nothing`, [TEAM, ws.id]);
      }
    });
  });
});
