import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';

type Row = { entity_type: string; entity_id: string; action: string; actor_member_id: string | null; source: string; after: any };

/**
 * Every kind of change to a contact, an interaction, a participant or a
 * follow-up, made through the API, leaves an audit entry naming who made it
 * and through which source.
 */
describe('every change is audited with actor and source', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    ws = await makeWorkspace(t.sql, t.db);
    app = createApp({ db: t.db });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function entries(entityId: string): Promise<Row[]> {
    return t.sql.query<Row>(
      `select entity_type, entity_id, action, actor_member_id, source, after from crm.audit_log where workspace_id = $1 and entity_id = $2 order by id`,
      [ws.id, entityId],
    );
  }
  async function expectAudited(entityId: string, action: string, actor: string, source = 'api') {
    const rows = (await entries(entityId)).filter((r) => r.action === action);
    expect(rows.length, `${action} on ${entityId}`).toBeGreaterThan(0);
    expect(rows.at(-1)).toMatchObject({ actor_member_id: actor, source });
  }

  it('contacts, interactions, participants, follow-ups, merges, imports and erasure', async () => {
    const rep = caller(app, ws.rep.token);
    const gmail = caller(app, ws.rep2.token);
    const admin = caller(app, ws.admin.token);

    const a = (await rep('POST', '/api/contacts', { name: 'Audit A', emails: ['a@audit-customer.example'] })).body.id;
    await expectAudited(a, 'create', ws.rep.id);
    expect((await rep('PATCH', `/api/contacts/${a}`, { stage: 'prospect', emails: ['a@audit-customer.example', 'a2@audit-customer.example'] })).status).toBe(
      200,
    );
    await expectAudited(a, 'update', ws.rep.id);

    // a capture makes the interaction, its participants and a contact for the unknown sender
    const captured = await gmail('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-20T00:00:00Z',
      subject: 'Hi',
      source: 'gmail',
      externalId: '<audit-1@audit-customer.example>',
      participants: [
        { role: 'from', email: 'new.person@audit-customer.example', name: 'New Person' },
        { role: 'to', email: ws.rep2.email },
      ],
    });
    expect(captured.status).toBe(201);
    await expectAudited(captured.body.id, 'capture', ws.rep2.id);
    const made = captured.body.participants.find((p: { email: string }) => p.email === 'new.person@audit-customer.example').contactId;
    await expectAudited(made, 'create', ws.rep2.id);

    const f = (await rep('POST', '/api/follow-ups', { contactId: a, dueAt: '2026-12-01T00:00:00Z', note: 'call' })).body.id;
    await expectAudited(f, 'create', ws.rep.id);
    expect((await rep('PATCH', `/api/follow-ups/${f}`, { status: 'done' })).status).toBe(200);
    await expectAudited(f, 'update', ws.rep.id);

    // a merge moves participants and follow-ups: both contacts' entries say who merged
    const merged = await rep('POST', `/api/contacts/${a}/merge`, { from: [made] });
    expect([200, 201]).toContain(merged.status);
    await expectAudited(a, 'merge', ws.rep.id);
    await expectAudited(made, 'merge', ws.rep.id);
    const mergeId = merged.body.mergeId ?? merged.body.merge?.id;
    expect(typeof mergeId).toBe('string');
    expect((await rep('POST', `/api/merges/${mergeId}/undo`)).status).toBe(200);
    await expectAudited(a, 'unmerge', ws.rep.id);
    await expectAudited(made, 'unmerge', ws.rep.id);

    // an import: one entry names every contact it made
    const imported = await admin('POST', '/api/imports', {
      csv: 'Name,Email\nImp One,imp1@audit-customer.example\nImp Two,imp2@audit-customer.example\n',
    });
    expect([200, 201]).toContain(imported.status);
    await expectAudited(imported.body.importId, 'import', ws.admin.id);
    const [imp] = await entries(imported.body.importId);
    const ids = await t.sql.query<{ id: string }>(
      `select c.id from crm.contacts c join crm.contact_emails e on e.contact_id = c.id where e.email like 'imp%@audit-customer.example'`,
    );
    expect([...imp!.after.contactIds].sort()).toEqual(ids.map((r) => r.id).sort());

    // erasure
    expect((await admin('DELETE', `/api/contacts/${made}?erase=true`)).status).toBe(200);
    await expectAudited(made, 'erase', ws.admin.id);

    // and nothing in the log lacks a source; only Slack's own events (a customer editing their message) lack an actor
    const bad = await t.sql.query(
      `select * from crm.audit_log where workspace_id = $1 and (source is null or (actor_member_id is null and source <> 'slack'))`,
      [ws.id],
    );
    expect(bad).toEqual([]);
  });

  it('a Slack message edited or deleted in Slack is audited with the colleague who wrote it', async () => {
    const secret = 'x'.repeat(40);
    const slackApp = createApp({ db: t.db, serviceSecret: secret });
    const team = 'T0AUDIT1';
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [team, ws.id]);
    const rep = caller(app, ws.rep.token);
    const c = (await rep('POST', '/api/contacts', { name: 'Slack Person', emails: ['slack.person@audit-customer.example'] })).body.id;
    const msg = await rep('POST', '/api/interactions', {
      kind: 'slack',
      occurredAt: '2026-11-20T00:00:00Z',
      body: 'first',
      source: 'slack',
      externalId: `${team}:C0AUDIT1:1700000000.000100`,
      participants: [
        { role: 'author', email: ws.rep.email },
        { role: 'about', contactId: c },
      ],
    });
    expect(msg.status).toBe(201);
    const service = caller(slackApp, undefined, { authorization: `Rapport-Service ${secret}` });
    const edit = await service('POST', '/api/slack/messages/edit', {
      teamId: team,
      externalId: `${team}:C0AUDIT1:1700000000.000100`,
      body: 'second',
    });
    expect(edit.body).toMatchObject({ found: true, changed: true });
    await expectAudited(msg.body.id, 'edit', ws.rep.id, 'slack');
    expect((await service('POST', '/api/slack/messages/delete', { teamId: team, externalId: `${team}:C0AUDIT1:1700000000.000100` })).body).toEqual({
      found: true,
    });
    await expectAudited(msg.body.id, 'delete', ws.rep.id, 'slack');
  });
});
