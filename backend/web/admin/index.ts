import { Hono } from 'hono';
import type { WebEnv } from '../session.js';
import { connectionRoutes } from './connections.js';
import { importRoutes } from './imports.js';
import { memberRoutes } from './member.js';
import { teamRoutes } from './team.js';

/** /admin and its pages, for the workspace's admins (a rep or a manager gets the 403 page). */
export const adminRoutes = new Hono<WebEnv>().route('/', teamRoutes).route('/', memberRoutes).route('/', connectionRoutes).route('/', importRoutes);
