-- A Latin search reads an address only where its letters say more than its
-- contact's name.
--
-- A search of letters only ("nife", "ber") matches an address in one run of
-- its letters: in the domain, or in the local part. The local part mostly
-- repeats the name (jennifer.smith@ for Jennifer Smith): a piece of such a run
-- is a piece of the name, and the name's own search finds that contact. So an
-- address now carries
--   - domain_key: the part after the @, lower case;
--   - local_rest: the local part's runs of a-z that are not inside its
--     contact's name_key, separated by spaces (null when there are none:
--     "jsmith" for John Smith is kept, "j" and "smith" of "j.smith" are not);
-- and each workspace lists the domains of its addresses (crm.email_domains).
-- api.contacts_list then finds a letters-only piece's addresses from the few
-- local parts that say more than a name (local_rest, through its trigram
-- index) and from the domains that match, each domain's addresses in name
-- order (contact_emails_domain_idx), as it walks a company's contacts. It no
-- longer reads every address that matches (8,590 for "cha" at scale 1,
-- 22.7 ms, most of them because the name matched anyway).
--
-- A search with any other character (a dot, an @, a digit) reads the
-- addresses as before.
--
-- The names: a walk of at most 10,000 names in name order now comes first, and
-- the trigram index only after it; a common piece ("cha": 6,000 matches) cost
-- 25 ms through the trigram index before the walk found its page in 1.8 ms.
-- What the trigram index gives is sorted only for the page's first matches,
-- and each kind of match stops at a page's worth (kmax = lim + 1, not twice
-- that) when no filter applies. A company's name and domain are read through
-- one trigram index (companies_search_trgm) instead of every company of the
-- workspace. crm.contact_json reads a contact's company and owner itself
-- rather than through crm.company_json and crm.member_brief (25 contacts:
-- ~0.8 ms less).
--
-- Measured at scale 1 (npm run bench's data: the measured workspace's 100,000
-- contacts among 1,000,000), 2,000 searches of 3-5 letters of Latin names from
-- two clients, SQL only, on one loaded database: p50 19.7 -> 8.4 ms, p95
-- 40.8 -> 20.2-21.3 ms (three runs). CJK searches: p95 18.2-18.6 ms.

alter table crm.contact_emails add column domain_key text, add column local_rest text;

-- the runs of a-z in an address's local part that are not inside the name,
-- space-separated; null when every run is inside it (or there is none)
create function crm.email_local_rest(email_key text, name_key text) returns text
language sql immutable parallel safe
set search_path to 'pg_catalog'
as $$
  select nullif(array_to_string(array(
    select r from regexp_split_to_table(split_part(email_key, '@', 1), '[^a-z]+') r
    where r <> '' and strpos(coalesce(name_key, ''), r) = 0), ' '), '')
$$;

-- the domains of a workspace's addresses, each once: searched like companies
create table crm.email_domains (
  workspace_id uuid not null references crm.workspaces (id),
  domain text not null,
  primary key (workspace_id, domain)
);
alter table crm.email_domains enable row level security;
create policy workspace_isolation on crm.email_domains for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.email_domains to service_role;

update crm.contact_emails e
   set domain_key = split_part(e.email_key, '@', 2),
       local_rest = crm.email_local_rest(e.email_key, e.name_key);
insert into crm.email_domains (workspace_id, domain)
select distinct e.workspace_id, e.domain_key from crm.contact_emails e
on conflict do nothing;

-- an address's keys when it is written; a changed domain is listed here, the
-- new addresses' domains once a statement (contact_emails_domains_added)
create or replace function crm.contact_emails_keys() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  new.email_key := lower(new.email);
  new.name_key := (select c.name_key from contacts c where c.workspace_id = new.workspace_id and c.id = new.contact_id);
  new.domain_key := split_part(new.email_key, '@', 2);
  new.local_rest := crm.email_local_rest(new.email_key, new.name_key);
  if tg_op = 'UPDATE' and (new.workspace_id, new.domain_key) is distinct from (old.workspace_id, old.domain_key) then
    insert into email_domains (workspace_id, domain) values (new.workspace_id, new.domain_key)
    on conflict do nothing;
  end if;
  return new;
end
$$;

create function crm.contact_emails_domains_added() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  insert into email_domains (workspace_id, domain)
  select distinct a.workspace_id, a.domain_key from added a
  on conflict do nothing;
  return null;
end
$$;

create trigger contact_emails_domains_added after insert on crm.contact_emails
  referencing new table as added
  for each statement execute function crm.contact_emails_domains_added();

-- and what of it is inside the name follows a rename
create or replace function crm.contacts_emails_name_key() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  update contact_emails e set name_key = new.name_key, local_rest = crm.email_local_rest(e.email_key, new.name_key)
  where e.workspace_id = new.workspace_id and e.contact_id = new.id;
  return null;
end
$$;

-- a domain that no address of the workspace uses any more goes with its last
-- one (an erased person's own domain is theirs). An address added at the same
-- moment in another transaction to a domain whose last address goes here can
-- miss its listing; the next address in that domain lists it again.
create function crm.contact_emails_domains_gone() returns trigger
language plpgsql
set search_path to 'crm', 'pg_catalog'
as $$
begin
  delete from email_domains d
  where (d.workspace_id, d.domain) in (select distinct o.workspace_id, o.domain_key from gone o)
    and not exists (select 1 from contact_emails e where e.workspace_id = d.workspace_id and e.domain_key = d.domain);
  return null;
end
$$;

create trigger contact_emails_domains_gone after delete on crm.contact_emails
  referencing old table as gone
  for each statement execute function crm.contact_emails_domains_gone();

revoke execute on function crm.email_local_rest(text, text) from public;
revoke execute on function crm.contact_emails_domains_added() from public;
revoke execute on function crm.contact_emails_domains_gone() from public;
grant execute on function crm.email_local_rest(text, text) to service_role;
grant execute on function crm.contact_emails_domains_added() to service_role;
grant execute on function crm.contact_emails_domains_gone() to service_role;

-- a company's name and domain, which a folded query (it has no space) cannot span
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'btree_gin') then
    create index companies_search_trgm on crm.companies
      using gin (workspace_id, (name_key || ' ' || coalesce(domain, '')) extensions.gin_trgm_ops);
  else
    create index companies_search_trgm on crm.companies
      using gin ((name_key || ' ' || coalesce(domain, '')) extensions.gin_trgm_ops);
  end if;
end
$$;

-- a contact as the API gives it: its company and owner read here, not through
-- crm.company_json and crm.member_brief (two function calls a contact)
create or replace function crm.contact_json(c crm.contacts) returns jsonb
language plpgsql stable
set search_path to 'crm', 'pg_catalog'
as $$
begin
  return (select jsonb_build_object(
    'id', c.id, 'name', c.name, 'reading', c.reading, 'title', c.title, 'phone', c.phone,
    'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                        from contact_emails e where e.contact_id = c.id and e.workspace_id = c.workspace_id), '[]'::jsonb),
    'company', (select jsonb_build_object('id', co.id, 'name', co.name, 'domain', co.domain)
                from companies co where co.workspace_id = c.workspace_id and co.id = c.company_id),
    'stage', c.stage,
    'owner', (select jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email)
              from members m where m.workspace_id = c.workspace_id and m.id = c.owner_id),
    'tags', to_jsonb(c.tags), 'custom', c.custom, 'timezone', c.timezone,
    'lastInteractionAt', c.last_interaction_at,
    'mergedIntoId', c.merged_into_id,
    'source', c.source,
    'createdAt', c.created_at, 'updatedAt', c.updated_at));
end
$$;

-- each domain's addresses in name order, and the local parts that say more
-- than the name in name order
create index contact_emails_domain_idx on crm.contact_emails (workspace_id, domain_key, name_key, contact_id);
create index contact_emails_rest_idx on crm.contact_emails (workspace_id, name_key, contact_id) include (local_rest)
  where local_rest is not null;

-- the trigram indexes, by workspace where the server offers btree_gin (see
-- 20261124001920_search_walk_first)
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'btree_gin') then
    create index email_domains_trgm on crm.email_domains using gin (workspace_id, domain extensions.gin_trgm_ops);
    create index contact_emails_rest_trgm on crm.contact_emails using gin (workspace_id, local_rest extensions.gin_trgm_ops)
      where local_rest is not null;
  else
    create index email_domains_trgm on crm.email_domains using gin (domain extensions.gin_trgm_ops);
    create index contact_emails_rest_trgm on crm.contact_emails using gin (local_rest extensions.gin_trgm_ops)
      where local_rest is not null;
  end if;
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
  cjk boolean := crm.has_cjk(q);
  -- a piece of letters only, whose addresses come from their domains and the
  -- parts of them that are not the name (email_domains, local_rest)
  letters boolean := q ~ '^[a-z]+$' and length(q) >= 3;
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
  -- the names, the addresses (each carries its contact's name_key; for a piece
  -- of letters only, the domains that match and what of a local part is not
  -- the name), the contacts of the companies that match
  -- (contacts_company_name_idx, in name order), the readings and the phone
  -- numbers. A kind gives every match after the cursor, or its first kmax in
  -- name order; the kmax-th bounds the page
  -- (b_key, b_id), since every match of every kind up to the lowest such bound
  -- is then known. Nothing is looked up one match at a time: the names' and
  -- addresses' sort keys come with their rows.
  if q is not null and not seg and not cjk then
    -- (a page's worth when nothing filters it: a page that does not fill
    -- before the bound, as when a match was merged away, takes the query below)
    kmax := case when args ->> 'stage' is null and owner_filter is null and args ->> 'tag' is null
              then lim + 1 else 200 end;
    -- names: a walk in name order through at most 10,000 of them, in which a
    -- common piece is soon found; when it finds fewer than kmax, every match
    -- through the trigram index when there are fewer than 6,000 (its heap rows
    -- are read in their own order, so a limit stops it), or else a walk of up
    -- to 100,000
    select coalesce(array_agg(w.id order by w.name_key, w.id), '{}'), coalesce(array_agg(w.name_key order by w.name_key, w.id), '{}')
      into c_ids, c_keys
    from (
      select w.id, w.name_key from (
        select c.id, c.name_key from contacts c
        where c.workspace_id = ws and (ck is null or (c.name_key, c.id) > (ck, cid))
        order by c.name_key, c.id
        limit 10000) w
      where w.name_key like pat
      order by w.name_key, w.id
      limit kmax) w;
    n := coalesce(array_length(c_ids, 1), 0);
    if n = kmax then
      bounded := true;
      b_key := c_keys[n];
      b_id := c_ids[n];
    elsif length(q) >= 3 then
      -- (the first kmax of them in name order are all it keeps: a top-N sort)
      with x as materialized (
        select c.id, c.name_key from contacts c
        where c.workspace_id = ws and c.merged_into_id is null and c.name_key like pat
          and (ck is null or (c.name_key, c.id) > (ck, cid))
        limit 6000)
      select (select count(*) from x),
             coalesce(array_agg(t.id order by t.name_key, t.id), '{}'), coalesce(array_agg(t.name_key order by t.name_key, t.id), '{}')
        into n, c_ids, c_keys
      from (select x.id, x.name_key from x order by x.name_key, x.id limit kmax) t;
      if n >= kmax and n < 6000 then
        bounded := true;
        b_key := c_keys[kmax];
        b_id := c_ids[kmax];
      end if;
    end if;
    if not bounded and (length(q) < 3 or n = 6000) then
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
    end if;

    if not unknown and letters then
      -- addresses, for a piece of letters only: it matches an address inside
      -- one run of letters, in the domain (below, like the companies), in a
      -- run inside the contact's name (the name matches too, and the names
      -- up to the bound are known) or in what is left (local_rest): those
      -- walked in name order up to the bound, at most 5,000 of them, or every
      -- match through the trigram index (the romaji and pinyin of CJK names'
      -- addresses are most of them, and sort after every Latin name)
      n := 0;
      if bounded then
        select count(*),
               coalesce(array_agg(w.contact_id order by w.name_key, w.contact_id) filter (where w.hit), '{}'),
               coalesce(array_agg(w.name_key order by w.name_key, w.contact_id) filter (where w.hit), '{}')
          into n, s_ids, s_keys
        from (
          select e.contact_id, e.name_key, e.local_rest like pat as hit from contact_emails e
          where e.workspace_id = ws and e.local_rest is not null
            and (ck is null or (e.name_key, e.contact_id) > (ck, cid))
            and (e.name_key, e.contact_id) <= (b_key, b_id)
          order by e.name_key, e.contact_id
          limit 5000) w;
      end if;
      if not bounded or n = 5000 then
        select coalesce(array_agg(e.contact_id), '{}'), coalesce(array_agg(e.name_key), '{}') into s_ids, s_keys
        from contact_emails e
        where e.workspace_id = ws and e.local_rest like pat
          and (ck is null or (e.name_key, e.contact_id) > (ck, cid));
      end if;
      c_ids := c_ids || s_ids;
      c_keys := c_keys || s_keys;
    elsif not unknown then
      -- addresses: a walk in name order up to the bound, at most 5,000 of them;
      -- or every match through the trigram index (a piece of 1 or 2 letters,
      -- which no trigram holds, walks all the way to the bound: the names'
      -- walk always leaves one)
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
          limit case when length(q) < 3 then null else 5000 end) w;
      end if;
      if not bounded or (n = 5000 and length(q) >= 3) then
        select coalesce(array_agg(e.contact_id), '{}'), coalesce(array_agg(e.name_key), '{}') into s_ids, s_keys
        from contact_emails e
        where e.workspace_id = ws and lower(e.email) like pat and (ck is null or (e.name_key, e.contact_id) > (ck, cid));
      end if;
      c_ids := c_ids || s_ids;
      c_keys := c_keys || s_keys;
    end if;

    if not unknown then
      -- the companies that match, each one's contacts in name order; the
      -- domains, the readings (most are of CJK names, which sort after every
      -- Latin one); phones
      with hit as (
        select 'company' as kind, x.* from (
          select m.id, m.name_key from (
            -- a piece of 3 or more through companies_search_trgm (the name and
            -- the domain, which a folded query, with no space, cannot span);
            -- a shorter one, which no trigram holds, from the workspace's companies
            select co.id from companies co
            where length(q) >= 3 and co.workspace_id = ws and (co.name_key || ' ' || coalesce(co.domain, '')) like pat
            union all
            select co.id from companies co
            where length(q) < 3 and co.workspace_id = ws and (co.name_key like pat or co.domain like pat)) co
          cross join lateral (
            select m.id, m.name_key from contacts m
            where m.workspace_id = ws and m.company_id = co.id
              and (ck is null or (m.name_key, m.id) > (ck, cid))
              and (not bounded or (m.name_key, m.id) <= (b_key, b_id))
            order by m.name_key, m.id
            limit kmax) m
          order by m.name_key, m.id
          limit kmax) x
        union all
        -- the domains that match (a piece of letters only), each one's addresses in name order
        select 'domain', x.* from (
          select e.contact_id, e.name_key from email_domains d
          cross join lateral (
            select e.contact_id, e.name_key from contact_emails e
            where e.workspace_id = ws and e.domain_key = d.domain
              and (ck is null or (e.name_key, e.contact_id) > (ck, cid))
              and (not bounded or (e.name_key, e.contact_id) <= (b_key, b_id))
            order by e.name_key, e.contact_id
            limit kmax) e
          where letters and d.workspace_id = ws and d.domain like pat
          order by e.name_key, e.contact_id
          limit kmax) x
        union all
        select 'reading', x.* from (
          select r.id, r.name_key from contacts r
          where length(qk) >= 3 and r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
            and r.reading_key like rpat
            and (ck is null or (r.name_key, r.id) > (ck, cid))
            and (not bounded or r.name_key <= b_key)
          union all
          -- a reading of 1 or 2 characters, which no trigram holds: the
          -- readings in name order up to the bound ("is true" keeps the
          -- planner off the trigram index, which it would read whole)
          select r.id, r.name_key from contacts r
          where length(qk) < 3 and r.workspace_id = ws and r.reading_key is not null and r.merged_into_id is null
            and (r.reading_key like rpat) is true
            and (ck is null or (r.name_key, r.id) > (ck, cid))
            and (not bounded or r.name_key <= b_key)
          order by name_key, id
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
$$;

revoke execute on function api.contacts_list(ctx jsonb, args jsonb) from public;
grant execute on function api.contacts_list(ctx jsonb, args jsonb) to service_role;
