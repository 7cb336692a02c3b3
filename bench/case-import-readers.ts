/**
 * Readers during an import: 2 clients read contact cards in a
 * closed loop while a 200,000-row CSV (the row limit) is imported through
 * POST /api/imports into a fresh workspace; the case ends when the import
 * does. The baseline side reads the same contacts with plain SQL while the
 * same rows go in by the raw insert ... select of the import case. Target:
 * the readers' p99 under 50 ms through HTTP, and the import complete. On
 * PGlite, whose one connection the import shares with the readers, a file of
 * 20,000 rows (it imports at ~1,800 rows/s there).
 *
 * Before the import was read in a worker thread and written in parts, one
 * 50 MB file held the event loop for seconds (9.5 s measured on PostgreSQL),
 * and on the embedded database the whole import was one call that every
 * other request queued behind.
 */
import { DEFAULT_MAX_IMPORT_ROWS } from '../backend/imports/prepare.js';
import { BASELINE_SQL, freshWorkspace, generateImportCsv } from './case-import.js';
import { type BenchCase, check, expectStatus, get, sampleSize, spread } from './case-kit.js';

/** PGlite imports at ~1,800 rows/s in parts: the readers are measured against a file a tenth of the limit there */
const ROWS = { postgres: DEFAULT_MAX_IMPORT_ROWS, pglite: DEFAULT_MAX_IMPORT_ROWS / 10 };

const CARD_SQL = `
  select c.*, (select array_agg(e.email order by e.is_primary desc, e.created_at) from crm.contact_emails e
                where e.workspace_id = c.workspace_id and e.contact_id = c.id) as emails
    from crm.contacts c where c.workspace_id = $1 and c.id = $2`;

export const importReaders: BenchCase = {
  name: 'import-readers',
  warmup: 20,
  // reads until the import ends (until()), at most this many
  requests: 1_000_000,
  concurrency: 2,
  maxSeconds: 600,
  target: (r) => ({ met: r.http.p99 < 50 && r.verifyOk !== false, text: 'readers p99 < 50 ms while 200,000 rows import (PGlite: 20,000)' }),
  async prepare(ctx) {
    const [{ v }] = (await ctx.admin<{ v: string }>(`select version() as v`)) as [{ v: string }];
    const db = /emscripten|PGlite/i.test(v) ? 'pglite' : 'postgres';
    const rows = ROWS[db];
    const gen = generateImportCsv(rows, ctx.rand, `${ctx.runId}r`);
    const found = await ctx.admin<{ id: string }>(`select id::text from crm.contacts where workspace_id = $1 order by random() limit $2`, [
      ctx.ws.workspaceId,
      sampleSize(5_000),
    ]);
    const targets = spread(found, 5_000, ctx.rand);
    const side = {
      http: { started: false, done: false, ms: 0, ws: '', error: '' },
      baseline: { started: false, done: false, ms: 0, ws: '', error: '' },
    };
    // the measured calls have i below `requests`; warm-up calls come after
    const measured = (i: number) => i < 1_000_000;
    const startImport = (s: (typeof side)['http'], run: () => Promise<void>) => {
      if (s.started) return;
      s.started = true;
      const t0 = performance.now();
      void run()
        .catch((e: unknown) => {
          s.error = e instanceof Error ? e.message : String(e);
        })
        .finally(() => {
          s.ms = performance.now() - t0;
          s.done = true;
        });
    };
    const mb = (gen.csv.byteLength / 2 ** 20).toFixed(1);
    return {
      note: `2 clients read random contact cards while a ${rows.toLocaleString('en')}-row CSV (${mb} MB) imports into a fresh workspace; ends with the import`,
      until: (s) => side[s].done,
      explainTarget: () => ({
        fn: 'contact_get',
        args: { id: targets[0]!.id },
        baselineSql: CARD_SQL,
        baselineParams: [ctx.ws.workspaceId, targets[0]!.id],
      }),
      async http(i) {
        if (measured(i)) {
          startImport(side.http, async () => {
            const ws = await freshWorkspace(ctx, `${ctx.runId}-readers-api`);
            side.http.ws = ws.id;
            const form = new FormData();
            form.append('file', new Blob([gen.csv], { type: 'text/csv' }), 'bench.csv');
            const res = await fetch(`${ctx.base}/api/imports`, {
              method: 'POST',
              headers: { authorization: `Bearer ${ws.token}` },
              body: form,
            });
            const body = (await res.json()) as { newContacts?: number; error?: { code: string } };
            check(res.status === 201 && body.newContacts === rows, `import: HTTP ${res.status} ${body.error?.code ?? ''}, ${body.newContacts} contacts`);
          });
        }
        const t = targets[i % targets.length]!;
        const r = await get(ctx, `/api/contacts/${t.id}`);
        expectStatus(r, 200);
        check((r.body as { id: string }).id === t.id, 'card mismatch');
      },
      async baseline(i) {
        if (measured(i)) {
          startImport(side.baseline, async () => {
            const ws = await freshWorkspace(ctx, `${ctx.runId}-readers-sql`);
            side.baseline.ws = ws.id;
            // on the loader's connection: the baseline pool, like the app's, cancels a statement after 15 s
            await ctx.admin(BASELINE_SQL, [ws.id, ws.memberId, gen.baselineRows]);
          });
        }
        const t = targets[i % targets.length]!;
        const found = await ctx.baseline<{ id: string }>(CARD_SQL, [ctx.ws.workspaceId, t.id]);
        check(found.length === 1 && found[0]!.id === t.id, 'baseline card mismatch');
      },
      async verify() {
        const count = async (ws: string) =>
          ws ? Number((await ctx.admin<{ n: string }>(`select count(*) as n from crm.contacts where workspace_id = $1`, [ws]))[0]!.n) : 0;
        const [api, sql] = [await count(side.http.ws), await count(side.baseline.ws)];
        const ok = side.http.done && !side.http.error && api === rows;
        return {
          ok,
          line:
            `import-readers: the import through POST /api/imports took ${(side.http.ms / 1000).toFixed(1)} s (${api.toLocaleString('en')} contacts${side.http.error ? `, failed: ${side.http.error}` : ''}); ` +
            `the raw insert ... select ${(side.baseline.ms / 1000).toFixed(1)} s (${sql.toLocaleString('en')})` +
            (ok ? ' [ok]' : ' [FAILED]'),
          details: {
            db,
            rows,
            csvBytes: gen.csv.byteLength,
            importSeconds: side.http.ms / 1000,
            baselineSeconds: side.baseline.ms / 1000,
            contacts: api,
            error: side.http.error || null,
          },
        };
      },
    };
  },
};
