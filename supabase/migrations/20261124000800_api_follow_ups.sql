-- Follow-ups: create, update (done / reopen / reschedule / reassign), list.
--
-- "today" and "this week" are the reader's own days, in their timezone, so a rep
-- in Tokyo and one in New York each see their own today. A follow-up may be
-- changed by its owner, whoever created it, the owner's managers and admins.

create or replace function api.follow_up_create(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'contactId')::uuid);
  owner uuid := me.id;
  f crm.follow_ups;
begin
  if args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  if args ->> 'sourceInteractionId' is not null and not exists (
      select 1 from interactions where workspace_id = ws and id = (args ->> 'sourceInteractionId')::uuid) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'sourceInteractionId'));
  end if;
  insert into follow_ups (workspace_id, contact_id, owner_id, due_at, note, source_interaction_id, created_by)
  values (ws, c.id, owner, (args ->> 'dueAt')::timestamptz, args ->> 'note',
    (args ->> 'sourceInteractionId')::uuid, me.id)
  returning * into f;
  perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'create', null,
    crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  return crm.follow_up_json(f);
end
$$;

create or replace function api.follow_up_update(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  f crm.follow_ups;
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb;
  new_status text;
begin
  select * into f from follow_ups where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if f.id is null then
    perform crm.fail(404, 'follow_up_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if not (me.role = 'admin' or f.owner_id = me.id or f.created_by = me.id
          or me.id in (select crm.managers_of(ws, f.owner_id))) then
    perform crm.fail(403, 'follow_up_forbidden', jsonb_build_object('id', f.id));
  end if;
  before := crm.follow_up_json(f);
  new_status := coalesce(p ->> 'status', f.status);
  update follow_ups set
    status = new_status,
    completed_at = case when new_status = 'open' then null
                        when f.status = 'open' then now_ else completed_at end,
    completed_by = case when new_status = 'open' then null
                        when f.status = 'open' then me.id else completed_by end,
    due_at = coalesce((p ->> 'dueAt')::timestamptz, due_at),
    note = case when p ? 'note' then p ->> 'note' else note end,
    owner_id = case when p ->> 'ownerEmail' is not null
                    then crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') else owner_id end
  where id = f.id
  returning * into f;
  if crm.follow_up_json(f) is distinct from before then
    perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'update', before,
      crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  end if;
  return crm.follow_up_json(f);
end
$$;

create or replace function api.follow_ups_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  tz text := coalesce(me.timezone, 'UTC');
  day_start timestamptz := date_trunc('day', now_ at time zone tz) at time zone tz;
  owners uuid[];
  lo timestamptz;
  hi timestamptz;
  who text := coalesce(args ->> 'owner', 'me');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 100), 1), 500);
begin
  if who = 'me' then
    owners := array[me.id];
  elsif who = 'team' then
    if me.role = 'admin' then
      owners := array(select id from members where workspace_id = ws);
    else
      owners := array(select crm.team_of(ws, me.id));
    end if;
  else
    owners := array[crm.member_by_email(ws, who, 'owner')];
  end if;
  case args ->> 'due'
    when 'overdue' then hi := now_;
    when 'today' then lo := day_start; hi := day_start + interval '1 day';
    when 'week' then hi := day_start + interval '7 days';
    else null;
  end case;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.follow_up_json(f) order by f.due_at, f.id)
    from (
      select * from follow_ups f
      where f.workspace_id = ws and f.owner_id = any (owners)
        and f.status = coalesce(args ->> 'status', 'open')
        and (lo is null or f.due_at >= lo)
        and (hi is null or f.due_at < hi)
      order by f.due_at, f.id
      limit lim
    ) f), '[]'::jsonb));
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
