import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { DealSnoozeBody, DealSnoozeParam, DealSnoozed } from './snooze-schemas.js';

const tags: ['deals'] = ['deals'];

/**
 * POST /api/deals/{id}/snooze: keep a deal out of the digest's stalled deals
 * for some days (mounted on /deals beside the deal routes themselves).
 */
export const dealSnoozeRoutes = router().openapi(
  memberRoute({
    method: 'post',
    path: '/{id}/snooze',
    operationId: 'snoozeDeal',
    tags,
    summary: "Snooze a deal out of the digest's stalled deals for 1 to 90 days (default 7): its owner, creator, their managers and admins",
    description:
      "The digest's Stalled deals leave out a deal snoozed past now. Snoozing counts from now (not from an earlier snooze) and is audited with the caller and source.",
    request: { params: DealSnoozeParam, body: jsonBody(DealSnoozeBody) },
    responses: { 200: ok(DealSnoozed, 'The deal, snoozed until snoozedUntil'), ...errors(403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await call<DealSnoozed>(c, 'deal_snooze', { id, ...c.req.valid('json') }), 200);
  },
);
