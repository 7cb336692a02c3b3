import fc from 'fast-check';
import type { Hono } from 'hono';
import { contract } from './contract.js';
import { broken, deepJson, hostileString, hostileValue, validish, wrongTypeFor, type IdPools, type JsonSchema } from './hostile-input.js';

/**
 * Every route of the OpenAPI document, with generators for its requests:
 * `invalid` requests the route must refuse with a 4xx, `mixed` ones it may
 * take or refuse but never answer with a 5xx.
 */
export interface DocRoute {
  method: string;
  path: string;
  public: boolean;
  service: boolean;
  /** the mail relay's routes (/inbound/*), with the inbound secret */
  inbound: boolean;
  pathParams: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  body?: JsonSchema;
  /** status -> response JSON Schema (undefined when not JSON) */
  responses: Record<string, { description: string; schema?: JsonSchema }>;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** why it must fail, and the field the message should name */
  how: string;
  field?: string;
  /** the status it must get, when one is certain */
  expect?: number;
}

interface OpenApiOp {
  security?: unknown[];
  parameters: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json'?: { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: JsonSchema } } }>;
}

export function docRoutes(doc: { paths: Record<string, Record<string, OpenApiOp>> }): DocRoute[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      public: Array.isArray(op.security) && op.security.length === 0,
      // the service-secret routes of the Slack app and the scheduler
      service: /^\/api\/(slack|jobs)\//.test(path),
      inbound: path.startsWith('/inbound/'),
      pathParams: Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema])),
      query: Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
      body: op.requestBody?.content['application/json']?.schema,
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([code, r]) => [code, { description: r.description, schema: r.content?.['application/json']?.schema }]),
      ),
    })),
  );
}

export interface Credentials {
  member: string[];
  service: string;
  inbound: string;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** encodeURIComponent, with a lone surrogate sent as the U+FFFD a browser would send */
const encode = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));
const MB = 1024 * 1024;

function build(
  r: DocRoute,
  parts: { params: Record<string, unknown>; query: Record<string, unknown>; body?: unknown; raw?: string | Uint8Array; auth?: string },
): Omit<FuzzRequest, 'how'> {
  const path = r.path.replace(/\{(\w+)\}/g, (_m, k: string) => encode(asText(parts.params[k])));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(parts.query)) if (v !== undefined) qs.append(k, asText(v));
  const headers: Record<string, string> = {};
  if (parts.auth !== undefined) headers.authorization = parts.auth;
  if (parts.body !== undefined || parts.raw !== undefined) headers['content-type'] = 'application/json';
  const body = parts.raw ?? (parts.body !== undefined ? JSON.stringify(parts.body) : undefined);
  return { method: r.method, url: path + (qs.size ? `?${qs}` : ''), headers, ...(body !== undefined ? { body } : {}) };
}

function recordOf(schemas: Record<string, JsonSchema>, pools: IdPools, required: string[] = []) {
  return fc.record(Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, validish(s, pools)])), {
    requiredKeys: required,
  }) as fc.Arbitrary<Record<string, unknown>>;
}

function authFor(r: DocRoute, creds: Credentials) {
  if (r.public) return fc.constant(undefined);
  if (r.inbound) return fc.constant(`Bearer ${creds.inbound}`);
  return r.service ? fc.constant(`Rapport-Service ${creds.service}`) : fc.constantFrom(...creds.member.map((t) => `Bearer ${t}`));
}

/** a string no documented path or query parameter accepts */
const notA = (s: JsonSchema) =>
  s.format === 'uuid' || s.pattern || s.enum || s.type === 'integer' || s.type === 'number'
    ? hostileString.filter((v) => v !== '' && !(s.pattern && new RegExp(s.pattern, 'u').test(v)) && !s.enum?.includes(v) && !/^\d+$/.test(v))
    : s.maxLength !== undefined && s.maxLength < 5_000
      ? fc.constant('q'.repeat(s.maxLength + 1))
      : undefined;

/** Requests the route must refuse with a 4xx, or undefined for a route that takes no input. */
export function invalidRequests(r: DocRoute, pools: IdPools, creds: Credentials): fc.Arbitrary<FuzzRequest> | undefined {
  if (r.public) return undefined;
  const params = recordOf(r.pathParams, pools, Object.keys(r.pathParams));
  const query = recordOf(r.query, pools);
  const body = r.body ? validish(r.body, pools) : fc.constant(undefined);
  const auth = authFor(r, creds);
  const opts: { weight: number; arbitrary: fc.Arbitrary<FuzzRequest> }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<FuzzRequest>) => opts.push({ weight, arbitrary });

  add(
    20,
    fc
      .tuple(
        params,
        query,
        body,
        fc.constantFrom(undefined, '', 'Bearer', 'Bearer rpt_forged', 'Basic YTpi', `Rapport-Service wrong`, `Bearer ${'x'.repeat(5000)}`),
      )
      .map(([p, q, b, a]) => ({ ...build(r, { params: p, query: q, body: b, auth: a }), how: 'bad credential', expect: 401 })),
  );
  for (const [k, s] of Object.entries(r.pathParams)) {
    const bad = notA(s);
    if (bad)
      add(
        40,
        fc.tuple(params, query, body, auth, bad).map(([p, q, b, a, x]) => ({
          ...build(r, { params: { ...p, [k]: x }, query: q, body: b, auth: a }),
          how: 'bad path parameter',
          field: k,
        })),
      );
  }
  for (const [k, s] of Object.entries(r.query)) {
    const bad = notA(s);
    if (bad)
      add(
        40,
        fc.tuple(params, query, body, auth, bad).map(([p, q, b, a, x]) => ({
          ...build(r, { params: p, query: { ...q, [k]: x }, body: b, auth: a }),
          how: 'bad query parameter',
          field: k,
        })),
      );
  }
  if (r.body) {
    add(
      200,
      fc
        .tuple(params, query, auth, broken(r.body, pools))
        .map(([p, q, a, x]) => ({ ...build(r, { params: p, query: q, body: x.value, auth: a }), how: x.how, field: x.field })),
    );
    const raw = fc.oneof(
      fc.constantFrom('{"name": "X",', '{', '', 'null', '[', '{"a":1}}', "{'a':1}", 'NaN', '\u0000'),
      deepJson.map((v) => JSON.stringify(v)),
    );
    add(
      40,
      fc.tuple(params, query, auth, raw).map(([p, q, a, x]) => ({ ...build(r, { params: p, query: q, raw: x, auth: a }), how: 'malformed or not an object' })),
    );
  }
  // a body over 1 MB, to a route that reads one (a route that takes none never reads it: no 413 to expect)
  if (r.body && r.responses['413']?.description.includes('1 MB')) {
    const big = fc
      .tuple(body, fc.constantFrom('x', '田'))
      .map(([b, ch]) => JSON.stringify({ ...(b && typeof b === 'object' ? b : {}), padding: ch.repeat(MB + 10_000) }));
    add(
      1,
      fc.tuple(params, query, auth, big).map(([p, q, a, x]) => ({ ...build(r, { params: p, query: q, raw: x, auth: a }), how: 'over 1 MB', expect: 413 })),
    );
  }
  return opts.length ? fc.oneof(...opts) : undefined;
}

const invalidUtf8 = (b: unknown) => {
  const s = JSON.stringify(b ?? {});
  const cut = Math.max(1, s.indexOf('"', 2) + 1 || 1);
  return new Uint8Array([...Buffer.from(s.slice(0, cut)), 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, ...Buffer.from(s.slice(cut))]);
};

/** Valid-ish requests with a hostile value or byte here and there: any answer but a 5xx. */
export function mixedRequests(r: DocRoute, pools: IdPools, creds: Credentials): fc.Arbitrary<FuzzRequest> {
  const params = recordOf(r.pathParams, pools, Object.keys(r.pathParams));
  const query = recordOf(r.query, pools);
  const body = r.body ? validish(r.body, pools) : fc.constant(undefined);
  const auth = authFor(r, creds);
  const field = (s?: JsonSchema) => (s?.type === 'object' && s.properties ? fc.constantFrom(...Object.keys(s.properties)) : fc.constant(undefined));
  return fc.tuple(params, query, body, auth, fc.nat(99), field(r.body), hostileValue, hostileString).map(([p, q, b, a, roll, f, hv, hs]) => {
    if (roll < 55 || !r.body) {
      // as documented, or with an unknown query parameter
      return { ...build(r, { params: p, query: roll % 7 === 0 ? { ...q, zz: hs } : q, body: b, auth: a }), how: 'valid-ish' };
    }
    if (roll < 85 && f && b && typeof b === 'object') {
      const s = r.body!.properties![f]!;
      const x = roll % 2 === 0 && typeof hv === 'string' ? hv : wrongTypeFor(s) ? hv : hs;
      return { ...build(r, { params: p, query: q, body: { ...b, [f]: x }, auth: a }), how: 'one hostile field', field: f };
    }
    return { ...build(r, { params: p, query: q, raw: invalidUtf8(b), auth: a }), how: 'invalid UTF-8' };
  });
}

/** One request to the app; its answer, whatever it is, is held to the API contract (contract.ts). */
export async function send(app: Hono<any>, req: FuzzRequest) {
  const res = await app.request(req.url, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  contract().assert(req.method, req.url, { status: res.status, contentType: type, text, allow: res.headers.get('allow') });
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // an HTML page
  }
  return { status: res.status, body, type };
}
