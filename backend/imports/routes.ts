import { Hono } from 'hono';
import type { AppEnv } from '../types.js';

/** POST /api/imports (multipart CSV) */
export const importRoutes = new Hono<AppEnv>();
/** GET /api/contacts/export?format=csv|json (mounted before the contact routes, so 'export' is never taken for an id) */
export const exportRoutes = new Hono<AppEnv>();
