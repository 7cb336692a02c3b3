import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../support/fixtures.js';
import { dealsHarness } from '../support/deals.js';

/**
 * The workspace's pipeline: a default named in the workspace's language, an
 * admin's to change (audited), keys that stay when a stage is renamed or
 * moved, and a removal refused while open deals sit at the stage unless the
 * request says where they go.
 */
describe.each(['pglite', 'postgres'] as const)('the pipeline on %s', (kind) => {
  const h = dealsHarness(kind);

  it('starts a new workspace with five stages named in its language', async () => {
    const names = async (locale: string) => {
      const id = randomUUID();
      await h.rows(`insert into crm.workspaces (id, name, default_locale) values ($1, $2, $3)`, [id, `W ${id.slice(0, 6)}`, locale]);
      return h.rows<{ key: string; name: string; probability: number }>(
        `select key, name, probability from crm.pipeline_stages where workspace_id = $1 order by position`,
        [id],
      );
    };
    expect((await names('en')).map((s) => s.name)).toEqual(['Qualified', 'Meeting held', 'Proposal sent', 'Negotiation', 'Verbal yes']);
    expect((await names('ja')).map((s) => s.name)).toEqual(['見込みあり', '商談済み', '提案済み', '交渉中', '内諾']);
    const zh = await names('zh');
    expect(zh.map((s) => s.name)).toEqual(['已确认需求', '已会面', '已提交方案', '谈判中', '口头承诺']);
    expect(zh.map((s) => s.key)).toEqual(['qualified', 'meeting', 'proposal', 'negotiation', 'commit']);
    expect(zh.map((s) => Number(s.probability))).toEqual([10, 25, 50, 75, 90]);
  });

  it('answers GET /api/pipeline to any member; only an admin changes it', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const got = await h.as(ws.rep.token)('GET', '/api/pipeline');
    expect(got.status).toBe(200);
    expect(got.body.stages[0]).toEqual({ key: 'qualified', name: 'Qualified', position: 0, probability: 10 });
    const stages = got.body.stages.map((s: any) => ({ key: s.key, name: s.name, probability: s.probability }));
    for (const who of [ws.rep, ws.manager]) {
      const refused = await h.as(who.token)('PUT', '/api/pipeline', { stages });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('admin_only');
    }
    expect((await h.rows(`select 1 from crm.audit_log where workspace_id = $1 and entity_type = 'pipeline'`, [ws.id])).length).toBe(0);
  });

  it('renames, reorders and adds stages: keys stay, deals stay at their stage, the change is audited', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const rep = h.as(ws.rep.token);
    const deal = (await rep('POST', '/api/deals', { name: 'Kept', stage: 'proposal' })).body;
    const put = await h.as(ws.admin.token)('PUT', '/api/pipeline', {
      stages: [
        { key: 'qualified', name: 'Qualified', probability: 10 },
        { key: 'proposal', name: 'Quote sent', probability: 40 },
        { key: 'meeting', name: 'Meeting held', probability: 25 },
        { name: 'Legal review', probability: 60 },
        { name: '稟議中', probability: 70 },
        { key: 'negotiation', name: 'Negotiation', probability: 75 },
        { key: 'commit', name: 'Verbal yes', probability: 90 },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.stages.map((s: any) => [s.key, s.name, s.position])).toEqual([
      ['qualified', 'Qualified', 0],
      ['proposal', 'Quote sent', 1],
      ['meeting', 'Meeting held', 2],
      ['legal_review', 'Legal review', 3],
      ['stage_1', '稟議中', 4],
      ['negotiation', 'Negotiation', 5],
      ['commit', 'Verbal yes', 6],
    ]);
    const after = (await rep('GET', `/api/deals/${deal.id}`)).body;
    expect(after).toMatchObject({ stage: 'proposal', stageName: 'Quote sent', probability: 40 });
    const audit = await h.one(`select actor_member_id, before, after from crm.audit_log where workspace_id = $1 and entity_type = 'pipeline'`, [ws.id]);
    expect(audit.actor_member_id).toBe(ws.admin.id);
    expect(audit.before.stages).toHaveLength(5);
    expect(audit.after.stages).toHaveLength(7);
  });

  it('refuses to remove a stage open deals are at (409), and moves them where the request says', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const rep = h.as(ws.rep.token);
    const admin = h.as(ws.admin.token);
    const open = (await rep('POST', '/api/deals', { name: 'At meeting', stage: 'meeting' })).body;
    const lost = (await rep('POST', '/api/deals', { name: 'Lost at meeting', stage: 'meeting' })).body;
    await rep('PATCH', `/api/deals/${lost.id}`, { status: 'lost', reason: 'budget' });
    const without = [
      { key: 'qualified', name: 'Qualified', probability: 10 },
      { key: 'proposal', name: 'Proposal sent', probability: 50 },
      { key: 'negotiation', name: 'Negotiation', probability: 75 },
      { key: 'commit', name: 'Verbal yes', probability: 90 },
    ];
    const refused = await admin('PUT', '/api/pipeline', { stages: without });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'pipeline_stage_in_use', details: { stage: 'meeting', deals: 1 } });
    expect(refused.body.error.message).toContain('Meeting held');
    expect((await admin('GET', '/api/pipeline')).body.stages).toHaveLength(5);

    const unknown = await admin('PUT', '/api/pipeline', { stages: without, moves: { meeting: 'nowhere' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('pipeline_move_unknown');

    const moved = await admin('PUT', '/api/pipeline', { stages: without, moves: { meeting: 'proposal' } });
    expect(moved.status).toBe(200);
    expect(moved.body.stages.map((s: any) => s.key)).toEqual(['qualified', 'proposal', 'negotiation', 'commit']);
    const deal = (await rep('GET', `/api/deals/${open.id}`)).body;
    expect(deal).toMatchObject({ stage: 'proposal', status: 'open' });
    expect(deal.history[0]).toMatchObject({ fromStage: 'meeting', toStage: 'proposal', actor: { id: ws.admin.id } });
    // a closed deal follows too (its stage must exist), keeping its status
    expect((await rep('GET', `/api/deals/${lost.id}`)).body).toMatchObject({ stage: 'proposal', status: 'lost', closeReason: 'budget' });
    const audit = await h.one(`select after from crm.audit_log where workspace_id = $1 and entity_type = 'pipeline'`, [ws.id]);
    expect(audit.after.moved).toEqual({ meeting: 'proposal' });
  });

  it('refuses a pipeline with repeated names or no stage', async () => {
    const ws = await makeWorkspace(h.t.sql, h.t.db);
    const admin = h.as(ws.admin.token);
    const twice = await admin('PUT', '/api/pipeline', {
      stages: [
        { name: 'Won it', probability: 10 },
        { name: 'won IT', probability: 20 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('pipeline_names_repeated');
    expect((await admin('PUT', '/api/pipeline', { stages: [] })).status).toBe(400);
  });
});
