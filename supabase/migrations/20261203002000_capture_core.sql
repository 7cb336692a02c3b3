-- Capture core (issue 16): what Gmail sync, the capture address and the
-- add-on share once email reaches Rapport without anyone clicking Log.
--
-- * crm.interaction_capturers: every member who captured an interaction and
--   how (via: addon, bcc, forward, sync, api, slack, import), one row per
--   (interaction, member, via). One email is one interaction however many
--   ways it arrives; this is where each of those ways is remembered. Existing
--   interactions are backfilled from their author and source. The interaction
--   JSON shows it as capturedBy.
-- * visibility 'subject': the rest of the workspace sees who, when and the
--   subject, never the body (API, timeline, activity, digest); the author and
--   their managers see all (crm.can_read). 'private' is unchanged: the author
--   and their managers only (crm.can_see).
-- * crm.member_addresses: a member's other sending addresses (an alias, a
--   second mailbox, the Gmail account sync reads). They count as the member's
--   wherever an address is matched to a member: capture's participants (mail
--   from an alias is outbound), the capture address's sender check and the
--   Gmail sidebar. Stored lower-cased, unique per workspace, never another
--   member's primary address. As for a member's primary address, an address
--   that is a member's is not a contact: capture matches the member first and
--   makes no contact of it; an existing contact holding it is left as it is.
-- * Refused mail at a capture address is kept 90 days and at most 200 per
--   member; a person's export and erasure cover refusals of mail they sent.
-- The current text of each object is in supabase/schema/.

create table crm.interaction_capturers (
  workspace_id uuid not null references crm.workspaces(id),
  interaction_id uuid not null,
  member_id uuid not null,
  via text not null check (via in ('addon', 'bcc', 'forward', 'sync', 'api', 'slack', 'import')),
  captured_at timestamptz not null default now(),
  primary key (workspace_id, interaction_id, member_id, via),
  -- an erased interaction takes its capture record with it
  foreign key (workspace_id, interaction_id) references crm.interactions(workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references crm.members(workspace_id, id)
);
create index interaction_capturers_member_idx on crm.interaction_capturers (workspace_id, member_id);
alter table crm.interaction_capturers enable row level security;
create policy workspace_isolation on crm.interaction_capturers for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.interaction_capturers to service_role;

insert into crm.interaction_capturers (workspace_id, interaction_id, member_id, via, captured_at)
select i.workspace_id, i.id, i.author_id,
  case i.source when 'gmail' then 'addon' when 'slack' then 'slack' when 'import' then 'import' else 'api' end,
  i.created_at
from crm.interactions i
where i.author_id is not null
on conflict do nothing;

create table crm.member_addresses (
  workspace_id uuid not null references crm.workspaces(id),
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320 and email = lower(email)),
  member_id uuid not null,
  added_by uuid,
  created_at timestamptz not null default now(),
  primary key (workspace_id, email),
  foreign key (workspace_id, member_id) references crm.members(workspace_id, id),
  foreign key (workspace_id, added_by) references crm.members(workspace_id, id)
);
create index member_addresses_member_idx on crm.member_addresses (workspace_id, member_id);
create index member_addresses_added_by_idx on crm.member_addresses (workspace_id, added_by);
alter table crm.member_addresses enable row level security;
create policy workspace_isolation on crm.member_addresses for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.member_addresses to service_role;

alter table crm.interactions drop constraint interactions_visibility_check;
alter table crm.interactions add constraint interactions_visibility_check
  check (visibility in ('workspace', 'private', 'subject'));

-- How the caller captured: ctx.via when the backend or a SQL caller names it,
-- else from where the request came.
--   crm.capture_via('{"source":"gmail"}', '{}') = 'addon'
--   crm.capture_via('{"source":"gmail","via":"sync"}', '{}') = 'sync'
create function crm.capture_via(ctx jsonb, args jsonb) returns text
language plpgsql immutable set search_path = pg_catalog as $$
begin
  return coalesce(nullif(ctx ->> 'via', ''), case
    when args ->> 'source' = 'import' then 'import'
    when ctx ->> 'source' = 'gmail' then 'addon'
    when ctx ->> 'source' = 'slack' then 'slack'
    else 'api' end);
end
$$;

-- Records that mid captured the interaction this way; a repeat is a no-op.
create function crm.capturer_add(ws uuid, iid uuid, mid uuid, how text) returns void
language plpgsql set search_path = crm, pg_catalog as $$
begin
  if mid is not null then
    insert into interaction_capturers (workspace_id, interaction_id, member_id, via)
    values (ws, iid, mid, how)
    on conflict do nothing;
  end if;
end
$$;

-- [{member: MemberBrief, via, at}], first capture first.
create function crm.capturers_json(ws uuid, iid uuid) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object(
      'member', jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email),
      'via', c.via, 'at', c.captured_at) order by c.captured_at, c.member_id, c.via), '[]'::jsonb)
    from interaction_capturers c join members m on m.workspace_id = ws and m.id = c.member_id
    where c.workspace_id = ws and c.interaction_id = iid);
end
$$;

-- The active member an address belongs to: their primary address first,
-- then their other addresses. null when it is no member's.
--   crm.member_of_address(ws, 'Jane.Alias@ours.example') = <Jane's id>
create function crm.member_of_address(ws uuid, addr text) returns uuid
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  e text := lower(btrim(addr));
  mid uuid;
begin
  select id into mid from members where workspace_id = ws and lower(email) = e and active;
  if mid is null then
    select a.member_id into mid from member_addresses a
      join members m on m.workspace_id = ws and m.id = a.member_id and m.active
      where a.workspace_id = ws and a.email = e;
  end if;
  return mid;
end
$$;

-- Adds one of mid's sending addresses (Gmail sync adds the mailbox's own).
-- true when added; false when it is already theirs (their primary address
-- included); 409 when it is another member's.
create function crm.member_address_add(ws uuid, mid uuid, address text, by_member uuid default null) returns boolean
language plpgsql set search_path = crm, pg_catalog as $$
declare
  e text := lower(btrim(address));
  holder uuid;
begin
  if e is null or e !~ '^[^@\s]+@[^@\s]+$' or length(e) > 320 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'addresses'));
  end if;
  select m.id into holder from members m where m.workspace_id = ws and lower(m.email) = e;
  if holder is null then
    insert into member_addresses (workspace_id, email, member_id, added_by)
    values (ws, e, mid, coalesce(by_member, mid))
    on conflict (workspace_id, email) do nothing;
    if found then
      return true;
    end if;
    select a.member_id into holder from member_addresses a where a.workspace_id = ws and a.email = e;
  end if;
  if holder <> mid then
    perform crm.fail(409, 'member_address_taken', jsonb_build_object('email', e, 'member', crm.member_brief(ws, holder)));
  end if;
  return false;
end
$$;

-- PATCH /api/members/{id} {addresses}: mid's other addresses become exactly these.
create function crm.member_addresses_set(ws uuid, mid uuid, emails text[], by_member uuid) returns void
language plpgsql set search_path = crm, pg_catalog as $$
declare
  e text;
begin
  if cardinality(emails) > 20 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'addresses'));
  end if;
  delete from member_addresses a where a.workspace_id = ws and a.member_id = mid
    and not (a.email = any (array(select lower(btrim(x)) from unnest(emails) x)));
  foreach e in array emails loop
    perform crm.member_address_add(ws, mid, e, by_member);
  end loop;
end
$$;

-- Who may read the body: 'workspace' is everyone's; 'subject' and 'private'
-- bodies are their author's and their managers'.
create function crm.can_read(ws uuid, viewer uuid, visibility text, author uuid) returns boolean
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select visibility = 'workspace'
      or (viewer is not null and author = viewer)
      or (viewer is not null and author is not null and viewer in (select crm.managers_of(ws, author))));
end
$$;

-- Who may see that it exists (who, when, subject): everyone unless it is private.
create or replace function crm.can_see(ws uuid, viewer uuid, visibility text, author uuid) returns boolean
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select visibility <> 'private' or crm.can_read(ws, viewer, visibility, author));
end
$$;

create or replace function crm.interaction_json(i crm.interactions, full_body boolean default false) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select jsonb_build_object(
    'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
    'subject', i.subject,
    'body', case when full_body then i.body else null end,
    'snippet', left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280),
    'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
    'visibility', i.visibility, 'author', crm.member_brief(i.workspace_id, i.author_id),
    'participants', coalesce((
      select jsonb_agg(jsonb_build_object(
        'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
        'contactId', p.contact_id, 'memberId', p.member_id) order by p.id)
      from interaction_participants p where p.interaction_id = i.id and p.workspace_id = i.workspace_id), '[]'::jsonb),
    'capturedBy', crm.capturers_json(i.workspace_id, i.id),
    'createdAt', i.created_at, 'editedAt', i.edited_at));
end
$$;

-- The interaction as viewer may see it: a 'subject' one without its body
-- unless they may read it (crm.can_read). The caller has checked crm.can_see.
create function crm.interaction_json_as(i crm.interactions, viewer uuid, full_body boolean default false) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  if i.visibility = 'subject' and not crm.can_read(i.workspace_id, viewer, i.visibility, i.author_id) then
    return crm.interaction_json(i, false) || jsonb_build_object('body', null, 'snippet', '');
  end if;
  return crm.interaction_json(i, full_body);
end
$$;

create or replace function crm.capture_repeat(ws uuid, viewer uuid, i crm.interactions) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select jsonb_build_object('created', false, 'interaction', case
    when crm.can_see(ws, viewer, i.visibility, i.author_id) then crm.interaction_json_as(i, viewer, true)
    else jsonb_build_object('id', i.id, 'kind', i.kind, 'visibility', i.visibility,
      'author', crm.member_brief(ws, i.author_id), 'createdAt', i.created_at) end));
end
$$;

-- A message's capture arguments, with the visibility it was captured under
-- (sync's per-member setting; the workspace's default when left out).
create or replace function crm.gmail_capture_args(m jsonb) returns jsonb
language sql immutable set search_path = crm, pg_catalog as $$
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
    'visibility', m ->> 'visibility',
    'participants', coalesce((
      select jsonb_agg(jsonb_build_object('role', g.role, 'email', g.email, 'name', g.name) order by g.ord)
      from crm.gmail_addresses(m) g), '[]'::jsonb)))
$$;

-- The one email capture entry (the add-on's Log, the capture address, sync):
-- ctx.via (or args.via) says how the caller captured; 'addon' when neither does.
create or replace function api.gmail_log(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  c jsonb := ctx || jsonb_build_object('via', coalesce(nullif(ctx ->> 'via', ''), nullif(args ->> 'via', ''), 'addon'));
  m jsonb;
  r jsonb;
  items jsonb := '[]';
begin
  for m in select x.m from jsonb_array_elements(coalesce(args -> 'messages', '[]')) with ordinality x(m, n) order by x.n loop
    r := api.interaction_capture(c, crm.gmail_capture_args(m));
    items := items || jsonb_build_array(jsonb_build_object(
      'messageId', m ->> 'messageId',
      'interactionId', r #> '{interaction,id}',
      'created', r -> 'created',
      'loggedBy', coalesce(r #> '{interaction,author}', 'null'::jsonb)));
  end loop;
  return jsonb_build_object('items', items);
end
$$;

-- POST /inbound/*, as before, with: the sender may be any of the member's
-- addresses; args.via ('bcc' or 'forward') records how; a refusal prunes the
-- member's list to 90 days and 200 entries.
create or replace function api.inbound_capture(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  a crm.capture_addresses;
  m crm.members;
  reason text;
  msg jsonb := args -> 'message';
  sender text := lower(btrim(coalesce(args ->> 'sender', msg #>> '{from,email}', '')));
  r jsonb;
begin
  select * into a from capture_addresses where secret = lower(btrim(args ->> 'secret'));
  if a.secret is null then
    return jsonb_build_object('refused', 'address_unknown');
  end if;
  select * into m from members where id = a.member_id and workspace_id = a.workspace_id and active;
  if m.id is null then
    return jsonb_build_object('refused', 'address_unknown');
  end if;
  reason := case
    when a.retired_at is not null then 'address_retired'
    when coalesce((args ->> 'authenticationFailed')::boolean, false) then 'authentication_failed'
    when sender <> lower(m.email)
      and not exists (select 1 from member_addresses x where x.workspace_id = m.workspace_id and x.member_id = m.id and x.email = sender)
      then 'sender_not_member'
  end;
  if reason is not null then
    insert into capture_refusals (workspace_id, member_id, reason, sender, subject)
    values (m.workspace_id, m.id, reason, left(coalesce(args ->> 'sender', msg #>> '{from,email}'), 320), left(msg ->> 'subject', 1000));
    delete from capture_refusals x
      where x.workspace_id = m.workspace_id and x.member_id = m.id
        and (x.at < now() - interval '90 days'
             or x.id in (select y.id from capture_refusals y where y.workspace_id = m.workspace_id and y.member_id = m.id
                         order by y.at desc, y.id offset 200));
    return jsonb_build_object('refused', reason);
  end if;
  r := api.gmail_log(
    jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'source', 'gmail', 'now', now(),
      'via', case when args ->> 'via' = 'forward' then 'forward' else 'bcc' end),
    jsonb_build_object('messages', jsonb_build_array(msg)));
  return jsonb_build_object('interactionId', r #> '{items,0,interactionId}', 'created', r #> '{items,0,created}');
end
$$;

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
  new_contact crm.contacts;
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
      -- a private capture makes nothing that others could see
      if cid is null and vis <> 'private' and not crm.is_internal(w, addr)
         and (w.auto_create_contacts = 'all' or (w.auto_create_contacts = 'senders' and p ->> 'role' in ('from', 'author'))) then
        insert into contacts (workspace_id, name, company_id, owner_id, source, created_by, stage)
        values (ws,
          left(coalesce(nullif(btrim(p ->> 'name'), ''), split_part(addr, '@', 1)), 300),
          case when crm.is_free_mail(w, addr) then null else crm.company_for_domain(ws, crm.email_domain(addr), me.id, src) end,
          me.id, src, me.id, 'lead')
        returning * into new_contact;
        begin
          insert into contact_emails (workspace_id, contact_id, email, is_primary) values (ws, new_contact.id, addr, true);
          cid := new_contact.id;
          perform crm.audit(ws, me.id, src, 'contact', cid, 'create', null,
            crm.contact_json(new_contact) || jsonb_build_object('fromInteractionId', iid));
          perform crm.link_address(ws, cid, addr);
        exception when unique_violation then
          -- a concurrent capture created this contact first: use theirs, drop ours
          delete from contacts where id = new_contact.id;
          select contact_id into cid from contact_emails where workspace_id = ws and lower(email) = addr;
        end;
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


CREATE OR REPLACE FUNCTION crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  items jsonb;
  n int;
  last_at timestamptz;
  last_key text;
  -- whose private interactions the viewer sees: their own and their reports'
  -- (crm.can_see's rule, worked out once instead of once per private entry)
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
begin
  with ids as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, p.interaction_id as id
    from (
      select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and p.occurred_at <= coalesce(cat, 'infinity')
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
      order by p.occurred_at desc, p.interaction_id desc
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and (i.visibility <> 'private' or i.author_id = any (team))
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key, 'f' as t, f.id::text as ref
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key, 'a' as t, a.id::text as ref
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (
      select at, 'i:' || id as key, 'i' as t, id::text as ref from ids
      union all select * from f
      union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  ), built as (
    select pg.at, pg.key, jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', jsonb_build_object(
      'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
      'subject', i.subject,
      'body', null,
      -- the first 280 characters with whitespace runs collapsed, as
      -- crm.interaction_json gives them, from the first 600 characters when
      -- they are enough (collapsing a prefix gives a prefix of the collapsed
      -- whole), so a long email body is neither read nor scanned whole
      'snippet', case
        -- 'subject': others see who, when and the subject, never the body
        when i.visibility = 'subject' and not (i.author_id = any (team)) then ''
        when i.body is null or octet_length(i.body) <= 600 then left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280)
        when length(regexp_replace(left(i.body, 600), '\s+', ' ', 'g')) >= 280 then left(regexp_replace(left(i.body, 600), '\s+', ' ', 'g'), 280)
        else left(regexp_replace(i.body, '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'capturedBy', coalesce(caps.j, '[]'::jsonb),
      'createdAt', i.created_at, 'editedAt', i.edited_at)) as entry
    from page pg
    join interactions i on i.workspace_id = ws and i.id = pg.ref::uuid
    left join members m on m.workspace_id = ws and m.id = i.author_id
    -- per interaction, through participants_uq: a shared grouped CTE joined
    -- here became a nested loop over all its rows for each entry (51 x 51)
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
          'contactId', p.contact_id, 'memberId', p.member_id) order by p.id) as j
      from interaction_participants p
      where p.workspace_id = ws and p.interaction_id = i.id) parts on true
    left join lateral (select crm.capturers_json(ws, i.id) as j) caps on true
    where pg.t = 'i'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json_for(f, team))
    from page pg join follow_ups f on f.workspace_id = ws and f.id = pg.ref::uuid
    where pg.t = 'f'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', crm.change_after_for(ws, a.after, team)))
    from page pg join audit_log a on a.workspace_id = ws and a.id = pg.ref::bigint
    where pg.t = 'a'
  )
  -- the page's entries in one aggregate, and the cursor from the last one shown
  select jsonb_agg(b.entry order by b.rn) filter (where b.rn <= lim), count(*),
    min(b.at) filter (where b.rn = lim), min(b.key) filter (where b.rn = lim)
    into items, n, last_at, last_key
  from (select built.at, built.key, built.entry, row_number() over (order by built.at desc, built.key desc) as rn from built) b;

  return jsonb_build_object(
    'items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'key', last_key) end);
end
$function$;


CREATE OR REPLACE FUNCTION api.digest_compose(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  now_ timestamptz := crm.ctx_now(ctx);
  today date;
  day_start timestamptz;
  day_end timestamptz;
  yday_start timestamptz;
  team uuid[];
  seg_filter jsonb;
  seg jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  today := (now_ at time zone me.timezone)::date;
  day_start := today::timestamp at time zone me.timezone;
  day_end := (today + 1)::timestamp at time zone me.timezone;
  yday_start := (today - 1)::timestamp at time zone me.timezone;
  team := array(select crm.team_of(ws, me.id));
  -- a digest scoped to a saved segment: its follow-ups, waiting and going-cold
  -- contacts are the segment's (as the reader resolves it); a deleted segment
  -- scopes nothing
  if me.digest_segment_id is not null then
    select filter into seg_filter from segments where workspace_id = ws and id = me.digest_segment_id;
    if found then
      seg := crm.segment_resolve(ws, me.id, seg_filter);
    end if;
  end if;

  return (
    with fu as (
      select f.id, f.owner_id, f.contact_id, f.due_at, f.note, f.due_at < day_start as overdue
      from follow_ups f
      where f.workspace_id = ws and f.owner_id = any (team) and f.status = 'open' and f.due_at < day_end
        and (seg is null or exists (select 1 from contacts sc where sc.workspace_id = ws and sc.id = f.contact_id and crm.segment_matches(sc, seg)))
    ), ranked as (
      select fu.*,
        row_number() over (partition by overdue, case when overdue then owner_id end order by due_at, id) as rn,
        count(*) over (partition by overdue, case when overdue then owner_id end) as n,
        min(due_at) over (partition by overdue, case when overdue then owner_id end) as oldest
      from fu
    ), fu_items as (
      select r.id, r.owner_id, r.due_at, r.overdue, r.n, r.oldest, o.display_name as owner_name,
        jsonb_build_object('id', r.id, 'dueAt', r.due_at, 'note', r.note,
          'contact', jsonb_build_object('id', c.id, 'name', c.name, 'company', co.name),
          'owner', jsonb_build_object('id', o.id, 'name', o.display_name)) as item
      from ranked r
      join contacts c on c.workspace_id = ws and c.id = r.contact_id
      left join companies co on co.workspace_id = ws and co.id = c.company_id
      join members o on o.workspace_id = ws and o.id = r.owner_id
      where r.rn <= case when r.overdue then 5 else 10 end
    ), by_rep as (
      select owner_id, owner_name, max(n) as n, min(oldest) as oldest, jsonb_agg(item order by due_at, id) as items
      from fu_items where overdue group by owner_id, owner_name
    ), tc as (
      select c.id, c.name, c.company_id, c.owner_id, c.stage,
        coalesce(c.last_interaction_at, c.created_at) as silent_since
      from contacts c
      where c.workspace_id = ws and c.owner_id = any (team) and c.merged_into_id is null
        and (seg is null or crm.segment_matches(c, seg))
    ), last_in as (
      -- each team contact's latest inbound email or Slack message old enough to await a reply
      select distinct on (p.contact_id) p.contact_id, i.id, i.kind, i.occurred_at, i.subject,
        -- a 'subject' email waits for a reply like any other; its body stays with its author
        case when i.visibility = 'workspace' then i.body end as body
      from tc
      join interaction_participants p on p.workspace_id = ws and p.contact_id = tc.id
        and p.occurred_at <= now_ - w.reply_window and p.occurred_at >= now_ - interval '14 days'
      join interactions i on i.workspace_id = ws and i.id = p.interaction_id
      where i.direction = 'inbound' and i.kind in ('email', 'slack') and i.visibility in ('workspace', 'subject') and i.deleted_at is null
      order by p.contact_id, p.occurred_at desc, i.id desc
    ), waiting as (
      select l.*, row_number() over (order by l.occurred_at, l.id) as rn, count(*) over () as n
      from last_in l
      where not exists (
        select 1 from interaction_participants p
        join interactions o on o.workspace_id = ws and o.id = p.interaction_id
        -- (t is within 14 days, so only the last 14 days can hold a reply)
        where p.workspace_id = ws and p.contact_id = l.contact_id and p.occurred_at > l.occurred_at
          and p.occurred_at >= now_ - interval '14 days'
          and o.direction = 'outbound' and o.deleted_at is null)
    ), cold as (
      select tc.*, row_number() over (order by silent_since, id) as rn, count(*) over () as n
      from tc
      where tc.stage in ('prospect', 'customer') and tc.silent_since < now_ - w.cold_after
    ), act as (
      select i.author_id as mid,
        count(*) filter (where i.kind = 'email') as emails, count(*) filter (where i.kind = 'slack') as slack,
        count(*) filter (where i.kind = 'note') as notes, count(*) filter (where i.kind in ('call', 'meeting')) as calls,
        0::bigint as done, 0::bigint as created
      from interactions i
      where i.workspace_id = ws and i.author_id = any (team) and i.deleted_at is null
        and i.created_at >= yday_start and i.created_at < day_start
      group by i.author_id
      union all
      select f.completed_by, 0, 0, 0, 0, count(*), 0 from follow_ups f
      where f.workspace_id = ws and f.completed_by = any (team) and f.status = 'done'
        and f.completed_at >= yday_start and f.completed_at < day_start
      group by f.completed_by
      union all
      select f.created_by, 0, 0, 0, 0, 0, count(*) from follow_ups f
      where f.workspace_id = ws and f.created_by = any (team)
        and f.created_at >= yday_start and f.created_at < day_start
      group by f.created_by
    ), yesterday as (
      select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', m.id, 'name', m.display_name),
          'emails', a.emails, 'slack', a.slack, 'notes', a.notes, 'calls', a.calls,
          'followUpsDone', a.done, 'followUpsCreated', a.created) order by m.display_name, m.id), '[]'::jsonb) as j
      from (select mid, sum(emails) as emails, sum(slack) as slack, sum(notes) as notes, sum(calls) as calls,
              sum(done) as done, sum(created) as created
            from act group by mid) a
      join members m on m.workspace_id = ws and m.id = a.mid
    ), sections as (
      select
        (select count(*) from fu where overdue) as overdue_n,
        (select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', owner_id, 'name', owner_name),
            'total', n, 'items', items) order by oldest, owner_id), '[]'::jsonb) from by_rep) as by_rep,
        (select count(*) from fu where not overdue) as today_n,
        (select coalesce(jsonb_agg(item order by due_at, id), '[]'::jsonb) from fu_items where not overdue) as today_items,
        (select count(*) from waiting) as waiting_n,
        (select coalesce(jsonb_agg(jsonb_build_object(
            'contact', jsonb_build_object('id', c.id, 'name', c.name, 'company', co.name),
            'owner', case when o.id is null then null else jsonb_build_object('id', o.id, 'name', o.display_name) end,
            'interaction', jsonb_build_object('id', x.id, 'kind', x.kind, 'occurredAt', x.occurred_at, 'subject', x.subject,
              'snippet', left(regexp_replace(coalesce(x.body, ''), '\s+', ' ', 'g'), 280))) order by x.rn), '[]'::jsonb)
          from waiting x
          join contacts c on c.workspace_id = ws and c.id = x.contact_id
          left join companies co on co.workspace_id = ws and co.id = c.company_id
          left join members o on o.workspace_id = ws and o.id = c.owner_id
          where x.rn <= 10) as waiting_items,
        (select count(*) from cold) as cold_n,
        (select coalesce(jsonb_agg(jsonb_build_object(
            'contact', jsonb_build_object('id', x.id, 'name', x.name, 'company', co.name),
            'owner', case when o.id is null then null else jsonb_build_object('id', o.id, 'name', o.display_name) end,
            'stage', x.stage, 'lastInteractionAt', x.silent_since) order by x.rn), '[]'::jsonb)
          from cold x
          left join companies co on co.workspace_id = ws and co.id = x.company_id
          left join members o on o.workspace_id = ws and o.id = x.owner_id
          where x.rn <= 10) as cold_items,
        (select j from yesterday) as yesterday
    )
    select jsonb_build_object(
      'reader', jsonb_build_object('memberId', me.id, 'name', me.display_name, 'locale', me.locale,
        'timezone', me.timezone, 'slackUserId', me.slack_user_id),
      'localDate', to_char(today, 'YYYY-MM-DD'),
      'isManager', crm.has_reports(ws, me.id),
      'whenEmpty', w.digest_when_empty,
      'overdue', jsonb_build_object('total', s.overdue_n, 'byRep', s.by_rep),
      'dueToday', jsonb_build_object('total', s.today_n, 'items', s.today_items),
      'waiting', jsonb_build_object('total', s.waiting_n, 'items', s.waiting_items),
      'goingCold', jsonb_build_object('total', s.cold_n, 'items', s.cold_items),
      'yesterday', s.yesterday,
      'empty', s.overdue_n = 0 and s.today_n = 0 and s.waiting_n = 0 and s.cold_n = 0 and s.yesterday = '[]'::jsonb)
    from sections s
  );
end
$function$;


CREATE OR REPLACE FUNCTION api.follow_up_create(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'contactId')::uuid);
  owner uuid := me.id;
  f crm.follow_ups;
  key text := nullif(btrim(args ->> 'clientKey'), '');
  team uuid[] := array(select crm.team_of(ws, me.id));
begin
  if key is not null then
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    if f.id is not null then
      return crm.follow_up_json_for(f, team) || jsonb_build_object('created', false);
    end if;
  end if;
  if args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  if args ->> 'sourceInteractionId' is not null and not exists (
      select 1 from interactions i where i.workspace_id = ws and i.id = (args ->> 'sourceInteractionId')::uuid
        and (i.visibility <> 'private' or i.author_id = any (team))) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'sourceInteractionId'));
  end if;
  insert into follow_ups (workspace_id, contact_id, owner_id, due_at, note, source_interaction_id, created_by, client_key)
  values (ws, c.id, owner, (args ->> 'dueAt')::timestamptz, args ->> 'note',
    (args ->> 'sourceInteractionId')::uuid, me.id, key)
  on conflict (workspace_id, client_key) where client_key is not null do nothing
  returning * into f;
  if f.id is null then
    -- the same key created a moment ago by a concurrent request
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    return crm.follow_up_json_for(f, team) || jsonb_build_object('created', false);
  end if;
  perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'create', null,
    crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  return crm.follow_up_json(f) || jsonb_build_object('created', true);
end
$function$;


CREATE OR REPLACE FUNCTION crm.link_address(ws uuid, cid uuid, addr text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  newest timestamptz;
begin
  with linked as (
    update interaction_participants p set contact_id = cid
    where p.workspace_id = ws and p.address = lower(btrim(addr)) and p.contact_id is null and p.member_id is null
    returning p.interaction_id, p.occurred_at
  )
  select max(l.occurred_at) into newest
  from linked l join interactions i on i.workspace_id = ws and i.id = l.interaction_id
  where i.visibility <> 'private' and i.deleted_at is null;
  if newest is not null then
    update contacts set last_interaction_at = newest
    where workspace_id = ws and id = cid and (last_interaction_at is null or last_interaction_at < newest);
  end if;
end
$function$;


CREATE OR REPLACE FUNCTION api.me_activity(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 50);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(e.entry order by e.at desc, e.iid desc)
    from (
      select x.occurred_at as at, x.interaction_id as iid,
        jsonb_build_object('interaction', crm.interaction_json_as(i, me.id), 'contact', jsonb_build_object(
          'id', c.id, 'name', c.name,
          'company', (select jsonb_build_object('id', co.id, 'name', co.name) from companies co
                      where co.workspace_id = c.workspace_id and co.id = c.company_id))) as entry
      from (
        -- one row per interaction, filed under the most recent of my contacts in it
        select distinct on (p.interaction_id) p.interaction_id, p.occurred_at, p.contact_id
        from contacts c
        join interaction_participants p on p.workspace_id = c.workspace_id and p.contact_id = c.id
        where c.workspace_id = me.workspace_id and c.owner_id = me.id
        order by p.interaction_id, p.occurred_at desc
      ) x
      join interactions i on i.workspace_id = me.workspace_id and i.id = x.interaction_id
      join contacts c on c.workspace_id = me.workspace_id and c.id = x.contact_id
      where i.deleted_at is null and crm.can_see(me.workspace_id, me.id, i.visibility, i.author_id)
      order by x.occurred_at desc, x.interaction_id desc
      limit lim
    ) e), '[]'::jsonb));
end
$function$;


CREATE OR REPLACE FUNCTION api.interaction_get(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  i crm.interactions;
begin
  select * into i from interactions where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid and deleted_at is null;
  if i.id is null or not crm.can_see(me.workspace_id, me.id, i.visibility, i.author_id) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  return crm.interaction_json_as(i, me.id, true);
end
$function$;


CREATE OR REPLACE FUNCTION api.gmail_context(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
      -- a colleague, by their address or one of their other sending addresses
      and crm.member_of_address(ws, f.email) is null
  )
  select count(*)::int,
    jsonb_agg(crm.gmail_person(w, me.id, e.email, e.name, e.role) order by e.ord) filter (where e.rank <= cap)
    into total, people
  from external e;

  return jsonb_build_object(
    'me', case when me.id is null then null else jsonb_build_object(
      'id', me.id, 'name', me.display_name, 'email', me.email, 'locale', me.locale, 'timezone', me.timezone,
      -- joined by themselves and not told yet: the add-on says so, then POST /api/me/welcome
      'welcome', case when me.welcome_due then jsonb_build_object('workspace', w.name, 'role', me.role) end) end,
    'logged', logged,
    'people', coalesce(people, '[]'::jsonb),
    'more', greatest(total - cap, 0));
end
$function$;


CREATE OR REPLACE FUNCTION crm.member_json(m crm.members)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
begin
  return (select jsonb_build_object(
    'id', m.id, 'email', m.email, 'name', m.display_name, 'role', m.role,
    'manager', crm.member_brief(m.workspace_id, m.manager_id), 'managerId', m.manager_id,
    'timezone', m.timezone, 'locale', m.locale, 'slackUserId', m.slack_user_id,
    'active', m.active, 'joinedVia', m.joined_via, 'lastSeenAt', m.last_seen_at,
    'addresses', coalesce((select jsonb_agg(a.email order by a.email) from member_addresses a
                           where a.workspace_id = m.workspace_id and a.member_id = m.id), '[]'::jsonb)));
end
$function$;


CREATE OR REPLACE FUNCTION api.member_update(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  m crm.members;
  before jsonb;
begin
  select * into m from members where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if me.role <> 'admin' and (m.id <> me.id or args ?| array['role', 'managerId', 'name', 'addresses']) then
    perform crm.fail(403, 'admin_only');
  end if;
  before := crm.member_json(m);
  if args ? 'role' and m.role = 'admin' and args ->> 'role' <> 'admin' and m.active
    and not exists (select 1 from members where workspace_id = ws and active and role = 'admin' and id <> m.id) then
    perform crm.fail(409, 'last_admin', jsonb_build_object('name', m.display_name));
  end if;
  if args ? 'managerId' then
    perform crm.check_manager(ws, m.id, (args ->> 'managerId')::uuid);
  end if;
  if args ? 'timezone' then
    perform crm.check_timezone(args ->> 'timezone');
  end if;
  update members set
    role = coalesce(args ->> 'role', role),
    display_name = coalesce(btrim(args ->> 'name'), display_name),
    manager_id = case when args ? 'managerId' then (args ->> 'managerId')::uuid else manager_id end,
    timezone = coalesce(args ->> 'timezone', timezone),
    timezone_chosen = timezone_chosen or args ? 'timezone',
    locale = coalesce(args ->> 'locale', locale),
    locale_chosen = locale_chosen or args ? 'locale'
  where id = m.id returning * into m;
  if args ? 'addresses' then
    perform crm.member_addresses_set(ws, m.id, array(select jsonb_array_elements_text(args -> 'addresses')), me.id);
  end if;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'member', m.id, 'update', before, crm.member_json(m));
  return crm.member_json(m);
end
$function$;


CREATE OR REPLACE FUNCTION api.contact_export(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ids uuid[] := crm.person_for_admin(me, args);
  emails text[] := (select coalesce(array_agg(lower(email)), '{}') from contact_emails where workspace_id = ws and contact_id = any (ids));
  fids uuid[] := (select coalesce(array_agg(id), '{}') from follow_ups where workspace_id = ws and contact_id = any (ids));
  iids uuid[] := (select coalesce(array_agg(distinct p.interaction_id), '{}') from interaction_participants p
                  where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails)));
begin
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'contact_export', ids[1], 'export', null, jsonb_build_object(
    'contactId', ids[1], 'contacts', cardinality(ids), 'interactions', cardinality(iids),
    'privateInteractions', (select count(*) from interactions i where i.workspace_id = ws and i.id = any (iids) and i.visibility = 'private'),
    'followUps', cardinality(fids)));
  return jsonb_build_object(
    'contact', (select crm.contact_json(c) from contacts c where c.workspace_id = ws and c.id = ids[1]),
    'mergedContacts', coalesce((select jsonb_agg(crm.contact_json(c) order by c.created_at) from contacts c
                                where c.workspace_id = ws and c.id = any (ids[2:])), '[]'::jsonb),
    'interactions', coalesce((select jsonb_agg(crm.interaction_json(i, true) || jsonb_build_object('deletedAt', i.deleted_at)
                                               order by i.occurred_at, i.id)
                              from interactions i
                              where i.workspace_id = ws and i.id = any (iids)), '[]'::jsonb),
    'followUps', coalesce((select jsonb_agg(crm.follow_up_json(f) order by f.created_at, f.id) from follow_ups f
                           where f.workspace_id = ws and f.id = any (fids)), '[]'::jsonb),
    'audit', coalesce((select jsonb_agg(jsonb_build_object('at', a.at, 'entityType', a.entity_type, 'entityId', a.entity_id,
                                          'action', a.action, 'source', a.source, 'actor', crm.member_brief(ws, a.actor_member_id),
                                          'before', a.before, 'after', a.after) order by a.at, a.id)
                       from audit_log a
                       where a.workspace_id = ws and (a.entity_id = any (ids) or a.entity_id = any (fids))), '[]'::jsonb),
    -- mail this person sent to a member's capture address that was refused
    'captureRefusals', coalesce((select jsonb_agg(jsonb_build_object('at', r.at, 'reason', r.reason, 'from', r.sender,
                                   'subject', r.subject, 'member', crm.member_brief(ws, r.member_id)) order by r.at, r.id)
                                 from capture_refusals r
                                 where r.workspace_id = ws and lower(btrim(r.sender)) = any (emails)), '[]'::jsonb),
    'exportedAt', crm.ctx_now(ctx));
end
$function$;


CREATE OR REPLACE FUNCTION api.contact_erase(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ids uuid[] := crm.person_for_admin(me, args);
  emails text[];
  pii text[];
  touched uuid[];
  gone uuid[];
  n_follow int;
  n_audit int;
begin
  perform 1 from contacts where workspace_id = ws and id = any (ids) for update;
  select coalesce(array_agg(lower(email)), '{}') into emails from contact_emails where workspace_id = ws and contact_id = any (ids);
  select array_agg(distinct s) filter (where s is not null and length(s) >= 2) into pii from (
    select name as s from contacts where workspace_id = ws and id = any (ids)
    union select phone from contacts where workspace_id = ws and id = any (ids)
    union select unnest(emails)
    union select p.display_name from interaction_participants p
      where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails))
    union select p.address from interaction_participants p where p.workspace_id = ws and p.contact_id = any (ids)
  ) x;
  pii := coalesce(pii, '{}');

  select coalesce(array_agg(distinct p.interaction_id), '{}') into touched from interaction_participants p
    where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails));
  -- interactions no other external person took part in
  select coalesce(array_agg(i), '{}') into gone from unnest(touched) i
    where not exists (
      select 1 from interaction_participants o
      where o.workspace_id = ws and o.interaction_id = i and o.member_id is null
        and not (coalesce(o.contact_id = any (ids), false) or coalesce(o.address = any (emails), false))
        and (o.contact_id is not null or o.address is not null));

  update follow_ups set source_interaction_id = null
    where workspace_id = ws and source_interaction_id = any (gone) and not (contact_id = any (ids));
  delete from follow_ups where workspace_id = ws and contact_id = any (ids);
  get diagnostics n_follow = row_count;
  delete from interaction_participants where workspace_id = ws and interaction_id = any (gone);
  delete from interactions where workspace_id = ws and id = any (gone);
  delete from interaction_participants
    where workspace_id = ws and interaction_id = any (touched) and (contact_id = any (ids) or address = any (emails));
  update interactions set subject = crm.redact_text(subject, pii), body = crm.redact_text(body, pii)
    where workspace_id = ws and id = any (touched);
  delete from capture_refusals where workspace_id = ws and lower(btrim(sender)) = any (emails);
  delete from duplicate_dismissals where workspace_id = ws and (contact_a = any (ids) or contact_b = any (ids));
  delete from merges where workspace_id = ws and (survivor_id = any (ids) or merged_ids && ids);
  delete from slack_channel_links where workspace_id = ws and contact_id = any (ids);
  delete from contact_emails where workspace_id = ws and contact_id = any (ids);
  update contacts set merged_into_id = null where workspace_id = ws and id = any (ids);
  delete from contacts where workspace_id = ws and id = any (ids);

  n_audit := crm.audit_anonymise(ws, ids, pii);
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'contact', ids[1], 'erase', null, jsonb_build_object(
    'erased', true, 'contacts', cardinality(ids), 'interactionsDeleted', cardinality(gone),
    'interactionsRedacted', cardinality(touched) - cardinality(gone), 'followUps', n_follow, 'auditEntries', n_audit));
  return jsonb_build_object('erased', true, 'id', ids[1], 'contacts', cardinality(ids),
    'interactionsDeleted', cardinality(gone), 'interactionsRedacted', cardinality(touched) - cardinality(gone),
    'followUps', n_follow, 'auditEntries', n_audit);
end
$function$;


revoke execute on function crm.capture_via(jsonb, jsonb) from public;
revoke execute on function crm.capturer_add(uuid, uuid, uuid, text) from public;
revoke execute on function crm.capturers_json(uuid, uuid) from public;
revoke execute on function crm.member_of_address(uuid, text) from public;
revoke execute on function crm.member_address_add(uuid, uuid, text, uuid) from public;
revoke execute on function crm.member_addresses_set(uuid, uuid, text[], uuid) from public;
revoke execute on function crm.can_read(uuid, uuid, text, uuid) from public;
revoke execute on function crm.interaction_json_as(crm.interactions, uuid, boolean) from public;
grant execute on function crm.capture_via(jsonb, jsonb) to service_role;
grant execute on function crm.capturer_add(uuid, uuid, uuid, text) to service_role;
grant execute on function crm.capturers_json(uuid, uuid) to service_role;
grant execute on function crm.member_of_address(uuid, text) to service_role;
grant execute on function crm.member_address_add(uuid, uuid, text, uuid) to service_role;
grant execute on function crm.member_addresses_set(uuid, uuid, text[], uuid) to service_role;
grant execute on function crm.can_read(uuid, uuid, text, uuid) to service_role;
grant execute on function crm.interaction_json_as(crm.interactions, uuid, boolean) to service_role;
