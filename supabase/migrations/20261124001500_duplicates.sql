-- Duplicates: contacts that look like the same person, and "not a
-- duplicate". Merges are in 20261124001510_merges.sql; capture and the Gmail
-- card finding a contact by its normalised address in 20261124001520.
--
-- Two live contacts (merged_into_id is null) of one workspace are likely the
-- same person when
--   email: an address of each is the same once normalised (crm.norm_email:
--          case, and plus-addressing: jane+news@acme.com = jane@acme.com);
--   phone: their phones are the same number in E.164 (crm.phone_e164, with the
--          workspace's country for national numbers, from its default_timezone);
--   name:  they work at the same company and their names are alike: for Latin
--          names pg_trgm similarity >= 0.6 of crm.name_words(name) (NFKC, lower
--          case, words kept: pg_trgm pads each word, so 'Jon Smith' ~ 'John
--          Smith' is 0.62, where the space-less crm.fold form gives only 0.58);
--          for a name with any CJK character, equal crm.fold keys ('田中 太郎' =
--          '田中太郎' = '田中　太郎'; 'ﾀﾅｶ' = 'タナカ'), since trigrams of a
--          two-to-four character name say little.
-- One row per pair, with its strongest reason (email, then phone, then name)
-- and a score (1 for email, phone and equal CJK names; the similarity else).
-- A pair someone marked "Not a duplicate" is never offered again.
--
-- Set-based: the list is one statement of hash joins over the workspace; one
-- contact's duplicates (the Gmail card) are index lookups: the expression index
-- on normalised addresses, the existing phone_digits index (every spelling of
-- one E.164 number has one of a few digit strings), the company index, and a
-- trigram index on the word form of names.
create or replace function crm.norm_email(email text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  -- crm.norm_email(' Jane+News@ACME.com') = 'jane@acme.com'
  select regexp_replace(lower(btrim(email)), '^([^+@]+)\+[^@]*@', '\1@')
$$;

-- The country calling code of a time zone's country, for national numbers;
-- null where one zone spans several countries or we do not know it.
--   crm.calling_code('Asia/Tokyo') = '81', crm.calling_code('America/Chicago') = '1', crm.calling_code('UTC') = null
create or replace function crm.calling_code(tz text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  select case
    when tz in ('Asia/Tokyo', 'Japan') then '81'
    when tz in ('Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Urumqi', 'PRC') then '86'
    when tz in ('Asia/Hong_Kong', 'Hongkong') then '852'
    when tz in ('Asia/Taipei', 'ROC') then '886'
    when tz in ('Asia/Seoul', 'ROK') then '82'
    when tz = 'Asia/Singapore' then '65'
    when tz in ('Europe/London', 'GB', 'Europe/Belfast') then '44'
    when tz = 'Europe/Paris' then '33'
    when tz = 'Europe/Berlin' then '49'
    when tz like 'Australia/%' then '61'
    -- the Americas outside the North American Numbering Plan
    when tz in ('America/Sao_Paulo', 'Brazil/East') then '55'
    when tz in ('America/Mexico_City', 'America/Monterrey', 'America/Tijuana', 'America/Cancun', 'America/Merida') then '52'
    when tz like 'America/Argentina/%' or tz = 'America/Buenos_Aires' then '54'
    when tz = 'America/Bogota' then '57'
    when tz = 'America/Lima' then '51'
    when tz = 'America/Santiago' then '56'
    when tz like 'America/%' or tz like 'US/%' or tz like 'Canada/%' or tz = 'Pacific/Honolulu' then '1'
  end
$$;

-- A phone number in E.164, or null when it cannot be told: a leading + or 00
-- carries the country ('(0)' after it is dropped), a national leading 0 takes
-- cc; with cc 1, ten digits (or 1 and ten) are North American; with cc 86,
-- eleven digits from 1 are a Chinese mobile.
--   crm.phone_e164('03-1234-5678', '81')        = '+81312345678'
--   crm.phone_e164('+81 (0)3 1234 5678', null)  = '+81312345678'
--   crm.phone_e164('0081 3 1234 5678', null)    = '+81312345678'
--   crm.phone_e164('(415) 555-0142', '1')       = '+14155550142'
--   crm.phone_e164('03-1234-5678', null)        = null
create or replace function crm.phone_e164(phone text, cc text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$
declare
  intl boolean := phone ~ '^\s*(\+|00)';
  d text := regexp_replace(case when intl then replace(replace(phone, '(0)', ''), '( 0 )', '') else coalesce(phone, '') end, '\D', '', 'g');
  n text;
begin
  -- plpgsql, not sql: a SQL function with SET is planned on every call, and the list calls this once per contact
  if phone ~ '^\s*\+' then n := '+' || d;
  elsif d like '00%' then n := '+' || substr(d, 3);
  elsif d like '0%' and cc is not null then n := '+' || cc || substr(d, 2);
  elsif cc = '1' and length(d) = 10 then n := '+1' || d;
  elsif cc = '1' and length(d) = 11 and d like '1%' then n := '+' || d;
  elsif cc = '86' and length(d) = 11 and d like '1%' then n := '+86' || d;
  end if;
  return case when length(n) between 8 and 16 then n end;
end
$$;

-- The digit strings (contacts.phone_digits) a spelling of the E.164 number e
-- can have, for an index lookup; crm.phone_e164 then decides.
--   crm.phone_digit_forms('+81312345678', '81')
--     = '{81312345678,0081312345678,0312345678,312345678,810312345678,00810312345678}'
create or replace function crm.phone_digit_forms(e text, cc text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  select array[substr(e, 2), '00' || substr(e, 2)]
    || case when cc is not null and e like '+' || cc || '%' then
         array['0' || rest, rest, cc || '0' || rest, '00' || cc || '0' || rest] else '{}'::text[] end
  from (select substr(e, 2 + length(coalesce(cc, ''))) as rest) x
$$;

-- A name as words, for trigram similarity: crm.name_words(' Ｊｏｈｎ  Smith') = 'john smith'
create or replace function crm.name_words(name text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select lower(btrim(regexp_replace(normalize(coalesce(name, ''), NFKC), '\s+', ' ', 'g'))) $$;

-- Whether a name has a Chinese, Japanese or Korean character: crm.has_cjk('王 伟') = true
create or replace function crm.has_cjk(name text) returns boolean
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select coalesce(name, '') ~ '[⺀-鿿가-힯豈-﫿ｦ-ﾟ]' $$;

create index contact_emails_norm_idx on crm.contact_emails (workspace_id, crm.norm_email(email));
create index contacts_name_words_trgm on crm.contacts using gin (crm.name_words(name) extensions.gin_trgm_ops)
  where merged_into_id is null;

-- "Not a duplicate": the pair is stored once, its smaller id first.
create table crm.duplicate_dismissals (
  workspace_id uuid not null references crm.workspaces (id),
  contact_a uuid not null,
  contact_b uuid not null,
  dismissed_by uuid,
  dismissed_at timestamptz not null default now(),
  primary key (workspace_id, contact_a, contact_b),
  check (contact_a < contact_b),
  foreign key (workspace_id, contact_a) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, contact_b) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, dismissed_by) references crm.members (workspace_id, id)
);

-- One merge: survivor_id absorbed merged_ids. The merged contacts point at the
-- survivor through their own merged_into_id (a real foreign key); merged_ids
-- records the event, and snapshot the rows as they were before it, for undo.
create table crm.merges (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  survivor_id uuid not null,
  merged_ids uuid[] not null check (cardinality(merged_ids) between 1 and 20),
  snapshot jsonb not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by uuid,
  unique (workspace_id, id),
  foreign key (workspace_id, survivor_id) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id),
  foreign key (workspace_id, undone_by) references crm.members (workspace_id, id)
);
create index merges_survivor_idx on crm.merges (workspace_id, survivor_id, created_at desc);

alter table crm.duplicate_dismissals enable row level security;
alter table crm.merges enable row level security;
create policy workspace_isolation on crm.duplicate_dismissals
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
create policy workspace_isolation on crm.merges
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
revoke all on crm.duplicate_dismissals, crm.merges from public, anon, authenticated;
grant select, insert, update, delete on crm.duplicate_dismissals, crm.merges to service_role;

-- Likely duplicate pairs among ws's live contacts, not dismissed: a is the
-- older contact (created_at, then id), reason the strongest one, newest the
-- later creation of the two. With one_id, only the pairs of that contact
-- (index lookups); without, every pair of the workspace (hash joins).
create or replace function crm.duplicate_candidates(ws uuid, one_id uuid default null)
  returns table (a uuid, b uuid, reason text, score numeric, newest timestamptz)
  language plpgsql stable
  set search_path = crm, extensions, pg_catalog
  set pg_trgm.similarity_threshold = 0.6
as $$
declare
  cc text := (select crm.calling_code(w.default_timezone) from workspaces w where w.id = ws);
begin
  if one_id is not null then
    return query
    with me as (
      select c.* from contacts c where c.workspace_id = ws and c.id = one_id and c.merged_into_id is null
    ), hits as (
      select o.contact_id as id, 'email'::text as reason, 1.0::numeric as score
      from contact_emails mine
      join contact_emails o on o.workspace_id = ws and crm.norm_email(o.email) = crm.norm_email(mine.email)
      where mine.workspace_id = ws and mine.contact_id = one_id and o.contact_id <> one_id
      union all
      select o.id, 'phone', 1.0
      from me cross join lateral (select crm.phone_e164(me.phone, cc) as e) p
      join contacts o on o.workspace_id = ws and o.phone_digits = any (crm.phone_digit_forms(p.e, cc))
      where p.e is not null and o.id <> me.id and crm.phone_e164(o.phone, cc) = p.e
      union all
      select o.id, 'name',
        case when crm.has_cjk(me.name) or crm.has_cjk(o.name) then 1.0
             else round(similarity(crm.name_words(me.name), crm.name_words(o.name))::numeric, 3) end
      from me join contacts o on o.workspace_id = ws and o.company_id = me.company_id and o.id <> me.id
      where o.merged_into_id is null
        and ((crm.has_cjk(me.name) or crm.has_cjk(o.name)) and o.name_key = me.name_key
          or not (crm.has_cjk(me.name) or crm.has_cjk(o.name))
             and crm.name_words(o.name) % crm.name_words(me.name)
             and similarity(crm.name_words(me.name), crm.name_words(o.name)) >= 0.6)
    )
    select distinct on (o.id)
      case when (o.created_at, o.id) < (m.created_at, m.id) then o.id else m.id end,
      case when (o.created_at, o.id) < (m.created_at, m.id) then m.id else o.id end,
      h.reason, h.score, greatest(o.created_at, m.created_at)
    from hits h
    join contacts o on o.workspace_id = ws and o.id = h.id and o.merged_into_id is null
    cross join me m
    where not exists (select 1 from duplicate_dismissals d where d.workspace_id = ws
                      and d.contact_a = least(o.id, m.id) and d.contact_b = greatest(o.id, m.id))
    order by o.id, h.score desc, array_position(array['email', 'phone', 'name'], h.reason);
    return;
  end if;

  return query
  with live as (
    select c.id, c.created_at, c.name_key, c.company_id, c.phone, crm.has_cjk(c.name) as cjk, crm.name_words(c.name) as w
    from contacts c where c.workspace_id = ws and c.merged_into_id is null
  ), emails as (
    select e.contact_id as id, crm.norm_email(e.email) as k
    from contact_emails e join live l on l.id = e.contact_id
    where e.workspace_id = ws
  ), phones as (
    select l.id, crm.phone_e164(l.phone, cc) as e from live l where l.phone is not null
  ), pairs as (
    select x.id as x, y.id as y, 'email'::text as reason, 1.0::numeric as score
    from emails x join emails y on y.k = x.k and y.id > x.id
    union all
    select x.id, y.id, 'phone', 1.0
    from phones x join phones y on y.e = x.e and y.id > x.id
    where x.e is not null
    union all
    select x.id, y.id, 'name', round(similarity(x.w, y.w)::numeric, 3)
    from live x join live y on y.company_id = x.company_id and y.id > x.id
    where x.company_id is not null and not x.cjk and not y.cjk
      and x.w % y.w and similarity(x.w, y.w) >= 0.6
    union all
    -- a CJK name: the same characters (an equal key has CJK on both sides)
    select x.id, y.id, 'name', 1.0
    from live x join live y on y.company_id = x.company_id and y.name_key = x.name_key and y.id > x.id
    where x.company_id is not null and x.cjk
  ), best as (
    select distinct on (p.x, p.y) p.x, p.y, p.reason, p.score
    from pairs p
    order by p.x, p.y, p.score desc, array_position(array['email', 'phone', 'name'], p.reason)
  )
  select
    case when (lx.created_at, lx.id) < (ly.created_at, ly.id) then lx.id else ly.id end,
    case when (lx.created_at, lx.id) < (ly.created_at, ly.id) then ly.id else lx.id end,
    bp.reason, bp.score, greatest(lx.created_at, ly.created_at)
  from best bp
  join live lx on lx.id = bp.x
  join live ly on ly.id = bp.y
  where not exists (select 1 from duplicate_dismissals d where d.workspace_id = ws and d.contact_a = bp.x and d.contact_b = bp.y);
end
$$;

-- What a duplicate pair shows of each contact.
create or replace function crm.contact_summary(ws uuid, cid uuid) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('id', c.id, 'name', c.name, 'title', c.title, 'phone', c.phone,
    'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                        from contact_emails e where e.workspace_id = ws and e.contact_id = c.id), '[]'::jsonb),
    'company', crm.company_json(ws, c.company_id), 'stage', c.stage,
    'owner', crm.member_brief(ws, c.owner_id), 'createdAt', c.created_at)
  from contacts c where c.workspace_id = ws and c.id = cid
$$;

-- {limit}: the likeliest pairs first (score, then email > phone > name, then
-- the most recently created).
create or replace function api.duplicates_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 20), 1), 100);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object(
        'a', crm.contact_summary(me.workspace_id, d.a), 'b', crm.contact_summary(me.workspace_id, d.b),
        'reason', d.reason, 'score', d.score) order by d.ord)
    from (
      select x.*, row_number() over (order by x.score desc, array_position(array['email', 'phone', 'name'], x.reason),
                                     x.newest desc, x.a, x.b) as ord
      from crm.duplicate_candidates(me.workspace_id) x
      order by ord
      limit lim
    ) d), '[]'::jsonb));
end
$$;

-- {a, b}: these two are different people; the pair is never offered again.
create or replace function api.duplicate_dismiss(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ca crm.contacts := crm.contact_or_404(ws, (args ->> 'a')::uuid);
  cb crm.contacts := crm.contact_or_404(ws, (args ->> 'b')::uuid);
  n int;
begin
  if ca.id = cb.id then
    perform crm.fail(400, 'duplicate_same_contact', jsonb_build_object('id', ca.id, 'name', ca.name));
  end if;
  insert into duplicate_dismissals (workspace_id, contact_a, contact_b, dismissed_by, dismissed_at)
  values (ws, least(ca.id, cb.id), greatest(ca.id, cb.id), me.id, crm.ctx_now(ctx))
  on conflict do nothing;
  get diagnostics n = row_count;
  if n > 0 then
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'duplicate_dismissal', least(ca.id, cb.id), 'create', null,
      jsonb_build_object('a', least(ca.id, cb.id), 'b', greatest(ca.id, cb.id)));
  end if;
  return jsonb_build_object('dismissed', true,
    'a', jsonb_build_object('id', ca.id, 'name', ca.name), 'b', jsonb_build_object('id', cb.id, 'name', cb.name));
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
