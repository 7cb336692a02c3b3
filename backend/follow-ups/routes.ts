import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { FollowUp, FollowUpCreate, FollowUpIdParam, FollowUpList, FollowUpListQuery, FollowUpPatch } from './schemas.js';

const tags: ['follow-ups'] = ['follow-ups'];

export const followUpRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listFollowUps',
      tags,
      summary: "Follow-ups (open unless asked): mine, my team's or a member's; overdue, today or this week",
      request: { query: FollowUpListQuery },
      responses: { 200: ok(FollowUpList, 'Follow-ups by due time') },
    }),
    async (c) => c.json(await call<FollowUpList>(c, 'follow_ups_list', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createFollowUp',
      tags,
      summary: 'Create a follow-up',
      request: { body: jsonBody(FollowUpCreate) },
      responses: {
        201: ok(FollowUp, 'Created'),
        200: ok(FollowUp, 'Created before under the same clientKey: that follow-up'),
        ...errors(404),
      },
    }),
    async (c) => {
      // 201 when created; 200 with the first one when its clientKey was seen before
      const { created, ...followUp } = await call<{ created: boolean } & FollowUp>(c, 'follow_up_create', c.req.valid('json'));
      return created ? c.json(followUp, 201) : c.json(followUp, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateFollowUp',
      tags,
      summary: 'Mark done, reopen, reschedule or reassign a follow-up',
      request: { params: FollowUpIdParam, body: jsonBody(FollowUpPatch) },
      responses: { 200: ok(FollowUp, 'The follow-up after the change'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await call<FollowUp>(c, 'follow_up_update', { id, patch: c.req.valid('json') }), 200);
    },
  );
