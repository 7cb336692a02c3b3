-- Deals and the pipeline (issue 18): the functions behind /api/pipeline and
-- /api/deals. The tables are 20261204000100_deals_core's.
--
-- The pipeline is an admin's to change: stages keep their keys (a rename
-- changes the name only, deals stay where they are), and a stage that open
-- deals sit at is removed only when the request says where they go. Deals
-- are any member's to create and change, like contacts. Every stage or
-- status change is kept in crm.deal_stage_changes (who, when, from, to) and
-- every change of a deal is audited (entity_type 'deal'). Winning a deal
-- makes its company's people and its own contacts customers.

-- The pipeline as the API answers it: the stages in order.
create function crm.pipeline_json(ws uuid) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return coalesce((select jsonb_agg(jsonb_build_object('key', s.key, 'name', s.name, 'position', s.position,
      'probability', s.probability) order by s.position)
    from pipeline_stages s where s.workspace_id = ws), '[]'::jsonb);
end $$;
revoke execute on function crm.pipeline_json(uuid) from public;
grant execute on function crm.pipeline_json(uuid) to service_role;

create function api.pipeline_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return jsonb_build_object('stages', crm.pipeline_json(me.workspace_id));
end $$;
revoke execute on function api.pipeline_get(jsonb, jsonb) from public;
grant execute on function api.pipeline_get(jsonb, jsonb) to service_role;

-- PUT /api/pipeline: the whole ordered list. A stage with a key keeps it (its
-- name and probability change); one without gets a key from its name. A
-- stage left out is removed: its deals move to moves[key] when the request
-- names one, and open deals there without one refuse the change (409).
-- Closed deals at a removed stage move with the open ones, or to the stage
-- that takes its place (the list must keep every deal on a stage that exists).
create function api.pipeline_set(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  given jsonb := coalesce(args -> 'stages', '[]');
  moves jsonb := coalesce(args -> 'moves', '{}');
  before jsonb;
  after jsonb;
  st jsonb;
  i int := 0;
  k text;
  nm text;
  keys text[] := '{}';
  gone record;
  target text;
  n_open int;
  n int;
  moved jsonb := '{}';
begin
  perform crm.require_admin(me);
  if jsonb_typeof(given) <> 'array' or jsonb_array_length(given) not between 1 and 20 then
    perform crm.fail(400, 'pipeline_stage_count', jsonb_build_object('field', 'stages', 'max', 20));
  end if;
  -- one change of the pipeline at a time
  perform 1 from workspaces where id = ws for update;
  before := crm.pipeline_json(ws);
  if (select count(distinct lower(btrim(s ->> 'name'))) from jsonb_array_elements(given) s) <> jsonb_array_length(given) then
    perform crm.fail(400, 'pipeline_names_repeated', jsonb_build_object('field', 'stages'));
  end if;
  -- the keys first: given ones, then new ones made from the name
  for st in select s from jsonb_array_elements(given) s loop
    k := nullif(st ->> 'key', '');
    if k is not null then
      if k = any (keys) then
        perform crm.fail(400, 'pipeline_keys_repeated', jsonb_build_object('field', 'stages', 'stage', k));
      end if;
      if k !~ '^[a-z0-9_]{1,40}$' then
        perform crm.fail(400, 'pipeline_key_invalid', jsonb_build_object('field', 'stages', 'stage', k));
      end if;
    end if;
    keys := keys || k;
  end loop;
  i := 0;
  for st in select s from jsonb_array_elements(given) s loop
    i := i + 1;
    if keys[i] is null then
      k := left(btrim(regexp_replace(lower(st ->> 'name'), '[^a-z0-9]+', '_', 'g'), '_'), 30);
      n := 1;
      if k = '' then
        k := 'stage_1';
      end if;
      while k = any (keys) or exists (select 1 from pipeline_stages p where p.workspace_id = ws and p.key = k) loop
        n := n + 1;
        k := regexp_replace(k, '_\d+$', '') || '_' || n;
      end loop;
      keys[i] := k;
    end if;
  end loop;

  -- stages left out: their deals go where the request says, open ones only if it says so
  for gone in select p.key, p.name, p.position from pipeline_stages p
              where p.workspace_id = ws and not (p.key = any (keys)) order by p.position loop
    target := moves ->> gone.key;
    select count(*) into n_open from deals where workspace_id = ws and stage = gone.key and status = 'open';
    if target is null and n_open > 0 then
      perform crm.fail(409, 'pipeline_stage_in_use', jsonb_build_object('field', 'moves', 'stage', gone.key, 'name', gone.name, 'deals', n_open));
    end if;
    if target is not null and not (target = any (keys)) then
      perform crm.fail(400, 'pipeline_move_unknown', jsonb_build_object('field', 'moves', 'stage', gone.key, 'to', target));
    end if;
    -- closed deals with nowhere named: the stage now at its place, else the last
    target := coalesce(target, keys[least(gone.position + 1, cardinality(keys))]);
    moved := moved || jsonb_build_object(gone.key, target);
  end loop;

  -- the stages as listed (positions are checked at commit), then the deals moved, then the old stages gone
  i := 0;
  for st in select s from jsonb_array_elements(given) s loop
    i := i + 1;
    nm := btrim(st ->> 'name');
    insert into pipeline_stages (workspace_id, key, name, position, probability)
    values (ws, keys[i], nm, i - 1 + 1000, (st ->> 'probability')::int)
    on conflict (workspace_id, key) do update set name = excluded.name, position = excluded.position, probability = excluded.probability;
  end loop;
  for k, target in select key, value #>> '{}' from jsonb_each(moved) loop
    -- open deals moved keep their history: one stage change each
    insert into deal_stage_changes (workspace_id, deal_id, actor_member_id, source, at, from_stage, to_stage, from_status, to_status)
    select ws, d.id, me.id, src, now_, d.stage, target, d.status, d.status
    from deals d where d.workspace_id = ws and d.stage = k and d.status = 'open';
    update deals set stage = target,
      stage_changed_at = case when status = 'open' then now_ else stage_changed_at end,
      updated_at = now()
    where workspace_id = ws and stage = k;
  end loop;
  delete from pipeline_stages where workspace_id = ws and not (key = any (keys));
  update pipeline_stages set position = position - 1000 where workspace_id = ws;

  after := crm.pipeline_json(ws);
  if after is distinct from before then
    perform crm.audit(ws, me.id, src, 'pipeline', ws, 'update', jsonb_build_object('stages', before),
      jsonb_build_object('stages', after) || case when moved <> '{}' then jsonb_build_object('moved', moved) else '{}' end);
  end if;
  return jsonb_build_object('stages', after);
end $$;
revoke execute on function api.pipeline_set(jsonb, jsonb) from public;
grant execute on function api.pipeline_set(jsonb, jsonb) to service_role;

-- A deal of the caller's workspace, locked when asked, or a 404.
create function crm.deal_or_404(ws uuid, did uuid, lock boolean default false) returns crm.deals
language plpgsql set search_path = crm, pg_catalog as $$
declare
  d crm.deals;
begin
  if lock then
    select * into d from deals where workspace_id = ws and id = did for update;
  else
    select * into d from deals where workspace_id = ws and id = did;
  end if;
  if d.id is null then
    perform crm.fail(404, 'deal_not_found', jsonb_build_object('id', did));
  end if;
  return d;
end $$;
revoke execute on function crm.deal_or_404(uuid, uuid, boolean) from public;
grant execute on function crm.deal_or_404(uuid, uuid, boolean) to service_role;

-- A stage key of the workspace's pipeline, or a 400 naming the stages there are.
create function crm.deal_stage_check(ws uuid, stage text) returns text
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  if not exists (select 1 from pipeline_stages s where s.workspace_id = ws and s.key = stage) then
    perform crm.fail(400, 'deal_stage_unknown', jsonb_build_object('field', 'stage', 'stage', stage,
      'stages', (select string_agg(s.key, ', ' order by s.position) from pipeline_stages s where s.workspace_id = ws)));
  end if;
  return stage;
end $$;
revoke execute on function crm.deal_stage_check(uuid, text) from public;
grant execute on function crm.deal_stage_check(uuid, text) to service_role;

-- The people of a deal: each contact with their part in it, as the deal's page shows them.
create function crm.deal_contacts_json(ws uuid, did uuid) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'title', c.title, 'stage', c.stage,
      'email', (select e.email from contact_emails e where e.workspace_id = ws and e.contact_id = c.id order by e.is_primary desc, e.created_at limit 1),
      'role', dc.role, 'addedAt', dc.added_at) order by dc.added_at, c.name, c.id)
    from deal_contacts dc join contacts c on c.workspace_id = ws and c.id = dc.contact_id
    where dc.workspace_id = ws and dc.deal_id = did), '[]'::jsonb);
end $$;
revoke execute on function crm.deal_contacts_json(uuid, uuid) from public;
grant execute on function crm.deal_contacts_json(uuid, uuid) to service_role;

-- What the audit keeps of a deal: its JSON and its contacts (ids and roles only: names are the contacts' own).
create function crm.deal_audit_json(d crm.deals) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return crm.deal_json(d) - 'updatedAt' - 'createdAt' - 'stageChangedAt' || jsonb_build_object('contacts', coalesce((
    select jsonb_agg(jsonb_build_object('id', dc.contact_id, 'role', dc.role) order by dc.contact_id)
    from deal_contacts dc where dc.workspace_id = d.workspace_id and dc.deal_id = d.id), '[]'::jsonb));
end $$;
revoke execute on function crm.deal_audit_json(crm.deals) from public;
grant execute on function crm.deal_audit_json(crm.deals) to service_role;

-- Adds or re-roles contacts on a deal: [{id, role}]; a merged contact's id names its survivor.
create function crm.deal_contacts_add(ws uuid, did uuid, people jsonb) returns void
language plpgsql set search_path = crm, pg_catalog as $$
declare
  p jsonb;
  c crm.contacts;
begin
  for p in select x from jsonb_array_elements(coalesce(people, '[]')) x loop
    c := crm.contact_or_404(ws, (p ->> 'id')::uuid);
    insert into deal_contacts (workspace_id, deal_id, contact_id, role)
    values (ws, did, c.id, p ->> 'role')
    on conflict (workspace_id, deal_id, contact_id) do update set role = case when p ? 'role' then excluded.role else deal_contacts.role end;
  end loop;
end $$;
revoke execute on function crm.deal_contacts_add(uuid, uuid, jsonb) from public;
grant execute on function crm.deal_contacts_add(uuid, uuid, jsonb) to service_role;

-- A deal with its people, its company and every stage change, newest first.
create function crm.deal_detail(d crm.deals) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return crm.deal_json(d) || jsonb_build_object(
    'contacts', crm.deal_contacts_json(d.workspace_id, d.id),
    'history', coalesce((select jsonb_agg(jsonb_build_object('at', h.at, 'actor', crm.member_brief(d.workspace_id, h.actor_member_id),
        'source', h.source, 'fromStage', h.from_stage, 'fromStageName', fs.name, 'toStage', h.to_stage, 'toStageName', ts.name,
        'fromStatus', h.from_status, 'toStatus', h.to_status) order by h.at desc, h.id desc)
      from deal_stage_changes h
      left join pipeline_stages fs on fs.workspace_id = d.workspace_id and fs.key = h.from_stage
      left join pipeline_stages ts on ts.workspace_id = d.workspace_id and ts.key = h.to_stage
      where h.workspace_id = d.workspace_id and h.deal_id = d.id), '[]'::jsonb));
end $$;
revoke execute on function crm.deal_detail(crm.deals) from public;
grant execute on function crm.deal_detail(crm.deals) to service_role;

-- The owner a request names: ownerId, ownerEmail, or (absent) keep.
create function crm.deal_owner_of(ws uuid, p jsonb, current_owner uuid) returns uuid
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  mid uuid;
begin
  if p ? 'ownerId' then
    if jsonb_typeof(p -> 'ownerId') = 'null' then
      return null;
    end if;
    select id into mid from members where workspace_id = ws and id = (p ->> 'ownerId')::uuid and active;
    if mid is null then
      perform crm.fail(400, 'deal_owner_unknown', jsonb_build_object('field', 'ownerId', 'id', p ->> 'ownerId'));
    end if;
    return mid;
  end if;
  if p ? 'ownerEmail' then
    if jsonb_typeof(p -> 'ownerEmail') = 'null' then
      return null;
    end if;
    return crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail');
  end if;
  return current_owner;
end $$;
revoke execute on function crm.deal_owner_of(uuid, jsonb, uuid) from public;
grant execute on function crm.deal_owner_of(uuid, jsonb, uuid) to service_role;

-- The company a request names: companyId (null clears it), company {name, domain}, or (absent) keep.
create function crm.deal_company_of(w crm.workspaces, p jsonb, current_company uuid, actor uuid, src text) returns uuid
language plpgsql set search_path = crm, pg_catalog as $$
declare
  cid uuid;
begin
  if p ? 'companyId' then
    if jsonb_typeof(p -> 'companyId') = 'null' then
      return null;
    end if;
    select id into cid from companies where workspace_id = w.id and id = (p ->> 'companyId')::uuid;
    if cid is null then
      perform crm.fail(404, 'company_not_found', jsonb_build_object('id', p ->> 'companyId', 'field', 'companyId'));
    end if;
    return cid;
  end if;
  if p ? 'company' then
    if jsonb_typeof(p -> 'company') = 'null' then
      return null;
    end if;
    return crm.resolve_company(w, p -> 'company', '{}', actor, src);
  end if;
  return current_company;
end $$;
revoke execute on function crm.deal_company_of(crm.workspaces, jsonb, uuid, uuid, text) from public;
grant execute on function crm.deal_company_of(crm.workspaces, jsonb, uuid, uuid, text) to service_role;

-- A won deal's people become customers: its company's contacts and its own,
-- each change audited as a contact update naming the deal.
create function crm.deal_won_customers(d crm.deals, actor uuid, src text) returns void
language plpgsql set search_path = crm, pg_catalog as $$
declare
  c record;
begin
  for c in
    update contacts x set stage = 'customer', updated_at = now()
    from (select o.id, o.stage from contacts o
          where o.workspace_id = d.workspace_id and o.merged_into_id is null and o.stage <> 'customer'
            and ((d.company_id is not null and o.company_id = d.company_id)
                 or o.id in (select dc.contact_id from deal_contacts dc where dc.workspace_id = d.workspace_id and dc.deal_id = d.id))) prev
    where x.workspace_id = d.workspace_id and x.id = prev.id
    returning x.id, prev.stage as was
  loop
    perform crm.audit(d.workspace_id, actor, src, 'contact', c.id, 'update', jsonb_build_object('stage', c.was),
      jsonb_build_object('stage', 'customer', 'deal', jsonb_build_object('id', d.id, 'name', d.name)));
  end loop;
end $$;
revoke execute on function crm.deal_won_customers(crm.deals, uuid, text) from public;
grant execute on function crm.deal_won_customers(crm.deals, uuid, text) to service_role;

-- Amount and currency go together: a currency is required with an amount (and
-- dropped without one); both are checked here as the API checks them.
create function crm.deal_money_check(amount bigint, currency text) returns void
language plpgsql immutable set search_path = crm, pg_catalog as $$
begin
  if amount is not null and currency is null then
    perform crm.fail(400, 'deal_currency_required', jsonb_build_object('field', 'currency'));
  end if;
  if currency is not null and currency !~ '^[A-Z]{3}$' then
    perform crm.fail(400, 'deal_currency_invalid', jsonb_build_object('field', 'currency', 'currency', currency));
  end if;
  if amount is not null and (amount < 0 or amount >= 1000000000000000) then
    perform crm.fail(400, 'deal_amount_invalid', jsonb_build_object('field', 'amount'));
  end if;
end $$;
revoke execute on function crm.deal_money_check(bigint, text) from public;
grant execute on function crm.deal_money_check(bigint, text) to service_role;

create function api.deal_create(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  w crm.workspaces;
  d crm.deals;
  amt bigint := (args ->> 'amount')::bigint;
  cur text := case when args ->> 'amount' is not null then args ->> 'currency' end;
  stage_key text;
begin
  select * into w from workspaces where id = ws;
  perform crm.deal_money_check(amt, cur);
  stage_key := coalesce(args ->> 'stage', (select s.key from pipeline_stages s where s.workspace_id = ws order by s.position limit 1));
  perform crm.deal_stage_check(ws, stage_key);
  insert into deals (workspace_id, name, company_id, owner_id, amount, currency, stage, close_date, source, created_by,
                     stage_changed_at, created_at, updated_at)
  values (ws, btrim(args ->> 'name'), crm.deal_company_of(w, args, null, me.id, src),
          case when args ? 'ownerId' or args ? 'ownerEmail' then crm.deal_owner_of(ws, args, null) else me.id end,
          amt, cur, stage_key, (args ->> 'closeDate')::date, src, me.id, now_, now_, now_)
  returning * into d;
  perform crm.deal_contacts_add(ws, d.id, args -> 'contacts');
  insert into deal_stage_changes (workspace_id, deal_id, actor_member_id, source, at, from_stage, to_stage, from_status, to_status)
  values (ws, d.id, me.id, src, now_, null, d.stage, null, 'open');
  perform crm.audit(ws, me.id, src, 'deal', d.id, 'create', null, crm.deal_audit_json(d));
  return crm.deal_detail(d);
end $$;
revoke execute on function api.deal_create(jsonb, jsonb) from public;
grant execute on function api.deal_create(jsonb, jsonb) to service_role;

create function api.deal_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return crm.deal_detail(crm.deal_or_404(me.workspace_id, (args ->> 'id')::uuid));
end $$;
revoke execute on function api.deal_get(jsonb, jsonb) from public;
grant execute on function api.deal_get(jsonb, jsonb) to service_role;

-- PATCH /api/deals/:id. Any member may change a deal, as any member may change a
-- contact. status 'won' or 'lost' closes it (with a reason), 'open' reopens it; a
-- closed deal's stage changes only as it is reopened.
create function api.deal_update(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  w crm.workspaces;
  d crm.deals := crm.deal_or_404(ws, (args ->> 'id')::uuid, true);
  was crm.deals := d;
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb := crm.deal_audit_json(d);
  after jsonb;
  new_status text := coalesce(p ->> 'status', d.status);
  new_stage text := coalesce(p ->> 'stage', d.stage);
  amt bigint := case when p ? 'amount' then (p ->> 'amount')::bigint else d.amount end;
  cur text := case when p ? 'currency' then p ->> 'currency' else d.currency end;
  act text := 'update';
begin
  select * into w from workspaces where id = ws;
  if p ? 'stage' then
    perform crm.deal_stage_check(ws, new_stage);
  end if;
  if new_stage <> d.stage and d.status <> 'open' and new_status <> 'open' then
    perform crm.fail(409, 'deal_closed', jsonb_build_object('field', 'stage', 'id', d.id, 'status', d.status));
  end if;
  if amt is null then
    cur := null;
  end if;
  perform crm.deal_money_check(amt, cur);

  update deals set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    company_id = crm.deal_company_of(w, p, company_id, me.id, src),
    owner_id = crm.deal_owner_of(ws, p, owner_id),
    amount = amt,
    currency = cur,
    stage = new_stage,
    status = new_status,
    close_date = case when new_status <> 'open' and d.status = 'open' then coalesce((p ->> 'closeDate')::date, (now_ at time zone coalesce(me.timezone, 'UTC'))::date)
                      when p ? 'closeDate' then (p ->> 'closeDate')::date else close_date end,
    closed_at = case when new_status = 'open' then null when d.status = 'open' then now_ else closed_at end,
    close_reason = case when new_status = 'open' then null
                        when p ? 'reason' then nullif(btrim(p ->> 'reason'), '')
                        when d.status = 'open' then null else close_reason end,
    stage_changed_at = case when new_stage <> d.stage or new_status <> d.status then now_ else stage_changed_at end,
    updated_at = now_
  where workspace_id = ws and id = d.id
  returning * into d;

  -- contacts: the whole list (contacts), or some added (addContacts) and some removed (removeContacts)
  if p ? 'contacts' then
    delete from deal_contacts dc where dc.workspace_id = ws and dc.deal_id = d.id
      and dc.contact_id not in (select (crm.contact_or_404(ws, (x ->> 'id')::uuid)).id from jsonb_array_elements(p -> 'contacts') x);
    perform crm.deal_contacts_add(ws, d.id, p -> 'contacts');
  end if;
  perform crm.deal_contacts_add(ws, d.id, p -> 'addContacts');
  if p ? 'removeContacts' then
    delete from deal_contacts dc where dc.workspace_id = ws and dc.deal_id = d.id
      and dc.contact_id in (select (crm.contact_or_404(ws, x::uuid)).id from jsonb_array_elements_text(p -> 'removeContacts') x);
  end if;

  if d.stage <> was.stage or d.status <> was.status then
    insert into deal_stage_changes (workspace_id, deal_id, actor_member_id, source, at, from_stage, to_stage, from_status, to_status)
    values (ws, d.id, me.id, src, now_, was.stage, d.stage, was.status, d.status);
    act := case when d.status = was.status then 'stage' when d.status = 'open' then 'reopen' else d.status end;
  end if;
  if d.status = 'won' and was.status <> 'won' then
    perform crm.deal_won_customers(d, me.id, src);
  end if;

  after := crm.deal_audit_json(d);
  if after is distinct from before then
    perform crm.audit(ws, me.id, src, 'deal', d.id, act,
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key));
  end if;
  return crm.deal_detail(d);
end $$;
revoke execute on function api.deal_update(jsonb, jsonb) from public;
grant execute on function api.deal_update(jsonb, jsonb) to service_role;

-- GET /api/deals: newest first, a page at a time. Filters: owner ('me', an id
-- or an email), stage, company, contact, closing before a day (open deals'
-- expected close), status (open by default; 'all' for every one).
create function api.deals_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
  owner_filter uuid;
  status_filter text := coalesce(args ->> 'status', 'open');
  cat timestamptz := (args #>> '{cursor,at}')::timestamptz;
  cid uuid := (args #>> '{cursor,id}')::uuid;
  contact_filter uuid;
  items jsonb;
  n int;
  last_at timestamptz;
  last_id uuid;
begin
  if args ->> 'owner' = 'me' then
    owner_filter := me.id;
  elsif crm.looks_like_uuid(args ->> 'owner') then
    select id into owner_filter from members where workspace_id = ws and id = (args ->> 'owner')::uuid;
    if owner_filter is null then
      perform crm.fail(400, 'deal_owner_unknown', jsonb_build_object('field', 'owner', 'id', args ->> 'owner'));
    end if;
  elsif args ->> 'owner' is not null then
    owner_filter := crm.member_in_filter(ws, args ->> 'owner', 'owner');
  end if;
  if args ->> 'contact' is not null then
    contact_filter := (crm.contact_or_404(ws, (args ->> 'contact')::uuid)).id;
  end if;
  select jsonb_agg(crm.deal_json(x.d) order by x.rn), count(*),
    min((x.d).created_at) filter (where x.rn = lim), (array_agg((x.d).id) filter (where x.rn = lim))[1]
    into items, n, last_at, last_id
  from (
    select d, row_number() over (order by d.created_at desc, d.id desc) as rn
    from deals d
    where d.workspace_id = ws
      and (status_filter = 'all' or d.status = status_filter)
      and (owner_filter is null or d.owner_id = owner_filter)
      and (args ->> 'stage' is null or d.stage = args ->> 'stage')
      and (args ->> 'company' is null or d.company_id = (args ->> 'company')::uuid)
      and (args ->> 'closingBefore' is null or d.close_date < (args ->> 'closingBefore')::date)
      and (contact_filter is null or exists (select 1 from deal_contacts dc
           where dc.workspace_id = ws and dc.deal_id = d.id and dc.contact_id = contact_filter))
      and (cat is null or (d.created_at, d.id) < (cat, cid))
    order by d.created_at desc, d.id desc
    limit lim + 1) x;
  if n > lim then
    items := items - lim;
  end if;
  return jsonb_build_object('items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'id', last_id) end);
end $$;
revoke execute on function api.deals_list(jsonb, jsonb) from public;
grant execute on function api.deals_list(jsonb, jsonb) to service_role;

-- GET /api/deals/:id/timeline: the deal's own story (each stage change, each
-- audited change) and the interactions of its contacts since it opened,
-- newest first, a page at a time. Visibility is crm.timeline's: a private
-- interaction only for its author and their managers, a 'subject' one without
-- its text for others. A change entry leaves out what the stage entry beside
-- it says (stage and status), so a move is told once.
create function crm.deal_timeline(d crm.deals, viewer uuid, cur jsonb, lim int) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  ws uuid := d.workspace_id;
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
  told constant text[] := array['stage', 'stageName', 'probability', 'status', 'closedAt'];
  people uuid[] := array(select dc.contact_id from deal_contacts dc where dc.workspace_id = ws and dc.deal_id = d.id);
  items jsonb;
  n int;
  last_at timestamptz;
  last_key text;
begin
  with ids as (
    select p.occurred_at as at, p.interaction_id as id
    from (
      select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = any (people)
        and p.occurred_at >= d.created_at
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
      order by p.occurred_at desc, p.interaction_id desc
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and (i.visibility <> 'private' or i.author_id = any (team))
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), s as (
    select h.at, 's:' || lpad(h.id::text, 20, '0') as key, 's' as t, h.id::text as ref
    from deal_stage_changes h
    where h.workspace_id = ws and h.deal_id = d.id
      and (cat is null or (h.at, 's:' || lpad(h.id::text, 20, '0')) < (cat, ckey))
    order by h.at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key, 'a' as t, a.id::text as ref
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'deal' and a.entity_id = d.id
      and (a.action = 'create' or (coalesce(a.before, '{}') - told) <> '{}' or (coalesce(a.after, '{}') - told) <> '{}')
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (
      select at, 'i:' || id as key, 'i' as t, id::text as ref from ids
      union all select * from s
      union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  ), built as (
    select pg.at, pg.key, jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', jsonb_build_object(
      'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
      'subject', i.subject,
      'body', null,
      'snippet', case
        when i.visibility = 'subject' and not (i.author_id = any (team)) then ''
        else left(regexp_replace(left(coalesce(i.body, ''), 2000), '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'capturedBy', coalesce(caps.j, '[]'::jsonb),
      'createdAt', i.created_at, 'editedAt', i.edited_at)) as entry
    from page pg
    join interactions i on i.workspace_id = ws and i.id = pg.ref::uuid
    left join members m on m.workspace_id = ws and m.id = i.author_id
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
          'contactId', p.contact_id, 'memberId', p.member_id) order by p.id) as j
      from interaction_participants p
      where p.workspace_id = ws and p.interaction_id = i.id) parts on true
    left join lateral (select crm.capturers_json(ws, i.id) as j) caps on true
    where pg.t = 'i'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'stage', 'at', h.at, 'stage', jsonb_build_object(
        'actor', crm.member_brief(ws, h.actor_member_id), 'source', h.source,
        'fromStage', h.from_stage, 'fromStageName', fs.name, 'toStage', h.to_stage, 'toStageName', ts.name,
        'fromStatus', h.from_status, 'toStatus', h.to_status))
    from page pg join deal_stage_changes h on h.workspace_id = ws and h.id = pg.ref::bigint
    left join pipeline_stages fs on fs.workspace_id = ws and fs.key = h.from_stage
    left join pipeline_stages ts on ts.workspace_id = ws and ts.key = h.to_stage
    where pg.t = 's'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', case when a.action = 'create' then a.before else nullif(a.before - told, '{}') end,
        'after', case when a.action = 'create' then a.after else nullif(a.after - told, '{}') end))
    from page pg join audit_log a on a.workspace_id = ws and a.id = pg.ref::bigint
    where pg.t = 'a'
  )
  select jsonb_agg(b.entry order by b.rn) filter (where b.rn <= lim), count(*),
    min(b.at) filter (where b.rn = lim), min(b.key) filter (where b.rn = lim)
    into items, n, last_at, last_key
  from (select built.at, built.key, built.entry, row_number() over (order by built.at desc, built.key desc) as rn from built) b;

  return jsonb_build_object(
    'items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'key', last_key) end);
end $$;
revoke execute on function crm.deal_timeline(crm.deals, uuid, jsonb, int) from public;
grant execute on function crm.deal_timeline(crm.deals, uuid, jsonb, int) to service_role;

create function api.deal_timeline(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return crm.deal_timeline(crm.deal_or_404(me.workspace_id, (args ->> 'id')::uuid), me.id, args -> 'cursor',
    least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200));
end $$;
revoke execute on function api.deal_timeline(jsonb, jsonb) from public;
grant execute on function api.deal_timeline(jsonb, jsonb) to service_role;
