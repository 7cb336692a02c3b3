import { Hono } from 'hono';
import * as z from 'zod';
import { digestRoutes } from '../digests/routes.js';
import { call, validate } from '../http.js';
import { Limit } from '../schemas.js';
import type { AppEnv } from '../types.js';

export const MePatch = z.strictObject({ locale: z.enum(['en', 'ja', 'zh']) });
export const ActivityQuery = z.strictObject({ limit: Limit(50).optional() });

export const meRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    return c.json(await call<{ member: unknown; workspace: unknown }>(c, 'me', {}));
  })
  // the language this member reads Rapport in, chosen by them (Slack's /crm lang)
  .patch('/', validate('json', MePatch), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'member_set_locale', c.req.valid('json')));
  })
  // the latest interactions on contacts the caller owns (Slack's App Home)
  .get('/activity', validate('query', ActivityQuery), async (c) => {
    return c.json(await call<{ items: unknown[] }>(c, 'me_activity', c.req.valid('query')));
  })
  .route('/digest', digestRoutes);
