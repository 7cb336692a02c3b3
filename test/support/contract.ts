import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createApp } from '../../backend/app.js';
import { type OpenApiDocument, openApiDocument } from '../../backend/openapi/document.js';
import { noDb } from './no-db.js';

/**
 * The API's contract, held to every answer a test receives: the status must
 * be one the document gives the operation, the body must be of a documented
 * media type, and a JSON body must match its schema (JSON Schema 2020-12,
 * every object closed: a field the document does not name fails). A request
 * no operation takes must be a 404, or a 405 with Allow, in Rapport's error
 * shape (or, before any route is chosen, a refused credential, an
 * exhausted rate limit, a body over its cap). The test helpers (caller, the fuzz's send, the Slack app's and the
 * add-on's way to the backend) call check() on everything they receive.
 *
 *   contract().check('GET', '/api/contacts?q=x', { status: 200, contentType: 'application/json', text }) = []  // or the problems
 */

type Json = Record<string, unknown>;
export interface Received {
  status: number;
  contentType: string;
  text: string;
  allow?: string | null;
}

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const COMPONENTS = 'https://rapport.invalid/components.json';

const toComponents = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(toComponents);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      k === '$ref' && typeof x === 'string' ? x.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) : toComponents(x),
    ]),
  );
};

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

export class Contract {
  readonly doc: OpenApiDocument;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  /** 'GET /api/contacts/{id} 200': every operation and status answered, and checked, in this test file */
  readonly seen = new Set<string>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    (addFormats as unknown as (a: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS, $defs: toComponents(doc.components.schemas) as Json });
    for (const [template, ops] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(ops)) {
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern,
          params: (template.match(/\{/g) ?? []).length,
          responses: (op as { responses: Operation['responses'] }).responses,
        });
      }
    }
  }

  /** The documented operations, with the success statuses each declares: ['GET /api/contacts 200', ...] */
  successes(): string[] {
    return this.operations.flatMap((o) =>
      Object.keys(o.responses)
        .filter((s) => s.startsWith('2'))
        .map((s) => `${o.method} ${o.template} ${s}`),
    );
  }

  /** The operation a request reaches, as the router picks it: a literal segment before a parameter. */
  operationOf(method: string, path: string): Operation | undefined {
    const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    return this.operations.filter((o) => o.method === m && o.pattern.test(path)).sort((a, b) => a.params - b.params)[0];
  }

  private schemaCheck(key: string, schema: Json): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) this.compiled.set(key, (v = this.ajv.compile(toComponents(schema) as Json)));
    return v;
  }

  private errorShape(text: string, what: string): string[] {
    const v = this.schemaCheck('#Error', { $ref: '#/components/schemas/Error' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${what}: not JSON: ${text.slice(0, 200)}`];
    }
    return v(body) ? [] : [`${what}: ${this.ajv.errorsText(v.errors)}`];
  }

  /** The problems with one answer; none when it keeps the contract. */
  check(method: string, url: string, res: Received): string[] {
    const path = new URL(url, 'http://rapport.test').pathname;
    const what = `${method} ${path} ${res.status}`;
    const op = this.operationOf(method, path);
    if (!op) {
      // what answers before any route is chosen: a body over its cap, a fault; under /api, the credential and the rate limit
      const before = path.startsWith('/api/') ? [401, 403, 413, 429, 500, 503] : [413, 500];
      const others = this.operations.filter((o) => o.pattern.test(path));
      if (before.includes(res.status)) return this.errorShape(res.text, what);
      if (others.length === 0)
        return res.status === 404 ? this.errorShape(res.text, what) : [`${what}: no operation has this path, and the answer is not a 404`];
      if (res.status !== 405) return [`${what}: the path takes ${others.map((o) => o.method).join(', ')}, and the answer is not a 405`];
      if (!res.allow) return [`${what}: a 405 without an Allow header`];
      return this.errorShape(res.text, what);
    }
    const documented = op.responses[String(res.status)];
    if (!documented)
      return [`${what}: status ${res.status} is not documented for ${op.method} ${op.template} (documented: ${Object.keys(op.responses).join(', ')})`];
    this.seen.add(`${op.method} ${op.template} ${res.status}`);
    if (method.toUpperCase() === 'HEAD' || res.text === '') return [];
    const type = res.contentType.split(';')[0]!.trim().toLowerCase();
    const media = documented.content?.[type];
    if (!media) return [`${what}: a body of type ${type || '(none)'}, documented: ${Object.keys(documented.content ?? {}).join(', ') || 'no body'}`];
    if (type !== 'application/json') {
      return typeof media.schema === 'object' && (media.schema as { type?: string }).type === 'string'
        ? []
        : [`${what}: ${type} documented without a string schema`];
    }
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return [`${what}: the body is not JSON: ${res.text.slice(0, 200)}`];
    }
    const v = this.schemaCheck(`${op.method} ${op.template} ${res.status}`, media.schema);
    return v(body) ? [] : [`${what}: ${this.ajv.errorsText(v.errors, { separator: '; ' })}`];
  }

  /** check(), thrown: the helpers call this on every answer, so a broken contract fails the test that received it. */
  assert(method: string, url: string, res: Received): void {
    const problems = this.check(method, url, res);
    if (problems.length) throw new ContractError(problems, res.text);
  }
}

export class ContractError extends Error {
  constructor(
    readonly problems: string[],
    body: string,
  ) {
    super(`the answer breaks the API contract (GET /openapi.json):\n  ${problems.join('\n  ')}\n  body: ${body.slice(0, 1500)}`);
    this.name = 'ContractError';
  }
}

let shared: Contract | undefined;
/** The contract of the app as this checkout builds it; one per test file (vitest isolates files). */
export function contract(): Contract {
  return (shared ??= new Contract(openApiDocument(createApp({ db: noDb }))));
}

/**
 * A Response checked against the contract, its body still readable.
 *   const res = await checkedResponse('GET', url, await app.request(url))
 */
export async function checkedResponse(method: string, url: string, res: Response): Promise<Response> {
  const text = await res.clone().text();
  contract().assert(method, url, {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    allow: res.headers.get('allow'),
  });
  return res;
}
