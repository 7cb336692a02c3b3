/**
 * The benchmark cases. Each one picks its random targets up-front from the
 * loaded data, then offers two operations over the same targets: the real
 * HTTP request (fetch to the app on 127.0.0.1, with a Bearer token, so auth,
 * validation, the api.* function and JSON encoding are all in the figure) and
 * the raw-SQL baseline (the same data fetched with plain SQL through the same
 * driver). Both check their answer, so a fast wrong answer counts as an error.
 */
import type { LoadedWorkspace } from './load.js';
import { CJK_SEARCH_SURNAMES } from './load.js';

export type Query = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

export interface CaseContext {
  /** http://127.0.0.1:<port> */
  base: string;
  ws: LoadedWorkspace;
  /** requests per side */
  n: number;
  /** runs a statement for picking targets and verifying (not timed) */
  admin: Query;
  /** the baseline's connection: a pg.Pool as large as the app's, or the PGlite instance */
  baseline: Query;
  /** a short random id for this run, so captured rows can be told apart */
  runId: string;
  rand: () => number;
}

export interface PreparedCase {
  /** how the targets were chosen, for the report */
  note: string;
  http(i: number): Promise<void>;
  baseline(i: number): Promise<void>;
  /** one representative request, for --explain: the api function and args the route calls, and the baseline SQL */
  explainTarget(i: number): { fn: string; args: object; baselineSql: string; baselineParams: unknown[] };
  /** after both sides ran: checks on what was stored; returns a line for the report */
  verify?(sent: { http: number; baseline: number }): Promise<{ ok: boolean; line: string; details: Record<string, unknown> }>;
}

export interface BenchCase {
  name: string;
  /** the requests sent before timing starts, to warm the JIT, the pools and the caches (not counted) */
  warmup: number;
  prepare(ctx: CaseContext): Promise<PreparedCase>;
}

class CheckError extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new CheckError(what);
}

async function get(ctx: CaseContext, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(ctx.base + path, { headers: { authorization: `Bearer ${ctx.ws.token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function post(ctx: CaseContext, path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(ctx.base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.ws.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function expectStatus(r: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(r.status)) {
    const err = (r.body as { error?: { code?: string } } | null)?.error?.code ?? '';
    throw new CheckError(`HTTP ${r.status} ${err}`);
  }
}

/** `k` random rows of a query's result, with repeats, to fill n targets */
function spread<T>(rows: T[], n: number, rand: () => number): T[] {
  if (rows.length === 0) throw new Error('no targets found in the loaded data');
  return Array.from({ length: n }, () => rows[Math.floor(rand() * rows.length)]!);
}

function randomCase(s: string, rand: () => number): string {
  return [...s].map((ch) => (rand() < 0.5 ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/** a sample big enough that repeats are rare (at most 5,000 distinct rows) */
const sampleSize = (n: number) => Math.min(Math.max(n, 100), 5000);

const LOOKUP_SQL = `
  select c.* from crm.contact_emails e
    join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
  where e.workspace_id = $1 and lower(e.email) = lower($2)`;

const lookup: BenchCase = {
  name: 'lookup',
  warmup: 100,
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
  async prepare(ctx) {
    const rows = await ctx.admin<{ id: string }>(
      `select id::text from crm.contacts where workspace_id = $1 order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
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
          ctx.baseline(
            `select * from crm.follow_ups where workspace_id = $1 and contact_id = $2 and status = 'open' order by due_at`,
            [ctx.ws.workspaceId, t.id],
          ),
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
  where workspace_id = $1 and name_key like '%' || $2 || '%'
  order by name_key, id limit 25`;

/** One search case: the API with the query as a user might type it, beside SEARCH_SQL. */
function searchRun(ctx: Parameters<BenchCase['prepare']>[0], targets: string[], note: string, typed: (q: string) => string) {
  return {
    note,
    explainTarget: () => ({ fn: 'contacts_list', args: { q: targets[0]! }, baselineSql: SEARCH_SQL, baselineParams: [ctx.ws.workspaceId, targets[0]!] }),
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
  async prepare(ctx) {
    const rows = await ctx.admin<{ q: string }>(
      `select left(name_key, 2) as q from crm.contacts
        where workspace_id = $1 and left(name_key, 2) = any ($3::text[])
        order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n), CJK_SEARCH_SURNAMES],
    );
    const targets = spread(rows, ctx.n + 200, ctx.rand).map((r) => r.q);
    return searchRun(ctx, targets, `two-character surnames of ${rows.length} real CJK names (${[...new Set(targets)].slice(0, 8).join(' ')})`, (q) => q);
  },
};

const CAPTURE_SQL = `
  insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                                dedupe_key, thread_key, author_id)
  values ($1, $2, 'inbound', $3, $4, $5, $6, $7, crm.dedupe_key($2, $6, $7), $8, $9)
  on conflict (workspace_id, dedupe_key) do nothing`;

const CAPTURE_BODY =
  'Hi, following up on our conversation: the signed order form is attached, please confirm the delivery date. ' +
  'ご確認よろしくお願いいたします。Best regards';

/**
 * POST /api/interactions: Gmail captures, from a known contact to the rep, a
 * fifth with an unknown address on cc (which creates a contact and, for a new
 * domain, a company). One request in ten resends an earlier message (same
 * externalId), as a retried or double-clicked capture would.
 */
const capture: BenchCase = {
  name: 'capture',
  warmup: 50,
  async prepare(ctx) {
    const senders = await ctx.admin<{ email: string; name: string }>(
      `select e.email, c.name from crm.contact_emails e join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
        where e.workspace_id = $1 and e.is_primary order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    // which message each request sends: every tenth one repeats an earlier message
    // sent at least 2x16 requests before (a retry, not a concurrent double send)
    const plan = (prefix: string, n: number) => {
      const msg: number[] = [];
      let unique = 0;
      for (let i = 0; i < n; i++) {
        if (i % 10 === 9 && i >= 40) msg.push(msg[Math.floor(ctx.rand() * (i - 32))]!);
        else msg.push(unique++);
      }
      return { prefix, msg, unique };
    };
    const now = Date.now();
    const payloadOf = (prefix: string, k: number) => {
      const s = senders[k % senders.length]!;
      const participants: { role: string; email: string; name?: string }[] = [
        { role: 'from', email: s.email, name: s.name },
        { role: 'to', email: ctx.ws.repEmail, name: 'Rep' },
      ];
      if (k % 5 === 0) participants.push({ role: 'cc', email: `new.person.${ctx.runId}.${prefix}.${k}@newco-${k % 50}.example.org`, name: 'New Person' });
      return {
        kind: 'email',
        source: 'gmail',
        externalId: `<${prefix}-${k}@mail.example.com>`,
        occurredAt: new Date(now - (k % 1000) * 60_000).toISOString(),
        subject: `Order confirmation ${k}`,
        body: `${CAPTURE_BODY} #${k}`,
        threadKey: `bench-thread-${prefix}-${Math.floor(k / 3)}`,
        participants,
      };
    };
    const warm = plan(`bench${ctx.runId}w`, 1000);
    const api = plan(`bench${ctx.runId}h`, ctx.n);
    const base = plan(`bench${ctx.runId}b`, ctx.n);
    let created = 0;
    let resent = 0;
    const send = async (p: ReturnType<typeof plan>, i: number) => {
      const r = await post(ctx, '/api/interactions', payloadOf(p.prefix, p.msg[i]!));
      expectStatus(r, 200, 201);
      if (p === api) {
        if (r.status === 201) created++;
        else resent++;
      }
    };
    return {
      note: `${ctx.n} POSTs, ${ctx.n - api.unique} of them resending an earlier message; a fifth add an unknown cc`,
      explainTarget: (i) => {
        const pl = payloadOf(`bench${ctx.runId}x`, i);
        return {
          fn: 'interaction_capture',
          args: pl,
          baselineSql: CAPTURE_SQL,
          baselineParams: [ctx.ws.workspaceId, pl.kind, pl.occurredAt, pl.subject, pl.body, pl.source, `${pl.externalId}b`, pl.threadKey, ctx.ws.repId],
        };
      },
      async http(i) {
        // warm-up indices are negative offsets handled by run.ts: i >= n means warm-up
        if (i >= ctx.n) return send(warm, (i - ctx.n) % warm.msg.length);
        return send(api, i);
      },
      async baseline(i) {
        const p = i >= ctx.n ? warm : base;
        const j = i >= ctx.n ? (i - ctx.n) % warm.msg.length : i;
        const pl = payloadOf(p === warm ? `${p.prefix}b` : p.prefix, p.msg[j]!);
        await ctx.baseline(CAPTURE_SQL, [ctx.ws.workspaceId, pl.kind, pl.occurredAt, pl.subject, pl.body, pl.source, pl.externalId.trim(), pl.threadKey, ctx.ws.repId],
        );
      },
      async verify(sent) {
        const count = async (prefix: string) =>
          Number(
            (
              await ctx.admin<{ n: string }>(
                `select count(*) as n from crm.interactions where workspace_id = $1 and dedupe_key like $2`,
                [ctx.ws.workspaceId, `email:${prefix}-%`],
              )
            )[0]!.n,
          );
        const uniqueOf = (p: ReturnType<typeof plan>, sentN: number) => new Set(p.msg.slice(0, sentN)).size;
        const apiRows = await count(api.prefix);
        const baseRows = await count(base.prefix);
        const apiUnique = uniqueOf(api, sent.http);
        const baseUnique = uniqueOf(base, sent.baseline);
        const participants = Number(
          (
            await ctx.admin<{ n: string }>(
              `select count(*) as n from crm.interaction_participants p join crm.interactions i
                 on i.workspace_id = p.workspace_id and i.id = p.interaction_id
               where i.workspace_id = $1 and i.dedupe_key like $2`,
              [ctx.ws.workspaceId, `email:${api.prefix}-%`],
            )
          )[0]!.n,
        );
        const ok = apiRows === apiUnique && created === apiUnique && resent === sent.http - apiUnique && baseRows === baseUnique;
        return {
          ok,
          line:
            `capture: API sent ${sent.http} (${apiUnique} unique, ${sent.http - apiUnique} resent) -> ` +
            `${apiRows} interaction rows, ${created} answered 201, ${resent} answered 200, ${participants} participant rows; ` +
            `baseline sent ${sent.baseline} (${baseUnique} unique) -> ${baseRows} rows` +
            (ok ? ' [ok]' : ' [MISMATCH]'),
          details: { sent: sent.http, unique: apiUnique, rows: apiRows, created201: created, resent200: resent, participants, baselineSent: sent.baseline, baselineUnique: baseUnique, baselineRows: baseRows },
        };
      },
    };
  },
};

export const CASES: BenchCase[] = [lookup, card, timeline, searchLatin, searchCjk, capture];
