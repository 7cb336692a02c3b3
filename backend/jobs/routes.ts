import { Hono } from 'hono';
import { serviceOnly } from '../auth/service-only.js';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../types.js';

/**
 * POST /api/jobs/digests: one digest pass, for a scheduler outside the process
 * (Supabase's pg_cron with net.http_post, a CronJob). Running it beside the
 * in-process scheduler is safe: deliveries are claimed in the database. The
 * pass itself is the Slack app's (deps.jobs.digests, set when Slack is
 * connected); without Slack there is nothing to send: 503.
 */
export const jobRoutes = new Hono<AppEnv>().use(serviceOnly).post('/digests', async (c) => {
  const run = c.get('deps').jobs?.digests;
  if (!run) throw new ApiError(503, 'jobs_unavailable');
  return c.json(await run());
});
