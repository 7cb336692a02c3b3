import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import type { Db } from '../../backend/db/port.js';
import { AUTHZ_GMAIL, fillPath, PERSON, POLICY, type Arranged, type Policy, type Request, type Role } from '../support/authz-policy.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { insertDeal } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { createTestGoogleIssuer, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Who may call what, over every route the server documents. The route list is
 * read from the app's own GET /openapi.json, so a route added tomorrow is in
 * this matrix (and fails it until test/support/authz-policy.ts says who may
 * call it). Every route is called by each caller below, and the status must be
 * the one its policy declares. auth.test.ts covers each credential's finer
 * points (revocation, Google's claims, service headers); isolation.test.ts
 * covers what another workspace's answers contain.
 */
const SERVICE_SECRET = 'authz-service-secret-'.padEnd(48, 'q');

// the documented routes, read from the app itself (no database is touched for /openapi.json)
const doc = (await (await createApp({ db: {} as Db }).request('/openapi.json')).json()) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const ROUTES = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    key: `${method} ${path}`,
    method: method.toUpperCase(),
    path,
    open: Array.isArray(op.security) && op.security.length === 0,
  })),
);

const CALLERS = ['none', 'malformed', 'not-a-jwt', 'expired', 'other', 'other-admin', 'rep', 'peer', 'manager', 'admin', 'service'] as const;
type CallerName = (typeof CALLERS)[number];
const NO_CREDENTIAL: CallerName[] = ['none', 'malformed', 'not-a-jwt', 'expired'];

/** What a policy says each caller gets; 'passes' = any answer but 401/403 (a service route, called without its body). */
function expected(policy: Policy): Record<CallerName, number | 'passes'> {
  const out = {} as Record<CallerName, number | 'passes'>;
  for (const who of CALLERS) {
    if (policy.kind === 'public') out[who] = policy.ok ?? 200;
    else if (NO_CREDENTIAL.includes(who) || policy.kind === 'inbound') out[who] = 401;
    else if (policy.kind === 'service') out[who] = who === 'service' ? 'passes' : 401;
    // another workspace's member: A's objects do not exist for them, whatever their role
    // may do (404 before 403, so a refusal never confirms that an id exists);
    // a route without an object answers as it does for a rep
    else if (who === 'other') out[who] = policy.object ? 404 : (policy.roles?.rep ?? policy.ok);
    else if (who === 'other-admin') out[who] = policy.object ? 404 : (policy.roles?.admin ?? policy.ok);
    else out[who] = policy.roles?.[who === 'service' ? 'rep' : (who as Role)] ?? policy.ok;
  }
  return out;
}

describe.each(['pglite', 'postgres'] as const)('authorization matrix on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let arranged: Arranged;
  const google = createTestGoogleIssuer();
  const headers = {} as Record<CallerName, Record<string, string>>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(google.certsHandler(), ...t.handlers);
    app = createApp({
      db: t.db,
      serviceSecret: SERVICE_SECRET,
      google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID] }),
      jobs: {
        digests: async () => ({ claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 }),
        mailboxes: async () => ({ claimed: 0, pages: 0, captured: 0, failed: 0 }),
        slackChannel: async () => ({ found: true, shared: false, name: 'alerts' }),
      },
      inbound: { address: 'log@in.example.com', secret: 'authz-inbound-secret-'.padEnd(48, 'i') },
      gmail: AUTHZ_GMAIL,
    });
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    const asRep = caller(app, a.rep.token);
    const contact = (await asRep('POST', '/api/contacts', { name: 'Authz Person', emails: [PERSON], tags: ['t'] })).body.id;
    const interaction = (
      await asRep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-20T00:00:00Z',
        subject: 's',
        source: 'gmail',
        externalId: '<authz-a@customer.example>',
        participants: [{ role: 'from', email: PERSON }],
      })
    ).body.id;
    const followUp = (await asRep('POST', '/api/follow-ups', { contactId: contact, dueAt: '2026-11-01T00:00:00Z' })).body.id;
    const segment = (await asRep('POST', '/api/segments', { name: 'Authz segment', filter: { tag: 't' } })).body.id;
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ('T0AUTHZ', $1)`, [a.id]);
    // B's own Slack team: its admin may add a channel rule there as A's admin may in A's
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ('T0AUTHZB', $1)`, [b.id]);
    // a deal of A's rep, made with SQL (the deal routes are another part of issue 18)
    const deal = await insertDeal(t.sql, a.id, { owner: a.rep.id, createdBy: a.rep.id, amount: 1000, currency: 'USD', contacts: [contact] });
    // a waiting-for-reply alert to the rep about the email (issue 19)
    const [alert] = await t.sql.query<{ id: string }>(
      `insert into crm.alerts (workspace_id, kind, member_id, stream, dedupe_key, due_at, interaction_id, contact_id)
       values ($1, 'waiting_reply', $2::uuid, 'dm:' || $2::text || ':waiting_reply', 'authz', now(), $3, $4) returning id::text`,
      [a.id, a.rep.id, interaction, contact],
    );
    arranged = { a, asRep, asAdmin: caller(app, a.admin.token), ids: { contact, interaction, followUp, segment, deal }, alert: alert!.id };
    const now = Math.floor(Date.now() / 1000);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    Object.assign(headers, {
      none: {},
      malformed: { authorization: 'Bearer rpt_ this is not a token' },
      'not-a-jwt': bearer('eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl'),
      expired: bearer(google.sign({ email: a.rep.email, iat: now - 7200, exp: now - 3600 })),
      other: bearer(b.rep.token),
      'other-admin': bearer(b.admin.token),
      rep: bearer(a.rep.token),
      peer: bearer(a.rep2.token),
      manager: bearer(a.manager.token),
      admin: bearer(a.admin.token),
      service: { authorization: `Rapport-Service ${SERVICE_SECRET}`, 'x-rapport-workspace': a.id, 'x-rapport-member-email': a.rep.email },
    });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('reads a non-trivial route list from GET /openapi.json, and has a policy for each route', () => {
    expect(ROUTES.length).toBeGreaterThan(50);
    expect(ROUTES.filter((r) => !POLICY[r.key]).map((r) => r.key)).toEqual([]);
    expect(Object.keys(POLICY).filter((k) => !ROUTES.some((r) => r.key === k))).toEqual([]);
    // what the document says about credentials agrees with the policy
    expect(ROUTES.filter((r) => r.open !== (POLICY[r.key]?.kind === 'public')).map((r) => r.key)).toEqual([]);
  });

  it.each(ROUTES.map((r) => [r.key, r] as const))('%s answers each caller as its policy says', async (_key, route) => {
    const policy = POLICY[route.key];
    const got = {} as Record<CallerName, number | 'passes'>;
    const codes: string[] = [];
    for (const who of CALLERS) {
      // a route without a policy is still checked for the callers with no valid credential
      const request: Request =
        policy && policy.kind !== 'service' && policy.kind !== 'inbound' ? await policy.request(arranged) : [route.method, fillPath(route.path)];
      if (!policy && !NO_CREDENTIAL.includes(who)) continue;
      const [method, path, body] = request;
      const res = await caller(app, undefined, headers[who])(method, path, body);
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      const serviceOk = policy?.kind === 'service' && who === 'service' && res.status !== 401 && res.status !== 403;
      got[who] = serviceOk ? 'passes' : res.status;
      if (res.status === 401 || res.status === 403 || res.status === 404) codes.push(`${who}:${res.body?.error?.code}`);
    }
    if (!policy) {
      expect(Object.fromEntries(NO_CREDENTIAL.map((w) => [w, got[w]]))).toEqual(Object.fromEntries(NO_CREDENTIAL.map((w) => [w, route.open ? 200 : 401])));
      throw new Error(`${route.key} has no policy in test/support/authz-policy.ts`);
    }
    expect({ route: route.key, ...got }, codes.join(' ')).toEqual({ route: route.key, ...expected(policy) });
    // a refusal is an error body with a code, never an empty page
    expect(codes.filter((c) => c.endsWith(':undefined'))).toEqual([]);
  });
});
