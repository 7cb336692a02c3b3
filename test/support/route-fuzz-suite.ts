import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { AUTHZ_GMAIL } from './authz-policy.js';
import { openTestDb, type TestDb } from './databases.js';
import { makeWorkspace } from './fixtures.js';
import { caller } from './http.js';
import type { IdPools } from './hostile-input.js';
import { invalidRequests, mixedRequests, send, type Credentials, type DocRoute, type FuzzRequest } from './route-fuzz.js';
import { tableDigest } from './table-digest.js';

export const CASES_PER_ROUTE = 1_000;
const INVALID_SHARE = 0.6;
const SERVICE_SECRET = `fuzz-service-secret-${'x'.repeat(24)}`;
const INBOUND_SECRET = `fuzz-inbound-secret-${'y'.repeat(24)}`;

/**
 * Property-based bad input for one share of the routes of GET /openapi.json
 * (the routes are dealt to two files so vitest runs them on both cores):
 * per route, a run of only-invalid requests (every one a 4xx naming what was
 * wrong; the table digest before and after equal) and a run of mixed ones (no
 * 5xx); every answer of either run documented and of the documented shape.
 */
export function badInputProperties(routes: DocRoute[], label: string) {
  describe(`bad input, property-based (${label})`, () => {
    let t: TestDb;
    let app: ReturnType<typeof createApp>;
    const failures: unknown[] = [];
    const figures = { routes: 0, cases: 0, started: Date.now() };
    const slowest: [number, string][] = [];

    beforeAll(async () => {
      t = await openTestDb('pglite');
      const jobs = {
        digests: async () => ({ claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 }),
        mailboxes: async () => ({ claimed: 0, pages: 0, captured: 0, failed: 0 }),
      };
      app = createApp({
        db: t.db,
        serviceSecret: SERVICE_SECRET,
        jobs,
        inbound: { address: 'log@in.example.com', secret: INBOUND_SECRET },
        gmail: AUTHZ_GMAIL,
        logError: (_ref, e) => failures.push(e),
      });
    });

    /**
     * A workspace of the route's own, so that the rows one route's mixed run
     * makes (hundreds of contacts) do not slow the next one, with a few real
     * rows whose ids the generators use.
     */
    async function arrange(): Promise<{ pools: IdPools; creds: Credentials }> {
      const ws = await makeWorkspace(t.sql, t.db);
      const admin = caller(app, ws.admin.token);
      const ids: string[] = [ws.id, ws.rep.id, ws.manager.id];
      for (const [name, email] of [
        ['Jane Doe', 'jane@customer.example'],
        ['田中 太郎', 'tanaka+crm@例え.jp'],
        ['Jane Doe', 'jane.d@customer.example'],
      ]) {
        ids.push((await admin('POST', '/api/contacts', { name, emails: [email] })).body.id);
      }
      ids.push((await admin('POST', '/api/follow-ups', { contactId: ids[3], dueAt: '2026-12-01T00:00:00Z' })).body.id);
      ids.push((await admin('POST', '/api/segments', { name: 'Customers', filter: { stage: 'customer' } })).body.id);
      const captured = await admin('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-24T00:00:00Z',
        source: 'gmail',
        externalId: '<fuzz@x>',
        participants: [{ role: 'from', email: 'jane@customer.example' }],
      });
      ids.push(captured.body.id);
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      // a token records its use at most once a minute: marked used in the future, so that this
      // bookkeeping of a long run does not show in the digest of the refused requests
      await t.sql.query(`update crm.api_tokens set last_used_at = now() + interval '1 day' where workspace_id = $1`, [ws.id]);
      return { pools: { uuids: ids }, creds: { member: [ws.admin.token, ws.admin.token, ws.rep.token], service: SERVICE_SECRET, inbound: INBOUND_SECRET } };
    }
    afterAll(async () => {
      await t?.close();
      const seconds = ((Date.now() - figures.started) / 1000).toFixed(1);
      const top = slowest
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3)
        .map(([ms, name]) => `${name} ${ms} ms`)
        .join(', ');
      console.log(`[bad-input-property] ${label}: ${figures.routes} routes, ${figures.cases} cases, ${seconds} s (slowest: ${top})`);
      expect(failures.map(String)).toEqual([]);
    });

    function expectClear4xx(req: FuzzRequest, res: Awaited<ReturnType<typeof send>>) {
      const what = `${req.method} ${req.url.slice(0, 200)} (${req.how}${req.field ? ` ${req.field}` : ''}): ${JSON.stringify(res.body).slice(0, 300)}`;
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      // a page a person's browser lands on (Google's consent coming back) says what went wrong as a page
      if (typeof res.body === 'string' && res.body.startsWith('<!doctype html>')) {
        expect(res.body, what).toMatch(/<h1>[^<]*\S[^<]*<\/h1>/);
        expect(res.body, what).toMatch(/<p>[^<]*\S/);
        return;
      }
      expect(typeof res.body?.error?.code, what).toBe('string');
      expect(res.body.error.message, what).toMatch(/\S/);
    }

    it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
      '%s',
      async (_name, r) => {
        figures.routes += 1;
        const began = Date.now();
        const { pools, creds } = await arrange();
        const invalid = invalidRequests(r, pools, creds);
        // a route that takes no input (GET /openapi.json, /docs, /api/me…) has only its credentials to
        // vary: a tenth of the cases covers them, where 1,000 repeated the same few requests
        const takesInput = Object.keys(r.pathParams).length > 0 || Object.keys(r.query).length > 0 || r.body !== undefined;
        const cases = takesInput ? CASES_PER_ROUTE : CASES_PER_ROUTE / 10;
        const invalidRuns = invalid ? Math.round(cases * INVALID_SHARE) : 0;
        if (invalid) {
          const before = await tableDigest(t.sql);
          await fc.assert(
            fc.asyncProperty(invalid, async (req) => {
              const res = await send(app, req);
              expectClear4xx(req, res);
              if (req.expect) expect(res.status, req.how).toBe(req.expect);
              if (res.body.error.code === 'invalid_request' && req.field && req.how !== 'not an object') {
                expect(res.body.error.message, `${req.how} ${req.field}`).toContain(req.field);
              }
            }),
            { numRuns: invalidRuns, endOnFailure: true },
          );
          expect(await tableDigest(t.sql), `${r.method} ${r.path}: a refused request changed the database`).toBe(before);
        }
        await fc.assert(
          fc.asyncProperty(mixedRequests(r, pools, creds), async (req) => {
            const res = await send(app, req);
            const what = `${req.method} ${req.url.slice(0, 200)} (${req.how})`;
            expect(res.status, what).toBeLessThan(500);
            // the answer's status and shape were held to the document in send()
            if (res.status >= 400) expectClear4xx(req, res);
          }),
          { numRuns: cases - invalidRuns, endOnFailure: true },
        );
        figures.cases += cases;
        slowest.push([Date.now() - began, `${r.method} ${r.path}`]);
      },
      120_000,
    );
  });
}
