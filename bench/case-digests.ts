/**
 * The digest case: GET /api/me/digest for each manager of the loaded data
 * (a team's overdue and due-today follow-ups, customers waiting for a reply,
 * customers going cold and yesterday's activity, over every contact the team
 * owns), beside the same compose function called directly with SQL. The
 * compose is one set-based function call per digest: the figure per digest
 * times the number of managers is what a morning costs.
 */
import { newApiToken } from '../backend/auth/api-tokens.js';
import { type BenchCase, check, expectStatus, request } from './case-kit.js';

const COMPOSE_SQL = `select api.digest_compose($1::jsonb, '{}'::jsonb) as d`;

export const digests: BenchCase = {
  name: 'digests',
  warmup: 10,
  // every manager's digest once, 4 at a time (the scheduler composes a pass's due
  // digests with a few in flight); the target is the wall time of all of them
  requests: 1000,
  concurrency: 4,
  target: (r) => ({ met: r.wallMs <= 10_000 && r.http.n >= 1000, text: '1,000 managers in <= 10 s' }),
  async prepare(ctx) {
    const managers = await ctx.admin<{ id: string; email: string; workspace_id: string; team: number }>(
      `select m.id::text, m.email, m.workspace_id::text,
              (select count(*)::int from crm.members r where r.manager_id = m.id) as team
         from crm.members m
        where exists (select 1 from crm.members r where r.manager_id = m.id)
        order by m.email`,
    );
    check(managers.length > 0, 'no managers in the loaded data');
    const tokens: string[] = [];
    for (const m of managers) {
      const { token, hash } = newApiToken();
      await ctx.admin(`select api.token_create($1::jsonb)`, [
        JSON.stringify({ email: m.email, workspaceId: m.workspace_id, tokenHash: hash, label: 'bench-digest' }),
      ]);
      tokens.push(token);
    }
    const now = new Date().toISOString();
    const pick = (i: number) => i % managers.length;
    const ctxOf = (i: number) => ({ workspaceId: managers[pick(i)]!.workspace_id, memberId: managers[pick(i)]!.id, source: 'api', now });
    return {
      note: `${managers.length} managers (${teamSizes(managers.map((m) => m.team))}), composed in turn`,
      async http(i) {
        const res = await request(`${ctx.base}/api/me/digest`, { headers: { authorization: `Bearer ${tokens[pick(i)]}` } });
        const body = JSON.parse(res.text) as { overdue?: { total: number }; reader?: { memberId: string } };
        expectStatus({ status: res.status, body }, 200);
        check(body.reader?.memberId === managers[pick(i)]!.id && typeof body.overdue?.total === 'number', 'a digest for another reader');
      },
      async baseline(i) {
        const rows = await ctx.baseline<{ d: { reader: { memberId: string } } }>(COMPOSE_SQL, [JSON.stringify(ctxOf(i))]);
        check(rows[0]?.d.reader.memberId === managers[pick(i)]!.id, 'a digest for another reader');
      },
      explainTarget(i) {
        return { fn: 'digest_compose', args: {}, baselineSql: COMPOSE_SQL, baselineParams: [JSON.stringify(ctxOf(i))] };
      },
    };
  },
};

/** teamSizes([4, 4, 3]) = '2 teams of 4, 1 of 3' */
function teamSizes(sizes: number[]): string {
  const counts = new Map<number, number>();
  for (const n of sizes) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[0] - a[0])
    .map(([n, k], i) => `${k} ${i ? 'of' : 'teams of'} ${n}`)
    .join(', ');
}
