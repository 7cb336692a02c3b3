import type { App } from '@slack/bolt';
import { Hono } from 'hono';
import { json, serviceClient, type BackendLink } from './backend-client.js';
import { verifySlackSignature } from './signature.js';

/** Slack gives an app 3 s; answer with an empty ack before then whatever happens. */
const ACK_DEADLINE_MS = 2_500;

/**
 * The parsed body of a Slack request, as Bolt's processEvent wants it:
 * JSON (Events API), a form with a JSON `payload` (interactivity), or a plain
 * form (slash commands).
 */
export function parseSlackBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
  return Object.fromEntries(form.entries());
}

/**
 * POST /slack/events: Events API, slash commands, interactivity and the
 * options load URL all arrive here. Unsigned or stale requests get 401; a
 * retried event id already handled is acknowledged and dropped; everything
 * else goes to Bolt, and the HTTP answer is whatever the listener acks with.
 */
export function slackRoutes(bolt: App, opts: { signingSecret: string; backend: BackendLink; clock?: () => Date; logError?: (e: unknown) => void }) {
  const service = serviceClient(opts.backend);
  const pending = new Set<Promise<unknown>>();
  const clock = opts.clock ?? (() => new Date());
  const routes = new Hono().post('/events', async (c) => {
    const raw = await c.req.text();
    const check = verifySlackSignature({
      secret: opts.signingSecret,
      timestamp: c.req.header('x-slack-request-timestamp'),
      signature: c.req.header('x-slack-signature'),
      body: raw,
      nowSeconds: Math.floor(clock().getTime() / 1000),
    });
    if (!check.ok) return c.json({ error: { code: 'slack_signature_invalid', message: `request not signed by Slack (${check.reason})` } }, 401);

    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, c.req.header('content-type') ?? '');
    } catch {
      return c.json({ error: { code: 'malformed_body', message: 'the body is neither JSON nor a Slack form' } }, 400);
    }
    if (body.type === 'url_verification') return c.json({ challenge: body.challenge });

    if (body.type === 'event_callback' && typeof body.event_id === 'string' && typeof body.team_id === 'string') {
      const { first } = await json(service.events.claim.$post({ json: { teamId: body.team_id, eventId: body.event_id } }));
      if (!first) return c.body(null, 200);
    }

    let settle!: (response: unknown) => void;
    const acked = new Promise<unknown>((resolve) => (settle = resolve));
    const retryNum = c.req.header('x-slack-retry-num');
    const work = bolt
      .processEvent({
        body,
        ack: async (response?: unknown) => settle(response),
        ...(retryNum ? { retryNum: Number(retryNum) } : {}),
        ...(c.req.header('x-slack-retry-reason') ? { retryReason: c.req.header('x-slack-retry-reason')! } : {}),
      })
      .catch((e) => (opts.logError ?? console.error)(e))
      .finally(() => {
        settle(undefined);
        pending.delete(work);
      });
    pending.add(work);
    const timer = new Promise<unknown>((resolve) => setTimeout(() => resolve(undefined), ACK_DEADLINE_MS).unref());
    const response = await Promise.race([acked, timer]);
    if (response === undefined || response === '') return c.body(null, 200);
    if (typeof response === 'string') return c.text(response);
    return c.json(response as object);
  });
  return {
    routes,
    /** resolves when every listener started so far has finished (tests, shutdown) */
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
