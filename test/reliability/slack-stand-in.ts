/**
 * slack.com on loopback for the reliability run: answers the Web API methods
 * the Slack app and the digest scheduler call, and keeps direct messages the
 * way Slack does (chat.postMessage to a user lands in their DM, with its
 * metadata; conversations.history reads it back), so that a scheduler taking
 * over a dead worker's delivery can find what was already posted.
 * chat.postMessage answers after `postDelayMs`, so a digest pass lasts long
 * enough to be killed in the middle.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEAM = 'T0RELIABLE';

export interface PostedDm {
  channel: string;
  ts: string;
  key?: string;
  /** the metadata's event_type (rapport_digest, rapport_alert...) */
  type?: string;
  /** when it was posted (ms) */
  at: number;
}

export interface SlackStandIn {
  url: string;
  /** every chat.postMessage, in order */
  posts: PostedDm[];
  calls: Map<string, number>;
  /** how long chat.postMessage takes to answer */
  postDelayMs: number;
  close(): Promise<void>;
}

export async function startSlackStandIn(opts: { postDelayMs?: number } = {}): Promise<SlackStandIn> {
  const state = { postDelayMs: opts.postDelayMs ?? 0 };
  const posts: PostedDm[] = [];
  const calls = new Map<string, number>();
  let seq = 0;
  const dmOf = (channel: string) => (/^U/.test(channel) ? `D${channel.slice(1)}` : channel);
  const answer = async (method: string, args: Record<string, any>): Promise<Record<string, unknown>> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: TEAM, team: 'Reliability', user_id: 'U0BOT', bot_id: 'B0BOT' };
      case 'users.info':
        return { ok: true, user: { id: args.user, team_id: TEAM, tz: 'UTC', locale: 'en-US', profile: {} } };
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, name: 'customer', is_ext_shared: false } };
      case 'conversations.open':
        return { ok: true, channel: { id: dmOf(String(args.users)) } };
      case 'conversations.history': {
        const all = String(args.include_all_metadata) === 'true';
        const messages = posts
          .filter((p) => p.channel === String(args.channel) && Number(p.ts) >= Number(args.oldest ?? 0))
          .reverse()
          .map((p) => ({
            type: 'message',
            bot_id: 'B0BOT',
            ts: p.ts,
            ...(all && p.key ? { metadata: { event_type: p.type, event_payload: { key: p.key } } } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case 'chat.postMessage': {
        if (state.postDelayMs) await new Promise((r) => setTimeout(r, state.postDelayMs));
        const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
        const key = metadata?.event_payload?.key as string | undefined;
        const type = metadata?.event_type as string | undefined;
        posts.push({ channel: dmOf(String(args.channel)), ts, at: Date.now(), ...(key ? { key } : {}), ...(type ? { type } : {}) });
        return { ok: true, channel: dmOf(String(args.channel)), ts };
      }
      default:
        return { ok: true };
    }
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const type = req.headers['content-type'] ?? '';
      const args: Record<string, any> = type.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      answer(method, args).then((body) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    calls,
    get postDelayMs() {
      return state.postDelayMs;
    },
    set postDelayMs(ms: number) {
      state.postDelayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
