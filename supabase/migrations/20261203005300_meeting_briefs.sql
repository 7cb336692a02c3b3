-- Briefs before meetings with customers (issue 17, "Before"): the backend's
-- half. A member whose synced calendar has a meeting with someone outside
-- gets a brief `brief_minutes` before it starts (15 unless they chose;
-- 0: never). crm.meeting_briefs is one row per member and meeting (its key
-- and start), made when it falls due and claimed with a lease, as digests
-- are: two scheduler copies never send one twice, and a copy killed after
-- claiming leaves it to another once the lease runs out. A brief not sent
-- before the meeting began is skipped. What it says (api.briefs_claim hands
-- it over composed): the meeting, and for each outside attendee their card,
-- the last three interactions the member may see, their open follow-ups and
-- who in the team last spoke to them.

alter table crm.members add column brief_minutes smallint check (brief_minutes between 0 and 120);

create table crm.meeting_briefs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  event_id uuid not null references crm.calendar_events (id),
  meeting_key text not null check (length(meeting_key) <= 1000),
  start_at timestamptz not null,
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'skipped', 'failed')),
  attempts int not null default 0,
  lease_owner text check (length(lease_owner) <= 200),
  lease_until timestamptz,
  sent_at timestamptz,
  channel text check (length(channel) <= 50),
  ts text check (length(ts) <= 50),
  last_error text check (length(last_error) <= 500),
  created_at timestamptz not null default now(),
  unique (workspace_id, member_id, meeting_key, start_at),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create index meeting_briefs_due_idx on crm.meeting_briefs (due_at) where status = 'pending';
create index meeting_briefs_event_idx on crm.meeting_briefs (event_id);
create index calendar_events_start_idx on crm.calendar_events (start_at) where cancelled_at is null and not private;

alter table crm.meeting_briefs enable row level security;
create policy workspace_isolation on crm.meeting_briefs for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.meeting_briefs to service_role;

-- What a brief says about one meeting, as the member may see it.
create function crm.meeting_brief(e crm.calendar_events, viewer uuid) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'meeting', crm.meeting_json(e) - 'member',
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object(
          'email', x.email,
          'name', (select a ->> 'name' from jsonb_array_elements(e.attendees) a where a ->> 'email' = x.email limit 1),
          'contact', case when k.id is null then null else crm.contact_json(k) end,
          'recent', case when k.id is null then '[]'::jsonb else coalesce((
            select jsonb_agg(jsonb_build_object('id', r.id, 'kind', r.kind, 'direction', r.direction, 'occurredAt', r.occurred_at,
                'subject', r.subject, 'author', crm.member_brief(e.workspace_id, r.author_id)) order by r.occurred_at desc, r.id)
            from (select distinct on (i.occurred_at, i.id) i.* from interaction_participants p
                  join interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id and i.deleted_at is null
                  where p.workspace_id = e.workspace_id and p.contact_id = k.id and crm.can_see(e.workspace_id, viewer, i.visibility, i.author_id)
                  order by i.occurred_at desc, i.id desc limit 3) r), '[]'::jsonb) end,
          'openFollowUps', case when k.id is null then '[]'::jsonb else coalesce((
            select jsonb_agg(jsonb_build_object('id', f.id, 'dueAt', f.due_at, 'note', f.note, 'owner', crm.member_brief(f.workspace_id, f.owner_id))
              order by f.due_at, f.id)
            from follow_ups f where f.workspace_id = e.workspace_id and f.contact_id = k.id and f.status = 'open'), '[]'::jsonb) end,
          'lastSpokeBy', case when k.id is null then null else (
            select jsonb_build_object('member', crm.member_brief(e.workspace_id, i.author_id), 'at', i.occurred_at, 'kind', i.kind)
            from interaction_participants p
            join interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id and i.deleted_at is null
            where p.workspace_id = e.workspace_id and p.contact_id = k.id and i.author_id is not null and i.kind <> 'note'
              and crm.can_see(e.workspace_id, viewer, i.visibility, i.author_id)
            order by i.occurred_at desc, i.id desc limit 1) end)
        order by x.o)
      from unnest(e.external_emails) with ordinality x(email, o)
      left join lateral (
        select c.* from contact_emails ce join contacts c on c.workspace_id = ce.workspace_id and c.id = ce.contact_id
        where ce.workspace_id = e.workspace_id and lower(ce.email) = x.email and c.merged_into_id is null
        order by c.created_at, c.id limit 1) k on true), '[]'::jsonb))
$$;

-- The caller's brief setting: minutes before a meeting (0: no briefs). Slack's /crm brief.
create function api.brief_set(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  minutes int := (args ->> 'minutes')::int;
begin
  if args ? 'minutes' then
    if minutes is null or minutes < 0 or minutes > 120 then
      perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'minutes'));
    end if;
    update members set brief_minutes = minutes where workspace_id = me.workspace_id and id = me.id;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'update',
      jsonb_build_object('briefMinutes', me.brief_minutes), jsonb_build_object('briefMinutes', minutes));
    return jsonb_build_object('minutes', minutes);
  end if;
  return jsonb_build_object('minutes', coalesce(me.brief_minutes, 15));
end $$;

-- Briefs due (made now for meetings that fall due), each leased to this
-- worker, composed. args.now: the server's clock.
create function api.briefs_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
  claimed jsonb;
begin
  insert into meeting_briefs (workspace_id, member_id, event_id, meeting_key, start_at, due_at)
  select e.workspace_id, e.member_id, e.id, e.meeting_key, e.start_at, e.start_at - make_interval(mins => coalesce(m.brief_minutes, 15))
  from calendar_events e
  join calendars c on c.id = e.calendar_id and c.status in ('importing', 'active', 'failed')
  join members m on m.workspace_id = e.workspace_id and m.id = e.member_id and m.active and m.slack_user_id is not null
  where e.cancelled_at is null and not e.private and e.start_at > now_ and e.start_at <= now_ + interval '2 hours'
    and coalesce(m.brief_minutes, 15) > 0 and e.start_at - make_interval(mins => coalesce(m.brief_minutes, 15)) <= now_
    and e.self_response is distinct from 'declined' and cardinality(e.external_emails) > 0
  on conflict do nothing;
  -- too late: the meeting began before its brief went out
  update meeting_briefs set status = 'skipped', lease_owner = null, lease_until = null
  where status = 'pending' and start_at <= now_;
  with due as (
    select b.id from meeting_briefs b
    where b.status = 'pending' and b.due_at <= now_ and (b.lease_until is null or b.lease_until <= now_)
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

-- How a claimed brief ended: sent (where), retry (again in a minute, failed after 5 attempts), failed.
create function api.brief_finish(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  b crm.meeting_briefs;
  outcome text := args ->> 'outcome';
begin
  update meeting_briefs set
    status = case
      when outcome = 'sent' then 'sent'
      when outcome = 'retry' and attempts < 5 then 'pending'
      else 'failed' end,
    sent_at = case when outcome = 'sent' then now_ else sent_at end,
    channel = coalesce(left(args ->> 'channel', 50), channel),
    ts = coalesce(left(args ->> 'ts', 50), ts),
    last_error = left(args ->> 'error', 500),
    due_at = case when outcome = 'retry' then now_ + interval '1 minute' else due_at end,
    lease_owner = null, lease_until = null
  where id = (args ->> 'id')::uuid and lease_owner = args ->> 'workerId' and status = 'pending'
  returning * into b;
  return jsonb_build_object('held', b.id is not null, 'status', b.status);
end $$;

revoke execute on function crm.meeting_brief(crm.calendar_events, uuid) from public;
revoke execute on function api.brief_set(jsonb, jsonb) from public;
revoke execute on function api.briefs_claim(jsonb) from public;
revoke execute on function api.brief_finish(jsonb) from public;
grant execute on function crm.meeting_brief(crm.calendar_events, uuid) to service_role;
grant execute on function api.brief_set(jsonb, jsonb) to service_role;
grant execute on function api.briefs_claim(jsonb) to service_role;
grant execute on function api.brief_finish(jsonb) to service_role;
