import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { type Db, DbError, toDbError } from '../../backend/db/port.js';
import { caller } from '../support/http.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';

/**
 * The batched capture path (api.interaction_capture_many) answers and stores
 * exactly what the same captures made one at a time through
 * api.interaction_capture would: the same mix is sent to two identical
 * workspaces, one by each path, and every answer and every stored row is
 * compared once ids and times are replaced by what they name.
 */
interface Fixture {
  w: TestWorkspace;
  contacts: { c1: string; c2: string; c3: string };
  slack: { rep2: string };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describe.each(['pglite', 'postgres'] as const)('batched capture on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const fixture = async (): Promise<Fixture> => {
    const w = await makeWorkspace(t.sql, t.db);
    const contact = async (name: string, email: string) => {
      const [c] = await t.sql.query<{ id: string }>(`insert into crm.contacts (workspace_id, name, owner_id, source) values ($1, $2, $3, 'api') returning id`, [
        w.id,
        name,
        w.rep.id,
      ]);
      await t.sql.query('insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, true)', [w.id, c!.id, email]);
      return c!.id;
    };
    const [r2] = await t.sql.query<{ slack_user_id: string }>('select slack_user_id from crm.members where id = $1', [w.rep2.id]);
    return {
      w,
      contacts: {
        c1: await contact('Jane Buyer', 'jane@acme.example'),
        c2: await contact('李 明', 'li.ming@kehu.example'),
        c3: await contact('Sato Hanako', 'sato@torihiki.example'),
      },
      slack: { rep2: r2!.slack_user_id },
    };
  };

  const ctxOf = (f: Fixture, memberId: string, via?: string) => ({
    workspaceId: f.w.id,
    memberId,
    source: 'gmail',
    now: '2026-12-01T00:00:00Z',
    ...(via ? { via } : {}),
  });

  const email = (id: string, from: string, to: string[], extra: object = {}) => ({
    kind: 'email',
    source: 'gmail',
    externalId: `<${id}@mail.example>`,
    occurredAt: '2026-11-20T01:00:00Z',
    subject: `About ${id}`,
    body: `Hello ${id}\n\nご確認ください`,
    threadKey: `email-thread:${id}`,
    participants: [{ role: 'from', email: from, name: from.split('@')[0] }, ...to.map((e) => ({ role: 'to', email: e }))],
    ...extra,
  });

  /** The mix: new, repeated, made-contact, private, named-contact, Slack, refused and out-of-range captures. */
  const mix = (f: Fixture) => {
    const { w, contacts } = f;
    const rep = ctxOf(f, w.rep.id);
    return [
      { ctx: rep, args: email('m1', 'jane@acme.example', [w.rep.email]) },
      { ctx: rep, args: email('m1', 'jane@acme.example', [w.rep.email]) },
      {
        ctx: rep,
        args: email('m2', w.rep.email, ['li.ming@kehu.example'], {
          participants: [
            { role: 'from', email: w.rep.email },
            { role: 'to', email: 'li.ming@kehu.example' },
            { role: 'cc', email: 'x.new@newco.example', name: 'Xavier New' },
          ],
        }),
      },
      { ctx: rep, args: email('m3', 'someone@gmail.com', [w.rep.email], { visibility: 'private' }) },
      { ctx: rep, args: email('m4', 'Jane+News@ACME.example', [w.rep.email], { occurredAt: '2026-11-25T09:30:00+09:00' }) },
      {
        ctx: rep,
        args: {
          kind: 'note',
          source: 'api',
          externalId: 'note-1',
          occurredAt: '2026-11-21T00:00:00Z',
          body: 'Call went well',
          participants: [{ role: 'about', contactId: contacts.c1 }],
        },
      },
      {
        ctx: { ...ctxOf(f, w.rep2.id), source: 'slack' },
        args: {
          kind: 'slack',
          source: 'slack',
          externalId: 'T1:C1:1700000000.000100',
          occurredAt: '2026-11-22T00:00:00Z',
          body: 'Sato asked for the quote',
          participants: [
            { role: 'author', slackUserId: f.slack.rep2 },
            { role: 'mention', email: 'sato@torihiki.example' },
          ],
        },
      },
      { ctx: rep, args: email('before', 'jane@acme.example', [w.rep.email]) },
      {
        ctx: rep,
        args: {
          kind: 'note',
          source: 'api',
          externalId: 'note-2',
          occurredAt: '2026-11-21T00:00:00Z',
          participants: [{ role: 'about', contactId: '00000000-0000-4000-8000-000000000000' }],
        },
      },
      { ctx: rep, args: email('m5', 'jane@acme.example', [w.rep.email], { occurredAt: '2026-02-30T10:00:00Z' }) },
      {
        ctx: rep,
        args: email('m6', 'jane@acme.example', [w.rep.email], { participants: [{ role: 'from', email: 'jane@acme.example', name: 'J'.repeat(301) }] }),
      },
      {
        ctx: rep,
        args: email('m7', 'li.ming@kehu.example', [w.rep.email], {
          visibility: 'subject',
          participants: [
            { role: 'from', email: 'li.ming@kehu.example' },
            { role: 'to', email: w.rep.email },
            { role: 'cc', email: 'x.new@newco.example' },
            { role: 'cc', email: 'z.new@newco.example', name: 'Zoe New' },
          ],
        }),
      },
      { ctx: ctxOf(f, w.rep2.id, 'bcc'), args: email('m8', w.rep2.email, ['sato@torihiki.example']) },
      { ctx: rep, args: email('m9', w.rep.email, [w.rep2.email]) },
      { ctx: rep, args: email('m10', 'jane@acme.example', [w.rep.email], { direction: 'outbound' }) },
      { ctx: rep, args: email('m5', 'jane@acme.example', [w.rep.email]) },
      {
        ctx: rep,
        args: email('m11', 'tanaka@kaisha.co.jp', [w.rep.email], { participants: [{ role: 'from', email: 'tanaka@kaisha.co.jp', name: '田中 太郎' }] }),
      },
      { ctx: rep, args: email('m12', 'jane@acme.example', [w.rep.email, w.rep.email]) },
    ];
  };

  /** Ids and server times replaced by what they name, so two workspaces compare. */
  const labeller = async (f: Fixture) => {
    const names = new Map<string, string>();
    for (const [k, v] of Object.entries({ rep: f.w.rep, rep2: f.w.rep2, manager: f.w.manager, admin: f.w.admin })) names.set(v.id, k);
    const rows = await t.sql.query<{ id: string; label: string }>(
      `select c.id, 'contact:' || min(e.email) as label from crm.contacts c join crm.contact_emails e on e.contact_id = c.id where c.workspace_id = $1 group by c.id
       union all select id, 'company:' || coalesce(domain, name) from crm.companies where workspace_id = $1
       union all select id, 'interaction:' || external_id from crm.interactions where workspace_id = $1
       union all select t.id, 'token:' || m.email from crm.api_tokens t join crm.members m on m.id = t.member_id where m.workspace_id = $1`,
      [f.w.id],
    );
    for (const r of rows) names.set(r.id, r.label);
    const slack = f.slack.rep2;
    return (v: unknown): unknown =>
      JSON.parse(
        JSON.stringify(v, (key, value) => (['createdAt', 'updatedAt', 'at', 'editedAt', 'captured_at', 'created_at'].includes(key) && value ? 'T' : value))
          .replace(UUID, (id) => names.get(id) ?? `unknown:${id}`)
          .replaceAll(f.w.domain, 'WS')
          .replaceAll(slack, 'SLACK-REP2'),
      );
  };

  const stored = async (f: Fixture) => {
    const label = await labeller(f);
    const q = (sql: string) => t.sql.query(sql, [f.w.id]);
    const sorted = (rows: unknown) => (rows as unknown[]).map((r) => JSON.stringify(r)).sort();
    return label({
      interactions: await q(
        `select external_id, kind, direction, occurred_at, subject, body, source, thread_key, url, visibility, author_id, dedupe_key
         from crm.interactions where workspace_id = $1 order by external_id`,
      ),
      participants: await q(
        `select i.external_id, p.role, p.address, p.slack_user_id, p.display_name, p.contact_id, p.member_id, p.occurred_at
         from crm.interaction_participants p join crm.interactions i on i.id = p.interaction_id
         where p.workspace_id = $1 order by i.external_id, p.id`,
      ),
      contacts: await q(
        `select c.name, c.stage, c.source, c.owner_id, c.created_by, c.company_id, c.last_interaction_at, array_agg(e.email order by e.email) as emails
         from crm.contacts c join crm.contact_emails e on e.contact_id = c.id where c.workspace_id = $1
         group by c.id order by min(e.email)`,
      ),
      companies: await q('select name, domain from crm.companies where workspace_id = $1 order by domain'),
      capturers: sorted(
        label(
          await q(
            `select i.external_id, c.member_id, c.via from crm.interaction_capturers c join crm.interactions i on i.id = c.interaction_id
             where c.workspace_id = $1`,
          ),
        ),
      ),
      // in no order the two paths share (entity ids differ): compared as a set
      audit: sorted(label(await q('select entity_type, action, entity_id, actor_member_id, source, after from crm.audit_log where workspace_id = $1'))),
    });
  };

  /** One capture's answer, or its error as the backend would see it. */
  const single = async (ctx: object, args: object) => {
    try {
      return await t.db.call('interaction_capture', ctx as never, args);
    } catch (e) {
      if (!(e instanceof DbError)) throw e;
      return { error: { status: e.status, key: e.key } };
    }
  };

  it('answers and stores what one capture at a time would', async () => {
    const one = await fixture();
    const many = await fixture();
    // stored before: the batch repeats it
    for (const f of [one, many]) await single(ctxOf(f, f.w.rep2.id), email('before', 'jane@acme.example', [f.w.rep.email]));

    const expected: unknown[] = [];
    for (const item of mix(one)) expected.push(await single(item.ctx, item.args));
    const res = await t.db.callAnonymous<{ results: ({ error: { code: string; message: string; detail: string | null } } | object)[] }>(
      'interaction_capture_many',
      { items: mix(many) },
    );
    const got = res.results.map((r) => {
      if (!('error' in r)) return r;
      const e = toDbError(r.error);
      return e instanceof DbError ? { error: { status: e.status, key: e.key } } : { unexpected: String(e) };
    });

    expect(got).toHaveLength(expected.length);
    const [labelOne, labelMany] = [await labeller(one), await labeller(many)];
    expect(labelMany(got)).toEqual(labelOne(expected));
    expect(await stored(many)).toEqual(await stored(one));

    // the mix does what it says: creates, repeats, refusals and the contacts made once
    const kinds = (expected as { created?: boolean; error?: { status: number } }[]).map((r) => (r.error ? r.error.status : r.created ? 201 : 200));
    expect(kinds).toEqual([201, 200, 201, 201, 201, 201, 201, 200, 404, 400, 400, 201, 201, 201, 201, 201, 201, 201]);
    const made = await t.sql.query<{ email: string }>(
      `select e.email from crm.contact_emails e join crm.contacts c on c.id = e.contact_id
       where c.workspace_id = $1 and c.source = 'gmail' order by e.email`,
      [many.w.id],
    );
    expect(made.map((r) => r.email)).toEqual(['tanaka@kaisha.co.jp', 'x.new@newco.example', 'z.new@newco.example']);
  });

  it('takes one workspace per call, and an empty batch is nothing', async () => {
    const a = await fixture();
    const b = await fixture();
    await expect(
      t.db.callAnonymous('interaction_capture_many', {
        items: [
          { ctx: ctxOf(a, a.w.rep.id), args: email('w1', 'jane@acme.example', [a.w.rep.email]) },
          { ctx: ctxOf(b, b.w.rep.id), args: email('w2', 'jane@acme.example', [b.w.rep.email]) },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, key: 'invalid_value' });
    const [n] = await t.sql.query<{ n: number }>('select count(*)::int as n from crm.interactions where workspace_id = any($1)', [[a.w.id, b.w.id]]);
    expect(n!.n).toBe(0);
    expect(await t.db.callAnonymous('interaction_capture_many', { items: [] })).toEqual({ results: [] });
  });

  it('refuses a caller who is not an active member, for the whole batch', async () => {
    const f = await fixture();
    await t.sql.query('update crm.members set active = false where id = $1', [f.w.rep2.id]);
    await expect(
      t.db.callAnonymous('interaction_capture_many', {
        items: [
          { ctx: ctxOf(f, f.w.rep.id), args: email('r1', 'jane@acme.example', [f.w.rep.email]) },
          { ctx: ctxOf(f, f.w.rep2.id), args: email('r2', 'jane@acme.example', [f.w.rep.email]) },
        ],
      }),
    ).rejects.toMatchObject({ status: 401 });
    const [n] = await t.sql.query<{ n: number }>('select count(*)::int as n from crm.interactions where workspace_id = $1', [f.w.id]);
    expect(n!.n).toBe(0);
  });

  it('POST /api/interactions sent 60 at once: the arrivals go to the database in batches, each answered as alone', async () => {
    const f = await fixture();
    // the database as it is, counting the calls that reach it
    const calls: string[] = [];
    const db: Db = {
      ...t.db,
      kind: t.db.kind,
      call: (fn, ctx, args) => {
        calls.push(fn);
        return t.db.call(fn, ctx, args);
      },
      callAnonymous: (fn, args) => {
        calls.push(fn);
        return t.db.callAnonymous(fn, args);
      },
    };
    const as = caller(createApp({ db }), f.w.rep.token);
    const bodies = Array.from({ length: 60 }, (_, i) =>
      i === 13
        ? {
            kind: 'note',
            source: 'api',
            externalId: 'ghost-note',
            occurredAt: '2026-11-21T00:00:00Z',
            participants: [{ role: 'about', contactId: '00000000-0000-4000-8000-000000000000' }],
          }
        : email(`h${i % 50}`, 'jane@acme.example', [f.w.rep.email]),
    );
    const answers = await Promise.all(bodies.map((b) => as('POST', '/api/interactions', b)));
    const statuses = answers.map((a) => a.status);
    expect(statuses[13]).toBe(404);
    expect(answers[13]!.body.error.code).toBe('contact_not_found');
    // h0..h49 once each (the 13th was the note): 49 created, and the ten resent answered 200 with the same interaction
    expect(statuses.filter((s) => s === 201)).toHaveLength(49);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    for (let i = 50; i < 60; i++) expect(answers[i]!.body.id).toBe(answers[i - 50]!.body.id);
    const [n] = await t.sql.query<{ n: number }>("select count(*)::int as n from crm.interactions where workspace_id = $1 and kind = 'email'", [f.w.id]);
    expect(n!.n).toBe(49);
    const captures = calls.filter((c) => c.startsWith('interaction_capture'));
    expect(captures.filter((c) => c === 'interaction_capture_many').length).toBeGreaterThan(0);
    expect(captures.length).toBeLessThan(30);
  });
});
