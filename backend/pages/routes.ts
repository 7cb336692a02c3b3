import * as z from 'zod';
import { ok, publicRoute, router } from '../openapi/route.js';
import { type OpenApiDocument, OpenApiDocumentSchema } from '../openapi/document.js';
import { docsPage } from '../openapi/docs-page.js';

const Health = z.strictObject({ ok: z.boolean(), db: z.enum(['pglite', 'postgres', 'supabase']) }).meta({ id: 'Health' });
const Html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

/**
 * The routes outside /api, which need no credential: liveness, this
 * document and its page. Where a contact link leads (/c/:id) is the web
 * companion's contact page (backend/web/contact-routes.tsx), behind sign-in. `document` is the
 * app's OpenAPI document, built once it is first asked for.
 */
export function pageRoutes(document: () => OpenApiDocument) {
  let html: string | undefined;
  // the document's text, written once: 190 KB stringified on every request cost 7 ms each
  let json: string | undefined;
  return router()
    .openapi(
      publicRoute({
        method: 'get',
        path: '/healthz',
        operationId: 'health',
        tags: ['health'],
        summary: 'Liveness and which database is in use',
        responses: {
          200: ok(Health, 'The database answers'),
          503: {
            description: 'The database does not answer; retry after Retry-After seconds',
            headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } },
            content: { 'application/json': { schema: Health } },
          },
        },
      }),
      async (c) => {
        const { db } = c.get('deps');
        try {
          await db.callAnonymous('healthz', {});
          return c.json({ ok: true, db: db.kind }, 200);
        } catch {
          return c.json({ ok: false, db: db.kind }, 503, { 'retry-after': '5' });
        }
      },
    )
    .openapi(
      publicRoute({
        method: 'get',
        path: '/openapi.json',
        operationId: 'openApiDocument',
        tags: ['documentation'],
        summary: 'This document: every route with its input and answers (OpenAPI 3.1)',
        responses: { 200: ok(OpenApiDocumentSchema, 'OpenAPI 3.1') },
      }),
      (c) => {
        json ??= JSON.stringify(document());
        return c.body(json, 200, { 'content-type': 'application/json' }) as unknown as ReturnType<typeof c.json<OpenApiDocument, 200>>;
      },
    )
    .openapi(
      publicRoute({
        method: 'get',
        path: '/docs',
        operationId: 'documentationPage',
        tags: ['documentation'],
        summary: 'This document as a web page',
        responses: { 200: Html('Every route, its parameters, body and answers; no scripts') },
      }),
      (c) => {
        html ??= docsPage(document());
        return c.html(html);
      },
    );
}
