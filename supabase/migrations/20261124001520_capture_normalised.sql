-- Capture finds a contact by its normalised address too (crm.norm_email,
-- 20261124001500_duplicates.sql), besides naming contacts by id (role
-- 'about') and answering a repeat capture without a private body. This is
-- the one definition of api.interaction_capture since 20261124000700.

-- An address finds its contact by the normalised address too, so mail from
-- jane+news@acme.com is filed under Jane, never under a new contact.
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
      -- the contact owning this address, else the one owning it without its
      -- +tag (jane+news@ goes to jane@'s contact): the exact address first,
      -- then the plain one, then the oldest
      select coalesce(c.merged_into_id, c.id) into cid
        from contact_emails e join contacts c on c.id = e.contact_id and c.workspace_id = ws
        where e.workspace_id = ws and crm.norm_email(e.email) = crm.norm_email(addr)
        order by lower(e.email) = addr desc, lower(e.email) = crm.norm_email(addr) desc, c.created_at, c.id
        limit 1;
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

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
