-- Contact search, made fast for the queries people type most:
-- * a common pattern is answered from a bounded walk in name order before the
--   full query runs (see the comment in the function);
-- * a rarer Latin pattern is answered from the trigram indexes (per workspace
--   where the server offers btree_gin, see below), taking names with their sort
--   key from the index and looking up only the contacts that match by address,
--   company or phone;
-- * a Japanese or Chinese query (one or two characters, 田中, 王) finds its
--   names through crm.cjk_grams, an index of each name's CJK characters and
--   character pairs, prefixed with the workspace so that a posting list holds
--   one workspace's names only. pg_trgm cannot serve these: a two-character
--   query has no trigram, so the old query walked every contact of the
--   workspace (CJK names sort last), ~100 ms at 100,000 contacts.
-- The rest of api.contacts_list is unchanged from 20261124001700_segments.sql,
-- which landed, so the whole definition is repeated here.

-- crm.cjk_grams('3b9d9e66-…', 'tanaka田中') = {'3b9d9e66:中', '3b9d9e66:田', '3b9d9e66:a田', '3b9d9e66:田中'}
-- (a name without CJK characters has none, so Latin names cost the index nothing)
create or replace function crm.cjk_grams(ws uuid, k text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  select case when not crm.has_cjk(k) then '{}'::text[] else coalesce((
    select array_agg(distinct left(ws::text, 8) || ':' || g)
    from (
      select substr(k, i, 1) as g from generate_series(1, length(k)) i
      union all
      select substr(k, i, 2) from generate_series(1, length(k) - 1) i
    ) x
    where crm.has_cjk(g)), '{}'::text[]) end
$$;

-- What a query must find in a name's grams: its one character, or each of its
-- character pairs that has a CJK character.
--   crm.cjk_query_grams(ws, '田中') = {'3b9d9e66:田中'}; crm.cjk_query_grams(ws, '王') = {'3b9d9e66:王'}
create or replace function crm.cjk_query_grams(ws uuid, q text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  select case when length(q) = 1 then array[left(ws::text, 8) || ':' || q]
    else coalesce((select array_agg(distinct left(ws::text, 8) || ':' || substr(q, i, 2))
                   from generate_series(1, length(q) - 1) i where crm.has_cjk(substr(q, i, 2))), '{}'::text[]) end
$$;

-- On a server that offers btree_gin (PostgreSQL, Supabase), the trigram
-- indexes lead with the workspace, so that a pattern common in other workspaces
-- does not fill the scan with their rows: the global ones made a search for
-- 'zoe' read every workspace's Zoës (~25,000 rows at 1,000,000 contacts) to
-- keep the few hundred of one workspace. Measured at 1,000,000 contacts
-- (npm run bench, search-latin): p95 57 ms with the global indexes, 35 ms with
-- these.
-- The embedded database (PGlite) does not load btree_gin and keeps the global
-- ones: btree_gin loaded into PGlite breaks pg_trgm's % operator there (the
-- duplicate finder's similarity test returns no row and PGlite then answers
-- nothing). Both shapes answer the same query; test/backend/search-paths.test.ts
-- holds both to the plain definition.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'btree_gin') then
    create extension if not exists btree_gin with schema extensions;
    create index contacts_ws_name_trgm on crm.contacts using gin (workspace_id, name_key extensions.gin_trgm_ops);
    create index contact_emails_ws_trgm on crm.contact_emails using gin (workspace_id, lower(email) extensions.gin_trgm_ops);
    drop index crm.contacts_name_trgm;
    drop index crm.contact_emails_trgm;
  end if;
end
$$;

create index contacts_cjk_grams on crm.contacts using gin (crm.cjk_grams(workspace_id, name_key))
  where merged_into_id is null;
-- the few addresses a CJK query can match at all
create index contact_emails_non_ascii on crm.contact_emails (workspace_id)
  where email ~ '[^[:ascii:]]';

revoke execute on function crm.cjk_grams(uuid, text), crm.cjk_query_grams(uuid, text) from public;
grant execute on function crm.cjk_grams(uuid, text), crm.cjk_query_grams(uuid, text) to service_role;

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
  cjk boolean := crm.has_cjk(q);
  n_ids uuid[];
  n_keys text[];
  every boolean;
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
    -- (a CJK query skips the walk: CJK names sort after every Latin one)
    if not cjk then
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
    -- not answered by the walk (a rarer pattern), or a CJK query: the
    -- candidates from the indexes, each scoped to the workspace (names through
    -- the CJK grams or the per-workspace trigram index, addresses through theirs,
    -- the workspace's companies, phone digits), then the page in name order
    if ids is null and (cjk or length(q) >= 3) then
      -- A Latin pattern's name matches in name order, straight from
      -- contacts_list_idx (an index-only scan, ~0.15 µs a row): when 200 of the
      -- 30,000 contacts after the cursor match by name, they are every name
      -- match up to the 200th, and the page is taken from them and the other
      -- matches that sort before it. A pattern that 6 % of 100,000 contacts
      -- match (oma, lia) no longer reads every match's sort key from the heap.
      if not cjk then
        select array_agg(s.id order by s.name_key, s.id), array_agg(s.name_key order by s.name_key, s.id)
          into n_ids, n_keys
        from (
          select w.id, w.name_key from (
            select c.id, c.name_key from contacts c
            where c.workspace_id = ws and (ck is null or (c.name_key, c.id) > (ck, cid))
            order by c.name_key, c.id
            limit 30000) w
          where w.name_key like pat
          order by w.name_key, w.id
          limit 200) s;
      end if;
      every := coalesce(array_length(n_ids, 1), 0) < 200;
      -- Otherwise (a rarer pattern, one whose names come late, or a CJK query):
      -- the candidates from the indexes, each scoped to the workspace (names
      -- through the CJK grams or the trigram index, addresses through theirs,
      -- the workspace's companies, phone digits), then the page in name order.
      -- The loop runs a second time, with every match, when filters or merges
      -- left fewer than a page of the 200.
      loop
        -- names that match, with their sort key straight from an index; then the
        -- contacts that match only by an address, a company or a phone (few: an
        -- address usually holds the name), looked up for their sort key
        with nm as materialized (
          select u.id, u.k as name_key from unnest(n_ids, n_keys) u(id, k)
          where not every
          union all
          select n.id, n.name_key from contacts n
          where every and not cjk and n.workspace_id = ws and n.name_key like pat
          union all
          select n.id, n.name_key from contacts n
          where every and cjk and n.workspace_id = ws and n.merged_into_id is null
            and crm.cjk_grams(n.workspace_id, n.name_key) @> crm.cjk_query_grams(ws, q)
            and n.name_key like pat
        ), other as (
          select e.contact_id as id from contact_emails e
          where not cjk and e.workspace_id = ws and lower(e.email) like pat
          union
          select e.contact_id from contact_emails e
          where cjk and e.workspace_id = ws and e.email ~ '[^[:ascii:]]' and lower(e.email) like pat
          union
          select m.id from companies co join contacts m on m.workspace_id = ws and m.company_id = co.id
          where co.workspace_id = ws and (co.name_key like pat or co.domain like pat)
          union
          select p.id from contacts p
          where digits is not null and p.workspace_id = ws and p.phone_digits like '%' || digits || '%'
        ), cand as (
          select id, name_key from nm
          union
          select c.id, c.name_key from contacts c
          where c.workspace_id = ws and c.id in (select o.id from other o where not exists (select 1 from nm where nm.id = o.id))
            and (every or (c.name_key, c.id) <= (n_keys[200], n_ids[200]))
        )
        select array_agg(k.id order by k.name_key, k.id) into ids
        from cand k
        where ck is null or (k.name_key, k.id) > (ck, cid);
        -- the page: the candidates in name order, each checked against the filters, until it is full
        select array_agg(s.id order by s.o) into ids
        from (
          select c.id, u.o
          from unnest(ids) with ordinality u(id, o)
          join contacts c on c.workspace_id = ws and c.id = u.id
          where c.merged_into_id is null
            and (args ->> 'stage' is null or c.stage = args ->> 'stage')
            and (owner_filter is null or c.owner_id = owner_filter)
            and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
          order by u.o
          limit lim + 1
        ) s;
        ids := coalesce(ids, '{}'::uuid[]);
        exit when every or array_length(ids, 1) > lim;
        every := true;
      end loop;
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
