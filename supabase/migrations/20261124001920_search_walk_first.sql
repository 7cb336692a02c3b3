-- Contact search answers a common pattern from a bounded walk in name order
-- before falling back to the full query (see the comment in the function). The
-- rest is unchanged from 20261124001700_segments.sql, which landed, so the whole
-- definition is repeated here.

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
  walked int;
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

  -- A search first walks the workspace's contacts in name order, at most 500
  -- of them, testing each one's name, addresses and company: a query that many
  -- contacts match (son, mar) is answered after a few hundred rows. The
  -- addresses are tested per row (bool_or), never as a set over every address
  -- matching the pattern, which for a common pattern meant reading ~50,000
  -- addresses of all workspaces through the trigram index (37 ms). Only when
  -- the walk does not fill the page does the full query below run (a rare
  -- pattern: the trigram indexes find its few rows quickly).
  if q is not null and not seg then
    with walk as materialized (
      select c.id, c.name_key, c.company_id, c.phone_digits
      from contacts c
      where c.workspace_id = ws
        and c.merged_into_id is null
        and (args ->> 'stage' is null or c.stage = args ->> 'stage')
        and (owner_filter is null or c.owner_id = owner_filter)
        and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
        and (ck is null or (c.name_key, c.id) > (ck, cid))
      order by c.name_key, c.id
      limit 500
    ), hit as (
      select w.id, w.name_key from walk w
      where w.name_key like pat
         or coalesce((select bool_or(lower(e.email) like pat) from contact_emails e
                      where e.workspace_id = ws and e.contact_id = w.id), false)
         or coalesce((select co.name_key like pat or co.domain like pat from companies co
                      where co.workspace_id = ws and co.id = w.company_id), false)
         or (digits is not null and w.phone_digits like '%' || digits || '%')
      -- no sort: the walk's rows come in name order, so the tests stop at the page's end
      limit lim + 1
    )
    select (select array_agg(h.id order by h.name_key, h.id) from hit h), (select count(*) from walk)
      into ids, walked;
    if coalesce(array_length(ids, 1), 0) <= lim and walked = 500 then
      ids := null;  -- not complete: the walk stopped before the page filled
    end if;
  end if;

  if ids is null then
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
  end if;

  select coalesce(jsonb_agg(crm.contact_json(c) order by u.ord), '[]'::jsonb) into items
  from unnest(ids[1:lim]) with ordinality u(id, ord)
  join contacts c on c.id = u.id and c.workspace_id = ws;

  return jsonb_build_object('items', items, 'nextCursor',
    case when coalesce(array_length(ids, 1), 0) > lim then
      (select jsonb_build_object('k', c.name_key, 'id', c.id) from contacts c where c.id = ids[lim])
    end);
end
$$;
