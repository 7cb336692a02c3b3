/** `npm run bench`'s options: what to run, how hard, and where the figures go. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArgs } from '../backend/cli/args.js';
import { CASES } from './cases.js';
import { CONTACTS_AT_SCALE_1, workspaceSizes } from './load.js';
import type { DbName } from './report.js';

export interface Options {
  scale: number;
  pgliteScale: number;
  /** the cases to run (--only a,b), or null for all */
  only: string[] | null;
  db: DbName[];
  requests: number;
  concurrency: number | null;
  /** requests run before each side is measured, or null for each case's own */
  warmup: number | null;
  maxSeconds: number;
  explain: boolean | 'all';
  out: string;
}

const USAGE = `usage: tsx bench/run.ts [--scale <n>] [--only <case,...>] [--db postgres|pglite|both]
                        [--requests <n>] [--concurrency <n>] [--warmup <n>] [--pglite-scale <n>] [--max-seconds <s>] [--explain | --explain-all] [--out <file>]
  --scale         1 = ${CONTACTS_AT_SCALE_1.toLocaleString('en')} contacts in 100 workspaces, ${workspaceSizes(1)[0]!.toLocaleString('en')} in the measured one (default 1; 0.1 for a quick run)
  --pglite-scale  size used for PGlite, whose load is slower (default: the smaller of --scale and 0.25)
  --only          cases, comma-separated: ${CASES.map((c) => c.name).join(', ')}, embedded
  --db            postgres, pglite or both (default postgres; pglite runs the cases in process on the embedded database)
  --requests      requests per case and side (default 2000)
  --concurrency   requests in flight for every case (default: each case's own, see bench/README.md)
  --warmup        requests run, unmeasured, before each side of every case (default: each case's own, at most a
                  tenth of --requests); --warmup 2000 measures with caches as warm as a server's that has run a while
  --max-seconds   time cap per case and side; a capped run reports the n it reached (default 30)
  --explain       on PostgreSQL, print EXPLAIN ANALYZE (auto_explain, nested) for cases whose p50 ratio is above 5
                  or whose API p50 is above 100 ms (--explain-all: every case)
  --out           where to write the JSON (default bench/results/latest.json for a full run at --scale 1 with every
                  case, bench/results/quick.json for any other, so a quick run never replaces the committed figures)`;

/** The full-scale run's results, committed; any smaller or partial run writes quick.json beside it. */
const LATEST = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const QUICK = fileURLToPath(new URL('./results/quick.json', import.meta.url));

export function parseOptions(argv: string[]): Options {
  let v: ReturnType<typeof readBenchArgs>['values'];
  try {
    v = readBenchArgs(argv).values;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`);
  }
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, value: string | undefined, min: number, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} needs a number >= ${min}\n${USAGE}`);
    return n;
  };
  let only: string[] | null = null;
  if (v.only !== undefined) {
    const names = v.only.split(',').filter(Boolean);
    const unknown = names.filter((n) => n !== 'embedded' && !CASES.some((c) => c.name === n));
    if (!names.length || unknown.length) throw new Error(`--only: unknown case ${unknown.join(', ') || '(none given)'}\n${USAGE}`);
    only = names;
  }
  const dbs: Record<string, DbName[]> = { postgres: ['postgres'], pglite: ['pglite'], both: ['postgres', 'pglite'] };
  if (v.db !== undefined && !dbs[v.db]) throw new Error(`--db must be postgres, pglite or both\n${USAGE}`);
  if (v.out === '') throw new Error(`--out needs a file name\n${USAGE}`);
  const scale = num('scale', v.scale, 0.001, 1);
  const o: Options = {
    scale,
    pgliteScale: num('pglite-scale', v['pglite-scale'], 0.001, Math.min(scale, 0.25)),
    only,
    db: dbs[v.db ?? 'postgres']!,
    requests: Math.floor(num('requests', v.requests, 1, 2000)),
    concurrency: v.concurrency === undefined ? null : Math.floor(num('concurrency', v.concurrency, 1, 1)),
    warmup: v.warmup === undefined ? null : Math.floor(num('warmup', v.warmup, 0, 0)),
    maxSeconds: num('max-seconds', v['max-seconds'], 1, 30),
    explain: v['explain-all'] ? 'all' : (v.explain ?? false),
    out: LATEST,
  };
  // a quick, partial or warmed-up run never replaces the full-scale figures README quotes
  const full = scale === 1 && v['pglite-scale'] === undefined && only === null && v.warmup === undefined;
  o.out = v.out !== undefined ? path.resolve(v.out) : full ? LATEST : QUICK;
  return o;
}

function readBenchArgs(argv: string[]) {
  return readArgs(argv, {
    scale: { type: 'string' },
    'pglite-scale': { type: 'string' },
    only: { type: 'string' },
    db: { type: 'string' },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    warmup: { type: 'string' },
    'max-seconds': { type: 'string' },
    explain: { type: 'boolean' },
    'explain-all': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
}
