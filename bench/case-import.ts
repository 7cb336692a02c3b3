/**
 * The import case: a 100,000-row CSV (a fifth Japanese or Chinese names, 70 %
 * at a company, the rest on free mail) imported through the real path — POST
 * /api/imports as a multipart upload, so parse, mapping, checks and the one
 * api.contacts_import call are all in the figure — into a fresh workspace,
 * beside a raw-SQL baseline that inserts the same companies, contacts and
 * addresses with insert ... select from one JSON parameter (no checks).
 *
 * One request is one whole import, one per side, one at a time (the case
 * fixes its own requests and concurrency): `npm run bench -- --only import`. Targets: under 30 s on PGlite, under 15 s
 * on PostgreSQL; verify() reports rows/s and fails a run that misses them.
 */
import { newApiToken } from '../backend/auth/api-tokens.js';
import { prepareImport } from '../backend/imports/service.js';
import { type BenchCase, type CaseContext, check } from './case-kit.js';

export const IMPORT_ROWS = 100_000;
const TARGET_SECONDS = { pglite: 30, postgres: 15 };

const LATIN_FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'Amélie', 'José', 'Björn', 'Zoë', 'Priya', 'Omar'];
const LATIN_LAST = ['Smith', 'Johnson', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Müller', 'Dubois', 'Rossi', 'Novak', 'Okafor', 'Silva'];
const JA_LAST = [
  ['田中', 'tanaka'],
  ['佐藤', 'sato'],
  ['鈴木', 'suzuki'],
  ['高橋', 'takahashi'],
  ['渡辺', 'watanabe'],
  ['山本', 'yamamoto'],
];
const JA_FIRST = [
  ['太郎', 'taro'],
  ['花子', 'hanako'],
  ['翔太', 'shota'],
  ['美咲', 'misaki'],
  ['大輔', 'daisuke'],
  ['由美', 'yumi'],
];
const ZH_LAST = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
];
const ZH_FIRST = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['秀英', 'xiuying'],
  ['建国', 'jianguo'],
  ['静', 'jing'],
];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Nakatomi', 'Yoyodyne', '株式会社サンプル', '示例有限公司'];
const TITLES = ['CEO', 'VP Sales', 'Buyer', 'Engineer', '部長', '課長', '经理'];
const STAGES = ['Lead', 'prospect', '既存顧客', 'Customer', 'Sales Qualified Lead', '解約'];
const TAGS = ['vip', 'trade-show; renewal', '展示会', '', '', ''];

interface Generated {
  csv: Uint8Array;
  /** the same rows, mapped, for the baseline: [name, email, company name, company domain, title, phone, stage, tags] */
  baselineRows: string;
}

/** The CSV, deterministic for a seed: `First Name,Last Name,Email,Company,Title,Phone,Stage,Tags`. */
export function generateImportCsv(rows: number, rand: () => number, tag: string): Generated {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const lines = ['First Name,Last Name,Email,Company,Title,Phone,Stage,Tags'];
  const base: unknown[] = [];
  const stage: Record<string, string> = {
    Lead: 'lead',
    prospect: 'prospect',
    既存顧客: 'customer',
    Customer: 'customer',
    'Sales Qualified Lead': 'prospect',
    解約: 'churned',
  };
  for (let i = 0; i < rows; i++) {
    let first: string, last: string, local: string;
    if (i % 5 === 0) {
      const [l, lr] = i % 10 === 0 ? pick(JA_LAST) : pick(ZH_LAST);
      const [f, fr] = i % 10 === 0 ? pick(JA_FIRST) : pick(ZH_FIRST);
      [first, last, local] = [f!, l!, `${fr}.${lr}`];
    } else {
      [first, last] = [pick(LATIN_FIRST), pick(LATIN_LAST)];
      local = `${first}.${last}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '');
    }
    const k = Math.floor((rand() * rows) / 20);
    const atCompany = rand() < 0.7;
    const company = atCompany && rand() < 0.6 ? `${COMPANIES[k % COMPANIES.length]} ${k}` : '';
    const domain = atCompany ? `co${k}-${tag}.example` : pick(['gmail.com', 'yahoo.co.jp', 'qq.com']);
    const email = `${local}.${i}@${domain}`;
    const [title, phone, st, tags] = [pick(TITLES), rand() < 0.5 ? `+81 3-${1000 + (i % 9000)}-${1000 + ((i * 7) % 9000)}` : '', pick(STAGES), pick(TAGS)];
    lines.push([first, last, email, company.includes(' ') ? `"${company}"` : company, title, phone ? `'${phone}` : '', `"${st}"`, `"${tags}"`].join(','));
    const name = i % 5 === 0 ? `${last}${first}` : `${first} ${last}`;
    base.push([
      name,
      email,
      company || (atCompany ? `Co${k}` : ''),
      !company && atCompany ? domain : '',
      title,
      phone,
      stage[st],
      tags ? tags.split('; ') : [],
    ]);
  }
  return { csv: new TextEncoder().encode(`${lines.join('\r\n')}\r\n`), baselineRows: JSON.stringify(base) };
}

/** The baseline: the same rows inserted with plain SQL in one statement (companies, contacts, addresses). */
export const BASELINE_SQL = `
  with r as (
    select gen_random_uuid() as id, x ->> 0 as name, x ->> 1 as email, nullif(x ->> 2, '') as company, nullif(x ->> 3, '') as domain,
           x ->> 4 as title, nullif(x ->> 5, '') as phone, x ->> 6 as stage,
           array(select jsonb_array_elements_text(x -> 7)) as tags
    from jsonb_array_elements($3::jsonb) x
  ), co as (
    insert into crm.companies (workspace_id, name, domain, source, created_by)
    select distinct on (company) $1::uuid, company, domain, 'import', $2::uuid from r where company is not null order by company, domain
    returning id, name
  ), c as (
    insert into crm.contacts (id, workspace_id, name, title, phone, company_id, stage, owner_id, tags, source, created_by)
    select r.id, $1::uuid, r.name, r.title, r.phone, co.id, r.stage, $2::uuid, r.tags, 'import', $2::uuid
    from r left join co on co.name = r.company
    returning id
  )
  insert into crm.contact_emails (workspace_id, contact_id, email, is_primary)
  select $1::uuid, r.id, r.email, true from r`;

export async function freshWorkspace(ctx: CaseContext, label: string): Promise<{ id: string; memberId: string; token: string }> {
  const [w] = await ctx.admin<{ id: string }>(
    `insert into crm.workspaces (name, internal_domains) values ($1, array['bench-import.example']) returning id::text`,
    [`Bench import ${label}`],
  );
  const email = `importer-${label}@bench-import.example`;
  const [m] = await ctx.admin<{ id: string }>(
    `insert into crm.members (workspace_id, email, display_name, role) values ($1, $2, 'Importer', 'admin') returning id::text`,
    [w!.id, email],
  );
  const { token, hash } = newApiToken();
  await ctx.admin(`select api.token_create($1::jsonb)`, [JSON.stringify({ email, workspaceId: w!.id, tokenHash: hash, label: 'bench-import' })]);
  return { id: w!.id, memberId: m!.id, token };
}

/** One import per side, one at a time, whatever --requests/--concurrency say (bench/run.ts reads them per case). */
export const importCase: BenchCase = {
  name: 'import',
  warmup: 0,
  requests: 1,
  concurrency: 1,
  target: (r) => ({ met: r.http.errors === 0, text: 'every row in, 0 errors (15 s on PostgreSQL when the import was one statement)' }),
  async prepare(ctx) {
    const gen = generateImportCsv(IMPORT_ROWS, ctx.rand, ctx.runId);
    const t = performance.now();
    const prepared = prepareImport(gen.csv);
    const parseMs = performance.now() - t;
    check(prepared.rows.length === IMPORT_ROWS && prepared.rejected.length === 0, `the generated CSV has ${prepared.rejected.length} rejected rows`);
    const [{ v }] = (await ctx.admin<{ v: string }>(`select version() as v`)) as [{ v: string }];
    const db = /emscripten|PGlite/i.test(v) ? 'pglite' : 'postgres';
    const target = TARGET_SECONDS[db];
    const done = { http: [] as { ws: string; ms: number }[], baseline: [] as { ws: string; ms: number }[] };
    // one import at a time, whatever --concurrency says
    let queue: Promise<unknown> = Promise.resolve();
    const serial = <T>(f: () => Promise<T>) => {
      const run = queue.then(f, f);
      queue = run.catch(() => {});
      return run;
    };
    const mb = (gen.csv.byteLength / 2 ** 20).toFixed(1);
    return {
      note: `one request = one import of a ${IMPORT_ROWS.toLocaleString('en')}-row CSV (${mb} MB, a fifth CJK names) into a fresh workspace, one per side, one at a time`,
      explainTarget: (i) => ({
        fn: 'contacts_import',
        args: { rows: prepared.rows.map((r) => ({ ...r, emails: r.emails.map((e) => `x${i}.${e}`) })), dryRun: false },
        baselineSql: 'select 1',
        baselineParams: [],
      }),
      http: (i) =>
        serial(async () => {
          const ws = await freshWorkspace(ctx, `${ctx.runId}-api-${i}`);
          const form = new FormData();
          form.append('file', new Blob([gen.csv], { type: 'text/csv' }), 'bench.csv');
          const t0 = performance.now();
          const res = await fetch(`${ctx.base}/api/imports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ws.token}` },
            body: form,
          });
          const body = (await res.json()) as { newContacts?: number; error?: { code: string } };
          const ms = performance.now() - t0;
          check(res.status === 201, `HTTP ${res.status} ${body.error?.code ?? ''}`);
          check(body.newContacts === IMPORT_ROWS, `imported ${body.newContacts} contacts, not ${IMPORT_ROWS}`);
          done.http.push({ ws: ws.id, ms });
        }),
      baseline: (i) =>
        serial(async () => {
          const ws = await freshWorkspace(ctx, `${ctx.runId}-sql-${i}`);
          const t0 = performance.now();
          // on the loader's connection: the baseline pool, like the app's, cancels a statement after 15 s
          await ctx.admin(BASELINE_SQL, [ws.id, ws.memberId, gen.baselineRows]);
          done.baseline.push({ ws: ws.id, ms: performance.now() - t0 });
        }),
      async verify() {
        const count = async (ws: string) =>
          Number((await ctx.admin<{ n: string }>(`select count(*) as n from crm.contacts where workspace_id = $1`, [ws]))[0]!.n);
        const counts = await Promise.all([...done.http, ...done.baseline].map((d) => count(d.ws)));
        const mean = (xs: { ms: number }[]) => xs.reduce((a, x) => a + x.ms, 0) / Math.max(1, xs.length) / 1000;
        const [api, sql] = [mean(done.http), mean(done.baseline)];
        const rate = (s: number) => Math.round(IMPORT_ROWS / s).toLocaleString('en');
        const ok = done.http.length > 0 && counts.every((n) => n === IMPORT_ROWS) && api < target;
        return {
          ok,
          line:
            `import (${db}): ${done.http.length} import(s) of ${IMPORT_ROWS.toLocaleString('en')} rows through POST /api/imports: ` +
            `${api.toFixed(1)} s each = ${rate(api)} rows/s (parse + map + checks in Node: ${(parseMs / 1000).toFixed(1)} s of it; target < ${target} s); ` +
            `raw insert ... select baseline: ${sql.toFixed(1)} s = ${rate(sql)} rows/s` +
            (ok ? ' [ok]' : ' [MISSED]'),
          details: {
            db,
            rows: IMPORT_ROWS,
            csvBytes: gen.csv.byteLength,
            imports: done.http.length,
            seconds: api,
            rowsPerSecond: IMPORT_ROWS / api,
            parseSeconds: parseMs / 1000,
            baselineSeconds: sql,
            targetSeconds: target,
            counts,
          },
        };
      },
    };
  },
};
