-- Many captures in one call (issue 16: "sync and inbound mail use a batched
-- capture path"). api.interaction_capture_many(items) takes up to a few
-- hundred {ctx, args} of one workspace and answers each as
-- api.interaction_capture would, in item order, in one transaction:
-- one round trip and one commit instead of one per capture, and set-based
-- statements instead of a dozen small ones per capture. Gmail sync's pages,
-- the add-on's thread log and POST /api/interactions under load (the server
-- gathers the requests that arrive while earlier ones are in the database)
-- go through it.
--
-- The set-based part takes the new captures: the first item of its key in
-- the batch, not stored yet, with fields the tables accept. Every other item
-- (a repeat, a second copy in the same batch, a note about a named contact,
-- a value out of range) goes through api.interaction_capture itself, one at
-- a time and after the set-based part, so it answers exactly as a single
-- call: 200 with the stored interaction, or its error, which fails that item
-- only.
--
-- Contacts created by a capture (an unknown address under the workspace's
-- auto-create setting) are made by crm.capture_contact, now the one place
-- both paths do it.

-- Whether a capture makes a contact of an address no contact or member has,
-- as the workspace's auto-create setting says. A private capture makes
-- nothing others could see, except Gmail sync's (via 'sync'): synced mail is
-- private by default, and the issue asks sync to create contacts as the
-- setting says; the contact shows the address, never the private mail.
create or replace function crm.capture_creates(w crm.workspaces, vis text, via text, addr text, role text)
returns boolean
language sql stable
set search_path = crm, pg_catalog
as $$
  select (vis <> 'private' or via = 'sync') and not crm.is_internal(w, addr)
    and (w.auto_create_contacts = 'all' or (w.auto_create_contacts = 'senders' and role in ('from', 'author')))
$$;

-- The contact a capture makes for addr (its owner the capturing member, its
-- company the address's domain unless free mail), audited with the
-- interaction it came from; when a concurrent capture made it first, theirs.
create or replace function crm.capture_contact(w crm.workspaces, author uuid, src text, addr text, display text, iid uuid)
returns uuid
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  ws uuid := w.id;
  new_contact crm.contacts;
  cid uuid;
begin
  insert into contacts (workspace_id, name, company_id, owner_id, source, created_by, stage)
  values (ws,
    left(coalesce(nullif(btrim(display), ''), split_part(addr, '@', 1)), 300),
    case when crm.is_free_mail(w, addr) then null else crm.company_for_domain(ws, crm.email_domain(addr), author, src) end,
    author, src, author, 'lead')
  returning * into new_contact;
  begin
    insert into contact_emails (workspace_id, contact_id, email, is_primary) values (ws, new_contact.id, addr, true);
    cid := new_contact.id;
    perform crm.audit(ws, author, src, 'contact', cid, 'create', null,
      crm.contact_json(new_contact) || jsonb_build_object('fromInteractionId', iid));
    perform crm.link_address(ws, cid, addr);
  exception when unique_violation then
    -- a concurrent capture created this contact first: use theirs, drop ours
    delete from contacts where id = new_contact.id;
    select contact_id into cid from contact_emails where workspace_id = ws and lower(email) = addr;
  end;
  return cid;
end $$;

-- One capture, unchanged but for the contact it may make (crm.capture_contact).
CREATE OR REPLACE FUNCTION api.interaction_capture(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  i crm.interactions;
  iid uuid := gen_random_uuid();
  key text := crm.dedupe_key(args ->> 'kind', args ->> 'source', args ->> 'externalId');
  at timestamptz := (args ->> 'occurredAt')::timestamptz;
  vis text := coalesce(args ->> 'visibility', 'workspace');
  via text := crm.capture_via(ctx, args);
  p jsonb;
  addr text;
  sid text;
  mid uuid;
  cid uuid;
  has_from boolean := false;
  from_member boolean := false;
  any_external boolean := false;
  dir text := args ->> 'direction';
  named uuid;
  -- the participants as resolved: [{role, address, slackUserId, name, contactId, memberId}]
  resolved jsonb := '[]';
  parts jsonb;
  captured timestamptz;
  brief jsonb;
begin
  if vis not in ('workspace', 'private', 'subject') then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'visibility'));
  end if;
  select * into i from interactions where workspace_id = ws and dedupe_key = key;
  if i.id is not null then
    perform crm.capturer_add(ws, i.id, me.id, via);
    return crm.capture_repeat(ws, me.id, i);
  end if;

  for p in select * from jsonb_array_elements(coalesce(args -> 'participants', '[]')) loop
    addr := lower(nullif(btrim(p ->> 'email'), ''));
    sid := nullif(btrim(p ->> 'slackUserId'), '');
    mid := null;
    cid := null;
    named := nullif(p ->> 'contactId', '')::uuid;
    if named is not null then
      -- a contact named by id (the one a note or a Slack message is about),
      -- followed to the contact it was merged into
      select coalesce(c.merged_into_id, c.id) into cid from contacts c where c.workspace_id = ws and c.id = named;
      if cid is null then
        perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', named));
      end if;
    end if;
    -- a colleague by their address or another of theirs (crm.member_of_address, in one statement)
    if addr is not null then
      select coalesce(
          (select m.id from members m where m.workspace_id = ws and lower(m.email) = addr and m.active),
          (select x.member_id from member_addresses x join members m on m.workspace_id = ws and m.id = x.member_id and m.active
            where x.workspace_id = ws and x.email = addr))
        into mid;
    end if;
    if mid is null and sid is not null then
      select id into mid from members where workspace_id = ws and active and slack_user_id = sid;
    end if;
    if mid is null and addr is not null and cid is null then
      -- the contact owning this address, else the one owning it without its
      -- +tag (jane+news@ goes to jane@'s contact): the exact address first,
      -- then the plain one, then the oldest
      select coalesce(c.merged_into_id, c.id) into cid
        from contact_emails e join contacts c on c.id = e.contact_id and c.workspace_id = ws
        where e.workspace_id = ws and crm.norm_email(e.email) = crm.norm_email(addr)
        order by lower(e.email) = addr desc, lower(e.email) = crm.norm_email(addr) desc, c.created_at, c.id
        limit 1;
      if cid is null and w.id is null then
        select * into w from workspaces where id = ws;
      end if;
      if cid is null and crm.capture_creates(w, vis, via, addr, p ->> 'role') then
        cid := crm.capture_contact(w, me.id, src, addr, p ->> 'name', iid);
      end if;
    end if;
    if p ->> 'role' in ('from', 'author') then
      has_from := true;
      from_member := from_member or mid is not null;
    end if;
    any_external := any_external or (mid is null and p ->> 'role' <> 'about');
    resolved := resolved || jsonb_build_array(jsonb_build_object('role', p ->> 'role', 'address', addr, 'slackUserId', sid,
      'name', nullif(btrim(p ->> 'name'), ''), 'contactId', cid, 'memberId', mid));
  end loop;

  if dir is null then
    dir := case
      when args ->> 'kind' = 'note' then 'internal'
      when not any_external then 'internal'
      when has_from and from_member then 'outbound'
      when has_from then 'inbound'
      else 'internal' end;
  end if;

  insert into interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
    dedupe_key, thread_key, url, visibility, author_id)
  values (iid, ws, args ->> 'kind', dir, at, args ->> 'subject', args ->> 'body',
    args ->> 'source', btrim(args ->> 'externalId'), key, args ->> 'threadKey', args ->> 'url', vis, me.id)
  on conflict (workspace_id, dedupe_key) do nothing
  returning * into i;
  if i.id is null then
    -- a concurrent delivery of the same thing inserted it a moment ago
    select * into i from interactions where workspace_id = ws and dedupe_key = key;
    perform crm.capturer_add(ws, i.id, me.id, via);
    return crm.capture_repeat(ws, me.id, i);
  end if;

  -- the rows as stored give the answer's participants (crm.interaction_json's
  -- shape and order), so the new interaction is not read back
  with stored as (
    insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
      display_name, contact_id, member_id)
    select ws, iid, at, r ->> 'role', r ->> 'address', r ->> 'slackUserId', r ->> 'name',
      (r ->> 'contactId')::uuid, (r ->> 'memberId')::uuid
    from jsonb_array_elements(resolved) with ordinality t(r, o)
    order by o
    on conflict do nothing
    returning *
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
      'contactId', p.contact_id, 'memberId', p.member_id) order by p.id), '[]'::jsonb)
    into parts
  from stored p;
  insert into interaction_capturers (workspace_id, interaction_id, member_id, via) values (ws, iid, me.id, via)
    returning captured_at into captured;

  -- a private interaction does not move the contacts' last-interaction time,
  -- which everyone in the workspace can see
  if vis <> 'private' then
    update contacts c set last_interaction_at = at
    where c.workspace_id = ws
      and c.id in (select (r ->> 'contactId')::uuid from jsonb_array_elements(resolved) r where r ->> 'contactId' is not null)
      and (c.last_interaction_at is null or c.last_interaction_at < at);
  end if;

  insert into audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after)
  values (ws, me.id, src, 'interaction', i.id, 'capture', null,
    jsonb_build_object('kind', i.kind, 'source', i.source, 'externalId', i.external_id, 'direction', i.direction));
  -- crm.interaction_json(i, true), from what this call already holds
  brief := jsonb_build_object('id', me.id, 'name', me.display_name, 'email', me.email);
  return jsonb_build_object('created', true, 'interaction', jsonb_build_object(
    'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
    'subject', i.subject, 'body', i.body,
    'snippet', left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280),
    'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
    'visibility', i.visibility, 'author', brief, 'participants', parts,
    'capturedBy', jsonb_build_array(jsonb_build_object('member', brief, 'via', via, 'at', captured)),
    'createdAt', i.created_at, 'editedAt', i.edited_at));
end
$function$;

-- The time a capture names, or null when it is not one PostgreSQL reads
-- (2026-02-30, 24:61): the set-based path must not fail on one item's value.
create or replace function crm.capture_time(v text)
returns timestamptz
language plpgsql immutable
set search_path = pg_catalog
as $$
begin
  return v::timestamptz;
exception when others then
  return null;
end $$;

-- Whether the set-based path can store this capture as it is: the values
-- every table check accepts and no contact named by id. Anything else goes
-- through api.interaction_capture, which answers it (or fails it) exactly.
create or replace function crm.capture_plain(a jsonb)
returns boolean
language sql immutable
set search_path = crm, pg_catalog
as $$
  select a ->> 'kind' in ('email', 'slack', 'call', 'meeting', 'note')
    and a ->> 'source' in ('gmail', 'slack', 'api', 'manual', 'import')
    and length(btrim(a ->> 'externalId')) between 1 and 1000
    and coalesce(length(a ->> 'subject'), 0) <= 1000
    and coalesce(length(a ->> 'body'), 0) <= 200000
    and coalesce(length(a ->> 'threadKey'), 0) <= 1000
    and coalesce(a ->> 'direction', 'inbound') in ('inbound', 'outbound', 'internal')
    and coalesce(a ->> 'visibility', 'workspace') in ('workspace', 'private', 'subject')
    -- an ISO time (not 'yesterday' or 'now', which PostgreSQL reads too) that is a real one
    and coalesce(a ->> 'occurredAt', '') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d(:?\d\d)?)$'
    and crm.capture_time(a ->> 'occurredAt') is not null
    and coalesce(jsonb_typeof(a -> 'participants'), 'array') = 'array'
    and not exists (
      select 1 from jsonb_array_elements(coalesce(a -> 'participants', '[]')) p
      where jsonb_typeof(p) <> 'object'
        or p ? 'contactId'
        or coalesce(p ->> 'role', '') not in ('from', 'to', 'cc', 'author', 'mention', 'about')
        or (nullif(btrim(p ->> 'email'), '') is null and nullif(btrim(p ->> 'slackUserId'), '') is null)
        or coalesce(length(btrim(p ->> 'name')), 0) > 300)
$$;

-- Who a capture is by, as far as its answer goes: requests of one member
-- differ in their ctx's time only.
create or replace function crm.caller_key(ctx jsonb)
returns text
language sql immutable
set search_path = pg_catalog
as $$
  select concat_ws('/', ctx ->> 'memberId', ctx ->> 'source', ctx ->> 'via')
$$;

CREATE OR REPLACE FUNCTION api.interaction_capture_many(args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  items jsonb := coalesce(args -> 'items', '[]');
  ws uuid := (items #>> '{0,ctx,workspaceId}')::uuid;
  w crm.workspaces;
  c jsonb;
  me crm.members;
  -- each caller (crm.caller_key) as the answer's author: {id, name, email}
  callers jsonb := '{}';
  -- the new captures: [{n, iid, key, vis, via, src, ctx, a}]
  fresh jsonb;
  -- their participants as resolved: [{n, o, role, address, slackUserId, name, contactId, memberId}]
  parts jsonb;
  made jsonb := '{}';
  p record;
  cid uuid;
  stored uuid[];
  answers jsonb := '{}';
  one record;
  answer jsonb;
  st text;
  msg text;
  det text;
begin
  if jsonb_typeof(items) <> 'array' or jsonb_array_length(items) = 0 then
    return jsonb_build_object('results', '[]'::jsonb);
  end if;
  if jsonb_array_length(items) > 500 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'items', 'max', 500));
  end if;
  -- every caller checked as a single capture checks it, all of one workspace
  for c in select distinct on (crm.caller_key(t.x -> 'ctx')) t.x -> 'ctx' from jsonb_array_elements(items) t(x) loop
    if (c ->> 'workspaceId')::uuid is distinct from ws then
      perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'workspaceId'));
    end if;
    me := crm.enter(c);
    callers := callers || jsonb_build_object(crm.caller_key(c), jsonb_build_object('id', me.id, 'name', me.display_name, 'email', me.email));
  end loop;
  select * into w from workspaces where id = ws;

  -- the new captures: plain, first of their key in the batch, not stored yet
  select coalesce(jsonb_agg(jsonb_build_object('n', k.n, 'iid', gen_random_uuid(), 'key', k.key, 'vis', k.vis,
      'via', crm.capture_via(k.ctx, k.a), 'src', crm.ctx_source(k.ctx), 'ctx', k.ctx, 'a', k.a) order by k.n), '[]')
    into fresh
  from (
    select j.*, row_number() over (partition by j.key order by j.n) as nth
    from (
      select t.n::int, t.x -> 'ctx' as ctx, t.x -> 'args' as a,
        crm.dedupe_key(t.x #>> '{args,kind}', t.x #>> '{args,source}', t.x #>> '{args,externalId}') as key,
        coalesce(t.x #>> '{args,visibility}', 'workspace') as vis
      from jsonb_array_elements(items) with ordinality t(x, n)
    ) j
  ) k
  where k.nth = 1 and crm.capture_plain(k.a)
    and not exists (select 1 from interactions i where i.workspace_id = ws and i.dedupe_key = k.key);

  -- their participants, resolved as api.interaction_capture resolves them, in one statement
  select coalesce(jsonb_agg(jsonb_build_object('n', q.n, 'o', q.o, 'role', q.role, 'address', q.addr, 'slackUserId', q.sid,
      'name', q.display, 'memberId', q.mid, 'contactId', q.cid, 'creates',
      q.mid is null and q.addr is not null and q.cid is null and crm.capture_creates(w, q.vis, q.via, q.addr, q.role)) order by q.n, q.o), '[]')
    into parts
  from (
    select f.n, pp.o::int, pp.p ->> 'role' as role, a.addr, a.sid, nullif(btrim(pp.p ->> 'name'), '') as display, f.vis, f.via,
      coalesce(mm.id, ma.member_id, ms.id) as mid, ce.cid
    from jsonb_to_recordset(fresh) f(n int, vis text, via text, a jsonb)
    cross join lateral jsonb_array_elements(coalesce(f.a -> 'participants', '[]')) with ordinality pp(p, o)
    cross join lateral (select lower(nullif(btrim(pp.p ->> 'email'), '')) as addr, nullif(btrim(pp.p ->> 'slackUserId'), '') as sid) a
    left join lateral (select m.id from members m where a.addr is not null and m.workspace_id = ws and lower(m.email) = a.addr and m.active limit 1) mm on true
    left join lateral (select x.member_id from member_addresses x join members m on m.workspace_id = ws and m.id = x.member_id and m.active
      where mm.id is null and a.addr is not null and x.workspace_id = ws and x.email = a.addr limit 1) ma on true
    left join lateral (select m.id from members m where mm.id is null and ma.member_id is null and a.sid is not null
      and m.workspace_id = ws and m.active and m.slack_user_id = a.sid limit 1) ms on true
    left join lateral (select coalesce(ct.merged_into_id, ct.id) as cid
      from contact_emails e join contacts ct on ct.id = e.contact_id and ct.workspace_id = ws
      where coalesce(mm.id, ma.member_id, ms.id) is null and a.addr is not null
        and e.workspace_id = ws and crm.norm_email(e.email) = crm.norm_email(a.addr)
      order by lower(e.email) = a.addr desc, lower(e.email) = crm.norm_email(a.addr) desc, ct.created_at, ct.id
      limit 1) ce on true
  ) q;

  -- the contacts these captures make, one per address, in item order
  for p in
    select r.n, r.address, r.name, f.iid, f.ctx, f.src
    from jsonb_to_recordset(parts) r(n int, o int, address text, name text, creates boolean)
    join jsonb_to_recordset(fresh) f(n int, iid uuid, ctx jsonb, src text) on f.n = r.n
    where r.creates order by r.n, r.o
  loop
    if not made ? p.address then
      cid := crm.capture_contact(w, (callers #>> array[crm.caller_key(p.ctx), 'id'])::uuid, p.src, p.address, p.name, p.iid);
      made := made || jsonb_build_object(p.address, cid);
    end if;
  end loop;
  if made <> '{}' then
    select jsonb_agg(case when r ? 'creates' and (r ->> 'creates')::boolean
        then r || jsonb_build_object('contactId', made -> (r ->> 'address')) else r end order by (r ->> 'n')::int, (r ->> 'o')::int)
      into parts from jsonb_array_elements(parts) r;
  end if;

  -- the interactions; one a concurrent call stored first is left to the one-at-a-time part
  with f as (
    select f.*, (f.a ->> 'occurredAt')::timestamptz as at,
      coalesce(f.a ->> 'direction', case
        when f.a ->> 'kind' = 'note' then 'internal'
        when not coalesce(d.any_external, false) then 'internal'
        when d.has_from and d.from_member then 'outbound'
        when d.has_from then 'inbound'
        else 'internal' end) as dir,
      (callers #>> array[crm.caller_key(f.ctx), 'id'])::uuid as author
    from jsonb_to_recordset(fresh) f(n int, iid uuid, key text, vis text, ctx jsonb, a jsonb)
    left join (
      select r.n, bool_or(r.role in ('from', 'author')) as has_from,
        bool_or(r.role in ('from', 'author') and r."memberId" is not null) as from_member,
        bool_or(r."memberId" is null and r.role <> 'about') as any_external
      from jsonb_to_recordset(parts) r(n int, role text, "memberId" uuid)
      group by r.n
    ) d on d.n = f.n
  ), ins as (
    insert into interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
      dedupe_key, thread_key, url, visibility, author_id)
    select f.iid, ws, f.a ->> 'kind', f.dir, f.at, f.a ->> 'subject', f.a ->> 'body', f.a ->> 'source',
      btrim(f.a ->> 'externalId'), f.key, f.a ->> 'threadKey', f.a ->> 'url', f.vis, f.author
    from f order by f.n
    on conflict (workspace_id, dedupe_key) do nothing
    returning id
  )
  select coalesce(array_agg(id), '{}') into stored from ins;

  if cardinality(stored) > 0 then
    insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
      display_name, contact_id, member_id)
    select ws, f.iid, (f.a ->> 'occurredAt')::timestamptz, r.role, r.address, r."slackUserId", r.name, r."contactId", r."memberId"
    from jsonb_to_recordset(parts) r(n int, o int, role text, address text, "slackUserId" text, name text, "contactId" uuid, "memberId" uuid)
    join jsonb_to_recordset(fresh) f(n int, iid uuid, a jsonb) on f.n = r.n
    where f.iid = any(stored)
    order by r.n, r.o
    on conflict do nothing;

    insert into interaction_capturers (workspace_id, interaction_id, member_id, via)
    select ws, f.iid, (callers #>> array[crm.caller_key(f.ctx), 'id'])::uuid, f.via
    from jsonb_to_recordset(fresh) f(iid uuid, ctx jsonb, via text)
    where f.iid = any(stored)
    on conflict do nothing;

    -- a private interaction does not move the contacts' last-interaction time
    update contacts ct set last_interaction_at = m.at
    from (
      select r."contactId" as cid, max((f.a ->> 'occurredAt')::timestamptz) as at
      from jsonb_to_recordset(parts) r(n int, "contactId" uuid)
      join jsonb_to_recordset(fresh) f(n int, iid uuid, vis text, a jsonb) on f.n = r.n
      where f.iid = any(stored) and f.vis <> 'private' and r."contactId" is not null
      group by r."contactId"
    ) m
    where ct.workspace_id = ws and ct.id = m.cid and (ct.last_interaction_at is null or ct.last_interaction_at < m.at);

    insert into audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after)
    select ws, i.author_id, f.src, 'interaction', i.id, 'capture', null,
      jsonb_build_object('kind', i.kind, 'source', i.source, 'externalId', i.external_id, 'direction', i.direction)
    from interactions i join jsonb_to_recordset(fresh) f(n int, iid uuid, src text) on f.iid = i.id
    where i.workspace_id = ws and i.id = any(stored)
    order by f.n;

    -- the answers, as api.interaction_capture gives them, from the rows as stored
    select answers || coalesce(jsonb_object_agg(f.n::text, jsonb_build_object('created', true, 'interaction', jsonb_build_object(
        'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
        'subject', i.subject, 'body', i.body,
        'snippet', left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280),
        'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
        'visibility', i.visibility, 'author', callers -> crm.caller_key(f.ctx),
        'participants', (select coalesce(jsonb_agg(jsonb_build_object(
            'role', ip.role, 'email', ip.address, 'slackUserId', ip.slack_user_id, 'name', ip.display_name,
            'contactId', ip.contact_id, 'memberId', ip.member_id) order by ip.id), '[]'::jsonb)
          from interaction_participants ip where ip.workspace_id = ws and ip.interaction_id = i.id),
        'capturedBy', jsonb_build_array(jsonb_build_object('member', callers -> crm.caller_key(f.ctx), 'via', f.via, 'at', now())),
        'createdAt', i.created_at, 'editedAt', i.edited_at))), '{}')
      into answers
    from interactions i join jsonb_to_recordset(fresh) f(n int, iid uuid, ctx jsonb, via text) on f.iid = i.id
    where i.workspace_id = ws and i.id = any(stored);
  end if;

  -- everything else, one at a time, in item order; a failure fails its item only
  for one in select t.n::int as n, t.x -> 'ctx' as ctx, t.x -> 'args' as a
    from jsonb_array_elements(items) with ordinality t(x, n) order by t.n
  loop
    continue when answers ? one.n::text;
    begin
      answer := api.interaction_capture(one.ctx, one.a);
    exception when others then
      get stacked diagnostics st = returned_sqlstate, msg = message_text, det = pg_exception_detail;
      -- Rapport's own refusals (RPxxx) and what the request's values broke
      -- (22xxx data, 23xxx constraints); anything else fails the call
      if st not like 'RP%' and st not like '22%' and st not like '23%' then
        raise;
      end if;
      answer := jsonb_build_object('error', jsonb_build_object('code', st, 'message', msg, 'detail', nullif(det, '')));
    end;
    answers := answers || jsonb_build_object(one.n::text, answer);
  end loop;

  return jsonb_build_object('results',
    (select jsonb_agg(answers -> g.n::text order by g.n) from generate_series(1, jsonb_array_length(items)) g(n)));
end
$function$;

-- The add-on's thread log (and Gmail sync's pages, through it): the thread's
-- messages in one batch, logged whole or not at all, as before.
CREATE OR REPLACE FUNCTION api.gmail_log(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  c jsonb := ctx || jsonb_build_object('via', coalesce(nullif(ctx ->> 'via', ''), nullif(args ->> 'via', ''), 'addon'));
  msgs jsonb := coalesce(args -> 'messages', '[]');
  res jsonb;
  e jsonb;
begin
  res := api.interaction_capture_many(jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object('ctx', c, 'args', crm.gmail_capture_args(x.m)) order by x.n)
    from jsonb_array_elements(msgs) with ordinality x(m, n)), '[]')));
  select r -> 'error' into e from jsonb_array_elements(res -> 'results') r where r ? 'error' limit 1;
  if e is not null then
    raise exception using errcode = e ->> 'code', message = e ->> 'message', detail = coalesce(e ->> 'detail', '');
  end if;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object(
        'messageId', x.m ->> 'messageId',
        'interactionId', r.r #> '{interaction,id}',
        'created', r.r -> 'created',
        'loggedBy', coalesce(r.r #> '{interaction,author}', 'null'::jsonb)) order by x.n)
    from jsonb_array_elements(msgs) with ordinality x(m, n)
    join jsonb_array_elements(res -> 'results') with ordinality r(r, n) on r.n = x.n), '[]'));
end
$function$;

revoke execute on function crm.capture_creates(crm.workspaces, text, text, text, text) from public;
revoke execute on function crm.capture_contact(crm.workspaces, uuid, text, text, text, uuid) from public;
revoke execute on function crm.capture_plain(jsonb) from public;
revoke execute on function crm.caller_key(jsonb) from public;
revoke execute on function crm.capture_time(text) from public;
revoke execute on function api.interaction_capture_many(jsonb) from public;
grant execute on function crm.capture_creates(crm.workspaces, text, text, text, text) to service_role;
grant execute on function crm.capture_contact(crm.workspaces, uuid, text, text, text, uuid) to service_role;
grant execute on function crm.capture_plain(jsonb) to service_role;
grant execute on function crm.caller_key(jsonb) to service_role;
grant execute on function crm.capture_time(text) to service_role;
grant execute on function api.interaction_capture_many(jsonb) to service_role;
