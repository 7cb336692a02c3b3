import { Hono } from 'hono';
import { accountRoutes } from './account.js';
import { companyRoutes } from './company-routes.js';
import { contactRoutes } from './contact-routes.js';
import { adminRoutes } from './admin/index.js';
import { dealPageRoutes } from './deals.js';
import { homeRoutes } from './home.js';
import type { WebEnv } from './session.js';
import { signinRoutes } from './signin.js';
import { googleSigninRoutes } from './signin-google.js';
import { slackSigninRoutes } from './signin-slack.js';

/**
 * The web companion (issue 20): server-rendered pages on the API's server,
 * behind a session cookie (backend/web/session.ts). Each page module lists
 * requireSession on each of its routes (a sub-app's `use` would run for
 * every path of the server, /api included).
 */
export const webRoutes = new Hono<WebEnv>()
  .route('/', signinRoutes)
  .route('/', slackSigninRoutes)
  .route('/', googleSigninRoutes)
  .route('/', accountRoutes)
  .route('/', homeRoutes)
  .route('/', contactRoutes)
  .route('/', companyRoutes)
  .route('/', adminRoutes)
  .route('/', dealPageRoutes);
