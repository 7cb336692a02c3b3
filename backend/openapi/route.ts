/**
 * Declaring a route: its path, input and every answer, once, beside its
 * handler (createRoute). The declaration validates the request (Rapport's 400
 * through validationHook), types the handler's answer and the typed clients'
 * (hc), and is the route's entry in GET /openapi.json.
 *
 *   export const contactRoutes = router().openapi(memberRoute({
 *     method: 'get', path: '/{id}', operationId: 'getContact', tags: ['contacts'], summary: 'A contact',
 *     request: { params: IdParam },
 *     responses: { 200: ok(ContactDetail, 'The contact'), ...errors(404) },
 *   }), async (c) => c.json(await call<ContactDetail>(c, 'contact_get', c.req.valid('param')), 200));
 */
import { OpenAPIHono, createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { validationHook } from '../http.js';
import { ErrorBody } from '../schemas.js';
import type { AppEnv } from '../types.js';

/** A router whose routes are declared with their schemas; bad input is Rapport's 400. */
export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } },
};

/** What each error status means wherever it is answered; a route may say more in its own entry. */
export const ERROR_TEXT = {
  400: 'Invalid input; the message names every wrong field, and details.issues explains each',
  401: 'No credential, or one that is not valid',
  403: 'Authenticated, but not allowed: not a member of a workspace, or not in a role that may do this',
  404: 'Not found in your workspace',
  409: 'Conflicts with an existing record',
  413: 'Body over 1 MB',
  415: 'The body is not JSON: send Content-Type: application/json',
  422: 'Understood, but refused as a whole',
  429: 'Over the requests a minute of your credential or your workspace; retry after Retry-After seconds',
  500: 'An unexpected fault; the message gives a reference to it in the server log',
  503: 'The database, or Google for a Google ID token, is unavailable; retry after Retry-After seconds',
} as const;
export type ErrorStatus = keyof typeof ERROR_TEXT;

type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorBody } } };
export type Errors<C extends number> = { [K in C]: ErrorResponse };

/** Error answers in Rapport's shape: errors(404, 409) */
export function errors<const C extends ErrorStatus[]>(...codes: C): Errors<C[number]> {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: ERROR_TEXT[code],
        ...(code === 429 || code === 503 ? { headers: RETRY_AFTER } : {}),
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  ) as Errors<C[number]>;
}

/** A JSON answer: ok(Contact, 'The contact') */
export function ok<const T extends ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON body. */
export function jsonBody<const T extends ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** What every declaration names besides its path: an operationId, one tag, a summary. */
type Declared = Omit<RouteConfig, 'operationId' | 'tags' | 'summary' | 'security'> & {
  operationId: string;
  tags: [string];
  summary: string;
};

type InputErrors<R extends Declared> = R['request'] extends { body: object } ? Errors<400 | 415> : R['request'] extends object ? Errors<400> : unknown;

type Who = 'member' | 'service' | 'inbound' | 'public';
// 413: every route caps its body (1 MB; an import 50 MB), a declared Content-Length over it is refused before the route runs
const UNIVERSAL = {
  member: [401, 403, 413, 429, 500, 503],
  service: [401, 413, 500, 503],
  inbound: [401, 413, 429, 500, 503],
  public: [413, 500],
} as const satisfies Record<Who, ErrorStatus[]>;
const SECURITY: Record<Who, Record<string, string[]>[] | undefined> = {
  member: undefined,
  service: [{ service: [] }],
  inbound: [{ inboundBearer: [] }, { inboundBasic: [] }],
  public: [],
};

function declare<const R extends Declared, const W extends Who>(who: W, spec: R) {
  const { request } = spec;
  const input: ErrorStatus[] = [];
  if (request?.params || request?.query || request?.body) input.push(400);
  // a JSON body declared with a zod schema: OpenAPIHono refuses any other Content-Type (415)
  const json = (request?.body as { content?: Record<string, { schema?: { safeParse?: unknown } }> } | undefined)?.content?.['application/json'];
  if (typeof json?.schema?.safeParse === 'function') input.push(415);
  const security = SECURITY[who];
  return createRoute({
    ...spec,
    ...(security ? { security } : {}),
    responses: { ...errors(...input, ...UNIVERSAL[who]), ...spec.responses },
  }) as unknown as R & { path: R['path']; responses: R['responses'] & InputErrors<R> & Errors<(typeof UNIVERSAL)[W][number]> };
}

/** A route a member calls (an API token, a Google ID token, or the Slack app acting for them): /api, after authentication and the rate limit. */
export const memberRoute = <const R extends Declared>(spec: R) => declare('member', spec);
/** A route only Rapport's own processes call, with the service secret (the Slack app, a scheduler). */
export const serviceRoute = <const R extends Declared>(spec: R) => declare('service', spec);
/** A route the mail relay calls with RAPPORT_INBOUND_SECRET (/inbound/*): mail delivered to a capture address. */
export const inboundRoute = <const R extends Declared>(spec: R) =>
  declare('inbound', {
    ...spec,
    responses: { 413: { ...errors(413)[413], description: 'Body over 50 MB (an email with its attachments)' }, ...spec.responses },
  });
/** A route anyone may call, with no credential. */
export const publicRoute = <const R extends Declared>(spec: R) => declare('public', spec);
