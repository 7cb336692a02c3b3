import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { createGoogleIdTokenVerifier } from '../../backend/auth/google-id-token.js';
import { DbError, toDbError } from '../../backend/db/port.js';
import { csvCell, unescapeCell } from '../../backend/imports/csv.js';
import { createSlackBolt } from '../../slack-app/app.js';
import { slackRoutes } from '../../slack-app/routes.js';
import { signSlackRequest } from '../../slack-app/signature.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { createTestGoogleIssuer, TEST_CLIENT_ID } from '../support/google-tokens.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { noDb } from '../support/no-db.js';

/**
 * What an outside security review found (December 2026), each as the attacker or
 * the unlucky colleague would meet it, on both databases. The Slack surfaces
 * are in test/slack-app/public-posts.test.ts, the per-person rate limit in
 * rate-limit.test.ts, the import's limits in imports-large.test.ts.
 */
const SERVICE_SECRET = 's'.repeat(40);
const STRANGER = 'stranger@newco-7a1.example';

describe.each(['pglite', 'postgres'] as const)('the security review, on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  const google = createTestGoogleIssuer();
  let network: ReturnType<typeof setupNetwork>;
  let asRep: ReturnType<typeof caller>;
  let asRep2: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(google.certsHandler());
    app = createApp({
      db: t.db,
      serviceSecret: SERVICE_SECRET,
      google: createGoogleIdTokenVerifier({ clientIds: [TEST_CLIENT_ID] }),
    });
    ws = await makeWorkspace(t.sql, t.db);
    asRep = caller(app, ws.rep.token);
    asRep2 = caller(app, ws.rep2.token);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const privateEmail = (externalId: string, from: string) =>
    asRep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-20T09:00:00Z',
      subject: 'Confidential pricing',
      body: 'between us',
      source: 'gmail',
      externalId,
      visibility: 'private',
      participants: [
        { role: 'from', email: from, name: 'Sam Stranger' },
        { role: 'to', email: ws.rep.email },
      ],
    });

  describe('5. a private email creates nothing another member can see, and nothing they read points at it', () => {
    let secretId: string;

    it('an unknown sender on a private capture makes no contact and no company', async () => {
      const res = await privateEmail(`<priv-${kind}@newco-7a1.example>`, STRANGER);
      expect(res.status).toBe(201);
      secretId = res.body.id;
      expect((await asRep2('GET', `/api/contacts/lookup?email=${STRANGER}`)).status).toBe(404);
      expect((await asRep2('GET', '/api/contacts?q=Stranger')).body.items).toEqual([]);
      expect(await t.sql.query(`select id from crm.companies where workspace_id = $1 and domain = 'newco-7a1.example'`, [ws.id])).toEqual([]);
      // the address is kept on the interaction, for its author
      const [p] = await t.sql.query<{ address: string; contact_id: string | null }>(
        `select address, contact_id from crm.interaction_participants where interaction_id = $1 and role = 'from'`,
        [secretId],
      );
      expect(p).toEqual({ address: STRANGER, contact_id: null });
    });

    it('once a workspace-visible email names them, the contact exists, and its author finds the private one in its timeline', async () => {
      const open = await asRep2('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-21T09:00:00Z',
        subject: 'Hello',
        source: 'gmail',
        externalId: `<open-${kind}@newco-7a1.example>`,
        participants: [
          { role: 'from', email: STRANGER, name: 'Sam Stranger' },
          { role: 'to', email: ws.rep2.email },
        ],
      });
      expect(open.status).toBe(201);
      const contact = (await asRep2('GET', `/api/contacts/lookup?email=${STRANGER}`)).body;
      const mine = (await asRep('GET', `/api/contacts/${contact.id}/timeline`)).body.items;
      expect(mine.filter((e: any) => e.type === 'interaction').map((e: any) => e.interaction.id)).toContain(secretId);
      const theirs = (await asRep2('GET', `/api/contacts/${contact.id}/timeline`)).body;
      expect(JSON.stringify(theirs)).not.toContain(secretId);
      expect(JSON.stringify(theirs)).not.toContain('Confidential');
    });

    it('a change entry and a follow-up pointing at a private interaction read as pointing nowhere to whoever may not see it', async () => {
      // as captures wrote it before this fix: a contact made from a private email, its create entry naming the email
      const legacy = await privateEmail(`<legacy-${kind}@customer.example>`, `legacy-${kind}@customer.example`);
      const contactId = (await asRep('POST', '/api/contacts', { name: `Legacy ${kind}`, emails: [`legacy2-${kind}@customer.example`] })).body.id;
      await t.sql.query(
        `insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, after)
         values ($1, $2, 'gmail', 'contact', $3, 'create', jsonb_build_object('name', 'Legacy', 'fromInteractionId', $4::text))`,
        [ws.id, ws.rep.id, contactId, legacy.body.id],
      );
      const followUp = await asRep('POST', '/api/follow-ups', {
        contactId,
        dueAt: '2026-12-10T00:00:00Z',
        note: 'reply',
        sourceInteractionId: legacy.body.id,
      });
      expect(followUp.status).toBe(201);
      expect(followUp.body.sourceInteractionId).toBe(legacy.body.id);

      const seen = (body: unknown) => JSON.stringify(body).includes(legacy.body.id);
      for (const path of [`/api/contacts/${contactId}`, `/api/contacts/${contactId}/timeline`]) {
        expect([path, seen((await asRep('GET', path)).body)]).toEqual([path, true]);
        expect([path, seen((await asRep2('GET', path)).body)]).toEqual([path, false]);
        // the author's manager sees what the author sees
        expect([path, seen((await caller(app, ws.manager.token)('GET', path)).body)]).toEqual([path, true]);
      }
      // the follow-up itself is still there for the other rep, without the reference
      const timeline = (await asRep2('GET', `/api/contacts/${contactId}/timeline`)).body.items;
      expect(timeline.find((e: any) => e.type === 'follow_up').followUp).toMatchObject({ note: 'reply', sourceInteractionId: null });
    });
  });

  describe("10. no existence oracle on a follow-up's source", () => {
    it("another rep's private interaction is answered like an id that does not exist", async () => {
      const secret = await privateEmail(`<oracle-${kind}@customer.example>`, `oracle-${kind}@customer.example`);
      const contactId = (await asRep2('POST', '/api/contacts', { name: `Oracle ${kind}`, emails: [`oracle2-${kind}@customer.example`] })).body.id;
      const unknown = '00000000-0000-4000-8000-000000000001';
      const hidden = await asRep2('POST', '/api/follow-ups', {
        contactId,
        dueAt: '2026-12-10T00:00:00Z',
        sourceInteractionId: secret.body.id,
      });
      const missing = await asRep2('POST', '/api/follow-ups', { contactId, dueAt: '2026-12-10T00:00:00Z', sourceInteractionId: unknown });
      expect(hidden.status).toBe(404);
      expect(missing.status).toBe(404);
      const shape = (b: any, id: string) => ({ code: b.error.code, message: b.error.message.replace(id, '<id>') });
      expect(shape(hidden.body, secret.body.id)).toEqual(shape(missing.body, unknown));
      expect(await t.sql.query(`select id from crm.follow_ups where contact_id = $1`, [contactId])).toEqual([]);
      // its author (and their manager) may still make one from it
      expect(
        (
          await caller(app, ws.manager.token)('POST', '/api/follow-ups', {
            contactId,
            dueAt: '2026-12-10T00:00:00Z',
            sourceInteractionId: secret.body.id,
          })
        ).status,
      ).toBe(201);
    });
  });

  describe('6. the person export is the one admin-only exception, and says who used it', () => {
    it('gives an admin everything, private interactions included, and writes an audit entry naming them', async () => {
      const secret = await privateEmail(`<export-${kind}@customer.example>`, `export-${kind}@customer.example`);
      const contactId = (await asRep('POST', '/api/contacts', { name: `Export ${kind}`, emails: [`export-${kind}@customer.example`] })).body.id;
      expect((await asRep('GET', `/api/contacts/${contactId}/export`)).status).toBe(403);
      const out = await caller(app, ws.admin.token)('GET', `/api/contacts/${contactId}/export`);
      expect(out.status).toBe(200);
      expect(out.body.interactions.map((i: any) => i.id)).toContain(secret.body.id);
      const entries = await t.sql.query<{ actor_member_id: string; action: string; after: any }>(
        `select actor_member_id, action, after from crm.audit_log where entity_type = 'contact_export' and entity_id = $1`,
        [contactId],
      );
      expect(entries).toEqual([
        {
          actor_member_id: ws.admin.id,
          action: 'export',
          after: expect.objectContaining({ contactId, interactions: 1, privateInteractions: 1 }),
        },
      ]);
      // the export lists its own audit entry; the contact's timeline does not show it as a change
      expect(out.body.audit.map((a: any) => a.entityType)).toContain('contact_export');
      const timeline = (await caller(app, ws.admin.token)('GET', `/api/contacts/${contactId}/timeline`)).body.items;
      expect(timeline.filter((e: any) => e.type === 'change').map((e: any) => e.change.action)).toEqual(['create']);
    });
  });

  describe('8. a crafted cursor, or any value the database cannot take, is a 400', () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

    it('refuses a timeline cursor whose time zone offset is out of range, and other forged cursors, with 400', async () => {
      const contactId = (await asRep('POST', '/api/contacts', { name: `Cursor ${kind}` })).body.id;
      const forged = [
        { at: '2026-11-20T00:00:00+99:99', key: `i:${contactId}` },
        { at: '2026-11-20T00:00:00+15:00', key: `i:${contactId}` },
        { at: '0000-01-01T00:00:00Z', key: `i:${contactId}` },
        { at: 'Tue, 01 Jan 2030 00:00:00 +9999', key: `i:${contactId}` },
        { at: '2026-11-20T00:00:00Z', key: 'i:not-an-id' },
        { at: '2026-11-20T00:00:00Z', key: `i:${contactId}`, extra: 1 },
      ];
      for (const c of forged) {
        const res = await asRep('GET', `/api/contacts/${contactId}/timeline?cursor=${cursor(c)}`);
        expect([c, res.status, res.body.error.code]).toEqual([c, 400, 'invalid_cursor']);
      }
      const good = await asRep('GET', `/api/contacts/${contactId}/timeline?cursor=${cursor({ at: '2026-11-20T00:00:00.123+09:00', key: `i:${contactId}` })}`);
      expect(good.status).toBe(200);
    });

    it('answers a data exception from the database (class 22) as 400, whichever value caused it', async () => {
      const ctx = { workspaceId: ws.id, memberId: ws.rep.id, source: 'api' as const, now: new Date().toISOString() };
      const contactId = (await asRep('POST', '/api/contacts', { name: `Class22 ${kind}` })).body.id;
      const err = (await t.db
        .call('contact_timeline', ctx, { id: contactId, cursor: { at: '2026-11-20T00:00:00+99:99', key: 'i:x' } })
        .catch((e: unknown) => e)) as DbError;
      expect(err).toBeInstanceOf(DbError);
      expect([err.status, err.key]).toEqual([400, 'invalid_value']);
      for (const code of ['22009', '22P02', '22008', '2201B', '22012']) {
        const mapped = toDbError({ code, message: 'x' });
        expect([code, mapped instanceof DbError && mapped.status]).toEqual([code, 400]);
      }
    });
  });

  describe("9. a second Google account with a member's email is refused once one is linked", () => {
    const token = (sub: string, email: string) => google.sign({ sub, email, aud: TEST_CLIENT_ID });
    const asGoogle = (sub: string, email: string) => caller(app, token(sub, email));

    it('links the first, refuses another with 401 until an admin unlinks it; a rep may not unlink', async () => {
      const email = ws.rep2.email;
      const first = `1${kind === 'pglite' ? 1 : 2}0000000000001`;
      const second = `1${kind === 'pglite' ? 1 : 2}0000000000002`;
      expect((await asGoogle(first, email)('GET', '/api/me')).status).toBe(200);
      const refused = await asGoogle(second, email)('GET', '/api/me', undefined, { 'accept-language': 'ja' });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('google_account_mismatch');
      expect(refused.body.error.message).toContain('管理者');
      // the first keeps working
      expect((await asGoogle(first, email)('GET', '/api/me')).status).toBe(200);

      expect((await asRep('DELETE', `/api/members/${ws.rep2.id}/identities/google`)).status).toBe(403);
      const unlinked = await caller(app, ws.admin.token)('DELETE', `/api/members/${ws.rep2.id}/identities/google`);
      expect(unlinked.status).toBe(200);
      expect(unlinked.body.email).toBe(email);
      // now the new account links, and the old one is the one refused
      expect((await asGoogle(second, email)('GET', '/api/me')).status).toBe(200);
      expect((await asGoogle(first, email)('GET', '/api/me')).status).toBe(401);
      const audit = await t.sql.query<{ action: string; actor_member_id: string }>(
        `select action, actor_member_id from crm.audit_log where entity_type = 'member' and entity_id = $1 order by id`,
        [ws.rep2.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['link_google', 'unlink_google', 'link_google']);
      expect(audit[1]!.actor_member_id).toBe(ws.admin.id);
    });

    it('unlinks a Slack user the same way, for an admin only, and answers 404 for a member of no workspace of theirs', async () => {
      const [before] = await t.sql.query<{ slack_user_id: string | null }>(`select slack_user_id from crm.members where id = $1`, [ws.manager.id]);
      expect(before!.slack_user_id).not.toBeNull();
      const done = await caller(app, ws.admin.token)('DELETE', `/api/members/${ws.manager.id}/identities/slack`);
      expect(done.status).toBe(200);
      const [after] = await t.sql.query<{ slack_user_id: string | null; slack_team_id: string | null }>(
        `select slack_user_id, slack_team_id from crm.members where id = $1`,
        [ws.manager.id],
      );
      expect(after).toEqual({ slack_user_id: null, slack_team_id: null });
      expect((await caller(app, ws.admin.token)('DELETE', '/api/members/00000000-0000-4000-8000-000000000009/identities/slack')).status).toBe(404);
      expect((await caller(app, ws.admin.token)('DELETE', `/api/members/${ws.manager.id}/identities/github`)).status).toBe(400);
    });
  });
});

describe('3. bodies outside /api are capped, and an unsigned Slack request is never read', () => {
  const app = createApp({ db: noDb });
  // what the Slack app mounts (its pre-read check is the part under test), and a route standing for inbound webhooks to come
  const read: { bytes: number } = { bytes: 0 };
  app.post('/hooks/echo', async (c) => {
    const text = await c.req.text();
    read.bytes = text.length;
    return c.json({ bytes: text.length });
  });

  /** a body that never ends, counting what was pulled from it */
  function endless() {
    const pulled = { bytes: 0 };
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    return { body, pulled };
  }

  it('caps inbound mail at 50 MB (an email with its attachments), reading little more than that', async () => {
    const { body, pulled } = endless();
    const withInbound = createApp({ db: noDb, inbound: { address: 'log@in.example.com', secret: 'i'.repeat(40) } });
    const res = await withInbound.request('/inbound/mime', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${'i'.repeat(40)}`, 'x-rapport-recipient': 'log+abcdefghjk@in.example.com' },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('50 MB') });
    expect(pulled.bytes).toBeLessThan(51 * 1024 * 1024);
  });

  it('caps every other route outside /api at 1 MB with a 413 naming the limit, reading little more than that', async () => {
    const { body, pulled } = endless();
    const res = await app.request('/hooks/echo', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('1 MB'),
    });
    expect(pulled.bytes).toBeLessThan(1.5 * 1024 * 1024);
    const declared = await app.request('/hooks/echo', {
      method: 'POST',
      body: 'x',
      headers: { 'content-length': String(300 * 1024 * 1024) },
    });
    expect(declared.status).toBe(413);
    const small = await app.request('/hooks/echo', { method: 'POST', body: 'hello' });
    expect(await small.json()).toEqual({ bytes: 5 });
  });

  describe('POST /slack/events', () => {
    const secret = '0123456789abcdef0123456789abcdef';
    const backend = {
      baseUrl: 'http://rapport.internal',
      serviceSecret: SERVICE_SECRET,
      fetch: (() => Promise.reject(new Error('no backend'))) as typeof fetch,
    };
    const bolt = createSlackBolt({ signingSecret: secret, botToken: 'xoxb-test', backend });
    const slackApp = createApp({ db: noDb });
    slackApp.route('/slack', slackRoutes(bolt, { signingSecret: secret, backend }).routes);
    const now = Math.floor(Date.now() / 1000);

    it.each([
      ['no timestamp or signature', {}],
      ['a timestamp six minutes old', { 'x-slack-request-timestamp': String(now - 360), 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
      ['a signature of the wrong shape', { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=zz' }],
    ])('answers 401 to %s without reading the body', async (_label, headers) => {
      const { body, pulled } = endless();
      const res = await slackApp.request('/slack/events', { method: 'POST', body, duplex: 'half', headers } as RequestInit);
      expect(res.status).toBe(401);
      // a chunk or two may be in flight in the stream's buffers; the body is not read
      expect(pulled.bytes).toBeLessThanOrEqual(4 * 64 * 1024);
    });

    it('reads a fresh, well-formed request only up to 1 MB (413), then checks the signature of a small one', async () => {
      const { body, pulled } = endless();
      const headers = {
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': `v0=${'0'.repeat(64)}`,
        'content-type': 'application/json',
      };
      const res = await slackApp.request('/slack/events', { method: 'POST', body, duplex: 'half', headers } as RequestInit);
      expect(res.status).toBe(413);
      expect(pulled.bytes).toBeLessThan(1.5 * 1024 * 1024);
      const small = '{"type":"url_verification","challenge":"c1"}';
      const forged = await slackApp.request('/slack/events', { method: 'POST', body: small, headers });
      expect(forged.status).toBe(401);
      const signed = await slackApp.request('/slack/events', {
        method: 'POST',
        body: small,
        headers: { 'content-type': 'application/json', ...signSlackRequest(secret, small, now) },
      });
      expect(await signed.json()).toEqual({ challenge: 'c1' });
    });
  });
});

describe('10. cells a spreadsheet would run are defused in the CSV export', () => {
  it.each([
    ['=1+2'],
    ['+81 3 1234'],
    ['-2'],
    ['@SUM(A1)'],
    [' =1+2'],
    ['  @x'],
    ['\u3000=1'],
    ['＝1+2'],
    ['＋1'],
    ['－1'],
    ['＠SUM(A1)'],
    [' ＝1'],
    ['\tx'],
    ['\rx'],
  ])('%j gets an apostrophe, which the import takes off again', (value) => {
    const cell = csvCell(value);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(unquoted.startsWith("'")).toBe(true);
    expect(unescapeCell(unquoted)).toBe(value);
  });

  it.each([['Acme'], ['田中 太郎'], ['a=b'], ["O'Brien"], ['1+1']])('%j stays as it is', (value) => {
    expect(csvCell(value)).toBe(value);
  });
});
