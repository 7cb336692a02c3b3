import * as z from 'zod';
import { call, callerOf } from '../http.js';
import { captureBatched } from './capture-batch.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { Interaction, InteractionCapture, InteractionHidden, InteractionIdParam } from './schemas.js';

const tags: ['interactions'] = ['interactions'];

export const interactionRoutes = router()
  // 201 with the new interaction, or 200 with the one already captured under
  // the same Message-ID / Slack ts / source id: capture is idempotent.
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'captureInteraction',
      tags,
      summary: 'Capture an email, Slack message, call, meeting or note (idempotent)',
      request: { body: jsonBody(InteractionCapture) },
      responses: {
        201: ok(Interaction, 'Captured now'),
        200: ok(
          z.union([Interaction, InteractionHidden]),
          "Already captured: the same interaction (only its id, kind, author and time when it is someone else's private one)",
        ),
        ...errors(404),
      },
    }),
    async (c) => {
      // with the captures arriving at the same time, in one call (capture-batch.ts)
      const res = await captureBatched<{ created: true; interaction: Interaction } | { created: false; interaction: Interaction | InteractionHidden }>(
        c.get('deps').db,
        callerOf(c),
        c.req.valid('json'),
      );
      return res.created ? c.json(res.interaction, 201) : c.json(res.interaction, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}',
      operationId: 'getInteraction',
      tags,
      summary: 'One interaction with its full body',
      request: { params: InteractionIdParam },
      responses: { 200: ok(Interaction, 'The interaction'), ...errors(404) },
    }),
    async (c) => c.json(await call<Interaction>(c, 'interaction_get', c.req.valid('param')), 200),
  );
