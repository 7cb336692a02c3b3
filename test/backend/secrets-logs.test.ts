import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../backend/app.js';
import { newApiToken } from '../../backend/auth/api-tokens.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import type { Db } from '../../backend/db/port.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { createTestGoogleIssuer, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { BOT_TOKEN, fakeSlack, SIGNING_SECRET, slackRapport, TEAM } from '../support/slack.js';

/**
 * Everything the server writes while it serves requests that carry every kind
 * of credential (API tokens, Google ID tokens, Slack's signed requests with the
 * bot token behind them, the service secret), including requests that fail
 * and one that breaks inside: none of those credentials appears in any of it.
 */
const SERVICE_SECRET = 'logs-service-secret-'.padEnd(48, 'z');

describe('secrets never reach the logs', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let network: ReturnType<typeof setupNetwork>;
  const google = createTestGoogleIssuer();
  const slack = fakeSlack();
  const captured: string[] = [];
  const restore: (() => void)[] = [];
  const secrets: Record<string, string> = {
    'Slack signing secret': SIGNING_SECRET,
    'Slack bot token': BOT_TOKEN,
    'service secret': SERVICE_SECRET,
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(google.certsHandler(), ...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? `${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    for (const level of ['log', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
      const spy = vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void captured.push(text(args)));
      restore.push(() => spy.mockRestore());
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write;
      stream.write = ((chunk: unknown) => (captured.push(String(chunk)), true)) as typeof stream.write;
      restore.push(() => void (stream.write = write));
    }
  });
  afterAll(async () => {
    for (const r of restore) r();
    network?.close();
    await t?.close();
  });

  it('writes none of the credentials it was given, on success, refusal or failure', async () => {
    const now = Math.floor(Date.now() / 1000);
    Object.assign(secrets, {
      "rep's API token": ws.rep.token,
      "admin's API token": ws.admin.token,
      'unknown API token': newApiToken().token,
      'Google ID token': google.sign({ email: ws.rep.email, sub: 'logs-sub' }),
      'expired Google ID token': google.sign({ email: ws.rep.email, iat: now - 7200, exp: now - 3600 }),
      "a stranger's Google ID token": google.sign({ email: 'stranger@customer.example', sub: 'stranger' }),
    });
    // a database that breaks on one call, as a bug would: the server logs the error (and only the error)
    const breaking: Db = {
      ...t.db,
      kind: t.db.kind,
      call: (fn, ctx, args) => (fn === 'contact_get' ? Promise.reject(new Error('boom: contact_get broke')) : t.db.call(fn, ctx, args)),
      callAnonymous: t.db.callAnonymous.bind(t.db),
      close: async () => {},
    };
    const app = createApp({
      db: breaking,
      serviceSecret: SERVICE_SECRET,
      google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID] }),
    });
    const asRep = caller(app, ws.rep.token);
    const contact = await asRep('POST', '/api/contacts', { name: 'Logan Log', emails: ['logan@customer.example'] });
    expect(contact.status).toBe(201);
    expect((await asRep('GET', `/api/contacts/${contact.body.id}`)).status).toBe(500); // the broken call
    expect((await caller(app, ws.admin.token)('GET', '/api/contacts?q=Logan')).status).toBe(200);
    expect((await caller(app, secrets['unknown API token'])('GET', '/api/me')).status).toBe(401);
    expect((await caller(app, secrets['Google ID token'])('GET', '/api/me')).status).toBe(200);
    expect((await caller(app, secrets['Google ID token'])('GET', `/api/contacts/${contact.body.id}`)).status).toBe(500);
    expect((await caller(app, secrets['expired Google ID token'])('GET', '/api/me')).status).toBe(401);
    expect((await caller(app, secrets["a stranger's Google ID token"])('GET', '/api/me')).status).toBe(403);
    const service = {
      authorization: `Rapport-Service ${SERVICE_SECRET}`,
      'x-rapport-workspace': ws.id,
      'x-rapport-member-email': ws.rep.email,
    };
    expect((await caller(app, undefined, service)('GET', '/api/me')).status).toBe(200);
    expect((await caller(app, undefined, service)('GET', `/api/contacts/${contact.body.id}`)).status).toBe(500);
    expect(
      (
        await caller(app, undefined, { authorization: `Rapport-Service ${SERVICE_SECRET}` })('POST', '/api/slack/identify', {
          teamId: TEAM,
        })
      ).status,
    ).toBeLessThan(500);
    expect((await caller(app, undefined, { ...service, authorization: `Rapport-Service ${SERVICE_SECRET}x` })('GET', '/api/me')).status).toBe(401);

    // Slack: signed requests through the Bolt app, which calls slack.com with the bot token
    const rapport = slackRapport(t, { serviceSecret: SERVICE_SECRET });
    const [{ s: repSlackId }] = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id])) as [{ s: string }];
    expect((await rapport.command(repSlackId, 'Logan')).status).toBe(200);
    expect((await rapport.command(repSlackId, 'follow-ups')).status).toBe(200);
    expect((await rapport.command('U0NOBODY', 'Logan')).status).toBe(200);
    // a forged signature is refused
    const forged = await rapport.app.request('/slack/events', {
      method: 'POST',
      body: 'command=%2Fcrm',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-signature': `v0=${SIGNING_SECRET}`,
        'x-slack-request-timestamp': String(now),
      },
    });
    expect(forged.status).toBe(401);
    expect(slack.calls.length).toBeGreaterThan(0);

    const everything = [...captured, ...rapport.errors.map((e) => (e instanceof Error ? `${e.stack}` : JSON.stringify(e)))].join('\n');
    // the capture works: the broken call was logged
    expect(everything).toContain('boom: contact_get broke');
    const leaked = Object.entries(secrets).filter(([, value]) => everything.includes(value) || everything.includes(value.slice(-24)));
    expect(leaked.map(([name]) => name)).toEqual([]);
  });
});
