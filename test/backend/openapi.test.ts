import { describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { caller } from '../support/http.js';
import { noDb } from '../support/no-db.js';


describe('OpenAPI document', () => {
  const app = createApp({ db: noDb });

  it('lists every route the app answers, and nothing it does not', async () => {
    const doc = (await caller(app)('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = [
      ...new Set(
        app.routes
          .filter((r) => r.method !== 'ALL')
          .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
      ),
    ].sort();
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

  it('says, in the reader\'s language, where the contact opens, and shows no CRM data', async () => {
    const res = await app.request('/c/0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f', { headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('Slack で /crm');
    expect(html).not.toContain('0b5c2f4e');
  });
});
