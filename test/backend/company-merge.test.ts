import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Duplicate companies (issue 18): found by a name equal once legal forms and
 * width are folded, or by a subdomain; merged with everything that points at
 * them; undone. On each database adapter.
 */
describe.each(ADAPTERS)('company duplicates and merges on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, logError: (_ref, e) => errors.push(e) });
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(errors).toEqual([]);
  });

  const as = (token: string) => caller(app, token);
  const company = async (ws: TestWorkspace, body: Record<string, unknown>) => {
    const res = await as(ws.rep.token)('POST', '/api/companies', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  };
  const pairs = async (ws: TestWorkspace) => {
    const res = await as(ws.rep.token)('GET', '/api/companies/duplicates?limit=100');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as { a: { name: string }; b: { name: string }; reason: string }[]).map((p) => [p.a.name, p.b.name, p.reason]);
  };

  it.each([
    { label: 'en: Inc., Corp. and Corporation', names: ['Acme', 'ACME Inc.', 'Acme Corporation'], other: 'Acme Robotics' },
    { label: 'en: Co., Ltd. and LLC, full-width letters', names: ['Globex Co., Ltd.', 'Ｇｌｏｂｅｘ LLC'], other: 'Globe' },
    { label: 'ja: 株式会社 before or after, (株), half-width kana', names: ['株式会社サクラ', 'サクラ(株)', 'ｻｸﾗ株式会社'], other: 'サクラ製作所' },
    { label: 'zh: 有限公司, 股份有限公司, 集团', names: ['华为技术有限公司', '华为技术股份有限公司', '华为技术集团'], other: '华为' },
  ])('$label are duplicates; a different name is not', async ({ names, other }) => {
    const ws = await makeWorkspace(t.sql, t.db);
    for (const name of [...names, other]) await company(ws, { name });
    const found = await pairs(ws);
    const expected: string[][] = [];
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) expected.push([names[i]!, names[j]!, 'name']);
    expect(found.map((p) => p.join('|')).sort()).toEqual(expected.map((p) => p.join('|')).sort());
  });

  it('pairs a company at a subdomain of another company domain', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    await company(ws, { name: 'Initech', domains: ['initech-d.example'] });
    await company(ws, { name: 'Initech Japan', domains: ['jp.initech-d.example'] });
    await company(ws, { name: 'Unrelated', domains: ['initech-d.example.org'] });
    expect(await pairs(ws)).toEqual([['Initech', 'Initech Japan', 'domain']]);
  });

  it('merges contacts, deals, domains and fields into the kept company, pairs same-named contacts, and undoes it all', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const kept = await company(ws, { name: 'Acme', domains: ['acme-g.example'], tags: ['key'] });
    const gone = await company(ws, {
      name: 'ACME Inc.',
      domains: ['acme-g.co.jp'],
      industry: 'Anvils',
      size: '51-200',
      tags: ['jp'],
      custom: { region: 'APAC' },
    });
    const janeUs = (await rep('POST', '/api/contacts', { name: 'Jane Doe', emails: ['jane@acme-g.example'] })).body;
    const janeJp = (await rep('POST', '/api/contacts', { name: 'Jane Doe', emails: ['jane.doe@acme-g.co.jp'] })).body;
    expect(janeJp.company.id).toBe(gone.id);
    const stage = (await t.sql.query<{ key: string }>(`select key from crm.pipeline_stages where workspace_id = $1 order by position limit 1`, [ws.id]))[0]!
      .key;
    const [deal] = await t.sql.query<{ id: string }>(
      `insert into crm.deals (workspace_id, name, company_id, stage) values ($1, 'Anvils', $2, $3) returning id`,
      [ws.id, gone.id, stage],
    );
    // not duplicate contacts while at two companies
    const contactPairs = async () =>
      ((await rep('GET', '/api/duplicates?limit=100')).body.items as { a: { id: string }; b: { id: string } }[]).map((p) => [p.a.id, p.b.id]);
    expect(await contactPairs()).toEqual([]);

    const merged = await rep('POST', `/api/companies/${kept.id}/merge`, { from: [gone.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.company).toMatchObject({
      id: kept.id,
      name: 'Acme',
      domain: 'acme-g.example',
      domains: ['acme-g.example', 'acme-g.co.jp'],
      industry: 'Anvils',
      size: '51-200',
      tags: ['key', 'jp'],
      custom: { region: 'APAC' },
      peopleCount: 2,
    });
    expect(merged.body.company.openDeals.map((d: { id: string }) => d.id)).toEqual([deal!.id]);
    expect((await rep('GET', `/api/companies/${gone.id}`)).body.mergedIntoId).toBe(kept.id);
    expect(await pairs(ws)).toEqual([]);
    // the two Janes now share a company: a duplicate pair
    expect(await contactPairs()).toEqual([[janeUs.id, janeJp.id]]);
    // a new person at the merged company's domain joins the kept one
    expect((await rep('POST', '/api/contacts', { name: 'Ken', emails: ['ken@acme-g.co.jp'] })).body.company.id).toBe(kept.id);
    // searches find the kept company by the merged one's domain, never the merged one
    expect((await rep('GET', '/api/companies?q=acme-g.co.jp')).body.items.map((c: { id: string }) => c.id)).toEqual([kept.id]);

    // a change after the merge survives its undo
    await rep('PATCH', `/api/companies/${kept.id}`, { size: '201-500' });
    const undone = await rep('POST', `/api/companies/merges/${merged.body.merge.id}/undo`);
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.company).toMatchObject({ id: kept.id, domains: ['acme-g.example'], industry: null, size: '201-500', tags: ['key'], custom: {} });
    expect(undone.body.restored).toEqual([
      expect.objectContaining({ id: gone.id, domain: 'acme-g.co.jp', domains: ['acme-g.co.jp'], industry: 'Anvils', mergedIntoId: null }),
    ]);
    expect((await rep('GET', `/api/contacts/${janeJp.id}`)).body.company.id).toBe(gone.id);
    const [back] = await t.sql.query<{ company_id: string }>(`select company_id from crm.deals where id = $1`, [deal!.id]);
    expect(back!.company_id).toBe(gone.id);
    expect(await pairs(ws)).toEqual([['Acme', 'ACME Inc.', 'name']]);
    // Ken joined after the merge: he stays where he joined
    expect((await rep('GET', '/api/contacts?q=ken')).body.items[0].company.id).toBe(kept.id);

    const again = await rep('POST', `/api/companies/merges/${merged.body.merge.id}/undo`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('merge_already_undone');
    const audit = await t.sql.query<{ action: string }>(
      `select action from crm.audit_log where workspace_id = $1 and entity_type = 'company' and entity_id = $2 order by id`,
      [ws.id, kept.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'merge', 'update', 'unmerge']);
  });

  it('refuses merging a company into itself, a merged company, and another workspace company', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const a = await company(ws, { name: 'One' });
    const b = await company(ws, { name: 'Two' });
    expect((await rep('POST', `/api/companies/${a.id}/merge`, { from: [a.id] })).body.error.code).toBe('merge_into_itself');
    expect((await rep('POST', `/api/companies/${a.id}/merge`, { from: [b.id] })).status).toBe(200);
    const c = await company(ws, { name: 'Three' });
    expect((await rep('POST', `/api/companies/${c.id}/merge`, { from: [b.id] })).body.error.code).toBe('company_merge_merged');
    const other = await makeWorkspace(t.sql, t.db);
    const foreign = await company(other, { name: 'Foreign' });
    expect((await rep('POST', `/api/companies/${a.id}/merge`, { from: [foreign.id] })).status).toBe(404);
  });
});
