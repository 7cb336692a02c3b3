import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * Duplicates found (GET /api/duplicates), dismissed, merged and un-merged, on
 * each database adapter. Every test makes its own workspace.
 */
type NewContact = { name: string; emails?: string[]; phone?: string; company?: string };
type Case = { name: string; tz?: string; contacts: NewContact[]; pairs: [number, number, 'email' | 'phone' | 'name', number][] };

// [i, j, reason, score]: contact i (the older) and contact j are a pair; every other pair is not
const CASES: Case[] = [
  {
    name: 'en: the same address in another case and with a +tag',
    contacts: [
      { name: 'Jane Doe', emails: ['jane@acme-a.example'] },
      { name: 'Newsletter reader', emails: ['JANE+news@ACME-A.example'] },
    ],
    pairs: [[0, 1, 'email', 1]],
  },
  {
    name: 'ja: 03-1234-5678 and +81 3 1234 5678 in a Tokyo workspace',
    tz: 'Asia/Tokyo',
    contacts: [
      { name: '山田 花子', phone: '03-1234-5678' },
      { name: 'Hanako Yamada', phone: '+81 3 1234 5678' },
      { name: '山田', phone: '+81 (0)3-1234-5678' },
      { name: '別人', phone: '03-1234-5679' },
    ],
    pairs: [
      [0, 1, 'phone', 1],
      [0, 2, 'phone', 1],
      [1, 2, 'phone', 1],
    ],
  },
  {
    name: 'ja: a national number means nothing where the country is unknown (UTC)',
    contacts: [
      { name: '山田 花子', phone: '03-1234-5678' },
      { name: 'Hanako Yamada', phone: '+81 3 1234 5678' },
    ],
    pairs: [],
  },
  {
    name: 'zh: 021 and +86 21, 138… and +86 138… in a Shanghai workspace',
    tz: 'Asia/Shanghai',
    contacts: [
      { name: '王 伟', phone: '021-6123-4567' },
      { name: 'Wang Wei', phone: '+86 21 6123 4567' },
      { name: '李娜', phone: '138 0013 8000' },
      { name: 'Li Na', phone: '0086 138-0013-8000' },
    ],
    pairs: [
      [0, 1, 'phone', 1],
      [2, 3, 'phone', 1],
    ],
  },
  {
    name: 'en: (415) 555-0142 and +1 415 555 0142 in a New York workspace',
    tz: 'America/New_York',
    contacts: [
      { name: 'Kevin', phone: '(415) 555-0142' },
      { name: 'K. OBrien', phone: '+1 415-555-0142' },
    ],
    pairs: [[0, 1, 'phone', 1]],
  },
  {
    name: "en: 'Jon Smith' and 'John Smith' at the same company",
    contacts: [
      { name: 'Jon Smith', company: 'Acme' },
      { name: 'John Smith', company: 'Acme' },
      { name: 'Jane Smith', company: 'Acme' },
    ],
    pairs: [[0, 1, 'name', 0.615]],
  },
  {
    name: "en: 'Jon Smith' and 'John Smith' at different companies",
    contacts: [
      { name: 'Jon Smith', company: 'Acme' },
      { name: 'John Smith', company: 'Globex' },
    ],
    pairs: [],
  },
  {
    name: 'ja: 田中 太郎 with and without (full-width) spaces; half-width ﾀﾅｶ',
    contacts: [
      { name: '田中 太郎', company: 'サクラ製作所' },
      { name: '田中太郎', company: 'サクラ製作所' },
      { name: '田中　太郎', company: 'サクラ製作所' },
      { name: 'ﾀﾅｶ ﾀﾛｳ', company: 'サクラ製作所' },
      { name: 'タナカ タロウ', company: 'サクラ製作所' },
      { name: '田中 次郎', company: 'サクラ製作所' },
    ],
    pairs: [
      [0, 1, 'name', 1],
      [0, 2, 'name', 1],
      [1, 2, 'name', 1],
      [3, 4, 'name', 1],
    ],
  },
  {
    name: 'zh: 王 伟 and 王伟 at one company, not at another; 王伟明 is someone else',
    contacts: [
      { name: '王 伟', company: '北京科技' },
      { name: '王伟', company: '北京科技' },
      { name: '王伟', company: '上海贸易' },
      { name: '王伟明', company: '北京科技' },
    ],
    pairs: [[0, 1, 'name', 1]],
  },
  {
    name: 'different people are not paired',
    tz: 'Asia/Tokyo',
    contacts: [
      { name: 'Alice Brown', emails: ['alice@acme-d.example'], phone: '03-1111-2222', company: 'Acme' },
      { name: 'Bob Green', emails: ['bob@acme-d.example'], phone: '03-3333-4444', company: 'Acme' },
      { name: '佐藤 美咲', emails: ['misaki@sakura-d.example'], company: 'Acme' },
    ],
    pairs: [],
  },
];

describe.each(ADAPTERS)('duplicates and merges on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  const errors: unknown[] = [];
  const NOW = new Date('2026-11-24T03:00:00Z');

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, clock: () => NOW, logError: (_ref, e) => errors.push(e) });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(errors).toEqual([]);
  });

  const as = (token: string) => caller(app, token);
  const make = async (ws: TestWorkspace, c: NewContact & Record<string, unknown>) => {
    const { company, ...rest } = c;
    const res = await as(ws.rep.token)('POST', '/api/contacts', { ...rest, ...(company ? { company: { name: company } } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  };
  const workspace = async (tz?: string) => {
    const ws = await makeWorkspace(t.sql, t.db);
    if (tz) await t.sql.query(`update crm.workspaces set default_timezone = $2 where id = $1`, [ws.id, tz]);
    return ws;
  };
  const pairsOf = async (ws: TestWorkspace) => {
    const res = await as(ws.rep.token)('GET', '/api/duplicates?limit=100');
    expect(res.status).toBe(200);
    return res.body.items as { a: { id: string; name: string }; b: { id: string; name: string }; reason: string; score: number }[];
  };

  it.each(CASES)('$name', async ({ tz, contacts, pairs }) => {
    const ws = await workspace(tz);
    const made: { id: string }[] = [];
    for (const c of contacts) made.push(await make(ws, c));
    const found = (await pairsOf(ws)).map((p) => [made.findIndex((m) => m.id === p.a.id), made.findIndex((m) => m.id === p.b.id), p.reason, p.score]);
    expect(found.sort()).toEqual(pairs.map(([i, j, reason, score]) => [i, j, reason, score]).sort());
  });

  it('lists the likeliest first, each pair once with its strongest reason, and never a pair someone dismissed', async () => {
    const ws = await workspace('Asia/Tokyo');
    const jane = await make(ws, { name: 'Jane Doe', emails: ['jane@acme-l.example'], phone: '03-1234-5678', company: 'Acme' });
    const janeToo = await make(ws, { name: 'Jane Doe', emails: ['jane+crm@acme-l.example'], phone: '+81 3 1234 5678', company: 'Acme' });
    const jon = await make(ws, { name: 'Jon Smith', company: 'Acme' });
    const john = await make(ws, { name: 'John Smith', company: 'Acme' });
    let pairs = await pairsOf(ws);
    expect(pairs.map((p) => [p.a.name, p.b.name, p.reason, p.score])).toEqual([
      ['Jane Doe', 'Jane Doe', 'email', 1],
      ['Jon Smith', 'John Smith', 'name', 0.615],
    ]);
    expect(pairs[0]!.a).toMatchObject({
      id: jane.id,
      emails: ['jane@acme-l.example'],
      phone: '03-1234-5678',
      company: { name: 'Acme' },
      stage: 'lead',
    });
    expect((await as(ws.rep.token)('GET', '/api/duplicates?limit=1')).body.items).toHaveLength(1);

    const dismissed = await as(ws.rep2.token)('POST', '/api/duplicates/dismiss', { a: john.id, b: jon.id });
    expect(dismissed).toMatchObject({
      status: 200,
      body: { dismissed: true, a: { id: john.id, name: 'John Smith' }, b: { id: jon.id, name: 'Jon Smith' } },
    });
    expect((await as(ws.rep2.token)('POST', '/api/duplicates/dismiss', { a: jon.id, b: john.id })).status).toBe(200);
    pairs = await pairsOf(ws);
    expect(pairs.map((p) => [p.a.id, p.b.id])).toEqual([[jane.id, janeToo.id]]);
    // dismissed for everyone, by whom recorded
    expect(await pairsOf(ws)).toHaveLength(1);
    const rows = await t.sql.query<{ dismissed_by: string }>(`select dismissed_by from crm.duplicate_dismissals where workspace_id = $1`, [ws.id]);
    expect(rows).toEqual([{ dismissed_by: ws.rep2.id }]);

    const self = await as(ws.rep.token)('POST', '/api/duplicates/dismiss', { a: jon.id, b: jon.id });
    expect(self).toMatchObject({
      status: 400,
      body: { error: { code: 'duplicate_same_contact', message: 'Jon Smith cannot be a duplicate of itself.' } },
    });
  });

  /** A fingerprint of every row a merge of these contacts touches. */
  const affected = async (ids: string[]) =>
    (
      await t.sql.query<{ d: string; n: string | number }>(
        `select md5(string_agg(x, ',' order by x)) d, count(*) n from (
         select c::text x from crm.contacts c where id = any($1::uuid[]) union all
         select e::text from crm.contact_emails e where contact_id = any($1::uuid[]) union all
         select p::text from crm.interaction_participants p where contact_id = any($1::uuid[]) union all
         select f::text from crm.follow_ups f where contact_id = any($1::uuid[]) union all
         select l::text from crm.slack_channel_links l where contact_id = any($1::uuid[])) s`,
        [ids],
      )
    )[0]!;

  it('merges every kind of linked row into the survivor in one call, and undoes it exactly', async () => {
    const ws = await workspace();
    const rep = as(ws.rep.token);
    const team = `T${ws.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [team, ws.id]);
    const s = await make(ws, {
      name: 'Jane Doe',
      emails: ['jane@acme-m.example'],
      tags: ['vip'],
      custom: { plan: 'Pro', note: '' },
      company: 'Acme',
    });
    await rep('PATCH', `/api/contacts/${s.id}`, { ownerEmail: null });
    const l = await make(ws, {
      name: 'J. Doe',
      emails: ['jane.doe@acme-m.example', 'jd+x@acme-m.example'],
      title: 'CTO',
      phone: '+81 3 1234 5678',
      stage: 'customer',
      tags: ['renewal', 'vip'],
      custom: { plan: 'Enterprise', seats: 120, note: 'met at expo' },
      timezone: 'Asia/Tokyo',
      ownerEmail: ws.rep2.email,
    });
    const capture = (externalId: string, participants: unknown[], kindOf = 'email') =>
      rep('POST', '/api/interactions', {
        kind: kindOf,
        occurredAt: '2026-11-20T00:00:00Z',
        source: 'api',
        externalId,
        subject: externalId,
        participants,
      });
    expect(
      (
        await capture('i1', [
          { role: 'from', email: 'jane.doe@acme-m.example' },
          { role: 'to', email: ws.rep.email },
        ])
      ).status,
    ).toBe(201);
    expect(
      (
        await capture(
          'i2',
          [
            { role: 'about', contactId: s.id },
            { role: 'about', contactId: l.id },
          ],
          'note',
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await capture('i3', [
          { role: 'from', email: 'jane@acme-m.example' },
          { role: 'cc', email: 'jd+x@acme-m.example' },
        ])
      ).status,
    ).toBe(201);
    const fu = async (contactId: string, note: string) =>
      (await rep('POST', '/api/follow-ups', { contactId, dueAt: '2026-12-01T00:00:00Z', note })).body.id as string;
    const open = await fu(l.id, 'send the quote');
    const done = await fu(l.id, 'call back');
    await rep('PATCH', `/api/follow-ups/${done}`, { status: 'done' });
    await fu(s.id, 'intro');
    expect((await rep('PUT', `/api/channel-links/${team}/C0JANE`, { contactId: l.id })).status).toBe(200);

    const before = await affected([s.id, l.id]);
    const merged = await rep('POST', `/api/contacts/${s.id}/merge`, { from: [l.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const { merge, contact } = merged.body;
    expect(merge).toMatchObject({ survivorId: s.id, mergedIds: [l.id], merged: [{ id: l.id, name: 'J. Doe' }] });
    expect(Date.parse(merge.undoableUntil)).toBe(NOW.getTime() + 30 * 86_400_000);
    expect(contact).toMatchObject({
      id: s.id,
      name: 'Jane Doe',
      title: 'CTO',
      phone: '+81 3 1234 5678',
      stage: 'customer',
      timezone: 'Asia/Tokyo',
      owner: { id: ws.rep2.id },
      company: { name: 'Acme' },
      tags: ['vip', 'renewal'],
      custom: { plan: 'Pro', seats: 120, note: 'met at expo' },
      mergedIntoId: null,
    });
    expect(contact.emails).toEqual(['jane@acme-m.example', 'jane.doe@acme-m.example', 'jd+x@acme-m.example']);
    expect(contact.openFollowUps.map((f: { note: string }) => f.note).sort()).toEqual(['intro', 'send the quote']);

    // stored: everything points at the survivor, the merged contact at it too
    const on = async (table: string) =>
      (
        await t.sql.query<{ contact_id: string }>(`select distinct contact_id from crm.${table} where workspace_id = $1 and contact_id is not null`, [ws.id])
      ).map((r) => r.contact_id);
    for (const table of ['contact_emails', 'interaction_participants', 'follow_ups', 'slack_channel_links']) expect(await on(table)).toEqual([s.id]);
    const [row] = await t.sql.query<{ merged_into_id: string }>(`select merged_into_id from crm.contacts where id = $1`, [l.id]);
    expect(row!.merged_into_id).toBe(s.id);
    const audit = await t.sql.query<{ entity_id: string }>(
      `select entity_id from crm.audit_log where workspace_id = $1 and entity_type = 'contact' and action = 'merge' order by id`,
      [ws.id],
    );
    expect(audit.map((a) => a.entity_id)).toEqual([s.id, l.id]);
    // the old id resolves to the survivor; the timeline has each interaction once
    const old = await rep('GET', `/api/contacts/${l.id}`);
    expect(old.body.id).toBe(s.id);
    const tl = await rep('GET', `/api/contacts/${s.id}/timeline?limit=50`);
    expect(
      tl.body.items
        .filter((e: any) => e.type === 'interaction')
        .map((e: any) => e.interaction.subject)
        .sort(),
    ).toEqual(['i1', 'i2', 'i3']);
    expect(await pairsOf(ws)).toEqual([]);
    // capture to the merged contact's address and id lands on the survivor
    const after = await capture(
      'i4',
      [
        { role: 'from', email: 'jane.doe@acme-m.example' },
        { role: 'about', contactId: l.id },
      ],
      'note',
    );
    expect(after.body.participants.map((p: any) => p.contactId)).toEqual([s.id, s.id]);
    await t.sql.query(`delete from crm.interaction_participants where interaction_id = $1`, [after.body.id]);

    const undone = await rep('POST', `/api/merges/${merge.id}/undo`);
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.contact).toMatchObject({
      id: s.id,
      title: null,
      phone: null,
      stage: 'lead',
      tags: ['vip'],
      custom: { plan: 'Pro', note: '' },
      owner: null,
    });
    expect(undone.body.restored.map((c: any) => [c.id, c.mergedIntoId])).toEqual([[l.id, null]]);
    expect(await affected([s.id, l.id])).toEqual(before);
    expect((await rep('GET', `/api/contacts/${l.id}`)).body).toMatchObject({ id: l.id, openFollowUps: [{ id: open }] });
    const unmerge = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.audit_log where workspace_id = $1 and action = 'unmerge'`, [ws.id]);
    expect(Number(unmerge[0]!.n)).toBe(2);

    const twice = await rep('POST', `/api/merges/${merge.id}/undo`);
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'merge_already_undone' } } });
  });

  it('keeps a survivor that is not a lead at its own stage, and keeps later edits on undo', async () => {
    const ws = await workspace();
    const rep = as(ws.rep.token);
    const s = await make(ws, { name: 'Priya N', stage: 'prospect' });
    const l = await make(ws, {
      name: 'Priya Natarajan',
      stage: 'customer',
      title: 'Head of Procurement',
      emails: ['priya@globex-s.example'],
    });
    const res = await rep('POST', `/api/contacts/${s.id}/merge`, { from: [l.id] });
    expect(res.body.contact).toMatchObject({ stage: 'prospect', title: 'Head of Procurement' });
    await rep('PATCH', `/api/contacts/${s.id}`, { title: 'CPO' });
    const undone = await rep('POST', `/api/merges/${res.body.merge.id}/undo`);
    expect(undone.body.contact).toMatchObject({ stage: 'prospect', title: 'CPO', emails: [] });
    expect(undone.body.restored[0]).toMatchObject({ title: 'Head of Procurement', emails: ['priya@globex-s.example'] });
  });

  it('refuses to undo after 30 days', async () => {
    const ws = await workspace();
    const s = await make(ws, { name: 'Tom Becker' });
    const l = await make(ws, { name: 'Tom B.' });
    const res = await as(ws.rep.token)('POST', `/api/contacts/${s.id}/merge`, { from: [l.id] });
    const later = createApp({ db: t.db, clock: () => new Date(NOW.getTime() + 31 * 86_400_000) });
    const before = await tableDigest(t.sql);
    const late = await caller(later, ws.rep.token)('POST', `/api/merges/${res.body.merge.id}/undo`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('merge_undo_expired');
    expect(late.body.error.message).toMatch(/^This merge can no longer be undone: undo is possible for 30 days, until 2026-12-24/);
    expect(await tableDigest(t.sql)).toEqual(before);
  });

  it('writes nothing for a merge into itself, of a merged contact, or of another workspace’s contact', async () => {
    const ws = await workspace();
    const other = await workspace();
    const rep = as(ws.rep.token);
    const a = await make(ws, { name: 'Emily Rodriguez' });
    const b = await make(ws, { name: 'Emily R.' });
    const c = await make(ws, { name: 'E. Rodriguez' });
    const theirs = await make(other, { name: 'Emily Rodriguez' });
    expect((await rep('POST', `/api/contacts/${a.id}/merge`, { from: [b.id] })).status).toBe(200);
    const tries: [string, unknown, number, string, string?][] = [
      [
        `/api/contacts/${a.id}/merge`,
        { from: [a.id] },
        400,
        'merge_into_itself',
        'Emily Rodriguez cannot be merged into itself: leave its own id out of “from”.',
      ],
      [
        `/api/contacts/${c.id}/merge`,
        { from: [b.id] },
        400,
        'merge_contact_merged',
        'Emily R. was already merged into Emily Rodriguez. Use Emily Rodriguez instead.',
      ],
      [`/api/contacts/${b.id}/merge`, { from: [c.id] }, 400, 'merge_contact_merged'],
      [`/api/contacts/${a.id}/merge`, { from: [c.id, theirs.id] }, 404, 'contact_not_found'],
      [`/api/contacts/${theirs.id}/merge`, { from: [c.id] }, 404, 'contact_not_found'],
      [`/api/contacts/${a.id}/merge`, { from: [c.id, c.id] }, 400, 'merge_from_repeated'],
      [`/api/contacts/${a.id}/merge`, { from: [] }, 400, 'invalid_request'],
      [`/api/contacts/${a.id}/merge`, { from: Array.from({ length: 21 }, () => c.id) }, 400, 'invalid_request'],
    ];
    for (const [path, body, status, code, message] of tries) {
      const before = await tableDigest(t.sql);
      const res = await rep('POST', path, body);
      expect([path, res.status, res.body.error?.code]).toEqual([path, status, code]);
      if (message) expect(res.body.error.message).toBe(message);
      expect(await tableDigest(t.sql)).toEqual(before);
    }
    // and another workspace cannot see, dismiss or undo any of it
    const merges = await t.sql.query<{ id: string }>(`select id from crm.merges where workspace_id = $1`, [ws.id]);
    const before = await tableDigest(t.sql);
    const them = as(other.rep.token);
    expect((await them('POST', `/api/merges/${merges[0]!.id}/undo`)).status).toBe(404);
    expect((await them('POST', '/api/duplicates/dismiss', { a: a.id, b: c.id })).status).toBe(404);
    expect(JSON.stringify((await them('GET', '/api/duplicates')).body)).not.toContain(a.id);
    expect(await tableDigest(t.sql)).toEqual(before);
  });

  it('files mail from jane+x@ under Jane, and shows her likely duplicates on the Gmail card', async () => {
    const ws = await workspace('Asia/Tokyo');
    const rep = as(ws.rep.token);
    const jane = await make(ws, { name: 'Jane Doe', emails: ['jane@acme-c.example'], phone: '03-1234-5678' });
    const res = await rep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-20T00:00:00Z',
      source: 'gmail',
      externalId: '<plus@acme-c.example>',
      participants: [
        { role: 'from', email: 'Jane+X@ACME-c.example' },
        { role: 'to', email: ws.rep.email },
      ],
    });
    expect(res.body.participants[0]).toMatchObject({ email: 'jane+x@acme-c.example', contactId: jane.id });
    const n = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.contacts where workspace_id = $1`, [ws.id]);
    expect(Number(n[0]!.n)).toBe(1);

    const twin = await make(ws, { name: 'J. Doe', emails: ['jane+news@acme-c.example'] });
    const ctx = await rep('POST', '/api/gmail/context', {
      message: { messageId: '<ctx@acme-c.example>', from: { email: 'jane@acme-c.example' }, to: [{ email: ws.rep.email }], cc: [] },
    });
    expect(ctx.body.people[0].contact).toMatchObject({ id: jane.id, duplicates: [{ id: twin.id, name: 'J. Doe', reason: 'email' }] });
    const caller2 = await make(ws, { name: 'Hanako Yamada', phone: '+81 (0)3 1234 5678' });
    const withPhone = await rep('POST', '/api/gmail/context', {
      message: { messageId: '<ctx@acme-c.example>', from: { email: 'jane@acme-c.example' }, to: [], cc: [] },
    });
    expect(withPhone.body.people[0].contact.duplicates).toEqual([
      { id: twin.id, name: 'J. Doe', reason: 'email' },
      { id: caller2.id, name: 'Hanako Yamada', reason: 'phone' },
    ]);
    // the exact address wins over the plain one
    const viaTwin = await rep('POST', '/api/gmail/context', {
      message: { messageId: '<ctx2@acme-c.example>', from: { email: 'jane+news@acme-c.example' }, to: [], cc: [] },
    });
    expect(viaTwin.body.people[0].contact).toMatchObject({ id: twin.id, duplicates: [{ id: jane.id, reason: 'email' }] });
    await rep('POST', '/api/duplicates/dismiss', { a: jane.id, b: twin.id });
    const after = await rep('POST', '/api/gmail/context', {
      message: { messageId: '<ctx@acme-c.example>', from: { email: 'jane@acme-c.example' }, to: [], cc: [] },
    });
    expect(after.body.people[0].contact.duplicates).toEqual([{ id: caller2.id, name: 'Hanako Yamada', reason: 'phone' }]);
  });
});
