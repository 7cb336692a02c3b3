import * as z from 'zod';
import { $ } from '@hono/zod-openapi';
import { serviceOnly } from '../auth/service-only.js';
import { ApiError } from '../errors.js';
import { ERROR_TEXT, ok, router, serviceRoute } from '../openapi/route.js';
import { ErrorBody } from '../schemas.js';
import { MailboxPass } from '../google/schemas.js';

export const DigestPass = z
  .strictObject({
    claimed: z.number().int(),
    sent: z.number().int(),
    skipped: z.number().int(),
    retried: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'DigestPass' });

/**
 * POST /api/jobs/digests: one digest pass, for a scheduler outside the process
 * (Supabase's pg_cron with net.http_post, a CronJob). Running it beside the
 * in-process scheduler is safe: deliveries are claimed in the database. The
 * pass itself is the Slack app's (deps.jobs.digests, set when Slack is
 * connected); without Slack there is nothing to send: 503.
 */
export const jobRoutes = $(router().use(serviceOnly))
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/digests',
      operationId: 'runDigestPass',
      tags: ['jobs'],
      summary: 'One digest pass, the same step the in-process scheduler runs each minute',
      responses: {
        200: ok(DigestPass, 'What the pass did'),
        503: {
          description: `${ERROR_TEXT[503]}; or Slack is not connected, so there is nothing to send`,
          content: { 'application/json': { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const run = c.get('deps').jobs?.digests;
      if (!run) throw new ApiError(503, 'jobs_unavailable');
      return c.json(await run(), 200);
    },
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/mailboxes',
      operationId: 'runMailboxPass',
      tags: ['jobs'],
      summary: 'One Gmail sync pass, the same step the in-process loop runs every few seconds',
      responses: {
        200: ok(MailboxPass, 'What the pass did'),
        503: {
          description: `${ERROR_TEXT[503]}; or Gmail sync is not configured`,
          content: { 'application/json': { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const run = c.get('deps').jobs?.mailboxes;
      if (!run) throw new ApiError(503, 'jobs_unavailable');
      return c.json(await run(), 200);
    },
  );
