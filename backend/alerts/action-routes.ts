import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { AlertActed, AlertParam, AlertSnoozeBody } from './delivery-schemas.js';

const tags: ['alerts'] = ['alerts'];
const who = 'Its recipient, or for a channel alert any member who may see what it is about; audited.';

/**
 * The buttons on an alert message (issue 19): Done, Snooze, Assign to me.
 * What each does depends on what the alert is about (see the descriptions).
 */
export const alertActionRoutes = router()
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/done',
      operationId: 'alertDone',
      tags,
      summary: 'Done with what an alert is about',
      description: `A follow-up is completed; an email or message needs no (further) reply, so no more alerts about it (the manager's escalation included); a deal's or a capture's alert is acknowledged: nothing further about that cause. ${who}`,
      request: { params: AlertParam },
      responses: { 200: ok(AlertActed, 'Done'), ...errors(403, 404) },
    }),
    async (c) => c.json(await call<AlertActed>(c, 'alert_done', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/snooze',
      operationId: 'alertSnooze',
      tags,
      summary: 'Be reminded later',
      description: `A follow-up falls due in that many minutes; a deal is snoozed until then; anything else alerts the same recipient again then. ${who}`,
      request: { params: AlertParam, body: jsonBody(AlertSnoozeBody) },
      responses: { 200: ok(AlertActed, 'Snoozed until `until`'), ...errors(403, 404) },
    }),
    async (c) => c.json(await call<AlertActed>(c, 'alert_snooze', { ...c.req.valid('param'), ...c.req.valid('json') }), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/assign',
      operationId: 'alertAssign',
      tags,
      summary: 'Take what an alert is about',
      description: `The caller is on the email or message (colleagues see who is), or becomes the follow-up's or the deal's owner. 409 for an alert about nothing one can own (a capture that stopped). ${who}`,
      request: { params: AlertParam },
      responses: { 200: ok(AlertActed, 'Assigned to the caller'), ...errors(403, 404, 409) },
    }),
    async (c) => c.json(await call<AlertActed>(c, 'alert_assign', c.req.valid('param')), 200),
  );
