import { ErrorCode, type WebClient } from '@slack/web-api';
import type { ClaimedAlertDelivery } from '../../backend/alerts/delivery-schemas.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { BackendError, json, type ServiceClient } from '../backend-client.js';
import { findPosted } from '../digest/scheduler.js';
import { st } from '../i18n/index.js';
import { alertBlocks } from './blocks.js';

/**
 * Sends the alert messages that are due, each exactly once however many
 * servers run this: the backend folds each stream's due alerts into one
 * message and leases it to one worker (POST /api/slack/alerts/claim); a worker
 * that takes over a message someone started (attempts > 1) first looks for the
 * post already made for it, by its metadata key (the delivery's id). A
 * channel rule's channel is checked first: shared with another organisation
 * (Slack Connect) or gone, nothing is posted, the rule stops and its creator
 * is told in their language.
 */
export interface AlertDeps {
  service: ServiceClient;
  /** a Web API client for the team that does not retry by itself (digestClient) */
  clientFor(teamId: string): WebClient | Promise<WebClient>;
  workerId: string;
  now: () => Date;
  publicUrl?: string;
  /** messages posted at once (default 16) */
  concurrency?: number;
  /** messages claimed per step (default 100) */
  limit?: number;
  /** how long a claim is held before another worker may take it over (default 60 s) */
  leaseSeconds?: number;
  logError?: (e: unknown) => void;
}

export type AlertStepResult = { claimed: number; sent: number; retried: number; failed: number; stopped: number };

/** The metadata event type every alert message carries, with event_payload.key = the delivery's id. */
export const ALERT_EVENT_TYPE = 'rapport_alert';
const MAX_ATTEMPTS = 5;

type Outcome = 'sent' | 'retry' | 'failed' | 'shared' | 'gone';
type FinishExtra = { channel?: string; ts?: string; error?: string; retryAfterSeconds?: number };

/** One pass: claim what is due, then post and finish each message, a few at a time. */
export async function runAlertStep(deps: AlertDeps): Promise<AlertStepResult> {
  const { claimed } = await json(
    deps.service.alerts.claim.$post({ json: { workerId: deps.workerId, limit: deps.limit ?? 100, leaseSeconds: deps.leaseSeconds ?? 60 } }),
  );
  const result: AlertStepResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, stopped: 0 };
  const queue = [...(claimed as ClaimedAlertDelivery[])];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      try {
        const outcome = await deliver(d, deps);
        if (outcome === 'sent') result.sent += 1;
        else if (outcome === 'retry') result.retried += 1;
        else if (outcome === 'failed') result.failed += 1;
        else result.stopped += 1;
      } catch (e) {
        // finishing failed (or a post went out unrecorded): the lease runs out and a later claim looks for the post
        (deps.logError ?? console.error)(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? 16, queue.length)) }, worker));
  return result;
}

async function deliver(d: ClaimedAlertDelivery, deps: AlertDeps): Promise<Outcome> {
  const finish = async (outcome: Outcome, extra: FinishExtra = {}) =>
    json(deps.service.alerts.finish.$post({ json: { id: d.id, workerId: deps.workerId, outcome, ...extra } }));
  const r = d.recipient;
  let posted = false;
  let channel: string | undefined;
  try {
    // no team of its own: the one Slack workspace the server is connected to
    const client = await deps.clientFor(r.teamId ?? '');
    if (r.type === 'rule') {
      const stop = await channelStopped(client, r.channelId);
      if (stop) {
        const { tell } = await finish(stop, { error: `channel ${stop}` });
        if (tell?.creator.slackUserId && tell.creator.active !== false) {
          const locale = (tell.creator.locale ?? 'en') as Locale;
          const name = (tell.channelName ?? tell.channelId).replace(/[<>&]/g, '');
          await client.chat
            .postMessage({
              channel: tell.creator.slackUserId,
              text: st(locale, stop === 'shared' ? 'alert_rule_shared' : 'alert_rule_gone', { channel: name }),
            })
            .catch((e: unknown) => (deps.logError ?? console.error)(e));
        }
        return stop;
      }
      channel = r.channelId;
    } else {
      if (!r.slackUserId) {
        await finish('failed', { error: 'no Slack user' });
        return 'failed';
      }
      channel = r.slackUserId;
    }
    if (d.attempts > 1) {
      // a copy claimed this one before and died, maybe after posting: look before posting again
      const where = r.type === 'rule' ? r.channelId : (await client.conversations.open({ users: r.slackUserId! })).channel?.id;
      const found = where ? await findPosted(client, where, d.id, Date.parse(d.createdAt) - 60_000, ALERT_EVENT_TYPE) : undefined;
      if (found) {
        await finish('sent', { channel: where!, ts: found });
        return 'sent';
      }
    }
    const message = alertBlocks(d, { locale: r.locale as Locale, timeZone: r.timezone, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) });
    const res = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key: d.id } },
      unfurl_links: false,
      unfurl_media: false,
    });
    posted = true;
    await finish('sent', { channel: String(res.channel ?? channel).slice(0, 50), ts: String(res.ts).slice(0, 50) });
    return 'sent';
  } catch (e) {
    if (posted) throw e; // sent, but not recorded: the next claim finds the message by its key
    const error = describe(e);
    if (isRateLimited(e)) {
      await finish('retry', { retryAfterSeconds: Math.min(3600, Math.max(1, Math.ceil(e.retryAfter))), error });
      return 'retry';
    }
    const code = (e as { data?: { error?: string } })?.data?.error;
    if (r.type === 'rule' && (code === 'channel_not_found' || code === 'is_archived')) {
      await finish('gone', { error });
      return 'gone';
    }
    const last = d.attempts >= MAX_ATTEMPTS;
    await finish(last ? 'failed' : 'retry', { error });
    return last ? 'failed' : 'retry';
  }
}

/** 'shared': the channel is (or is being) shared with another organisation; 'gone': archived or deleted. */
async function channelStopped(client: WebClient, channel: string): Promise<'shared' | 'gone' | undefined> {
  try {
    const info = (await client.conversations.info({ channel })).channel as
      | { is_ext_shared?: boolean; is_pending_ext_shared?: boolean; is_archived?: boolean }
      | undefined;
    if (info?.is_ext_shared || info?.is_pending_ext_shared) return 'shared';
    if (info?.is_archived) return 'gone';
    return undefined;
  } catch (e) {
    const code = (e as { data?: { error?: string } })?.data?.error;
    if (code === 'channel_not_found' || code === 'is_archived') return 'gone';
    throw e;
  }
}

function isRateLimited(e: unknown): e is { retryAfter: number } {
  return (e as { code?: string })?.code === ErrorCode.RateLimitedError && typeof (e as { retryAfter?: unknown }).retryAfter === 'number';
}

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
 * The alert step every intervalMs (1 s unless chosen) on unref'd timers, in
 * `loops` loops at once (2 unless chosen; each its own worker id, so that one
 * claims while the other posts); in each loop a step starts only after the
 * previous one ended, at once when that one claimed a full batch (a backlog).
 * stop() waits for the steps under way.
 */
export function startAlertScheduler(deps: AlertDeps & { intervalMs?: number; loops?: number }): { stop(): Promise<void> } {
  const intervalMs = deps.intervalMs ?? 1000;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  const loop = (workerId: string, wait: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      let full = false;
      const step: Promise<void> = runAlertStep({ ...deps, workerId })
        .then(
          (r) => {
            full = r.claimed >= (deps.limit ?? 100);
          },
          (e: unknown) => (deps.logError ?? console.error)(e),
        )
        .finally(() => {
          running.delete(step);
          if (!stopped) loop(workerId, full ? 0 : intervalMs);
        });
      running.add(step);
    }, wait);
    timer.unref();
    timers.add(timer);
  };
  const loops = Math.max(1, deps.loops ?? 2);
  // the loops start half an interval apart, so that an idle server claims twice a second
  for (let i = 0; i < loops; i++) loop(loops > 1 ? `${deps.workerId}:${i}` : deps.workerId, intervalMs + Math.round((i * intervalMs) / loops));
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...running]);
    },
  };
}
