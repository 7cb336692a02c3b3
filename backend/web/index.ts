import { Hono } from 'hono';
import { accountRoutes } from './account.js';
import { dealPageRoutes } from './deals.js';
import { homeRoutes } from './home.js';
import type { WebEnv } from './session.js';
import { signinRoutes } from './signin.js';

/**
 * The web companion (issue 20): server-rendered pages on the API's server,
 * behind a session cookie (backend/web/session.ts). Each page module lists
 * requireSession on each of its routes (a sub-app's `use` would run for
 * every path of the server, /api included).
 */
export const webRoutes = new Hono<WebEnv>().route('/', signinRoutes).route('/', accountRoutes).route('/', homeRoutes).route('/', dealPageRoutes);
