/**
 * Benchmark data, generated inside the database with set-based SQL
 * (insert ... select ... from generate_series), never row by row through the
 * API.
 *
 * Shape at scale 1 (a large customer's data):
 *   - 100 workspaces holding 1,000,000 contacts in all: the measured workspace
 *     (no. 1) holds 100,000 and the 99 others share the rest (~9,100 each), so
 *     every query also has to skip other tenants' rows;
 *   - per workspace 10 managers with 4 reps each (1,000 managers in all); the
 *     first rep of the measured workspace gets an API token through
 *     api.token_create;
 *   - companies (one per 20 contacts); 70 % of contacts work at one (email at its
 *     domain), the others use free mail;
 *   - contacts: a fifth with Japanese or Chinese names (田中 太郎, 王伟), one or
 *     two lower-case unique addresses each, stage/owner/title/phone/tags;
 *   - interactions: 5 per contact (5,000,000), a quarter with a second contact
 *     on cc; 90 % pick their contact uniformly, 10 % from a skewed distribution;
 *     the measured workspace's first contact is a key account with 5,000 of its
 *     own; occurred_at over 3 years; 60 % email, the rest Slack, calls,
 *     meetings and notes; 3 % private; dedupe_key = crm.dedupe_key(...);
 *   - participants: the member and the contact(s), occurred_at copied;
 *   - follow-ups for a fifth of the contacts (200,000: 60 % open, the rest done
 *     or canceled with completed_at set);
 *   - one audit_log 'create' entry per contact, as an import would leave;
 *   - 300,000 deals with their contacts and stage history (bench/load-deals.ts).
 *
 * How it stays under 3 minutes on 2 cores: the big tables' indexes and foreign
 * keys are dropped before the rows go in and built again afterwards, as any
 * bulk load into PostgreSQL does (one sort per index instead of millions of
 * inserts into it). Re-adding a foreign key validates every row, and every CHECK
 * stays on throughout, so the database still verifies all of it. Work is spread
 * over the runners (two connections on PostgreSQL), each loading a share of the
 * workspaces and then building a share of the indexes.
 *
 * Ids are md5-derived UUIDs so that rows can point at each other without
 * lookups while generating.
 */
import type { SqlRunner } from '../backend/db/migrate.js';
import { newApiToken } from '../backend/auth/api-tokens.js';
import { bulkDdl, runQueue } from './load-bulk.js';
import { DEAL_TABLES, dealSteps } from './load-deals.js';
import {
  BODY,
  COMPANY_KIND,
  COMPANY_WORD,
  JA_GIVEN,
  JA_GIVEN_KANA,
  JA_GIVEN_ROMAJI,
  JA_SURNAME_KANA,
  JA_SURNAME,
  JA_SURNAME_ROMAJI,
  LATIN_GIVEN,
  LATIN_SURNAME,
  STAGES,
  TAGS,
  TITLES,
  ZH_GIVEN,
  ZH_GIVEN_PINYIN,
  ZH_SURNAME,
  ZH_SURNAME_PINYIN,
  arr,
  q,
} from './load-words.js';

export { CJK_SEARCH_SURNAMES } from './load-words.js';

export const WORKSPACES = 100;
/** contacts in all workspaces at scale 1 */
export const CONTACTS_AT_SCALE_1 = 1_000_000;
/** contacts of the measured workspace at scale 1 */
export const MEASURED_AT_SCALE_1 = 100_000;
export const MANAGERS_PER_WORKSPACE = 10;
export const REPS_PER_MANAGER = 4;
const REPS = MANAGERS_PER_WORKSPACE * REPS_PER_MANAGER;
export const INTERACTIONS_PER_CONTACT = 5;
/** interactions of the measured workspace's key account (its contact no. 1) */
export const KEY_ACCOUNT_INTERACTIONS = 5_000;
/**
 * Triggers on the tables loaded in bulk, off while they load (see loadData):
 * the alert producers', and the one that copies a contact's name_key to its
 * addresses (the load writes the keys itself).
 */
const BULK_TRIGGERS = [
  ['crm.contact_emails', 'contact_emails_keys'],
  ['crm.interaction_participants', 'participants_alert'],
  ['crm.follow_ups', 'follow_ups_alert_insert'],
  ['crm.deal_stage_changes', 'deal_stage_changes_alert'],
  ['crm.deals', 'deals_close_alert_insert'],
] as const;
/** the tables whose indexes and foreign keys are dropped while loading */
const BULK_TABLES = ['contacts', 'contact_emails', 'interactions', 'interaction_participants', 'follow_ups', 'audit_log', ...DEAL_TABLES];

export interface LoadedWorkspace {
  workspaceId: string;
  repId: string;
  repEmail: string;
  token: string;
  contacts: number;
}

export interface LoadReport {
  ms: number;
  steps: { step: string; ms: number }[];
  rows: Record<string, number>;
  measured: LoadedWorkspace;
}

/** A statement run once, or one that every runner runs for its own share of the workspaces (`w` makes the filter). */
type Step = { step: string; sql: string } | { step: string; perLane: (w: (alias: string) => string) => string };

/** contacts per workspace: the measured one first, then the 99 others */
export function workspaceSizes(scale: number): number[] {
  const measured = Math.max(100, Math.round(MEASURED_AT_SCALE_1 * scale));
  const other = Math.max(20, Math.round(((CONTACTS_AT_SCALE_1 - MEASURED_AT_SCALE_1) * scale) / (WORKSPACES - 1)));
  return [measured, ...Array.from({ length: WORKSPACES - 1 }, () => other)];
}

/** The load as SQL, step by step. */
function loadScript(sizes: number[]): Step[] {
  const keyAccount = Math.min(KEY_ACCOUNT_INTERACTIONS, Math.floor((sizes[0]! * INTERACTIONS_PER_CONTACT) / 5));
  return [
    {
      step: 'workspaces + members + companies',
      sql: `
        select setseed(0.4242);
        drop schema if exists bench_load cascade;
        create schema bench_load;
        create table bench_load.ws as
          select no::int as ws_no, n_contacts, greatest(10, n_contacts / 20) as n_companies,
                 md5('bench:ws:' || no)::uuid as id, 'ws' || no || '.example.com' as domain
          from unnest(array[${sizes.join(',')}]::int[]) with ordinality v(n_contacts, no);
        insert into crm.workspaces (id, name, internal_domains, default_timezone, default_locale)
        select id, 'Bench workspace ' || ws_no, array[domain], case when ws_no = 1 then 'Asia/Tokyo' else 'UTC' end,
               case when ws_no = 1 then 'ja' else 'en' end
        from bench_load.ws;
        -- members 1..${MANAGERS_PER_WORKSPACE} are managers, the others reps, each reporting to one of them
        create table bench_load.m as
          select ws.ws_no as ws_no, k, ws.id as workspace_id,
                 md5('bench:m:' || ws.ws_no || ':' || k)::uuid as id,
                 case when k <= ${MANAGERS_PER_WORKSPACE} then 'manager' || k else 'rep' || (k - ${MANAGERS_PER_WORKSPACE}) end || '@' || ws.domain as email,
                 case when k <= ${MANAGERS_PER_WORKSPACE} then 'Manager ' || ws.ws_no || '-' || k else 'Rep ' || ws.ws_no || '-' || (k - ${MANAGERS_PER_WORKSPACE}) end as display_name,
                 case when k <= ${MANAGERS_PER_WORKSPACE} then 'manager' else 'rep' end as role,
                 case when k > ${MANAGERS_PER_WORKSPACE}
                      then md5('bench:m:' || ws.ws_no || ':' || (1 + (k - ${MANAGERS_PER_WORKSPACE} - 1) % ${MANAGERS_PER_WORKSPACE}))::uuid end as manager_id,
                 'U0BENCH' || ws.ws_no || 'X' || k as slack_user_id
          from bench_load.ws, generate_series(1, ${MANAGERS_PER_WORKSPACE + REPS}) k;
        insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id)
        select id, workspace_id, email, display_name, role, null, 'Asia/Tokyo', 'en', slack_user_id from bench_load.m where manager_id is null;
        insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id)
        select id, workspace_id, email, display_name, role, manager_id, 'Asia/Tokyo', 'en', slack_user_id from bench_load.m where manager_id is not null;
        create table bench_load.co as
          select ws.ws_no as ws_no, g as idx, ws.id as workspace_id, md5('bench:co:' || ws.ws_no || ':' || g)::uuid as id,
                 w.words[1 + (g % array_length(w.words, 1))] || ' ' || w.kinds[1 + ((g / 7) % array_length(w.kinds, 1))] || ' ' || g as name,
                 lower(replace(w.words[1 + (g % array_length(w.words, 1))], ' ', '-')) || '-' || g || '.example.com' as domain
          from bench_load.ws ws, generate_series(1, ws.n_companies) g,
               (select ${arr(COMPANY_WORD)} as words, ${arr(COMPANY_KIND)} as kinds) w;
        alter table bench_load.co add primary key (ws_no, idx);
        insert into crm.companies (id, workspace_id, name, domain, source, created_by)
        select co.id, co.workspace_id, co.name, co.domain, 'import', m.id
        from bench_load.co co join bench_load.m m on m.ws_no = co.ws_no and m.k = 1;
        create unlogged table bench_load.c (
          ws_no int, idx int, workspace_id uuid, id uuid, name text, reading text, title text, stage text, tags text[],
          created_at timestamptz, phone text, company_id uuid, owner_id uuid, email text, email2 text);
        create unlogged table bench_load.i (
          ws_no int, idx int, workspace_id uuid, id uuid, kind text, source text, external_id text, direction text,
          occurred_at timestamptz, c1 int, c2 int, member_id uuid, visibility text);
        create unlogged table bench_load.last (ws_no int, c int, at timestamptz);
        analyze bench_load.ws, bench_load.m, bench_load.co;`,
    },
    {
      step: 'contacts (staging)',
      perLane: (w) => `
        insert into bench_load.c
        with a as (
          select ${arr(LATIN_GIVEN)} lg, ${arr(LATIN_SURNAME)} ls,
                 ${arr(JA_SURNAME)} js, ${arr(JA_SURNAME_ROMAJI)} jsr, ${arr(JA_GIVEN)} jg, ${arr(JA_GIVEN_ROMAJI)} jgr,
                 ${arr(JA_SURNAME_KANA)} jsk, ${arr(JA_GIVEN_KANA)} jgk,
                 ${arr(ZH_SURNAME)} zs, ${arr(ZH_SURNAME_PINYIN)} zsr, ${arr(ZH_GIVEN)} zg, ${arr(ZH_GIVEN_PINYIN)} zgr,
                 ${arr(TITLES)} titles, ${arr(STAGES)} stages, ${arr(TAGS)} tags
        ), r as (
          select ws.ws_no as ws_no, ws.id as workspace_id, ws.n_companies, g as idx,
                 case when g % 5 = 0 then (case when random() < 0.6 then 'ja' else 'zh' end) else 'latin' end as script,
                 1 + floor(random() * 40)::int as i1, 1 + floor(random() * 40)::int as i2,
                 case when random() < 0.7 then 1 + floor(random() * ws.n_companies)::int end as co_idx,
                 ${MANAGERS_PER_WORKSPACE} + 1 + floor(random() * ${REPS})::int as owner_k,
                 random() as r_email2, random() as r_phone, random() as r_title, random() as r_stage, random() as r_tag,
                 now() - random() * interval '1095 days' as created_at
          from bench_load.ws ws, generate_series(1, ws.n_contacts) g
          where ${w('ws')}
        ), n as (
          select r.*,
            case script
              when 'latin' then a.lg[i1] || ' ' || a.ls[i2]
              when 'ja' then a.js[1 + i1 % 10] || ' ' || a.jg[1 + i2 % 10]
              else a.zs[1 + i1 % 8] || a.zg[1 + i2 % 10] end as name,
            -- readings (issue 21): most Japanese names have their kana (from an import's
            -- フリガナ), every Chinese one its pinyin; Latin names none
            case when script = 'ja' and r_phone < 0.8 then a.jsk[1 + i1 % 10] || ' ' || a.jgk[1 + i2 % 10]
                 when script = 'zh' then a.zsr[1 + i1 % 8] || ' ' || a.zgr[1 + i2 % 10] end as reading,
            case script
              when 'latin' then translate(lower(a.lg[i1] || '.' || a.ls[i2]), 'éöëüø', 'eoeuo')
              when 'ja' then a.jgr[1 + i2 % 10] || '.' || a.jsr[1 + i1 % 10]
              else a.zsr[1 + i1 % 8] || '.' || a.zgr[1 + i2 % 10] end || '.' || idx as local,
            a.titles[1 + floor(r_title * 10)::int] as title,
            a.stages[1 + floor(r_stage * 4)::int] as stage,
            case when r_tag < 0.5 then '{}'::text[] when r_tag < 0.8 then array[a.tags[1 + floor(r_tag * 100)::int % 7]]
                 else array[a.tags[1 + floor(r_tag * 100)::int % 7], a.tags[1 + (floor(r_tag * 100)::int + 3) % 7]] end as tags
          from r, a
        )
        select n.ws_no, n.idx, n.workspace_id, md5('bench:c:' || n.ws_no || ':' || n.idx)::uuid as id,
               n.name, n.reading, n.title, n.stage, n.tags, n.created_at,
               case when n.r_phone < 0.5 then '+81 3-' || (1000 + n.idx % 9000) || '-' || (1000 + (n.idx * 7) % 9000) end as phone,
               co.id as company_id, m.id as owner_id,
               n.local || '@' || coalesce(co.domain, 'gmail.com') as email,
               case when n.r_email2 < 0.4 then n.local || '@' || case when co.id is null then 'outlook.com' else 'gmail.com' end end as email2
        from n
        left join bench_load.co co on co.ws_no = n.ws_no and co.idx = n.co_idx
        join bench_load.m m on m.ws_no = n.ws_no and m.k = n.owner_k`,
    },
    { step: 'contacts (staging index)', sql: `alter table bench_load.c add primary key (ws_no, idx); analyze bench_load.c;` },
    {
      step: 'interactions (staging)',
      perLane: (w) => `
        insert into bench_load.i
        with r as (
          select ws.ws_no as ws_no, ws.id as workspace_id, ws.n_contacts as n, g as idx, random() as r_kind, random() as r_dir,
                 random() as r_vis, random() as r_m,
                 case when ws.ws_no = 1 and g <= ${keyAccount} then 1
                      when random() < 0.9 then 1 + floor(random() * ws.n_contacts)::int
                      else least(ws.n_contacts, 2 + floor((ws.n_contacts - 1) * power(random(), 3))::int) end as c1,
                 case when random() < 0.25 then 1 + floor(random() * ws.n_contacts)::int end as c2_raw,
                 now() - random() * interval '1095 days' as occurred_at
          from bench_load.ws ws, generate_series(1, ws.n_contacts * ${INTERACTIONS_PER_CONTACT}) g
          where ${w('ws')}
        ), k as (
          select r.*,
                 case when r_kind < 0.6 then 'email' when r_kind < 0.7 then 'slack' when r_kind < 0.8 then 'call'
                      when r_kind < 0.9 then 'meeting' else 'note' end as kind,
                 case when c2_raw = c1 then c2_raw % n + 1 else c2_raw end as c2
          from r
        )
        select k.ws_no, k.idx, k.workspace_id, md5('bench:i:' || k.ws_no || ':' || k.idx)::uuid as id, k.kind,
               case k.kind when 'email' then 'gmail' when 'slack' then 'slack' when 'note' then 'manual' else 'api' end as source,
               case k.kind when 'email' then '<m' || k.ws_no || '.' || k.idx || '@mail.example.com>'
                           when 'slack' then 'T0BENCH:C0' || k.ws_no || ':' || (1600000000 + k.idx) || '.000100'
                           else 'x-' || k.ws_no || '-' || k.idx end as external_id,
               case when k.kind = 'note' then 'internal' when k.r_dir < 0.5 then 'inbound' else 'outbound' end as direction,
               k.occurred_at, k.c1, k.c2,
               case when k.r_m < 0.85 then c.owner_id
                    else md5('bench:m:' || k.ws_no || ':' || (${MANAGERS_PER_WORKSPACE} + 1 + floor(k.r_m * 1000)::int % ${REPS}))::uuid end as member_id,
               case when k.r_vis < 0.03 then 'private' else 'workspace' end as visibility
        from k join bench_load.c c on c.ws_no = k.ws_no and c.idx = k.c1`,
    },
    {
      step: 'last interaction times',
      perLane: (w) => `
        insert into bench_load.last
        select ws_no, c, max(occurred_at) as at
        from (select ws_no, c1 as c, occurred_at from bench_load.i where ${w('i')}
              union all select ws_no, c2, occurred_at from bench_load.i where c2 is not null and ${w('i')}) x
        group by ws_no, c`,
    },
    { step: 'staging indexes', sql: `alter table bench_load.last add primary key (ws_no, c); analyze bench_load.i, bench_load.last;` },
    {
      step: 'contacts + emails',
      perLane: (w) => `
        with contact as (
          insert into crm.contacts (id, workspace_id, name, reading, title, phone, company_id, stage, owner_id, tags,
                                    last_interaction_at, source, created_by, created_at, updated_at)
          select c.id, c.workspace_id, c.name, c.reading, c.title, c.phone, c.company_id, c.stage, c.owner_id, c.tags,
                 l.at, 'import', c.owner_id, c.created_at, c.created_at
          from bench_load.c c left join bench_load.last l on l.ws_no = c.ws_no and l.c = c.idx
          where ${w('c')}
          returning id, name_key)
        -- the keys the contact_emails_keys trigger (off during the load) would give each address
        -- (contact_emails_domains_added, on, lists their domains once for the statement)
        insert into crm.contact_emails (workspace_id, contact_id, email, is_primary, created_at, name_key, email_key, domain_key, local_rest)
        select c.workspace_id, c.id, e.email, e.is_primary, c.created_at, k.name_key, lower(e.email),
               split_part(lower(e.email), '@', 2), crm.email_local_rest(lower(e.email), k.name_key)
        from bench_load.c c
        join contact k on k.id = c.id
        cross join lateral (values (c.email, true), (c.email2, false)) e(email, is_primary)
        where e.email is not null and ${w('c')};`,
    },
    {
      step: 'interactions',
      perLane: (w) => `
        insert into crm.interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                                      dedupe_key, thread_key, visibility, author_id, created_at)
        select i.id, i.workspace_id, i.kind, i.direction, i.occurred_at,
               case i.kind when 'email' then 'Re: proposal #' || (i.idx / 3) when 'call' then 'Call with ' || c.name
                           when 'meeting' then 'Meeting: quarterly review' else null end,
               left(${q(BODY)}, 200 + (i.idx % 150)) || ' #' || i.idx,
               -- crm.dedupe_key(kind, source, external_id) spelled out for the ids made here (already trimmed and
               -- lower-case): the function's own search_path setting keeps it from being inlined, and calling it
               -- 5,000,000 times costs 20 s; 'dedupe keys' below checks a sample against the function
               i.source, i.external_id,
               case i.kind when 'email' then 'email:' || btrim(i.external_id, '<>') when 'slack' then 'slack:' || i.external_id
                           else i.source || ':' || i.external_id end,
               case when i.kind = 'email' then 'thread:' || i.ws_no || ':' || (i.idx / 3) end,
               i.visibility, i.member_id, i.occurred_at
        from bench_load.i i join bench_load.c c on c.ws_no = i.ws_no and c.idx = i.c1
        where ${w('i')}`,
    },
    {
      step: 'participants',
      perLane: (w) => `
        insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
                                                  display_name, contact_id, member_id)
        select i.workspace_id, i.id, i.occurred_at,
               case i.direction when 'outbound' then 'from' when 'inbound' then 'to' else 'author' end,
               m.email, case when i.kind = 'slack' then m.slack_user_id end, m.display_name, null, m.id
        from bench_load.i i join bench_load.m m on m.id = i.member_id
        where ${w('i')}
        union all
        select i.workspace_id, i.id, i.occurred_at,
               case i.direction when 'outbound' then 'to' when 'inbound' then 'from' else 'mention' end,
               c.email, null, c.name, c.id, null
        from bench_load.i i join bench_load.c c on c.ws_no = i.ws_no and c.idx = i.c1
        where ${w('i')}
        union all
        select i.workspace_id, i.id, i.occurred_at, 'cc', c.email, null, c.name, c.id, null
        from bench_load.i i join bench_load.c c on c.ws_no = i.ws_no and c.idx = i.c2
        where i.c2 is not null and ${w('i')}`,
    },
    {
      step: 'follow-ups + audit log',
      perLane: (w) => `
        insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at, note, status, created_by, created_at,
                                    completed_at, completed_by)
        select workspace_id, id, owner_id, due_at, 'Follow up on the proposal', status, owner_id, made_at,
               case when status = 'open' then null else least(now(), due_at) end,
               case when status = 'open' then null else owner_id end
        from (
          select f.*, f.made_at + (1 + random() * 45) * interval '1 day' as due_at
          from (
            select c.*, now() - random() * interval '60 days' as made_at,
                   case when random() < 0.6 then 'open' when random() < 0.7 then 'done' else 'canceled' end as status
            from bench_load.c c
            where random() < 0.2 and ${w('c')}
          ) f
        ) f;
        insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after, at)
        select workspace_id, owner_id, 'import', 'contact', id, 'create', null,
               jsonb_build_object('name', name, 'stage', stage), created_at
        from bench_load.c c where ${w('c')};`,
    },
    {
      step: 'dedupe keys',
      sql: `
        do $$ begin
          if exists (select 1 from crm.interactions tablesample system (1)
                      where dedupe_key <> crm.dedupe_key(kind, source, external_id)) then
            raise exception 'bench load: a dedupe_key differs from crm.dedupe_key()';
          end if;
        end $$;`,
    },
    // deals (bench/load-deals.ts), from the staging tables
    ...dealSteps(MANAGERS_PER_WORKSPACE + REPS),
    { step: 'drop staging', sql: `drop schema bench_load cascade;` },
  ];
}

/**
 * Loads everything and makes the measured rep's token. With several runners
 * (connections to one PostgreSQL server), the per-lane steps run on all of
 * them at once, each loading a share of the workspaces; PGlite has one.
 */
export async function loadData(runners: SqlRunner[], scale: number, log: (line: string) => void = () => {}): Promise<LoadReport> {
  const sql = runners[0]!;
  const t0 = performance.now();
  const steps: LoadReport['steps'] = [];
  const timed = async (step: string, run: () => Promise<void | string>, detail = '') => {
    const t = performance.now();
    const slowest = await run();
    const ms = performance.now() - t;
    steps.push({ step, ms: Math.round(ms) });
    log(`  ${step.padEnd(32)} ${(ms / 1000).toFixed(1)} s${detail}${slowest ? ` (slowest: ${slowest})` : ''}`);
  };
  const sizes = workspaceSizes(scale);
  // workspaces to lanes, biggest first onto the least loaded lane
  const lanes: { ws: number[]; rows: number }[] = runners.map(() => ({ ws: [], rows: 0 }));
  for (const [i, n] of sizes.map((n, i) => [i, n] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    const lane = lanes.reduce((a, b) => (b.rows < a.rows ? b : a));
    lane.ws.push(i + 1);
    lane.rows += n;
  }
  const active = lanes.map((l, i) => ({ ...l, runner: runners[i]! })).filter((l) => l.ws.length > 0);
  for (const [i, l] of active.entries()) if (i > 0) await l.runner.exec(`select setseed(${(0.1 + i / 100).toFixed(2)})`);
  const ddl = await bulkDdl(sql, BULK_TABLES);
  await timed('drop indexes + foreign keys', () => sql.exec([...ddl.foreign, ...ddl.keys, ...ddl.indexes].map((d) => `${d.drop};`).join('\n')));
  // the alert producers' triggers (issue 19) answer live changes: history loaded in bulk alerts nobody
  // (and with the keys dropped, each of their lookups would scan a whole table, as the addresses' would)
  const bulkTriggers = (verb: 'disable' | 'enable') =>
    sql.exec(BULK_TRIGGERS.map(([table, name]) => `alter table ${table} ${verb} trigger ${name};`).join('\n'));
  await bulkTriggers('disable');
  for (const s of loadScript(sizes)) {
    await timed(
      s.step,
      async () => {
        if ('sql' in s) await sql.exec(s.sql);
        else await Promise.all(active.map((l) => l.runner.exec(s.perLane((a) => `${a}.ws_no = any ('{${l.ws.join(',')}}'::int[])`))));
      },
      'perLane' in s && active.length > 1
        ? ` (${active.length} connections, ${active.map((l) => `${l.ws.length} ws / ${l.rows.toLocaleString('en')} contacts`).join(' + ')})`
        : '',
    );
  }
  await bulkTriggers('enable');
  // the biggest tables' first, so that the last one to finish is a small one
  const bySize = [
    'crm.interaction_participants',
    'crm.interactions',
    'crm.contacts',
    'crm.contact_emails',
    'crm.audit_log',
    'crm.deal_stage_changes',
    'crm.deal_contacts',
    'crm.deals',
    'crm.follow_ups',
  ];
  const builds = [...ddl.keys, ...ddl.indexes].sort((a, b) => bySize.indexOf(a.table) - bySize.indexOf(b.table));
  await timed(`build ${builds.length} indexes`, () =>
    runQueue(
      runners,
      builds.map((d) => d.create),
    ),
  );
  await timed(`check ${ddl.foreign.length} foreign keys`, async () => {
    await sql.exec(ddl.foreign.map((d) => `${d.create};`).join('\n'));
    return runQueue(
      runners,
      ddl.foreign.map((d) => d.table),
    );
  });
  // vacuum sets the visibility map (index-only scans) and analyze the statistics,
  // as autovacuum would have in a live database; one table per runner at a time
  await timed('vacuum analyze', () =>
    runQueue(runners, [
      ...BULK_TABLES.map((t) => `vacuum (analyze) crm.${t}`),
      'vacuum (analyze) crm.companies',
      'vacuum (analyze) crm.email_domains',
      'vacuum (analyze) crm.members',
      'vacuum (analyze) crm.workspaces',
    ]),
  );
  const wsId = (await sql.query<{ id: string }>(`select md5('bench:ws:1')::uuid::text as id`))[0]!.id;
  const repEmail = 'rep1@ws1.example.com';
  const { token, hash } = newApiToken();
  await sql.query(`select api.token_create($1::jsonb)`, [JSON.stringify({ email: repEmail, workspaceId: wsId, tokenHash: hash, label: 'bench' })]);
  const repId = (await sql.query<{ id: string }>(`select id::text as id from crm.members where workspace_id = $1 and lower(email) = $2`, [wsId, repEmail]))[0]!
    .id;
  const counts = await sql.query<Record<string, string | number>>(`
    select (select count(*) from crm.workspaces) as workspaces,
           (select count(*) from crm.members) as members,
           (select count(*) from crm.members m where exists (select 1 from crm.members r where r.manager_id = m.id)) as managers,
           (select count(*) from crm.companies) as companies,
           (select count(*) from crm.contacts) as contacts,
           (select count(*) from crm.contacts where workspace_id = '${wsId}') as contacts_measured,
           (select count(*) from crm.contact_emails) as contact_emails,
           (select count(*) from crm.interactions) as interactions,
           (select count(*) from crm.interaction_participants) as participants,
           (select count(*) from crm.follow_ups) as follow_ups,
           (select count(*) from crm.audit_log) as audit_log,
           (select count(*) from crm.deals) as deals,
           (select count(*) from crm.deals where workspace_id = '${wsId}') as deals_measured,
           (select count(*) from crm.deal_contacts) as deal_contacts,
           (select count(*) from crm.deal_stage_changes) as deal_stage_changes`);
  const rows = Object.fromEntries(Object.entries(counts[0]!).map(([k, v]) => [k, Number(v)]));
  return {
    ms: Math.round(performance.now() - t0),
    steps,
    rows,
    measured: { workspaceId: wsId, repId, repEmail, token, contacts: rows.contacts_measured ?? 0 },
  };
}
