-- api.interaction_capture writes the interaction row once. It used to insert
-- the row first (to learn whether it was new), resolve the participants, and
-- then update the row's direction: a second version of a row with six indexes,
-- on every capture. Now a repeat is recognised by its dedupe key first and
-- answered without writing anything; a new capture resolves its participants
-- (creating contacts for unknown addresses as before), works out the direction,
-- and inserts the interaction, its participants and the last-interaction times
-- in one statement each. Behaviour is unchanged: same
-- answers, same rows, same audit entries (test/backend/api.test.ts,
-- test/backend/audit.test.ts, test/slack-app/capture.test.ts).
--
-- Two deliveries of the same new message at the same moment: both resolve the
-- participants (a contact for an unknown address is made once: the address is
-- unique, and the second maker uses the first's contact), one inserts the
-- interaction, the other finds it taken and answers as a repeat.

-- Every capture moves its contacts' last_interaction_at. On a full page that
-- update is a new row version in every index of contacts (three of them GIN);
-- with 10 % of each page left free it stays on the page (a HOT update) and
-- touches no index. Pages written from now on keep the space (existing ones
-- gain it when rewritten, e.g. by VACUUM FULL).
-- Measured on the benchmark's data, per capture in the database (2 cores):
-- 0.99 ms before this migration, 0.89 ms with the single write, 0.74 ms with
-- the free space as well.
alter table crm.contacts set (fillfactor = 90);

-- The answer to a capture of something captured before: say so, but a private
-- one shows the caller no more than that it exists and whose it is.
create or replace function crm.capture_repeat(ws uuid, viewer uuid, i crm.interactions) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('created', false, 'interaction', case
    when crm.can_see(ws, viewer, i.visibility, i.author_id) then crm.interaction_json(i, true)
    else jsonb_build_object('id', i.id, 'kind', i.kind, 'visibility', i.visibility,
      'author', crm.member_brief(ws, i.author_id), 'createdAt', i.created_at) end)
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
  iid uuid := gen_random_uuid();
  key text := crm.dedupe_key(args ->> 'kind', args ->> 'source', args ->> 'externalId');
  at timestamptz := (args ->> 'occurredAt')::timestamptz;
  vis text := coalesce(args ->> 'visibility', 'workspace');
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
begin
  select * into i from interactions where workspace_id = ws and dedupe_key = key;
  if i.id is not null then
    return crm.capture_repeat(ws, me.id, i);
  end if;
  select * into w from workspaces where id = ws;

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
            crm.contact_json(new_contact) || jsonb_build_object('fromInteractionId', iid));
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
    return crm.capture_repeat(ws, me.id, i);
  end if;

  insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
    display_name, contact_id, member_id)
  select ws, iid, at, r ->> 'role', r ->> 'address', r ->> 'slackUserId', r ->> 'name',
    (r ->> 'contactId')::uuid, (r ->> 'memberId')::uuid
  from jsonb_array_elements(resolved) with ordinality t(r, o)
  order by o
  on conflict do nothing;

  -- a private interaction does not move the contacts' last-interaction time,
  -- which everyone in the workspace can see
  if vis = 'workspace' then
    update contacts c set last_interaction_at = at
    where c.workspace_id = ws
      and c.id in (select (r ->> 'contactId')::uuid from jsonb_array_elements(resolved) r where r ->> 'contactId' is not null)
      and (c.last_interaction_at is null or c.last_interaction_at < at);
  end if;

  perform crm.audit(ws, me.id, src, 'interaction', i.id, 'capture', null,
    jsonb_build_object('kind', i.kind, 'source', i.source, 'externalId', i.external_id, 'direction', i.direction));
  return jsonb_build_object('created', true, 'interaction', crm.interaction_json(i, true));
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
