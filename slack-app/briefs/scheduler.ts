import type { WebClient } from '@slack/web-api';
import { json, type ServiceClient } from '../backend-client.js';
import { findPosted } from '../digest/scheduler.js';
import { briefBlocks } from './blocks.js';

/**
 * Sends the meeting briefs that are due, one DM each, exactly once per
 * member and meeting however many servers run this: the backend leases each
 * brief to one worker (POST /api/slack/briefs/claim), and a worker that takes
 * over a brief someone started first looks in the member's DM for the message
 * already posted for it, by its metadata key (the brief's id).
 */
export interface BriefDeps {
  service: ServiceClient;
  /** a Web API client for the team that does not retry by itself (digestClient) */
  clientFor(teamId: string): WebClient | Promise<WebClient>;
  workerId: string;
  now: () => Date;
  publicUrl?: string;
  logError?: (e: unknown) => void;
}

export const BRIEF_EVENT_TYPE = 'rapport_brief';
const MAX_ATTEMPTS = 5;

export async function runBriefStep(deps: BriefDeps): Promise<{ claimed: number; sent: number; retried: number; failed: number }> {
  const { claimed } = await json(deps.service.briefs.claim.$post({ json: { workerId: deps.workerId } }));
  const result = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  for (const b of claimed) {
    const finish = (outcome: 'sent' | 'retry' | 'failed', extra: { channel?: string; ts?: string; error?: string } = {}) =>
      json(deps.service.briefs.finish.$post({ json: { id: b.id, workerId: deps.workerId, outcome, ...extra } }));
    let posted = false;
    try {
      // no team of its own: the one Slack workspace the server is connected to
      const client = await deps.clientFor(b.teamId ?? '');
      if (b.attempts > 1) {
        // a copy claimed this one before and died, maybe after posting: look before posting again
        const channel = (await client.conversations.open({ users: b.slackUserId })).channel?.id;
        const found = channel ? await findPosted(client, channel, b.id, deps.now().getTime() - 3 * 3_600_000, BRIEF_EVENT_TYPE) : undefined;
        if (found) {
          await finish('sent', { channel: channel!, ts: found });
          result.sent += 1;
          continue;
        }
      }
      const message = briefBlocks(b.brief, { locale: b.locale, timeZone: b.timezone, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) });
      const res = await client.chat.postMessage({
        channel: b.slackUserId,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: BRIEF_EVENT_TYPE, event_payload: { key: b.id } },
        unfurl_links: false,
        unfurl_media: false,
      });
      posted = true;
      await finish('sent', { channel: String(res.channel ?? b.slackUserId).slice(0, 50), ts: String(res.ts).slice(0, 50) });
      result.sent += 1;
    } catch (e) {
      // sent but not recorded: the lease runs out and the next claimer finds the message by its key
      if (posted) {
        (deps.logError ?? console.error)(e);
        continue;
      }
      const error = String((e as { data?: { error?: string }; message?: string })?.data?.error ?? (e as Error)?.message ?? e).slice(0, 500);
      const last = b.attempts >= MAX_ATTEMPTS;
      await finish(last ? 'failed' : 'retry', { error }).catch((x: unknown) => (deps.logError ?? console.error)(x));
      result[last ? 'failed' : 'retried'] += 1;
    }
  }
  return result;
}
