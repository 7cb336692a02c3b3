import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Companies as accounts (issue 18): several domains per company, search
 * (Latin, CJK, legal forms), the account card, the account timeline (each
 * interaction once, private ones only for their team), create and patch
 * (audited), on each database adapter. Duplicates and merges:
 * company-merge.test.ts.
 */
describe.each(ADAPTERS)('companies as accounts on %s', (kind) => {
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
  let n = 0;
  const email = async (
    ws: TestWorkspace,
    from: string,
    opts: { cc?: string[]; at?: string; visibility?: string; by?: string; subject?: string; body?: string } = {},
  ) => {
    n += 1;
    const res = await as(opts.by ?? ws.rep.token)('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: opts.at ?? new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
      subject: opts.subject ?? `Mail ${n}`,
      body: opts.body ?? `Body ${n}`,
      source: 'gmail',
      direction: 'inbound',
      externalId: `<m${n}-${ws.id.slice(0, 8)}@customer.example>`,
      ...(opts.visibility ? { visibility: opts.visibility } : {}),
      participants: [{ role: 'from', email: from }, { role: 'to', email: ws.rep.email }, ...(opts.cc ?? []).map((e) => ({ role: 'cc', email: e }))],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('files a contact under the company holding any of its domains, unless a person set another company', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const made = await rep('POST', '/api/companies', { name: 'Acme Corp', domains: ['acme-m.example', 'acme-m.co.jp'], industry: 'Robots' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ name: 'Acme Corp', domain: 'acme-m.example', domains: ['acme-m.example', 'acme-m.co.jp'], industry: 'Robots' });

    const jp = await rep('POST', '/api/contacts', { name: 'Taro', emails: ['taro@acme-m.co.jp'] });
    expect(jp.body.company).toEqual({ id: made.body.id, name: 'Acme Corp', domain: 'acme-m.example' });
    // captured mail from an unknown sender at the second domain: the same company
    await email(ws, 'new.person@acme-m.co.jp');
    const [row] = await t.sql.query<{ company_id: string }>(
      `select c.company_id from crm.contacts c join crm.contact_emails e on e.contact_id = c.id where e.workspace_id = $1 and e.email = $2`,
      [ws.id, 'new.person@acme-m.co.jp'],
    );
    expect(row?.company_id).toBe(made.body.id);
    // set by a person: kept
    const other = await rep('POST', '/api/contacts', { name: 'Hana', emails: ['hana@acme-m.co.jp'], company: { name: 'Hana Consulting' } });
    expect(other.body.company.name).toBe('Hana Consulting');

    // a domain another company holds is refused, naming it; one no one holds is added
    const second = await rep('POST', '/api/companies', { name: 'Globex' });
    const taken = await rep('PATCH', `/api/companies/${second.body.id}`, { domains: ['acme-m.co.jp'] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('company_domain_taken');
    expect(taken.body.error.message).toContain('Acme Corp');
    const moved = await rep('PATCH', `/api/companies/${made.body.id}`, { domains: ['acme-m.co.jp', 'acme-m.cn'] });
    expect(moved.body).toMatchObject({ domain: 'acme-m.co.jp', domains: ['acme-m.co.jp', 'acme-m.cn'] });
    const cn = await rep('POST', '/api/contacts', { name: 'Wei', emails: ['wei@acme-m.cn'] });
    expect(cn.body.company.id).toBe(made.body.id);
    // the dropped domain makes its own company again
    const dropped = await rep('POST', '/api/contacts', { name: 'Ann', emails: ['ann@acme-m.example'] });
    expect(dropped.body.company.id).not.toBe(made.body.id);
  });

  it('searches by name, by a name with its legal form, by any domain, and by one or two CJK characters, in pages', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    for (const c of [
      { name: 'ACME Corporation', domains: ['acme-s.example', 'acme-s.de'] },
      { name: 'Acme Robotics', domains: ['robo-s.example'] },
      { name: '株式会社サクラ製作所', domains: ['sakura-s.co.jp'] },
      { name: '北京科技有限公司' },
      { name: 'Globex' },
    ]) {
      expect((await rep('POST', '/api/companies', c)).status).toBe(201);
    }
    const names = async (q: string) => ((await rep('GET', `/api/companies?q=${encodeURIComponent(q)}`)).body.items as { name: string }[]).map((c) => c.name);
    expect(await names('acme')).toEqual(['ACME Corporation', 'Acme Robotics']);
    expect(await names('Acme Inc.')).toEqual(['ACME Corporation', 'Acme Robotics']);
    expect(await names('ＡＣＭＥ')).toEqual(['ACME Corporation', 'Acme Robotics']);
    expect(await names('acme-s.de')).toEqual(['ACME Corporation']);
    expect(await names('製作')).toEqual(['株式会社サクラ製作所']);
    expect(await names('サ')).toEqual(['株式会社サクラ製作所']);
    expect(await names('北京')).toEqual(['北京科技有限公司']);
    expect(await names('科')).toEqual(['北京科技有限公司']);
    expect(await names('initech')).toEqual([]);

    const first = await rep('GET', '/api/companies?limit=2');
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['ACME Corporation', 'Acme Robotics']);
    const next = await rep('GET', `/api/companies?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body.items.map((c: { name: string }) => c.name)).toEqual(['Globex', '北京科技有限公司']);
    // another workspace's companies are never found
    const other = await makeWorkspace(t.sql, t.db);
    expect((await as(other.rep.token)('GET', '/api/companies?q=acme')).body.items).toEqual([]);
  });

  it('shows the account card: people by recent contact, open follow-ups, open deals with totals, last interaction', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const co = (
      await rep('POST', '/api/companies', {
        name: 'Initech',
        domains: ['initech-c.example'],
        size: '51-200',
        ownerEmail: ws.rep2.email,
        tags: ['key'],
        custom: { tier: 'gold' },
      })
    ).body;
    const peter = (await rep('POST', '/api/contacts', { name: 'Peter', emails: ['peter@initech-c.example'] })).body;
    const bill = (await rep('POST', '/api/contacts', { name: 'Bill', emails: ['bill@initech-c.example'] })).body;
    await rep('POST', '/api/contacts', { name: 'Milton', emails: ['milton@initech-c.example'] });
    await email(ws, 'peter@initech-c.example', { at: '2026-11-01T00:00:00Z' });
    await email(ws, 'bill@initech-c.example', { at: '2026-11-05T00:00:00Z', subject: 'TPS reports' });
    await rep('POST', '/api/follow-ups', { contactId: peter.id, dueAt: '2026-12-01T00:00:00Z' });
    const stage = (await t.sql.query<{ key: string }>(`select key from crm.pipeline_stages where workspace_id = $1 order by position limit 1`, [ws.id]))[0]!
      .key;
    await t.sql.query(
      `insert into crm.deals (workspace_id, name, company_id, amount, currency, stage) values
        ($1, 'Printers', $2, 150000, 'USD', $3), ($1, 'Staplers', $2, 2500, 'USD', $3), ($1, 'Tokyo office', $2, 1200000, 'JPY', $3)`,
      [ws.id, co.id, stage],
    );
    await t.sql.query(
      `insert into crm.deals (workspace_id, name, company_id, amount, currency, stage, status, closed_at) values ($1, 'Old', $2, 1, 'USD', $3, 'won', now())`,
      [ws.id, co.id, stage],
    );

    const card = await rep('GET', `/api/companies/${co.id}`);
    expect(card.status, JSON.stringify(card.body)).toBe(200);
    expect(card.body).toMatchObject({ name: 'Initech', size: '51-200', owner: { email: ws.rep2.email }, tags: ['key'], custom: { tier: 'gold' } });
    expect(card.body.people.map((p: { name: string }) => p.name)).toEqual(['Bill', 'Peter', 'Milton']);
    expect(card.body.people[0]).toMatchObject({ id: bill.id, email: 'bill@initech-c.example' });
    expect(card.body.peopleCount).toBe(3);
    expect(card.body.openDeals.map((d: { name: string }) => d.name).sort()).toEqual(['Printers', 'Staplers', 'Tokyo office']);
    expect(card.body.openDealsCount).toBe(3);
    expect(card.body.openDealTotals).toEqual([
      { currency: 'JPY', amount: 1200000, count: 1 },
      { currency: 'USD', amount: 152500, count: 2 },
    ]);
    expect(card.body.openFollowUps.map((f: { contact: { name: string } }) => f.contact.name)).toEqual(['Peter']);
    expect(card.body.lastInteraction.interaction.subject).toBe('TPS reports');
  });

  it('gives one timeline across its people: each interaction once, newest first, paged, private only for the team', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const co = (await rep('POST', '/api/companies', { name: 'Umbrella', domains: ['umbrella-t.example'] })).body;
    await rep('POST', '/api/contacts', { name: 'Ada', emails: ['ada@umbrella-t.example'] });
    await rep('POST', '/api/contacts', { name: 'Bo', emails: ['bo@umbrella-t.example'] });
    await rep('POST', '/api/contacts', { name: 'Outsider', emails: ['x@elsewhere-t.example'] });
    const both = await email(ws, 'ada@umbrella-t.example', { cc: ['bo@umbrella-t.example'], at: '2026-11-03T00:00:00Z' });
    const ada = await email(ws, 'ada@umbrella-t.example', { at: '2026-11-02T00:00:00Z' });
    const bo = await email(ws, 'bo@umbrella-t.example', { at: '2026-11-01T00:00:00Z' });
    await email(ws, 'x@elsewhere-t.example', { at: '2026-11-04T00:00:00Z' });
    const secret = await email(ws, 'bo@umbrella-t.example', { at: '2026-11-05T00:00:00Z', visibility: 'private', subject: 'Secret' });
    const hushed = await email(ws, 'ada@umbrella-t.example', { at: '2026-11-06T00:00:00Z', visibility: 'subject', body: 'the hushed body' });

    const ids = async (token: string) => {
      const page = await as(token)('GET', `/api/companies/${co.id}/timeline`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return page.body.items as { type: string; interaction: { id: string; snippet: string } }[];
    };
    // the author and their manager see the private one; the other rep does not
    expect((await ids(ws.rep.token)).map((e) => e.interaction.id)).toEqual([hushed, secret, both, ada, bo]);
    expect((await ids(ws.manager.token)).map((e) => e.interaction.id)).toEqual([hushed, secret, both, ada, bo]);
    const rep2 = await ids(ws.rep2.token);
    expect(rep2.map((e) => e.interaction.id)).toEqual([hushed, both, ada, bo]);
    expect(rep2[0]!.interaction.snippet).toBe('');
    expect((await ids(ws.rep.token))[0]!.interaction.snippet).toBe('the hushed body');

    // pages of two, each interaction once across them
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { interaction: { id: string } }[]; nextCursor: string | null } } = await rep(
        'GET',
        `/api/companies/${co.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((e) => e.interaction.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([hushed, secret, both, ada, bo]);
  });

  it('audits create and change with actor and source, and 404s a company of another workspace', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const rep = as(ws.rep.token);
    const co = (await rep('POST', '/api/companies', { name: 'Hooli' })).body;
    const patched = await rep('PATCH', `/api/companies/${co.id}`, { industry: 'Search', size: '10001+', tags: ['big'], custom: { region: 'US' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ industry: 'Search', size: '10001+', tags: ['big'], custom: { region: 'US' } });
    const cleared = await rep('PATCH', `/api/companies/${co.id}`, { industry: null, custom: { region: null } });
    expect(cleared.body).toMatchObject({ industry: null, custom: {} });
    const audit = await t.sql.query<{ action: string; actor_member_id: string; source: string; before: unknown; after: unknown }>(
      `select action, actor_member_id, source, before, after from crm.audit_log
        where workspace_id = $1 and entity_type = 'company' and entity_id = $2 order by id`,
      [ws.id, co.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    expect(audit.every((a) => a.actor_member_id === ws.rep.id && a.source === 'api')).toBe(true);
    expect(audit[1]!.before).toMatchObject({ industry: null, size: null });
    expect(audit[1]!.after).toMatchObject({ industry: 'Search', size: '10001+' });

    const other = await makeWorkspace(t.sql, t.db);
    expect((await as(other.rep.token)('GET', `/api/companies/${co.id}`)).status).toBe(404);
    expect((await as(other.rep.token)('PATCH', `/api/companies/${co.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await as(other.rep.token)('GET', `/api/companies/${co.id}/timeline`)).status).toBe(404);
  });
});
