import { Hono } from 'hono';
import { call, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import { InteractionCapture, InteractionIdParam } from './schemas.js';

export const interactionRoutes = new Hono<AppEnv>()
  // 201 with the new interaction, or 200 with the one already captured under
  // the same Message-ID / Slack ts / source id: capture is idempotent.
  .post('/', validate('json', InteractionCapture), async (c) => {
    const res = await call<{ created: boolean; interaction: Record<string, unknown> }>(
      c,
      'interaction_capture',
      c.req.valid('json'),
    );
    return c.json(res.interaction, res.created ? 201 : 200);
  })
  .get('/:id', validate('param', InteractionIdParam), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'interaction_get', c.req.valid('param')));
  });
