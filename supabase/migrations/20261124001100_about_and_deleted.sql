-- Interactions about a contact named by id, and interactions that leave.
--
-- A participant may now name a contact by id (role 'about'): the contact a note,
-- a call or a Slack message is about, when no address says so ("Log to
-- Rapport", notes and calls from Slack's modals, linked channels).
-- A message deleted in Slack gets deleted_at: it leaves every timeline and
-- read, while its capture and its deletion stay in the audit log.

alter table crm.interaction_participants drop constraint interaction_participants_role_check;
alter table crm.interaction_participants add constraint interaction_participants_role_check
  check (role in ('from', 'to', 'cc', 'author', 'mention', 'about'));
alter table crm.interaction_participants drop constraint interaction_participants_check;
alter table crm.interaction_participants add constraint interaction_participants_check
  check (address is not null or slack_user_id is not null or contact_id is not null);
drop index crm.participants_uq;
create unique index participants_uq on crm.interaction_participants
  (interaction_id, role, coalesce(address, ''), coalesce(slack_user_id, ''),
   coalesce(contact_id, '00000000-0000-0000-0000-000000000000'::uuid));

create or replace function crm.interaction_json(i crm.interactions, full_body boolean default false) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
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
    'createdAt', i.created_at, 'editedAt', i.edited_at)
$$;


create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  entries jsonb;
  n int;
begin
  with i as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, 'i:' || i.id as key,
      jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', crm.interaction_json(i)) as entry
    from (
      select distinct p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and crm.can_see(ws, viewer, i.visibility, i.author_id)
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key,
      jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json(f)) as entry
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key,
      jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', a.after)) as entry
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (select * from i union all select * from f union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  )
  select jsonb_agg(jsonb_build_object('at', at, 'key', key, 'entry', entry) order by at desc, key desc), count(*)
    into entries, n
  from page;

  if coalesce(n, 0) > lim then
    return jsonb_build_object(
      'items', (select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o) where o <= lim),
      'nextCursor', jsonb_build_object('at', entries -> (lim - 1) -> 'at', 'key', entries -> (lim - 1) ->> 'key'));
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o)), '[]'::jsonb),
    'nextCursor', null);
end
$$;

create or replace function api.interaction_capture(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  i crm.interactions;
  key text := crm.dedupe_key(args ->> 'kind', args ->> 'source', args ->> 'externalId');
  at timestamptz := (args ->> 'occurredAt')::timestamptz;
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
begin
  select * into w from workspaces where id = ws;

  insert into interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
    dedupe_key, thread_key, url, visibility, author_id)
  values (ws, args ->> 'kind', coalesce(dir, 'internal'), at, args ->> 'subject', args ->> 'body',
    args ->> 'source', btrim(args ->> 'externalId'), key, args ->> 'threadKey', args ->> 'url',
    coalesce(args ->> 'visibility', 'workspace'), me.id)
  on conflict (workspace_id, dedupe_key) do nothing
  returning * into i;

  if i.id is null then
    select * into i from interactions where workspace_id = ws and dedupe_key = key;
    -- captured before: say so, but a private one shows the caller no more
    -- than that it exists and whose it is
    return jsonb_build_object('created', false, 'interaction', case
      when crm.can_see(ws, me.id, i.visibility, i.author_id) then crm.interaction_json(i, true)
      else jsonb_build_object('id', i.id, 'kind', i.kind, 'visibility', i.visibility,
        'author', crm.member_brief(ws, i.author_id), 'createdAt', i.created_at) end);
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
    select id into mid from members
      where workspace_id = ws and active
        and ((addr is not null and lower(email) = addr) or (sid is not null and slack_user_id = sid))
      order by (addr is not null and lower(email) = addr) desc
      limit 1;
    if mid is null and addr is not null and cid is null then
      select coalesce(c.merged_into_id, c.id) into cid
        from contact_emails e join contacts c on c.id = e.contact_id and c.workspace_id = ws
        where e.workspace_id = ws and lower(e.email) = addr;
      if cid is null and not crm.is_internal(w, addr)
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
            crm.contact_json(new_contact) || jsonb_build_object('fromInteractionId', i.id));
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
    insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
      display_name, contact_id, member_id)
    values (ws, i.id, at, p ->> 'role', addr, sid, nullif(btrim(p ->> 'name'), ''), cid, mid)
    on conflict do nothing;
    -- a private interaction does not move the contact's last-interaction time,
    -- which everyone in the workspace can see
    if cid is not null and i.visibility = 'workspace' then
      update contacts set last_interaction_at = greatest(last_interaction_at, at)
        where workspace_id = ws and id = cid and (last_interaction_at is null or last_interaction_at < at);
    end if;
  end loop;

  if dir is null then
    dir := case
      when i.kind = 'note' then 'internal'
      when not any_external then 'internal'
      when has_from and from_member then 'outbound'
      when has_from then 'inbound'
      else 'internal' end;
    update interactions set direction = dir where id = i.id returning * into i;
  end if;

  perform crm.audit(ws, me.id, src, 'interaction', i.id, 'capture', null,
    jsonb_build_object('kind', i.kind, 'source', i.source, 'externalId', i.external_id, 'direction', i.direction));
  return jsonb_build_object('created', true, 'interaction', crm.interaction_json(i, true));
end
$$;

create or replace function api.interaction_get(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  i crm.interactions;
begin
  select * into i from interactions where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid and deleted_at is null;
  if i.id is null or not crm.can_see(me.workspace_id, me.id, i.visibility, i.author_id) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  return crm.interaction_json(i, true);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
