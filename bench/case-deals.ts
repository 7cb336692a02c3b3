/**
 * The pipeline a manager reads (issue 18): GET /api/stats for the managers of
 * the measured workspace, each scoped to their team (themselves and their 4
 * reps, about 3,000 of its 30,000 deals at scale 1), beside the same pipeline,
 * won and lost numbers by plain SQL. The API's answer holds all of /api/stats
 * (contacts, interactions, follow-ups, replies) as well as the deals: that
 * is what `/crm stats` waits for.
 */
import { newApiToken } from '../backend/auth/api-tokens.js';
import { type BenchCase, check, expectStatus, request } from './case-kit.js';

/** open deals of a team by stage and currency, with the weighted sum; won and lost in the last 7 days by currency */
const PIPELINE_SQL = `
  select 'open' as kind, d.stage, d.currency, count(*)::int as n, coalesce(sum(d.amount), 0)::text as amount,
         coalesce(round(sum(d.amount * s.probability) / 100), 0)::text as weighted
    from crm.deals d join crm.pipeline_stages s on s.workspace_id = d.workspace_id and s.key = d.stage
   where d.workspace_id = $1 and d.owner_id = any ($2::uuid[]) and d.status = 'open'
   group by d.stage, d.currency
  union all
  select d.status, null, d.currency, count(*)::int, coalesce(sum(d.amount), 0)::text, null
    from crm.deals d
   where d.workspace_id = $1 and d.owner_id = any ($2::uuid[]) and d.status <> 'open'
     and d.closed_at >= now() - interval '7 days' and d.closed_at <= now()
   group by d.status, d.currency`;

type Row = { kind: string; stage: string | null; currency: string | null; n: number; amount: string; weighted: string | null };
type Money = { currency: string; count: number; amount: number; weighted?: number };
type DealStats = { pipeline: { count: number; totals: Money[] }; won: { count: number }; lost: { count: number } };

/** what the API's pipeline totals must be, from the baseline's rows: 'USD 123 45 3|JPY ...' */
function totalsOf(rows: Row[]): { open: number; totals: string; won: number; lost: number } {
  const by = new Map<string, { n: number; amount: bigint; weighted: bigint }>();
  let open = 0;
  for (const r of rows.filter((r) => r.kind === 'open')) {
    open += r.n;
    if (!r.currency) continue;
    const t = by.get(r.currency) ?? { n: 0, amount: 0n, weighted: 0n };
    by.set(r.currency, { n: t.n + r.n, amount: t.amount + BigInt(r.amount), weighted: t.weighted + BigInt(r.weighted ?? '0') });
  }
  const closed = (kind: string) => rows.filter((r) => r.kind === kind).reduce((n, r) => n + r.n, 0);
  const totals = [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, t]) => `${c} ${t.n} ${t.amount}`)
    .join('|');
  return { open, totals, won: closed('won'), lost: closed('lost') };
}

export const pipelineStats: BenchCase = {
  name: 'pipeline-stats',
  warmup: 20,
  concurrency: 2,
  target: (r) => ({ met: r.http.p95 <= 100, text: 'p95 <= 100 ms' }),
  async prepare(ctx) {
    const managers = await ctx.admin<{ id: string; email: string; team: string[] }>(
      `select m.id::text, m.email, array(select crm.team_of(m.workspace_id, m.id))::text[] as team
         from crm.members m
        where m.workspace_id = $1 and exists (select 1 from crm.members r where r.workspace_id = m.workspace_id and r.manager_id = m.id)
        order by m.email`,
      [ctx.ws.workspaceId],
    );
    check(managers.length > 0, 'no managers in the measured workspace');
    const targets: { id: string; email: string; team: string[]; token: string; expected: ReturnType<typeof totalsOf> }[] = [];
    for (const m of managers) {
      const { token, hash } = newApiToken();
      await ctx.admin(`select api.token_create($1::jsonb)`, [
        JSON.stringify({ email: m.email, workspaceId: ctx.ws.workspaceId, tokenHash: hash, label: 'bench-pipeline' }),
      ]);
      const expected = totalsOf(await ctx.admin<Row>(PIPELINE_SQL, [ctx.ws.workspaceId, m.team]));
      check(expected.open > 0, `manager ${m.email}'s team has no open deals`);
      targets.push({ ...m, token, expected });
    }
    const pick = (i: number) => targets[i % targets.length]!;
    const [all] = await ctx.admin<{ n: number }>(`select count(*)::int as n from crm.deals where workspace_id = $1`, [ctx.ws.workspaceId]);
    return {
      note: `${targets.length} managers of the measured workspace in turn (${all!.n.toLocaleString('en')} deals; a team's open: ${targets
        .slice(0, 3)
        .map((t) => t.expected.open.toLocaleString('en'))
        .join(', ')}…)`,
      async http(i) {
        const t = pick(i);
        const res = await request(`${ctx.base}/api/stats`, { headers: { authorization: `Bearer ${t.token}` } });
        const body = JSON.parse(res.text) as { scope?: string; deals?: DealStats };
        expectStatus({ status: res.status, body }, 200);
        const d = body.deals;
        check(body.scope === 'team' && d, 'stats without the team scope or deals');
        const totals = d.pipeline.totals.map((x) => `${x.currency} ${x.count} ${x.amount}`).join('|');
        check(d.pipeline.count === t.expected.open && totals === t.expected.totals, `pipeline ${totals} is not ${t.expected.totals}`);
        // a deal may cross the 7-day edge during the run
        check(Math.abs(d.won.count - t.expected.won) <= 1 && Math.abs(d.lost.count - t.expected.lost) <= 1, 'won or lost counts differ');
      },
      async baseline(i) {
        const t = pick(i);
        const got = totalsOf(await ctx.baseline<Row>(PIPELINE_SQL, [ctx.ws.workspaceId, t.team]));
        check(got.open === t.expected.open && got.totals === t.expected.totals, 'baseline pipeline differs');
      },
      explainTarget(i) {
        const t = pick(i);
        return { fn: 'stats', args: {}, baselineSql: PIPELINE_SQL, baselineParams: [ctx.ws.workspaceId, t.team] };
      },
    };
  },
};
