-- api.contacts_import: its look-ups planned for the workspace as a parameter.
--
-- Measured at scale 1 (npm run bench's data: 100 workspaces, 1,000,000
-- contacts, analyzed), importing into a new workspace: the first part was
-- quick (1.9 s for 5,000 rows), the second took 12.4 s for 4,500 and a
-- 5,000-row part ran for over ten minutes. A new workspace's id is estimated
-- at one row once the statistics list every other one, so the look-up of each
-- address already held scanned the workspace's (workspace_id, contact_id)
-- index and each company name the (workspace_id, id) one. Generic plans
-- estimate the workspace at its average share instead. The companies'
-- temp table is now filled by an insert, which follows plan_cache_mode; a
-- create ... as does not.

create or replace function api.contacts_import(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  src text := crm.ctx_source(ctx);
  dry boolean := coalesce((args ->> 'dryRun')::boolean, false);
  skip boolean := coalesce((args ->> 'skipInvalid')::boolean, false);
  import_id uuid := (args ->> 'importId')::uuid;
  part int := coalesce((args ->> 'part')::int, 1);
  new_company_keys jsonb;
  n_rows int;
  n_rejected int;
  n_existing int;
  n_new int;
  n_new_companies int;
  n_made int;
  wrote boolean := false;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  -- every look-up below is by one key (an address, a domain, a name): by a
  -- btree. The trigram indexes answer equality too, by a bitmap scan that
  -- reads the whole pending list of new entries, which grows with every part
  -- this import writes (parts went from 45 ms to over a second each)
  perform set_config('enable_bitmapscan', 'off', true);
  -- new trigram entries wait in a pending list that the insert crossing
  -- gin_pending_list_limit merges whole (4 MB by default); smaller lists,
  -- merged more often, spread that cost over the parts (20,000 rows on
  -- PGlite: 18.4 -> 13.1 s, and a request's median wait 55 -> 7.5 ms)
  perform set_config('gin_pending_list_limit', '256', true);
  -- and each look-up planned for the workspace as a parameter, never for its
  -- id: the id of a workspace newer than the last ANALYZE is estimated at one
  -- row (its statistics know every other workspace), and the planner then
  -- scanned its whole (workspace_id, ...) index per key, with the wrong index
  -- as cheap as the right one. The second 4,500-row part of an import into a
  -- new workspace beside 100 others took 12.4 s instead of 1.9 s.
  perform set_config('plan_cache_mode', 'force_generic_plan', true);
  drop table if exists pg_temp.imp_rows, pg_temp.imp_emails, pg_temp.imp_owners, pg_temp.imp_problems,
    pg_temp.imp_co, pg_temp.imp_co_target, pg_temp.imp_notes;

  create temp table imp_rows on commit drop as
  select gen_random_uuid() as id, coalesce(r.line, 0) as line, nullif(btrim(r.name), '') as name,
         nullif(btrim(r.phone), '') as phone, nullif(btrim(r.title), '') as title,
         nullif(btrim(r.company), '') as company, lower(nullif(btrim(r."companyDomain"), '')) as company_domain,
         nullif(btrim(r.stage), '') as stage,
         -- an owner column left blank means no owner; no owner column, the importer
         r.owner is not null as owner_given, nullif(btrim(r.owner), '') as owner,
         coalesce(r.tags, '{}') as tags, coalesce(r.custom, '{}') as custom,
         nullif(btrim(r.timezone), '') as timezone, r."lastInteractionAt" as last_at, r.emails,
         nullif(btrim(r.reading), '') as reading, nullif(btrim(r."companyReading"), '') as company_reading,
         nullif(btrim(r.note), '') as note
  from jsonb_to_recordset(coalesce(args -> 'rows', '[]'::jsonb)) as r(
    line int, name text, emails text[], phone text, title text, company text, "companyDomain" text, stage text,
    owner text, tags text[], custom jsonb, timezone text, "lastInteractionAt" timestamptz,
    reading text, "companyReading" text, note text);

  -- each address once per row, with its place in the row (the first is primary)
  create temp table imp_emails on commit drop as
  select distinct on (x.row_id, x.key) x.*, nullif(split_part(x.key, '@', 2), '') as domain
  from (
    select r.id as row_id, r.line, btrim(e.email) as email, lower(btrim(e.email)) as key, e.ord
    from imp_rows r, unnest(r.emails) with ordinality e(email, ord)
    where btrim(e.email) <> ''
  ) x
  order by x.row_id, x.key, x.ord;
  -- row counts for the planner: without them it takes these tables for
  -- empty and joins them to contact_emails by scanning it, once per part
  analyze imp_rows;
  analyze imp_emails;

  -- an owner is a member's address, or a member's name when only one has it
  create temp table imp_owners on commit drop as
  select o.owner, coalesce(
      (select m.id from members m where m.workspace_id = ws and m.active and lower(m.email) = lower(o.owner)),
      (select (array_agg(m.id))[1] from members m
        where m.workspace_id = ws and m.active and crm.fold(m.display_name) = crm.fold(o.owner)
        having count(*) = 1)) as member_id
  from (select distinct owner from imp_rows where owner is not null) o;

  create temp table imp_problems (line int not null, reason text not null, details jsonb not null,
    existing boolean not null default false) on commit drop;

  insert into imp_problems (line, reason, details)
  select line, 'import_name_missing', '{}' from imp_rows where name is null;
  insert into imp_problems (line, reason, details)
  select line, 'import_stage_unknown', jsonb_build_object('stage', stage)
  from imp_rows where stage is not null and stage not in ('lead', 'prospect', 'customer', 'churned');
  insert into imp_problems (line, reason, details)
  select r.line, 'import_owner_unknown', jsonb_build_object('owner', r.owner)
  from imp_rows r join imp_owners o on o.owner = r.owner where o.member_id is null;
  insert into imp_problems (line, reason, details)
  select line, 'import_email_invalid', jsonb_build_object('email', email)
  from imp_emails where email !~ '^[^@\s]+@[^@\s]+\.[^@\s.]+$' or length(email) > 320;
  insert into imp_problems (line, reason, details)
  select e.line, 'import_email_internal', jsonb_build_object('email', e.email)
  from imp_emails e
  where exists (select 1 from unnest(w.internal_domains) d where e.domain = lower(d) or e.domain like '%.' || lower(d));
  -- an address on an earlier line of the same file: the later row is the duplicate
  insert into imp_problems (line, reason, details)
  select distinct on (e.line) e.line, 'import_duplicate_row', jsonb_build_object('email', e.email, 'first', f.first_line)
  from imp_emails e
  join (select key, min(line) as first_line from imp_emails group by key having count(*) > 1) f
    on f.key = e.key and f.first_line < e.line
  order by e.line, f.first_line;
  -- rows that are not rejected but whose address Rapport already holds: one
  -- index probe per address, the contact with it (a workspace new enough to
  -- have no statistics, filling up with the import's earlier parts, was taken
  -- for small and scanned whole once per address)
  insert into imp_problems (line, reason, details, existing)
  select distinct on (e.line) e.line, 'import_existing',
    jsonb_build_object('email', e.email, 'contact', jsonb_build_object('id', c.id, 'name', c.name)), true
  from imp_emails e
  cross join lateral (
    select c.id, c.name from contact_emails ce join contacts c on c.workspace_id = ws and c.id = ce.contact_id
    where ce.workspace_id = ws and lower(ce.email) = e.key limit 1) c
  where not exists (select 1 from imp_problems p where p.line = e.line)
  order by e.line, e.ord;

  select count(*) into n_rows from imp_rows;
  select count(distinct line) filter (where not existing), count(*) filter (where existing)
    into n_rejected, n_existing from imp_problems;

  -- the rows to create: neither rejected nor already held
  select count(*) into n_new from imp_rows r where not exists (select 1 from imp_problems p where p.line = r.line);

  -- the company each new row wants: its domain column, else its company name,
  -- else the domain of its first address that is not free mail
  create temp table imp_co on commit drop as
  select * from (
    select r.id as row_id, r.line,
      case when r.company_domain is not null or r.company is null then 'd' else 'n' end as kind,
      coalesce(r.company_domain, case when r.company is not null then crm.fold(r.company) end, fe.domain) as key,
      r.company as wanted_name, r.company_reading as wanted_reading
    from imp_rows r
    left join (
      select distinct on (e.row_id) e.row_id, e.domain from imp_emails e
      where e.domain is not null and e.domain <> all (w.free_mail_domains)
      order by e.row_id, e.ord
    ) fe on fe.row_id = r.id
    where not exists (select 1 from imp_problems p where p.line = r.line)
  ) x
  where key is not null;

  -- each wanted company once, with the workspace's company when there is one
  -- (by domain; by folded name, one with a domain first)
  -- (made first and filled by an insert: a create ... as is planned with the
  -- workspace's id, whatever plan_cache_mode says)
  create temp table imp_co_target (kind text, key text, company_id uuid, name text, reading text, made boolean) on commit drop;
  insert into imp_co_target (kind, key, company_id, name, reading, made)
  with k as (
    select distinct on (kind, key) kind, key, wanted_name, wanted_reading from imp_co order by kind, key, wanted_name is null, line
  )
  -- one index probe per wanted company (by domain; by folded name, one with a
  -- domain first): a new workspace's companies have no statistics yet, and
  -- joined as a set they were planned as one row and scanned per key
  select k.kind, k.key,
    case when k.kind = 'd'
      then (select d.id from companies d where d.workspace_id = ws and d.domain = k.key)
      else (select n.id from companies n where n.workspace_id = ws and n.name_key = k.key
            order by n.domain nulls last, n.created_at limit 1) end as company_id,
    case when k.kind = 'd' then coalesce(k.wanted_name, crm.company_name_from_domain(k.key)) else k.wanted_name end as name,
    k.wanted_reading as reading,
    false as made
  from k;
  select count(*), coalesce(jsonb_agg(kind || ':' || key order by kind, key), '[]'::jsonb)
    into n_new_companies, new_company_keys
  from imp_co_target where company_id is null;

  -- all or nothing, unless the caller skips the rejected rows (skipInvalid)
  if (n_rejected = 0 or skip) and not dry and n_new > 0 then
    import_id := coalesce(import_id, gen_random_uuid());
    update imp_co_target set company_id = gen_random_uuid(), made = true where company_id is null;
    with ins as (
      insert into companies (id, workspace_id, name, domain, reading, source, created_by)
      select company_id, ws, left(name, 300), case when kind = 'd' then key end, left(reading, 200), 'import', me.id
      from imp_co_target where made
      on conflict (workspace_id, domain) where domain is not null do nothing
      returning id)
    select count(*) into n_made from ins;
    if n_made < n_new_companies then
      -- another request made some of these companies meanwhile: use theirs
      update imp_co_target t
        set company_id = (select co.id from companies co where co.workspace_id = ws and co.domain = t.key), made = false
      where t.made and t.kind = 'd' and not exists (select 1 from companies co where co.id = t.company_id);
    end if;

    insert into contacts (id, workspace_id, name, title, phone, company_id, stage, owner_id, tags, custom,
      timezone, last_interaction_at, reading, source, created_by)
    select n.id, ws, n.name, n.title, n.phone, t.company_id, coalesce(n.stage, 'lead'),
      case when n.owner is not null then o.member_id when n.owner_given then null else me.id end,
      n.tags, n.custom, n.timezone, n.last_at, left(n.reading, 200), 'import', me.id
    from imp_rows n
    left join imp_co c on c.row_id = n.id
    left join imp_co_target t on t.kind = c.kind and t.key = c.key
    left join imp_owners o on o.owner = n.owner
    where not exists (select 1 from imp_problems p where p.line = n.line);

    insert into contact_emails (workspace_id, contact_id, email, is_primary)
    select ws, e.row_id, e.email, e.ord = min(e.ord) over (partition by e.row_id)
    from imp_emails e
    where not exists (select 1 from imp_problems p where p.line = e.line);

    -- the file's notes about a new contact: one note on it, dated now, from
    -- the import (source 'import', its id in external_id); a contact already
    -- held gets none, so the same file imported again adds nothing
    create temp table imp_notes on commit drop as
    select gen_random_uuid() as id, n.id as contact_id, left(n.note, 200000) as body,
      'import:' || import_id || ':' || n.id as external_id
    from imp_rows n
    where n.note is not null and not exists (select 1 from imp_problems p where p.line = n.line);
    insert into interactions (id, workspace_id, kind, direction, occurred_at, body, source, external_id, dedupe_key, author_id)
    select x.id, ws, 'note', 'internal', now(), x.body, 'import', x.external_id,
      crm.dedupe_key('note', 'import', x.external_id), me.id
    from imp_notes x;
    insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, contact_id)
    select ws, x.id, now(), 'about', x.contact_id from imp_notes x;
    insert into interaction_capturers (workspace_id, interaction_id, member_id, via)
    select ws, x.id, me.id, 'import' from imp_notes x;

    perform crm.audit(ws, me.id, src, 'import', import_id, 'import', null, jsonb_build_object(
      'fileName', args ->> 'fileName', 'format', args ->> 'format', 'part', part, 'rows', n_rows,
      'contacts', n_new, 'existing', n_existing,
      'contactIds', (select jsonb_agg(r.id order by r.line) from imp_rows r
                     where not exists (select 1 from imp_problems p where p.line = r.line)),
      'companyIds', coalesce((select jsonb_agg(company_id order by key) from imp_co_target where made), '[]'::jsonb)));
    wrote := true;
  end if;

  return jsonb_build_object(
    'dryRun', dry, 'written', wrote, 'rows', n_rows,
    'newContacts', n_new, 'newCompanies', n_new_companies, 'newCompanyKeys', new_company_keys,
    'rejectedRows', n_rejected,
    'rejected', coalesce((select jsonb_agg(jsonb_build_object('line', line, 'reason', reason, 'details', details)
                                            order by line, reason, details::text)
                          from imp_problems where not existing), '[]'::jsonb),
    'existing', coalesce((select jsonb_agg(jsonb_build_object('line', line) || details order by line)
                          from imp_problems where existing), '[]'::jsonb),
    'importId', import_id);
end
$function$;
