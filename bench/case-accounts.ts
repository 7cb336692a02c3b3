/**
 * Accounts (issue 18): the account card (GET /api/companies/:id) for random
 * companies of the measured workspace, and a 50-entry page of the largest
 * account's timeline (GET /api/companies/:id/timeline?limit=50), the largest
 * being the company with the most interactions across its people (at scale 1,
 * the key account's company: its first contact has 5,000 interactions of its
 * own). Each beside the same data fetched in plain SQL.
 */
import { type BenchCase, check, expectStatus, get, sampleSize, spread } from './case-kit.js';

/** the card in plain SQL: the company, its 10 people by recent contact, open deals, its people's open follow-ups */
const CARD_SQL = [
  `select co.*, (select array_agg(d.domain) from crm.company_domains d where d.workspace_id = co.workspace_id and d.company_id = co.id) as domains
     from crm.companies co where co.workspace_id = $1 and co.id = $2`,
  `select c.* from crm.contacts c where c.workspace_id = $1 and c.company_id = $2 and c.merged_into_id is null
    order by c.last_interaction_at desc nulls last, c.id limit 10`,
  `select d.* from crm.deals d where d.workspace_id = $1 and d.company_id = $2 and d.status = 'open' order by d.close_date nulls last limit 20`,
  `select f.* from crm.contacts c join crm.follow_ups f on f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'
    where c.workspace_id = $1 and c.company_id = $2 and c.merged_into_id is null order by f.due_at limit 10`,
];

/** the newest 51 interactions of any of the company's people, each once, visible to the reader */
const TIMELINE_SQL = `
  select i.* from crm.interactions i
  where i.workspace_id = $1 and i.deleted_at is null and (i.visibility <> 'private' or i.author_id = $3)
    and i.id in (select p.interaction_id from crm.interaction_participants p
                 join crm.contacts c on c.workspace_id = p.workspace_id and c.id = p.contact_id
                 where p.workspace_id = $1 and c.company_id = $2)
  order by i.occurred_at desc, i.id desc
  limit 51`;

export const accountCard: BenchCase = {
  name: 'account-card',
  warmup: 100,
  concurrency: 2,
  target: (r) => ({ met: r.http.p50 <= 5, text: 'p50 <= 5 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ id: string }>(
      `select id::text from crm.companies where workspace_id = $1 and merged_into_id is null order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    check(rows.length > 0, 'the measured workspace has no companies');
    const targets = spread(rows, ctx.n + 200, ctx.rand);
    return {
      note: `${rows.length} distinct random companies of the measured workspace`,
      explainTarget: () => ({
        fn: 'company_get',
        args: { id: targets[0]!.id },
        baselineSql: CARD_SQL[1]!,
        baselineParams: [ctx.ws.workspaceId, targets[0]!.id],
      }),
      async http(i) {
        const t = targets[i % targets.length]!;
        const r = await get(ctx, `/api/companies/${t.id}`);
        expectStatus(r, 200);
        const b = r.body as { id: string; people: unknown[]; openDeals: unknown[] };
        check(b.id === t.id && Array.isArray(b.people) && Array.isArray(b.openDeals), 'account card mismatch');
      },
      async baseline(i) {
        const t = targets[i % targets.length]!;
        const [co] = await Promise.all(CARD_SQL.map((sql) => ctx.baseline<{ id: string }>(sql, [ctx.ws.workspaceId, t.id])));
        check(co!.length === 1 && co![0]!.id === t.id, 'baseline account card mismatch');
      },
    };
  },
};

export const accountTimeline: BenchCase = {
  name: 'account-timeline',
  warmup: 50,
  concurrency: 2,
  target: (r) => ({ met: r.http.p50 <= 10, text: 'p50 <= 10 ms' }),
  async prepare(ctx) {
    const [top] = await ctx.admin<{ id: string; n: string }>(
      `select c.company_id::text as id, count(distinct p.interaction_id) as n
         from crm.interaction_participants p
         join crm.contacts c on c.workspace_id = p.workspace_id and c.id = p.contact_id
        where p.workspace_id = $1 and c.company_id is not null
        group by c.company_id order by 2 desc, 1 limit 1`,
      [ctx.ws.workspaceId],
    );
    check(top, 'no company with interactions');
    const [people] = await ctx.admin<{ n: string }>(`select count(*) as n from crm.contacts where workspace_id = $1 and company_id = $2`, [
      ctx.ws.workspaceId,
      top.id,
    ]);
    return {
      note: `the largest account: ${Number(top.n).toLocaleString('en')} interactions across its ${people?.n} people`,
      explainTarget: () => ({
        fn: 'company_timeline',
        args: { id: top.id, limit: 50 },
        baselineSql: TIMELINE_SQL,
        baselineParams: [ctx.ws.workspaceId, top.id, ctx.ws.repId],
      }),
      async http() {
        const r = await get(ctx, `/api/companies/${top.id}/timeline?limit=50`);
        expectStatus(r, 200);
        const items = (r.body as { items: { interaction: { id: string } }[] }).items;
        check(items.length === 50 && new Set(items.map((e) => e.interaction.id)).size === 50, 'account timeline page mismatch');
      },
      async baseline() {
        const rows = await ctx.baseline(TIMELINE_SQL, [ctx.ws.workspaceId, top.id, ctx.ws.repId]);
        check(rows.length === 51, 'baseline account timeline mismatch');
      },
    };
  },
};
