import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DUPLICATE_ACTIONS, duplicateBlocks } from '../../slack-app/duplicates/review.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

const NOW = new Date('2026-11-24T03:00:00Z');
const text = (blocks: unknown) => JSON.stringify(blocks ?? []);

describe('/crm duplicates in Slack: the pairs, Merge, Undo merge and Not a duplicate', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  const slackIds: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const sql = <R = any>(q: string, p: unknown[] = []) => t.sql.query<R>(q, p);
  const post = async (m: TestMember, path: string, body: unknown) => {
    const res = await rapport.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as any;
  };
  /** the one answer the last command or press sent to response_url */
  const answer = () => {
    expect(slack.responses).toHaveLength(1);
    const a = slack.responses[0]!;
    expect(a.blocks.length).toBeLessThanOrEqual(50);
    return a;
  };
  const press = async (who: string, actionId: string, value: string) => {
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(who, actionId, value));
    return answer();
  };
  const pairIds = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').map((b) => b.elements[0].value);

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await sql(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => NOW });
    for (const m of ['rep', 'rep2', 'manager'] as const) {
      slackIds[m] = (await sql<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws[m].id]))[0]!.s;
    }
    ids.jane = (
      await post(ws.rep, '/api/contacts', {
        name: 'Jane Doe',
        emails: ['jane@acme-s.example'],
        company: { name: 'Acme' },
        stage: 'customer',
      })
    ).id;
    ids.janeToo = (await post(ws.rep, '/api/contacts', { name: 'Jane <!channel> D.', emails: ['jane+news@acme-s.example'], title: 'VP Ops' })).id;
    ids.taro = (await post(ws.rep, '/api/contacts', { name: '田中 太郎', company: { name: 'サクラ製作所' } })).id;
    ids.taroToo = (await post(ws.rep, '/api/contacts', { name: '田中太郎', company: { name: 'サクラ製作所' } })).id;
  });
  beforeEach(() => {
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
    expect(rapport.errors).toEqual([]);
  });

  it('/crm duplicates lists each pair privately: who, why, which one a merge keeps, and its two buttons', async () => {
    await rapport.command(slackIds.rep!, 'duplicates');
    const a = answer();
    expect(a.response_type).toBe('ephemeral');
    expect(a.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Contacts that may be the same person (2)' } });
    expect(pairIds(a.blocks)).toEqual([`${ids.jane}:${ids.janeToo}`, `${ids.taro}:${ids.taroToo}`]);
    const jane = a.blocks.find((b: any) => b.block_id === `dup_pair:${ids.jane}:${ids.janeToo}`);
    expect(jane.text.text).toBe(
      '*Jane Doe* · Acme · jane@acme-s.example\n*Jane &lt;!channel&gt; D.* · VP Ops · Acme-s · jane+news@acme-s.example\n:mag: Same email address (ignoring case and +tags)',
    );
    expect(text(a.blocks)).toContain('Merge keeps Jane Doe, the older record, and moves everything of Jane &lt;!channel&gt; D. into it.');
    const buttons = a.blocks.find((b: any) => b.block_id === `dup_actions:${ids.jane}:${ids.janeToo}`).elements;
    expect(buttons.map((e: any) => [e.action_id, e.text.text, e.style])).toEqual([
      [DUPLICATE_ACTIONS.merge, 'Merge', 'primary'],
      [DUPLICATE_ACTIONS.dismiss, 'Not a duplicate', undefined],
    ]);
    expect(text(a.blocks)).toContain('Similar name at the same company (100% alike)');
  });

  it('Merge merges as the presser and redraws the list with what happened and an Undo button; Undo puts it back', async () => {
    const merged = await press(slackIds.rep2!, DUPLICATE_ACTIONS.merge, `${ids.jane}:${ids.janeToo}`);
    expect(merged.replace_original).toBe(true);
    expect(merged.blocks[0]).toMatchObject({
      block_id: 'dup_notice',
      accessory: { action_id: DUPLICATE_ACTIONS.undo, text: { text: 'Undo merge' } },
    });
    expect(merged.blocks[0].text.text).toBe(
      ':white_check_mark: Merged Jane &lt;!channel&gt; D. into Jane Doe. You can undo this until Thu, Dec 24, 2026, 3:00 AM.',
    );
    expect(pairIds(merged.blocks)).toEqual([`${ids.taro}:${ids.taroToo}`]);
    const [row] = await sql(`select merged_into_id from crm.contacts where id = $1`, [ids.janeToo]);
    expect(row.merged_into_id).toBe(ids.jane);
    const audit = await sql(`select entity_id, source, actor_member_id from crm.audit_log where action = 'merge' order by id`);
    expect(audit).toEqual([
      { entity_id: ids.jane, source: 'slack', actor_member_id: ws.rep2.id },
      { entity_id: ids.janeToo, source: 'slack', actor_member_id: ws.rep2.id },
    ]);

    // a second press of the same Merge (the message someone else still has) says why, in place
    const again = await press(slackIds.rep!, DUPLICATE_ACTIONS.merge, `${ids.jane}:${ids.janeToo}`);
    expect(again.blocks[0].elements[0].text).toBe(':warning: Jane &lt;!channel&gt; D. was already merged into Jane Doe. Use Jane Doe instead.');

    const undone = await press(slackIds.rep2!, DUPLICATE_ACTIONS.undo, merged.blocks[0].accessory.value);
    expect(undone.blocks[0].elements[0].text).toBe(':white_check_mark: Merge undone: Jane Doe, Jane &lt;!channel&gt; D. are separate contacts again.');
    expect(pairIds(undone.blocks)).toEqual([`${ids.jane}:${ids.janeToo}`, `${ids.taro}:${ids.taroToo}`]);
    expect((await sql(`select merged_into_id from crm.contacts where id = $1`, [ids.janeToo]))[0].merged_into_id).toBeNull();
    const twice = await press(slackIds.rep2!, DUPLICATE_ACTIONS.undo, merged.blocks[0].accessory.value);
    expect(twice.blocks[0].elements[0].text).toBe(':warning: This merge was already undone; there is nothing left to undo.');
  });

  it('Not a duplicate records the pair as the presser, and it never comes back', async () => {
    const done = await press(slackIds.manager!, DUPLICATE_ACTIONS.dismiss, `${ids.taro}:${ids.taroToo}`);
    expect(done.blocks[0].elements[0].text).toBe(
      ':white_check_mark: 田中 太郎 and 田中太郎 are marked as different people; this pair will not be suggested again.',
    );
    expect(pairIds(done.blocks)).toEqual([`${ids.jane}:${ids.janeToo}`]);
    expect(await sql(`select contact_a, contact_b, dismissed_by from crm.duplicate_dismissals`)).toEqual([
      { contact_a: [ids.taro!, ids.taroToo!].sort()[0], contact_b: [ids.taro!, ids.taroToo!].sort()[1], dismissed_by: ws.manager.id },
    ]);
    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, 'duplicates');
    expect(pairIds(answer().blocks)).toEqual([`${ids.jane}:${ids.janeToo}`]);
  });

  it('speaks Japanese and Chinese, and says when there is nothing to merge', async () => {
    await sql(`update crm.members set locale = 'ja', locale_chosen = true where id = $1`, [ws.manager.id]);
    await rapport.command(slackIds.manager!, '重複');
    const ja = answer();
    expect(ja.blocks[0].text.text).toBe('同一人物の可能性がある連絡先（1 組）');
    expect(text(ja.blocks)).toContain('同じメールアドレス（大文字小文字と +タグを無視）');
    expect(ja.blocks.at(-1).elements.map((e: any) => e.text.text)).toEqual(['統合', '重複ではない']);
    const zh = duplicateBlocks({ items: [] }, { locale: 'zh' });
    expect(zh.blocks).toEqual([{ type: 'section', block_id: 'dup_header', text: { type: 'mrkdwn', text: ':sparkles: 没有疑似重复的联系人。' } }]);
  });
});
