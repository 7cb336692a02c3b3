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

-- api.interaction_capture with 'about' participants: see
-- 20261124001520_capture_normalised.sql, its one definition.


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
