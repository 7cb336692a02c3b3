import { http, HttpResponse } from 'msw';
import { createApp } from '../../backend/app.js';
import type { AppDeps } from '../../backend/types.js';
import { checkedResponse } from './contract.js';
import { WebClient } from '@slack/web-api';
import { channelState } from '../../slack-app/alert-settings/channel-state.js';
import { createSlackBolt } from '../../slack-app/app.js';
import { slackRoutes } from '../../slack-app/routes.js';
import { signSlackRequest } from '../../slack-app/signature.js';
import type { TestDb } from './databases.js';

export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const TEAM = 'T0TEST';
export const RESPONSE_URL = 'https://hooks.slack.com/commands/T0TEST/1/abc';

export interface SlackCall {
  method: string;
  args: Record<string, any>;
}

export interface SlackUser {
  id: string;
  email: string;
  locale?: string;
  /** the team the user belongs to (TEAM unless said): another company's in a Slack Connect channel */
  teamId?: string;
  /** Slack's tz (an IANA name) */
  tz?: string;
  realName?: string;
  /** a guest (single- or multi-channel) */
  restricted?: boolean;
  isBot?: boolean;
  deleted?: boolean;
}

/**
 * A stand-in for slack.com: answers the Web API methods Rapport uses, records
 * every call and every response_url post, and knows which users and channels
 * exist. Anything else fails the test (setupNetwork).
 */
export function fakeSlack(opts: { methods?: Record<string, (args: Record<string, any>) => Record<string, unknown>> } = {}) {
  const calls: SlackCall[] = [];
  /**
   * methods to answer with an HTTP error (status, and headers) the next N times:
   * failNext('chat.postMessage', 503), failNext('chat.postMessage', 429, 1, { 'retry-after': '120' })
   */
  const failures = new Map<string, { status: number; times: number; headers?: Record<string, string> }>();
  const failNext = (method: string, status: number, times = 1, headers?: Record<string, string>) =>
    failures.set(method, { status, times, ...(headers ? { headers } : {}) });
  const channelNames = new Map<string, string>();
  const responses: Record<string, any>[] = [];
  const users = new Map<string, SlackUser>();
  const externalChannels = new Set<string>();
  const parse = async (request: Request) => {
    const text = await request.text();
    const type = request.headers.get('content-type') ?? '';
    if (type.includes('json')) return JSON.parse(text || '{}');
    const form = Object.fromEntries(new URLSearchParams(text));
    for (const key of ['blocks', 'attachments', 'view', 'unfurls', 'metadata']) if (typeof form[key] === 'string') form[key] = JSON.parse(form[key]);
    return form;
  };
  const handlers = [
    http.post('https://slack.com/api/:method', async ({ request, params }) => {
      const method = String(params.method);
      if (request.headers.get('authorization') !== `Bearer ${BOT_TOKEN}`) return HttpResponse.json({ ok: false, error: 'invalid_auth' });
      const args = await parse(request);
      calls.push({ method, args });
      const failure = failures.get(method);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        if (failure.status === 429)
          return HttpResponse.json({ ok: false, error: 'ratelimited' }, { status: 429, ...(failure.headers ? { headers: failure.headers } : {}) });
        return HttpResponse.text('upstream error', { status: failure.status, ...(failure.headers ? { headers: failure.headers } : {}) });
      }
      const extra = opts.methods?.[method];
      if (extra) return HttpResponse.json({ ok: true, ...extra(args) });
      switch (method) {
        case 'auth.test':
          return HttpResponse.json({ ok: true, team_id: TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' });
        case 'users.info': {
          const u = users.get(args.user);
          if (!u) return HttpResponse.json({ ok: false, error: 'user_not_found' });
          return HttpResponse.json({
            ok: true,
            user: {
              id: u.id,
              team_id: u.teamId ?? TEAM,
              locale: u.locale ?? 'en-US',
              ...(u.tz ? { tz: u.tz } : {}),
              deleted: u.deleted ?? false,
              is_bot: u.isBot ?? false,
              is_restricted: u.restricted ?? false,
              is_ultra_restricted: false,
              profile: { email: u.email, ...(u.realName ? { real_name: u.realName } : {}) },
            },
          });
        }
        case 'conversations.info':
          return HttpResponse.json({
            ok: true,
            channel: {
              id: args.channel,
              name: channelNames.get(args.channel) ?? 'general',
              is_ext_shared: externalChannels.has(args.channel),
            },
          });
        case 'chat.update':
          return HttpResponse.json({ ok: true, channel: args.channel, ts: args.ts });
        case 'chat.getPermalink':
          return HttpResponse.json({
            ok: true,
            channel: args.channel,
            permalink: `https://test.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
          });
        case 'chat.unfurl':
          return HttpResponse.json({ ok: true });
        case 'views.open':
        case 'views.push':
        case 'views.update':
        case 'views.publish':
          return HttpResponse.json({ ok: true, view: { id: 'V0VIEW', ...args.view } });
        case 'chat.postMessage':
          return HttpResponse.json({ ok: true, channel: args.channel, ts: `${Date.now() / 1000}` });
        case 'chat.postEphemeral':
          return HttpResponse.json({ ok: true, message_ts: `${Date.now() / 1000}` });
        default:
          return HttpResponse.json({ ok: false, error: `unexpected_method_${method}` }, { status: 500 });
      }
    }),
    http.post('https://hooks.slack.com/*', async ({ request }) => {
      responses.push((await request.json()) as Record<string, any>);
      return HttpResponse.text('ok');
    }),
  ];
  return { handlers, calls, responses, users, externalChannels, channelNames, failNext };
}

/**
 * Rapport's backend and Slack app on one Hono app, as `npm start` runs them,
 * plus a way to send it requests signed like Slack's.
 */
export function slackRapport(
  t: TestDb,
  opts: { now?: () => Date; serviceSecret?: string; google?: AppDeps['google']; inbound?: AppDeps['inbound']; gmail?: AppDeps['gmail'] } = {},
) {
  const serviceSecret = opts.serviceSecret ?? 'service-secret-'.padEnd(40, 'x');
  const app = createApp({
    db: t.db,
    serviceSecret,
    // as connectSlack wires it: a channel rule's channel asked of Slack (the stand-in) with the bot token
    jobs: { slackChannel: (_team, channel) => channelState(new WebClient(BOT_TOKEN, { retryConfig: { retries: 0 } }), channel) },
    ...(opts.now ? { clock: opts.now } : {}),
    ...(opts.google ? { google: opts.google } : {}),
    ...(opts.inbound ? { inbound: opts.inbound } : {}),
    ...(opts.gmail ? { gmail: opts.gmail } : {}),
  });
  const backend = {
    baseUrl: 'http://rapport.internal',
    serviceSecret,
    // the Slack app's way to the backend: every answer it gets is held to the API contract
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const req = new Request(input, init);
      return checkedResponse(req.method, req.url, await app.fetch(req));
    }) as typeof fetch,
  };
  const errors: unknown[] = [];
  const bolt = createSlackBolt({
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    backend,
    publicUrl: 'https://rapport.example.com',
    ...(opts.now ? { clock: opts.now } : {}),
    logError: (e) => errors.push(e),
  });
  const slack = slackRoutes(bolt, { signingSecret: SIGNING_SECRET, backend, logError: (e) => errors.push(e) });
  app.route('/slack', slack.routes);

  async function send(body: string, contentType: string, headers: Record<string, string> = {}) {
    const signed = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000));
    const res = await app.request('/slack/events', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...signed, ...headers },
    });
    const text = await res.text();
    await slack.idle();
    return { status: res.status, text, json: () => JSON.parse(text) };
  }
  return {
    app,
    /** the link the Slack app reaches the backend by (in-process), for the digest scheduler */
    backend,
    errors,
    idle: slack.idle,
    send,
    /** a slash command, form-encoded exactly as Slack sends it */
    command(user: string, text: string, channel = 'C0GENERAL') {
      const form = new URLSearchParams({
        token: 'deprecated',
        team_id: TEAM,
        team_domain: 'test',
        channel_id: channel,
        channel_name: 'general',
        user_id: user,
        user_name: 'someone',
        command: '/crm',
        text,
        api_app_id: 'A0APP',
        is_enterprise_install: 'false',
        response_url: RESPONSE_URL,
        trigger_id: '123.456.abc',
      });
      return send(form.toString(), 'application/x-www-form-urlencoded');
    },
    /** an interactivity payload (block_actions, view_submission, ...) */
    interaction(payload: Record<string, unknown>) {
      return send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    },
    /** an Events API callback */
    event(event: Record<string, unknown>, eventId: string, headers: Record<string, string> = {}) {
      const body = JSON.stringify({
        token: 'deprecated',
        team_id: TEAM,
        api_app_id: 'A0APP',
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event,
        authorizations: [{ team_id: TEAM, user_id: 'U0BOT', is_bot: true }],
      });
      return send(body, 'application/json', headers);
    },
  };
}

/** A block_actions payload for a button press. */
export function buttonPress(user: string, actionId: string, value: string, channel = 'C0GENERAL') {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.abc',
    response_url: RESPONSE_URL,
    channel: { id: channel, name: 'general' },
    container: { type: 'message', message_ts: '1.1', channel_id: channel, is_ephemeral: true },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2', text: { type: 'plain_text', text: 'x' } }],
  };
}

/**
 * Direct messages as Slack keeps them, for the digest scheduler: a
 * chat.postMessage to a user lands in their DM ('D' + the user id without its
 * 'U'), conversations.open names that DM, conversations.history reads it back
 * newest first from `oldest` on (with metadata only when include_all_metadata).
 * Message ts follow now(). Pass methods to fakeSlack({ methods }).
 */
export function fakeDms(now: () => Date) {
  type Posted = { ts: string; text?: string; blocks?: unknown; metadata?: { event_type: string; event_payload: Record<string, unknown> } };
  const dms = new Map<string, Posted[]>();
  let seq = 0;
  const dmOf = (channel: string) => (/^U/.test(channel) ? `D${channel.slice(1)}` : channel);
  const nextTs = () => `${Math.floor(now().getTime() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const add = (channel: string, message: Omit<Posted, 'ts'> & { ts?: string }) => {
    const posted = { ...message, ts: message.ts ?? nextTs() };
    dms.set(dmOf(channel), [...(dms.get(dmOf(channel)) ?? []), posted]);
    return posted;
  };
  const methods: Record<string, (args: Record<string, any>) => Record<string, unknown>> = {
    'conversations.open': (args) => ({ channel: { id: dmOf(String(args.users)) } }),
    'conversations.history': (args) => {
      const all = String(args.include_all_metadata) === 'true';
      const messages = (dms.get(String(args.channel)) ?? [])
        .filter((m) => Number(m.ts) >= Number(args.oldest ?? 0))
        .reverse()
        .map(({ metadata, ...m }) => ({ type: 'message', bot_id: 'B0BOT', ...m, ...(all && metadata ? { metadata } : {}) }));
      return { messages, has_more: false };
    },
    'chat.postMessage': (args) => {
      const posted = add(String(args.channel), { text: args.text, blocks: args.blocks, metadata: args.metadata });
      return { channel: dmOf(String(args.channel)), ts: posted.ts };
    },
  };
  return {
    methods,
    /** what a DM holds, oldest first */
    dm: (userOrChannel: string) => dms.get(dmOf(userOrChannel)) ?? [],
    /** a message already in a DM (one Rapport posted before a crash) */
    add,
    clear: () => dms.clear(),
  };
}

/** A view_submission payload as Slack sends it. */
export function viewSubmission(
  userId: string,
  view: { id: string; callback_id: string; private_metadata: string },
  ...values: Record<string, Record<string, Record<string, unknown>>>[]
) {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'test' },
    user: { id: userId, name: 'someone', team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.def',
    view: {
      ...view,
      team_id: TEAM,
      type: 'modal',
      app_id: 'A0APP',
      bot_id: 'B0BOT',
      hash: '1.abc',
      blocks: [],
      title: { type: 'plain_text', text: 'x' },
      close: null,
      submit: null,
      root_view_id: view.id,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
      state: { values: Object.assign({}, ...values) },
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}
