import { Hono } from 'hono';
import type { AppEnv } from '../types.js';

/** GET /api/duplicates */
export const duplicateRoutes = new Hono<AppEnv>();
/** POST /api/contacts/:id/merge (mounted at /api/contacts beside the contact routes) */
export const mergeRoutes = new Hono<AppEnv>();
/** POST /api/merges/:id/undo */
export const mergeUndoRoutes = new Hono<AppEnv>();
