import { describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { webRoutes } from '../../backend/web/index.js';
import { caller } from '../support/http.js';
import { noDb } from '../support/no-db.js';

type Json = Record<string, any>;

describe('OpenAPI document', () => {
  const app = createApp({ db: noDb });

  it('lists every route the app answers, and nothing it does not', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    // the web companion's pages are HTML for browsers, not the API: test/web drives them
    const pages = new Set(webRoutes.routes.map((r) => `${r.method} ${r.path}`));
    const served = [
      ...new Set(
        app.routes.filter((r) => r.method !== 'ALL' && !pages.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
      ),
    ].sort();
    expect(pages.size).toBeGreaterThan(3);
    expect(documented).toEqual(served);
  });

  it('describes request bodies and parameters from the same schemas that validate them', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    const create = doc.paths['/api/contacts'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['name']);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.stage.enum).toEqual(['lead', 'prospect', 'customer', 'churned']);
    const list = doc.paths['/api/contacts'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(['q', 'stage', 'owner', 'tag', 'limit', 'cursor', 'segment']);
    const capture = doc.paths['/api/interactions'].post.responses;
    expect(Object.keys(capture)).toEqual(expect.arrayContaining(['200', '201', '400', '401']));
  });

  it('names every operation once, tags it with a listed tag, and says whose server and licence it is', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string; tags: string[]; summary: string }>>).flatMap(([path, o]) =>
      Object.entries(o).map(([method, op]) => ({ at: `${method} ${path}`, ...op })),
    );
    const tags = new Set(doc.tags.map((t: { name: string }) => t.name));
    expect(ops.filter((o) => !o.operationId || o.tags?.length !== 1 || !tags.has(o.tags[0]!) || !o.summary).map((o) => o.at)).toEqual([]);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.info.license).toEqual({ name: 'Proprietary', identifier: expect.stringMatching(/^LicenseRef-/) });
    const served = createApp({ db: noDb, publicUrl: 'https://rapport.example.com' });
    expect((await caller(served)('GET', '/openapi.json')).body.servers[0].url).toBe('https://rapport.example.com');
  });

  it('types every success body whole: no open object, no schema that says nothing', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    const components = doc.components.schemas as Record<string, Json>;
    const loose: string[] = [];
    const seen = new Set<string>();
    // JsonValue is the one schema of any JSON, named: an audit entry's snapshot of a row, an error's details
    const walk = (s: Json, at: string): void => {
      if (typeof s.$ref === 'string') {
        const name = s.$ref.replace('#/components/schemas/', '');
        if (name === 'JsonValue' || seen.has(name)) return;
        seen.add(name);
        walk(components[name]!, name);
        return;
      }
      const says = ['type', 'anyOf', 'oneOf', 'allOf', 'const', 'enum'].some((k) => k in s);
      if (!says) loose.push(`${at}: ${JSON.stringify(s)}`);
      if (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'))) {
        if (s.properties && s.additionalProperties !== false) loose.push(`${at}: an object open to undocumented fields`);
        if (!s.properties && (typeof s.additionalProperties !== 'object' || Object.keys(s.additionalProperties as Json).length === 0))
          loose.push(`${at}: an object of anything`);
      }
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v as Json, `${at}.${k}`);
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties as Json, `${at}.*`);
      if (s.items) walk(s.items as Json, `${at}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) for (const [i, v] of ((s[k] ?? []) as Json[]).entries()) walk(v, `${at}|${i}`);
    };
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, r] of Object.entries(op.responses)) {
          if (!status.startsWith('2')) continue;
          for (const [type, m] of Object.entries(r.content ?? {})) walk(m.schema, `${method} ${path} ${status} ${type}`);
        }
      }
    }
    expect(loose).toEqual([]);
    expect(seen.size).toBeGreaterThan(40);
  });

  it('documents what was missing: editedAt, who made and finished a follow-up, the CSV export, the rate limit', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    const schemas = doc.components.schemas;
    expect(schemas.Interaction.required).toContain('editedAt');
    expect(schemas.FollowUp.required).toEqual(expect.arrayContaining(['createdBy', 'completedBy']));
    expect(doc.paths['/api/interactions/{id}'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Interaction');
    expect(Object.keys(doc.paths['/api/contacts/export'].get.responses['200'].content)).toEqual(['text/csv', 'application/json']);
    const member = Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)
      .filter(([path]) => path.startsWith('/api/') && !/^\/api\/(slack|jobs)\//.test(path))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method} ${path}`, Object.keys(op.responses)] as const));
    expect(member.filter(([, codes]) => !codes.includes('429')).map(([at]) => at)).toEqual([]);
  });

  it('serves a readable page beside it that escapes what it shows', async () => {
    const res = await caller(app)('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('<code>/api/contacts/{id}/timeline</code>');
    expect(res.body).not.toMatch(/<script/i);
  });
});

describe('a contact link opened in a browser', () => {
  const app = createApp({ db: noDb });

  it("is the web companion's contact page, not the API: signed out, it goes to sign in with where it was going, and shows no CRM data", async () => {
    const res = await app.request('/c/0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f', { headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fc%2F0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f');
    expect(await res.text()).toBe('');
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/c/'))).toEqual([]);
  });
});
