-- When digests go out: the workspace's defaults (admins), a member's delivery
-- history, and the claim / finish pair the Slack app's scheduler runs.
--
-- Postgres is the coordinator: any number of servers may claim at once. A
-- member is due once their local time (now at time zone members.timezone, now
-- being the server's clock) has reached their digest time on a weekday (or any
-- day with weekends on); the delivery is keyed by the local date at claim time,
-- so a member who changes timezone during the day still gets one digest for
-- that date. A claim is a lease: a worker that dies lets the lease expire and
-- the next claim takes the row over (attempts + 1) until maxAttempts, when the
-- delivery is failed and shows in the manager's status.

-- A workspace's digest defaults as the API shows them.
create or replace function crm.workspace_digest_json(w crm.workspaces) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('time', to_char(w.digest_time, 'HH24:MI'), 'weekends', w.digest_weekends,
    'whenEmpty', w.digest_when_empty,
    'replyWindowHours', (extract(epoch from w.reply_window) / 3600)::float8,
    'coldAfterDays', (extract(epoch from w.cold_after) / 86400)::float8)
$$;

-- args: any of {time: 'HH:MM', weekends, whenEmpty, replyWindowHours, coldAfterDays}.
-- The workspace's digest defaults; admins only (audited).
create or replace function api.workspace_digest_defaults(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  before jsonb;
  after jsonb;
begin
  if me.id is null or me.role <> 'admin' then
    perform crm.fail(403, 'admin_only');
  end if;
  select * into w from workspaces where id = me.workspace_id for update;
  before := crm.workspace_digest_json(w);
  update workspaces set
    digest_time = coalesce((args ->> 'time')::time, digest_time),
    digest_weekends = coalesce((args ->> 'weekends')::boolean, digest_weekends),
    digest_when_empty = coalesce(args ->> 'whenEmpty', digest_when_empty),
    reply_window = coalesce(make_interval(hours => (args ->> 'replyWindowHours')::int), reply_window),
    cold_after = coalesce(make_interval(days => (args ->> 'coldAfterDays')::int), cold_after)
  where id = w.id
  returning * into w;
  after := crm.workspace_digest_json(w);
  if after is distinct from before then
    perform crm.audit(w.id, me.id, crm.ctx_source(ctx), 'workspace', w.id, 'digest_defaults', before, after);
  end if;
  return after;
end
$$;

-- The caller's settings, their latest 14 deliveries and, for a manager, the
-- failed deliveries of their team in the last 14 local days.
create or replace function api.digest_status(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  today date := (crm.ctx_now(ctx) at time zone me.timezone)::date;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  return jsonb_build_object(
    'settings', crm.digest_settings_json(me, w),
    'deliveries', coalesce((
      select jsonb_agg(jsonb_build_object('localDate', to_char(d.local_date, 'YYYY-MM-DD'), 'status', d.status,
          'attempts', d.attempts, 'lastError', d.last_error, 'sentAt', d.sent_at, 'updatedAt', d.updated_at)
        order by d.local_date desc)
      from (select * from digest_deliveries where workspace_id = ws and member_id = me.id
            order by local_date desc limit 14) d), '[]'::jsonb),
    'teamFailures', coalesce((
      select jsonb_agg(jsonb_build_object('member', jsonb_build_object('id', m.id, 'name', m.display_name),
          'localDate', to_char(d.local_date, 'YYYY-MM-DD'), 'lastError', d.last_error, 'attempts', d.attempts)
        order by d.local_date desc, m.display_name, m.id)
      from digest_deliveries d
      join members m on m.workspace_id = ws and m.id = d.member_id
      where d.workspace_id = ws and d.status = 'failed' and d.local_date >= today - 14
        and crm.has_reports(ws, me.id)
        and d.member_id in (select crm.team_of(ws, me.id))), '[]'::jsonb));
end
$$;

-- args: {workerId, leaseSeconds, limit, maxAttempts, now}. Claims up to limit
-- due members, latest first, each {workspaceId, memberId, slackUserId, teamId,
-- localDate, attempts, claimedAt, previousAttempt: {at, channel, error} | null}.
-- The claim is one insert ... on conflict do update ... where the lease has
-- expired: of two servers racing for a (member, date), one inserts or takes it
-- over and the other finds a live lease and gets nothing.
create or replace function api.digest_claim(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => coalesce((args ->> 'leaseSeconds')::int, 300));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 100), 1), 500);
  max_attempts int := least(greatest(coalesce((args ->> 'maxAttempts')::int, 5), 1), 20);
  claimed jsonb;
begin
  -- out of attempts and no live lease: final
  update digest_deliveries set status = 'failed', updated_at = now_
  where status = 'pending' and lease_until <= now_ and attempts >= max_attempts;

  with due as (
    select m.workspace_id, m.id as member_id, m.slack_user_id, si.team_id, l.local_date,
      l.local_ts - (l.local_date + coalesce(m.digest_time, w.digest_time)) as late,
      d.claimed_at as prev_at, d.slack_channel as prev_channel, d.last_error as prev_error
    from members m
    join workspaces w on w.id = m.workspace_id
    join lateral (
      select s.team_id from slack_installations s where s.workspace_id = m.workspace_id
      order by s.updated_at desc, s.team_id limit 1) si on true
    cross join lateral (select (now_ at time zone m.timezone) as local_ts,
                               (now_ at time zone m.timezone)::date as local_date) l
    left join digest_deliveries d on d.workspace_id = m.workspace_id and d.member_id = m.id and d.local_date = l.local_date
    where m.active and m.slack_user_id is not null
      and coalesce(m.digest_enabled, crm.has_reports(m.workspace_id, m.id))
      and l.local_ts >= l.local_date + coalesce(m.digest_time, w.digest_time)
      and (coalesce(m.digest_weekends, w.digest_weekends) or extract(isodow from l.local_date) < 6)
      and (d.member_id is null or (d.status = 'pending' and d.lease_until <= now_ and d.attempts < max_attempts))
    order by late desc, m.workspace_id, m.id
    limit lim
  ), taken as (
    insert into digest_deliveries as dd (workspace_id, member_id, local_date, status, attempts, claimed_by,
      claimed_at, lease_until, updated_at)
    select workspace_id, member_id, local_date, 'pending', 1, worker, now_, now_ + lease, now_
    from due
    order by late desc, workspace_id, member_id
    on conflict (workspace_id, member_id, local_date) do update set
      attempts = dd.attempts + 1, claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at,
      lease_until = excluded.lease_until, updated_at = excluded.updated_at
    where dd.status = 'pending' and dd.lease_until <= now_ and dd.attempts < max_attempts
    returning dd.workspace_id, dd.member_id, dd.local_date, dd.attempts, dd.claimed_at
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'workspaceId', t.workspace_id, 'memberId', t.member_id, 'slackUserId', due.slack_user_id,
      'teamId', due.team_id, 'localDate', to_char(t.local_date, 'YYYY-MM-DD'), 'attempts', t.attempts,
      'claimedAt', t.claimed_at,
      'previousAttempt', case when t.attempts > 1 then jsonb_build_object('at', due.prev_at,
        'channel', due.prev_channel, 'error', due.prev_error) end)
    order by due.late desc, t.workspace_id, t.member_id), '[]'::jsonb)
  into claimed
  from taken t
  join due on due.workspace_id = t.workspace_id and due.member_id = t.member_id and due.local_date = t.local_date;

  return jsonb_build_object('claimed', claimed);
end
$$;

-- args: {workspaceId, memberId, localDate, workerId, outcome, channel?, ts?,
-- error?, retryAt?, now}. Records how a claimed delivery ended, only while it
-- is pending and still claimed by workerId (a worker whose lease was taken
-- over changes nothing). 'retry' keeps it pending until retryAt.
create or replace function api.digest_finish(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  outcome text := args ->> 'outcome';
  n int;
begin
  update digest_deliveries set
    status = case outcome when 'retry' then 'pending' else outcome end,
    lease_until = case when outcome = 'retry' then coalesce((args ->> 'retryAt')::timestamptz, now_) else lease_until end,
    sent_at = case when outcome = 'sent' then now_ else sent_at end,
    slack_channel = coalesce(args ->> 'channel', slack_channel),
    slack_ts = coalesce(args ->> 'ts', slack_ts),
    last_error = coalesce(args ->> 'error', last_error),
    updated_at = now_
  where workspace_id = (args ->> 'workspaceId')::uuid and member_id = (args ->> 'memberId')::uuid
    and local_date = (args ->> 'localDate')::date
    and status = 'pending' and claimed_by = args ->> 'workerId'
    and outcome in ('sent', 'skipped', 'retry', 'failed');
  get diagnostics n = row_count;
  return jsonb_build_object('ok', n > 0);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;

-- A member's timezone must be one PostgreSQL knows: one unknown name would
-- otherwise make every "at time zone" over all members fail (the digest claim
-- runs over every workspace at once).
create or replace function crm.check_member_timezone() returns trigger
  language plpgsql
  set search_path = crm, pg_catalog
as $$
begin
  perform now() at time zone new.timezone;
  return new;
exception when invalid_parameter_value then
  perform crm.fail(400, 'invalid_timezone', jsonb_build_object('timezone', new.timezone));
  return null;
end
$$;
create trigger members_timezone_check before insert or update of timezone on crm.members
  for each row execute function crm.check_member_timezone();
revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
