import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiToken } from '../../backend/auth/api-tokens.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import { readSetupArgs } from '../../backend/cli/setup-args.js';
import { scheduledMemberClient, serviceClient } from '../../slack-app/backend-client.js';
import { digestClient, runDigestStep } from '../../slack-app/digest/scheduler.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { createTestGoogleIssuer, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeDms, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

/**
 * A team adopts Rapport on an empty database with no SQL: set-up, a manager
 * and two reps added, a Slack user joining under the `slack` policy and a
 * Google user under `domains` (through the Slack and Google stand-ins), the
 * manager's digest covering the reps, and a rep who leaves, deactivated with
 * reassignment: every credential of theirs refused, what they owned moved,
 * each change in the audit log.
 */
describe.each(['pglite', 'postgres', 'supabase'] as const)('a team of five from nothing on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const google = createTestGoogleIssuer();
  const dms = fakeDms(() => new Date());
  const slack = fakeSlack({ methods: dms.methods });
  const DOMAIN = 'scenario-trading.example';
  const service = { authorization: `Rapport-Service ${'scenario-service-'.padEnd(40, 's')}` };
  const ids = {} as Record<'workspace' | 'manager' | 'rep1' | 'rep2' | 'renToken' | 'renGoogle' | 'contact' | 'followUp', string>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(google.certsHandler(), ...slack.handlers, ...t.handlers);
    rapport = slackRapport(t, {
      serviceSecret: service.authorization.split(' ')[1]!,
      google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID] }),
    });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const as = (token: string) => caller(rapport.app, token);
  let admin: ReturnType<typeof as>;

  it('sets up the workspace and its first admin as npm run setup does, and adds a manager and two reps', async () => {
    expect((await t.sql.query<{ n: number }>('select count(*)::int n from crm.workspaces'))[0]!.n).toBe(0);
    const read = readSetupArgs([
      '--workspace',
      'Scenario Trading',
      '--admin-email',
      `admin@${DOMAIN}`,
      '--admin-name',
      'Ada Admin',
      '--timezone',
      'Asia/Tokyo',
      '--domain',
      DOMAIN,
    ]);
    if (!('request' in read)) throw new Error(JSON.stringify(read));
    const { token, hash } = newApiToken();
    const made = await t.db.callAnonymous<{ workspace: { id: string } }>('workspace_setup', { ...read.request, tokenHash: hash });
    ids.workspace = made.workspace.id;
    admin = as(token);
    expect((await admin('GET', '/api/me')).body.member).toMatchObject({ role: 'admin', joinedVia: 'setup', timezone: 'Asia/Tokyo' });

    const manager = await admin('POST', '/api/members', { email: `mia@${DOMAIN}`, name: 'Mia Manager', role: 'manager' });
    expect(manager.status).toBe(201);
    ids.manager = manager.body.id;
    for (const [key, name] of [
      ['rep1', 'Ren Rep'],
      ['rep2', 'Rui Rep'],
    ] as const) {
      const rep = await admin('POST', '/api/members', { email: `${key}@${DOMAIN}`, name, managerId: ids.manager });
      expect(rep.status).toBe(201);
      ids[key] = rep.body.id;
    }
    // the Slack app binds its bot token's team to the only workspace at start-up
    expect((await caller(rapport.app, undefined, service)('POST', '/api/slack/team', { teamId: TEAM, teamName: 'Scenario' })).body.team).toMatchObject({
      workspaceId: ids.workspace,
    });
  });

  it('lets a Slack user join under the slack policy, and a Google user under domains', async () => {
    expect((await admin('PATCH', '/api/workspace', { joinPolicy: 'slack' })).status).toBe(200);
    slack.users.set('U0SORA', { id: 'U0SORA', email: 'sora@gmail.example', locale: 'ja-JP', tz: 'Asia/Tokyo', realName: '空 太郎' });
    await rapport.command('U0SORA', 'help');
    expect(slack.responses.at(-1)?.response_type).toBe('ephemeral');
    expect(
      dms
        .dm('U0SORA')
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Scenario Trading');

    expect((await admin('PATCH', '/api/workspace', { joinPolicy: 'domains', joinDomains: [DOMAIN] })).status).toBe(200);
    const gina = google.sign({ email: `gina@${DOMAIN}`, name: 'Gina Google', sub: 'google-gina' });
    const me = await caller(rapport.app, gina)('GET', '/api/me');
    expect(me.body.member).toMatchObject({ role: 'rep', joinedVia: 'google', name: 'Gina Google' });

    const team = (await admin('GET', '/api/members')).body.items as { name: string; joinedVia: string }[];
    expect(team.map((m) => `${m.name}:${m.joinedVia}`).sort()).toEqual(
      ['Ada Admin:setup', 'Gina Google:google', 'Mia Manager:invite', 'Ren Rep:invite', 'Rui Rep:invite', '空 太郎:slack'].sort(),
    );
  });

  it("sends the manager a digest covering the reps' work", async () => {
    // Ren has a customer and an overdue follow-up; Ren and Mia use Rapport from Slack (linked by their email)
    const renToken = newApiToken();
    await t.db.callAnonymous('token_create', { email: `rep1@${DOMAIN}`, tokenHash: renToken.hash, label: 'Ren laptop' });
    ids.renToken = renToken.token;
    const asRen = as(renToken.token);
    ids.contact = (await asRen('POST', '/api/contacts', { name: 'Kaito Customer', emails: ['kaito@customer.example'] })).body.id;
    ids.followUp = (await asRen('POST', '/api/follow-ups', { contactId: ids.contact, dueAt: '2026-11-01T00:00:00Z', note: 'send the quote' })).body.id;
    for (const [user, email] of <[string, string][]>[
      ['U0MIA', `mia@${DOMAIN}`],
      ['U0REN', `rep1@${DOMAIN}`],
    ]) {
      slack.users.set(user, { id: user, email });
      await rapport.command(user, 'help');
    }
    // Ren opens the add-on too: a Google identity to refuse later
    ids.renGoogle = google.sign({ email: `rep1@${DOMAIN}`, sub: 'google-ren' });
    expect((await caller(rapport.app, ids.renGoogle)('GET', '/api/me')).status).toBe(200);

    // Mia's digest at this minute where she is (a time already passed today would wait for tomorrow)
    const asMia = caller(rapport.app, undefined, { ...service, 'x-rapport-workspace': ids.workspace, 'x-rapport-member-id': ids.manager });
    const minute = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
    for (let tries = 0; tries < 3; tries++) {
      const time = minute();
      expect((await asMia('PATCH', '/api/me/digest', { enabled: true, time, weekends: true })).status).toBe(200);
      if (minute() === time) break;
    }
    const step = await runDigestStep({
      service: serviceClient(rapport.backend),
      clientFor: () => digestClient(BOT_TOKEN),
      memberApi: (workspaceId, memberId) => scheduledMemberClient(rapport.backend, workspaceId, memberId),
      workerId: 'scenario',
      now: () => new Date(),
      publicUrl: 'https://rapport.example.com',
      logError: (e) => {
        throw e;
      },
    });
    expect(step.sent).toBeGreaterThanOrEqual(1);
    const digest = JSON.stringify(dms.dm('U0MIA'));
    expect(digest).toContain('Kaito Customer');
    expect(digest).toContain('Ren Rep');
  });

  it('deactivates a rep who left: their contacts and follow-ups move, every credential of theirs is refused, each change audited', async () => {
    const done = await admin('POST', `/api/members/${ids.rep1}/deactivate`, { reassignTo: ids.rep2 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ contacts: 1, followUps: 1, tokensRevoked: 1 });

    expect((await as(ids.renToken)('GET', '/api/me')).status).toBe(401);
    expect((await caller(rapport.app, ids.renGoogle)('GET', '/api/me')).status).toBe(401);
    slack.responses.length = 0;
    await rapport.command('U0REN', 'help');
    // not answered as a member: told how to get access, naming the admin
    expect(JSON.stringify(slack.responses)).toContain('Ada Admin');

    const asAdminContact = await admin('GET', `/api/contacts/${ids.contact}`);
    expect(asAdminContact.body.owner.id).toBe(ids.rep2);
    const followUp = await admin('GET', `/api/follow-ups?owner=rep2@${DOMAIN}`);
    expect(followUp.body.items.map((f: { id: string }) => f.id)).toContain(ids.followUp);

    const audit = await t.sql.query<{ entity_type: string; action: string; source: string }>(
      `select entity_type, action, source from crm.audit_log where workspace_id = $1 and entity_type in ('workspace', 'member', 'api_token')`,
      [ids.workspace],
    );
    const seen = audit.map((a) => `${a.entity_type}:${a.action}`);
    expect(seen.filter((a) => a === 'member:create')).toHaveLength(6); // admin, manager, two reps, the Slack and the Google joiner
    expect(seen.filter((a) => a === 'workspace:update')).toHaveLength(2);
    expect(seen).toContain('workspace:create');
    expect(seen).toContain('member:deactivate');
    expect(seen).toContain('member:link_slack');
    expect(seen).toContain('member:link_google');
    expect(audit.find((a) => a.action === 'create' && a.entity_type === 'member' && a.source === 'gmail')).toBeTruthy();
  });
});
