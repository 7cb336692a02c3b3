/**
 * One call to Google with our own backoff: googleapis and google-auth-library
 * retry nothing (their transport is built with retries off), so every attempt
 * is counted here and a lease-holding worker knows how long a call can take.
 */
import { failedCall, GoogleAccessLost, GoogleUnavailable, verdict } from './errors.js';

export interface RetryOptions {
  /** attempts in all, the first included (default 5) */
  maxAttempts?: number;
  /** the wait between attempts; tests pass one that only records (default setTimeout) */
  sleep?: (ms: number) => Promise<void>;
  /** the first backoff (default 1000 ms), doubled after each failure */
  baseMs?: number;
}

/** The call answered 404: what is asked for is not there (a deleted message, an expired history id). */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The wait before attempt n + 1 (n ≥ 1): base × 2^(n−1), at least what
 * Retry-After asked for, plus up to a quarter more at random so that many
 * workers do not come back at once.
 *   backoffMs(1, 1000, 2) ∈ [2000, 2500)
 *   backoffMs(3, 1000) ∈ [4000, 5000)
 */
export function backoffMs(attempt: number, baseMs: number, retryAfterSeconds?: number, random = Math.random()): number {
  const wait = Math.max(baseMs * 2 ** (attempt - 1), (retryAfterSeconds ?? 0) * 1000);
  return Math.round(wait * (1 + random / 4));
}

/**
 * `call(attempt)` until it succeeds. Rate limits, 5xx and network errors are
 * retried (at most maxAttempts in all, then GoogleUnavailable); lost access
 * throws GoogleAccessLost; a 401 calls `renew` once (a fresh token) and then
 * counts as revoked; a 404 throws NotFound; anything else throws an Error
 * naming `what` and the status. Never the token: errors are made here, not
 * passed on from gaxios (whose request, for a revoke, has the token in its URL).
 */
export async function withRetries<T>(what: string, call: (attempt: number) => Promise<T>, o: RetryOptions & { renew?: () => void } = {}): Promise<T> {
  const maxAttempts = Math.max(1, o.maxAttempts ?? 5);
  const sleep = o.sleep ?? realSleep;
  let renewed = false;
  let last = '';
  let lastRetryAfter: number | undefined;
  for (let attempt = 1; ; attempt++) {
    let e: unknown;
    try {
      return await call(attempt);
    } catch (thrown) {
      if (thrown instanceof GoogleAccessLost || thrown instanceof GoogleUnavailable || thrown instanceof NotFound) throw thrown;
      e = thrown;
    }
    const v = verdict(failedCall(e));
    if (v.kind === 'lost') throw new GoogleAccessLost(v.reason);
    if (v.kind === 'not_found') throw new NotFound(`${what}: Google answered 404`);
    if (v.kind === 'unauthorized') {
      if (renewed || !o.renew) throw new GoogleAccessLost('revoked');
      renewed = true;
      o.renew();
      continue;
    }
    if (v.kind === 'fail') throw new Error(`${what} failed: ${v.what}`);
    last = v.what;
    lastRetryAfter = v.retryAfterSeconds;
    if (attempt >= maxAttempts) {
      throw new GoogleUnavailable(`${what}: Google kept failing (${attempt} attempts, the last ${last})`, lastRetryAfter);
    }
    await sleep(backoffMs(attempt, o.baseMs ?? 1000, v.retryAfterSeconds));
  }
}
