import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { authenticate } from './auth/middleware.js';
import { channelLinkRoutes } from './channel-links/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { DbError, DbUnavailableError } from './db/port.js';
import { ApiError, errorResponse, fromDb } from './errors.js';
import { followUpRoutes } from './follow-ups/routes.js';
import { interactionRoutes } from './interactions/routes.js';
import { meRoutes } from './me/routes.js';
import { slackServiceRoutes } from './slack/routes.js';
import { docsPage, openApiDocument } from './openapi.js';
import type { AppDeps, AppEnv } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;

const api = new Hono<AppEnv>()
  .use(authenticate)
  .route('/me', meRoutes)
  .route('/contacts', contactRoutes)
  .route('/interactions', interactionRoutes)
  .route('/follow-ups', followUpRoutes)
  .route('/channel-links', channelLinkRoutes);

/** The typed client's view of the API (hc<AppType>). */
export type AppType = typeof api;
/** The Slack app's service-only routes (hc<SlackServiceType>). */
export type SlackServiceType = typeof slackServiceRoutes;

/**
 * The whole HTTP surface. Dependencies come in here and nowhere else, so a test
 * builds an app on its own database and clock and calls app.request().
 */
export function createApp(deps: AppDeps) {
  const doc = openApiDocument();
  const docsHtml = docsPage(doc);
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', { limit: '1 MB' });
      },
    }),
  );
  app.get('/healthz', async (c) => {
    try {
      await deps.db.callAnonymous('healthz', {});
      return c.json({ ok: true, db: deps.db.kind });
    } catch {
      return c.json({ ok: false, db: deps.db.kind }, 503, { 'retry-after': '5' });
    }
  });
  app.get('/openapi.json', (c) => c.json(doc));
  app.get('/docs', (c) => c.html(docsHtml));
  // registered before /api so that its own service check, not member auth, applies
  app.route('/api/slack', slackServiceRoutes);
  app.route('/api', api);

  app.notFound((c) => errorResponse(c, new ApiError(404, 'route_not_found', { method: c.req.method, path: c.req.path })));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof DbError) return errorResponse(c, fromDb(err.status, err.key, err.details));
    if (err instanceof DbUnavailableError) {
      return errorResponse(c, new ApiError(503, 'db_unavailable', {}, undefined, { 'retry-after': '2' }));
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx: the JSON validator's "Malformed JSON in request body"
      const key = /json/i.test(err.message) ? 'malformed_json' : 'invalid_value';
      return errorResponse(c, new ApiError(err.status as 400, key));
    }
    const ref = randomUUID().slice(0, 8);
    (deps.logError ?? defaultLogError)(ref, err);
    return errorResponse(c, new ApiError(500, 'internal_error', { ref }));
  });
  return app;
}

function defaultLogError(ref: string, err: unknown) {
  // the error only: never the request's headers or body, which carry credentials and customer data
  console.error(`[rapport] error ${ref}:`, err instanceof Error ? err.stack : err);
}
