import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Capture core (issue 16): one email is one interaction however many ways it
 * arrives, and every capturing member is recorded with how (capturedBy); a
 * member's other sending addresses are theirs wherever mail is matched to a
 * member. Visibility 'subject' has its own file (subject-visibility.test.ts).
 */
const INBOUND = 'log@in.example.com';
const SECRET = 'inbound-relay-secret-'.padEnd(48, 'q');
const ALIAS = 'rep.alias@elsewhere.example';

/** A raw message with CRLF line ends. */
const raw = (headers: string[], body: string) => new TextEncoder().encode(`${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`);

const gmailMessage = (messageId: string, from: string, to: string, extra: object = {}) => ({
  messageId,
  gmailMessageId: `g-${messageId.slice(1, 12)}`,
  threadId: `t-${messageId.slice(1, 12)}`,
  from: { email: from },
  to: [{ email: to }],
  cc: [],
  date: '2026-11-20T01:00:00Z',
  subject: `About ${messageId}`,
  body: 'Hello there',
  ...extra,
});

describe.each(['pglite', 'postgres'] as const)('capture core on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let address = '';

  const mime = (message: Uint8Array) =>
    app.request('/inbound/mime', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-rapport-recipient': address, authorization: `Bearer ${SECRET}` },
      body: message,
    });
  const ctx = (memberId: string, via?: string) => ({
    workspaceId: a.id,
    memberId,
    source: 'gmail' as const,
    now: new Date().toISOString(),
    ...(via ? { via } : {}),
  });
  const capturers = async (id: string) =>
    (
      await t.sql.query<{ member_id: string; via: string }>(
        'select member_id, via from crm.interaction_capturers where interaction_id = $1 order by captured_at, member_id, via',
        [id],
      )
    ).map((r) => `${r.member_id === a.rep.id ? 'rep' : r.member_id === a.rep2.id ? 'rep2' : r.member_id}:${r.via}`);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, inbound: { address: INBOUND, secret: SECRET } });
    a = await makeWorkspace(t.sql, t.db);
    address = (await caller(app, a.rep.token)('GET', '/api/me/capture')).body.address;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('records each member who captured an email and how: BCC, then the add-on by another member, then sync', async () => {
    const messageId = '<three-ways@customer.example>';
    const bcc = await mime(
      raw(
        [`From: ${a.rep.email}`, 'To: three.ways@customer.example', 'Subject: Three ways', `Message-ID: ${messageId}`, 'Date: Fri, 20 Nov 2026 10:00:00 +0900'],
        'Hi',
      ),
    );
    expect(bcc.status).toBe(200);
    const { interactionId, created } = (await bcc.json()) as { interactionId: string; created: boolean };
    expect(created).toBe(true);

    const logged = await caller(app, a.rep2.token)('POST', '/api/gmail/log', {
      messages: [gmailMessage(messageId, a.rep.email, 'three.ways@customer.example')],
    });
    expect(logged.status).toBe(200);
    expect(logged.body.items[0]).toMatchObject({ interactionId, created: false });
    // a repeat by the same member the same way adds nothing
    await caller(app, a.rep2.token)('POST', '/api/gmail/log', { messages: [gmailMessage(messageId, a.rep.email, 'three.ways@customer.example')] });

    // the lead's sync calls api.gmail_log from SQL with via 'sync' and a visibility per message
    const synced = await t.db.call<{ items: { interactionId: string; created: boolean }[] }>('gmail_log', ctx(a.rep.id, 'sync'), {
      messages: [{ ...gmailMessage(messageId, a.rep.email, 'three.ways@customer.example'), visibility: 'private' }],
    });
    expect(synced.items[0]).toMatchObject({ interactionId, created: false });

    expect(await capturers(interactionId)).toEqual(['rep:bcc', 'rep2:addon', 'rep:sync']);
    const rows = await t.sql.query<{ n: string | number; visibility: string; author_id: string }>(
      `select count(*) over () as n, visibility, author_id from crm.interactions where workspace_id = $1 and dedupe_key = 'email:three-ways@customer.example'`,
      [a.id],
    );
    // the first capture made it; the later ones changed nothing but their record
    expect(rows.map((r) => [Number(r.n), r.visibility, r.author_id])).toEqual([[1, 'workspace', a.rep.id]]);

    const got = await caller(app, a.manager.token)('GET', `/api/interactions/${interactionId}`);
    expect(got.status).toBe(200);
    expect(got.body.capturedBy.map((c: { member: { id: string }; via: string }) => [c.member.id, c.via])).toEqual([
      [a.rep.id, 'bcc'],
      [a.rep2.id, 'addon'],
      [a.rep.id, 'sync'],
    ]);
    expect(got.body.capturedBy[0].member).toEqual({ id: a.rep.id, name: expect.any(String), email: a.rep.email });
  });

  it('a sync capture of new mail keeps its visibility and says so: created, with the interaction id', async () => {
    const r = await t.db.call<{ items: { interactionId: string; created: boolean }[] }>('gmail_log', ctx(a.rep.id, 'sync'), {
      messages: [
        { ...gmailMessage('<sync-subject@customer.example>', 'sync.sender@customer.example', a.rep.email), visibility: 'subject' },
        { ...gmailMessage('<sync-private@customer.example>', 'sync.sender@customer.example', a.rep.email), visibility: 'private' },
      ],
    });
    expect(r.items.map((x) => x.created)).toEqual([true, true]);
    const rows = await t.sql.query<{ visibility: string }>('select visibility from crm.interactions where id = any($1::uuid[]) order by visibility', [
      r.items.map((x) => x.interactionId),
    ]);
    expect(rows.map((x) => x.visibility)).toEqual(['private', 'subject']);
    expect(await capturers(r.items[0]!.interactionId)).toEqual(['rep:sync']);
    await expect(
      t.db.call('gmail_log', ctx(a.rep.id, 'sync'), {
        messages: [{ ...gmailMessage('<bad-vis@customer.example>', a.rep.email, 'x@customer.example'), visibility: 'team' }],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('two members capturing one Message-ID at once make one interaction and two capture records', async () => {
    const messageId = '<at-once@customer.example>';
    const msg = gmailMessage(messageId, 'at.once@customer.example', a.rep.email);
    const [one, two] = await Promise.all([
      caller(app, a.rep.token)('POST', '/api/gmail/log', { messages: [msg] }),
      caller(app, a.rep2.token)('POST', '/api/gmail/log', { messages: [msg] }),
    ]);
    expect([one.body.items[0].created, two.body.items[0].created].sort()).toEqual([false, true]);
    const id = one.body.items[0].interactionId;
    expect(two.body.items[0].interactionId).toBe(id);
    expect((await capturers(id)).sort()).toEqual(['rep2:addon', 'rep:addon']);
  });

  it('POST /api/interactions records the API as the way, and a repeat by another member adds their record only', async () => {
    const body = {
      kind: 'call',
      occurredAt: '2026-11-20T03:00:00Z',
      subject: 'Call with the buyer',
      source: 'api',
      externalId: 'call-core-1',
      participants: [{ role: 'to', email: 'buyer.core@customer.example' }],
    };
    const made = await caller(app, a.rep.token)('POST', '/api/interactions', body);
    expect(made.status).toBe(201);
    expect(made.body.capturedBy.map((c: { via: string }) => c.via)).toEqual(['api']);
    const again = await caller(app, a.rep2.token)('POST', '/api/interactions', { ...body, subject: 'changed' });
    expect(again.status).toBe(200);
    expect(again.body.subject).toBe('Call with the buyer');
    expect(await capturers(made.body.id)).toEqual(['rep:api', 'rep2:api']);
  });

  it("an admin sets a member's other addresses; they are in the member JSON, lower-cased, and no other member's", async () => {
    const asAdmin = caller(app, a.admin.token);
    const set = await asAdmin('PATCH', `/api/members/${a.rep.id}`, { addresses: ['Rep.Alias@Elsewhere.example', 'rep.second@elsewhere.example'] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.addresses).toEqual([ALIAS, 'rep.second@elsewhere.example']);
    // exactly these: one dropped
    const reset = await asAdmin('PATCH', `/api/members/${a.rep.id}`, { addresses: [ALIAS] });
    expect(reset.body.addresses).toEqual([ALIAS]);
    expect((await asAdmin('GET', '/api/members')).body.items.find((m: { id: string }) => m.id === a.rep.id).addresses).toEqual([ALIAS]);

    // another member's address, primary or other, is refused
    const taken = await asAdmin('PATCH', `/api/members/${a.rep2.id}`, { addresses: [ALIAS.toUpperCase()] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('member_address_taken');
    expect((await asAdmin('PATCH', `/api/members/${a.rep2.id}`, { addresses: [a.rep.email] })).status).toBe(409);
    // a rep may not set addresses, even their own
    expect((await caller(app, a.rep.token)('PATCH', `/api/members/${a.rep.id}`, { addresses: ['mine@elsewhere.example'] })).status).toBe(403);

    // the helper sync uses: true when added, false when already theirs
    const add = async (email: string) =>
      (await t.sql.query<{ added: boolean }>('select crm.member_address_add($1, $2, $3) as added', [a.id, a.rep.id, email]))[0]!.added;
    expect(await add('rep.gmail@elsewhere.example')).toBe(true);
    expect(await add('REP.GMAIL@elsewhere.example')).toBe(false);
    expect(await add(a.rep.email)).toBe(false);
    await t.sql.query('select crm.member_address_add($1, $2, $3)', [a.id, a.rep.id, ALIAS]);
    await expect(t.sql.query('select crm.member_address_add($1, $2, $3)', [a.id, a.rep2.id, ALIAS])).rejects.toThrow();
  });

  it("mail from a member's other address is theirs: outbound, matched to them, never a contact", async () => {
    const made = await caller(app, a.rep2.token)('POST', '/api/gmail/log', {
      messages: [gmailMessage('<from-alias@elsewhere.example>', ALIAS, 'alias.customer@customer.example')],
    });
    expect(made.status).toBe(201);
    const id = made.body.items[0].interactionId;
    const got = (await caller(app, a.rep.token)('GET', `/api/interactions/${id}`)).body;
    expect(got.direction).toBe('outbound');
    expect(got.participants.find((p: { role: string }) => p.role === 'from')).toMatchObject({ email: ALIAS, memberId: a.rep.id, contactId: null });
    const contacts = await t.sql.query('select 1 from crm.contact_emails where workspace_id = $1 and lower(email) = $2', [a.id, ALIAS]);
    expect(contacts).toEqual([]);
  });

  it('the capture address accepts a BCC from the member’s other address, and still refuses a stranger', async () => {
    const ok = await mime(
      raw(
        [
          `From: ${ALIAS}`,
          'To: alias.bcc@customer.example',
          'Subject: From my alias',
          'Message-ID: <alias-bcc@elsewhere.example>',
          'Date: Fri, 20 Nov 2026 10:00:00 +0900',
        ],
        'Hi',
      ),
    );
    expect(ok.status).toBe(200);
    const { interactionId } = (await ok.json()) as { interactionId: string };
    expect(await capturers(interactionId)).toEqual(['rep:bcc']);
    const refused = await mime(
      raw(['From: stranger@elsewhere.example', 'To: x@customer.example', 'Subject: Not me', 'Message-ID: <stranger@elsewhere.example>'], 'Hi'),
    );
    expect(refused.status).toBe(403);
  });

  it('the Gmail sidebar does not offer a colleague’s other address as a person', async () => {
    const res = await caller(app, a.rep2.token)('POST', '/api/gmail/context', {
      message: { messageId: '<sidebar-alias@elsewhere.example>', from: { email: ALIAS }, to: [{ email: 'sidebar.person@customer.example' }], cc: [] },
    });
    expect(res.status).toBe(200);
    expect(res.body.people.map((p: { email: string }) => p.email)).toEqual(['sidebar.person@customer.example']);
  });

  it('a deactivated capturer stays in capturedBy, and their other addresses no longer make mail theirs', async () => {
    const messageId = '<before-leaving@customer.example>';
    const logged = await caller(app, a.rep2.token)('POST', '/api/gmail/log', { messages: [gmailMessage(messageId, 'leaving@customer.example', a.rep2.email)] });
    const id = logged.body.items[0].interactionId;
    await caller(app, a.admin.token)('PATCH', `/api/members/${a.rep2.id}`, { addresses: ['rep2.alias@elsewhere.example'] });
    const off = await caller(app, a.admin.token)('POST', `/api/members/${a.rep2.id}/deactivate`, { reassignTo: a.rep.id });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const got = await caller(app, a.manager.token)('GET', `/api/interactions/${id}`);
    expect(got.body.capturedBy.map((c: { member: { id: string } }) => c.member.id)).toEqual([a.rep2.id]);
    const later = await caller(app, a.rep.token)('POST', '/api/gmail/log', {
      messages: [gmailMessage('<after-leaving@elsewhere.example>', 'rep2.alias@elsewhere.example', 'after@customer.example')],
    });
    const after = (await caller(app, a.rep.token)('GET', `/api/interactions/${later.body.items[0].interactionId}`)).body;
    expect(after.participants.find((p: { role: string }) => p.role === 'from').memberId).toBeNull();
  });
});
