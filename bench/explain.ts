/**
 * --explain (PostgreSQL only): where a case's time goes. The api.* functions
 * are PL/pgSQL, so a plain EXPLAIN of `select api.fn(...)` shows one opaque
 * function call; auto_explain with log_nested_statements reports the plan of
 * every statement inside it. The plans come back as LOG notices
 * (client_min_messages = log) on a connection of our own, are grouped by
 * statement text, and the statements that took longest in all are printed
 * with their slowest plan, followed by EXPLAIN ANALYZE of the baseline query.
 */
import pg from 'pg';
import type { LoadedWorkspace } from './load.js';
import type { BenchCase } from './cases.js';

interface Prepared {
  explainTarget(i: number): { fn: string; args: object; baselineSql: string; baselineParams: unknown[] };
}

export async function explainCase(url: string, ws: LoadedWorkspace, _c: BenchCase, prepared: unknown, top = 4): Promise<string> {
  const target = (prepared as Prepared).explainTarget;
  const t = target(0);
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  try {
    await client.query(`load 'auto_explain'`);
    await client.query(`set auto_explain.log_min_duration = 0`);
    await client.query(`set auto_explain.log_analyze = on`);
    await client.query(`set auto_explain.log_buffers = on`);
    await client.query(`set auto_explain.log_nested_statements = on`);
    await client.query(`set client_min_messages = log`);
    const ctx = { workspaceId: ws.workspaceId, memberId: ws.repId, source: 'api', now: new Date().toISOString() };
    const call = (args: object) => client.query(`select api.${t.fn}($1::jsonb, $2::jsonb) as r`, [JSON.stringify(ctx), JSON.stringify(args)]);
    await call(target(1).args); // warm (another target where it matters: a capture would otherwise be a resend)
    notices.length = 0;
    const t0 = performance.now();
    await call(t.args);
    const total = performance.now() - t0;
    await client.query(`set client_min_messages = notice`);
    await client.query(`set auto_explain.log_min_duration = -1`);

    // group the nested statements by their text
    const groups = new Map<string, { count: number; ms: number; worst: number; plan: string }>();
    let outer = '';
    for (const msg of notices) {
      const m = /^duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/.exec(msg);
      if (!m) continue;
      const ms = Number(m[1]);
      const plan = m[2]!;
      const text = (/Query Text: ([\s\S]*?)\n(?=[A-Z][a-zA-Z ]+ \(cost|\S)/.exec(plan)?.[1] ?? plan.split('\n')[0]!).trim();
      if (text.startsWith(`select api.${t.fn}(`)) {
        outer = `api.${t.fn}: ${ms.toFixed(2)} ms inside the server (${total.toFixed(2)} ms round trip)`;
        continue;
      }
      const g = groups.get(text) ?? { count: 0, ms: 0, worst: -1, plan: '' };
      g.count++;
      g.ms += ms;
      if (ms > g.worst) {
        g.worst = ms;
        g.plan = plan;
      }
      groups.set(text, g);
    }
    const lines: string[] = [outer || `api.${t.fn}: ${total.toFixed(2)} ms round trip`, `args: ${JSON.stringify(t.args).slice(0, 300)}`];
    const sorted = [...groups.entries()].sort((a, b) => b[1].ms - a[1].ms);
    lines.push(
      `${groups.size} distinct nested statements; the ${Math.min(top, sorted.length)} that took longest in all (nested times include their children):`,
    );
    for (const [text, g] of sorted.slice(0, top)) {
      lines.push('', `# ${g.count} x, ${g.ms.toFixed(2)} ms in all, slowest ${g.worst.toFixed(2)} ms: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      lines.push(g.plan.replace(/^Query Text:[\s\S]*?\n(?=\S.*\(cost)/, ''));
    }
    const base = await client.query(`explain (analyze, buffers) ${t.baselineSql}`, t.baselineParams as unknown[]);
    lines.push('', '# baseline: EXPLAIN (ANALYZE, BUFFERS)', t.baselineSql.trim().replace(/\s+/g, ' '));
    lines.push(...base.rows.map((r: Record<string, string>) => r['QUERY PLAN']!));
    return lines.join('\n');
  } finally {
    await client.end().catch(() => {});
  }
}
