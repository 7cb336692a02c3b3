-- Search reads each kind of match in name order, and a CJK search no longer
-- reads every contact of the workspace.
--
-- Measured at scale 1 (npm run bench's data: the measured workspace's 100,000
-- contacts in 1,000,000), 2,000 searches from two clients, SQL only, on one
-- loaded database, before -> after:
--   3-5 letters of a Latin name: p50 17.4 -> 13.4 ms, p95 32.4 -> 28.3 ms;
--   CJK surnames and readings:   p50 12.3 -> 7.6 ms,  p95 26.5 -> 14.0 ms.
-- Same pages, same cursors for 1,200 Latin and 1,030 CJK searches.
--
-- What was slow:
--   - a Latin search walked its first 500 contacts (each one's addresses
--     looked up) and 30,000 names before it read the matches from the
--     indexes; a name piece matches a first name, and a first name's
--     contacts sit together in name order (every Jennifer between the 24,000th
--     and the 26,000th), so both walks mostly found nothing;
--   - then every address that matched (6,000 for "ber") was looked up in
--     contacts, one at a time, for its name to sort it;
--   - a CJK search's plan checked the workspace by reading all 100,000 of its
--     contacts through contacts_owner_idx (12 ms) beside the grams index.
--
-- Now:
--   - an address carries its contact's name_key and its own lower case
--     (email_key), kept by the triggers below, so the addresses that match
--     come sorted from their own rows, or in name order from
--     contact_emails_search_idx;
--   - a company's contacts come in name order from contacts_company_name_idx,
--     which replaces contacts_company_idx (its leading columns);
--   - api.contacts_list reads the names through the trigram index (fewer than
--     6,000) or walks them (more), then the addresses up to the page's bound,
--     the companies, readings and phones: see the function.

alter table crm.contact_emails add column name_key text, add column email_key text;

update crm.contact_emails e set name_key = c.name_key, email_key = lower(e.email)
from crm.contacts c
where c.workspace_id = e.workspace_id and c.id = e.contact_id;

-- an address takes its contact's name_key when it is added or moved (a merge
-- or its undo), and its lower case when it is written
create or replace function crm.contact_emails_keys() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  new.email_key := lower(new.email);
  new.name_key := (select c.name_key from contacts c where c.workspace_id = new.workspace_id and c.id = new.contact_id);
  return new;
end
$$;

create trigger contact_emails_keys before insert or update of email, contact_id, workspace_id on crm.contact_emails
  for each row execute function crm.contact_emails_keys();

-- and follows its contact's name when the name changes
create or replace function crm.contacts_emails_name_key() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  update contact_emails e set name_key = new.name_key
  where e.workspace_id = new.workspace_id and e.contact_id = new.id;
  return null;
end
$$;

create trigger contacts_emails_name_key after update of name on crm.contacts
  for each row when (old.name_key is distinct from new.name_key)
  execute function crm.contacts_emails_name_key();

revoke execute on function crm.contact_emails_keys() from public;
revoke execute on function crm.contacts_emails_name_key() from public;
grant execute on function crm.contact_emails_keys() to service_role;
grant execute on function crm.contacts_emails_name_key() to service_role;

create index contact_emails_search_idx on crm.contact_emails (workspace_id, name_key, contact_id) include (email_key);

create index contacts_company_name_idx on crm.contacts (workspace_id, company_id, name_key, id);
drop index crm.contacts_company_idx;

create or replace function api.contacts_list(ctx jsonb, args jsonb)
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
  cjk boolean := crm.has_cjk(q);
  -- the query as a reading is matched: katakana as hiragana (crm.reading_key)
  rpat text := '%' || crm.like_escape(coalesce(crm.kana_fold(args ->> 'q'), '')) || '%';
  qk text := crm.kana_fold(args ->> 'q');
  -- a reader of Japanese or Chinese lists by reading (sort_key);
  -- a search answers in name order for everyone
  by_reading boolean := me.locale in ('ja', 'zh') and q is null;
  -- a Latin search's walks: at most kmax matches of each kind, the page's bound
  -- (every match up to it is known), the matches found
  kmax int;
  n int;
  bounded boolean := false;
  unknown boolean := false;
  b_key text;
  b_id uuid;
  c_ids uuid[];
  c_keys text[];
  s_ids uuid[];
  s_keys text[];
  t_key text;
  t_id uuid;
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

  -- A Latin search finds each kind of match on its own and stops at the page:
  -- the names, the addresses (each carries its contact's name_key), the
  -- contacts of the companies that match (contacts_company_name_idx, in name
  -- order), the readings and the phone numbers. A kind gives every match after
  -- the cursor, or its first kmax in name order; the kmax-th bounds the page
  -- (b_key, b_id), since every match of every kind up to the lowest such bound
  -- is then known. Nothing is looked up one match at a time: the names' and
  -- addresses' sort keys come with their rows.
  if q is not null and not seg and not cjk then
    kmax := case when args ->> 'stage' is null and owner_filter is null and args ->> 'tag' is null
              then 2 * (lim + 1) else 200 end;
    -- names: every match through the trigram index when there are fewer than
    -- 6,000 (its heap rows are read in their own order, so a limit stops it),
    -- or else a walk in name order, in which so common a piece is soon found
    if length(q) >= 3 then
      select coalesce(array_agg(x.id order by x.name_key, x.id), '{}'), coalesce(array_agg(x.name_key order by x.name_key, x.id), '{}')
        into c_ids, c_keys
      from (select c.id, c.name_key from contacts c
            where c.workspace_id = ws and c.merged_into_id is null and c.name_key like pat
              and (ck is null or (c.name_key, c.id) > (ck, cid))
            limit 6000) x;
      n := coalesce(array_length(c_ids, 1), 0);
    end if;
    if length(q) < 3 or n = 6000 then
      select coalesce(array_agg(w.id order by w.name_key, w.id), '{}'), coalesce(array_agg(w.name_key order by w.name_key, w.id), '{}')
        into c_ids, c_keys
      from (
        select w.id, w.name_key from (
          select c.id, c.name_key from contacts c
          where c.workspace_id = ws and (ck is null or (c.name_key, c.id) > (ck, cid))
          order by c.name_key, c.id
          limit 100000) w
        where w.name_key like pat
        order by w.name_key, w.id
        limit kmax) w;
      -- fewer than kmax in 100,000 names: the names are known up to the last one found
      n := coalesce(array_length(c_ids, 1), 0);
      bounded := true;
      b_key := c_keys[n];
      b_id := c_ids[n];
      unknown := n = 0;
    elsif n >= kmax then
      bounded := true;
      b_key := c_keys[kmax];
      b_id := c_ids[kmax];
    end if;

    if not unknown then
      -- addresses: a walk in name order up to the bound, at most 5,000 of them;
      -- or every match through the trigram index
      n := 0;
      if bounded then
        select count(*),
               coalesce(array_agg(w.contact_id order by w.name_key, w.contact_id) filter (where w.hit), '{}'),
               coalesce(array_agg(w.name_key order by w.name_key, w.contact_id) filter (where w.hit), '{}')
          into n, s_ids, s_keys
        from (
          select e.contact_id, e.name_key, e.email_key like pat as hit from contact_emails e
          where e.workspace_id = ws and (ck is null or (e.name_key, e.contact_id) > (ck, cid))
            and (e.name_key, e.contact_id) <= (b_key, b_id)
          order by e.name_key, e.contact_id
          limit 5000) w;
      end if;
      if not bounded or n = 5000 then
        select coalesce(array_agg(e.contact_id), '{}'), coalesce(array_agg(e.name_key), '{}') into s_ids, s_keys
        from contact_emails e
        where e.workspace_id = ws and lower(e.email) like pat and (ck is null or (e.name_key, e.contact_id) > (ck, cid));
      end if;
      c_ids := c_ids || s_ids;
      c_keys := c_keys || s_keys;
    end if;

    if not unknown then
      -- the companies that match, each one's contacts in name order; the
      -- readings (most are of CJK names, which sort after every Latin one); phones
      with hit as (
        select 'company' as kind, x.* from (
          select m.id, m.name_key from companies co
          cross join lateral (
            select m.id, m.name_key from contacts m
            where m.workspace_id = ws and m.company_id = co.id
              and (ck is null or (m.name_key, m.id) > (ck, cid))
              and (not bounded or (m.name_key, m.id) <= (b_key, b_id))
            order by m.name_key, m.id
            limit kmax) m
          where co.workspace_id = ws and (co.name_key like pat or co.domain like pat)
          order by m.name_key, m.id
          limit kmax) x
        union all
        select 'reading', x.* from (
          select r.id, r.name_key from contacts r
          where r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
            and r.reading_key like rpat
            and (ck is null or (r.name_key, r.id) > (ck, cid))
            and (not bounded or r.name_key <= b_key)
          order by r.name_key, r.id
          limit kmax) x
        union all
        select 'phone', x.* from (
          select p.id, p.name_key from contacts p
          where digits is not null and p.workspace_id = ws and p.phone_digits like '%' || digits || '%'
            and (ck is null or (p.name_key, p.id) > (ck, cid))
            and (not bounded or (p.name_key, p.id) <= (b_key, b_id))
          order by p.name_key, p.id
          limit kmax) x
      ), kth as (
        -- each kind that gave kmax matches: its kmax-th
        select (array_agg(h.name_key order by h.name_key, h.id))[kmax] as k,
               (array_agg(h.id order by h.name_key, h.id))[kmax] as id
        from hit h group by h.kind
      )
      select coalesce(array_agg(h.id), '{}'), coalesce(array_agg(h.name_key), '{}'),
             (select t.k from kth t where t.k is not null order by t.k, t.id limit 1),
             (select t.id from kth t where t.k is not null order by t.k, t.id limit 1)
        into s_ids, s_keys, t_key, t_id
      from hit h;
      c_ids := c_ids || s_ids;
      c_keys := c_keys || s_keys;
      -- the lowest of them bounds the page, if it is below the bound so far
      if t_key is not null and (not bounded or (t_key, t_id) < (b_key, b_id)) then
        bounded := true;
        b_key := t_key;
        b_id := t_id;
      end if;

      -- the page: every match up to the bound, in name order, each checked against the filters
      select array_agg(s.id order by s.name_key, s.id) into ids
      from (
        select c.id, c.name_key
        from (select distinct on (u.id) u.id, u.k from unnest(c_ids, c_keys) u(id, k)
              where not bounded or (u.k, u.id) <= (b_key, b_id)) u
        join contacts c on c.workspace_id = ws and c.id = u.id
        where c.merged_into_id is null
          and (args ->> 'stage' is null or c.stage = args ->> 'stage')
          and (owner_filter is null or c.owner_id = owner_filter)
          and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
        order by c.name_key, c.id
        limit lim + 1
      ) s;
      ids := coalesce(ids, '{}'::uuid[]);
      -- not a full page before the bound (filters, merges, or matches far apart): the query below
      if bounded and array_length(ids, 1) is distinct from lim + 1 then
        ids := null;
      end if;
    end if;
  end if;

  -- A CJK search, or a Latin one the walks above did not answer: every match
  -- from the indexes, each scoped to the workspace (names through the CJK grams
  -- or the per-workspace trigram index, addresses through theirs, the
  -- workspace's companies, readings, phone digits), then the page in name order.
  if q is not null and not seg and ids is null and (cjk or length(q) >= 3) then
    with nm as materialized (
      select n.id, n.name_key from contacts n
      where not cjk and n.workspace_id = ws and n.name_key like pat
      union all
      -- (the grams hold the workspace; "is true" keeps the planner from also
      -- reading every contact of the workspace, or every name with the piece,
      -- through another index to check it)
      select n.id, n.name_key from contacts n
      where cjk and (n.workspace_id = ws) is true and n.merged_into_id is null
        and crm.cjk_grams(n.workspace_id, n.name_key) @> crm.cjk_query_grams(ws, q)
        and (n.name_key like pat) is true
    ), other as (
      select e.contact_id as id, e.name_key from contact_emails e
      where not cjk and e.workspace_id = ws and lower(e.email) like pat
      union
      select e.contact_id, e.name_key from contact_emails e
      where cjk and e.workspace_id = ws and e.email ~ '[^[:ascii:]]' and lower(e.email) like pat
      union
      select m.id, m.name_key from companies co join contacts m on m.workspace_id = ws and m.company_id = co.id
      where co.workspace_id = ws and (co.name_key like pat or co.domain like pat)
      union
      select r.id, r.name_key from contacts r
      where not cjk and r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
        and r.reading_key like rpat
      union
      select r.id, r.name_key from contacts r
      where cjk and (r.workspace_id = ws) is true and r.reading_key is not null and r.merged_into_id is null
        and crm.cjk_grams(r.workspace_id, r.reading_key) @> crm.cjk_query_grams(ws, qk)
        and (r.reading_key like rpat) is true
      union
      select p.id, p.name_key from contacts p
      where digits is not null and p.workspace_id = ws and p.phone_digits like '%' || digits || '%'
    ), cand as (
      select distinct on (x.id) x.id, x.name_key
      from (select id, name_key from nm union all select id, name_key from other) x
      where ck is null or (x.name_key, x.id) > (ck, cid)
    )
    select array_agg(k.id order by k.name_key, k.id) into ids from cand k;
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

revoke execute on function api.contacts_list(ctx jsonb, args jsonb) from public;
grant execute on function api.contacts_list(ctx jsonb, args jsonb) to service_role;
