/** The benchmark's results as data (written to bench/results/*.json) and as the table it prints. */
import type { LoadReport } from './load.js';
import type { Stats } from './measure.js';

export type DbName = 'postgres' | 'pglite';

export interface CaseResult {
  case: string;
  note: string;
  /** requests in flight */
  concurrency: number;
  /** the case's target, and whether this run met it */
  target: { met: boolean; text: string };
  http: Stats;
  baseline: Stats;
  ratioP50: number;
  ratioP95: number;
  /** CPU time of this Node process (client, app, pg driver; for PGlite also the database) per wall time, in % of one core */
  nodeCpu: { http: number; baseline: number };
  errorSamples: string[];
  verify?: { ok: boolean; line: string; details: Record<string, unknown> };
}

export interface DbResult {
  db: DbName;
  scale: number;
  contactsMeasured: number;
  load: LoadReport['steps'];
  loadMs: number;
  migrateMs: number;
  rows: Record<string, number>;
  appPool: string;
  baselineConnection: string;
  cases: CaseResult[];
  explain?: Record<string, string>;
}

export function table(dbs: DbResult[]): string {
  const head = [
    'db',
    'case',
    'in flight',
    'n',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'req/s',
    'total s',
    'baseline p50',
    'baseline p95',
    'ratio p50',
    'errors',
    'target',
    'met',
  ];
  const rows: string[][] = [];
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  for (const d of dbs) {
    for (const c of d.cases) {
      rows.push([
        d.db,
        c.case,
        String(c.concurrency),
        `${c.http.n}${c.http.capped ? '*' : ''}`,
        f(c.http.p50),
        f(c.http.p95),
        f(c.http.p99),
        c.http.rps.toFixed(0),
        (c.http.wallMs / 1000).toFixed(1),
        f(c.baseline.p50),
        f(c.baseline.p95),
        Number.isFinite(c.ratioP50) ? `${c.ratioP50.toFixed(1)}x` : '-',
        String(c.http.errors + c.baseline.errors),
        c.target.text,
        c.target.met ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i >= head.length - 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
