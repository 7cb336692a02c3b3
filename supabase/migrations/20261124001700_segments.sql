-- Saved segments (the team's numbers and incomplete records are in
-- 20261124001710_stats_tidy.sql).
--
-- A segment is a named filter shared by the workspace (names unique ignoring
-- case). Its filter is kept as the caller gave it and resolved at each read:
-- owner 'me' is whoever reads it, an owner or company that no longer matches
-- anything matches no contact. GET /api/contacts?segment= applies it inside
-- the same keyset query as q/stage/owner/tag, so paging is unchanged.
--   filter = {stage?, owner? ('me' | email), tag?, company? (id, name or domain),
--             lastInteractionBefore?, lastInteractionAfter?, hasOpenFollowUp?,
--             custom? {key: scalar | null (null: not set)}}
-- lastInteractionBefore also matches contacts never interacted with.

create table crm.segments (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  name text not null check (length(name) between 1 and 100 and name = btrim(name)),
  filter jsonb not null check (jsonb_typeof(filter) = 'object'),
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id)
);
create unique index segments_name_uq on crm.segments (workspace_id, lower(name));

alter table crm.segments enable row level security;
create policy workspace_isolation on crm.segments
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
revoke all on crm.segments from public, anon, authenticated;
grant select, insert, update, delete on crm.segments to service_role;

create or replace function crm.looks_like_uuid(s text) returns boolean
  language sql immutable
  set search_path = pg_catalog
as $$ select coalesce(s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false) $$;

-- A filter with its references looked up for reader me:
--   {stage, ownerSet, ownerId, tag, companyIds, before, after, open, custom, unset}
-- strict: an owner or company that matches nothing is a 400 (on create), not
-- an empty result (on read).
create or replace function crm.segment_resolve(ws uuid, me uuid, f jsonb, strict boolean default false) returns jsonb
  language plpgsql stable
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
        and ((crm.looks_like_uuid(ref) and co.id = ref::uuid) or co.name_key = crm.fold(ref) or co.domain = lower(ref)));
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

-- A segment of ws by id or by name (ignoring case), or a 404 naming it.
create or replace function crm.segment_find(ws uuid, ref text) returns crm.segments
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  s crm.segments;
begin
  if crm.looks_like_uuid(btrim(ref)) then
    select * into s from segments where workspace_id = ws and id = btrim(ref)::uuid;
  end if;
  if s.id is null then
    select * into s from segments where workspace_id = ws and lower(name) = lower(btrim(ref));
  end if;
  if s.id is null then
    perform crm.fail(404, 'segment_not_found', jsonb_build_object('segment', ref));
  end if;
  return s;
end
$$;

create or replace function crm.segment_json(s crm.segments, viewer crm.members) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('id', s.id, 'name', s.name, 'filter', s.filter,
    'createdBy', crm.member_brief(s.workspace_id, s.created_by), 'createdAt', s.created_at,
    'canDelete', s.created_by = viewer.id or viewer.role = 'admin')
$$;

-- args: {name, filter} (validated by the backend). 409 when the name is taken.
create or replace function api.segment_create(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  nm text := btrim(args ->> 'name');
  s crm.segments;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  perform crm.segment_resolve(ws, me.id, args -> 'filter', true);
  if exists (select 1 from segments where workspace_id = ws and lower(name) = lower(nm)) then
    perform crm.fail(409, 'segment_name_taken', jsonb_build_object('name', nm));
  end if;
  begin
    insert into segments (workspace_id, name, filter, created_by)
    values (ws, nm, args -> 'filter', me.id)
    returning * into s;
  exception when unique_violation then
    perform crm.fail(409, 'segment_name_taken', jsonb_build_object('name', nm));
  end;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'segment', s.id, 'create', null, crm.segment_json(s, me) - 'canDelete');
  return crm.segment_json(s, me);
end
$$;

create or replace function api.segments_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.segment_json(s, me) order by lower(s.name), s.id)
    from segments s where s.workspace_id = me.workspace_id), '[]'::jsonb));
end
$$;

-- args: {id}. Its creator or an admin only.
create or replace function api.segment_delete(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  s crm.segments;
begin
  select * into s from segments where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid for update;
  if s.id is null then
    perform crm.fail(404, 'segment_not_found', jsonb_build_object('segment', args ->> 'id'));
  end if;
  if me.id is null or (s.created_by is distinct from me.id and me.role <> 'admin') then
    perform crm.fail(403, 'segment_delete_forbidden', jsonb_build_object('name', s.name));
  end if;
  delete from segments where workspace_id = s.workspace_id and id = s.id;
  perform crm.audit(s.workspace_id, me.id, crm.ctx_source(ctx), 'segment', s.id, 'delete', crm.segment_json(s, me) - 'canDelete', null);
  return jsonb_build_object('deleted', true, 'id', s.id);
end
$$;

-- api.contacts_list of 20261124000600_api_contacts.sql, plus args.segment
-- (name or id): its filter is one more condition of the same keyset query.
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
  seg boolean := args ->> 'segment' is not null;
  r jsonb := '{}';
  s_owner uuid;
  s_companies uuid[];
  s_before timestamptz;
  s_after timestamptz;
  s_open boolean;
  s_custom jsonb;
  s_unset text[];
begin
  if args ->> 'owner' = 'me' then
    owner_filter := me.id;
  elsif args ->> 'owner' is not null then
    owner_filter := crm.member_by_email(ws, args ->> 'owner', 'owner');
  end if;
  if digits is not null and length(digits) < 3 then
    digits := null;
  end if;
  if seg then
    r := crm.segment_resolve(ws, me.id, (crm.segment_find(ws, args ->> 'segment')).filter);
    s_owner := (r ->> 'ownerId')::uuid;
    s_companies := case when jsonb_typeof(r -> 'companyIds') = 'array'
      then array(select x::uuid from jsonb_array_elements_text(r -> 'companyIds') x) end;
    s_before := (r ->> 'before')::timestamptz;
    s_after := (r ->> 'after')::timestamptz;
    s_open := (r ->> 'open')::boolean;
    s_custom := nullif(r -> 'custom', 'null'::jsonb);
    s_unset := case when jsonb_typeof(r -> 'unset') = 'array' then array(select jsonb_array_elements_text(r -> 'unset')) end;
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
      and (not seg or (
            (r ->> 'stage' is null or c.stage = r ->> 'stage')
        -- an owner that matches no member leaves s_owner null: nothing matches
        and (not (r ->> 'ownerSet')::boolean or c.owner_id = s_owner)
        and (r ->> 'tag' is null or c.tags @> array[r ->> 'tag'])
        and (s_companies is null or c.company_id = any (s_companies))
        and (s_before is null or c.last_interaction_at is null or c.last_interaction_at < s_before)
        and (s_after is null or c.last_interaction_at >= s_after)
        and (s_open is null or s_open = exists (
              select 1 from follow_ups f where f.workspace_id = ws and f.contact_id = c.id and f.status = 'open'))
        and (s_custom is null or c.custom @> s_custom)
        and (s_unset is null or not exists (
              select 1 from unnest(s_unset) k where coalesce(c.custom -> k, 'null'::jsonb) <> 'null'::jsonb))))
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

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
