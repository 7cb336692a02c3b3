import type { Context } from 'hono';
import { jsonBody, ok, router, serviceRoute } from '../openapi/route.js';
import type { AppEnv } from '../types.js';
import { BriefClaimBody, BriefClaimResult, BriefFinishBody, BriefFinishResult, NudgeClaimResult } from './brief-schemas.js';

const tags: ['slack'] = ['slack'];
const nowOf = (c: Context<AppEnv>) => (c.get('deps').clock ?? (() => new Date()))().toISOString();

/**
 * /api/slack/briefs (the Slack app's scheduler, service secret): claim the
 * briefs due before meetings with customers, composed, and the nudges due
 * after them (/nudges/claim), then say how each went (/finish). Claimed in the database with a lease, as digests are: one brief per
 * member and meeting however many schedulers run.
 */
export const briefServiceRoutes = router()
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/claim',
      operationId: 'claimBriefs',
      tags,
      summary: 'Claim the meeting briefs that are due, each composed (a lease; two servers never claim the same member and meeting)',
      request: { body: jsonBody(BriefClaimBody) },
      responses: { 200: ok(BriefClaimResult, 'The briefs claimed, soonest due first') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<BriefClaimResult>('briefs_claim', { ...c.req.valid('json'), now: nowOf(c) }), 200),
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/finish',
      operationId: 'finishBrief',
      tags,
      summary: 'How a claimed brief ended (sent, retry in a minute, failed)',
      request: { body: jsonBody(BriefFinishBody) },
      responses: { 200: ok(BriefFinishResult, 'Whether the worker still held the brief') },
    }),
    async (c) =>
      c.json(await c.get('deps').db.callAnonymous<{ held: boolean; status: string | null }>('brief_finish', { ...c.req.valid('json'), now: nowOf(c) }), 200),
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/nudges/claim',
      operationId: 'claimNudges',
      tags,
      summary: 'Claim the nudges due after meetings with customers, within working hours (finished like briefs)',
      request: { body: jsonBody(BriefClaimBody) },
      responses: { 200: ok(NudgeClaimResult, 'The nudges claimed, soonest due first') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<NudgeClaimResult>('nudges_claim', { ...c.req.valid('json'), now: nowOf(c) }), 200),
  );
