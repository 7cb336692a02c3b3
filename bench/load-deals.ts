/**
 * Deals in the benchmark data (issue 18), generated inside the database with
 * set-based SQL from the load's staging tables (bench/load.ts), before they
 * are dropped.
 *
 * Shape at scale 1: 300,000 deals, 3 for every 10 contacts, so each
 * workspace holds its share (the measured one 30,000, the 99 others about
 * 2,700 each):
 *   - each at a company, picked through one of its people (bigger companies
 *     have more deals), with 1 to 3 of that company's people as its contacts;
 *   - owned by that person's owner (a rep) nine times in ten, otherwise by any
 *     member, managers included;
 *   - 60 % open across the five default stages (more early than late), 20 %
 *     won and 20 % lost, closed over the last two years;
 *   - nine in ten with an amount: half in USD, 30 % JPY, 20 % EUR (minor units);
 *   - 2 to 6 stage changes each, from its creation to where it is now.
 *
 * Their tables' indexes and foreign keys are dropped and rebuilt around the
 * insert with the load's other big tables (DEAL_TABLES goes into its list).
 */

/** the load's statement shapes: one run once, or one per runner for its share of the workspaces */
export type DealStep = { step: string; sql: string } | { step: string; perLane: (w: (alias: string) => string) => string };

/** deals per contact of a workspace (300,000 for 1,000,000 contacts at scale 1) */
export const DEALS_PER_CONTACT = 0.3;
/** the tables loaded here, whose indexes and foreign keys the load drops and rebuilds */
export const DEAL_TABLES = ['deals', 'deal_contacts', 'deal_stage_changes'];

const STAGES = `array['qualified', 'meeting', 'proposal', 'negotiation', 'commit']`;

export function dealSteps(members: number): DealStep[] {
  return [
    {
      step: 'deals (staging)',
      sql: `
        -- every contact at a company, numbered in its workspace (g) and in its company (crn of cn)
        create unlogged table bench_load.cc as
          select c.ws_no, c.id as contact_id, c.company_id, c.owner_id,
                 row_number() over (partition by c.ws_no order by c.idx) as g,
                 row_number() over (partition by c.ws_no, c.company_id order by c.idx) as crn,
                 count(*) over (partition by c.ws_no, c.company_id) as cn
          from bench_load.c c where c.company_id is not null;
        create index on bench_load.cc (ws_no, g);
        create index on bench_load.cc (ws_no, company_id, crn);
        create unlogged table bench_load.d (
          ws_no int, idx int, workspace_id uuid, id uuid, company_id uuid, owner_id uuid, anchor_crn int, cn int, k int,
          stage text, status text, amount bigint, currency text, created_at timestamptz, closed_at timestamptz,
          close_date date, stage_changed_at timestamptz, changes int);
        analyze bench_load.cc;`,
    },
    {
      step: 'deals (staging rows)',
      perLane: (w) => `
        insert into bench_load.d
        with n as (
          select ws_no, count(*) as n from bench_load.cc where ${w('cc')} group by ws_no
        ), r as (
          select ws.ws_no, ws.id as workspace_id, g as idx, n.n,
                 1 + floor(random() * n.n)::int as pick, random() as r_owner, random() as r_status, random() as r_stage,
                 random() as r_amount, random() as r_cur, random() as r_k, random() as r_t, random() as r_len, random() as r_changes,
                 1 + floor(random() * ${members})::int as any_k
          from bench_load.ws ws join n on n.ws_no = ws.ws_no,
               generate_series(1, greatest(1, round(ws.n_contacts * ${DEALS_PER_CONTACT})::int)) g
          where ${w('ws')}
        ), s as (
          select r.*, cc.company_id, cc.crn as anchor_crn, cc.cn,
                 case when r.r_owner < 0.9 then cc.owner_id else m.id end as owner_id,
                 case when r.r_status < 0.6 then 'open' when r.r_status < 0.8 then 'won' else 'lost' end as status,
                 case when r.r_cur < 0.5 then 'USD' when r.r_cur < 0.8 then 'JPY' else 'EUR' end as currency
          from r
          join bench_load.cc cc on cc.ws_no = r.ws_no and cc.g = r.pick
          join bench_load.m m on m.ws_no = r.ws_no and m.k = r.any_k
        ), t as (
          select s.*,
                 case when status = 'open' then now() - r_t * interval '365 days'
                      else now() - r_t * interval '730 days' - (7 + r_len * 173) * interval '1 day' end as created_at,
                 case when status = 'open' then null
                      else now() - r_t * interval '730 days' end as closed_at
          from s
        )
        select t.ws_no, t.idx, t.workspace_id, md5('bench:d:' || t.ws_no || ':' || t.idx)::uuid, t.company_id, t.owner_id,
               t.anchor_crn, t.cn, least(t.cn, 1 + floor(t.r_k * 3)::int),
               -- open deals thin out towards the late stages; closed ones keep the stage they closed from
               (${STAGES})[case when t.status = 'open' then 1 + floor(power(t.r_stage, 1.4) * 5)::int else 1 + floor(t.r_stage * 5)::int end],
               t.status,
               case when t.r_amount < 0.9 then
                 case t.currency when 'JPY' then 100000 + floor(t.r_amount * 22000000)::bigint
                                 else (1000 + floor(t.r_amount * 222000)::bigint) * 100 end end,
               case when t.r_amount < 0.9 then t.currency end,
               t.created_at, t.closed_at,
               case when t.status = 'open' then (now() + (floor(t.r_len * 150)::int - 30) * interval '1 day')::date
                    else t.closed_at::date end,
               t.created_at + (coalesce(t.closed_at, now()) - t.created_at) * (0.5 + t.r_changes / 2),
               2 + floor(t.r_changes * 5)::int
        from t`,
    },
    { step: 'deals (staging index)', sql: `alter table bench_load.d add primary key (ws_no, idx); analyze bench_load.d;` },
    {
      step: 'deals + contacts + stage history',
      perLane: (w) => `
        insert into crm.deals (id, workspace_id, name, company_id, owner_id, amount, currency, stage, status, close_date, closed_at,
                               close_reason, stage_changed_at, source, created_by, created_at, updated_at)
        select d.id, d.workspace_id, co.name || ' ' || case d.idx % 4 when 0 then 'renewal' when 1 then 'expansion' when 2 then 'pilot' else 'new licence' end,
               d.company_id, d.owner_id, d.amount, d.currency, d.stage, d.status, d.close_date, d.closed_at,
               case d.status when 'lost' then 'Went with a competitor' end, d.stage_changed_at, 'import', d.owner_id,
               d.created_at, d.stage_changed_at
        from bench_load.d d join crm.companies co on co.workspace_id = d.workspace_id and co.id = d.company_id
        where ${w('d')};
        insert into crm.deal_contacts (workspace_id, deal_id, contact_id, role, added_at)
        select d.workspace_id, d.id, cc.contact_id, case when j = 0 then 'decision_maker' when j = 1 then 'champion' else 'user' end, d.created_at
        from bench_load.d d cross join generate_series(0, 2) j
        join bench_load.cc cc on cc.ws_no = d.ws_no and cc.company_id = d.company_id and cc.crn = (d.anchor_crn - 1 + j) % d.cn + 1
        where j < d.k and ${w('d')};
        -- the changes: created at the first stage, moved up one stage at a time, the last one to where it is now
        insert into crm.deal_stage_changes (workspace_id, deal_id, actor_member_id, source, at, from_stage, to_stage, from_status, to_status)
        select d.workspace_id, d.id, d.owner_id, 'import',
               d.created_at + (d.stage_changed_at - d.created_at) * (i - 1) / (d.changes - 1),
               case when i > 1 then (${STAGES})[least(i - 1, 5)] end,
               case when i = d.changes then d.stage else (${STAGES})[least(i, 5)] end,
               case when i > 1 then 'open' end,
               case when i = d.changes then d.status else 'open' end
        from bench_load.d d cross join generate_series(1, 6) i
        where i <= d.changes and ${w('d')};`,
    },
  ];
}
