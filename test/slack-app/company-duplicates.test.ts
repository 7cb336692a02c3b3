import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPANY_DUPLICATE_ACTIONS } from '../../slack-app/duplicates/company-review.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

/**
 * /crm duplicates shows companies that look like one account below the
 * contacts (issue 18: "duplicate companies are found and merged as contacts
 * are, with undo"): Merge as the presser, the list redrawn with an Undo that
 * puts the two companies back.
 */
describe('/crm duplicates in Slack: companies that look like one account', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let rep: string;
  const ids: Record<string, string> = {};
  const sql = <R = any>(q: string, p: unknown[] = []) => t.sql.query<R>(q, p);
  const post = async (path: string, body: unknown) => {
    const res = await rapport.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as any;
  };
  const answer = () => {
    expect(slack.responses).toHaveLength(1);
    const a = slack.responses[0]!;
    expect(a.blocks.length).toBeLessThanOrEqual(50);
    return a;
  };
  const press = async (actionId: string, value: string) => {
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(rep, actionId, value));
    return answer();
  };
  const companyPairs = (blocks: any[]) =>
    blocks.filter((b) => b.type === 'actions' && b.block_id.startsWith('dup_company_actions:')).map((b) => b.elements[0].value);

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await sql(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => new Date('2026-11-24T03:00:00Z') });
    rep = (await sql<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    ids.older = (await post('/api/companies', { name: 'Acme Inc.', domains: ['acme.example'] })).id;
    ids.newer = (await post('/api/companies', { name: 'ＡＣＭＥ Corporation', domains: ['acme-corp.example'] })).id;
    ids.kim = (await post('/api/contacts', { name: 'Kim Buyer', emails: ['kim@acme-corp.example'] })).id;
  });
  beforeEach(() => {
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(rapport.errors).toEqual([]);
  });

  it('lists the pair under its own header, with why, which one a merge keeps, and Merge', async () => {
    await rapport.command(rep, 'duplicates');
    const a = answer();
    const header = a.blocks.find((b: any) => b.block_id === 'dup_company_header');
    expect(header).toMatchObject({ type: 'header', text: { text: 'Companies that may be one account (1)' } });
    expect(companyPairs(a.blocks)).toEqual([`${ids.older}:${ids.newer}`]);
    const pair = a.blocks.find((b: any) => b.block_id === `dup_company:${ids.older}:${ids.newer}`);
    expect(pair.text.text).toContain(':office: *Acme Inc.* · acme.example · contacts: 0');
    expect(pair.text.text).toContain(':office: *ＡＣＭＥ Corporation* · acme-corp.example · contacts: 1');
    expect(pair.text.text).toContain('Same name once Inc., 株式会社 and letter width are set aside');
    expect(pair.text.text).toContain('Merge keeps Acme Inc., the older');
  });

  it('Merge moves the people into the older as the presser; Undo puts the two companies back', async () => {
    const merged = await press(COMPANY_DUPLICATE_ACTIONS.merge, `${ids.older}:${ids.newer}`);
    expect(merged.replace_original).toBe(true);
    expect(merged.blocks[0]).toMatchObject({ block_id: 'dup_notice', accessory: { action_id: COMPANY_DUPLICATE_ACTIONS.undo, text: { text: 'Undo merge' } } });
    expect(merged.blocks[0].text.text).toContain('Merged ＡＣＭＥ Corporation into Acme Inc.');
    expect(companyPairs(merged.blocks)).toEqual([]);
    expect((await sql(`select company_id from crm.contacts where id = $1`, [ids.kim]))[0].company_id).toBe(ids.older);
    const [audit] = await sql(`select source, actor_member_id from crm.audit_log where entity_type = 'company' and action = 'merge' order by id limit 1`);
    expect(audit).toEqual({ source: 'slack', actor_member_id: ws.rep.id });

    const undone = await press(COMPANY_DUPLICATE_ACTIONS.undo, merged.blocks[0].accessory.value);
    expect(undone.blocks[0].elements[0].text).toBe(':white_check_mark: Merge undone: Acme Inc., ＡＣＭＥ Corporation are separate companies again.');
    expect(companyPairs(undone.blocks)).toEqual([`${ids.older}:${ids.newer}`]);
    expect((await sql(`select company_id from crm.contacts where id = $1`, [ids.kim]))[0].company_id).toBe(ids.newer);
  });

  it('speaks Japanese', async () => {
    await sql(`update crm.members set locale = 'ja', locale_chosen = true where id = $1`, [ws.rep.id]);
    await rapport.command(rep, '重複');
    const ja = answer();
    expect(ja.blocks.find((b: any) => b.block_id === 'dup_company_header').text.text).toBe('同じ会社の可能性がある取引先（1 組）');
    expect(JSON.stringify(ja.blocks)).toContain('Inc. や 株式会社、全角・半角を除くと同じ名前');
  });
});
