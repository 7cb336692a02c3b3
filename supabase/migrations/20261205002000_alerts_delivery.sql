-- Alerts (issue 19): delivery. The Slack app's scheduler claims, every
-- second on every server, what is due (api.alerts_claim): the due alerts of
-- a stream (one member's DMs of one kind, or one channel rule) still worth
-- sending are folded into one delivery (one Slack message), then the stream
-- is held (5 minutes for a channel, 10 for a DM) so that what follows inside
-- the window is folded into ONE further message; an `immediate` alert (the
-- first waiting-for-reply alert of a thread) goes out even while its stream
-- is held. Deliveries are leased to one worker at a time, as meeting briefs
-- are, and api.alert_finish says how each went. A member's buttons on an
-- alert (Done, Snooze, Assign to me) are api.alert_done / alert_snooze /
-- alert_assign.

-- The stream is what the claim locks (for update skip locked): two claimers
-- never fold the same alerts.
create index alerts_stream_due_idx on crm.alerts (workspace_id, stream, due_at) where status = 'pending' and delivery_id is null;

-- One alert as the Slack message shows it, read fresh at send time: the
-- contact's essentials, the deal, the follow-up, the email or message. A
-- private interaction's subject and text go only to its author's DM (a
-- channel never shows them); a 'subject'-visible one shows its subject only
-- to whoever may not read it.
create function crm.alert_item_json(a crm.alerts) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  c contacts;
  d deals;
  f follow_ups;
  i interactions;
  contact_ jsonb;
  interaction_ jsonb;
  assigned jsonb;
  see_subject boolean;
  see_body boolean;
begin
  if a.contact_id is not null then
    select * into c from contacts where workspace_id = a.workspace_id and id = a.contact_id;
    if c.id is not null then
      contact_ := jsonb_build_object('id', c.id, 'name', c.name, 'title', c.title, 'stage', c.stage,
        'company', case when c.company_id is not null then
          (select jsonb_build_object('id', co.id, 'name', co.name) from companies co where co.workspace_id = c.workspace_id and co.id = c.company_id) end,
        'owner', case when c.owner_id is not null then crm.member_brief(c.workspace_id, c.owner_id) end);
    end if;
  end if;
  if a.deal_id is not null then
    select * into d from deals where workspace_id = a.workspace_id and id = a.deal_id;
  end if;
  if a.follow_up_id is not null then
    select * into f from follow_ups where workspace_id = a.workspace_id and id = a.follow_up_id;
  end if;
  if a.interaction_id is not null then
    select * into i from interactions where workspace_id = a.workspace_id and id = a.interaction_id and deleted_at is null;
    if i.id is not null then
      see_subject := i.visibility <> 'private' or (a.member_id is not null and i.author_id = a.member_id);
      see_body := i.visibility = 'workspace' or (a.member_id is not null and i.author_id = a.member_id)
        or (i.visibility = 'subject' and a.member_id is not null and crm.can_read(i.workspace_id, a.member_id, i.visibility, i.author_id));
      interaction_ := jsonb_build_object('id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at, 'url', i.url,
        'private', i.visibility = 'private',
        'subject', case when see_subject then i.subject end,
        'snippet', case when see_body then left(btrim(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g')), 200) end);
      select jsonb_build_object('state', r.state, 'member', crm.member_brief(r.workspace_id, r.member_id), 'at', r.at) into assigned
      from reply_assignments r where r.workspace_id = a.workspace_id and r.interaction_id = i.id;
    end if;
  end if;
  return jsonb_build_object('id', a.id, 'kind', a.kind, 'detail', a.detail, 'dueAt', a.due_at, 'createdAt', a.created_at,
    'escalation', coalesce((a.detail ->> 'escalation')::boolean, false),
    'contact', contact_,
    'company', case when a.company_id is not null then
      (select jsonb_build_object('id', co.id, 'name', co.name) from companies co where co.workspace_id = a.workspace_id and co.id = a.company_id) end,
    'deal', case when d.id is not null then crm.deal_json(d) end,
    'followUp', case when f.id is not null then jsonb_build_object('id', f.id, 'note', f.note, 'dueAt', f.due_at, 'status', f.status,
      'owner', crm.member_brief(f.workspace_id, f.owner_id)) end,
    'interaction', interaction_,
    'assignment', assigned,
    'actor', case when a.actor_id is not null then crm.member_brief(a.workspace_id, a.actor_id) end);
end $$;

-- Fold the due alerts into deliveries, set-based (a burst of thousands of
-- streams is one pass): lock the streams with something due (skip locked:
-- another claimer folds those), skip what is no longer worth sending or has
-- no one to go to, fold each open stream's due alerts into one delivery and
-- hold it (5 minutes for a channel, 10 for a DM), and give each immediate
-- alert of a held stream a delivery of its own. Returns the deliveries made.
create function crm.alerts_fold(now_ timestamptz, max_streams int) returns int
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
  with due as (
    select distinct x.workspace_id, x.stream from alerts x
    where x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
    limit max_streams
  ), locked as (
    select s.workspace_id, s.stream from alert_streams s join due d on d.workspace_id = s.workspace_id and d.stream = s.stream
    for update of s skip locked
  )
  select coalesce(array_agg(workspace_id), '{}'), coalesce(array_agg(stream), '{}') into wss, sts from locked;
  if cardinality(wss) = 0 then
    return 0;
  end if;
  -- no longer worth sending (answered, done, gone...), or no one to send it to
  update alerts a set status = 'skipped', skip_reason = left(r.why, 100)
  from (
    select x.id, coalesce(crm.alert_relevant(x),
      case when x.member_id is not null and not exists (
        select 1 from members mm where mm.workspace_id = x.workspace_id and mm.id = x.member_id and mm.active and mm.slack_user_id is not null)
      then 'no_recipient' end) as why
    from unnest(wss, sts) l(ws, st)
    join alerts x on x.workspace_id = l.ws and x.stream = l.st
    where x.status = 'pending' and x.delivery_id is null and x.due_at <= now_
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
  -- a held stream: the first waiting-for-reply alert of a thread does not wait for the window
  with imm as materialized (
    select gen_random_uuid() as did, x.id, x.workspace_id, x.stream, x.member_id, x.rule_id
    from unnest(wss, sts) l(ws, st)
    join alert_streams s on s.workspace_id = l.ws and s.stream = l.st and s.hold_until > now_
    join alerts x on x.workspace_id = l.ws and x.stream = l.st and x.status = 'pending' and x.delivery_id is null and x.due_at <= now_ and x.immediate
  ), made as (
    insert into alert_deliveries (id, workspace_id, stream, member_id, rule_id, due_at, created_at)
    select did, workspace_id, stream, member_id, rule_id, now_, now_ from imm
    returning id
  )
  update alerts x set delivery_id = imm.did from imm, made where x.id = imm.id and made.id = imm.did;
  get diagnostics m = row_count;
  return n + m;
end $$;

create function api.alerts_claim(args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 60), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 500);
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
    returning d.*
  )
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
  from taken t;
  return jsonb_build_object('claimed', claimed);
end $$;

-- How a claimed delivery ended. sent: it and its alerts are sent; retry: due
-- again after retryAfterSeconds (Slack's Retry-After: a rate limit does not
-- count as an attempt) or a minute, failed after 5 attempts; shared / gone:
-- the rule's channel became Slack Connect, or was archived or deleted, and
-- the rule stops (returned: whom to tell).
create function api.alert_finish(args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  now_ timestamptz := coalesce((args ->> 'now')::timestamptz, now());
  outcome text := args ->> 'outcome';
  wait int := (args ->> 'retryAfterSeconds')::int;
  d alert_deliveries;
  tell jsonb;
begin
  if outcome is null or outcome not in ('sent', 'retry', 'failed', 'shared', 'gone') then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'outcome'));
  end if;
  update alert_deliveries set
    status = case
      when outcome = 'sent' then 'sent'
      when outcome = 'retry' and (wait is not null or attempts < 5) then 'pending'
      when outcome in ('shared', 'gone') then 'skipped'
      else 'failed' end,
    attempts = case when outcome = 'retry' and wait is not null then greatest(attempts - 1, 0) else attempts end,
    sent_at = case when outcome = 'sent' then now_ else sent_at end,
    channel = coalesce(left(args ->> 'channel', 50), channel),
    ts = coalesce(left(args ->> 'ts', 50), ts),
    last_error = left(args ->> 'error', 500),
    due_at = case when outcome = 'retry' then now_ + make_interval(secs => least(greatest(coalesce(wait, 60), 1), 3600)) else due_at end,
    lease_owner = null, lease_until = null
  where id = (args ->> 'id')::uuid and lease_owner = args ->> 'workerId' and status = 'pending'
  returning * into d;
  if d.id is null then
    return jsonb_build_object('held', false, 'status', null, 'tell', null);
  end if;
  if d.status = 'sent' then
    update alerts set status = 'sent' where delivery_id = d.id and status = 'pending';
    update alert_streams set last_sent_at = now_ where workspace_id = d.workspace_id and stream = d.stream;
  elsif d.status = 'failed' then
    update alerts set status = 'failed', skip_reason = left(args ->> 'error', 100) where delivery_id = d.id and status = 'pending';
  elsif d.status = 'skipped' then
    if d.rule_id is not null then
      tell := crm.alert_rule_disable(d.workspace_id, d.rule_id, case when outcome = 'shared' then 'shared' else 'channel_gone' end);
    end if;
    update alerts set status = 'skipped', skip_reason = 'rule_' || outcome where delivery_id = d.id and status = 'pending';
  end if;
  return jsonb_build_object('held', true, 'status', d.status, 'tell', tell);
end $$;

-- The alert a member's button acts on: theirs, or a channel rule's alert
-- whose subject they may see. 404 for another workspace's.
create function crm.alert_for(me crm.members, aid uuid) returns crm.alerts
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  a alerts;
  i interactions;
begin
  select * into a from alerts where workspace_id = me.workspace_id and id = aid;
  if a.id is null then
    perform crm.fail(404, 'alert_not_found', jsonb_build_object('id', aid));
  end if;
  if a.member_id is not null and a.member_id <> me.id then
    perform crm.fail(403, 'alert_forbidden', jsonb_build_object('id', aid));
  end if;
  if a.rule_id is not null and a.interaction_id is not null then
    select * into i from interactions where workspace_id = a.workspace_id and id = a.interaction_id;
    if i.id is not null and not crm.can_see(i.workspace_id, me.id, i.visibility, i.author_id) then
      perform crm.fail(403, 'alert_forbidden', jsonb_build_object('id', aid));
    end if;
  end if;
  return a;
end $$;

-- The cause an alert is about, without its recipient (what crm.alert_to_member / alert_to_rules appended).
create function crm.alert_cause(a crm.alerts) returns text
language sql immutable set search_path = crm, pg_catalog as $$
  select regexp_replace(a.dedupe_key, ':(m|r):[0-9a-f-]{36}$', '')
$$;

create function crm.alert_answer(a crm.alerts, action text, extra jsonb) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object('id', a.id, 'kind', a.kind, 'action', action) || coalesce(extra, '{}'::jsonb)
$$;

-- Done: a follow-up is completed; an email or message needs no (further)
-- answer: nothing more about it, the manager's escalation included; a deal's
-- or a capture's alert is acknowledged: nothing further about that cause to
-- this recipient (its snoozed copies are dropped).
create function api.alert_done(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  a alerts;
  f follow_ups;
  skipped int;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  a := crm.alert_for(me, (args ->> 'id')::uuid);
  if a.kind in ('follow_up_due', 'follow_up_overdue') and a.follow_up_id is not null then
    update follow_ups set status = 'done', completed_at = now_, completed_by = me.id
    where workspace_id = ws and id = a.follow_up_id and status = 'open'
    returning * into f;
    if f.id is not null then
      perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'follow_up', f.id, 'complete',
        jsonb_build_object('status', 'open'), jsonb_build_object('status', 'done', 'alertId', a.id, 'contactId', f.contact_id));
    end if;
    update alerts set status = 'skipped', skip_reason = 'done'
    where workspace_id = ws and follow_up_id = a.follow_up_id and status = 'pending' and delivery_id is null;
  elsif a.kind in ('waiting_reply', 'tagged_inbound') and a.interaction_id is not null then
    insert into reply_assignments (workspace_id, interaction_id, member_id, state, at)
    values (ws, a.interaction_id, me.id, 'done', now_)
    on conflict (workspace_id, interaction_id) do update set member_id = excluded.member_id, state = 'done', at = excluded.at;
    update alerts set status = 'skipped', skip_reason = 'done'
    where workspace_id = ws and interaction_id = a.interaction_id and status = 'pending' and delivery_id is null;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'interaction', a.interaction_id, 'reply_done', null,
      jsonb_build_object('state', 'done', 'alertId', a.id));
  else
    update alerts set status = 'skipped', skip_reason = 'done'
    where workspace_id = ws and status = 'pending' and delivery_id is null
      and left(dedupe_key, length(crm.alert_cause(a)) + 1) = crm.alert_cause(a) || ':'
      -- the same recipient's (a snoozed copy): a colleague told of the same deal still hears of it
      and member_id is not distinct from a.member_id and rule_id is not distinct from a.rule_id;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'alert', a.id, 'done', null, jsonb_build_object('kind', a.kind));
  end if;
  return crm.alert_answer(a, 'done', jsonb_build_object('by', crm.member_brief(ws, me.id), 'at', now_));
end $$;

-- Snooze: a follow-up falls due later, a deal is snoozed, anything else
-- alerts its recipient again later (a new alert of the same kind).
create function api.alert_snooze(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  minutes int := (args ->> 'minutes')::int;
  until_ timestamptz;
  a alerts;
  f follow_ups;
  d deals;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if minutes is null or minutes < 15 or minutes > 10080 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'minutes'));
  end if;
  a := crm.alert_for(me, (args ->> 'id')::uuid);
  until_ := now_ + make_interval(mins => minutes);
  if a.kind in ('follow_up_due', 'follow_up_overdue') and a.follow_up_id is not null then
    select * into f from follow_ups where workspace_id = ws and id = a.follow_up_id and status = 'open' for update;
    if f.id is not null then
      update follow_ups set due_at = until_ where workspace_id = ws and id = f.id;
      perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'follow_up', f.id, 'snooze',
        jsonb_build_object('dueAt', f.due_at), jsonb_build_object('dueAt', until_, 'alertId', a.id, 'contactId', f.contact_id));
    end if;
  elsif a.kind like 'deal_%' and a.deal_id is not null then
    select * into d from deals where workspace_id = ws and id = a.deal_id for update;
    if d.id is not null then
      update deals set snoozed_until = until_, updated_at = now_ where workspace_id = ws and id = d.id;
      perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'deal', d.id, 'snooze',
        jsonb_build_object('snoozedUntil', d.snoozed_until), jsonb_build_object('snoozedUntil', until_, 'alertId', a.id));
    end if;
  else
    -- the same alert again, later, to the same recipient (it goes out even inside its stream's window)
    insert into alerts (workspace_id, kind, member_id, rule_id, stream, immediate, dedupe_key, due_at,
                        contact_id, company_id, deal_id, follow_up_id, interaction_id, thread_key, actor_id, detail)
    values (ws, a.kind, a.member_id, a.rule_id, a.stream, true,
            left(crm.alert_cause(a) || ':snooze:' || extract(epoch from now_)::bigint || ':' || me.id, 360)
              || coalesce(':m:' || a.member_id, ':r:' || a.rule_id),
            until_, a.contact_id, a.company_id, a.deal_id, a.follow_up_id, a.interaction_id, a.thread_key, a.actor_id, a.detail)
    on conflict (workspace_id, dedupe_key) do nothing;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'alert', a.id, 'snooze', null, jsonb_build_object('until', until_, 'kind', a.kind));
  end if;
  return crm.alert_answer(a, 'snoozed', jsonb_build_object('until', until_, 'by', crm.member_brief(ws, me.id)));
end $$;

-- Assign to me: the caller is on the email or message (the add-on's "<colleague>
-- is on it"), owns the follow-up, owns the deal.
create function api.alert_assign(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  a alerts;
  f follow_ups;
  d deals;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  a := crm.alert_for(me, (args ->> 'id')::uuid);
  if a.kind in ('waiting_reply', 'tagged_inbound') and a.interaction_id is not null then
    insert into reply_assignments (workspace_id, interaction_id, member_id, state, at)
    values (ws, a.interaction_id, me.id, 'assigned', now_)
    on conflict (workspace_id, interaction_id) do update set member_id = excluded.member_id, state = 'assigned', at = excluded.at;
    -- the others (a manager's escalation) need not hear of it any more
    update alerts set status = 'skipped', skip_reason = 'assigned'
    where workspace_id = ws and interaction_id = a.interaction_id and status = 'pending' and delivery_id is null
      and member_id is distinct from me.id;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'interaction', a.interaction_id, 'reply_assign', null,
      jsonb_build_object('state', 'assigned', 'memberId', me.id, 'alertId', a.id));
  elsif a.kind in ('follow_up_due', 'follow_up_overdue') and a.follow_up_id is not null then
    select * into f from follow_ups where workspace_id = ws and id = a.follow_up_id for update;
    if f.id is null then
      perform crm.fail(404, 'follow_up_not_found', jsonb_build_object('id', a.follow_up_id));
    end if;
    update follow_ups set owner_id = me.id where workspace_id = ws and id = f.id;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'follow_up', f.id, 'update',
      jsonb_build_object('ownerId', f.owner_id), jsonb_build_object('ownerId', me.id, 'alertId', a.id, 'contactId', f.contact_id));
  elsif a.kind like 'deal_%' and a.deal_id is not null then
    select * into d from deals where workspace_id = ws and id = a.deal_id for update;
    if d.id is null then
      perform crm.fail(404, 'deal_not_found', jsonb_build_object('id', a.deal_id));
    end if;
    update deals set owner_id = me.id, updated_at = now_ where workspace_id = ws and id = d.id;
    perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'deal', d.id, 'update',
      jsonb_build_object('ownerId', d.owner_id), jsonb_build_object('ownerId', me.id, 'alertId', a.id));
  else
    perform crm.fail(409, 'alert_not_assignable', jsonb_build_object('id', a.id, 'kind', a.kind));
  end if;
  return crm.alert_answer(a, 'assigned', jsonb_build_object('by', crm.member_brief(ws, me.id), 'at', now_));
end $$;

do $$
declare f text;
begin
  foreach f in array array['crm.alert_item_json(crm.alerts)', 'crm.alerts_fold(timestamptz, int)', 'api.alerts_claim(jsonb)',
                           'api.alert_finish(jsonb)', 'crm.alert_for(crm.members, uuid)', 'crm.alert_cause(crm.alerts)',
                           'crm.alert_answer(crm.alerts, text, jsonb)', 'api.alert_done(jsonb, jsonb)', 'api.alert_snooze(jsonb, jsonb)',
                           'api.alert_assign(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
