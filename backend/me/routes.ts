import { Hono } from 'hono';
import { call } from '../http.js';
import type { AppEnv } from '../types.js';

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  return c.json(await call<{ member: unknown; workspace: unknown }>(c, 'me', {}));
});
