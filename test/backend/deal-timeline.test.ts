import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../support/fixtures.js';
import { at, dealsHarness } from '../support/deals.js';

/**
 * A deal's timeline (its own changes and its contacts' interactions since it
 * opened, with crm.timeline's visibility), and the contact functions that
 * must know deals: merge and undo move a contact's part in deals, erasure
 * removes it.
 */
describe.each(['pglite', 'postgres'] as const)('deal timeline, merge and erase on %s', (kind) => {
  const h = dealsHarness(kind);

  it('shows stage changes, changes and the contacts’ interactions since the deal opened, private ones to their author’s team only', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const jane = await h.contact(ws, 'Jane T');
    const other = await h.contact(ws, 'Not on the deal');
    const rep = h.as(ws.rep.token);
    await h.interaction(ws, ws.rep.id, jane, at(-60 * 24), { subject: 'Before the deal' });
    const deal = (await rep('POST', '/api/deals', { name: 'Timeline', contacts: [{ id: jane, role: 'champion' }] })).body;
    await h.interaction(ws, ws.rep.id, jane, at(30), { subject: 'Kick-off call' });
    await h.interaction(ws, ws.rep.id, jane, at(60), { subject: 'Private pricing', visibility: 'private' });
    await h.interaction(ws, ws.rep.id, jane, at(90), { subject: 'Subject only', visibility: 'subject' });
    await h.interaction(ws, ws.rep.id, other, at(100), { subject: 'Someone else' });
    await rep('PATCH', `/api/deals/${deal.id}`, { stage: 'proposal', name: 'Timeline deal' });
    // the move two hours in (the app's clock stands still); the audit log keeps the database's own time, today, after all of these
    await h.rows(`update crm.deal_stage_changes set at = $2 where deal_id = $1 and from_stage is not null`, [deal.id, at(120)]);

    const seen = async (token: string) => {
      const res = await h.as(token)('GET', `/api/deals/${deal.id}/timeline`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items as any[];
    };
    const describeEntry = (e: any) =>
      e.type === 'interaction'
        ? `i:${e.interaction.subject}:${e.interaction.snippet}`
        : e.type === 'stage'
          ? `s:${e.stage.fromStage}>${e.stage.toStage}`
          : `c:${e.change.action}`;
    // the rename is told without the stage it moved (the stage entry tells that)
    const mine = (await seen(ws.rep.token)).map(describeEntry);
    expect(mine).toEqual([
      'c:stage',
      'c:create',
      's:qualified>proposal',
      'i:Subject only:the body',
      'i:Private pricing:the body',
      'i:Kick-off call:the body',
      's:null>qualified',
    ]);
    const change = (await seen(ws.rep.token)).find((e) => e.type === 'change' && e.change.action === 'stage');
    expect(change.change).toMatchObject({ before: { name: 'Timeline' }, after: { name: 'Timeline deal' } });
    expect(change.change.after).not.toHaveProperty('stage');
    // the rep's manager sees the private one; another rep neither it nor the subject-only one's text
    expect((await seen(ws.manager.token)).map(describeEntry)).toContain('i:Private pricing:the body');
    const peer = (await seen(ws.rep2.token)).map(describeEntry);
    expect(peer).not.toContain('i:Private pricing:the body');
    expect(peer).toContain('i:Subject only:');

    // pages: newest first, each entry once
    const first = await rep('GET', `/api/deals/${deal.id}/timeline?limit=3`);
    const second = await rep('GET', `/api/deals/${deal.id}/timeline?limit=3&cursor=${first.body.nextCursor}`);
    const third = await rep('GET', `/api/deals/${deal.id}/timeline?limit=3&cursor=${second.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items, ...third.body.items].map(describeEntry)).toEqual(mine);
    expect(third.body.nextCursor).toBeNull();
    expect((await rep('GET', `/api/deals/${deal.id}/timeline?cursor=eyJhdCI6Inh4In0`)).status).toBe(400);
  });

  it('moves a merged contact’s part in deals to the survivor, and undo puts it back', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const survivor = await h.contact(ws, 'Sam Survivor');
    const loser = await h.contact(ws, 'Sam S.');
    const rep = h.as(ws.rep.token);
    const both = (await rep('POST', '/api/deals', { name: 'Both', contacts: [{ id: survivor }, { id: loser, role: 'finance' }] })).body;
    const onlyLoser = (await rep('POST', '/api/deals', { name: 'Only loser', contacts: [{ id: loser, role: 'champion' }] })).body;
    const parts = async () =>
      (
        await h.rows<{ deal: string; contact: string; role: string | null }>(
          `select d.name as deal, c.name as contact, dc.role from crm.deal_contacts dc
           join crm.deals d on d.id = dc.deal_id join crm.contacts c on c.id = dc.contact_id
           where dc.workspace_id = $1 order by d.name, c.name`,
          [ws.id],
        )
      ).map((r) => `${r.deal}/${r.contact}/${r.role ?? '-'}`);
    const before = await parts();
    const merged = await rep('POST', `/api/contacts/${survivor}/merge`, { from: [loser] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(await parts()).toEqual(['Both/Sam Survivor/finance', 'Only loser/Sam Survivor/champion']);
    expect((await rep('GET', `/api/deals?contact=${loser}`)).body.items.map((d: any) => d.name).sort()).toEqual(['Both', 'Only loser']);
    const undone = await rep('POST', `/api/merges/${merged.body.merge.id}/undo`);
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await parts()).toEqual(before);
    expect(before).toEqual(['Both/Sam S./finance', 'Both/Sam Survivor/-', 'Only loser/Sam S./champion']);
    expect((await rep('GET', `/api/deals/${onlyLoser.id}`)).body.contacts.map((c: any) => c.id)).toEqual([loser]);
    expect((await rep('GET', `/api/deals/${both.id}`)).body.contacts).toHaveLength(2);
  });

  it('erases a person’s part in deals with them; the deal stays', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const gone = await h.contact(ws, 'Erin Erased', { email: 'erin@erase.example' });
    const stays = await h.contact(ws, 'Stan Stays');
    const rep = h.as(ws.rep.token);
    const deal = (await rep('POST', '/api/deals', { name: 'Erasure', contacts: [{ id: gone, role: 'user' }, { id: stays }] })).body;
    const erased = await h.as(ws.admin.token)('DELETE', `/api/contacts/${gone}?erase=true`);
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const after = (await rep('GET', `/api/deals/${deal.id}`)).body;
    expect(after.contacts.map((c: any) => c.name)).toEqual(['Stan Stays']);
    expect(JSON.stringify((await rep('GET', `/api/deals/${deal.id}/timeline`)).body)).not.toContain('Erin');
  });
});
