import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../support/fixtures.js';
import { DEALS_NOW, dealsHarness } from '../support/deals.js';

/**
 * Deals through the API: what a new deal gets by default, the fields a member
 * changes, the filters and pages of the list, every stage and status change
 * kept with who made it, and a won deal's people becoming customers.
 */
describe.each(['pglite', 'postgres'] as const)('deals on %s', (kind) => {
  const h = dealsHarness(kind);

  it('creates a deal: owner the caller, the first stage, the amount in minor units with its currency, contacts with roles', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const acme = await h.company(ws, 'Acme', 'acme.example');
    const jane = await h.contact(ws, 'Jane Buyer', { companyId: acme, email: 'jane@acme.example' });
    const rep = h.as(ws.rep.token);
    const made = await rep('POST', '/api/deals', {
      name: '  Acme renewal ',
      companyId: acme,
      amount: 1_250_000,
      currency: 'JPY',
      closeDate: '2026-12-20',
      contacts: [{ id: jane, role: 'decision_maker' }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      name: 'Acme renewal',
      company: { id: acme, name: 'Acme' },
      owner: { id: ws.rep.id },
      amount: 1_250_000,
      currency: 'JPY',
      stage: 'qualified',
      stageName: 'Qualified',
      probability: 10,
      status: 'open',
      closeDate: '2026-12-20',
      closedAt: null,
      contacts: [{ id: jane, name: 'Jane Buyer', role: 'decision_maker', email: 'jane@acme.example', stage: 'lead' }],
      history: [{ fromStage: null, toStage: 'qualified', fromStatus: null, toStatus: 'open', actor: { id: ws.rep.id }, source: 'api' }],
    });
    expect(made.body.createdAt).toBe((await rep('GET', `/api/deals/${made.body.id}`)).body.createdAt);
    const audit = await h.one(`select action, actor_member_id, after from crm.audit_log where workspace_id = $1 and entity_type = 'deal'`, [ws.id]);
    expect(audit).toMatchObject({ action: 'create', actor_member_id: ws.rep.id });
    expect(audit.after.contacts).toEqual([{ id: jane, role: 'decision_maker' }]);

    // a company by name is found or made; a currency is required with an amount; an unknown stage is named
    const byName = await rep('POST', '/api/deals', { name: 'Globex pilot', company: { name: 'Globex' }, stage: 'proposal', ownerId: ws.rep2.id });
    expect(byName.body).toMatchObject({ company: { name: 'Globex' }, stage: 'proposal', owner: { id: ws.rep2.id } });
    const noCurrency = await rep('POST', '/api/deals', { name: 'X', amount: 5 });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.error.message).toContain('currency');
    const badStage = await rep('POST', '/api/deals', { name: 'X', stage: 'closing' });
    expect(badStage.status).toBe(400);
    expect(badStage.body.error).toMatchObject({ code: 'deal_stage_unknown' });
    expect(badStage.body.error.message).toContain('qualified, meeting, proposal, negotiation, commit');
    expect((await rep('POST', '/api/deals', { name: 'X', contacts: [{ id: '00000000-0000-4000-8000-00000000dead' }] })).status).toBe(404);
  });

  it('changes fields and contacts, keeps every stage change with who made it, closes and reopens', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const a = await h.contact(ws, 'Ann');
    const b = await h.contact(ws, 'Bo');
    const rep = h.as(ws.rep.token);
    const deal = (await rep('POST', '/api/deals', { name: 'Deal', contacts: [{ id: a }] })).body;
    const patched = await h.as(ws.rep2.token)('PATCH', `/api/deals/${deal.id}`, {
      name: 'Bigger deal',
      amount: 1999,
      currency: 'USD',
      stage: 'proposal',
      ownerEmail: ws.rep2.email,
      addContacts: [{ id: b, role: 'champion' }],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Bigger deal', amount: 1999, currency: 'USD', stage: 'proposal', owner: { id: ws.rep2.id } });
    expect(patched.body.contacts.map((c: any) => [c.name, c.role])).toEqual([
      ['Ann', null],
      ['Bo', 'champion'],
    ]);
    expect(patched.body.history[0]).toMatchObject({ fromStage: 'qualified', toStage: 'proposal', actor: { id: ws.rep2.id } });

    const removed = await rep('PATCH', `/api/deals/${deal.id}`, { removeContacts: [a], amount: null });
    expect(removed.body).toMatchObject({ amount: null, currency: null });
    expect(removed.body.contacts.map((c: any) => c.name)).toEqual(['Bo']);

    const lost = await rep('PATCH', `/api/deals/${deal.id}`, { status: 'lost', reason: 'Went with a competitor' });
    expect(lost.body).toMatchObject({ status: 'lost', closeReason: 'Went with a competitor', stage: 'proposal', closeDate: '2026-11-24' });
    expect(lost.body.closedAt).toEqual(expect.any(String));
    const moveClosed = await rep('PATCH', `/api/deals/${deal.id}`, { stage: 'commit' });
    expect(moveClosed.status).toBe(409);
    expect(moveClosed.body.error.code).toBe('deal_closed');
    const reopened = await rep('PATCH', `/api/deals/${deal.id}`, { status: 'open', stage: 'negotiation' });
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, closeReason: null, stage: 'negotiation' });
    expect(reopened.body.history.map((x: any) => `${x.fromStatus ?? '-'}:${x.fromStage ?? '-'}>${x.toStatus}:${x.toStage}`)).toEqual([
      'lost:proposal>open:negotiation',
      'open:proposal>lost:proposal',
      'open:qualified>open:proposal',
      '-:->open:qualified',
    ]);
    const changes = await h.rows<{ action: string }>(`select action from crm.audit_log where workspace_id = $1 and entity_type = 'deal' order by id`, [ws.id]);
    expect(changes.map((c) => c.action)).toEqual(['create', 'stage', 'update', 'lost', 'reopen']);
    expect((await h.rows(`select 1 from crm.deal_stage_changes where deal_id = $1`, [deal.id])).length).toBe(4);
  });

  it('makes the company’s people and the deal’s contacts customers when it is won, audited as contact updates', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const acme = await h.company(ws, 'Acme Won');
    const inCompany = await h.contact(ws, 'In company', { companyId: acme, stage: 'prospect' });
    const already = await h.contact(ws, 'Already', { companyId: acme, stage: 'customer' });
    const outside = await h.contact(ws, 'Outside consultant');
    const bystander = await h.contact(ws, 'Bystander');
    const rep = h.as(ws.rep.token);
    const deal = (await rep('POST', '/api/deals', { name: 'Win', companyId: acme, contacts: [{ id: outside }] })).body;
    const won = await rep('PATCH', `/api/deals/${deal.id}`, { status: 'won', reason: 'Best fit' });
    expect(won.body).toMatchObject({ status: 'won', closeReason: 'Best fit' });
    const stages = await h.rows<{ name: string; stage: string }>(`select name, stage from crm.contacts where workspace_id = $1 order by name`, [ws.id]);
    expect(stages).toEqual([
      { name: 'Already', stage: 'customer' },
      { name: 'Bystander', stage: 'lead' },
      { name: 'In company', stage: 'customer' },
      { name: 'Outside consultant', stage: 'customer' },
    ]);
    const audits = await h.rows<{ entity_id: string; before: any; after: any }>(
      `select entity_id, before, after from crm.audit_log where workspace_id = $1 and entity_type = 'contact' order by id`,
      [ws.id],
    );
    expect(audits.map((x) => x.entity_id).sort()).toEqual([inCompany, outside].sort());
    expect(audits.find((x) => x.entity_id === inCompany)).toMatchObject({ before: { stage: 'prospect' }, after: { stage: 'customer', deal: { id: deal.id } } });
    expect([already, bystander]).not.toContain(audits[0]!.entity_id);
  });

  it('lists deals by owner, stage, company, contact, expected close and status, a page at a time', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const acme = await h.company(ws, 'Acme L');
    const jo = await h.contact(ws, 'Jo');
    const rep = h.as(ws.rep.token);
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const d = await rep('POST', '/api/deals', {
        name: `D${i}`,
        stage: i % 2 ? 'proposal' : 'qualified',
        closeDate: `2026-12-0${i + 1}`,
        ...(i === 3 ? { companyId: acme, contacts: [{ id: jo }] } : {}),
        ...(i === 4 ? { ownerId: ws.rep2.id } : {}),
      });
      made.push(d.body.id);
      // distinct creation times: the list is newest first
      await h.rows(`update crm.deals set created_at = $2 where id = $1`, [d.body.id, new Date(Date.parse(DEALS_NOW) + i * 1000).toISOString()]);
    }
    await rep('PATCH', `/api/deals/${made[0]}`, { status: 'won' });
    const names = async (q: string) => ((await rep('GET', `/api/deals${q}`)).body.items as { name: string }[]).map((d) => d.name);
    expect(await names('')).toEqual(['D4', 'D3', 'D2', 'D1']);
    expect(await names('?owner=me')).toEqual(['D3', 'D2', 'D1']);
    expect(await names(`?owner=${ws.rep2.id}`)).toEqual(['D4']);
    expect(await names(`?owner=${encodeURIComponent(ws.rep2.email)}`)).toEqual(['D4']);
    expect(await names('?stage=proposal')).toEqual(['D3', 'D1']);
    expect(await names(`?company=${acme}`)).toEqual(['D3']);
    expect(await names(`?contact=${jo}`)).toEqual(['D3']);
    expect(await names('?closingBefore=2026-12-04')).toEqual(['D2', 'D1']);
    expect(await names('?status=won')).toEqual(['D0']);
    expect(await names('?status=all')).toEqual(['D4', 'D3', 'D2', 'D1', 'D0']);
    const first = await rep('GET', '/api/deals?status=all&limit=2');
    expect(first.body.items.map((d: any) => d.name)).toEqual(['D4', 'D3']);
    const second = await rep('GET', `/api/deals?status=all&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((d: any) => d.name)).toEqual(['D2', 'D1']);
    const third = await rep('GET', `/api/deals?status=all&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body).toEqual({ items: [expect.objectContaining({ name: 'D0' })], nextCursor: null });
    // another workspace sees none of them
    const other = await makeWorkspace(h.t.sql, h.t.db);
    expect((await h.as(other.rep.token)('GET', '/api/deals?status=all')).body.items).toEqual([]);
    expect((await h.as(other.rep.token)('GET', `/api/deals/${made[1]}`)).status).toBe(404);
    expect((await h.as(other.rep.token)('PATCH', `/api/deals/${made[1]}`, { name: 'Mine' })).status).toBe(404);
  });
});
