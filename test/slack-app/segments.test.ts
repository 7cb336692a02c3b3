import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../slack-app/ids.js';
import { TIDY_ACTIONS, bar, duration, statsBlocks } from '../../slack-app/segments/list-stats-tidy.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

const NOW = new Date('2026-11-24T03:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const text = (blocks: unknown) => JSON.stringify(blocks ?? []);

describe('/crm list, /crm stats and /crm tidy in Slack', () => {
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
  const contact = async (
    name: string,
    o: { owner?: string | null; stage?: string; tags?: string[]; email?: string; tz?: string; lastAt?: string; companyId?: string } = {},
  ) => {
    const [{ id }] = await sql(
      `insert into crm.contacts (workspace_id, name, owner_id, stage, tags, timezone, last_interaction_at, company_id, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        ws.id,
        name,
        o.owner === undefined ? ws.rep.id : o.owner,
        o.stage ?? 'lead',
        o.tags ?? [],
        o.tz ?? null,
        o.lastAt ?? ago(1),
        o.companyId ?? null,
        ago(200),
      ],
    );
    if (o.email) await sql(`insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, true)`, [ws.id, id, o.email]);
    return id as string;
  };
  /** the one answer the last command or press sent to response_url */
  const answer = () => {
    expect(slack.responses).toHaveLength(1);
    const a = slack.responses[0]!;
    expect(a.blocks.length).toBeLessThanOrEqual(50);
    for (const b of a.blocks) expect(JSON.stringify(b.text?.text ?? '').length).toBeLessThanOrEqual(3002);
    return a;
  };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    await sql(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, ws.id]);
    rapport = slackRapport(t, { now: () => NOW });
    for (const m of ['rep', 'rep2', 'manager'] as const) {
      slackIds[m] = (await sql<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws[m].id]))[0]!.s;
    }
    const acme = (await sql(`insert into crm.companies (workspace_id, name, domain) values ($1, 'Acme', 'acme.example') returning id`, [ws.id]))[0].id;
    for (let i = 1; i <= 12; i++)
      await contact(`Lead ${String(i).padStart(2, '0')}`, {
        tags: ['event-2026'],
        email: `lead${i}@acme.example`,
        companyId: acme,
        tz: 'Asia/Tokyo',
      });
    ids.gina = await contact('Gina <!channel> Globex', { email: 'gina@globex.example', stage: 'prospect' });
    ids.fumi = await contact('Fumi Free', { email: 'fumi@gmail.com', owner: null });
    await post(ws.rep, '/api/segments', { name: 'Event leads', filter: { tag: 'event-2026' } });
    await post(ws.rep, '/api/segments', { name: 'Prospects', filter: { stage: 'prospect' } });
    await sql(
      `insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after, at)
       values ($1, $2, 'slack', 'contact', $3, 'update', '{"stage":"lead"}', '{"stage":"prospect"}', $4)`,
      [ws.id, ws.rep.id, ids.gina, ago(2)],
    );
    for (const [kind, days] of [
      ['email', 1],
      ['email', 2],
      ['call', 3],
    ] as const) {
      await sql(
        `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key, author_id)
         values ($1, $2, 'outbound', $3, 'api', $4, $4, $5)`,
        [ws.id, kind, ago(days), `t:${kind}:${days}`, ws.rep.id],
      );
    }
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it('/crm list <segment> shows its contacts like the picker: ten with Pick, then "and N more"', async () => {
    await rapport.command(slackIds.rep!, 'list event LEADS');
    const a = answer();
    expect(a.response_type).toBe('ephemeral');
    expect(a.blocks[0].text.text).toContain('Segment “event LEADS”: 12 contacts');
    const picks = a.blocks.filter((b: any) => b.accessory?.action_id === ACTIONS.pickContact);
    expect(picks).toHaveLength(10);
    expect(picks[0].text.text).toContain('*Lead 01* · Acme · Lead\nlead1@acme.example');
    expect(a.blocks.at(-1).elements[0].text).toBe('…and 2 more');

    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.rep!, ACTIONS.pickContact, picks[0].accessory.value));
    expect(text(answer().blocks)).toContain('lead1@acme.example');

    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, 'list Prospects');
    expect(text(answer().blocks)).toContain('Gina &lt;!channel&gt; Globex');
  });

  it('/crm digest segment <name> scopes my digest to it; an unknown one says so; off clears it', async () => {
    await rapport.command(slackIds.rep!, 'digest segment Event leads');
    expect(answer().text).toBe('Your digest now covers the segment “Event leads” only.');
    expect(await sql(`select s.name from crm.members m join crm.segments s on s.id = m.digest_segment_id where m.id = $1`, [ws.rep.id])).toEqual([
      { name: 'Event leads' },
    ]);
    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, 'digest segment Nowhere');
    expect(text(answer().blocks)).toContain('Nowhere');
    slack.responses.length = 0;
    await rapport.command(slackIds.rep!, 'digest segment off');
    expect(answer().text).toBe('Your digest covers your whole team again.');
    expect(await sql(`select digest_segment_id from crm.members where id = $1`, [ws.rep.id])).toEqual([{ digest_segment_id: null }]);
  });

  it('/crm list with an unknown segment says so and names the segments there are', async () => {
    await rapport.command(slackIds.rep!, 'list Nowhere');
    const a = answer();
    expect(a.blocks).toHaveLength(1);
    expect(a.blocks[0].text.text).toContain('There is no saved segment “Nowhere”.');
    expect(a.blocks[0].text.text).toContain('Saved segments: `Event leads`, `Prospects`');
  });

  it('/crm stats shows the numbers with bars made of blocks, in the reader’s language', async () => {
    await rapport.command(slackIds.rep!, 'stats');
    const a = answer();
    expect(a.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Numbers · last 7 days' } });
    const all = text(a.blocks);
    expect(all).toContain('Your own numbers');
    expect(all).toContain('*Lead* · 12\\n████████████'); // 12 of 12: the full bar
    expect(all).toContain('*Prospect* · 1\\n█"'); // 1 of 12: one block
    expect(all).toContain('Lead → Prospect');
    expect(all).toContain('*Ren Rep* · 3\\n████████████ :email: 2 :telephone_receiver: 1');
    expect(all).toContain('*Asia/Tokyo* · 12');

    await rapport.command(slackIds.manager!, 'stats month');
    expect(text(slack.responses[1]!.blocks)).toContain('Your team (3 people)');

    await sql(`update crm.members set locale = 'ja' where id = $1`, [ws.rep.id]);
    try {
      slack.responses.length = 0;
      await rapport.command(slackIds.rep!, '統計 month');
      const ja = answer();
      expect(ja.blocks[0].text.text).toBe('数字 · 過去 1 か月');
      const jaText = text(ja.blocks);
      expect(jaText).toContain('あなた自身の数字');
      expect(jaText).toContain('ステージ別の連絡先（13 件）');
      expect(jaText).toContain('*リード* · 12');
      expect(jaText).toContain('リード → 見込み客');
      expect(jaText).toContain('受信メールへの返信までの時間（中央値）: まだ返信がありません（受信 0 件）');
      expect(jaText).toMatch(/11月\d+日/);
    } finally {
      await sql(`update crm.members set locale = 'en' where id = $1`, [ws.rep.id]);
    }
  });

  it('keeps a big team’s stats within Slack’s limits', () => {
    const reps = Array.from({ length: 40 }, (_, i) => ({
      rep: { id: `r${i}`, name: `Rep ${i} ${'長い名前'.repeat(200)}` },
      total: 40 - i,
      byKind: { email: 40 - i, slack: 0, call: 0, meeting: 0, note: 0 },
    }));
    const zones = Array.from({ length: 30 }, (_, i) => ({ timezone: `Zone/${i}`, count: i, label: `Zone/${i}` }));
    const built = statsBlocks(
      {
        period: 'week',
        periodLabel: 'Last 7 days',
        from: ago(7),
        to: NOW.toISOString(),
        scope: 'workspace',
        members: 40,
        contacts: {
          total: 5,
          byStage: (['lead', 'prospect', 'customer', 'churned'] as const).map((stage) => ({ stage, count: 1, label: stage })),
          byTimezone: zones,
        },
        stageMoves: Array.from({ length: 12 }, () => ({ from: 'lead', to: 'customer', count: 1, label: 'x' })),
        interactions: { total: 820, byKind: { email: 820, slack: 0, call: 0, meeting: 0, note: 0 }, byRep: reps },
        followUps: { created: 0, done: 0, overdue: 0 },
        replies: { inboundEmails: 3, answered: 2, medianMinutes: 125.5 },
        deals: {
          pipeline: {
            count: 40,
            totals: [{ currency: 'USD', count: 40, amount: 4_000_000, weighted: 1_000_000 }],
            byStage: [
              {
                stage: 'qualified',
                name: 'Qualified',
                probability: 25,
                count: 40,
                amounts: [{ currency: 'USD', count: 40, amount: 4_000_000, weighted: 1_000_000 }],
              },
            ],
          },
          won: { count: 0, amounts: [] },
          lost: { count: 0, amounts: [] },
          winRate: null,
          avgDaysToClose: null,
          byRep: reps.map((r) => ({ rep: r.rep, open: 1, pipeline: [], won: 0, lost: 0, wonAmounts: [], winRate: null, avgDaysToClose: null })),
        },
        kindLabels: {},
      },
      'en',
      'UTC',
    );
    expect(built.blocks.length).toBeLessThan(50);
    expect(text(built.blocks)).toContain('…and 30 more');
    expect(text(built.blocks)).toContain('2 h 6 min (2 of 3 answered)');
    expect(bar(1, 1000)).toBe('█');
    expect(bar(0, 5)).toBe('');
    expect(duration(1500, 'ja')).toBe('1 日 1 時間');
  });

  it('/crm tidy lists incomplete records with Fix buttons; pressing one fixes it as the presser and redraws the list in place', async () => {
    await rapport.command(slackIds.manager!, 'tidy');
    const a = answer();
    expect(a.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Contacts to tidy (2)' } });
    const actionsOf = (blocks: any[], id: string) => blocks.find((b) => b.block_id === `tidy_actions:${id}`)?.elements ?? [];
    expect(actionsOf(a.blocks, ids.gina!).map((e: any) => [e.action_id, e.text.text])).toEqual([[TIDY_ACTIONS.company, 'Set company: Globex']]);
    // free mail: no company fix, only the owner one
    expect(actionsOf(a.blocks, ids.fumi!).map((e: any) => e.action_id)).toEqual([TIDY_ACTIONS.owner]);
    expect(text(a.blocks)).toContain('no company · no owner');

    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.manager!, TIDY_ACTIONS.owner, ids.fumi!));
    const redrawn = answer();
    expect(redrawn.replace_original).toBe(true);
    expect(redrawn.blocks[0].elements[0].text).toBe(':white_check_mark: You now own Fumi Free.');
    expect(actionsOf(redrawn.blocks, ids.fumi!)).toEqual([]);
    expect((await sql(`select owner_id from crm.contacts where id = $1`, [ids.fumi]))[0].owner_id).toBe(ws.manager.id);

    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.manager!, TIDY_ACTIONS.company, ids.gina!));
    const fixed = answer();
    expect(fixed.blocks[0].elements[0].text).toBe(':white_check_mark: Gina &lt;!channel&gt; Globex: company set to Globex.');
    expect(fixed.blocks.find((b: any) => b.block_id === `tidy_item:${ids.gina}`)).toBeUndefined();
    const [row] = await sql(`select co.name, co.domain from crm.contacts c join crm.companies co on co.id = c.company_id where c.id = $1`, [ids.gina]);
    expect(row).toEqual({ name: 'Globex', domain: 'globex.example' });
    const [audit] = await sql(`select source, actor_member_id from crm.audit_log where entity_id = $1 and after ? 'company'`, [ids.gina]);
    expect(audit).toEqual({ source: 'slack', actor_member_id: ws.manager.id });

    // a stale button (someone fixed it first) redraws with what happened, not an error
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(slackIds.rep!, TIDY_ACTIONS.company, ids.gina!));
    const stale = answer();
    expect(stale.replace_original).toBe(true);
    expect(stale.blocks[0].elements[0].text).toContain(':warning: Gina &lt;!channel&gt; Globex no longer needs this fix');
  });

  it('/crm tidy shows the worst ten, "and N more", and says when there is nothing to tidy', async () => {
    const other = await makeWorkspace(t.sql, t.db);
    const oldWs = ws;
    ws = other;
    try {
      for (let i = 0; i < 25; i++) await contact(`Orphan ${i}`, { owner: null, email: `o${i}@gmail.com` });
      const [{ s }] = await sql(`select slack_user_id s from crm.members where id = $1`, [other.rep.id]);
      await sql(`update crm.slack_installations set workspace_id = $1 where team_id = $2`, [other.id, TEAM]);
      await rapport.command(s, 'tidy');
      const a = answer();
      expect(a.blocks.filter((b: any) => b.block_id?.startsWith('tidy_item:'))).toHaveLength(10);
      expect(a.blocks.at(-1).elements[0].text).toBe('…and 15 more');
      await sql(`update crm.contacts set owner_id = $1, company_id = null where workspace_id = $2`, [other.rep.id, other.id]);
      await sql(`delete from crm.contact_emails where workspace_id = $1`, [other.id]);
      await sql(`insert into crm.companies (workspace_id, name) values ($1, 'Co')`, [other.id]);
      await sql(`update crm.contacts set company_id = (select id from crm.companies where workspace_id = $1) where workspace_id = $1`, [other.id]);
      slack.responses.length = 0;
      await rapport.command(s, 'tidy');
      expect(answer().blocks[0].text.text).toContain('Nothing to tidy');
    } finally {
      ws = oldWs;
      await sql(`update crm.slack_installations set workspace_id = $1 where team_id = $2`, [oldWs.id, TEAM]);
    }
  });
});
