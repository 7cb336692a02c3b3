/**
 * Benchmark data, generated inside the database with set-based SQL
 * (insert ... select ... from generate_series), never row by row through the
 * API. Every CHECK and foreign key of supabase/migrations stays on while
 * loading: the rows are built to satisfy them, the database verifies it.
 *
 * Shape (scale 1): the measured workspace holds 100,000 contacts; two other
 * workspaces hold OTHER_WORKSPACE_SHARE of that each, so every query also has
 * to skip other tenants' rows. Per workspace:
 *   - a manager and REPS reps reporting to them (the first rep of the measured
 *     workspace gets an API token through api.token_create);
 *   - companies (one per 20 contacts), 70 % of contacts work at one (email at
 *     its domain), the others use free mail;
 *   - contacts: a fifth with Japanese or Chinese names (田中 太郎, 王伟), one or
 *     two lower-case unique addresses each, stage/owner/title/phone/tags;
 *   - interactions: 4 per contact, a quarter with a second contact on cc, so a
 *     contact takes part in ~5 on average; 90 % pick their contact uniformly,
 *     10 % from a skewed distribution, so a few "key accounts" have hundreds;
 *     occurred_at spread over 3 years; 60 % email, the rest Slack, calls,
 *     meetings and notes; 3 % private; dedupe_key = crm.dedupe_key(...);
 *   - participants: the member and the contact(s), occurred_at copied;
 *   - follow-ups for a fifth of the contacts (60 % open, the rest done or
 *     canceled with completed_at set);
 *   - one audit_log 'create' entry per contact, as an import would leave.
 * Ids are md5-derived UUIDs so that rows can point at each other without
 * lookups while generating.
 */
import type { SqlRunner } from '../backend/db/migrate.js';
import { newApiToken } from '../backend/auth/api-tokens.js';

export const CONTACTS_AT_SCALE_1 = 100_000;
export const OTHER_WORKSPACES = 2;
/** size of each other workspace relative to the measured one */
export const OTHER_WORKSPACE_SHARE = 0.5;
export const REPS = 20;
export const INTERACTIONS_PER_CONTACT = 4;

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

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `array[${xs.map(q).join(', ')}]::text[]`;

const LATIN_GIVEN = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Olivia', 'Liam', 'Emma', 'Noah', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Chloe', 'Mateo',
  'Amélie', 'José', 'Björn', 'Zoë', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Ingrid', 'Lars',
];
const LATIN_SURNAME = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Müller', 'Schmidt', 'Dubois', 'Rossi', 'Novak', 'Kowalski', 'Nakamura', 'Okafor', 'Silva', 'Petrov',
];
/** Japanese surnames (two characters, what search-cjk looks for) and given names, with romanisation for addresses */
const JA_SURNAME = ['田中', '佐藤', '鈴木', '高橋', '渡辺', '伊藤', '山本', '中村', '小林', '加藤'];
const JA_SURNAME_ROMAJI = ['tanaka', 'sato', 'suzuki', 'takahashi', 'watanabe', 'ito', 'yamamoto', 'nakamura', 'kobayashi', 'kato'];
const JA_GIVEN = ['太郎', '花子', '健', '翔太', '美咲', '陽子', '大輔', '由美', '誠', '愛'];
const JA_GIVEN_ROMAJI = ['taro', 'hanako', 'ken', 'shota', 'misaki', 'yoko', 'daisuke', 'yumi', 'makoto', 'ai'];
const ZH_SURNAME = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];
const ZH_SURNAME_PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao'];
const ZH_GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '秀英', '建国'];
const ZH_GIVEN_PINYIN = ['wei', 'fang', 'na', 'min', 'jing', 'lei', 'qiang', 'yang', 'xiuying', 'jianguo'];
/** the two-character surnames, for the search-cjk case */
export const CJK_SEARCH_SURNAMES = JA_SURNAME;

const COMPANY_WORD = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Hooli', 'Vandelay', 'Soylent',
  'Cyberdyne', 'Aperture', 'Wonka', 'Gringotts', 'Oscorp', 'Nakatomi', 'Yoyodyne', 'Massive', 'Pied Piper', 'Monarch',
];
const COMPANY_KIND = ['Inc', 'GmbH', 'KK', 'Ltd', 'Group', 'Labs', '株式会社', '有限公司'];
const TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Procurement', 'Engineer', 'Buyer', '部長', '課長', '经理', 'Office Manager'];
const STAGES = ['lead', 'prospect', 'customer', 'churned'];
const TAGS = ['vip', 'partner', 'trade-show', 'newsletter', 'apac', 'emea', 'renewal'];

const BODY =
  'Thanks for the call earlier today. As discussed, I am attaching the revised proposal with the volume ' +
  'discounts for the second year and the onboarding plan. Let me know if the timeline works for your team, ' +
  'and whether procurement needs anything else from us before the end of the quarter. 先日はありがとうございました。' +
  '見積書を添付いたします。ご確認のほどよろしくお願いいたします。';

/**
 * A step's SQL; `perWorkspace` steps take a filter on ws_no (e.g. `ws_no = any ('{2,3}')`)
 * so that several connections can each load some of the workspaces at once.
 */
type Step = { step: string; sql: string } | { step: string; perWorkspace: (w: (alias: string) => string) => string };

/** The whole load as SQL statements, run one after another. */
function loadScript(measuredContacts: number): Step[] {
  const others = Math.max(100, Math.round(measuredContacts * OTHER_WORKSPACE_SHARE));
  const wsRows = [`(1, ${measuredContacts})`, ...Array.from({ length: OTHER_WORKSPACES }, (_, i) => `(${i + 2}, ${others})`)];
  return [
    {
      step: 'staging',
      sql: `
        select setseed(0.4242);
        drop schema if exists bench_load cascade;
        create schema bench_load;
        create table bench_load.ws as
          select no, n_contacts, greatest(10, n_contacts / 20) as n_companies,
                 md5('bench:ws:' || no)::uuid as id, 'ws' || no || '.example.com' as domain
          from (values ${wsRows.join(', ')}) v(no, n_contacts);`,
    },
    {
      step: 'workspaces + members',
      sql: `
        insert into crm.workspaces (id, name, internal_domains, default_timezone, default_locale)
        select id, 'Bench workspace ' || no, array[domain], case when no = 1 then 'Asia/Tokyo' else 'UTC' end,
               case when no = 1 then 'ja' else 'en' end
        from bench_load.ws;
        create table bench_load.m as
          select ws.no as ws_no, k, ws.id as workspace_id,
                 md5('bench:m:' || ws.no || ':' || k)::uuid as id,
                 case when k = 0 then 'manager' else 'rep' || k end || '@' || ws.domain as email,
                 case when k = 0 then 'Manager ' || ws.no else 'Rep ' || ws.no || '-' || k end as display_name,
                 case when k = 0 then 'manager' else 'rep' end as role,
                 case when k = 0 then null else md5('bench:m:' || ws.no || ':0')::uuid end as manager_id,
                 'U0BENCH' || ws.no || 'X' || k as slack_user_id
          from bench_load.ws, generate_series(0, ${REPS}) k;
        insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id)
        select id, workspace_id, email, display_name, role, null, 'Asia/Tokyo', 'en', slack_user_id from bench_load.m where k = 0;
        insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id)
        select id, workspace_id, email, display_name, role, manager_id, 'Asia/Tokyo', 'en', slack_user_id from bench_load.m where k > 0;`,
    },
    {
      step: 'companies',
      sql: `
        create table bench_load.co as
          select ws.no as ws_no, g as idx, ws.id as workspace_id, md5('bench:co:' || ws.no || ':' || g)::uuid as id,
                 w.words[1 + (g % array_length(w.words, 1))] || ' ' || w.kinds[1 + ((g / 7) % array_length(w.kinds, 1))] || ' ' || g as name,
                 lower(replace(w.words[1 + (g % array_length(w.words, 1))], ' ', '-')) || '-' || g || '.example.com' as domain
          from bench_load.ws ws, generate_series(1, ws.n_companies) g,
               (select ${arr(COMPANY_WORD)} as words, ${arr(COMPANY_KIND)} as kinds) w;
        insert into crm.companies (id, workspace_id, name, domain, source, created_by)
        select co.id, co.workspace_id, co.name, co.domain, 'import', m.id
        from bench_load.co co join bench_load.m m on m.ws_no = co.ws_no and m.k = 0;`,
    },
    {
      step: 'contacts (staging)',
      sql: `
        create table bench_load.c as
        with a as (
          select ${arr(LATIN_GIVEN)} lg, ${arr(LATIN_SURNAME)} ls,
                 ${arr(JA_SURNAME)} js, ${arr(JA_SURNAME_ROMAJI)} jsr, ${arr(JA_GIVEN)} jg, ${arr(JA_GIVEN_ROMAJI)} jgr,
                 ${arr(ZH_SURNAME)} zs, ${arr(ZH_SURNAME_PINYIN)} zsr, ${arr(ZH_GIVEN)} zg, ${arr(ZH_GIVEN_PINYIN)} zgr,
                 ${arr(TITLES)} titles, ${arr(STAGES)} stages, ${arr(TAGS)} tags
        ), r as (
          select ws.no as ws_no, ws.id as workspace_id, ws.n_companies, g as idx,
                 case when g % 5 = 0 then (case when random() < 0.6 then 'ja' else 'zh' end) else 'latin' end as script,
                 1 + floor(random() * 40)::int as i1, 1 + floor(random() * 40)::int as i2,
                 case when random() < 0.7 then 1 + floor(random() * ws.n_companies)::int end as co_idx,
                 1 + floor(random() * ${REPS})::int as rep_k,
                 random() as r_email2, random() as r_phone, random() as r_title, random() as r_stage, random() as r_tag,
                 now() - random() * interval '1095 days' as created_at
          from bench_load.ws ws, generate_series(1, ws.n_contacts) g
        ), n as (
          select r.*,
            case script
              when 'latin' then a.lg[i1] || ' ' || a.ls[i2]
              when 'ja' then a.js[1 + i1 % 10] || ' ' || a.jg[1 + i2 % 10]
              else a.zs[1 + i1 % 8] || a.zg[1 + i2 % 10] end as name,
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
               n.name, n.title, n.stage, n.tags, n.created_at,
               case when n.r_phone < 0.5 then '+81 3-' || (1000 + n.idx % 9000) || '-' || (1000 + (n.idx * 7) % 9000) end as phone,
               co.id as company_id, m.id as owner_id,
               n.local || '@' || coalesce(co.domain, 'gmail.com') as email,
               case when n.r_email2 < 0.4 then n.local || '@' || case when co.id is null then 'outlook.com' else 'gmail.com' end end as email2
        from n
        left join bench_load.co co on co.ws_no = n.ws_no and co.idx = n.co_idx
        join bench_load.m m on m.ws_no = n.ws_no and m.k = n.rep_k;
        alter table bench_load.c add primary key (ws_no, idx);`,
    },
    {
      step: 'interactions (staging)',
      sql: `
        create table bench_load.i as
        with r as (
          select ws.no as ws_no, ws.id as workspace_id, ws.n_contacts as n, g as idx, random() as r_kind, random() as r_dir,
                 random() as r_vis, random() as r_m,
                 least(ws.n_contacts, case when random() < 0.9 then 1 + floor(random() * ws.n_contacts)::int
                                           else 1 + floor(ws.n_contacts * power(random(), 3))::int end) as c1,
                 case when random() < 0.25 then 1 + floor(random() * ws.n_contacts)::int end as c2_raw,
                 now() - random() * interval '1095 days' as occurred_at
          from bench_load.ws ws, generate_series(1, ws.n_contacts * ${INTERACTIONS_PER_CONTACT}) g
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
               case when k.r_m < 0.85 then c.owner_id else md5('bench:m:' || k.ws_no || ':' || (1 + floor(k.r_m * 1000)::int % ${REPS}))::uuid end as member_id,
               case when k.r_vis < 0.03 then 'private' else 'workspace' end as visibility
        from k join bench_load.c c on c.ws_no = k.ws_no and c.idx = k.c1;`,
    },
    {
      step: 'last interaction times',
      sql: `
        create table bench_load.last as
          select ws_no, c, max(occurred_at) as at
          from (select ws_no, c1 as c, occurred_at from bench_load.i
                union all select ws_no, c2, occurred_at from bench_load.i where c2 is not null) x
          group by ws_no, c;
        alter table bench_load.last add primary key (ws_no, c);`,
    },
    {
      step: 'contacts + emails',
      perWorkspace: (w) => `
        insert into crm.contacts (id, workspace_id, name, title, phone, company_id, stage, owner_id, tags,
                                  last_interaction_at, source, created_by, created_at, updated_at)
        select c.id, c.workspace_id, c.name, c.title, c.phone, c.company_id, c.stage, c.owner_id, c.tags,
               l.at, 'import', c.owner_id, c.created_at, c.created_at
        from bench_load.c c left join bench_load.last l on l.ws_no = c.ws_no and l.c = c.idx
        where ${w('c')};
        insert into crm.contact_emails (workspace_id, contact_id, email, is_primary, created_at)
        select workspace_id, id, email, true, created_at from bench_load.c c where ${w('c')}
        union all
        select workspace_id, id, email2, false, created_at from bench_load.c c where email2 is not null and ${w('c')};`,
    },
    {
      step: 'interactions',
      perWorkspace: (w) => `
        insert into crm.interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                                      dedupe_key, thread_key, visibility, author_id, created_at)
        select i.id, i.workspace_id, i.kind, i.direction, i.occurred_at,
               case i.kind when 'email' then 'Re: proposal #' || (i.idx / 3) when 'call' then 'Call with ' || c.name
                           when 'meeting' then 'Meeting: quarterly review' else null end,
               left(${q(BODY)}, 200 + (i.idx % 150)) || ' #' || i.idx,
               i.source, i.external_id, crm.dedupe_key(i.kind, i.source, i.external_id),
               case when i.kind = 'email' then 'thread:' || i.ws_no || ':' || (i.idx / 3) end,
               i.visibility, i.member_id, i.occurred_at
        from bench_load.i i join bench_load.c c on c.ws_no = i.ws_no and c.idx = i.c1
        where ${w('i')};`,
    },
    {
      step: 'participants',
      perWorkspace: (w) => `
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
        where i.c2 is not null and ${w('i')};`,
    },
    {
      step: 'follow-ups + audit log',
      perWorkspace: (w) => `
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
    { step: 'drop staging', sql: `drop schema bench_load cascade;` },
    { step: 'vacuum analyze', sql: `vacuum analyze;` },
    // a second pass: the first one leaves the visibility map of some freshly
    // loaded tables unset (index-only scans would then visit the heap), which a
    // database that autovacuum has looked after would not have
    { step: 'vacuum', sql: `vacuum;` },
  ];
}

/**
 * Loads everything and makes the measured rep's token. With several runners
 * (connections to one PostgreSQL server), the per-workspace steps run on all of
 * them at once, each loading a share of the workspaces; PGlite has one.
 */
export async function loadData(
  runners: SqlRunner[],
  measuredContacts: number,
  log: (line: string) => void = () => {},
): Promise<LoadReport> {
  const sql = runners[0]!;
  const t0 = performance.now();
  const steps: LoadReport['steps'] = [];
  const others = Math.max(100, Math.round(measuredContacts * OTHER_WORKSPACE_SHARE));
  const sizes = [measuredContacts, ...Array.from({ length: OTHER_WORKSPACES }, () => others)];
  // workspaces to lanes, biggest first onto the least loaded lane
  const lanes: { ws: number[]; rows: number }[] = runners.map(() => ({ ws: [], rows: 0 }));
  for (const [i, n] of sizes.map((n, i) => [i, n] as const).sort((a, b) => b[1] - a[1])) {
    const lane = lanes.reduce((a, b) => (b.rows < a.rows ? b : a));
    lane.ws.push(i + 1);
    lane.rows += n;
  }
  const active = lanes.map((l, i) => ({ ...l, runner: runners[i]! })).filter((l) => l.ws.length > 0);
  for (const [i, l] of active.entries()) if (i > 0) await l.runner.exec(`select setseed(${(0.1 + i / 100).toFixed(2)})`);
  for (const s of loadScript(measuredContacts)) {
    const t = performance.now();
    if ('sql' in s) await sql.exec(s.sql);
    else await Promise.all(active.map((l) => l.runner.exec(s.perWorkspace((a) => `${a}.ws_no = any ('{${l.ws.join(',')}}'::int[])`))));
    const ms = performance.now() - t;
    steps.push({ step: s.step, ms: Math.round(ms) });
    log(`  ${s.step.padEnd(24)} ${(ms / 1000).toFixed(1)} s${'sql' in s || active.length < 2 ? '' : ` (${active.length} connections: ${active.map((l) => `ws ${l.ws.join('+')}`).join(', ')})`}`);
  }
  const wsId = (await sql.query<{ id: string }>(`select md5('bench:ws:1')::uuid::text as id`))[0]!.id;
  const repEmail = 'rep1@ws1.example.com';
  const { token, hash } = newApiToken();
  await sql.query(`select api.token_create($1::jsonb)`, [JSON.stringify({ email: repEmail, workspaceId: wsId, tokenHash: hash, label: 'bench' })]);
  const repId = (await sql.query<{ id: string }>(`select id::text as id from crm.members where workspace_id = $1 and lower(email) = $2`, [wsId, repEmail]))[0]!.id;
  const counts = await sql.query<Record<string, string | number>>(`
    select (select count(*) from crm.workspaces) as workspaces,
           (select count(*) from crm.members) as members,
           (select count(*) from crm.companies) as companies,
           (select count(*) from crm.contacts) as contacts,
           (select count(*) from crm.contacts where workspace_id = '${wsId}') as contacts_measured,
           (select count(*) from crm.contact_emails) as contact_emails,
           (select count(*) from crm.interactions) as interactions,
           (select count(*) from crm.interaction_participants) as participants,
           (select count(*) from crm.follow_ups) as follow_ups,
           (select count(*) from crm.audit_log) as audit_log`);
  const rows = Object.fromEntries(Object.entries(counts[0]!).map(([k, v]) => [k, Number(v)]));
  return {
    ms: Math.round(performance.now() - t0),
    steps,
    rows,
    measured: { workspaceId: wsId, repId, repEmail, token, contacts: rows.contacts_measured ?? 0 },
  };
}
