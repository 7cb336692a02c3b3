import type { Context } from 'hono';
import { jsonBody, ok, router, serviceRoute } from '../openapi/route.js';
import type { AppEnv } from '../types.js';
import type * as z from 'zod';
import { AlertClaimBody, AlertClaimResult, AlertFinishBody, AlertFinishResult } from './delivery-schemas.js';

type Claimed = z.infer<typeof AlertClaimResult>;

const tags: ['slack'] = ['slack'];
const nowOf = (c: Context<AppEnv>) => (c.get('deps').clock ?? (() => new Date()))().toISOString();

/**
 * /api/slack/alerts (the Slack app's alert scheduler, service secret): claim
 * the alert messages due, each stream's due alerts folded into one, and say
 * how each went. Leased in the database as briefs are: each message is
 * posted once however many servers claim.
 */
export const alertServiceRoutes = router()
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/claim',
      operationId: 'claimAlerts',
      tags,
      summary: 'Fold the due alerts into messages and claim those due (a lease; two servers never claim the same message)',
      request: { body: jsonBody(AlertClaimBody) },
      responses: { 200: ok(AlertClaimResult, 'The messages claimed, soonest due first') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<Claimed>('alerts_claim', { ...c.req.valid('json'), now: nowOf(c) }), 200),
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/finish',
      operationId: 'finishAlert',
      tags,
      summary: "How a claimed alert message ended (sent, retry, failed, or the rule's channel shared or gone)",
      request: { body: jsonBody(AlertFinishBody) },
      responses: { 200: ok(AlertFinishResult, 'Whether the worker still held it, and whom to tell of a stopped rule') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<AlertFinishResult>('alert_finish', { ...c.req.valid('json'), now: nowOf(c) }), 200),
  );
