-- Companies as first-class accounts (issue 18): the account's functions.
--
-- Capture files a contact under the company holding its address's domain,
-- any of the company's domains (crm.company_for_domain, the hot path of email
-- capture: still one index probe when the company exists). A contact whose
-- company a person set (contact create or update with a company, or none)
-- keeps it: nothing here moves existing contacts between companies except a
-- merge.
--
-- The account card (api.company_get) and the account timeline
-- (api.company_timeline): one timeline across all the company's people, each
-- interaction once however many of them took part, with crm.timeline's
-- visibility rules and entry shape. It reads each person's newest
-- participations from participants_contact_order_idx (a LATERAL ... LIMIT per
-- person, visibility applied inside it, so a run of private entries never
-- hides older visible ones) and merges them, instead of reading every
-- participation of the company.

create or replace function crm.company_for_domain(ws uuid, dom text, actor uuid, src text, wanted_name text default null)
returns uuid
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  cid uuid;
begin
  select company_id into cid from company_domains where workspace_id = ws and domain = lower(dom);
  if cid is null then
    insert into companies (workspace_id, name, domain, source, created_by)
    values (ws, coalesce(nullif(btrim(wanted_name), ''), crm.company_name_from_domain(dom)), lower(dom), src, actor)
    on conflict (workspace_id, domain) where domain is not null do nothing
    returning id into cid;
    if cid is null then
      select company_id into cid from company_domains where workspace_id = ws and domain = lower(dom);
    else
      perform crm.audit(ws, actor, src, 'company', cid, 'create', null, crm.company_json(ws, cid));
    end if;
  end if;
  return cid;
end
$$;

-- a company typed by name: the same name, else the same name without its legal
-- form ("Acme Inc." finds "Acme"), never a merged company
create or replace function crm.resolve_company(w crm.workspaces, company jsonb, emails text[], actor uuid, src text)
returns uuid
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  dom text := lower(nullif(btrim(company ->> 'domain'), ''));
  nm text := nullif(btrim(company ->> 'name'), '');
  cid uuid;
  e text;
begin
  if dom is not null then
    return crm.company_for_domain(w.id, dom, actor, src, nm);
  end if;
  if nm is not null then
    select id into cid from companies where workspace_id = w.id and name_key = crm.fold(nm) and merged_into_id is null
      order by domain nulls last, created_at limit 1;
    if cid is null then
      select id into cid from companies where workspace_id = w.id and match_key = crm.company_key(nm) and merged_into_id is null
        order by domain nulls last, created_at limit 1;
    end if;
    if cid is null then
      insert into companies (workspace_id, name, source, created_by) values (w.id, nm, src, actor) returning id into cid;
      perform crm.audit(w.id, actor, src, 'company', cid, 'create', null, crm.company_json(w.id, cid));
    end if;
    return cid;
  end if;
  if company is not null and jsonb_typeof(company) = 'object' then
    return null;
  end if;
  foreach e in array coalesce(emails, '{}') loop
    if not crm.is_free_mail(w, e) and not crm.is_internal(w, e) then
      return crm.company_for_domain(w.id, crm.email_domain(e), actor, src);
    end if;
  end loop;
  return null;
end
$$;

-- a segment's company by id, name or any of its domains
create or replace function crm.segment_resolve(ws uuid, me uuid, f jsonb, strict boolean default false)
returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  owner_id uuid;
  companies uuid[];
  ref text := btrim(f ->> 'company');
begin
  if f ->> 'owner' = 'me' then
    owner_id := me;
  elsif f ->> 'owner' is not null then
    select id into owner_id from members where workspace_id = ws and lower(email) = lower(btrim(f ->> 'owner'));
    if owner_id is null and strict then
      perform crm.fail(400, 'member_unknown', jsonb_build_object('field', 'filter.owner', 'email', f ->> 'owner'));
    end if;
  end if;
  if ref is not null then
    companies := array(
      select co.id from companies co
      where co.workspace_id = ws
        and ((crm.looks_like_uuid(ref) and co.id = ref::uuid) or co.name_key = crm.fold(ref)
          or co.id = (select d.company_id from company_domains d where d.workspace_id = ws and d.domain = lower(ref))));
    if cardinality(companies) = 0 and strict then
      perform crm.fail(400, 'segment_company_unknown', jsonb_build_object('field', 'filter.company', 'company', ref));
    end if;
  end if;
  return jsonb_build_object(
    'stage', f ->> 'stage',
    'ownerSet', f ? 'owner', 'ownerId', owner_id,
    'tag', f ->> 'tag',
    'companyIds', to_jsonb(companies),
    'before', f -> 'lastInteractionBefore', 'after', f -> 'lastInteractionAfter',
    'open', f -> 'hasOpenFollowUp',
    'custom', (select jsonb_object_agg(key, value) from jsonb_each(f -> 'custom') where value <> 'null'::jsonb),
    'unset', (select jsonb_agg(key) from jsonb_each(f -> 'custom') where value = 'null'::jsonb));
end
$$;

create function crm.company_or_404(ws uuid, cid uuid) returns crm.companies
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  co crm.companies;
begin
  select * into co from companies where workspace_id = ws and id = cid;
  if co.id is null then
    perform crm.fail(404, 'company_not_found', jsonb_build_object('id', cid));
  end if;
  return co;
end
$$;

-- an account in lists and on its card (crm.company_json stays the short form)
create function crm.account_json(co crm.companies) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
begin
  return jsonb_build_object(
    'id', co.id, 'name', co.name, 'domain', co.domain,
    'domains', coalesce((select jsonb_agg(d.domain order by d.domain = co.domain desc nulls last, d.created_at, d.domain)
                         from company_domains d where d.workspace_id = co.workspace_id and d.company_id = co.id), '[]'::jsonb),
    'industry', co.industry, 'size', co.size,
    'owner', crm.member_brief(co.workspace_id, co.owner_id),
    'tags', to_jsonb(co.tags), 'custom', co.custom,
    'mergedIntoId', co.merged_into_id, 'source', co.source,
    'createdAt', co.created_at, 'updatedAt', co.updated_at);
end
$$;

-- a list of domains as typed: trimmed, lower-cased, each once, in order
-- (the edge has checked each is a domain: 'acme.co.jp', '例え.jp')
create function crm.company_domain_list(v jsonb) returns text[]
language sql immutable
set search_path = pg_catalog
as $$
  select coalesce(array(
    select d from (select lower(btrim(x, ' @')) as d, min(n) as o
                   from jsonb_array_elements_text(coalesce(v, '[]'::jsonb)) with ordinality t(x, n) group by 1) s
    order by o), '{}')
$$;

-- The company's domains become exactly doms, the first one its primary; a
-- domain another company holds is refused with that company named.
create function crm.company_set_domains(w crm.workspaces, cid uuid, doms text[]) returns void
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  taken record;
  d text;
begin
  foreach d in array doms loop
    if crm.is_free_mail(w, 'x@' || d) then
      perform crm.fail(400, 'company_domain_free_mail', jsonb_build_object('field', 'domains', 'domain', d));
    end if;
  end loop;
  select x.domain, co.id, co.name into taken
  from company_domains x join companies co on co.workspace_id = w.id and co.id = x.company_id
  where x.workspace_id = w.id and x.domain = any (doms) and x.company_id <> cid
  limit 1;
  if taken.id is not null then
    perform crm.fail(409, 'company_domain_taken', jsonb_build_object('field', 'domains', 'domain', taken.domain,
      'companyId', taken.id, 'companyName', taken.name));
  end if;
  delete from company_domains where workspace_id = w.id and company_id = cid and domain <> all (doms);
  insert into company_domains (workspace_id, domain, company_id)
  select w.id, x, cid from unnest(doms) x
  on conflict (workspace_id, domain) do nothing;
  update companies set domain = doms[1] where workspace_id = w.id and id = cid and domain is distinct from doms[1];
end
$$;

-- One timeline across the company's people, interactions only, each once.
-- The cursor is crm.timeline's ({at, key: 'i:<id>'}), the entries its shape.
create function crm.company_timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  items jsonb;
  n int;
  last_at timestamptz;
  last_key text;
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
begin
  with page as (
    select distinct x.at, x.id
    from contacts pp
    cross join lateral (
      -- this person's newest visible interactions, straight from participants_contact_order_idx
      select distinct on (p.occurred_at, p.interaction_id) p.occurred_at as at, p.interaction_id as id
      from interaction_participants p
      join interactions i on i.workspace_id = ws and i.id = p.interaction_id
      where p.workspace_id = ws and p.contact_id = pp.id
        and p.occurred_at <= coalesce(cat, 'infinity')
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
        and i.deleted_at is null
        and (i.visibility <> 'private' or i.author_id = any (team))
      order by p.occurred_at desc, p.interaction_id desc
      limit lim + 1) x
    where pp.workspace_id = ws and pp.company_id = cid and pp.merged_into_id is null
    order by x.at desc, x.id desc
    limit lim + 1
  ), built as (
    select pg.at, 'i:' || pg.id as key, jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', jsonb_build_object(
      'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
      'subject', i.subject,
      'body', null,
      -- crm.timeline's snippet: the first 280 characters, whitespace collapsed
      'snippet', case
        when i.visibility = 'subject' and not (i.author_id = any (team)) then ''
        when i.body is null or octet_length(i.body) <= 600 then left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280)
        when length(regexp_replace(left(i.body, 600), '\s+', ' ', 'g')) >= 280 then left(regexp_replace(left(i.body, 600), '\s+', ' ', 'g'), 280)
        else left(regexp_replace(i.body, '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'capturedBy', coalesce(caps.j, '[]'::jsonb),
      'createdAt', i.created_at, 'editedAt', i.edited_at)) as entry
    from page pg
    join interactions i on i.workspace_id = ws and i.id = pg.id
    left join members m on m.workspace_id = ws and m.id = i.author_id
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
          'contactId', p.contact_id, 'memberId', p.member_id) order by p.id) as j
      from interaction_participants p
      where p.workspace_id = ws and p.interaction_id = i.id) parts on true
    left join lateral (select crm.capturers_json(ws, i.id) as j) caps on true
  )
  select jsonb_agg(b.entry order by b.rn) filter (where b.rn <= lim), count(*),
    min(b.at) filter (where b.rn = lim), min(b.key) filter (where b.rn = lim)
    into items, n, last_at, last_key
  from (select built.at, built.key, built.entry, row_number() over (order by built.at desc, built.key desc) as rn from built) b;

  return jsonb_build_object(
    'items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'key', last_key) end);
end
$$;

-- the account card: the account, its people most recently in touch first, its
-- open deals (with their total per currency, never converted), the open
-- follow-ups of its people and the last interaction the viewer may see
create function crm.account_card(co crm.companies, viewer uuid) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  ws uuid := co.workspace_id;
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
begin
  return crm.account_json(co) || jsonb_build_object(
    'people', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'title', c.title,
          'email', (select e.email from contact_emails e where e.workspace_id = ws and e.contact_id = c.id
                    order by e.is_primary desc, e.created_at, e.email limit 1),
          'stage', c.stage, 'lastInteractionAt', c.last_interaction_at) order by c.last_interaction_at desc nulls last, c.id)
      from (select * from contacts c where c.workspace_id = ws and c.company_id = co.id and c.merged_into_id is null
            order by c.last_interaction_at desc nulls last, c.id limit 10) c), '[]'::jsonb),
    'peopleCount', (select count(*) from contacts c where c.workspace_id = ws and c.company_id = co.id and c.merged_into_id is null),
    'openDeals', coalesce((
      select jsonb_agg(crm.deal_json(d) order by d.close_date nulls last, d.created_at, d.id)
      from (select * from deals d where d.workspace_id = ws and d.company_id = co.id and d.status = 'open'
            order by d.close_date nulls last, d.created_at, d.id limit 20) d), '[]'::jsonb),
    'openDealTotals', coalesce((
      select jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount, 'count', t.n) order by t.currency)
      from (select d.currency, sum(d.amount) as amount, count(*) as n from deals d
            where d.workspace_id = ws and d.company_id = co.id and d.status = 'open' and d.currency is not null
            group by d.currency) t), '[]'::jsonb),
    'openDealsCount', (select count(*) from deals d where d.workspace_id = ws and d.company_id = co.id and d.status = 'open'),
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at, f.id)
      from (select f.* from contacts c
            join follow_ups f on f.workspace_id = ws and f.contact_id = c.id and f.status = 'open'
            where c.workspace_id = ws and c.company_id = co.id and c.merged_into_id is null
            order by f.due_at, f.id limit 10) f), '[]'::jsonb),
    'lastInteraction', crm.company_timeline(ws, viewer, co.id, null, 1) #> '{items,0}');
end
$$;

create function api.company_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  co crm.companies := crm.company_or_404(me.workspace_id, (args ->> 'id')::uuid);
begin
  return crm.account_card(co, me.id);
end
$$;

create function api.company_timeline(ctx jsonb, args jsonb) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  co crm.companies := crm.company_or_404(me.workspace_id, (args ->> 'id')::uuid);
begin
  if args -> 'cursor' is not null and (args #>> '{cursor,key}') !~ '^i:' then
    perform crm.fail(400, 'invalid_cursor', jsonb_build_object('field', 'cursor'));
  end if;
  return crm.company_timeline(co.workspace_id, me.id, co.id, args -> 'cursor',
    least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200));
end
$$;

-- Accounts by name or any domain, in name order, paged by (name, id). One or
-- two Latin letters test each company of the workspace in name order (a
-- workspace has a twentieth as many companies as contacts, and such a query
-- fills its page early); longer ones go through the trigram indexes; one or
-- two CJK characters through the companies' CJK grams, as contacts do.
create function api.companies_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql
stable
set search_path = crm, extensions, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  q text := nullif(crm.fold(args ->> 'q'), '');
  pat text := '%' || crm.like_escape(coalesce(q, '')) || '%';
  kpat text := '%' || crm.like_escape(crm.company_key(args ->> 'q')) || '%';
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 25), 1), 100);
  ck text := args #>> '{cursor,k}';
  cid uuid := (args #>> '{cursor,id}')::uuid;
  cjk boolean := crm.has_cjk(q);
  rows crm.companies[];
begin
  if q is not null and cjk then
    rows := array(
      select co from companies co
      where co.workspace_id = ws and co.merged_into_id is null
        and (ck is null or (co.name_key, co.id) > (ck, cid))
        and co.id in (
          select x.id from companies x
          where x.workspace_id = ws and x.merged_into_id is null
            and crm.cjk_grams(x.workspace_id, x.name_key) @> crm.cjk_query_grams(ws, q)
            and (x.name_key like pat or x.match_key like kpat)
          union
          select d.company_id from company_domains d where d.workspace_id = ws and d.domain like pat)
      order by co.name_key, co.id
      limit lim + 1);
  elsif q is not null and length(q) >= 3 then
    -- three letters or more: the candidates through the trigram indexes (names,
    -- names without their legal form, domains), so a query no company matches
    -- (a person's name asked of /crm) reads none of them
    rows := array(
      select co from companies co
      where co.workspace_id = ws and co.merged_into_id is null
        and (ck is null or (co.name_key, co.id) > (ck, cid))
        and co.id in (
          select x.id from companies x where x.workspace_id = ws and x.name_key like pat
          union
          select x.id from companies x where x.workspace_id = ws and x.match_key like kpat
          union
          select d.company_id from company_domains d where d.workspace_id = ws and d.domain like pat)
      order by co.name_key, co.id
      limit lim + 1);
  else
    rows := array(
      select co from companies co
      where co.workspace_id = ws and co.merged_into_id is null
        and (ck is null or (co.name_key, co.id) > (ck, cid))
        and (q is null or co.name_key like pat or co.match_key like kpat
          or exists (select 1 from company_domains d where d.workspace_id = ws and d.company_id = co.id and d.domain like pat))
      order by co.name_key, co.id
      limit lim + 1);
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(crm.account_json(rows[i]) order by i)
                       from generate_series(1, least(coalesce(cardinality(rows), 0), lim)) i), '[]'::jsonb),
    'nextCursor', case when coalesce(cardinality(rows), 0) > lim then
      jsonb_build_object('k', (rows[lim]).name_key, 'id', (rows[lim]).id) end);
end
$$;

create function api.company_create(ctx jsonb, args jsonb) returns jsonb
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  doms text[] := crm.company_domain_list(args -> 'domains');
  co crm.companies;
begin
  select * into w from workspaces where id = ws;
  insert into companies (workspace_id, name, industry, size, owner_id, tags, custom, source, created_by)
  values (ws, btrim(args ->> 'name'), nullif(btrim(args ->> 'industry'), ''), args ->> 'size',
    case when args ->> 'ownerEmail' is not null then crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail') end,
    crm.tag_array(args -> 'tags'),
    coalesce((select jsonb_object_agg(key, value) from jsonb_each(coalesce(args -> 'custom', '{}')) where value <> 'null'::jsonb), '{}'),
    src, me.id)
  returning * into co;
  if cardinality(doms) > 0 then
    perform crm.company_set_domains(w, co.id, doms);
    select * into co from companies where workspace_id = ws and id = co.id;
  end if;
  perform crm.audit(ws, me.id, src, 'company', co.id, 'create', null, crm.account_json(co));
  return crm.account_card(co, me.id);
end
$$;

create function api.company_update(ctx jsonb, args jsonb) returns jsonb
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  co crm.companies := crm.company_or_404(ws, (args ->> 'id')::uuid);
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb := crm.account_json(co);
  after jsonb;
  new_custom jsonb := co.custom;
  k text;
  v jsonb;
begin
  if co.merged_into_id is not null then
    perform crm.fail(409, 'company_merged', jsonb_build_object('id', co.id, 'intoId', co.merged_into_id));
  end if;
  select * into w from workspaces where id = ws;
  if p ? 'domains' then
    perform crm.company_set_domains(w, co.id, crm.company_domain_list(p -> 'domains'));
  end if;
  if p ? 'custom' then
    for k, v in select * from jsonb_each(p -> 'custom') loop
      if v = 'null'::jsonb then new_custom := new_custom - k; else new_custom := new_custom || jsonb_build_object(k, v); end if;
    end loop;
  end if;
  update companies set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    industry = case when p ? 'industry' then nullif(btrim(p ->> 'industry'), '') else industry end,
    size = case when p ? 'size' then p ->> 'size' else size end,
    tags = case when p ? 'tags' then crm.tag_array(p -> 'tags') else tags end,
    custom = new_custom,
    owner_id = case when not p ? 'ownerEmail' then owner_id
                    when p ->> 'ownerEmail' is null then null
                    else crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') end,
    updated_at = now()
  where workspace_id = ws and id = co.id
  returning * into co;
  after := crm.account_json(co);
  if after - 'updatedAt' is distinct from before - 'updatedAt' then
    perform crm.audit(ws, me.id, src, 'company', co.id, 'update',
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key and key <> 'updatedAt'),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key and key <> 'updatedAt'));
  end if;
  return crm.account_card(co, me.id);
end
$$;

do $$
declare
  f text;
begin
  foreach f in array array[
    'crm.company_or_404(uuid, uuid)', 'crm.company_domain_list(jsonb)', 'crm.account_json(crm.companies)', 'crm.company_set_domains(crm.workspaces, uuid, text[])',
    'crm.company_timeline(uuid, uuid, uuid, jsonb, integer)', 'crm.account_card(crm.companies, uuid)',
    'api.company_get(jsonb, jsonb)', 'api.company_timeline(jsonb, jsonb)', 'api.companies_list(jsonb, jsonb)',
    'api.company_create(jsonb, jsonb)', 'api.company_update(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end
$$;
