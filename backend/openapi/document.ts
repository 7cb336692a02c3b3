/**
 * GET /openapi.json: the OpenAPI 3.1 document, generated from the routes'
 * own declarations (backend/<area>/routes.ts, declared with
 * backend/openapi/route.ts). A schema converts with zod's JSON Schema
 * (2020-12, OpenAPI 3.1's dialect): requests as they are accepted (input),
 * answers as they are written (output). A schema with an id (.meta({ id }))
 * becomes a component, named once and referred to wherever it is used.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { JsonObject } from '../schemas.js';

type Json = Record<string, unknown>;

/** Every tag an operation may carry, in the order the document lists them. */
export const TAGS = {
  health: 'Whether the server and its database answer',
  documentation: 'This document, and the pages around it',
  me: 'The caller: who they are, their language, their activity',
  digests: 'The daily digest: its content, settings and deliveries',
  contacts: 'Contacts: search, create, change, timeline',
  people: "A person's data rights: export everything, erase",
  duplicates: 'Contacts that look like the same person, merge and undo',
  companies: 'Companies as accounts: search, the account card, one timeline across its people, duplicates, merge and undo',
  imports: 'Contacts in and out as CSV',
  segments: 'Saved filters, the numbers, and incomplete records',
  interactions: 'Emails, Slack messages, calls, meetings and notes',
  'follow-ups': 'What someone has to do about a contact, and when',
  alerts:
    'Alerts: what each member hears by DM (kinds, tags, working hours and days), channel rules, the reply window, and what a member does about one (done, snooze, assign to me)',
  deals: 'Deals and the pipeline: stages, amounts, who takes part, every stage change',
  gmail: 'What the Gmail add-on shows and logs',
  'channel-links': 'Slack channels whose messages are captured',
  members: "The workspace's members: add, change, deactivate with reassignment",
  workspace: 'The workspace: defaults, internal domains, who may join by themselves',
  tokens: 'Personal API tokens: list, create (shown once), revoke',
  slack: 'The Slack app only (service secret)',
  jobs: 'Scheduled work, for a scheduler outside the process (service secret)',
  inbound: "Mail delivered to members' capture addresses, from the mail relay (inbound secret)",
  mailbox: 'Gmail and Calendar sync: connect a mailbox and its calendar through Google, status and counts, what they capture, meetings',
} as const;

/** The document's own shape, as GET /openapi.json declares it (the parts below paths are OpenAPI's). */
export const OpenApiDocumentSchema = z
  .strictObject({
    openapi: z.literal('3.1.0'),
    info: z.strictObject({
      title: z.string(),
      version: z.string(),
      description: z.string(),
      license: z.strictObject({ name: z.string(), identifier: z.string() }),
    }),
    servers: z.array(z.strictObject({ url: z.string(), description: z.string() })),
    tags: z.array(z.strictObject({ name: z.string(), description: z.string() })),
    security: z.array(z.record(z.string(), z.array(z.string()))),
    paths: z.record(z.string(), z.record(z.string(), JsonObject)).describe('path, method: an OpenAPI 3.1 Operation Object'),
    components: z.strictObject({
      schemas: z.record(z.string(), JsonObject).describe('JSON Schema 2020-12'),
      securitySchemes: z.record(z.string(), JsonObject),
    }),
  })
  .meta({ id: 'OpenApiDocument' });
export type OpenApiDocument = z.infer<typeof OpenApiDocumentSchema>;

interface Declaration {
  method: string;
  path: string;
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  request?: {
    params?: z.ZodType;
    query?: z.ZodType;
    body?: { required?: boolean; description?: string; content: Record<string, { schema: unknown }> };
  };
  responses: Record<string, { description: string; headers?: Json; content?: Record<string, { schema: unknown }> }>;
}

const isZod = (s: unknown): s is z.ZodType => typeof (s as { safeParse?: unknown } | null)?.safeParse === 'function';

/** Schemas as JSON Schema, their named parts gathered as components. */
class Converter {
  readonly components: Record<string, Json> = {};

  convert(schema: unknown, io: 'input' | 'output'): Json {
    if (!isZod(schema)) return schema as Json; // a JSON Schema given as it is
    const {
      $schema: _dialect,
      $defs,
      ...rest
    } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json & {
      $defs?: Record<string, Json>;
    };
    for (const [name, def] of Object.entries($defs ?? {})) {
      // zod numbers unnamed shared parts per conversion: they would collide here
      if (name.startsWith('__')) throw new Error(`an unnamed shared schema (${name}): give it .meta({ id })`);
      const js = refsToComponents(def) as Json;
      const known = this.components[name];
      if (known && JSON.stringify(known) !== JSON.stringify(js)) throw new Error(`two different schemas are named ${name}`);
      this.components[name] = js;
    }
    return refsToComponents(rest) as Json;
  }
}

function refsToComponents(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(refsToComponents);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? x.replace(/^#\/\$defs\//, '#/components/schemas/') : refsToComponents(x)]),
  );
}

function parameters(conv: Converter, where: 'path' | 'query', schema?: z.ZodType) {
  if (!schema) return [];
  const js = conv.convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s as Json & { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (js.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(conv: Converter, r: Declaration): Json {
  if (!r.operationId || r.tags?.length !== 1 || !(r.tags[0]! in TAGS) || !r.summary) {
    throw new Error(`${r.method.toUpperCase()} ${r.path} needs an operationId, one known tag and a summary`);
  }
  const body = r.request?.body;
  return {
    operationId: r.operationId,
    tags: r.tags,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(r.security ? { security: r.security } : {}),
    parameters: [...parameters(conv, 'path', r.request?.params), ...parameters(conv, 'query', r.request?.query)],
    ...(body
      ? {
          requestBody: {
            required: body.required ?? false,
            ...(body.description ? { description: body.description } : {}),
            content: Object.fromEntries(Object.entries(body.content).map(([type, m]) => [type, { schema: conv.convert(m.schema, 'input') }])),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(r.responses)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, res]) => [
          code,
          {
            description: res.description,
            ...(res.headers ? { headers: res.headers } : {}),
            ...(res.content
              ? {
                  content: Object.fromEntries(Object.entries(res.content).map(([type, m]) => [type, { schema: conv.convert(m.schema, 'output') }])),
                }
              : {}),
          },
        ]),
    ),
  };
}

/**
 * The document of every route declared on the app. The server is the one
 * serving the document ('/', relative to it) unless its public URL is known.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's routes, whatever its env and schema
export function openApiDocument(app: OpenAPIHono<any, any, any>, opts: { serverUrl?: string } = {}): OpenApiDocument {
  const conv = new Converter();
  const paths: Record<string, Record<string, Json>> = {};
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const r = def.route as unknown as Declaration;
    paths[r.path] ??= {};
    const at = paths[r.path]!;
    if (at[r.method]) throw new Error(`${r.method.toUpperCase()} ${r.path} is declared twice`);
    at[r.method] = operation(conv, r);
  }
  // grouped as the tags are listed (the member API first, Rapport's own processes last), each group in declaration order
  const order = Object.keys(TAGS);
  const rank = (ops: Record<string, Json>) => Math.min(...Object.values(ops).map((o) => order.indexOf((o.tags as string[])[0]!)));
  const sorted = Object.fromEntries(Object.entries(paths).sort(([, a], [, b]) => rank(a) - rank(b)));
  const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  if (new Set(ids).size !== ids.length) throw new Error('two operations share an operationId');
  const names = Object.keys(conv.components).sort();
  const doc = {
    openapi: '3.1.0' as const,
    info: {
      title: 'Rapport API',
      version: '1',
      description: [
        'The CRM behind the Rapport Slack app and Gmail add-on.',
        'Every /api route needs a credential: `Authorization: Bearer <token>` with a personal API token (rpt_...) or a Google ID token,',
        'or, for the Slack app and a scheduler, `Authorization: Rapport-Service <secret>`.',
        'Errors are {"error":{"code","message","details"?}}; messages follow the member\'s locale or Accept-Language (en, ja, zh).',
        'A path no route has answers 404; a path whose route takes other methods answers 405 with an Allow header;',
        'HEAD works wherever GET does.',
      ].join(' '),
      // Rapport is private (package.json: UNLICENSED): no licence is granted
      license: { name: 'Proprietary', identifier: 'LicenseRef-Rapport-Proprietary' },
    },
    servers: [{ url: opts.serverUrl ?? '/', description: opts.serverUrl ? 'This Rapport server' : 'The Rapport server serving this document' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }, { service: [] }],
    paths: sorted,
    components: {
      schemas: Object.fromEntries(names.map((n) => [n, conv.components[n]!])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (rpt_...) or a Google ID token (the Gmail add-on)' },
        service: {
          type: 'http',
          scheme: 'Rapport-Service',
          description:
            "Rapport's own processes: the service secret (RAPPORT_SERVICE_SECRET). On a member's route it acts for the member named by X-Rapport-Workspace and one of X-Rapport-Slack-User, X-Rapport-Member-Email, X-Rapport-Member-Id.",
        },
        inboundBearer: { type: 'http', scheme: 'bearer', description: 'The mail relay (POST /inbound/mime): the inbound secret (RAPPORT_INBOUND_SECRET)' },
        inboundBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'Postmark (POST /inbound/postmark): any user name, the inbound secret (RAPPORT_INBOUND_SECRET) as password',
        },
      },
    },
  };
  // built from JSON Schema and strings only: JSON all through
  return doc as unknown as OpenApiDocument;
}
