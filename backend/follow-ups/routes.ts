import { Hono } from 'hono';
import { call, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import { FollowUpCreate, FollowUpIdParam, FollowUpListQuery, FollowUpPatch } from './schemas.js';

export const followUpRoutes = new Hono<AppEnv>()
  .get('/', validate('query', FollowUpListQuery), async (c) => {
    return c.json(await call<{ items: unknown[] }>(c, 'follow_ups_list', c.req.valid('query')));
  })
  .post('/', validate('json', FollowUpCreate), async (c) => {
    // 201 when created; 200 with the first one when its clientKey was seen before
    const { created, ...followUp } = await call<{ created: boolean } & Record<string, unknown>>(c, 'follow_up_create', c.req.valid('json'));
    return c.json(followUp, created ? 201 : 200);
  })
  .patch('/:id', validate('param', FollowUpIdParam), validate('json', FollowUpPatch), async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await call<Record<string, unknown>>(c, 'follow_up_update', { id, patch: c.req.valid('json') }));
  });
