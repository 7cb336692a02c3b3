-- Readings, part 2 (issue 21): search finds by reading, and lists sort by it.
-- A search (contacts, companies, and through them /crm, the add-on and the
-- web search) also matches crm.reading_key (kana, romaji, pinyin; the query's
-- katakana folded to hiragana): in the walk over the first names, through the
-- readings' own trigram and CJK-gram indexes, and in the plain query. Its
-- answer stays in name order for everyone.
-- A list without a query, for a reader whose locale is ja or zh, is in
-- sort_key order (see 20261207002000_reading_keys.sql: a contact
-- without a reading sorts by its folded name among the readings), read from
-- contacts_reading_order_idx / companies_reading_order_idx; its cursor says so
-- ('o': 'r'), and a cursor of the other order goes on from its contact's place.

CREATE OR REPLACE FUNCTION api.contacts_list(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'extensions', 'pg_catalog'
AS $function$
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
  -- the query as a reading is matched: katakana as hiragana (crm.reading_key)
  rpat text := '%' || crm.like_escape(coalesce(crm.kana_fold(args ->> 'q'), '')) || '%';
  qk text := crm.kana_fold(args ->> 'q');
  -- a reader of Japanese or Chinese lists by reading (sort_key);
  -- a search answers in name order for everyone
  by_reading boolean := me.locale in ('ja', 'zh') and q is null;
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
    owner_filter := crm.member_in_filter(ws, args ->> 'owner', 'owner');
  end if;
  -- a cursor made in the other order (the reader changed language between
  -- pages) goes on from its contact's place in this order
  if ck is not null and coalesce(args #>> '{cursor,o}' = 'r', false) <> by_reading then
    ck := (select case when by_reading then c.sort_key else c.name_key end
           from contacts c where c.workspace_id = ws and c.id = cid);
    cid := case when ck is not null then cid end;
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
      select c.id, c.name_key, c.company_id, c.phone_digits, c.reading_key
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
         or w.reading_key like rpat
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
          -- readings: the few contacts that have one, through their own indexes;
          -- for a page bounded by the 200th name match, only when a contact
          -- with a reading sorts before it (most readings are of CJK names,
          -- after every Latin one: a piece common in pinyin, such as ang, read
          -- each reading it matched from the heap only to drop it)
          select r.id from contacts r
          where not cjk and r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
            and r.reading_key like rpat
            and (every or exists (select 1 from contacts x where x.workspace_id = ws and x.reading_key is not null
                                  and x.merged_into_id is null and x.name_key <= n_keys[200]))
          union
          select r.id from contacts r
          where cjk and r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
            and crm.cjk_grams(r.workspace_id, r.reading_key) @> crm.cjk_query_grams(ws, qk)
            and r.reading_key like rpat
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
  -- in name order, or for a reader of Japanese or Chinese in reading order:
  -- each from its own index (only one of the two branches runs)
  select array_agg(s.id order by s.k, s.id) into ids
  from (
    select c.id, c.k
    from (
      select c0.*, c0.name_key as k from contacts c0
      where not by_reading and c0.workspace_id = ws and c0.merged_into_id is null
        and (ck is null or (c0.name_key, c0.id) > (ck, cid))
      union all
      select c0.*, c0.sort_key as k from contacts c0
      where by_reading and c0.workspace_id = ws and c0.merged_into_id is null
        and (ck is null or (c0.sort_key, c0.id) > (ck, cid))
    ) c
    where (args ->> 'stage' is null or c.stage = args ->> 'stage')
      and (owner_filter is null or c.owner_id = owner_filter)
      and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
      and (q is null
        or c.name_key like pat
        or c.reading_key like rpat
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
    order by c.k, c.id
    limit lim + 1
  ) s;
  end if;

  select coalesce(jsonb_agg(crm.contact_json(c) order by u.ord), '[]'::jsonb) into items
  from unnest(ids[1:lim]) with ordinality u(id, ord)
  join contacts c on c.id = u.id and c.workspace_id = ws;

  return jsonb_build_object('items', items, 'nextCursor',
    case when coalesce(array_length(ids, 1), 0) > lim then
      (select case when by_reading
                then jsonb_build_object('k', c.sort_key, 'id', c.id, 'o', 'r')
                else jsonb_build_object('k', c.name_key, 'id', c.id) end
       from contacts c where c.id = ids[lim])
    end);
end
$function$;

CREATE OR REPLACE FUNCTION api.companies_list(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'extensions', 'pg_catalog'
AS $function$
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
  rpat text := '%' || crm.like_escape(coalesce(crm.kana_fold(args ->> 'q'), '')) || '%';
  qk text := crm.kana_fold(args ->> 'q');
  by_reading boolean := me.locale in ('ja', 'zh') and q is null;
  rows crm.companies[];
begin
  if ck is not null and coalesce(args #>> '{cursor,o}' = 'r', false) <> by_reading then
    ck := (select case when by_reading then x.sort_key else x.name_key end
           from companies x where x.workspace_id = ws and x.id = cid);
    cid := case when ck is not null then cid end;
  end if;
  if by_reading then
    -- a reader of Japanese or Chinese lists by reading (sort_key)
    rows := array(
      select co from companies co
      where co.workspace_id = ws and co.merged_into_id is null
        and (ck is null or (co.sort_key, co.id) > (ck, cid))
      order by co.sort_key, co.id
      limit lim + 1);
  elsif q is not null and cjk then
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
          select x.id from companies x
          where x.workspace_id = ws and x.reading_key is not null and x.merged_into_id is null
            and crm.cjk_grams(x.workspace_id, x.reading_key) @> crm.cjk_query_grams(ws, qk)
            and x.reading_key like rpat
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
          select x.id from companies x
          where x.workspace_id = ws and x.reading_key is not null and x.merged_into_id is null
            and x.reading_key like rpat
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
          or co.reading_key like rpat
          or exists (select 1 from company_domains d where d.workspace_id = ws and d.company_id = co.id and d.domain like pat))
      order by co.name_key, co.id
      limit lim + 1);
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(crm.account_json(rows[i]) order by i)
                       from generate_series(1, least(coalesce(cardinality(rows), 0), lim)) i), '[]'::jsonb),
    'nextCursor', case when coalesce(cardinality(rows), 0) > lim then
      case when by_reading
        then jsonb_build_object('k', (rows[lim]).sort_key, 'id', (rows[lim]).id, 'o', 'r')
        else jsonb_build_object('k', (rows[lim]).name_key, 'id', (rows[lim]).id) end end);
end
$function$;

CREATE OR REPLACE FUNCTION api.web_search(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  q text := nullif(btrim(args ->> 'q'), '');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 25);
  found jsonb;
  companies jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if q is null then
    return jsonb_build_object('q', '', 'contacts', '[]'::jsonb, 'companies', '[]'::jsonb);
  end if;
  found := api.contacts_list(ctx, jsonb_build_object('q', q, 'limit', lim)) -> 'items';
  companies := api.companies_list(ctx, jsonb_build_object('q', q, 'limit', lim)) -> 'items';
  return jsonb_build_object(
    'q', q,
    'contacts', coalesce((select jsonb_agg(jsonb_build_object(
        'id', c ->> 'id', 'name', c ->> 'name', 'reading', c -> 'reading', 'title', c -> 'title',
        'email', c #> '{emails,0}', 'company', c #> '{company,name}') order by o)
      from jsonb_array_elements(found) with ordinality x(c, o)), '[]'::jsonb),
    'companies', coalesce((select jsonb_agg(jsonb_build_object(
        'id', co ->> 'id', 'name', co ->> 'name', 'reading', co -> 'reading', 'domain', co -> 'domain') order by o)
      from jsonb_array_elements(companies) with ordinality x(co, o)), '[]'::jsonb));
end
$function$;
