import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { SqlRunner } from '../../backend/db/migrate.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';

const NAME = 'Zelda Quixote-Erasme';
const EMAIL = 'zelda.q@erase-customer.example';
const ALT = 'z.alt@erase-customer.example';
const PHONE = '+81 90-1234-5678';

/**
 * Every text, text[] and jsonb column of every crm table, from the catalogue:
 * the rows of ws (or of no workspace) in which any needle appears, any case.
 */
async function findEverywhere(sql: SqlRunner, needles: string[]): Promise<string[]> {
  const cols = await sql.query<{ t: string; c: string; ws: boolean }>(
    `select c.table_name as t, c.column_name as c,
       exists (select 1 from information_schema.columns w where w.table_schema = 'crm' and w.table_name = c.table_name and w.column_name = 'workspace_id') as ws
     from information_schema.columns c join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
     where c.table_schema = 'crm' and tb.table_type = 'BASE TABLE' and (c.data_type in ('text', 'jsonb', 'character varying') or c.udt_name = '_text')
     order by 1, 2`,
  );
  expect(cols.length).toBeGreaterThan(30);
  const found: string[] = [];
  for (const { t, c } of cols) {
    for (const needle of needles) {
      const rows = await sql.query<{ n: number }>(`select count(*)::int as n from crm.${t} where strpos(lower(${c}::text), lower($1)) > 0`, [needle]);
      if (rows[0]!.n > 0) found.push(`${t}.${c} holds ${needle}`);
    }
  }
  return found;
}

describe.each(['pglite', 'postgres'] as const)('a person exported and erased on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  const id = { zelda: '', alt: '', other: '', onlyHers: '', shared: '', note: '', fuHers: '', fuOther: '' };

  beforeAll(async () => {
    t = await openTestDb(kind);
    ws = await makeWorkspace(t.sql, t.db);
    app = createApp({ db: t.db });
    const rep = caller(app, ws.rep.token);
    id.zelda = (await rep('POST', '/api/contacts', { name: NAME, emails: [EMAIL], phone: PHONE, custom: { note: `met ${NAME}` } })).body.id;
    id.alt = (await rep('POST', '/api/contacts', { name: 'Z. Alt', emails: [ALT] })).body.id;
    expect((await rep('POST', `/api/contacts/${id.zelda}/merge`, { from: [id.alt] })).status).toBe(200);
    id.other = (await rep('POST', '/api/contacts', { name: 'Olga Other', emails: ['olga@erase-customer.example'] })).body.id;
    expect((await rep('PATCH', `/api/contacts/${id.zelda}`, { title: 'Buyer' })).status).toBe(200);
    id.onlyHers = (
      await rep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-20T00:00:00Z',
        subject: `Quote for ${NAME}`,
        body: `Call me on ${PHONE}. ${EMAIL}`,
        source: 'gmail',
        externalId: '<only-hers@erase-customer.example>',
        participants: [
          { role: 'from', email: EMAIL, name: NAME },
          { role: 'to', email: ws.rep.email },
        ],
      })
    ).body.id;
    id.shared = (
      await rep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-21T00:00:00Z',
        subject: 'Intro',
        body: `Olga here, copying ${NAME} <${ALT}>.`,
        source: 'gmail',
        externalId: '<shared@erase-customer.example>',
        participants: [
          { role: 'from', email: 'olga@erase-customer.example' },
          { role: 'cc', email: ALT, name: NAME },
          { role: 'to', email: ws.rep.email },
        ],
      })
    ).body.id;
    id.note = (
      await rep('POST', '/api/interactions', {
        kind: 'note',
        occurredAt: '2026-11-22T00:00:00Z',
        body: `${NAME} prefers calls`,
        source: 'manual',
        externalId: 'note-1',
        visibility: 'private',
        participants: [{ role: 'about', contactId: id.zelda }],
      })
    ).body.id;
    id.fuHers = (await rep('POST', '/api/follow-ups', { contactId: id.zelda, dueAt: '2026-12-01T00:00:00Z', note: `ring ${NAME}` })).body.id;
    id.fuOther = (await rep('POST', '/api/follow-ups', { contactId: id.other, dueAt: '2026-12-01T00:00:00Z', sourceInteractionId: id.onlyHers })).body.id;
    await t.sql.query(
      `insert into crm.duplicate_dismissals (workspace_id, contact_a, contact_b) values ($1, least($2::uuid, $3::uuid), greatest($2::uuid, $3::uuid))`,
      [ws.id, id.zelda, id.other],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an admin exports everything about the person; nobody else may', async () => {
    expect((await caller(app, ws.rep.token)('GET', `/api/contacts/${id.zelda}/export`)).status).toBe(403);
    const res = await caller(app, ws.admin.token, { 'accept-language': 'zh' })('GET', `/api/contacts/${id.zelda}/export`);
    expect(res.status).toBe(200);
    const x = res.body;
    expect(x.contact).toMatchObject({ id: id.zelda, name: NAME, phone: PHONE });
    expect(x.contact.emails.sort()).toEqual([ALT, EMAIL].sort());
    expect(x.contact.company).toMatchObject({ domain: 'erase-customer.example' });
    expect(x.mergedContacts.map((c: { id: string }) => c.id)).toEqual([id.alt]);
    // the private note is the rep's: the admin sees it too
    expect(x.interactions.map((i: { id: string }) => i.id).sort()).toEqual([id.onlyHers, id.shared, id.note].sort());
    expect(x.followUps.map((f: { id: string }) => f.id)).toEqual([id.fuHers]);
    const actions = x.audit.map((a: { entityType: string; action: string }) => `${a.entityType}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining(['contact:create', 'contact:update', 'contact:merge', 'follow_up:create']));
    // what the rep did, and this export, naming the admin who made it (the one exception to the visibility rule is audited)
    const [exported, ...others] = [...x.audit].sort(
      (p: { entityType: string }, q: { entityType: string }) => Number(q.entityType === 'contact_export') - Number(p.entityType === 'contact_export'),
    );
    expect(exported).toMatchObject({ entityType: 'contact_export', action: 'export', entityId: id.zelda, actor: { id: ws.admin.id } });
    expect(others.every((a: { actor: { id: string } | null; source: string }) => a.actor?.id === ws.rep.id && a.source === 'api')).toBe(true);
    expect((await caller(app, ws.admin.token)('GET', `/api/contacts/00000000-0000-4000-8000-000000000000/export`)).status).toBe(404);
  });

  it('erasing needs an admin and ?erase=true', async () => {
    const rep = await caller(app, ws.manager.token, { 'accept-language': 'ja' })('DELETE', `/api/contacts/${id.zelda}?erase=true`);
    expect(rep.status).toBe(403);
    expect(rep.body.error.code).toBe('contact_erase_forbidden');
    const noFlag = await caller(app, ws.admin.token)('DELETE', `/api/contacts/${id.zelda}`);
    expect(noFlag.status).toBe(400);
    expect(noFlag.body.error.code).toBe('contact_erase_confirm');
  });

  it('after erasure nothing about the person remains, and the erasure is audited without their data', async () => {
    expect(await findEverywhere(t.sql, [NAME, EMAIL, ALT, PHONE])).not.toEqual([]);
    const res = await caller(app, ws.admin.token)('DELETE', `/api/contacts/${id.zelda}?erase=true`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      erased: true,
      id: id.zelda,
      contacts: 2,
      interactionsDeleted: 2,
      interactionsRedacted: 1,
      followUps: 1,
    });
    expect(await findEverywhere(t.sql, [NAME, EMAIL, ALT, PHONE])).toEqual([]);

    const admin = caller(app, ws.admin.token);
    expect((await admin('GET', `/api/contacts/${id.zelda}`)).status).toBe(404);
    expect((await admin('GET', `/api/contacts/${id.alt}`)).status).toBe(404);
    expect((await admin('GET', `/api/interactions/${id.onlyHers}`)).status).toBe(404);
    expect((await admin('GET', `/api/interactions/${id.note}`)).status).toBe(404);
    // Olga's email stays hers, without the person
    const shared = (await admin('GET', `/api/interactions/${id.shared}`)).body;
    expect(shared.body).toBe('Olga here, copying [erased] <[erased]>.');
    expect(shared.participants.map((p: { email: string }) => p.email)).toEqual(['olga@erase-customer.example', ws.rep.email]);
    const other = await t.sql.query<{ source_interaction_id: string | null }>(`select source_interaction_id from crm.follow_ups where id = $1`, [id.fuOther]);
    expect(other).toEqual([{ source_interaction_id: null }]);
    for (const cid of [id.zelda, id.alt]) {
      const n = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.interaction_participants where contact_id = $1`, [cid]);
      expect(n[0]!.n).toBe(0);
    }

    const entries = await t.sql.query<{ actor_member_id: string; source: string; action: string; after: unknown }>(
      `select actor_member_id, source, action, after from crm.audit_log where entity_id = $1 order by id`,
      [id.zelda],
    );
    const erase = entries.at(-1)!;
    expect(erase).toMatchObject({ actor_member_id: ws.admin.id, source: 'api', action: 'erase' });
    // the earlier entries keep who and what, not the data
    expect(entries.slice(0, -1).every((e) => e.after === null || JSON.stringify(e.after) === '{"erased":true}')).toBe(true);
    // the log is still append-only for everyone else
    await expect(t.sql.query(`update crm.audit_log set after = null where entity_id = $1`, [id.zelda])).rejects.toThrow(/audit_append_only/);
  });
});
