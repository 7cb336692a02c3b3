/** The reliability table: one row per scenario, and whether each is clean. */

export interface Row {
  scenario: string;
  sent: number;
  faults: string;
  expected: number;
  found: number;
  lost: number;
  duplicated: number;
  /** 5xx answers the outage explains: 503 + Retry-After (API), 500 "retry me" (Slack events) */
  inOutage: number;
  /** 503s (or Slack's 500s) outside the outage window */
  outsideOutage: number;
  /** 5xx other than 503 from the API (500 internal_error) */
  other5xx: number;
  /** connection errors and requests with no answer in time */
  dropped: number;
  maxLatencyMs: number;
  /** anything else wrong, in words */
  notes: string[];
}

export function rowOk(r: Row): boolean {
  return r.lost === 0 && r.duplicated === 0 && r.outsideOutage === 0 && r.other5xx === 0 && r.dropped === 0 && r.expected === r.found && r.notes.length === 0;
}

export function printTable(rows: Row[], out: (line: string) => void = console.log) {
  const head = [
    'scenario',
    'requests sent',
    'faults injected',
    'rows expected',
    'rows found',
    'lost',
    'duplicated',
    '5xx in outage',
    '5xx outside',
    'other 5xx',
    'dropped',
    'max latency',
    'result',
  ];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.sent),
    r.faults,
    String(r.expected),
    String(r.found),
    String(r.lost),
    String(r.duplicated),
    String(r.inOutage),
    String(r.outsideOutage),
    String(r.other5xx),
    String(r.dropped),
    `${(r.maxLatencyMs / 1000).toFixed(1)} s`,
    rowOk(r) ? 'ok' : 'FAIL',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i === 0 || i === 2 ? x.padEnd(width[i]!) : x.padStart(width[i]!))).join(' | ')} |`;
  out(line(head));
  out(`|${width.map((w, i) => (i === 0 || i === 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const c of cells) out(line(c));
  for (const r of rows) for (const n of r.notes) out(`  ${r.scenario}: ${n}`);
}
