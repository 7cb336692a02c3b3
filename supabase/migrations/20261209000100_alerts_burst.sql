-- A burst of immediate alerts is one message per member, not one each.
--
-- The first waiting-for-reply alert of a thread goes out at once even while
-- its stream is held (20261205002000_alerts_delivery). Until now each such
-- alert was a message of its own, so a rep who logged 40 unanswered emails
-- from 40 threads got 40 DMs at once. Slack posts one message a second per
-- channel, so the 37 beyond its burst were refused (429) and tried again,
-- each a claim, a post and a finish, second after second. Measured in the
-- bench's capture case (64 clients capturing mail up to 16 hours old, scale
-- 0.1, PostgreSQL): 8,700 messages queued in 30 s for 50 members, 8,582
-- api.alert_finish calls, and capture itself at 354/s where it ran at
-- 1,332/s with no alerts written.
--
-- Now:
--   - the immediate alerts of a stream that fall due together go as one
--     message;
--   - they join the stream's message that is waiting and has never been
--     tried (attempts = 0: not yet claimed, or refused with 429, which Slack
--     posts nothing for), so a member's burst goes out as fast as Slack takes
--     a message to them, each message carrying what came meanwhile;
--   - a message that has been claimed (leased) or tried is never joined: it
--     may be being posted, or posted already, and what is marked sent must be
--     what the member saw. The fold locks the message it joins (skip locked),
--     and rechecks that no worker holds it;
--   - a fold reads and checks only what goes now: an open stream's due
--     alerts and a held stream's immediate ones. It read every due alert of
--     every held stream on every claim, and checked each one's relevance
--     (the bench's capture run: 19,000 alerts waiting out their window,
--     31,542 relevance checks in 30 s, 111 ms a fold);
--   - api.alerts_claim reads the messages' alerts in a statement after the
--     one that leases them, so it sees every alert joined before the lease
--     (a fold that commits after the claim's lease cannot join: the leased
--     row is locked until the claim commits, and then no longer unclaimed).

create index alert_deliveries_stream_idx on crm.alert_deliveries (workspace_id, stream) where status = 'pending';

create or replace function crm.alerts_fold(now_ timestamptz, max_streams int) returns int
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  wss uuid[];
  sts text[];
  n int;
  m int;
begin
  insert into alert_streams (workspace_id, stream)
  select distinct x.workspace_id, x.stream from alerts x
  where x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
    and not exists (select 1 from alert_streams s where s.workspace_id = x.workspace_id and s.stream = x.stream)
  on conflict do nothing;
  -- the streams with something to send now: an open stream's due alerts, a
  -- held one's immediate alerts (what waits for the window is not read again)
  with due as (
    select distinct x.workspace_id, x.stream from alerts x
    join alert_streams s on s.workspace_id = x.workspace_id and s.stream = x.stream
    where x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
      and (s.hold_until is null or s.hold_until <= now_ or x.immediate)
    limit max_streams
  ), locked as (
    select s.workspace_id, s.stream from alert_streams s join due d on d.workspace_id = s.workspace_id and d.stream = s.stream
    for update of s skip locked
  )
  select coalesce(array_agg(workspace_id), '{}'), coalesce(array_agg(stream), '{}') into wss, sts from locked;
  if cardinality(wss) = 0 then
    return 0;
  end if;
  -- no longer worth sending (answered, done, gone...), or no one to send it
  -- to: checked for what goes now (what waits is checked when it goes)
  update alerts a set status = 'skipped', skip_reason = left(r.why, 100)
  from (
    select x.id, coalesce(crm.alert_relevant(x),
      case when x.member_id is not null and not exists (
        select 1 from members mm where mm.workspace_id = x.workspace_id and mm.id = x.member_id and mm.active and mm.slack_user_id is not null)
      then 'no_recipient' end) as why
    from unnest(wss, sts) l(ws, st)
    join alert_streams s on s.workspace_id = l.ws and s.stream = l.st
    join alerts x on x.workspace_id = l.ws and x.stream = l.st
    where x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
      and (s.hold_until is null or s.hold_until <= now_ or x.immediate)
  ) r
  where a.id = r.id and r.why is not null;
  -- an open stream: all its due alerts in one message, then the window
  with open_ as (
    select l.ws, l.st, (array_agg(x.member_id order by x.due_at, x.id))[1] as mid, (array_agg(x.rule_id order by x.due_at, x.id))[1] as rid
    from unnest(wss, sts) l(ws, st)
    join alert_streams s on s.workspace_id = l.ws and s.stream = l.st and (s.hold_until is null or s.hold_until <= now_)
    join alerts x on x.workspace_id = l.ws and x.stream = l.st and x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
    group by l.ws, l.st
  ), made as (
    insert into alert_deliveries (workspace_id, stream, member_id, rule_id, due_at, created_at)
    select ws, st, mid, rid, now_, now_ from open_
    returning id, workspace_id, stream
  ), linked as (
    update alerts x set delivery_id = made.id from made
    where x.workspace_id = made.workspace_id and x.stream = made.stream and x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
    returning 1
  ), held as (
    update alert_streams s set hold_until = now_ + case when s.stream like 'rule:%' then interval '5 minutes' else interval '10 minutes' end
    from made where s.workspace_id = made.workspace_id and s.stream = made.stream
    returning 1
  )
  select (select count(*) from made) + 0 * (select count(*) from linked) + 0 * (select count(*) from held) into n;
  -- a held stream: the first waiting-for-reply alert of a thread does not wait
  -- for the window; those due together go as one message, joining the
  -- stream's waiting message that no worker has tried
  with imm as materialized (
    select x.id, x.workspace_id, x.stream, x.member_id, x.rule_id, x.due_at
    from unnest(wss, sts) l(ws, st)
    join alert_streams s on s.workspace_id = l.ws and s.stream = l.st and s.hold_until > now_
    join alerts x on x.workspace_id = l.ws and x.stream = l.st and x.status = 'pending' and x.delivery_id is null and x.due_at <= now_ and x.immediate
  ), waiting as materialized (
    -- locked, and rechecked once locked: a claim that leased it first has it
    select d.id, d.workspace_id, d.stream from alert_deliveries d
    where (d.workspace_id, d.stream) in (select workspace_id, stream from imm)
      and d.status = 'pending' and d.attempts = 0 and d.lease_owner is null
    for update of d skip locked
  ), target as materialized (
    select distinct on (i.workspace_id, i.stream) i.workspace_id, i.stream, i.member_id, i.rule_id,
      coalesce(w.id, gen_random_uuid()) as did, w.id is null as fresh
    from imm i
    left join lateral (select w.id from waiting w where w.workspace_id = i.workspace_id and w.stream = i.stream order by w.id limit 1) w on true
    order by i.workspace_id, i.stream, i.due_at, i.id
  ), made as (
    insert into alert_deliveries (id, workspace_id, stream, member_id, rule_id, due_at, created_at)
    select did, workspace_id, stream, member_id, rule_id, now_, now_ from target where fresh
    returning id
  )
  update alerts x set delivery_id = t.did
  from imm i join target t on t.workspace_id = i.workspace_id and t.stream = i.stream
  where x.id = i.id and (not t.fresh or t.did in (select id from made));
  get diagnostics m = row_count;
  return n + m;
end $$;

create or replace function api.alerts_claim(args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 60), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 500);
  ids uuid[];
  claimed jsonb;
begin
  if worker is null or worker = '' then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'workerId'));
  end if;
  -- streams with something due and not yet folded (the partial index alerts_due_idx: idle, this reads nothing)
  perform crm.alerts_fold(now_, 2000);
  with due as (
    select d.id from alert_deliveries d
    where d.status = 'pending' and d.due_at <= now_ and (d.lease_until is null or d.lease_until <= now_)
    order by d.due_at, d.id
    limit lim
    for update skip locked
  ), taken as (
    update alert_deliveries d set lease_owner = worker, lease_until = now_ + lease, attempts = d.attempts + 1
    from due where d.id = due.id
    returning d.id
  )
  select coalesce(array_agg(id), '{}') into ids from taken;
  -- a statement of its own: it sees every alert a fold joined to these messages before the lease
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', t.id, 'workspaceId', t.workspace_id, 'attempts', t.attempts, 'createdAt', t.created_at,
      'recipient', case when t.member_id is not null then
        (select jsonb_build_object('type', 'member', 'memberId', m.id, 'slackUserId', m.slack_user_id, 'teamId', crm.member_slack_team(m),
                                   'locale', m.locale, 'timezone', m.timezone)
         from members m where m.workspace_id = t.workspace_id and m.id = t.member_id)
      else
        (select jsonb_build_object('type', 'rule', 'ruleId', r.id, 'channelId', r.channel_id, 'channelName', r.channel_name,
                                   'teamId', coalesce(r.team_id, crm.member_slack_team(m)), 'locale', m.locale, 'timezone', m.timezone)
         from alert_rules r join members m on m.workspace_id = r.workspace_id and m.id = r.created_by
         where r.workspace_id = t.workspace_id and r.id = t.rule_id) end,
      'total', (select count(*) from alerts a where a.delivery_id = t.id),
      'items', (select coalesce(jsonb_agg(crm.alert_item_json(a) order by a.due_at, a.created_at, a.id), '[]'::jsonb)
                from (select * from alerts a where a.delivery_id = t.id order by a.due_at, a.created_at, a.id limit 10) a))
    order by t.due_at, t.id), '[]'::jsonb)
  into claimed
  from alert_deliveries t
  where t.id = any(ids);
  return jsonb_build_object('claimed', claimed);
end $$;
