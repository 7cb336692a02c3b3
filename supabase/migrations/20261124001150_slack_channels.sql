-- Slack channels captured into Rapport (/crm link), their messages as they
-- arrive, edit and go, event claims released on failure, and what the App
-- Home shows (recent activity on my contacts, capture health).
--
-- A channel linked to a company files each message under that company's
-- contacts (the 50 most recently in touch; a company rarely has more people a
-- team talks to), one linked to a contact under that contact.

-- {limit}: the latest interactions on contacts the caller owns, newest first,
-- each with the contact it is filed under.
create or replace function api.me_activity(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 50);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(e.entry order by e.at desc, e.iid desc)
    from (
      select x.occurred_at as at, x.interaction_id as iid,
        jsonb_build_object('interaction', crm.interaction_json(i), 'contact', jsonb_build_object(
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
$$;

create or replace function crm.channel_link_json(l crm.slack_channel_links) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'teamId', l.team_id, 'channelId', l.channel_id, 'channelName', l.channel_name, 'isExtShared', l.is_ext_shared,
    'target', case
      when l.company_id is not null then jsonb_build_object('type', 'company', 'id', l.company_id,
        'name', (select name from companies where workspace_id = l.workspace_id and id = l.company_id))
      else jsonb_build_object('type', 'contact', 'id', l.contact_id,
        'name', (select name from contacts where workspace_id = l.workspace_id and id = l.contact_id)) end,
    'linkedBy', crm.member_brief(l.workspace_id, l.linked_by), 'linkedAt', l.linked_at,
    'lastCapturedAt', l.last_captured_at, 'lastError', l.last_error, 'lastErrorAt', l.last_error_at)
$$;

-- Every captured channel of the workspace, for the App Home's capture health.
create or replace function api.channel_links_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.channel_link_json(l) order by l.last_error_at desc nulls last, l.channel_name, l.channel_id)
    from slack_channel_links l where l.workspace_id = me.workspace_id), '[]'::jsonb));
end
$$;

-- {teamId, channelId, channelName?, isExtShared, companyId | contactId}: capture
-- this channel from now on, filed under the company or contact. Linking again
-- moves the link.
create or replace function api.channel_link(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  co uuid := (args ->> 'companyId')::uuid;
  ct uuid := (args ->> 'contactId')::uuid;
  before crm.slack_channel_links;
  l crm.slack_channel_links;
begin
  if co is not null and not exists (select 1 from companies where workspace_id = ws and id = co) then
    perform crm.fail(404, 'company_not_found', jsonb_build_object('id', co));
  end if;
  if ct is not null then
    select coalesce(merged_into_id, id) into ct from contacts where workspace_id = ws and id = ct;
    if ct is null then
      perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', args ->> 'contactId'));
    end if;
  end if;
  if not exists (select 1 from slack_installations where team_id = args ->> 'teamId' and workspace_id = ws) then
    perform crm.fail(403, 'slack_team_not_linked', jsonb_build_object('teamId', args ->> 'teamId'));
  end if;
  select * into before from slack_channel_links where team_id = args ->> 'teamId' and channel_id = args ->> 'channelId';
  insert into slack_channel_links (workspace_id, team_id, channel_id, channel_name, company_id, contact_id, is_ext_shared, linked_by)
  values (ws, args ->> 'teamId', args ->> 'channelId', args ->> 'channelName', co, ct,
    coalesce((args ->> 'isExtShared')::boolean, false), me.id)
  on conflict (team_id, channel_id) do update
    set company_id = excluded.company_id, contact_id = excluded.contact_id, channel_name = excluded.channel_name,
        is_ext_shared = excluded.is_ext_shared, linked_by = excluded.linked_by, linked_at = now(),
        last_error = null, last_error_at = null
  returning * into l;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'slack_channel_link', l.id, 'link',
    case when before.id is null then null else crm.channel_link_json(before) end, crm.channel_link_json(l));
  return crm.channel_link_json(l);
end
$$;

-- {teamId, channelId}: stop capturing this channel. {unlinked: false} when it was not linked.
create or replace function api.channel_unlink(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  l crm.slack_channel_links;
begin
  delete from slack_channel_links
    where workspace_id = me.workspace_id and team_id = args ->> 'teamId' and channel_id = args ->> 'channelId'
    returning * into l;
  if l.id is null then
    return jsonb_build_object('unlinked', false);
  end if;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'slack_channel_link', l.id, 'unlink',
    crm.channel_link_json(l), null);
  return jsonb_build_object('unlinked', true, 'link', crm.channel_link_json(l));
end
$$;

-- Service-level (the Slack app, before it knows whether a channel is linked):
-- {teamId, channelId, authorSlackId?, capture: <interaction_capture args>}.
-- {linked: false} for a channel nobody linked; else the capture, made as the
-- member who wrote the message or, for a customer's message, the member who
-- linked the channel, and filed under the link's company or contact.
create or replace function api.slack_channel_capture(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  l crm.slack_channel_links;
  actor uuid;
  cap jsonb := args -> 'capture';
  about jsonb;
  res jsonb;
begin
  select * into l from slack_channel_links where team_id = args ->> 'teamId' and channel_id = args ->> 'channelId';
  if l.id is null then
    return jsonb_build_object('linked', false);
  end if;
  perform set_config('rapport.workspace_id', l.workspace_id::text, true);
  select id into actor from members
    where workspace_id = l.workspace_id and slack_user_id = args ->> 'authorSlackId' and active;
  if actor is null then
    select id into actor from members where workspace_id = l.workspace_id and id = l.linked_by and active;
  end if;
  if actor is null then
    select id into actor from members where workspace_id = l.workspace_id and active
      order by (role = 'admin') desc, created_at limit 1;
  end if;
  about := case when l.contact_id is not null
    then jsonb_build_array(jsonb_build_object('role', 'about', 'contactId', l.contact_id))
    else coalesce((
      select jsonb_agg(jsonb_build_object('role', 'about', 'contactId', c.id))
      from (select id from contacts
            where workspace_id = l.workspace_id and company_id = l.company_id and merged_into_id is null
            order by last_interaction_at desc nulls last, id limit 50) c), '[]'::jsonb) end;
  cap := jsonb_set(cap, '{participants}', coalesce(cap -> 'participants', '[]'::jsonb) || about);
  res := api.interaction_capture(jsonb_build_object('workspaceId', l.workspace_id, 'memberId', actor, 'source', 'slack'), cap);
  update slack_channel_links set last_captured_at = now(), last_error = null, last_error_at = null where id = l.id;
  return res || jsonb_build_object('linked', true);
end
$$;

-- {teamId, channelId, error}: a message in a linked channel could not be
-- captured; the App Home shows it.
create or replace function api.slack_channel_failed(args jsonb) returns jsonb
  language sql
  set search_path = crm, pg_catalog
as $$
  update slack_channel_links set last_error = left(args ->> 'error', 500), last_error_at = now()
  where team_id = args ->> 'teamId' and channel_id = args ->> 'channelId'
  returning to_jsonb(true)
$$;

-- {teamId, externalId, body, editedAt}: a captured Slack message was edited.
-- {found: false} when it was never captured (or is deleted).
create or replace function api.slack_message_edit(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (select workspace_id from slack_installations where team_id = args ->> 'teamId');
  before crm.interactions;
  i crm.interactions;
begin
  if ws is null then
    return jsonb_build_object('found', false);
  end if;
  perform set_config('rapport.workspace_id', ws::text, true);
  select * into before from interactions
    where workspace_id = ws and dedupe_key = crm.dedupe_key('slack', 'slack', args ->> 'externalId') and deleted_at is null
    for update;
  if before.id is null then
    return jsonb_build_object('found', false);
  end if;
  if before.body is not distinct from args ->> 'body' then
    return jsonb_build_object('found', true, 'changed', false);
  end if;
  update interactions set body = args ->> 'body', edited_at = coalesce((args ->> 'editedAt')::timestamptz, now())
    where id = before.id returning * into i;
  perform crm.audit(ws, null, 'slack', 'interaction', i.id, 'edit',
    jsonb_build_object('body', before.body), jsonb_build_object('body', i.body, 'editedAt', i.edited_at));
  return jsonb_build_object('found', true, 'changed', true);
end
$$;

-- {teamId, externalId}: a captured Slack message was deleted in Slack. It
-- leaves the timeline; the audit log keeps it whole.
create or replace function api.slack_message_delete(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (select workspace_id from slack_installations where team_id = args ->> 'teamId');
  i crm.interactions;
begin
  if ws is null then
    return jsonb_build_object('found', false);
  end if;
  perform set_config('rapport.workspace_id', ws::text, true);
  update interactions set deleted_at = now()
    where workspace_id = ws and dedupe_key = crm.dedupe_key('slack', 'slack', args ->> 'externalId') and deleted_at is null
    returning * into i;
  if i.id is null then
    return jsonb_build_object('found', false);
  end if;
  perform crm.audit(ws, null, 'slack', 'interaction', i.id, 'delete', crm.interaction_json(i, true), null);
  return jsonb_build_object('found', true);
end
$$;

-- {teamId, eventId, workspaceId?}: true the first time an event is seen. Slack
-- retries for at most about an hour, so claims older than three days are
-- dropped as new ones arrive (an index range that is almost always empty).
create or replace function api.slack_event_claim(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  added int;
begin
  delete from slack_events where received_at < now() - interval '3 days';
  insert into slack_events (team_id, event_id, workspace_id)
  values (args ->> 'teamId', args ->> 'eventId', (args ->> 'workspaceId')::uuid)
  on conflict do nothing;
  get diagnostics added = row_count;
  return to_jsonb(added = 1);
end
$$;

-- {teamId, eventId}: forget an event whose handling failed, so Slack's retry
-- of it is handled instead of dropped.
create or replace function api.slack_event_release(args jsonb) returns jsonb
  language sql
  set search_path = crm, pg_catalog
as $$
  with d as (delete from slack_events where team_id = args ->> 'teamId' and event_id = args ->> 'eventId' returning 1)
  select to_jsonb(exists (select 1 from d))
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
