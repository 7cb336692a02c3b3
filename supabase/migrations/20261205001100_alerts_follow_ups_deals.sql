-- Alerts (issue 19), the producers' second part: follow-ups, deals and
-- capture failures write their alerts into the outbox (crm.alerts) in the
-- transaction of the change, by triggers, so every path that changes them
-- (the API, the Slack app, the add-on, the scheduler) alerts alike.
--
-- * follow_up_due at the follow-up's due minute, follow_up_overdue once at
--   the start of its owner's next day (crm.alert_to_member moves both into
--   the owner's working period); rescheduled or reassigned, the follow-up
--   gets new alerts and the old ones are skipped when due ('rescheduled');
--   done or canceled, they are skipped ('closed').
-- * deal_created (to the owner, unless they created it), deal_stage_changed,
--   deal_won, deal_lost (from crm.deal_stage_changes: to the owner unless
--   they made the change), deal_close_passed at the start of the owner's day
--   after the expected close date (skipped when the deal closed or the date
--   moved). Channel rules get them with the deal's owner, company and stage.
-- * capture_failed: a linked Slack channel whose capture started failing
--   (slack_channel_links.last_error set where it was null), to the member
--   who linked it and the workspace's admins; a Gmail mailbox that stopped
--   (status 'reconnect' or 'failed'), to the admins, and to its member only
--   when it 'failed': a mailbox that needs reconnecting already sends its
--   member the "reconnect your mailbox" DM (api.mailbox_failed's notify),
--   so the member is not told twice.
--
-- Nothing historic alerts: a follow-up or close date more than two days gone
-- when written makes no overdue/close-passed alert; imported deals no
-- created/stage alert.

create function crm.alerts_on_follow_up() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
declare
  m members;
  c contacts;
  subject jsonb;
  tail text := new.id || ':' || extract(epoch from new.due_at)::bigint || ':' || new.owner_id;
  overdue timestamptz;
begin
  select * into m from members x where x.workspace_id = new.workspace_id and x.id = new.owner_id;
  select * into c from contacts x where x.workspace_id = new.workspace_id and x.id = new.contact_id;
  subject := jsonb_build_object('contactId', new.contact_id, 'companyId', c.company_id, 'followUpId', new.id,
    'ownerId', new.owner_id, 'stage', c.stage, 'detail', jsonb_build_object('dueAt', new.due_at));
  -- one made already late is overdue rather than due
  if new.due_at >= now() - interval '1 hour' then
    perform crm.alert_emit(new.workspace_id, 'follow_up_due', 'follow_up_due:' || tail, new.due_at, array[new.owner_id], subject);
  end if;
  overdue := (((new.due_at at time zone m.timezone)::date + 1)::timestamp) at time zone m.timezone;
  if overdue >= now() - interval '2 days' then
    perform crm.alert_emit(new.workspace_id, 'follow_up_overdue', 'follow_up_overdue:' || tail, overdue, array[new.owner_id], subject);
  end if;
  return null;
end $$;
create trigger follow_ups_alert_insert after insert on crm.follow_ups
  for each row when (new.status = 'open') execute function crm.alerts_on_follow_up();
create trigger follow_ups_alert_update after update of due_at, owner_id, status on crm.follow_ups
  for each row when (new.status = 'open' and (old.due_at is distinct from new.due_at or old.owner_id is distinct from new.owner_id
                                               or old.status is distinct from new.status))
  execute function crm.alerts_on_follow_up();

-- Every recorded stage change: created (no from status), won, lost, or moved.
create function crm.alerts_on_deal_stage() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
declare
  x record;
  kind text;
  detail jsonb;
begin
  for x in
    select n.id, n.actor_member_id, n.from_stage, n.to_stage, n.from_status, n.to_status, d
    from new_rows n join deals d on d.workspace_id = n.workspace_id and d.id = n.deal_id
    where n.source <> 'import'
    order by n.id
  loop
    kind := case
      when x.from_status is null then 'deal_created'
      when x.to_status = 'won' and x.from_status <> 'won' then 'deal_won'
      when x.to_status = 'lost' and x.from_status <> 'lost' then 'deal_lost'
      when x.from_stage is distinct from x.to_stage or x.from_status is distinct from x.to_status then 'deal_stage_changed' end;
    continue when kind is null;
    detail := case kind
      when 'deal_created' then jsonb_build_object('stage', x.to_stage)
      when 'deal_stage_changed' then jsonb_build_object('fromStage', x.from_stage, 'toStage', x.to_stage)
      else jsonb_strip_nulls(jsonb_build_object('stage', x.to_stage, 'reason', (x.d).close_reason)) end;
    perform crm.alert_emit((x.d).workspace_id, kind,
      case when kind = 'deal_created' then 'deal_created:' || (x.d).id else 'deal_stage:' || x.id end,
      now(), array[(x.d).owner_id],
      jsonb_build_object('dealId', (x.d).id, 'companyId', (x.d).company_id, 'ownerId', (x.d).owner_id, 'stage', x.to_stage,
                         'actorId', x.actor_member_id, 'detail', detail));
  end loop;
  return null;
end $$;
create trigger deal_stage_changes_alert after insert on crm.deal_stage_changes
  referencing new table as new_rows for each statement execute function crm.alerts_on_deal_stage();

-- An open deal with an expected close date: an alert for the start of the
-- owner's day after it (the workspace's zone when it has no owner).
create function crm.alerts_on_deal_close() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
declare
  tz text := coalesce((select m.timezone from members m where m.workspace_id = new.workspace_id and m.id = new.owner_id),
                      (select w.default_timezone from workspaces w where w.id = new.workspace_id), 'UTC');
  due timestamptz := ((new.close_date + 1)::timestamp) at time zone tz;
begin
  if due >= now() - interval '2 days' then
    perform crm.alert_emit(new.workspace_id, 'deal_close_passed',
      'deal_close_passed:' || new.id || ':' || new.close_date || ':' || coalesce(new.owner_id::text, '-'), due, array[new.owner_id],
      jsonb_build_object('dealId', new.id, 'companyId', new.company_id, 'ownerId', new.owner_id, 'stage', new.stage,
                         'detail', jsonb_build_object('closeDate', new.close_date)));
  end if;
  return null;
end $$;
create trigger deals_close_alert_insert after insert on crm.deals
  for each row when (new.status = 'open' and new.close_date is not null) execute function crm.alerts_on_deal_close();
create trigger deals_close_alert_update after update of close_date, status, owner_id on crm.deals
  for each row when (new.status = 'open' and new.close_date is not null and (old.close_date is distinct from new.close_date
                     or old.status is distinct from new.status or old.owner_id is distinct from new.owner_id))
  execute function crm.alerts_on_deal_close();

-- The workspace's active admins.
create function crm.alert_admins(ws uuid) returns uuid[]
language sql stable set search_path = crm, pg_catalog as $$
  select coalesce(array_agg(m.id order by m.id), '{}') from members m where m.workspace_id = ws and m.role = 'admin' and m.active
$$;

create function crm.alerts_on_channel_failed() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
begin
  perform crm.alert_emit(new.workspace_id, 'capture_failed',
    'capture_failed:channel:' || new.id || ':' || extract(epoch from coalesce(new.last_error_at, now()))::bigint, now(),
    array[new.linked_by] || crm.alert_admins(new.workspace_id),
    jsonb_build_object('contactId', new.contact_id, 'companyId', new.company_id, 'detail', jsonb_build_object(
      'what', 'channel', 'channelId', new.channel_id, 'channelName', new.channel_name, 'error', new.last_error)));
  return null;
end $$;
create trigger slack_channel_links_failed_alert after update of last_error on crm.slack_channel_links
  for each row when (old.last_error is null and new.last_error is not null) execute function crm.alerts_on_channel_failed();

create function crm.alerts_on_mailbox_failed() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
begin
  perform crm.alert_emit(new.workspace_id, 'capture_failed',
    'capture_failed:mailbox:' || new.id || ':' || extract(epoch from coalesce(new.last_error_at, now()))::bigint, now(),
    case when new.status = 'failed' then array[new.member_id] else '{}' end
      || array(select a from unnest(crm.alert_admins(new.workspace_id)) a where new.status = 'failed' or a <> new.member_id),
    jsonb_build_object('detail', jsonb_build_object('what', 'mailbox', 'address', new.address, 'error', new.last_error)));
  return null;
end $$;
create trigger mailboxes_failed_alert after update of status on crm.mailboxes
  for each row when (new.status in ('reconnect', 'failed') and old.status not in ('reconnect', 'failed'))
  execute function crm.alerts_on_mailbox_failed();

-- Whether a due alert still has a reason to go out (null), or why not.
create or replace function crm.alert_relevant(a crm.alerts) returns text
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  i interactions;
  c contacts;
  f follow_ups;
  d deals;
begin
  case
    when a.kind in ('waiting_reply', 'tagged_inbound') then
      select * into i from interactions x where x.workspace_id = a.workspace_id and x.id = a.interaction_id;
      if i.id is null or i.deleted_at is not null then
        return 'gone';
      end if;
      select * into c from contacts x where x.workspace_id = a.workspace_id and x.id = a.contact_id;
      if c.id is null then
        return 'gone';
      end if;
      if a.kind = 'waiting_reply' then
        if exists (select 1 from reply_assignments r where r.workspace_id = a.workspace_id and r.interaction_id = i.id and r.state = 'done') then
          return 'done';
        end if;
        if crm.alert_answered(i, coalesce(c.merged_into_id, c.id)) then
          return 'answered';
        end if;
      end if;
    when a.kind in ('follow_up_due', 'follow_up_overdue') then
      select * into f from follow_ups x where x.workspace_id = a.workspace_id and x.id = a.follow_up_id;
      if f.id is null then
        return 'gone';
      elsif f.status <> 'open' then
        return 'closed';
      elsif f.due_at is distinct from (a.detail ->> 'dueAt')::timestamptz or (a.member_id is not null and f.owner_id <> a.member_id) then
        return 'rescheduled';
      end if;
    when a.kind in ('deal_created', 'deal_stage_changed', 'deal_won', 'deal_lost', 'deal_close_passed') then
      select * into d from deals x where x.workspace_id = a.workspace_id and x.id = a.deal_id;
      if d.id is null then
        return 'gone';
      end if;
      if a.kind = 'deal_close_passed' then
        if d.status <> 'open' then
          return 'closed';
        elsif d.close_date is distinct from (a.detail ->> 'closeDate')::date or (a.member_id is not null and d.owner_id is distinct from a.member_id) then
          return 'rescheduled';
        end if;
      end if;
    when a.kind = 'capture_failed' then
      if a.detail ->> 'what' = 'channel' then
        if not exists (select 1 from slack_channel_links l where l.workspace_id = a.workspace_id and l.channel_id = a.detail ->> 'channelId') then
          return 'gone';
        elsif not exists (select 1 from slack_channel_links l where l.workspace_id = a.workspace_id and l.channel_id = a.detail ->> 'channelId'
                          and l.last_error is not null) then
          return 'recovered';
        end if;
      elsif not exists (select 1 from mailboxes b where b.workspace_id = a.workspace_id and b.address = a.detail ->> 'address'
                        and b.status in ('reconnect', 'failed')) then
        return 'recovered';
      end if;
    else
      null;
  end case;
  return null;
end $$;

do $$
declare f text;
begin
  foreach f in array array['crm.alerts_on_follow_up()', 'crm.alerts_on_deal_stage()', 'crm.alerts_on_deal_close()', 'crm.alert_admins(uuid)',
                           'crm.alerts_on_channel_failed()', 'crm.alerts_on_mailbox_failed()', 'crm.alert_relevant(crm.alerts)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
