import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * A digest whose time had passed today when the manager became reachable (a
 * new member linking Slack, an install, a late first start) or chose an
 * earlier hour waits for the next day, rather than arriving at once, at night.
 * The clock is the database's own: each member's zone is chosen so that it is
 * about noon for them now, and their digest time is 10:00, two hours ago.
 */
function zoneAtNoon(): string {
  const off = 12 - new Date().getUTCHours();
  return off === 0 ? 'UTC' : off > 0 ? `Etc/GMT-${off}` : `Etc/GMT+${-off}`;
}

describe.each(['pglite', 'postgres'] as const)('a digest time already passed on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  const team = `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`;

  const claimedAt = async (at: Date) => {
    const res = await t.db.callAnonymous<{ claimed: { memberId: string }[] }>('digest_claim', { now: at.toISOString(), workerId: 'reachable', limit: 500 });
    return res.claimed.map((c) => c.memberId);
  };
  const inMinutes = (n: number) => new Date(Date.now() + n * 60_000);
  const setUp = (m: TestMember, columns: string, time = '10:00') =>
    t.sql.query(`update crm.members set timezone = $2, digest_enabled = true, digest_time = $3, digest_weekends = true, ${columns} where id = $1`, [
      m.id,
      zoneAtNoon(),
      time,
    ]);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db });
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [team, ws.id]);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('sends nothing today to a manager who links Slack after their digest time, and sends tomorrow', async () => {
    // the rep2 has been reachable all along (linked before): today's digest is due
    await setUp(ws.rep2, `slack_user_id = 'UREACHED', slack_team_id = '${team}'`);
    await setUp(ws.manager, 'slack_user_id = null');
    const linked = await t.db.callAnonymous<{ memberId: string } | null>('slack_member', {
      workspaceId: ws.id,
      slackUserId: 'ULATECOMER',
      email: ws.manager.email,
      userTeamId: team,
    });
    expect(linked?.memberId).toBe(ws.manager.id);
    const today = await claimedAt(inMinutes(1));
    expect(today).toContain(ws.rep2.id);
    expect(today).not.toContain(ws.manager.id);
    expect(await claimedAt(inMinutes(24 * 60 + 1))).toContain(ws.manager.id);
  });

  it('waits for tomorrow when a member moves their digest to an hour already passed today', async () => {
    await setUp(ws.admin, `slack_user_id = 'UMOVER', slack_team_id = '${team}'`, '23:59');
    const moved = await caller(app, ws.admin.token)('PATCH', '/api/me/digest', { time: '10:00' });
    expect(moved.status).toBe(200);
    expect(await claimedAt(inMinutes(2))).not.toContain(ws.admin.id);
    expect(await claimedAt(inMinutes(24 * 60 + 2))).toContain(ws.admin.id);
  });
});
