-- Working hours are the member's own (issue 17: "both respect the member's
-- working hours"). 20261203005400_meeting_nudges fixed them at 08:00 to
-- 20:00 for everyone; a member now sets theirs (GET/PUT
-- /api/me/working-hours, `/crm hours 09:00-18:00`), 08:00 to 20:00 until
-- they do. A nudge due outside them waits for their next start; a brief
-- still comes before the meeting whatever the hour (a 07:00 meeting's brief
-- at 06:45 is the point of it).

alter table crm.members
  add column work_start time check (work_start = date_trunc('minute', work_start)),
  add column work_end time check (work_end = date_trunc('minute', work_end)),
  add constraint members_work_hours_check check ((work_start is null) = (work_end is null) and work_start < work_end);

-- The next moment within working hours (s to e local, 08:00 to 20:00 when
-- not set) at or after t.
--   crm.within_working_hours('2026-12-01T12:00:00Z', 'Asia/Tokyo', null, null) = '2026-12-01T23:00:00Z' (21:00 in Tokyo: the next 08:00)
--   crm.within_working_hours('2026-12-01T00:30:00Z', 'Asia/Tokyo', '10:00', '18:00') = '2026-12-01T01:00:00Z' (09:30: 10:00)
drop function crm.within_working_hours(timestamptz, text);
create function crm.within_working_hours(t timestamptz, tz text, s time, e time) returns timestamptz
language sql stable set search_path = crm, pg_catalog as $$
  select case
    when (t at time zone tz)::time >= coalesce(s, time '08:00') and (t at time zone tz)::time < coalesce(e, time '20:00') then t
    when (t at time zone tz)::time < coalesce(s, time '08:00') then ((t at time zone tz)::date + coalesce(s, time '08:00')) at time zone tz
    else (((t at time zone tz)::date + 1) + coalesce(s, time '08:00')) at time zone tz end
$$;
revoke execute on function crm.within_working_hours(timestamptz, text, time, time) from public;
grant execute on function crm.within_working_hours(timestamptz, text, time, time) to service_role;

-- the nudges, by each member's hours (otherwise as in 20261203005400)
create or replace function api.nudges_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
  claimed jsonb;
begin
  insert into meeting_briefs (kind, workspace_id, member_id, event_id, meeting_key, start_at, due_at)
  select 'nudge', e.workspace_id, e.member_id, e.id, e.meeting_key, e.start_at, crm.within_working_hours(e.end_at, m.timezone, m.work_start, m.work_end)
  from calendar_events e
  join calendars c on c.id = e.calendar_id and c.status in ('importing', 'active', 'failed')
  join members m on m.workspace_id = e.workspace_id and m.id = e.member_id and m.active and m.slack_user_id is not null
  where e.cancelled_at is null and not e.private and e.end_at <= now_ and e.end_at > now_ - interval '36 hours'
    and e.self_response is distinct from 'declined' and cardinality(e.external_emails) > 0
  on conflict do nothing;
  -- too late, or already noted: nothing to nudge about
  update meeting_briefs b set status = 'skipped', lease_owner = null, lease_until = null
  where b.kind = 'nudge' and b.status = 'pending' and (b.start_at < now_ - interval '36 hours' or exists (
    select 1 from calendar_events e
    join contact_emails ce on ce.workspace_id = e.workspace_id and lower(ce.email) = any (e.external_emails)
    join interaction_participants p on p.workspace_id = e.workspace_id and p.contact_id = ce.contact_id
    join interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
    where e.id = b.event_id and i.kind = 'note' and i.author_id = b.member_id and i.created_at >= e.start_at and i.deleted_at is null));
  with due as (
    select b.id from meeting_briefs b
    join members m on m.workspace_id = b.workspace_id and m.id = b.member_id
    where b.kind = 'nudge' and b.status = 'pending' and b.due_at <= now_ and (b.lease_until is null or b.lease_until <= now_)
      -- a server back at 23:00 waits for the morning
      and crm.within_working_hours(now_, m.timezone, m.work_start, m.work_end) = now_
    order by b.due_at, b.id
    limit lim
    for update of b skip locked
  ), taken as (
    update meeting_briefs b set lease_owner = worker, lease_until = now_ + lease, attempts = attempts + 1
    from due where b.id = due.id
    returning b.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', t.id, 'workspaceId', t.workspace_id, 'memberId', t.member_id, 'slackUserId', m.slack_user_id,
      'teamId', crm.member_slack_team(m), 'locale', m.locale, 'timezone', m.timezone, 'attempts', t.attempts,
      'meeting', crm.meeting_json(e) - 'member',
      'contacts', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name) order by k.name, k.id)
        from contacts k where k.workspace_id = e.workspace_id and k.merged_into_id is null and k.id in (
          select ce.contact_id from contact_emails ce where ce.workspace_id = e.workspace_id and lower(ce.email) = any (e.external_emails))), '[]'::jsonb))
    order by t.due_at, t.id), '[]'::jsonb)
  into claimed
  from taken t
  join members m on m.workspace_id = t.workspace_id and m.id = t.member_id
  join calendar_events e on e.id = t.event_id;
  return jsonb_build_object('claimed', claimed);
end $$;

-- GET and PUT /api/me/working-hours: the caller's hours, {start, end} as
-- 'HH:MM' in their time zone; args with start and end set them (audited),
-- {start: null, end: null} goes back to 08:00 to 20:00.
create function api.working_hours(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  s time;
  e time;
begin
  if args ? 'start' or args ? 'end' then
    begin
      s := (args ->> 'start')::time;
      e := (args ->> 'end')::time;
    exception when others then
      perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'start'));
    end;
    if (s is null) <> (e is null) or s >= e then
      perform crm.fail(400, 'working_hours_invalid', jsonb_build_object('field', 'end'));
    end if;
    update members set work_start = s, work_end = e where workspace_id = me.workspace_id and id = me.id;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'update',
      jsonb_build_object('workStart', to_char(me.work_start, 'HH24:MI'), 'workEnd', to_char(me.work_end, 'HH24:MI')),
      jsonb_build_object('workStart', to_char(s, 'HH24:MI'), 'workEnd', to_char(e, 'HH24:MI')));
  else
    s := me.work_start;
    e := me.work_end;
  end if;
  return jsonb_build_object('start', to_char(coalesce(s, time '08:00'), 'HH24:MI'), 'end', to_char(coalesce(e, time '20:00'), 'HH24:MI'),
    'chosen', s is not null, 'timezone', me.timezone);
end $$;
revoke execute on function api.working_hours(jsonb, jsonb) from public;
grant execute on function api.working_hours(jsonb, jsonb) to service_role;
