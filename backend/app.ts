import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { authenticate } from './auth/middleware.js';
import { bodyTooLarge, streamingBodyLimit } from './body-limit.js';
import { rateLimit } from './auth/rate-limit.js';
import { channelLinkRoutes } from './channel-links/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { personRoutes } from './contacts/person.js';
import { duplicateRoutes, mergeRoutes, mergeUndoRoutes } from './duplicates/routes.js';
import { exportRoutes, importRoutes } from './imports/routes.js';
import { segmentRoutes, statsRoutes, tidyRoutes } from './segments/routes.js';
import { DbError, DbUnavailableError } from './db/port.js';
import { workspaceDigestRoutes } from './digests/routes.js';
import { ApiError, errorResponse, fromDb } from './errors.js';
import { escapeHtml } from './html.js';
import { pickLocale, t } from './i18n/messages.js';
import { followUpRoutes } from './follow-ups/routes.js';
import { gmailRoutes } from './gmail/routes.js';
import { interactionRoutes } from './interactions/routes.js';
import { jobRoutes } from './jobs/routes.js';
import { meRoutes } from './me/routes.js';
import { memberRoutes } from './members/routes.js';
import { slackServiceRoutes } from './slack/routes.js';
import { docsPage, openApiDocument } from './openapi.js';
import type { AppDeps, AppEnv } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const api = new Hono<AppEnv>()
  .use(authenticate)
  .use(rateLimit)
  .route('/me', meRoutes)
  .route('/members', memberRoutes)
  .route('/contacts/export', exportRoutes)
  .route('/contacts', contactRoutes)
  .route('/contacts', personRoutes)
  .route('/contacts', mergeRoutes)
  .route('/duplicates', duplicateRoutes)
  .route('/merges', mergeUndoRoutes)
  .route('/imports', importRoutes)
  .route('/segments', segmentRoutes)
  .route('/stats', statsRoutes)
  .route('/tidy', tidyRoutes)
  .route('/interactions', interactionRoutes)
  .route('/follow-ups', followUpRoutes)
  .route('/channel-links', channelLinkRoutes)
  .route('/gmail', gmailRoutes)
  .route('/workspace', workspaceDigestRoutes);

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
  // 1 MB for every JSON body; a CSV import may be larger (100,000 rows)
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', { limit: '1 MB' });
    },
  });
  // an import's body is passed on as it arrives (the import reads it in
  // chunks, never joined on this thread), counted against its 50 MB
  const importLimit = streamingBodyLimit(MAX_IMPORT_BYTES, '50 MB');
  app.use('/api/*', (c, next) => (c.req.path === '/api/imports' ? importLimit(c, next) : jsonLimit(c, next)));
  // every route outside /api (Slack's events, OAuth callbacks, inbound mail)
  // takes 1 MB at most, counted as it is read, so a request its handler
  // refuses on its headers is never read at all
  const outsideLimit = streamingBodyLimit(MAX_BODY_BYTES, '1 MB');
  app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : outsideLimit(c, next)));
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
  // where a contact link (Slack's unfurls, "Open in Rapport") leads: Rapport
  // has no web screens, so the page says where the contact is; it shows no
  // CRM data, since the browser carries no credential
  app.get('/c/:id', (c) => {
    const locale = pickLocale(c.req.header('accept-language'));
    const title = escapeHtml(t(locale, 'contact_link_title'));
    return c.html(
      `<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${title}</title><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">` +
        `<h1>${title}</h1><p>${escapeHtml(t(locale, 'contact_link_body'))}</p></body></html>`,
      200,
      { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", 'referrer-policy': 'no-referrer' },
    );
  });
  // registered before /api so that its own service check, not member auth, applies
  app.route('/api/slack', slackServiceRoutes);
  app.route('/api/jobs', jobRoutes);
  app.route('/api', api);

  app.notFound((c) => errorResponse(c, new ApiError(404, 'route_not_found', { method: c.req.method, path: c.req.path })));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    const tooLarge = bodyTooLarge(err);
    if (tooLarge) return errorResponse(c, new ApiError(413, 'payload_too_large', { limit: tooLarge.limit }));
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
