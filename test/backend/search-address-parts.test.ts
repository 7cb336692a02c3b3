import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';

/**
 * A search of letters only reads an address's domain (crm.email_domains, then
 * the domain's addresses in name order) and only the runs of its local part
 * that are not inside its contact's name (local_rest): a piece of the others is
 * a piece of the name. These keys are kept by triggers through every write.
 */
describe.each(['pglite', 'postgres'] as const)('an address split for search on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    app = createApp({ db: t.db });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const keys = async (email: string) =>
    (
      await t.sql.query<{ domain_key: string; local_rest: string | null }>(
        `select domain_key, local_rest from crm.contact_emails where workspace_id = $1 and email_key = lower($2)`,
        [ws.id, email],
      )
    )[0];
  const domains = async (w: TestWorkspace) =>
    (await t.sql.query<{ domain: string }>(`select domain from crm.email_domains where workspace_id = $1 order by 1`, [w.id])).map((r) => r.domain);
  const names = async (q: string) =>
    ((await caller(app, ws.rep.token)('GET', `/api/contacts?q=${encodeURIComponent(q)}`)).body.items as { name: string }[]).map((c) => c.name);

  it('keeps of a local part only the runs of letters its name does not hold, and lists the domain', async () => {
    const rep = caller(app, ws.rep.token);
    const made = await rep('POST', '/api/contacts', {
      name: 'John Smith',
      emails: ['J.Smith@Acme-Tools.example', 'jsmith@acme-tools.example', 'john.smith+crm@smith-family.example'],
    });
    expect(made.status).toBe(201);
    expect(await keys('j.smith@acme-tools.example')).toEqual({ domain_key: 'acme-tools.example', local_rest: null });
    expect(await keys('jsmith@acme-tools.example')).toEqual({ domain_key: 'acme-tools.example', local_rest: 'jsmith' });
    expect(await keys('john.smith+crm@smith-family.example')).toEqual({ domain_key: 'smith-family.example', local_rest: 'crm' });
    // an accent the address leaves out is not the name's letter
    expect((await rep('POST', '/api/contacts', { name: 'Zoë Müller', emails: ['zoe.muller@example.org'] })).status).toBe(201);
    expect(await keys('zoe.muller@example.org')).toEqual({ domain_key: 'example.org', local_rest: 'zoe muller' });
    expect(await domains(ws)).toEqual(['acme-tools.example', 'example.org', 'smith-family.example']);
    expect(await domains(other)).toEqual([]);

    expect(await names('acme')).toEqual(['John Smith']);
    expect(await names('family')).toEqual(['John Smith']);
    expect(await names('crm')).toEqual(['John Smith']);
    expect(await names('muller')).toEqual(['Zoë Müller']);
  });

  it('follows a rename: a run the new name no longer holds is searched in the address', async () => {
    const rep = caller(app, ws.rep.token);
    const liam = await rep('POST', '/api/contacts', { name: 'Liam Brown', emails: ['liam.brown@orchard.example'] });
    expect(liam.status).toBe(201);
    expect(await keys('liam.brown@orchard.example')).toEqual({ domain_key: 'orchard.example', local_rest: null });
    expect(await names('liam')).toEqual(['Liam Brown']);
    expect((await rep('PATCH', `/api/contacts/${liam.body.id}`, { name: 'Bill Brown' })).status).toBe(200);
    expect(await keys('liam.brown@orchard.example')).toEqual({ domain_key: 'orchard.example', local_rest: 'liam' });
    expect(await names('liam')).toEqual(['Bill Brown']);
  });

  it('drops a domain with its last address, in its workspace only', async () => {
    const rep = caller(app, ws.rep.token);
    const a = await rep('POST', '/api/contacts', { name: 'Ann Ode', emails: ['ann@lone-domain.example'] });
    const b = await rep('POST', '/api/contacts', { name: 'Ben Ode', emails: ['ben@lone-domain.example'] });
    const elsewhere = await caller(app, other.rep.token)('POST', '/api/contacts', { name: 'Cy Ode', emails: ['cy@lone-domain.example'] });
    expect([a.status, b.status, elsewhere.status]).toEqual([201, 201, 201]);
    expect(await domains(ws)).toContain('lone-domain.example');

    const erase = caller(app, ws.admin.token);
    expect((await erase('DELETE', `/api/contacts/${a.body.id}?erase=true`)).status).toBe(200);
    expect(await domains(ws)).toContain('lone-domain.example');
    expect(await names('lone')).toEqual(['Ben Ode']);
    expect((await erase('DELETE', `/api/contacts/${b.body.id}?erase=true`)).status).toBe(200);
    expect(await domains(ws)).not.toContain('lone-domain.example');
    expect(await names('lone')).toEqual([]);
    expect(await domains(other)).toEqual(['lone-domain.example']);
  });
});
