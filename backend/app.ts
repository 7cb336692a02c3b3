import { randomUUID } from 'node:crypto';
import { $ } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { authenticate } from './auth/middleware.js';
import { bodyTooLarge, MAX_INBOUND_BYTES, streamingBodyLimit } from './body-limit.js';
import { rateLimit } from './auth/rate-limit.js';
import { channelLinkRoutes } from './channel-links/routes.js';
import { companyRoutes } from './companies/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { dealRoutes, pipelineRoutes } from './deals/routes.js';
import { personRoutes } from './contacts/person.js';
import { duplicateRoutes, mergeRoutes, mergeUndoRoutes } from './duplicates/routes.js';
import { exportRoutes, importRoutes } from './imports/routes.js';
import { segmentRoutes, statsRoutes, tidyRoutes } from './segments/routes.js';
import { DbError, DbUnavailableError } from './db/port.js';
import { workspaceDigestRoutes } from './digests/routes.js';
import { ApiError, errorResponse, fromDb } from './errors.js';
import { followUpRoutes } from './follow-ups/routes.js';
import { dealSnoozeRoutes } from './deals/snooze-routes.js';
import { alertActionRoutes } from './alerts/action-routes.js';
import { gmailRoutes } from './gmail/routes.js';
import { googlePageRoutes, mailboxRoutes } from './google/routes.js';
import { meetingRoutes } from './meetings/routes.js';
import { inboundRoutes } from './inbound/routes.js';
import { interactionRoutes } from './interactions/routes.js';
import { jobRoutes } from './jobs/routes.js';
import { meRoutes } from './me/routes.js';
import { alertRuleRoutes, meAlertRoutes, workspaceAlertRoutes } from './alerts/settings-routes.js';
import { memberRoutes } from './members/routes.js';
import { tokenRoutes } from './tokens/routes.js';
import { workspaceRoutes } from './workspace/routes.js';
import { slackServiceRoutes } from './slack/routes.js';
import { type OpenApiDocument, openApiDocument } from './openapi/document.js';
import { router } from './openapi/route.js';
import { pageRoutes } from './pages/routes.js';
import { htmlErrorPage } from './web/error-page.js';
import { webRoutes } from './web/index.js';
import { signinLinkRoutes } from './web/link-route.js';
import type { AppDeps } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const api = $(router().use(authenticate).use(rateLimit))
  .route('/', mailboxRoutes)
  .route('/me', meRoutes)
  .route('/me', meetingRoutes)
  .route('/me', meAlertRoutes)
  .route('/me', signinLinkRoutes)
  .route('/members', memberRoutes)
  .route('/contacts/export', exportRoutes)
  .route('/contacts', contactRoutes)
  .route('/contacts', personRoutes)
  .route('/contacts', mergeRoutes)
  .route('/duplicates', duplicateRoutes)
  .route('/companies', companyRoutes)
  .route('/merges', mergeUndoRoutes)
  .route('/imports', importRoutes)
  .route('/segments', segmentRoutes)
  .route('/stats', statsRoutes)
  .route('/tidy', tidyRoutes)
  .route('/interactions', interactionRoutes)
  .route('/follow-ups', followUpRoutes)
  .route('/deals', dealSnoozeRoutes)
  .route('/alerts', alertActionRoutes)
  .route('/channel-links', channelLinkRoutes)
  .route('/gmail', gmailRoutes)
  .route('/workspace', workspaceDigestRoutes)
  .route('/workspace', workspaceRoutes)
  .route('/workspace', workspaceAlertRoutes)
  .route('/alert-rules', alertRuleRoutes)
  .route('/tokens', tokenRoutes)
  .route('/pipeline', pipelineRoutes)
  .route('/deals', dealRoutes);

/** The typed client's view of the API (hc<AppType>). */
export type AppType = typeof api;
/** The Slack app's service-only routes (hc<SlackServiceType>). */
export type SlackServiceType = typeof slackServiceRoutes;

/**
 * The whole HTTP surface. Dependencies come in here and nowhere else, so a test
 * builds an app on its own database and clock and calls app.request().
 */
export function createApp(deps: AppDeps) {
  const app = router();
  let doc: OpenApiDocument | undefined;
  const document = () => (doc ??= openApiDocument(app, deps.publicUrl ? { serverUrl: deps.publicUrl } : {}));
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
  // except mail: an email with its attachments (Postmark sends them inline,
  // base64; it takes messages up to 35 MB), so that ordinary mail is never
  // refused for its size; Postmark retries anything but a 403
  const inboundLimit = streamingBodyLimit(MAX_INBOUND_BYTES, '50 MB');
  // and the admin page's CSV import, which takes what POST /api/imports takes
  const outside = (path: string) => (path.startsWith('/inbound/') ? inboundLimit : path === '/admin/import' ? importLimit : outsideLimit);
  app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : outside(c.req.path)(c, next)));
  app.route('/', pageRoutes(document));
  // registered before /api so that its own service check, not member auth, applies
  app.route('/api/slack', slackServiceRoutes);
  app.route('/api/jobs', jobRoutes);
  app.route('/api', api);
  // mail delivered to capture addresses: the relay's own secret, not a member's credential
  app.route('/inbound', inboundRoutes);
  // Google's consent comes back here, and a reconnect link leads here
  app.route('/google', googlePageRoutes);
  // the web companion's pages, behind a session cookie
  app.route('/', webRoutes as never);

  // a known path asked with a method it does not take: 405 with what it takes
  app.notFound((c) => {
    const allowed = allowedMethods(document(), c.req.path);
    if (allowed.length && !allowed.includes(c.req.method)) {
      c.header('allow', allowed.join(', '));
      return errorResponse(c, new ApiError(405, 'method_not_allowed', { method: c.req.method, path: c.req.path, allowed: allowed.join(', ') }));
    }
    return answerError(c, new ApiError(404, 'route_not_found', { method: c.req.method, path: c.req.path }));
  });
  // a person's browser gets an error as a page (htmlErrorPage), anyone else as JSON
  const answerError = (c: Context, err: ApiError) => htmlErrorPage(c, err) ?? errorResponse(c, err);
  app.onError((err, c) => {
    if (err instanceof ApiError) return answerError(c, err);
    const tooLarge = bodyTooLarge(err);
    if (tooLarge) return answerError(c, new ApiError(413, 'payload_too_large', { limit: tooLarge.limit }));
    if (err instanceof DbError) return answerError(c, fromDb(err.status, err.key, err.details));
    if (err instanceof DbUnavailableError) {
      return answerError(c, new ApiError(503, 'db_unavailable', {}, undefined, { 'retry-after': '2' }));
    }
    if (err instanceof HTTPException && err.status < 500) return answerError(c, fromHono(err, c));
    const ref = randomUUID().slice(0, 8);
    (deps.logError ?? defaultLogError)(ref, err);
    return answerError(c, new ApiError(500, 'internal_error', { ref }));
  });
  return app;
}

/** Hono's own 4xx: a body of another type than the route's (415), or malformed JSON. */
function fromHono(err: HTTPException, c: Context): ApiError {
  if (err.status === 415) return new ApiError(415, 'unsupported_media_type', { type: c.req.header('content-type') ?? '-' });
  const key = /json/i.test(err.message) ? 'malformed_json' : 'invalid_value';
  return new ApiError(err.status as 400, key);
}

/**
 * The methods the document has for a path, HEAD with GET (which Hono answers
 * for every GET route); none when no route has the path.
 *   allowedMethods(doc, '/api/contacts') = ['GET', 'HEAD', 'POST']
 */
export function allowedMethods(doc: OpenApiDocument, path: string): string[] {
  const methods = new Set<string>();
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    for (const m of Object.keys(ops)) methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function defaultLogError(ref: string, err: unknown) {
  // the error only: never the request's headers or body, which carry credentials and customer data
  console.error(`[rapport] error ${ref}:`, err instanceof Error ? err.stack : err);
}
