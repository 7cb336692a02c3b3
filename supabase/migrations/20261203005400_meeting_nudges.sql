-- Nudges after meetings with customers (issue 17, "After"): when a meeting
-- with someone outside has ended, its member gets one DM asking how it went,
-- with Add note, Add follow-up and Log outcome on the meeting's contact. Kept
-- with the briefs (crm.meeting_briefs gains a kind), claimed the same way:
-- exactly once per member and meeting. Never for a meeting already noted (a
-- note about one of its contacts written by the member since it began), and
-- only within working hours, 08:00 to 20:00 in the member's time zone: a
-- meeting ending at 21:00, or a nudge due at 18:00 while the server was down
-- until 23:00, waits for 08:00 the next morning. A nudge 36 hours late is dropped.

alter table crm.meeting_briefs add column kind text not null default 'brief' check (kind in ('brief', 'nudge'));
alter table crm.meeting_briefs drop constraint meeting_briefs_workspace_id_member_id_meeting_key_start_at_key;
alter table crm.meeting_briefs add constraint meeting_briefs_once unique (workspace_id, member_id, kind, meeting_key, start_at);

-- The next moment within working hours (08:00 to 20:00 local) at or after t.
--   crm.within_working_hours('2026-12-01T12:00:00Z', 'Asia/Tokyo') = '2026-12-01T23:00:00Z' (21:00 in Tokyo: the next 08:00)
create function crm.within_working_hours(t timestamptz, tz text) returns timestamptz
language sql stable set search_path = crm, pg_catalog as $$
  select case
    when (t at time zone tz)::time >= time '08:00' and (t at time zone tz)::time < time '20:00' then t
    when (t at time zone tz)::time < time '08:00' then ((t at time zone tz)::date + time '08:00') at time zone tz
    else (((t at time zone tz)::date + 1) + time '08:00') at time zone tz end
$$;

create or replace function api.briefs_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
  claimed jsonb;
begin
  insert into meeting_briefs (kind, workspace_id, member_id, event_id, meeting_key, start_at, due_at)
  select 'brief', e.workspace_id, e.member_id, e.id, e.meeting_key, e.start_at, e.start_at - make_interval(mins => coalesce(m.brief_minutes, 15))
  from calendar_events e
  join calendars c on c.id = e.calendar_id and c.status in ('importing', 'active', 'failed')
  join members m on m.workspace_id = e.workspace_id and m.id = e.member_id and m.active and m.slack_user_id is not null
  where e.cancelled_at is null and not e.private and e.start_at > now_ and e.start_at <= now_ + interval '2 hours'
    and coalesce(m.brief_minutes, 15) > 0 and e.start_at - make_interval(mins => coalesce(m.brief_minutes, 15)) <= now_
    and e.self_response is distinct from 'declined' and cardinality(e.external_emails) > 0
  on conflict do nothing;
  -- too late: the meeting began before its brief went out
  update meeting_briefs set status = 'skipped', lease_owner = null, lease_until = null
  where kind = 'brief' and status = 'pending' and start_at <= now_;
  with due as (
    select b.id from meeting_briefs b
    where b.kind = 'brief' and b.status = 'pending' and b.due_at <= now_ and (b.lease_until is null or b.lease_until <= now_)
    order by b.due_at, b.id
    limit lim
    for update skip locked
  ), taken as (
    update meeting_briefs b set lease_owner = worker, lease_until = now_ + lease, attempts = attempts + 1
    from due where b.id = due.id
    returning b.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', t.id, 'workspaceId', t.workspace_id, 'memberId', t.member_id, 'slackUserId', m.slack_user_id,
      'teamId', crm.member_slack_team(m), 'locale', m.locale, 'timezone', m.timezone, 'attempts', t.attempts,
      'brief', crm.meeting_brief(e, m.id))
    order by t.due_at, t.id), '[]'::jsonb)
  into claimed
  from taken t
  join members m on m.workspace_id = t.workspace_id and m.id = t.member_id
  join calendar_events e on e.id = t.event_id;
  return jsonb_build_object('claimed', claimed);
end $$;

-- Nudges due (made now for meetings that have ended), each leased to this
-- worker, with the meeting and its contacts. args.now: the server's clock.
create function api.nudges_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
  claimed jsonb;
begin
  insert into meeting_briefs (kind, workspace_id, member_id, event_id, meeting_key, start_at, due_at)
  select 'nudge', e.workspace_id, e.member_id, e.id, e.meeting_key, e.start_at, crm.within_working_hours(e.end_at, m.timezone)
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
      and crm.within_working_hours(now_, m.timezone) = now_
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

revoke execute on function crm.within_working_hours(timestamptz, text) from public;
revoke execute on function api.nudges_claim(jsonb) from public;
grant execute on function crm.within_working_hours(timestamptz, text) to service_role;
grant execute on function api.nudges_claim(jsonb) to service_role;
