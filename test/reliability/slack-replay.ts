/**
 * Slack delivering channel messages while the database restarts: each event
 * (a message in a linked channel) is delivered four times with the same
 * event_id, the first one plain and the next three with X-Slack-Retry-Num 1..3,
 * one after the other as Slack does (at once, after 1 min, after 5 min:
 * compressed here to 1 s, 12 s, 20 s apart), Slack's 3 s timeout on each.
 * Afterwards each message must be exactly one interaction.
 */
import { signSlackRequest } from '../../slack-app/signature.js';
import { SIGNING_SECRET } from './server.js';
import { TEAM } from './slack-stand-in.js';
import { LINKED_CHANNEL } from './seed.js';

export interface Delivery {
  event: number;
  retry: number;
  status: number;
  sentAt: number;
  answeredAt: number;
}

export interface ReplayResult {
  deliveries: Delivery[];
  /** event index -> the message's ts (its interaction's externalId is TEAM:CHANNEL:ts) */
  tsOf: string[];
}

const RETRY_GAPS_MS = [1_000, 12_000, 20_000];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function replaySlackEvents(opts: { base: string; authorSlackId: string; events: number; spreadMs: number; runId: string }): Promise<ReplayResult> {
  const deliveries: Delivery[] = [];
  const tsOf: string[] = [];
  const baseTs = Math.floor(Date.now() / 1000);
  const one = async (i: number) => {
    await sleep((opts.spreadMs * i) / opts.events);
    const ts = `${baseTs}.${String(100000 + i).padStart(6, '0')}`;
    tsOf[i] = ts;
    const body = JSON.stringify({
      token: 'deprecated',
      team_id: TEAM,
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: `Ev${opts.runId}${i}`,
      event_time: baseTs,
      event: {
        type: 'message',
        channel: LINKED_CHANNEL,
        channel_type: 'channel',
        user: opts.authorSlackId,
        text: `Slack replay ${opts.runId} #${i}: 納期の件、承知しました`,
        ts,
        event_ts: ts,
      },
      authorizations: [{ team_id: TEAM, user_id: 'U0BOT', is_bot: true }],
    });
    for (let retry = 0; retry < 4; retry++) {
      if (retry > 0) await sleep(RETRY_GAPS_MS[retry - 1]!);
      const d: Delivery = { event: i, retry, status: 0, sentAt: Date.now(), answeredAt: 0 };
      try {
        const res = await fetch(`${opts.base}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)),
            ...(retry > 0 ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_error' } : {}),
          },
          body,
          signal: AbortSignal.timeout(3_000),
        });
        await res.text();
        d.status = res.status;
      } catch (e) {
        d.status = (e as Error).name === 'TimeoutError' ? -1 : 0;
      }
      d.answeredAt = Date.now();
      deliveries.push(d);
    }
  };
  await Promise.all(Array.from({ length: opts.events }, (_, i) => one(i)));
  return { deliveries, tsOf };
}
