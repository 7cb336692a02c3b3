-- Imports and exports: a whole file of contacts in one call, and everything a
-- workspace holds about its contacts in one read.
--
-- api.contacts_import takes the rows the backend parsed and mapped from a CSV
-- (backend/imports), checks them against the workspace (owners, addresses
-- already held, addresses repeated within the file, colleagues' addresses)
-- and, when no row is rejected and this is no dry run, writes them set-based:
-- companies, contacts and addresses each in one insert ... select, never a
-- loop of single inserts. A file with one rejected row writes nothing, and the
-- report is the same with or without dryRun, so a dry run is a faithful
-- preview. A row whose address already belongs to a contact is reported as
-- existing and skipped: importing the same file twice changes nothing.
-- One audit entry (entity 'import') per import lists the ids it created.
--
-- api.contacts_export returns every live contact with what Rapport holds about
-- it, in an order that does not depend on ids, so an export, imported into a
-- fresh workspace and exported again, reads the same.
-- api.cli_actor tells `npm run import|export` which workspace and member it
-- acts as.

-- args: {rows: [{line, name, emails[], phone, title, company, companyDomain,
--         stage, owner, tags[], custom{}, timezone, lastInteractionAt}],
--        dryRun, fileName?, format?}
create or replace function api.contacts_import(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  src text := crm.ctx_source(ctx);
  dry boolean := coalesce((args ->> 'dryRun')::boolean, false);
  import_id uuid;
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
  drop table if exists pg_temp.imp_rows, pg_temp.imp_emails, pg_temp.imp_owners, pg_temp.imp_problems,
    pg_temp.imp_co, pg_temp.imp_co_target;

  create temp table imp_rows on commit drop as
  select gen_random_uuid() as id, coalesce(r.line, 0) as line, nullif(btrim(r.name), '') as name,
         nullif(btrim(r.phone), '') as phone, nullif(btrim(r.title), '') as title,
         nullif(btrim(r.company), '') as company, lower(nullif(btrim(r."companyDomain"), '')) as company_domain,
         nullif(btrim(r.stage), '') as stage,
         -- an owner column left blank means no owner; no owner column, the importer
         r.owner is not null as owner_given, nullif(btrim(r.owner), '') as owner,
         coalesce(r.tags, '{}') as tags, coalesce(r.custom, '{}') as custom,
         nullif(btrim(r.timezone), '') as timezone, r."lastInteractionAt" as last_at, r.emails
  from jsonb_to_recordset(coalesce(args -> 'rows', '[]'::jsonb)) as r(
    line int, name text, emails text[], phone text, title text, company text, "companyDomain" text, stage text,
    owner text, tags text[], custom jsonb, timezone text, "lastInteractionAt" timestamptz);

  -- each address once per row, with its place in the row (the first is primary)
  create temp table imp_emails on commit drop as
  select distinct on (x.row_id, x.key) x.*, nullif(split_part(x.key, '@', 2), '') as domain
  from (
    select r.id as row_id, r.line, btrim(e.email) as email, lower(btrim(e.email)) as key, e.ord
    from imp_rows r, unnest(r.emails) with ordinality e(email, ord)
    where btrim(e.email) <> ''
  ) x
  order by x.row_id, x.key, x.ord;

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
  -- rows that are not rejected but whose address Rapport already holds
  insert into imp_problems (line, reason, details, existing)
  select distinct on (e.line) e.line, 'import_existing',
    jsonb_build_object('email', e.email, 'contact', jsonb_build_object('id', c.id, 'name', c.name)), true
  from imp_emails e
  join contact_emails ce on ce.workspace_id = ws and lower(ce.email) = e.key
  join contacts c on c.workspace_id = ws and c.id = ce.contact_id
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
      r.company as wanted_name
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
  create temp table imp_co_target on commit drop as
  with k as (
    select distinct on (kind, key) kind, key, wanted_name from imp_co order by kind, key, wanted_name is null, line
  ), by_name as (
    select distinct on (co.name_key) co.name_key, co.id from companies co
    where co.workspace_id = ws and co.name_key in (select key from k where kind = 'n')
    order by co.name_key, co.domain nulls last, co.created_at
  )
  select k.kind, k.key, coalesce(d.id, n.id) as company_id,
    case when k.kind = 'd' then coalesce(k.wanted_name, crm.company_name_from_domain(k.key)) else k.wanted_name end as name,
    false as made
  from k
  left join companies d on k.kind = 'd' and d.workspace_id = ws and d.domain = k.key
  left join by_name n on k.kind = 'n' and n.name_key = k.key;
  select count(*) into n_new_companies from imp_co_target where company_id is null;

  if n_rejected = 0 and not dry and n_new > 0 then
    import_id := gen_random_uuid();
    update imp_co_target set company_id = gen_random_uuid(), made = true where company_id is null;
    with ins as (
      insert into companies (id, workspace_id, name, domain, source, created_by)
      select company_id, ws, left(name, 300), case when kind = 'd' then key end, 'import', me.id
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
      timezone, last_interaction_at, source, created_by)
    select n.id, ws, n.name, n.title, n.phone, t.company_id, coalesce(n.stage, 'lead'),
      case when n.owner is not null then o.member_id when n.owner_given then null else me.id end,
      n.tags, n.custom, n.timezone, n.last_at, 'import', me.id
    from imp_rows n
    left join imp_co c on c.row_id = n.id
    left join imp_co_target t on t.kind = c.kind and t.key = c.key
    left join imp_owners o on o.owner = n.owner
    where not exists (select 1 from imp_problems p where p.line = n.line);

    insert into contact_emails (workspace_id, contact_id, email, is_primary)
    select ws, e.row_id, e.email, e.ord = min(e.ord) over (partition by e.row_id)
    from imp_emails e
    where not exists (select 1 from imp_problems p where p.line = e.line);

    perform crm.audit(ws, me.id, src, 'import', import_id, 'import', null, jsonb_build_object(
      'fileName', args ->> 'fileName', 'format', args ->> 'format', 'rows', n_rows,
      'contacts', n_new, 'existing', n_existing,
      'contactIds', (select jsonb_agg(r.id order by r.line) from imp_rows r
                     where not exists (select 1 from imp_problems p where p.line = r.line)),
      'companyIds', coalesce((select jsonb_agg(company_id order by key) from imp_co_target where made), '[]'::jsonb)));
    wrote := true;
  end if;

  return jsonb_build_object(
    'dryRun', dry, 'written', wrote, 'rows', n_rows,
    'newContacts', n_new, 'newCompanies', n_new_companies,
    'rejectedRows', n_rejected,
    'rejected', coalesce((select jsonb_agg(jsonb_build_object('line', line, 'reason', reason, 'details', details)
                                            order by line, reason, details::text)
                          from imp_problems where not existing), '[]'::jsonb),
    'existing', coalesce((select jsonb_agg(jsonb_build_object('line', line) || details order by line)
                          from imp_problems where existing), '[]'::jsonb),
    'importId', import_id);
end
$$;

-- Every live contact of the workspace, as the export writes it; the order
-- (folded name, then the rest of the row but ids and dates) is the same in
-- any workspace holding the same contacts.
create or replace function api.contacts_export(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(x.j order by x.name_key, x.j - 'id' - 'createdAt')
    from (
      select c.name_key, jsonb_build_object(
        'id', c.id, 'name', c.name,
        'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, lower(e.email))
                            from contact_emails e where e.workspace_id = ws and e.contact_id = c.id), '[]'::jsonb),
        'phone', c.phone, 'title', c.title,
        'company', (select jsonb_build_object('name', co.name, 'domain', co.domain)
                    from companies co where co.workspace_id = ws and co.id = c.company_id),
        'stage', c.stage, 'owner', (select m.email from members m where m.workspace_id = ws and m.id = c.owner_id), 'tags', to_jsonb(c.tags), 'custom', c.custom,
        'timezone', c.timezone, 'lastInteractionAt', c.last_interaction_at, 'createdAt', c.created_at) as j
      from contacts c
      where c.workspace_id = ws and c.merged_into_id is null
    ) x), '[]'::jsonb));
end
$$;

-- args: {workspaceId?, email?}: who `npm run import|export` acts as. The
-- workspace named, else the only one; the member with that address, else the
-- workspace's first admin.
create or replace function api.cli_actor(args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  em text := nullif(btrim(args ->> 'email'), '');
  n int;
  m crm.members;
begin
  if ws is not null and not exists (select 1 from workspaces where id = ws) then
    perform crm.fail(404, 'workspace_unknown', jsonb_build_object('id', ws));
  end if;
  if ws is null and em is not null then
    select count(*) into n from members where lower(email) = lower(em) and active;
    if n > 1 then
      perform crm.fail(409, 'member_ambiguous', jsonb_build_object('email', em));
    end if;
  elsif ws is null then
    select count(*) into n from workspaces;
    if n <> 1 then
      perform crm.fail(409, 'workspace_ambiguous', jsonb_build_object('count', n));
    end if;
    select id into ws from workspaces;
  end if;
  select * into m from members
  where active and (ws is null or workspace_id = ws) and (em is null or lower(email) = lower(em))
  order by role = 'admin' desc, role = 'manager' desc, created_at, email
  limit 1;
  if m.id is null then
    perform crm.fail(404, 'member_unknown', jsonb_build_object('field', 'as', 'email', coalesce(em, '-')));
  end if;
  return crm.principal_json(m) || jsonb_build_object('email', m.email, 'name', m.display_name);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
