-- What the Gmail add-on asks for, one function per request.
--
-- api.gmail_context (its people found by address or normalised address, with
-- their likely duplicates: crm.norm_email and crm.duplicate_candidates are in
-- 20261124001500_duplicates.sql): for the open message, the caller, whether the message is
-- already logged (and by whom), and its external people: each with their
-- contact card (as GET /api/contacts/:id, with the latest 5 timeline entries)
-- or, when unknown, a suggestion to create one. External means not the caller,
-- not an active member (by address, any case) and not at an internal domain.
-- api.gmail_log: a batch of messages (one email, or a whole thread) logged in
-- one transaction through api.interaction_capture, which owns direction,
-- contact matching and the dedupe by Message-ID; a failure anywhere writes
-- nothing.

-- The participants of a Gmail message in message order (sender, then to, then
-- cc), each {part, n, role, email, name}; email lower-cased, blank names null.
create or replace function crm.gmail_addresses(m jsonb) returns table (ord bigint, role text, email text, name text)
  language sql immutable
  set search_path = pg_catalog
as $$
  select row_number() over (order by g.part, g.n), g.role,
    lower(btrim(g.a ->> 'email')), nullif(btrim(g.a ->> 'name'), '')
  from (
    select 0 as part, 1::bigint as n, 'from' as role, m -> 'from' as a where jsonb_typeof(m -> 'from') = 'object'
    union all
    select 1, x.n, 'to', x.a from jsonb_array_elements(coalesce(m -> 'to', '[]')) with ordinality x(a, n)
    union all
    select 2, x.n, 'cc', x.a from jsonb_array_elements(coalesce(m -> 'cc', '[]')) with ordinality x(a, n)
  ) g
  where nullif(btrim(g.a ->> 'email'), '') is not null
$$;

-- A contact as GET /api/contacts/:id shows it to viewer, with the latest lim
-- timeline entries (private interactions only for whom crm.can_see allows).
create or replace function crm.contact_card(c crm.contacts, viewer uuid, lim int) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json(f) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', crm.timeline(c.workspace_id, viewer, c.id, null, lim) -> 'items')
$$;

-- One external person of a message: their contact (any of its addresses, or
-- the address without its +tag, followed to the contact it was merged into)
-- with the contacts that look like the same person (duplicates: [{id, name,
-- reason}]), or what to create.
--   suggestion for ('Jane', 'jane@sales.acme.co.jp') = {name: 'Jane', companyName: 'Acme', domain: 'sales.acme.co.jp'}
--   suggestion for (null, 'kenji@gmail.com')        = {name: 'kenji', companyName: null, domain: null}
create or replace function crm.gmail_person(w crm.workspaces, viewer uuid, addr text, display text, role text) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cid uuid;
  dom text := crm.email_domain(addr);
  company_name text;
  card jsonb;
begin
  -- the exact address first, then the same one without its +tag (as capture files it)
  select e.contact_id into cid from contact_emails e join contacts c on c.workspace_id = w.id and c.id = e.contact_id
    where e.workspace_id = w.id and crm.norm_email(e.email) = crm.norm_email(addr)
    order by lower(e.email) = addr desc, lower(e.email) = crm.norm_email(addr) desc, c.created_at, c.id
    limit 1;
  if cid is not null then
    card := crm.contact_card(crm.contact_or_404(w.id, cid), viewer, 5);
    return jsonb_build_object('email', addr, 'name', display, 'role', role,
      -- at most 5, likeliest first
      'contact', card || jsonb_build_object('duplicates', coalesce((
        select jsonb_agg(x.j order by x.ord) from (
          select jsonb_build_object('id', o.id, 'name', o.name, 'reason', d.reason) as j,
            row_number() over (order by d.score desc, array_position(array['email', 'phone', 'name'], d.reason), o.created_at, o.id) as ord
          from crm.duplicate_candidates(w.id, (card ->> 'id')::uuid) d
          join contacts o on o.workspace_id = w.id and o.id = case when d.a = (card ->> 'id')::uuid then d.b else d.a end
          order by ord limit 5) x), '[]'::jsonb)),
      'suggestion', null);
  end if;
  if dom is null or crm.is_free_mail(w, addr) then
    dom := null;
  else
    -- the name the company already has here, else the one capture would give it
    select co.name into company_name from companies co where co.workspace_id = w.id and co.domain = dom;
    company_name := coalesce(company_name, crm.company_name_from_domain(dom));
  end if;
  return jsonb_build_object('email', addr, 'name', display, 'role', role, 'contact', null,
    'suggestion', jsonb_build_object(
      'name', left(coalesce(display, nullif(split_part(addr, '@', 1), ''), addr), 300),
      'companyName', company_name, 'domain', dom));
end
$$;


-- args: {message: {messageId, from, to, cc, ...}}
create or replace function api.gmail_context(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  m jsonb := coalesce(args -> 'message', '{}');
  cap constant int := 10;
  logged jsonb;
  people jsonb;
  total int;
begin
  select * into w from workspaces where id = ws;

  select jsonb_build_object('interactionId', i.id, 'by', crm.member_brief(ws, i.author_id), 'at', i.created_at)
    into logged
  from interactions i
  where i.workspace_id = ws and i.dedupe_key = crm.dedupe_key('email', 'gmail', m ->> 'messageId')
    and i.deleted_at is null and crm.can_see(ws, me.id, i.visibility, i.author_id);

  with given as (
    select * from crm.gmail_addresses(m)
  ), firsts as (
    -- one row per address, at its first place, with the first name given for it
    select g.email, min(g.ord) as ord, (array_agg(g.name order by g.ord) filter (where g.name is not null))[1] as name
    from given g group by g.email
  ), external as (
    select f.email, f.name, g.role, f.ord, row_number() over (order by f.ord) as rank
    from firsts f join given g on g.ord = f.ord
    where f.email is distinct from lower(me.email)
      and not crm.is_internal(w, f.email)
      and not exists (select 1 from members mm where mm.workspace_id = ws and mm.active and lower(mm.email) = f.email)
  )
  select count(*)::int,
    jsonb_agg(crm.gmail_person(w, me.id, e.email, e.name, e.role) order by e.ord) filter (where e.rank <= cap)
    into total, people
  from external e;

  return jsonb_build_object(
    'me', case when me.id is null then null else jsonb_build_object(
      'id', me.id, 'name', me.display_name, 'email', me.email, 'locale', me.locale, 'timezone', me.timezone) end,
    'logged', logged,
    'people', coalesce(people, '[]'::jsonb),
    'more', greatest(total - cap, 0));
end
$$;

-- One Gmail message as api.interaction_capture's args. The thread key is the
-- thread's first Message-ID (or the message's own), so every message of a
-- thread meets whoever logged it; attachments are named on a last line.
--   threadKey for threadRootId ' <Root@Mail.Example> ' = 'email-thread:root@mail.example'
create or replace function crm.gmail_capture_args(m jsonb) returns jsonb
  language sql immutable
  set search_path = crm, pg_catalog
as $$
  select jsonb_strip_nulls(jsonb_build_object(
    'kind', 'email',
    'source', 'gmail',
    'externalId', btrim(m ->> 'messageId'),
    'threadKey', left('email-thread:' || lower(btrim(btrim(coalesce(nullif(btrim(m ->> 'threadRootId'), ''), m ->> 'messageId')), '<>')), 1000),
    'occurredAt', m ->> 'date',
    'subject', m ->> 'subject',
    'body', case
      when jsonb_array_length(coalesce(m -> 'attachments', '[]')) = 0 then m ->> 'body'
      else coalesce(nullif(m ->> 'body', '') || case when right(m ->> 'body', 1) = E'\n' then '' else E'\n' end, '')
        || '📎 ' || (select string_agg(x.a, ', ' order by x.n) from jsonb_array_elements_text(m -> 'attachments') with ordinality x(a, n))
      end,
    'participants', coalesce((
      select jsonb_agg(jsonb_build_object('role', g.role, 'email', g.email, 'name', g.name) order by g.ord)
      from crm.gmail_addresses(m) g), '[]'::jsonb)))
$$;

-- args: {messages: [...]}: one item per message, in order.
create or replace function api.gmail_log(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  m jsonb;
  r jsonb;
  items jsonb := '[]';
begin
  for m in select x.m from jsonb_array_elements(coalesce(args -> 'messages', '[]')) with ordinality x(m, n) order by x.n loop
    r := api.interaction_capture(ctx, crm.gmail_capture_args(m));
    items := items || jsonb_build_array(jsonb_build_object(
      'messageId', m ->> 'messageId',
      'interactionId', r #> '{interaction,id}',
      'created', r -> 'created',
      'loggedBy', coalesce(r #> '{interaction,author}', 'null'::jsonb)));
  end loop;
  return jsonb_build_object('items', items);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
