/**
 * The benchmark cases. Each one picks its random targets up-front from the
 * loaded data, then offers two operations over the same targets: the real
 * HTTP request (fetch to the app on 127.0.0.1, with a Bearer token, so auth,
 * validation, the api.* function and JSON encoding are all in the figure) and
 * the raw-SQL baseline (the same data fetched with plain SQL through the same
 * driver). Both check their answer, so a fast wrong answer counts as an error.
 */
import { toKatakana, toRomaji } from 'wanakana';
import { CJK_SEARCH_SURNAMES } from './load.js';
import { capture } from './case-capture.js';
import { inbound } from './case-inbound.js';
import { calendarSync } from './case-calendar-sync.js';
import { meetingBrief } from './case-meetings.js';
import { gmailImport } from './case-gmail-import.js';
import { digests } from './case-digests.js';
import { pipelineStats } from './case-deals.js';
import { gmailContext } from './case-gmail.js';
import { importCase } from './case-import.js';
import { importReaders } from './case-import-readers.js';
import { slackCommand } from './case-slack.js';
import { accountCard, accountTimeline } from './case-accounts.js';
import { alertLatency, alertsBurst } from './case-alerts.js';
import { webContact } from './case-web.js';
import { type BenchCase, check, expectStatus, get, randomCase, sampleSize, spread } from './case-kit.js';
export type { BenchCase, CaseContext, PreparedCase, Query } from './case-kit.js';

const LOOKUP_SQL = `
  select c.* from crm.contact_emails e
    join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
  where e.workspace_id = $1 and lower(e.email) = lower($2)`;

/**
 * Interactive reads run 2 requests in flight at all times: ~1,000 requests a
 * second, far more than the 5,000 people of the loaded data send (a busy rep
 * makes a request every few seconds), while a figure for 2 in flight still
 * shows the cost of contention between requests.
 */
const INTERACTIVE = 2;

const lookup: BenchCase = {
  name: 'lookup',
  warmup: 100,
  concurrency: INTERACTIVE,
  target: (r) => ({ met: r.http.p50 <= 2 && r.ratioP50 <= 5 && r.http.p99 <= 10, text: 'p50 <= 2 ms, <= 5x baseline, p99 <= 10 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ email: string; contact_id: string }>(
      `select email, contact_id::text from crm.contact_emails where workspace_id = $1 order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    const targets = spread(rows, ctx.n + 200, ctx.rand).map((r) => ({ email: randomCase(r.email, ctx.rand), id: r.contact_id }));
    return {
      note: `${rows.length} distinct addresses of the measured workspace, each sent in random letter case`,
      explainTarget: () => ({
        fn: 'contact_lookup',
        args: { email: targets[0]!.email },
        baselineSql: LOOKUP_SQL,
        baselineParams: [ctx.ws.workspaceId, targets[0]!.email],
      }),
      async http(i) {
        const t = targets[i % targets.length]!;
        const r = await get(ctx, `/api/contacts/lookup?email=${encodeURIComponent(t.email)}`);
        expectStatus(r, 200);
        check((r.body as { id: string }).id === t.id, 'lookup returned another contact');
      },
      async baseline(i) {
        const t = targets[i % targets.length]!;
        const rows = await ctx.baseline<{ id: string }>(LOOKUP_SQL, [ctx.ws.workspaceId, t.email]);
        check(rows.length === 1 && rows[0]!.id === t.id, 'baseline lookup mismatch');
      },
    };
  },
};

/** the newest interactions of a contact through its participant rows, visible to the reader */
const LAST_INTERACTIONS = `
  select i.* from crm.interaction_participants p
    join crm.interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
  where p.workspace_id = $1 and p.contact_id = $2
    and (i.visibility = 'workspace' or i.author_id = $3)
  order by p.occurred_at desc, p.interaction_id desc
  limit $4`;

const card: BenchCase = {
  name: 'card',
  warmup: 100,
  concurrency: INTERACTIVE,
  target: (r) => ({ met: r.http.p50 <= 4, text: 'p50 <= 4 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ id: string }>(`select id::text from crm.contacts where workspace_id = $1 order by random() limit $2`, [
      ctx.ws.workspaceId,
      sampleSize(ctx.n),
    ]);
    const targets = spread(rows, ctx.n + 200, ctx.rand);
    return {
      note: `${rows.length} distinct random contacts of the measured workspace`,
      explainTarget: () => ({
        fn: 'contact_get',
        args: { id: targets[0]!.id },
        baselineSql: LAST_INTERACTIONS,
        baselineParams: [ctx.ws.workspaceId, targets[0]!.id, ctx.ws.repId, 10],
      }),
      async http(i) {
        const t = targets[i % targets.length]!;
        const r = await get(ctx, `/api/contacts/${t.id}`);
        expectStatus(r, 200);
        const b = r.body as { id: string; timeline: unknown[]; openFollowUps: unknown[] };
        check(b.id === t.id && Array.isArray(b.timeline) && Array.isArray(b.openFollowUps), 'card mismatch');
      },
      async baseline(i) {
        const t = targets[i % targets.length]!;
        const [contact, followUps, interactions] = await Promise.all([
          ctx.baseline<{ id: string }>(
            `select c.*, co.name as company_name, co.domain as company_domain,
                    (select array_agg(e.email order by e.is_primary desc, e.created_at) from crm.contact_emails e
                      where e.workspace_id = c.workspace_id and e.contact_id = c.id) as emails
               from crm.contacts c
               left join crm.companies co on co.workspace_id = c.workspace_id and co.id = c.company_id
              where c.workspace_id = $1 and c.id = $2`,
            [ctx.ws.workspaceId, t.id],
          ),
          ctx.baseline(`select * from crm.follow_ups where workspace_id = $1 and contact_id = $2 and status = 'open' order by due_at`, [
            ctx.ws.workspaceId,
            t.id,
          ]),
          ctx.baseline(LAST_INTERACTIONS, [ctx.ws.workspaceId, t.id, ctx.ws.repId, 10]),
        ]);
        check(contact.length === 1 && contact[0]!.id === t.id && followUps && interactions, 'baseline card mismatch');
      },
    };
  },
};

const timeline: BenchCase = {
  name: 'timeline',
  warmup: 50,
  concurrency: INTERACTIVE,
  target: (r) => ({ met: r.http.p50 <= 5, text: 'p50 <= 5 ms' }),
  async prepare(ctx) {
    const [top] = await ctx.admin<{ contact_id: string; n: string }>(
      `select contact_id::text, count(*) as n from crm.interaction_participants
        where workspace_id = $1 and contact_id is not null
        group by contact_id order by count(*) desc, contact_id limit 1`,
      [ctx.ws.workspaceId],
    );
    check(top, 'no contact with interactions');
    // interactions of that contact the reader (a rep) may see: the baseline must return min(50, this)
    const [visible] = await ctx.admin<{ n: string }>(
      `select count(*) as n from crm.interaction_participants p
         join crm.interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
        where p.workspace_id = $1 and p.contact_id = $2 and (i.visibility = 'workspace' or i.author_id = $3)`,
      [ctx.ws.workspaceId, top.contact_id, ctx.ws.repId],
    );
    const expected = Math.min(50, Number(visible!.n));
    return {
      note: `the contact with the most interactions (${top.n}), limit 50`,
      explainTarget: () => ({
        fn: 'contact_timeline',
        args: { id: top.contact_id, limit: 50 },
        baselineSql: LAST_INTERACTIONS,
        baselineParams: [ctx.ws.workspaceId, top.contact_id, ctx.ws.repId, 50],
      }),
      async http() {
        const r = await get(ctx, `/api/contacts/${top.contact_id}/timeline?limit=50`);
        expectStatus(r, 200);
        check((r.body as { items: unknown[] }).items.length >= expected, `timeline returned fewer than ${expected} entries`);
      },
      async baseline() {
        const rows = await ctx.baseline(LAST_INTERACTIONS, [ctx.ws.workspaceId, top.contact_id, ctx.ws.repId, 50]);
        check(rows.length === expected, `baseline timeline returned ${rows.length} rows, not ${expected}`);
      },
    };
  },
};

const SEARCH_SQL = `
  select * from crm.contacts
  where workspace_id = $1 and (name_key like '%' || crm.fold($2) || '%' or reading_key like '%' || crm.kana_fold($2) || '%')
  order by name_key, id limit 25`;

/** One search case: the API with the query as a user might type it, beside SEARCH_SQL. */
function searchRun(ctx: Parameters<BenchCase['prepare']>[0], targets: string[], note: string, typed: (q: string) => string) {
  return {
    note,
    explainTarget: () => ({
      fn: 'contacts_list',
      args: { q: targets[0]! },
      baselineSql: SEARCH_SQL,
      baselineParams: [ctx.ws.workspaceId, targets[0]!],
    }),
    async http(i: number) {
      const q = targets[i % targets.length]!;
      const r = await get(ctx, `/api/contacts?q=${encodeURIComponent(typed(q))}`);
      expectStatus(r, 200);
      check((r.body as { items: unknown[] }).items.length > 0, `search '${q}' found nothing`);
    },
    async baseline(i: number) {
      const q = targets[i % targets.length]!;
      const rows = await ctx.baseline(SEARCH_SQL, [ctx.ws.workspaceId, q]);
      check(rows.length > 0, `baseline search '${q}' found nothing`);
    },
  };
}

const searchLatin: BenchCase = {
  name: 'search-latin',
  warmup: 50,
  concurrency: INTERACTIVE,
  target: (r) => ({ met: r.http.p95 <= 30, text: 'p95 <= 30 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ name_key: string }>(
      `select name_key from crm.contacts where workspace_id = $1 and name_key ~ '^[a-z]{6,}$' order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    const targets = spread(rows, ctx.n + 200, ctx.rand).map((r) => {
      const len = 3 + Math.floor(ctx.rand() * 3);
      const at = Math.floor(ctx.rand() * (r.name_key.length - len + 1));
      return r.name_key.slice(at, at + len);
    });
    return searchRun(ctx, targets, `3-5 letter pieces of ${rows.length} real latin names (e.g. ${targets.slice(0, 4).join(', ')})`, (q) =>
      randomCase(q, ctx.rand),
    );
  },
};

const searchCjk: BenchCase = {
  name: 'search-cjk',
  warmup: 20,
  concurrency: INTERACTIVE,
  target: (r) => ({ met: r.http.p95 <= 30, text: 'p95 <= 30 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ q: string }>(
      `select left(name_key, 2) as q from crm.contacts
        where workspace_id = $1 and left(name_key, 2) = any ($3::text[])
        order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n), CJK_SEARCH_SURNAMES],
    );
    // half of the searches by reading (issue 21): kana, katakana, romaji with and
    // without the given name, pinyin with and without its space
    const readings = await ctx.admin<{ reading: string }>(
      `select reading from crm.contacts where workspace_id = $1 and reading is not null order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    const forms = readings.flatMap(({ reading }) => {
      const [surname = reading, given = ''] = reading.split(' ');
      if (!/[\u3041-\u3096]/u.test(reading)) return [reading, reading.replace(/ /g, '')];
      return [surname, toKatakana(surname), toRomaji(surname), `${toRomaji(surname)} ${toRomaji(given)}`];
    });
    const targets = [...spread(rows, ctx.n + 200, ctx.rand).map((r) => r.q), ...spread(forms, ctx.n + 200, ctx.rand)].sort(() => ctx.rand() - 0.5);
    const shown = [...new Set(targets)].slice(0, 10).join(', ');
    return searchRun(
      ctx,
      targets,
      `two-character surnames of ${rows.length} real CJK names and ${readings.length} readings as kana, romaji, pinyin (${shown})`,
      (q) => q,
    );
  },
};

export const CASES: BenchCase[] = [
  lookup,
  card,
  timeline,
  searchLatin,
  searchCjk,
  gmailContext,
  capture,
  inbound,
  gmailImport,
  calendarSync,
  meetingBrief,
  slackCommand,
  digests,
  pipelineStats,
  importCase,
  importReaders,
  accountCard,
  accountTimeline,
  webContact,
  alertsBurst,
  alertLatency,
];
