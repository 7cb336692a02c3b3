import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/port.js';
import { ApiError } from '../errors.js';
import type { AppDeps, AppEnv } from '../types.js';

/** Requests a minute; 0 turns a limit off. */
export interface RateLimitConfig {
  /** per API token, or per member for a Google ID token (RAPPORT_RATE_LIMIT_PER_MINUTE) */
  perCredential: number;
  /** per workspace, every caller together (RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE) */
  perWorkspace: number;
  /** mail delivered to /inbound/* per capture address (RAPPORT_INBOUND_RATE_LIMIT_PER_MINUTE) */
  perCaptureAddress?: number;
  /** how often this copy adds its counts to the shared table (ms); 250 by default */
  flushMs?: number;
  /** the clock the windows follow; the app's clock, else Date.now */
  now?: () => number;
}

const WINDOW_MS = 60_000;
/** A copy flushes, and waits for it, once it has counted this share of a key's limit since its last flush. */
const EAGER_SHARE = 0.1;

interface KeyState {
  windowStart: number;
  /** the key's total across every copy, as the last flush answered (our own flushed counts included) */
  known: number;
  /** counted here and not yet sent */
  pending: number;
  /** counted here and being sent now */
  sending: number;
  /** when this copy last learnt the key's total */
  seenAt: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfter: number };

/**
 * Fixed one-minute windows, counted locally and shared through
 * api.rate_flush, so several server copies enforce one limit without a
 * database write per request.
 *
 * A request is refused when (last known total + what this copy counted since)
 * would exceed the limit. A copy knows its own counts exactly; what it does not
 * yet know is what the other copies counted since its last flush. Each copy
 * flushes at most every `flushMs` while it has traffic for a key, and at once,
 * waiting for the answer, when it has counted EAGER_SHARE of a key's limit
 * since its last flush. So with N copies the overshoot of one window is
 * bounded by about (N - 1) x max(EAGER_SHARE x limit, what one copy admits in
 * flushMs plus one flush's round trip); one copy alone never overshoots.
 * Refused requests are not counted. If the database cannot be reached the
 * counts stay pending and each copy enforces the limit on what it knows.
 */
export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private flushing: Promise<void> | null = null;
  private lastFlush = 0;
  private readonly flushMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    readonly config: RateLimitConfig,
  ) {
    this.flushMs = config.flushMs ?? 250;
    this.now = config.now ?? Date.now;
  }

  /** Counts one request against every key, or refuses it if any key is over its limit. */
  async hit(limits: Array<{ key: string; limit: number }>): Promise<RateVerdict> {
    const active = limits.filter((l) => l.limit > 0);
    if (active.length === 0) return { ok: true };
    const now = this.now();
    const windowStart = now - (now % WINDOW_MS);
    const states = active.map((l) => ({ ...l, s: this.state(l.key, windowStart, now) }));
    // stale knowledge of a key another copy may be using: refresh it in the background
    if (states.some(({ s }) => now - s.seenAt >= this.flushMs) && now - this.lastFlush >= this.flushMs) void this.flush().catch(() => {});
    for (const { limit, s } of states) {
      if (s.known + s.sending + s.pending + 1 > limit) {
        return { ok: false, retryAfter: Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000)) };
      }
    }
    let eager = false;
    for (const { limit, s } of states) {
      s.pending += 1;
      if (s.pending + s.sending >= Math.max(1, Math.floor(limit * EAGER_SHARE))) eager = true;
    }
    if (eager) await this.flush().catch(() => {});
    return { ok: true };
  }

  /** Sends every pending count and learns the totals; one flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.send().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private state(key: string, windowStart: number, _now: number): KeyState {
    let s = this.keys.get(key);
    if (!s || s.windowStart !== windowStart) {
      s = { windowStart, known: 0, pending: 0, sending: 0, seenAt: s?.windowStart === windowStart ? s.seenAt : -Infinity };
      this.keys.set(key, s);
    }
    return s;
  }

  private async send(): Promise<void> {
    const now = this.now();
    const windowStart = now - (now % WINDOW_MS);
    this.lastFlush = now;
    const batch: Record<string, number> = {};
    for (const [key, s] of this.keys) {
      if (s.windowStart < windowStart) {
        this.keys.delete(key); // an ended window: its counts no longer matter
        continue;
      }
      if (s.windowStart !== windowStart) continue;
      batch[key] = s.pending;
      s.sending += s.pending;
      s.pending = 0;
    }
    if (Object.keys(batch).length === 0) return;
    let totals: Record<string, number>;
    try {
      totals = await this.db.callAnonymous<Record<string, number>>('rate_flush', {
        windowStart: new Date(windowStart).toISOString(),
        counts: batch,
      });
    } catch (e) {
      for (const key of Object.keys(batch)) {
        const s = this.keys.get(key);
        if (s && s.windowStart === windowStart) {
          s.pending += batch[key]!;
          s.sending -= batch[key]!;
        }
      }
      throw e;
    }
    const seenAt = this.now();
    for (const [key, sent] of Object.entries(batch)) {
      const s = this.keys.get(key);
      if (!s || s.windowStart !== windowStart) continue;
      s.sending -= sent;
      s.known = Math.max(s.known, Number(totals[key] ?? 0));
      s.seenAt = seenAt;
    }
  }
}

/** One limiter per createApp's deps: one server copy. */
const limiters = new WeakMap<AppDeps, RateLimiter | null>();

function limiterOf(deps: AppDeps): RateLimiter | null {
  let limiter = limiters.get(deps);
  if (limiter === undefined) {
    const config = deps.rateLimit;
    limiter =
      config && (config.perCredential > 0 || config.perWorkspace > 0 || (config.perCaptureAddress ?? 0) > 0)
        ? new RateLimiter(deps.db, { ...config, now: config.now ?? (deps.clock ? () => deps.clock!().getTime() : undefined) })
        : null;
    limiters.set(deps, limiter);
  }
  return limiter;
}

/**
 * After authenticate: 429 with Retry-After once the caller's credential or
 * workspace has used its requests of this minute. A person counts against
 * their own budget (per token; per member for the Gmail add-on and for the
 * Slack app acting for them) and the workspace's. The scheduler's work
 * (digests) counts against neither: it is Rapport's own, bounded by the
 * members it serves, and must not be starved by them.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const deps = c.get('deps');
  const limiter = limiterOf(deps);
  if (!limiter) return next();
  const p = c.get('principal');
  if (p.source === 'scheduler') return next();
  const limits = [{ key: `ws:${p.workspaceId}`, limit: limiter.config.perWorkspace }];
  if (p.credentialKey) limits.push({ key: p.credentialKey, limit: limiter.config.perCredential });
  const verdict = await limiter.hit(limits);
  if (!verdict.ok) {
    throw new ApiError(429, 'rate_limited', { seconds: verdict.retryAfter }, undefined, { 'retry-after': String(verdict.retryAfter) });
  }
  await next();
});

/**
 * /inbound/*: 429 with Retry-After once a capture address has received its
 * messages of this minute. A relay retries a 429 (Postmark and MTAs do), so
 * mail is delayed, not lost; a flood to one leaked address cannot fill the
 * database or the member's refusal list. The key is a hash: the secret itself
 * is never stored.
 */
export async function limitCaptureAddress(c: Context<AppEnv>, secret: string): Promise<void> {
  const deps = c.get('deps');
  const limiter = limiterOf(deps);
  const limit = limiter?.config.perCaptureAddress ?? 0;
  if (!limiter || limit <= 0) return;
  const key = `capture:${createHash('sha256').update(secret).digest('hex').slice(0, 32)}`;
  const verdict = await limiter.hit([{ key, limit }]);
  if (!verdict.ok) {
    throw new ApiError(429, 'rate_limited', { seconds: verdict.retryAfter }, undefined, { 'retry-after': String(verdict.retryAfter) });
  }
}
