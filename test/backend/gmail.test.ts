import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { Db } from '../../backend/db/port.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * What the Gmail add-on asks the backend, on each database adapter: the
 * sidebar of an open message (/api/gmail/context) and logging a message or a
 * whole thread (/api/gmail/log), each one database call.
 */
describe.each(ADAPTERS)('Gmail routes on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const calls: string[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    // counts the api functions each request calls: one request, one call
    const counting: Db = {
      kind: t.db.kind,
      call: (fn, ctx, args) => (calls.push(fn), t.db.call(fn, ctx, args)),
      callJson: (fn, ctx, args) => (calls.push(fn), t.db.callJson(fn, ctx, args)),
      callPage: (fn, ctx, args) => (calls.push(fn), t.db.callPage(fn, ctx, args)),
      callAnonymous: (fn, args) => t.db.callAnonymous(fn, args),
      close: () => t.db.close(),
    };
    app = createApp({ db: counting, clock: () => new Date('2026-11-24T03:00:00Z'), logError: (_ref, e) => errors.push(e) });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(errors).toEqual([]);
  });

  const as = (token: string) => caller(app, token);
  const mid = (tag = 'm') => `<${tag}-${randomUUID()}@mail.customer.example>`;
  type Addr = { email: string; name?: string };
  const message = (from: Addr, to: Addr[], over: Record<string, unknown> = {}) => ({
    messageId: mid(),
    gmailMessageId: randomUUID().slice(0, 16),
    threadId: randomUUID().slice(0, 16),
    from,
    to,
    cc: [],
    date: '2026-11-20T09:00:00+09:00',
    subject: 'Hello',
    body: 'Hi there',
    ...over,
  });
  const context = (token: string, m: { messageId: string; from: Addr; to: Addr[]; cc?: Addr[] }) =>
    as(token)('POST', '/api/gmail/context', { message: { messageId: m.messageId, from: m.from, to: m.to, cc: m.cc ?? [] } });
  const count = async (q: string, params: unknown[]) => Number((await t.sql.query<{ n: string | number }>(q, params))[0]!.n);
  const rowsWithKey = (ws: TestWorkspace, messageId: string) =>
    count(`select count(*) n from crm.interactions where workspace_id = $1 and dedupe_key = crm.dedupe_key('email', 'gmail', $2)`, [ws.id, messageId]);

  it("shows a known sender's card (company, open follow-ups, latest 5 timeline entries), found by any address in any case", async () => {
    const rep = as(ws.rep.token);
    const jane = (
      await rep('POST', '/api/contacts', {
        name: 'Jane Doe',
        emails: ['jane@acme-known.example', 'j.doe@acme-known.example'],
        company: { name: 'Acme Known', domain: 'acme-known.example' },
        stage: 'customer',
      })
    ).body;
    expect((await rep('POST', '/api/follow-ups', { contactId: jane.id, dueAt: '2026-11-30T00:00:00Z', note: 'Send the quote' })).status).toBe(201);
    const thread = Array.from({ length: 6 }, (_, i) =>
      message({ email: 'jane@acme-known.example' }, [{ email: ws.rep.email }], {
        date: `2026-11-1${i}T00:00:00Z`,
        subject: `Earlier ${i}`,
      }),
    );
    expect((await rep('POST', '/api/gmail/log', { messages: thread })).status).toBe(201);

    calls.length = 0;
    const res = await context(ws.rep.token, message({ email: 'J.Doe@ACME-known.example', name: 'Jane D.' }, [{ email: ws.rep.email }]));
    expect(res.status).toBe(200);
    expect(calls).toEqual(['gmail_context']);
    expect(res.body.me).toEqual({ id: ws.rep.id, name: ws.rep.name, email: ws.rep.email, locale: 'en', timezone: 'UTC', welcome: null });
    expect(res.body.logged).toBeNull();
    expect(res.body.more).toBe(0);
    expect(res.body.people).toHaveLength(1);
    const [p] = res.body.people;
    expect(p).toMatchObject({ email: 'j.doe@acme-known.example', name: 'Jane D.', role: 'from', suggestion: null });
    expect(p.contact).toMatchObject({
      id: jane.id,
      name: 'Jane Doe',
      stage: 'customer',
      company: { name: 'Acme Known', domain: 'acme-known.example' },
    });
    expect(p.contact.openFollowUps.map((f: { note: string }) => f.note)).toEqual(['Send the quote']);
    expect(p.contact.timeline).toHaveLength(5);
    const subjects = p.contact.timeline.filter((e: { type: string }) => e.type === 'interaction').map((e: any) => e.interaction.subject);
    expect(subjects.length).toBeGreaterThan(0);
    expect(subjects[0]).toBe('Earlier 5');
  });

  it('suggests a contact for an unknown sender, with a company named from the domain, and none for gmail.com', async () => {
    const res = await context(
      ws.rep.token,
      message({ email: 'Kenji.Sato@sales.hokuto-denki.co.jp', name: '佐藤 健二' }, [{ email: ws.rep.email }], {
        cc: [{ email: 'someone.free@gmail.com' }],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.people).toEqual([
      {
        email: 'kenji.sato@sales.hokuto-denki.co.jp',
        name: '佐藤 健二',
        role: 'from',
        contact: null,
        suggestion: { name: '佐藤 健二', companyName: 'Hokuto-denki', domain: 'sales.hokuto-denki.co.jp' },
        account: null,
      },
      {
        email: 'someone.free@gmail.com',
        name: null,
        role: 'cc',
        contact: null,
        suggestion: { name: 'someone.free', companyName: null, domain: null },
        account: null,
      },
    ]);
  });

  it('leaves out the caller, colleagues and internal-domain addresses, puts the sender first and counts past 10 in more', async () => {
    const outsiders = Array.from({ length: 12 }, (_, i) => ({ email: `person${String(i).padStart(2, '0')}@crowd-${i % 3}.example` }));
    const res = await context(ws.rep.token, {
      messageId: mid(),
      from: { email: 'boss@crowd-sender.example', name: 'The Sender' },
      to: [
        { email: ws.rep.email.toUpperCase() },
        { email: ws.rep2.email.replace('rep2', 'REP2') },
        { email: `noreply@${ws.domain}` },
        ...outsiders.slice(0, 6),
        { email: 'BOSS@crowd-sender.example' },
      ],
      cc: [{ email: ws.manager.email }, { email: `bot@mail.${ws.domain}` }, ...outsiders.slice(6), { email: outsiders[0]!.email.toUpperCase() }],
    });
    expect(res.status).toBe(200);
    expect(res.body.people.map((p: { email: string; role: string }) => `${p.role} ${p.email}`)).toEqual([
      'from boss@crowd-sender.example',
      ...outsiders.slice(0, 6).map((o) => `to ${o.email}`),
      ...outsiders.slice(6, 9).map((o) => `cc ${o.email}`),
    ]);
    expect(res.body.people[0].name).toBe('The Sender');
    expect(res.body.more).toBe(3);
  });

  it('says a message is logged, and by whom, to everyone in the workspace once it is', async () => {
    const m = message({ email: 'buyer@logged-co.example' }, [{ email: ws.rep.email }]);
    expect((await context(ws.rep2.token, m)).body.logged).toBeNull();
    const logged = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: [m] });
    expect(logged.status).toBe(201);
    const res = await context(ws.rep2.token, { ...m, messageId: m.messageId.slice(1, -1).toUpperCase() });
    expect(res.body.logged).toMatchObject({
      interactionId: logged.body.items[0].interactionId,
      by: { id: ws.rep.id, name: ws.rep.name, email: ws.rep.email },
    });
    expect(Number.isNaN(Date.parse(res.body.logged.at))).toBe(false);
  });

  it('logs a message once: logging it again answers 200 with the same interaction, created false', async () => {
    const rep = as(ws.rep.token);
    const m = message({ email: 'twice@twice-co.example' }, [{ email: ws.rep.email }]);
    const first = await rep('POST', '/api/gmail/log', { messages: [m] });
    expect(first.status).toBe(201);
    expect(first.body.items).toEqual([
      {
        messageId: m.messageId,
        interactionId: expect.any(String),
        created: true,
        loggedBy: { id: ws.rep.id, name: ws.rep.name, email: ws.rep.email },
      },
    ]);
    const again = await rep('POST', '/api/gmail/log', { messages: [m] });
    expect(again.status).toBe(200);
    expect(again.body.items).toEqual([{ ...first.body.items[0], created: false }]);
    expect(await rowsWithKey(ws, m.messageId)).toBe(1);
  });

  it('makes one row when two reps log the same Message-ID from their own mailboxes at the same time', async () => {
    const messageId = mid('shared');
    const fromRep = message({ email: 'client@both-co.example' }, [{ email: ws.rep.email }, { email: ws.rep2.email }], {
      messageId,
      gmailMessageId: 'aaaa1111',
    });
    const fromRep2 = { ...fromRep, messageId: messageId.slice(1, -1), gmailMessageId: 'bbbb2222', threadId: 'bbbb2222' };
    const [a, b] = await Promise.all([
      as(ws.rep.token)('POST', '/api/gmail/log', { messages: [fromRep] }),
      as(ws.rep2.token)('POST', '/api/gmail/log', { messages: [fromRep2] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.items[0].interactionId).toBe(b.body.items[0].interactionId);
    const winner = a.status === 201 ? a : b;
    const loser = a.status === 201 ? b : a;
    expect(loser.body.items[0]).toMatchObject({ created: false, loggedBy: { id: winner.body.items[0].loggedBy.id } });
    expect(await rowsWithKey(ws, messageId)).toBe(1);
  });

  it('logs a thread of 100 messages in one request and one database call, all under one thread key', async () => {
    const root = mid('root');
    const thread = Array.from({ length: 100 }, (_, i) =>
      message(
        i % 2 ? { email: ws.rep.email } : { email: 'long.thread@thread-co.example' },
        [i % 2 ? { email: 'long.thread@thread-co.example' } : { email: ws.rep.email }],
        {
          messageId: i === 0 ? root : mid(`t${i}`),
          threadRootId: root,
          date: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString(),
          subject: `Re: thread ${i}`,
        },
      ),
    );
    calls.length = 0;
    const res = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: thread });
    expect(res.status).toBe(201);
    expect(calls).toEqual(['gmail_log']);
    expect(res.body.items.map((i: { messageId: string }) => i.messageId)).toEqual(thread.map((m) => m.messageId));
    expect(res.body.items.every((i: { created: boolean }) => i.created)).toBe(true);
    const key = `email-thread:${root.slice(1, -1).toLowerCase()}`;
    expect(await count(`select count(*) n from crm.interactions where workspace_id = $1 and thread_key = $2`, [ws.id, key])).toBe(100);
    const dirs = await t.sql.query<{ direction: string; n: string | number }>(
      `select direction, count(*) n from crm.interactions where workspace_id = $1 and thread_key = $2 group by 1 order by 1`,
      [ws.id, key],
    );
    expect(dirs.map((d) => `${d.direction} ${Number(d.n)}`)).toEqual(['inbound 50', 'outbound 50']);
  });

  it('stores a Japanese email verbatim, with its sender named as written and its attachments on a last line', async () => {
    const subject = '【ご相談】来期ライセンス更新のお見積りについて';
    const body = '山田様\n\nいつもお世話になっております。\n来期の更新について、添付の通りご確認ください。\n\nよろしくお願いいたします。';
    const m = message({ email: 'taro.yamada@sakura-trading.co.jp', name: '山田 太郎' }, [{ email: ws.rep.email, name: 'レン' }], {
      subject,
      body,
    });
    const plain = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: [m] });
    expect(plain.status).toBe(201);
    const stored = (await as(ws.rep.token)('GET', `/api/interactions/${plain.body.items[0].interactionId}`)).body;
    expect(stored).toMatchObject({ kind: 'email', source: 'gmail', direction: 'inbound', subject, body });
    expect(Date.parse(stored.occurredAt)).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(stored.participants.map((p: { role: string; name: string }) => `${p.role} ${p.name}`)).toEqual(['from 山田 太郎', 'to レン']);
    const contact = (await as(ws.rep.token)('GET', '/api/contacts/lookup?email=taro.yamada@sakura-trading.co.jp')).body;
    expect(contact.name).toBe('山田 太郎');

    const withFiles = message(m.from, m.to, { subject, body, attachments: ['見積書.pdf', 'spec.xlsx'] });
    const res = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: [withFiles] });
    const storedFiles = (await as(ws.rep.token)('GET', `/api/interactions/${res.body.items[0].interactionId}`)).body;
    expect(storedFiles.body).toBe(`${body}\n📎 見積書.pdf, spec.xlsx`);
  });

  it("stores all 30 cc's of an email as participants", async () => {
    const cc = Array.from({ length: 30 }, (_, i) => ({ email: `cc${i}@many-cc.example`, name: `CC ${i}` }));
    const res = await as(ws.rep.token)('POST', '/api/gmail/log', {
      messages: [message({ email: ws.rep.email }, [{ email: 'to@many-cc.example' }], { cc })],
    });
    expect(res.status).toBe(201);
    const id = res.body.items[0].interactionId;
    expect(await count(`select count(*) n from crm.interaction_participants where interaction_id = $1 and role = 'cc'`, [id])).toBe(30);
    const stored = (await as(ws.rep.token)('GET', `/api/interactions/${id}`)).body;
    expect(stored.direction).toBe('outbound');
    expect(stored.participants.filter((p: { role: string }) => p.role === 'cc').map((p: { name: string }) => p.name)).toEqual(cc.map((c) => c.name));
  });

  it('files an email among colleagues only as internal, and shows nobody in its context', async () => {
    const m = message({ email: ws.rep2.email, name: 'Rae' }, [{ email: ws.rep.email }], { cc: [{ email: ws.manager.email }] });
    const res = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: [m] });
    const stored = (await as(ws.rep.token)('GET', `/api/interactions/${res.body.items[0].interactionId}`)).body;
    expect(stored.direction).toBe('internal');
    expect((await context(ws.rep.token, m)).body).toMatchObject({ people: [], more: 0 });
  });

  it("keeps another rep's private interaction out of the context's timeline (their manager still sees it)", async () => {
    const rep = as(ws.rep.token);
    const dana = (await rep('POST', '/api/contacts', { name: 'Dana Private', emails: ['dana@private-co.example'] })).body;
    const secret = await as(ws.rep2.token)('POST', '/api/interactions', {
      kind: 'email',
      source: 'gmail',
      externalId: mid('private'),
      occurredAt: '2026-11-22T00:00:00Z',
      subject: 'Private terms',
      visibility: 'private',
      participants: [{ role: 'from', email: 'dana@private-co.example' }],
    });
    expect(secret.status).toBe(201);
    const m = message({ email: 'dana@private-co.example' }, [{ email: ws.rep.email }]);
    const subjects = async (token: string) =>
      (await context(token, m)).body.people[0].contact.timeline.filter((e: any) => e.type === 'interaction').map((e: any) => e.interaction.subject);
    expect((await context(ws.rep.token, m)).body.people[0].contact.id).toBe(dana.id);
    expect(await subjects(ws.rep.token)).not.toContain('Private terms');
    expect(await subjects(ws.manager.token)).toContain('Private terms');
    // and a private email logged by another rep is not shown as logged
    expect((await context(ws.rep.token, { ...m, messageId: secret.body.externalId })).body.logged).toBeNull();
  });

  const valid = () => message({ email: 'valid@valid-co.example' }, [{ email: ws.rep.email }]);
  it.each([
    ['101 messages', () => ({ messages: Array.from({ length: 101 }, valid) }), 'messages'],
    ['no messages', () => ({ messages: [] }), 'messages'],
    ['a bad email', () => ({ messages: [valid(), { ...valid(), cc: [{ email: 'not-an-email' }] }] }), 'messages.1.cc.0.email'],
    ['a missing date', () => ({ messages: [{ ...valid(), date: undefined }] }), 'messages.0.date'],
    ['an empty Message-ID', () => ({ messages: [{ ...valid(), messageId: '<>' }] }), 'messages.0.messageId'],
    ['an unknown field', () => ({ messages: [{ ...valid(), labels: ['INBOX'] }] }), 'messages.0.labels'],
  ])('refuses a log with %s: 400 naming the field, nothing changed', async (_label, body, field) => {
    const before = await tableDigest(t.sql);
    const res = await as(ws.rep.token)('POST', '/api/gmail/log', body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain(field);
    expect(await tableDigest(t.sql)).toBe(before);
  });

  it('refuses a context for a message with a bad sender, naming the field', async () => {
    const res = await as(ws.rep.token)('POST', '/api/gmail/context', {
      message: { messageId: mid(), from: { email: 'nobody' }, to: [], cc: [] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('message.from.email');
  });

  it('writes nothing when message 57 of 100 fails: the batch is one transaction', async () => {
    // a fault injected into this test's own database: the interaction of message 57 is refused
    await t.sql.exec(`alter table crm.interactions add constraint test_fault check (subject is distinct from 'fault 57')`);
    try {
      const batch = Array.from({ length: 100 }, (_, i) =>
        message({ email: `sender${i}@fault-co-${i}.example` }, [{ email: ws.rep.email }], { subject: `fault ${i + 1}` }),
      );
      const before = await tableDigest(t.sql);
      const res = await as(ws.rep.token)('POST', '/api/gmail/log', { messages: batch });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_value');
      expect(await tableDigest(t.sql)).toBe(before);
      expect(await rowsWithKey(ws, batch[0]!.messageId)).toBe(0);
    } finally {
      await t.sql.exec('alter table crm.interactions drop constraint test_fault');
    }
  });

  it("gives another workspace's member none of this workspace's data", async () => {
    const rep = as(ws.rep.token);
    await rep('POST', '/api/contacts', { name: 'Only In A', emails: ['only.a@isolated-co.example'] });
    const m = message({ email: 'only.a@isolated-co.example', name: 'Only' }, [{ email: ws.rep.email }, { email: other.rep.email }]);
    expect((await rep('POST', '/api/gmail/log', { messages: [m] })).status).toBe(201);
    const res = await context(other.rep.token, m);
    expect(res.status).toBe(200);
    expect(res.body.logged).toBeNull();
    expect(res.body.people.map((p: { email: string; contact: unknown }) => [p.email, p.contact])).toEqual([
      ['only.a@isolated-co.example', null],
      [ws.rep.email, null],
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Only In A');
    expect(JSON.stringify(res.body)).not.toContain(ws.id);
    // B logging the same email makes B's own copy; A's stays one row
    const logged = await as(other.rep.token)('POST', '/api/gmail/log', { messages: [m] });
    expect(logged.body.items[0]).toMatchObject({ created: true, loggedBy: { id: other.rep.id } });
    expect(await rowsWithKey(ws, m.messageId)).toBe(1);
    expect(await rowsWithKey(other, m.messageId)).toBe(1);
  });
});
