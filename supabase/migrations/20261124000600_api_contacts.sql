-- The contact routes: list and search, create, look up by email, read with its
-- timeline, update (audited). One function per request, so each is atomic.
--
-- Search folds the query like the stored *_key columns (crm.fold), so
-- 'ＴＡＮＡＫＡ', 'tanaka' and 'Tanaka' meet, and '田中' finds '田中 太郎' with
-- or without the space. Pagination is keyset on (name_key, id): stable under
-- inserts, no OFFSET.

-- Tags as given, without repeats, in their first order.
--   crm.tag_array('["it","sso","it"]') = '{it,sso}'
create or replace function crm.tag_array(tags jsonb) returns text[]
  language sql immutable
  set search_path = pg_catalog
as $$
  select coalesce(array(
    select t from (
      select distinct on (btrim(t)) btrim(t) as t, n
      from jsonb_array_elements_text(coalesce(tags, '[]')) with ordinality x(t, n)
      order by btrim(t), n) d
    order by n), '{}')
$$;

-- The contacts with an address, or a 409 naming the contact that owns it.
create or replace function crm.claim_emails(ws uuid, cid uuid, emails text[]) returns void
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  e text;
  owner_contact uuid;
  i int := 0;
begin
  foreach e in array coalesce(emails, '{}') loop
    i := i + 1;
    select contact_id into owner_contact from contact_emails
      where workspace_id = ws and lower(email) = lower(btrim(e));
    if owner_contact is not null and owner_contact <> cid then
      perform crm.fail(409, 'email_taken', jsonb_build_object('email', btrim(e), 'contact', crm.contact_brief(ws, owner_contact)));
    elsif owner_contact is null then
      begin
        insert into contact_emails (workspace_id, contact_id, email, is_primary)
        values (ws, cid, btrim(e), i = 1 and not exists (select 1 from contact_emails where contact_id = cid));
      exception when unique_violation then
        -- another request took it between our check and our insert
        select contact_id into owner_contact from contact_emails
          where workspace_id = ws and lower(email) = lower(btrim(e));
        perform crm.fail(409, 'email_taken', jsonb_build_object('email', btrim(e), 'contact', crm.contact_brief(ws, owner_contact)));
      end;
    end if;
  end loop;
end
$$;

-- The company a contact should have: args.company {name?, domain?}, else the
-- domain of its first non-free-mail, non-internal address.
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
    select id into cid from companies where workspace_id = w.id and name_key = crm.fold(nm)
      order by domain nulls last, created_at limit 1;
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

create or replace function api.contacts_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, extensions, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  q text := nullif(crm.fold(args ->> 'q'), '');
  pat text := '%' || crm.like_escape(coalesce(q, '')) || '%';
  digits text := nullif(regexp_replace(coalesce(args ->> 'q', ''), '\D', '', 'g'), '');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 25), 1), 100);
  owner_filter uuid;
  ck text := args #>> '{cursor,k}';
  cid uuid := (args #>> '{cursor,id}')::uuid;
  ids uuid[];
  items jsonb;
begin
  if args ->> 'owner' = 'me' then
    owner_filter := me.id;
  elsif args ->> 'owner' is not null then
    owner_filter := crm.member_by_email(ws, args ->> 'owner', 'owner');
  end if;
  if digits is not null and length(digits) < 3 then
    digits := null;
  end if;

  select array_agg(s.id order by s.name_key, s.id) into ids
  from (
    select c.id, c.name_key
    from contacts c
    where c.workspace_id = ws
      and c.merged_into_id is null
      and (args ->> 'stage' is null or c.stage = args ->> 'stage')
      and (owner_filter is null or c.owner_id = owner_filter)
      and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
      and (ck is null or (c.name_key, c.id) > (ck, cid))
      and (q is null
        or c.name_key like pat
        or exists (select 1 from contact_emails e where e.workspace_id = ws and e.contact_id = c.id and lower(e.email) like pat)
        or exists (select 1 from companies co where co.workspace_id = ws and co.id = c.company_id
                   and (co.name_key like pat or co.domain like pat))
        or (digits is not null and c.phone_digits like '%' || digits || '%'))
    order by c.name_key, c.id
    limit lim + 1
  ) s;

  select coalesce(jsonb_agg(crm.contact_json(c) order by u.ord), '[]'::jsonb) into items
  from unnest(ids[1:lim]) with ordinality u(id, ord)
  join contacts c on c.id = u.id and c.workspace_id = ws;

  return jsonb_build_object('items', items, 'nextCursor',
    case when coalesce(array_length(ids, 1), 0) > lim then
      (select jsonb_build_object('k', c.name_key, 'id', c.id) from contacts c where c.id = ids[lim])
    end);
end
$$;

-- A contact of ws by id, following merges to the survivor; 404 otherwise.
create or replace function crm.contact_or_404(ws uuid, cid uuid) returns crm.contacts
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  c crm.contacts;
  hops int := 0;
begin
  select * into c from contacts where workspace_id = ws and id = cid;
  while found and c.merged_into_id is not null and hops < 10 loop
    hops := hops + 1;
    select * into c from contacts where workspace_id = ws and id = c.merged_into_id;
  end loop;
  if c.id is null then
    perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', cid));
  end if;
  return c;
end
$$;

create or replace function api.contact_create(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  src text := crm.ctx_source(ctx);
  emails text[] := array(select btrim(e) from jsonb_array_elements_text(coalesce(args -> 'emails', '[]')) e);
  owner uuid := me.id;
  c crm.contacts;
begin
  select * into w from workspaces where id = ws;
  if args ? 'ownerEmail' and args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  insert into contacts (workspace_id, name, title, phone, company_id, stage, owner_id, tags, custom, timezone, source, created_by)
  values (ws, btrim(args ->> 'name'), args ->> 'title', args ->> 'phone',
    crm.resolve_company(w, args -> 'company', emails, me.id, src),
    coalesce(args ->> 'stage', 'lead'), owner,
    crm.tag_array(args -> 'tags'),
    coalesce(args -> 'custom', '{}'), args ->> 'timezone', src, me.id)
  returning * into c;
  perform crm.claim_emails(ws, c.id, emails);
  perform crm.audit(ws, me.id, src, 'contact', c.id, 'create', null, crm.contact_json(c));
  return crm.contact_json(c);
end
$$;

create or replace function api.contact_lookup(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  cid uuid;
begin
  select contact_id into cid from contact_emails
    where workspace_id = me.workspace_id and lower(email) = lower(btrim(args ->> 'email'));
  if cid is null then
    perform crm.fail(404, 'contact_email_not_found', jsonb_build_object('email', args ->> 'email'));
  end if;
  return crm.contact_json(crm.contact_or_404(me.workspace_id, cid));
end
$$;

-- One page of a contact's timeline, newest first: interactions it took part in
-- (private ones only for their author and the author's managers), follow-ups,
-- and changes to the contact. The cursor is the (at, key) of the last entry.
create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  entries jsonb;
  n int;
begin
  with i as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, 'i:' || i.id as key,
      jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', crm.interaction_json(i)) as entry
    from (
      select distinct p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where crm.can_see(ws, viewer, i.visibility, i.author_id)
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key,
      jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json(f)) as entry
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key,
      jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', a.after)) as entry
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (select * from i union all select * from f union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  )
  select jsonb_agg(jsonb_build_object('at', at, 'key', key, 'entry', entry) order by at desc, key desc), count(*)
    into entries, n
  from page;

  if coalesce(n, 0) > lim then
    return jsonb_build_object(
      'items', (select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o) where o <= lim),
      'nextCursor', jsonb_build_object('at', entries -> (lim - 1) -> 'at', 'key', entries -> (lim - 1) ->> 'key'));
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o)), '[]'::jsonb),
    'nextCursor', null);
end
$$;

create or replace function api.contact_get(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  c crm.contacts := crm.contact_or_404(me.workspace_id, (args ->> 'id')::uuid);
begin
  return crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json(f) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', crm.timeline(c.workspace_id, me.id, c.id, null, 10) -> 'items');
end
$$;

create or replace function api.contact_timeline(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  c crm.contacts := crm.contact_or_404(me.workspace_id, (args ->> 'id')::uuid);
begin
  return crm.timeline(c.workspace_id, me.id, c.id, args -> 'cursor',
    least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200));
end
$$;

-- Partial update. Absent keys are left alone; null clears a clearable field.
-- custom is merged key by key (a null value removes the key); emails, when
-- given, is the full new list.
create or replace function api.contact_update(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'id')::uuid);
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb := crm.contact_json(c);
  after jsonb;
  emails text[];
  k text;
  v jsonb;
  new_custom jsonb;
begin
  select * into w from workspaces where id = ws;
  if p ? 'emails' then
    emails := array(select btrim(e) from jsonb_array_elements_text(p -> 'emails') e);
    delete from contact_emails where workspace_id = ws and contact_id = c.id
      and lower(email) <> all (array(select lower(e) from unnest(emails) e));
    update contact_emails set is_primary = (lower(email) = lower(emails[1]))
      where workspace_id = ws and contact_id = c.id;
    perform crm.claim_emails(ws, c.id, emails);
    update contact_emails set is_primary = (lower(email) = lower(emails[1]))
      where workspace_id = ws and contact_id = c.id;
  end if;
  new_custom := c.custom;
  if p ? 'custom' then
    for k, v in select * from jsonb_each(p -> 'custom') loop
      if v = 'null'::jsonb then new_custom := new_custom - k; else new_custom := new_custom || jsonb_build_object(k, v); end if;
    end loop;
  end if;
  update contacts set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    title = case when p ? 'title' then p ->> 'title' else title end,
    phone = case when p ? 'phone' then p ->> 'phone' else phone end,
    stage = case when p ? 'stage' then p ->> 'stage' else stage end,
    timezone = case when p ? 'timezone' then p ->> 'timezone' else timezone end,
    tags = case when p ? 'tags' then crm.tag_array(p -> 'tags') else tags end,
    custom = new_custom,
    owner_id = case when not p ? 'ownerEmail' then owner_id
                    when p ->> 'ownerEmail' is null then null
                    else crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') end,
    company_id = case when not p ? 'company' then company_id
                      when jsonb_typeof(p -> 'company') = 'null' then null
                      else crm.resolve_company(w, p -> 'company', '{}', me.id, src) end,
    updated_at = now()
  where id = c.id and workspace_id = ws
  returning * into c;
  after := crm.contact_json(c);
  if after - 'updatedAt' is distinct from before - 'updatedAt' then
    perform crm.audit(ws, me.id, src, 'contact', c.id, 'update',
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key and key <> 'updatedAt'),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key and key <> 'updatedAt'));
  end if;
  return after;
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
