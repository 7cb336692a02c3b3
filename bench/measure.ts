/**
 * Closed-loop load: `concurrency` workers take the next request index until
 * `n` have been sent (or the time cap is reached), each timing its own request
 * with performance.now(), from just before sending to the last byte read.
 */

export interface Sample {
  /** requests completed (errors included) */
  n: number;
  errors: number;
  /** first few error messages, for the report */
  errorSamples: string[];
  wallMs: number;
  /** true when the time cap stopped the run before n requests */
  capped: boolean;
  latencies: number[];
}

export interface Stats {
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  rps: number;
  /** wall time of the whole run */
  wallMs: number;
  capped: boolean;
}

export async function runClosedLoop(
  opts: { n: number; concurrency: number; maxMs: number; offset?: number; until?: () => boolean },
  op: (i: number) => Promise<void | number>,
): Promise<Sample> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  let capped = false;
  const t0 = performance.now();
  const deadline = t0 + opts.maxMs;
  const worker = async () => {
    for (;;) {
      if (next >= opts.n || opts.until?.()) return;
      if (performance.now() > deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const t = performance.now();
      let timed: number | undefined;
      try {
        const answer = await op(i + (opts.offset ?? 0));
        if (typeof answer === 'number') timed = answer;
      } catch (e) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(e instanceof Error ? e.message : String(e));
      }
      latencies.push(timed ?? performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return { n: latencies.length, errors, errorSamples, wallMs: performance.now() - t0, capped, latencies };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function stats(s: Sample): Stats {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: s.n,
    errors: s.errors,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    rps: Math.round((s.n / (s.wallMs / 1000)) * 10) / 10,
    wallMs: Math.round(s.wallMs),
    capped: s.capped,
  };
}
