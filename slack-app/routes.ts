import type { App } from '@slack/bolt';
import { Hono } from 'hono';
import type { BackendLink } from './backend-client.js';
import type { Delivery } from './dedupe.js';
import { slackHeadersCheck, verifySlackSignature } from './signature.js';

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

const INTERACTIONS = ['block_actions', 'block_suggestion', 'message_action', 'shortcut', 'view_submission', 'view_closed'];

/**
 * A payload Slack never sends, missing what its listeners need (the person
 * who acted, the view submitted, the message a shortcut was used on, where
 * to answer a command): answered with an empty 200 and not handled, rather
 * than failing inside Bolt or a listener.
 *   unusable({ type: 'view_submission', user: { id: 'U1' } }) = true   (no view)
 *   unusable({ command: '/crm', user_id: 'U1', response_url: 'https://hooks.slack.com/…' }) = false
 */
// biome-ignore lint/suspicious/noExplicitAny: any Slack payload, read defensively below
export function unusable(body: Record<string, any>): boolean {
  const type = body.type;
  if (INTERACTIONS.includes(type) && typeof body.user?.id !== 'string') return true;
  if ((type === 'view_submission' || type === 'view_closed') && (typeof body.view !== 'object' || body.view === null)) return true;
  if (type === 'message_action' && (typeof body.message !== 'object' || typeof body.message?.ts !== 'string')) return true;
  return typeof body.command === 'string' && typeof body.response_url !== 'string';
}

/**
 * POST /slack/events: Events API, slash commands, interactivity and the
 * options load URL all arrive here. Unsigned or stale requests get 401;
 * everything else goes to Bolt, and the HTTP answer is whatever the listener
 * acks with. An event is answered when it is handled: 200, or 500 when its
 * handling failed, so that Slack delivers it again (dedupe.ts drops retries
 * of events already handled).
 */
export function slackRoutes(bolt: App, opts: { signingSecret: string; backend: BackendLink; clock?: () => Date; logError?: (e: unknown) => void }) {
  const pending = new Set<Promise<unknown>>();
  const clock = opts.clock ?? (() => new Date());
  const routes = new Hono().post('/events', async (c) => {
    // refused on its headers before a byte of the body is read: no signature,
    // no timestamp, or one outside the replay window (the app caps the body at 1 MB)
    const early = slackHeadersCheck(c.req.header('x-slack-request-timestamp'), c.req.header('x-slack-signature'), Math.floor(clock().getTime() / 1000));
    if (!early.ok) return c.json({ error: { code: 'slack_signature_invalid', message: `request not signed by Slack (${early.reason})` } }, 401);
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
    if (unusable(body)) return c.body(null, 200);

    let settle!: (response: unknown) => void;
    const acked = new Promise<unknown>((resolve) => (settle = resolve));
    const retryNum = c.req.header('x-slack-retry-num');
    const isEvent = body.type === 'event_callback';
    const delivery: Delivery = { failed: false };
    const work = bolt
      .processEvent({
        body,
        // Bolt acks an event before any listener runs; Rapport answers an
        // event only once it is handled (or the deadline nears), so that a
        // failure can still ask Slack to retry
        ack: async (response?: unknown) => {
          if (!isEvent) settle(response);
        },
        customProperties: { delivery },
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
    if (isEvent && delivery.failed) {
      // the claim was released (dedupe.ts): Slack's retry handles it again
      return c.json({ error: { code: 'event_failed', message: 'handling this event failed; please retry' } }, 500);
    }
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
