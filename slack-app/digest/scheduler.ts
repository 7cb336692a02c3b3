import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { BackendError, json, type MemberClient, type ServiceClient } from '../backend-client.js';
import { digestBlocks } from './blocks.js';
import type { ClaimedDelivery, Digest } from './types.js';

/**
 * Sends the daily digests that are due, exactly once per member and local
 * date, however many servers run this at once: Postgres hands each (member,
 * date) to one worker at a time (a lease), and a worker that takes over a
 * delivery someone started (previousAttempt) first looks in the member's DM
 * for the message Rapport already posted for it, by its metadata key.
 */

export interface DigestDeps {
  service: ServiceClient;
  /** a Web API client for the team that does not retry by itself: see digestClient */
  clientFor(teamId: string): WebClient | Promise<WebClient>;
  /** the backend as that member (GET /api/me/digest): scheduledMemberClient of backend-client.ts */
  memberApi(workspaceId: string, memberId: string): MemberClient;
  /** who holds the lease: unique per process */
  workerId: string;
  now: () => Date;
  publicUrl?: string;
  /** a delivery is failed after this many attempts (default 5) */
  maxAttempts?: number;
  /** how long a claim is held before another worker may take it over (default 300 s) */
  leaseSeconds?: number;
  limit?: number;
  logError?: (e: unknown) => void;
}

export type StepResult = { claimed: number; sent: number; skipped: number; retried: number; failed: number };

/** The metadata event type every digest message carries, with event_payload.key = '<memberId>:<localDate>'. */
export const DIGEST_EVENT_TYPE = 'rapport_digest';
/** Minutes to wait after each failed attempt: 1, 5, 15, then hourly. */
export const BACKOFF_MINUTES = [1, 5, 15, 60] as const;
const MINUTE = 60_000;

/**
 * Web API options for the scheduler: one call is one attempt (no retries of
 * its own, a 429 rejected at once with its Retry-After), so that a post is
 * never sent twice by the client and the lease and backoff stay ours.
 */
export function digestClientOptions(apiUrl?: string): WebClientOptions {
  return { ...(apiUrl ? { slackApiUrl: apiUrl.replace(/\/?$/, '/') } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
}

export function digestClient(token: string, apiUrl?: string): WebClient {
  return new WebClient(token, digestClientOptions(apiUrl));
}

/** One pass: claim what is due, then compose, send and finish each delivery in turn. */
export async function runDigestStep(deps: DigestDeps): Promise<StepResult> {
  const maxAttempts = deps.maxAttempts ?? 5;
  const { claimed } = await json(
    deps.service.digests.claim.$post({
      json: { workerId: deps.workerId, maxAttempts, leaseSeconds: deps.leaseSeconds ?? 300, limit: deps.limit ?? 100 },
    }),
  );
  const result: StepResult = { claimed: claimed.length, sent: 0, skipped: 0, retried: 0, failed: 0 };
  // a team Slack rate-limited waits as a whole: its other deliveries this pass are not tried
  const limited = new Map<string, Date>();
  for (const d of claimed as ClaimedDelivery[]) {
    try {
      result[await deliver(d, deps, maxAttempts, limited)] += 1;
    } catch (e) {
      // finishing failed (the backend is unreachable): the lease runs out and a later pass takes it over
      (deps.logError ?? console.error)(e);
    }
  }
  return result;
}

async function deliver(d: ClaimedDelivery, deps: DigestDeps, maxAttempts: number, limited: Map<string, Date>): Promise<Exclude<keyof StepResult, 'claimed'>> {
  const finish = async (outcome: 'sent' | 'skipped' | 'retry' | 'failed', extra: { channel?: string; ts?: string; error?: string; retryAt?: string } = {}) => {
    const body = { workspaceId: d.workspaceId, memberId: d.memberId, localDate: d.localDate, workerId: deps.workerId, outcome, ...extra };
    await json(deps.service.digests.finish.$post({ json: body }));
  };
  const key = `${d.memberId}:${d.localDate}`;
  let channel: string | undefined;
  let posted: { channel: string; ts: string } | undefined;
  try {
    const waitUntil = limited.get(d.teamId);
    if (waitUntil) {
      await finish('retry', { retryAt: waitUntil.toISOString(), error: 'ratelimited' });
      return 'retried';
    }
    const digest = (await json(deps.memberApi(d.workspaceId, d.memberId).me.digest.$get())) as Digest;
    if (digest.empty && digest.whenEmpty === 'skip') {
      await finish('skipped');
      return 'skipped';
    }
    const message = digestBlocks(digest, { now: deps.now().toISOString(), ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) });
    const client = await deps.clientFor(d.teamId);
    if (d.previousAttempt) {
      // someone started this one (a crash after claiming, a post whose answer was lost): was it posted?
      channel = (await client.conversations.open({ users: d.slackUserId })).channel?.id ?? undefined;
      const since = Date.parse(d.previousAttempt.at ?? '') || Date.parse(d.claimedAt) - 86_400_000;
      const found = channel ? await findPosted(client, channel, key, since - MINUTE) : undefined;
      if (found) {
        await finish('sent', { channel: channel!, ts: found });
        return 'sent';
      }
    }
    const res = await client.chat.postMessage({
      channel: channel ?? d.slackUserId,
      text: message.text,
      blocks: message.blocks,
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { key } },
      unfurl_links: false,
      unfurl_media: false,
    });
    posted = { channel: String(res.channel ?? channel ?? d.slackUserId), ts: String(res.ts) };
    await finish('sent', posted);
    return 'sent';
  } catch (e) {
    if (posted) throw e; // sent, but not recorded: the next claim finds the message by its key
    const error = describe(e);
    const now = deps.now().getTime();
    if (isRateLimited(e)) {
      const retryAt = new Date(now + Math.max(1, e.retryAfter) * 1000);
      limited.set(d.teamId, retryAt);
      await finish('retry', { retryAt: retryAt.toISOString(), error, ...(channel ? { channel } : {}) });
      return 'retried';
    }
    if (d.attempts >= maxAttempts) {
      await finish('failed', { error, ...(channel ? { channel } : {}) });
      (deps.logError ?? console.error)(e);
      return 'failed';
    }
    const wait = BACKOFF_MINUTES[Math.min(d.attempts, BACKOFF_MINUTES.length) - 1]! * MINUTE;
    await finish('retry', { retryAt: new Date(now + wait).toISOString(), error, ...(channel ? { channel } : {}) });
    return 'retried';
  }
}

/** The ts of the message in channel carrying key in its metadata (of eventType), posted after oldest (ms). */
export async function findPosted(client: WebClient, channel: string, key: string, oldest: number, eventType = DIGEST_EVENT_TYPE): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await client.conversations.history({
      channel,
      oldest: (oldest / 1000).toFixed(6),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const hit = (res.messages ?? []).find(
      (m) => m.metadata?.event_type === eventType && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
    );
    if (hit?.ts) return hit.ts;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) return undefined;
  }
  return undefined;
}

function isRateLimited(e: unknown): e is { retryAfter: number } {
  return (e as { code?: string })?.code === ErrorCode.RateLimitedError && typeof (e as { retryAfter?: unknown }).retryAfter === 'number';
}

/** What went wrong, short, for the delivery's last_error (shown in /crm digest status). */
function describe(e: unknown): string {
  const err = e as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  let text: string;
  if (isRateLimited(e)) text = `Slack: ratelimited (retry after ${err.retryAfter} s)`;
  else if (err?.code === ErrorCode.PlatformError) text = `Slack: ${err.data?.error ?? 'error'}`;
  else if (err?.code === ErrorCode.HTTPError) text = `Slack: HTTP ${err.statusCode}`;
  else if (e instanceof BackendError) text = `Rapport: ${e.status} ${e.code}`;
  else text = String(err?.message ?? e);
  return text.replace(/\u0000/g, '').slice(0, 500);
}

/**
 * A step every intervalMs in this process (the digests, then alsoRun), on an unref'd timer (it never
 * keeps the process alive); a step starts only after the previous one ended.
 * stop() waits for the step under way.
 */
export function startDigestScheduler(deps: DigestDeps & { intervalMs?: number; alsoRun?: (() => Promise<unknown>)[] }): { stop(): Promise<void> } {
  const intervalMs = deps.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      // other timed DMs (meeting briefs) take their turn in the same tick, each failing alone
      running = runDigestStep(deps)
        .catch((e: unknown) => (deps.logError ?? console.error)(e))
        .then(() => Promise.all((deps.alsoRun ?? []).map((step) => step().catch((e: unknown) => (deps.logError ?? console.error)(e)))))
        .then(
          () => undefined,
          (e) => (deps.logError ?? console.error)(e),
        )
        .finally(() => {
          running = undefined;
          if (!stopped) schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
