import { Hono } from 'hono';
import type { AppEnv } from '../types.js';

/** /api/segments */
export const segmentRoutes = new Hono<AppEnv>();
/** GET /api/stats */
export const statsRoutes = new Hono<AppEnv>();
/** GET /api/tidy (incomplete records) and its fixes */
export const tidyRoutes = new Hono<AppEnv>();
