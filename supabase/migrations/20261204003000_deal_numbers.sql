-- The numbers a manager reads (issue 18): the pipeline in api.stats, and
-- the digest's "Deals closing this week" and "Stalled deals" with Snooze.
--
-- Money is never converted: every sum is per currency, in the currency's
-- minor units. The weighted pipeline is each open deal's amount times its
-- stage's probability (as the pipeline has it now), rounded once per sum.
-- A deal without an amount is counted but adds to no sum.
--
-- Stats are scoped like the rest of api.stats: a deal counts for its
-- owner's scope (own, the team a manager leads, or the workspace for an
-- admin); a deal without an owner only in the workspace's numbers. Won and
-- lost count the deals closed in the period; the win rate is won / (won +
-- lost) by count; the average days to close is over the deals won in the
-- period, from created to closed (the sales cycle of a win).
--
-- Stalled: an open deal of the reader's team whose contacts have had no
-- interaction for the workspace's stalled_after (default 14 days), nor the
-- deal itself a change of stage or a creation in that time, unless someone
-- snoozed it past now. An interaction counts when the reader may see it:
-- a workspace or subject-only one, or a private one of their own team
-- (synced Gmail is private by default, and a rep writing to the customer
-- from Gmail every week has not stalled the deal; as for going cold). A
-- deleted interaction does not count. A deal with no contacts has only its
-- own changes to go by.
--
-- Closing this week: open deals of the team whose expected close date falls
-- in the reader's week (Monday to Sunday in their time zone), overdue days
-- of the week included.

alter table crm.workspaces add column stalled_after interval not null default interval '14 days'
  check (stalled_after >= interval '1 day' and stalled_after <= interval '365 days');

-- the stalled check reads a deal's contacts by deal (the primary key leads
-- with the deal); the stats read open deals of a team by owner with their
-- amounts without visiting the heap, and closed ones by owner and close time
create index deals_owner_open_idx on crm.deals (workspace_id, owner_id, stage, currency)
  include (amount) where status = 'open';
create index deals_owner_closed_idx on crm.deals (workspace_id, owner_id, closed_at)
  include (status, currency, amount, created_at) where status <> 'open';

create or replace function crm.workspace_digest_json(w crm.workspaces) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object('time', to_char(w.digest_time, 'HH24:MI'), 'weekends', w.digest_weekends,
    'whenEmpty', w.digest_when_empty,
    'replyWindowHours', (extract(epoch from w.reply_window) / 3600)::float8,
    'coldAfterDays', (extract(epoch from w.cold_after) / 86400)::float8,
    'stalledAfterDays', (extract(epoch from w.stalled_after) / 86400)::float8)
$$;

create or replace function api.workspace_digest_defaults(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $function$
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
    cold_after = coalesce(make_interval(days => (args ->> 'coldAfterDays')::int), cold_after),
    stalled_after = coalesce(make_interval(days => (args ->> 'stalledAfterDays')::int), stalled_after)
  where id = w.id
  returning * into w;
  after := crm.workspace_digest_json(w);
  -- the members on the workspace's time: a moved time counts from now for them
  if (after ->> 'time') is distinct from (before ->> 'time') then
    update members set digest_from = date_trunc('minute', crm.ctx_now(ctx)) where workspace_id = w.id and digest_time is null;
  end if;
  if after is distinct from before then
    perform crm.audit(w.id, me.id, crm.ctx_source(ctx), 'workspace', w.id, 'digest_defaults', before, after);
  end if;
  return after;
end
$function$;

-- The deal numbers of api.stats for a scope (team: the owners counted, null
-- for the whole workspace) and a period. PL/pgSQL, not SQL: a SQL function
-- that cannot be inlined is planned again on every call, and planning this
-- statement took longer than running it (10 ms against 1 on the bench).
create function crm.deal_stats(ws uuid, team uuid[], since timestamptz, until timestamptz) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (
  with open_d as (
    select d.owner_id, d.stage, d.currency, count(*) as n, sum(d.amount) as amount,
      sum(d.amount * s.probability) as w100
    from deals d
    join pipeline_stages s on s.workspace_id = ws and s.key = d.stage
    where d.workspace_id = ws and d.status = 'open' and (team is null or d.owner_id = any (team))
    group by d.owner_id, d.stage, d.currency
  ), closed as (
    select d.owner_id, d.status, d.currency, count(*) as n, sum(d.amount) as amount,
      sum(extract(epoch from d.closed_at - d.created_at)) filter (where d.status = 'won') as secs
    from deals d
    where d.workspace_id = ws and d.status <> 'open' and d.closed_at >= since and d.closed_at <= until
      and (team is null or d.owner_id = any (team))
    group by d.owner_id, d.status, d.currency
  ), stage_cur as (
    select stage, currency, sum(n) as n, sum(amount) as amount, round(sum(w100) / 100) as weighted
    from open_d group by stage, currency
  ), by_stage as (
    select s.key, s.name, s.position, s.probability,
      coalesce((select sum(n) from stage_cur x where x.stage = s.key), 0) as n,
      coalesce((select jsonb_agg(jsonb_build_object('currency', x.currency, 'count', x.n, 'amount', x.amount, 'weighted', x.weighted)
                 order by x.currency) from stage_cur x where x.stage = s.key and x.currency is not null), '[]'::jsonb) as amounts
    from pipeline_stages s where s.workspace_id = ws
  ), rep_ids as (
    select owner_id from open_d where owner_id is not null union select owner_id from closed where owner_id is not null
  ), rep as (
    select m.id, m.display_name,
      (select coalesce(sum(n), 0) from open_d o where o.owner_id = m.id) as open_n,
      (select coalesce(jsonb_agg(jsonb_build_object('currency', currency, 'count', n, 'amount', amount, 'weighted', weighted) order by currency), '[]'::jsonb)
         from (select currency, sum(n) as n, sum(amount) as amount, round(sum(w100) / 100) as weighted
               from open_d o where o.owner_id = m.id and o.currency is not null group by currency) t) as pipeline,
      (select coalesce(sum(n), 0) from closed c where c.owner_id = m.id and c.status = 'won') as won_n,
      (select coalesce(sum(n), 0) from closed c where c.owner_id = m.id and c.status = 'lost') as lost_n,
      (select coalesce(jsonb_agg(jsonb_build_object('currency', currency, 'count', n, 'amount', amount) order by currency), '[]'::jsonb)
         from (select currency, sum(n) as n, sum(amount) as amount from closed c
               where c.owner_id = m.id and c.status = 'won' and c.currency is not null group by currency) t) as won_amounts,
      (select sum(secs) / nullif(sum(n), 0) / 86400 from closed c where c.owner_id = m.id and c.status = 'won') as days
    from members m join rep_ids r on r.owner_id = m.id
    where m.workspace_id = ws
  ), outcome as (
    select status, coalesce(sum(n), 0) as n,
      coalesce(jsonb_agg(jsonb_build_object('currency', currency, 'count', n, 'amount', amount) order by currency)
        filter (where currency is not null), '[]'::jsonb) as amounts
    from (select status, currency, sum(n) as n, sum(amount) as amount from closed group by status, currency) t
    group by status
  ), tot as (
    select
      coalesce((select n from outcome where status = 'won'), 0) as won,
      coalesce((select n from outcome where status = 'lost'), 0) as lost,
      (select sum(secs) / nullif(sum(n), 0) / 86400 from closed where status = 'won') as days
  )
  select jsonb_build_object(
    'pipeline', jsonb_build_object(
      'count', (select coalesce(sum(n), 0) from open_d),
      'totals', coalesce((select jsonb_agg(jsonb_build_object('currency', currency, 'count', n, 'amount', amount, 'weighted', weighted) order by currency)
                          from (select currency, sum(n) as n, sum(amount) as amount, round(sum(w100) / 100) as weighted
                                from open_d where currency is not null group by currency) t), '[]'::jsonb),
      'byStage', coalesce((select jsonb_agg(jsonb_build_object('stage', key, 'name', name, 'probability', probability,
                            'count', n, 'amounts', amounts) order by position) from by_stage), '[]'::jsonb)),
    'won', jsonb_build_object('count', t.won, 'amounts', coalesce((select amounts from outcome where status = 'won'), '[]'::jsonb)),
    'lost', jsonb_build_object('count', t.lost, 'amounts', coalesce((select amounts from outcome where status = 'lost'), '[]'::jsonb)),
    'winRate', case when t.won + t.lost > 0 then round(t.won::numeric / (t.won + t.lost), 3) end,
    'avgDaysToClose', round(t.days::numeric, 1),
    'byRep', coalesce((select jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', id, 'name', display_name),
                 'open', open_n, 'pipeline', pipeline, 'won', won_n, 'lost', lost_n, 'wonAmounts', won_amounts,
                 'winRate', case when won_n + lost_n > 0 then round(won_n::numeric / (won_n + lost_n), 3) end,
                 'avgDaysToClose', round(days::numeric, 1))
               order by won_n desc, open_n desc, display_name, id) from rep), '[]'::jsonb))
  from tot t);
end
$$;
revoke execute on function crm.deal_stats(uuid, uuid[], timestamptz, timestamptz) from public;
grant execute on function crm.deal_stats(uuid, uuid[], timestamptz, timestamptz) to service_role;

-- api.stats as 20261124001710_stats_tidy left it (supabase/schema/api/functions/stats.sql),
-- with 'deals': crm.deal_stats over the same scope and period.
create or replace function api.stats(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  per text := coalesce(args ->> 'period', 'week');
  since timestamptz;
  team uuid[];
  everyone boolean;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  since := case per when 'month' then now_ - interval '1 month' else now_ - interval '7 days' end;
  team := crm.scope_of(me);
  everyone := team is null;

  return (
    -- scope contacts are read in one pass (counts) or by primary key (moves,
    -- inbound emails), never materialised: a manager's team may own 100,000
    with counts as (
      select c.stage, c.timezone, count(*) as n from contacts c
      where c.workspace_id = ws and c.merged_into_id is null and (everyone or c.owner_id = any (team))
      group by c.stage, c.timezone
    ), stages as (
      select s.stage, s.n as ord, coalesce(sum(x.n), 0) as n
      from unnest(array['lead', 'prospect', 'customer', 'churned']) with ordinality s(stage, n)
      left join counts x on x.stage = s.stage
      group by s.stage, s.n
    ), zones as (
      select x.timezone, sum(x.n) as n from counts x group by x.timezone
    ), moves as (
      select a.before ->> 'stage' as f, a.after ->> 'stage' as t, count(*) as n
      from audit_log a
      join contacts c on c.workspace_id = ws and c.id = a.entity_id
      where a.workspace_id = ws and a.entity_type = 'contact' and a.action = 'update'
        and a.at >= since and a.at <= now_
        and a.before ? 'stage' and a.after ? 'stage' and a.before ->> 'stage' is distinct from a.after ->> 'stage'
        and c.merged_into_id is null and (everyone or c.owner_id = any (team))
      group by 1, 2
    ), acts as (
      select i.author_id, i.kind, count(*) as n
      from interactions i
      where i.workspace_id = ws and i.deleted_at is null and i.author_id is not null
        and (everyone or i.author_id = any (team))
        and i.occurred_at >= since and i.occurred_at <= now_
      group by i.author_id, i.kind
    ), reps as (
      select m.id, m.display_name,
        coalesce(sum(a.n), 0) as total,
        jsonb_build_object(
          'email', coalesce(sum(a.n) filter (where a.kind = 'email'), 0),
          'slack', coalesce(sum(a.n) filter (where a.kind = 'slack'), 0),
          'call', coalesce(sum(a.n) filter (where a.kind = 'call'), 0),
          'meeting', coalesce(sum(a.n) filter (where a.kind = 'meeting'), 0),
          'note', coalesce(sum(a.n) filter (where a.kind = 'note'), 0)) as kinds
      from members m
      left join acts a on a.author_id = m.id
      where m.workspace_id = ws and (everyone or m.id = any (team))
      group by m.id, m.display_name, m.active
      having m.active or coalesce(sum(a.n), 0) > 0
    ), fu as (
      select
        count(*) filter (where f.created_at >= since and f.created_at <= now_) as created,
        count(*) filter (where f.status = 'done' and f.completed_at >= since and f.completed_at <= now_) as done,
        count(*) filter (where f.status = 'open' and f.due_at < now_) as overdue
      from follow_ups f
      where f.workspace_id = ws and (everyone or f.owner_id = any (team))
    ), inbound as (
      select distinct i.id, i.occurred_at, p.contact_id
      from interactions i
      -- (participants carry occurred_at: the period bounds their index scan too)
      join interaction_participants p on p.workspace_id = ws and p.interaction_id = i.id
        and p.occurred_at >= since and p.occurred_at <= now_
      join contacts c on c.workspace_id = ws and c.id = p.contact_id
      where i.workspace_id = ws and i.kind = 'email' and i.direction = 'inbound' and i.deleted_at is null
        and c.merged_into_id is null and (everyone or c.owner_id = any (team))
        and i.occurred_at >= since and i.occurred_at <= now_
    ), gaps as (
      -- per inbound email: its earliest reply over all its contacts
      select ib.id, extract(epoch from min(r.at) - ib.occurred_at) / 60 as minutes
      from inbound ib
      left join lateral (
        select p2.occurred_at as at
        from interaction_participants p2
        join interactions o on o.workspace_id = ws and o.id = p2.interaction_id
        where p2.workspace_id = ws and p2.contact_id = ib.contact_id
          and p2.occurred_at > ib.occurred_at and p2.occurred_at <= now_
          and o.direction = 'outbound' and o.deleted_at is null
        order by p2.occurred_at
        limit 1
      ) r on true
      group by ib.id, ib.occurred_at
    )
    select jsonb_build_object(
      'period', per, 'from', since, 'to', now_,
      'scope', case when everyone then 'workspace' when cardinality(team) > 1 then 'team' else 'own' end,
      'members', case when everyone then (select count(*) from members m where m.workspace_id = ws and m.active)
                      else cardinality(team) end,
      'contacts', jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from counts),
        'byStage', (select jsonb_agg(jsonb_build_object('stage', stage, 'count', n) order by ord) from stages),
        'byTimezone', coalesce((select jsonb_agg(jsonb_build_object('timezone', timezone, 'count', n)
                                 order by n desc, timezone nulls last) from zones), '[]'::jsonb)),
      'stageMoves', coalesce((select jsonb_agg(jsonb_build_object('from', f, 'to', t, 'count', n) order by n desc, f, t)
                              from moves), '[]'::jsonb),
      'interactions', jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from acts),
        'byKind', (select jsonb_object_agg(k, (select coalesce(sum(n), 0) from acts where kind = k))
                   from unnest(array['email', 'slack', 'call', 'meeting', 'note']) k),
        'byRep', coalesce((select jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', id, 'name', display_name),
                   'total', total, 'byKind', kinds) order by total desc, display_name, id) from reps), '[]'::jsonb)),
      'followUps', (select jsonb_build_object('created', created, 'done', done, 'overdue', overdue) from fu),
      'deals', crm.deal_stats(ws, team, since, now_),
      'replies', jsonb_build_object(
        'inboundEmails', (select count(*) from gaps),
        'answered', (select count(*) from gaps where minutes is not null),
        'medianMinutes', (select round((percentile_cont(0.5) within group (order by minutes))::numeric, 1)
                          from gaps where minutes is not null)))
  );
end
$function$;

-- api.digest_compose as 20261203005200_calendar_digest left it (every section,
-- the going-cold rule for private interactions and the meetings), with
-- "Deals closing this week" and "Stalled deals" (the rules are at the top of
-- this file); a digest with either is not empty.
create or replace function api.digest_compose(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  now_ timestamptz := crm.ctx_now(ctx);
  today date;
  day_start timestamptz;
  day_end timestamptz;
  yday_start timestamptz;
  week_start date;
  team uuid[];
  seg_filter jsonb;
  seg jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  today := (now_ at time zone me.timezone)::date;
  day_start := today::timestamp at time zone me.timezone;
  day_end := (today + 1)::timestamp at time zone me.timezone;
  yday_start := (today - 1)::timestamp at time zone me.timezone;
  -- the reader's week: Monday to Sunday of their local date
  week_start := today - (extract(isodow from today)::int - 1);
  team := array(select crm.team_of(ws, me.id));
  -- a digest scoped to a saved segment: its follow-ups, waiting and going-cold
  -- contacts are the segment's (as the reader resolves it); a deleted segment
  -- scopes nothing
  if me.digest_segment_id is not null then
    select filter into seg_filter from segments where workspace_id = ws and id = me.digest_segment_id;
    if found then
      seg := crm.segment_resolve(ws, me.id, seg_filter);
    end if;
  end if;

  return (
    with fu as (
      select f.id, f.owner_id, f.contact_id, f.due_at, f.note, f.due_at < day_start as overdue
      from follow_ups f
      where f.workspace_id = ws and f.owner_id = any (team) and f.status = 'open' and f.due_at < day_end
        and (seg is null or exists (select 1 from contacts sc where sc.workspace_id = ws and sc.id = f.contact_id and crm.segment_matches(sc, seg)))
    ), ranked as (
      select fu.*,
        row_number() over (partition by overdue, case when overdue then owner_id end order by due_at, id) as rn,
        count(*) over (partition by overdue, case when overdue then owner_id end) as n,
        min(due_at) over (partition by overdue, case when overdue then owner_id end) as oldest
      from fu
    ), fu_items as (
      select r.id, r.owner_id, r.due_at, r.overdue, r.n, r.oldest, o.display_name as owner_name,
        jsonb_build_object('id', r.id, 'dueAt', r.due_at, 'note', r.note,
          'contact', jsonb_build_object('id', c.id, 'name', c.name, 'company', co.name),
          'owner', jsonb_build_object('id', o.id, 'name', o.display_name)) as item
      from ranked r
      join contacts c on c.workspace_id = ws and c.id = r.contact_id
      left join companies co on co.workspace_id = ws and co.id = c.company_id
      join members o on o.workspace_id = ws and o.id = r.owner_id
      where r.rn <= case when r.overdue then 5 else 10 end
    ), by_rep as (
      select owner_id, owner_name, max(n) as n, min(oldest) as oldest, jsonb_agg(item order by due_at, id) as items
      from fu_items where overdue group by owner_id, owner_name
    ), tc as (
      select c.id, c.name, c.company_id, c.owner_id, c.stage,
        coalesce(c.last_interaction_at, c.created_at) as silent_since
      from contacts c
      where c.workspace_id = ws and c.owner_id = any (team) and c.merged_into_id is null
        and (seg is null or crm.segment_matches(c, seg))
    ), last_in as (
      -- each team contact's latest inbound email or Slack message old enough to await a reply
      select distinct on (p.contact_id) p.contact_id, i.id, i.kind, i.occurred_at, i.subject,
        -- a 'subject' email waits for a reply like any other; its body stays with its author
        case when i.visibility = 'workspace' then i.body end as body
      from tc
      join interaction_participants p on p.workspace_id = ws and p.contact_id = tc.id
        and p.occurred_at <= now_ - w.reply_window and p.occurred_at >= now_ - interval '14 days'
      join interactions i on i.workspace_id = ws and i.id = p.interaction_id
      where i.direction = 'inbound' and i.kind in ('email', 'slack') and i.visibility in ('workspace', 'subject') and i.deleted_at is null
      order by p.contact_id, p.occurred_at desc, i.id desc
    ), waiting as (
      select l.*, row_number() over (order by l.occurred_at, l.id) as rn, count(*) over () as n
      from last_in l
      where not exists (
        select 1 from interaction_participants p
        join interactions o on o.workspace_id = ws and o.id = p.interaction_id
        -- (t is within 14 days, so only the last 14 days can hold a reply)
        where p.workspace_id = ws and p.contact_id = l.contact_id and p.occurred_at > l.occurred_at
          and p.occurred_at >= now_ - interval '14 days'
          and o.direction = 'outbound' and o.deleted_at is null)
    ), cold as (
      select tc.*, row_number() over (order by silent_since, id) as rn, count(*) over () as n
      from tc
      where tc.stage in ('prospect', 'customer') and tc.silent_since < now_ - w.cold_after
        -- in touch privately: mail the team's own Gmail sync (private by default) or a
        -- member captured as private, which the reader may see (their own, their team's),
        -- though it does not move the last-interaction time everyone sees
        and not exists (
          select 1 from interaction_participants p
          join interactions i on i.workspace_id = ws and i.id = p.interaction_id
          where p.workspace_id = ws and p.contact_id = tc.id and p.occurred_at >= now_ - w.cold_after
            and i.visibility = 'private' and i.deleted_at is null and i.author_id = any (team))
    ), held as (
      -- meetings held yesterday, counted for each member of the team who had them in their calendar
      select c.member_id as mid, count(distinct i.id) as n
      from interactions i
      join interaction_capturers c on c.workspace_id = ws and c.interaction_id = i.id and c.via = 'calendar'
      where i.workspace_id = ws and c.member_id = any (team) and i.kind = 'meeting' and i.source = 'calendar' and i.deleted_at is null
        and i.occurred_at >= yday_start and i.occurred_at < day_start
      group by c.member_id
    ), act as (
      select i.author_id as mid,
        count(*) filter (where i.kind = 'email') as emails, count(*) filter (where i.kind = 'slack') as slack,
        count(*) filter (where i.kind = 'note') as notes, count(*) filter (where i.kind = 'call' or (i.kind = 'meeting' and i.source <> 'calendar')) as calls,
        0::bigint as done, 0::bigint as created, 0::bigint as meetings
      from interactions i
      where i.workspace_id = ws and i.author_id = any (team) and i.deleted_at is null
        and i.created_at >= yday_start and i.created_at < day_start
      group by i.author_id
      union all
      select f.completed_by, 0, 0, 0, 0, count(*), 0, 0 from follow_ups f
      where f.workspace_id = ws and f.completed_by = any (team) and f.status = 'done'
        and f.completed_at >= yday_start and f.completed_at < day_start
      group by f.completed_by
      union all
      select f.created_by, 0, 0, 0, 0, 0, count(*), 0 from follow_ups f
      where f.workspace_id = ws and f.created_by = any (team)
        and f.created_at >= yday_start and f.created_at < day_start
      group by f.created_by
      union all
      select h.mid, 0, 0, 0, 0, 0, 0, h.n from held h
    ), yesterday as (
      select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', m.id, 'name', m.display_name),
          'emails', a.emails, 'slack', a.slack, 'notes', a.notes, 'calls', a.calls,
          'followUpsDone', a.done, 'followUpsCreated', a.created, 'meetings', a.meetings) order by m.display_name, m.id), '[]'::jsonb) as j
      from (select mid, sum(emails) as emails, sum(slack) as slack, sum(notes) as notes, sum(calls) as calls,
              sum(done) as done, sum(created) as created, sum(meetings) as meetings
            from act group by mid) a
      join members m on m.workspace_id = ws and m.id = a.mid
    ), meet as (
      -- the team's meetings with customers today (Calendar sync), one row per member attending
      select e.member_id, e.start_at, e.end_at, e.title, e.interaction_id, e.external_emails,
        row_number() over (partition by e.member_id order by e.start_at, e.id) as rn,
        count(*) over (partition by e.member_id) as n
      from calendar_events e
      join calendars cl on cl.id = e.calendar_id and cl.status <> 'off'
      where e.workspace_id = ws and e.member_id = any (team) and e.cancelled_at is null and not e.private
        and e.self_response is distinct from 'declined' and cardinality(e.external_emails) > 0
        and e.start_at >= day_start and e.start_at < day_end
    ), meet_by_rep as (
      select x.member_id, m.display_name, max(x.n) as n, min(x.start_at) as first_at,
        jsonb_agg(jsonb_build_object('start', x.start_at, 'end', x.end_at, 'title', x.title, 'interactionId', x.interaction_id,
          'contacts', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by c.name, c.id)
            from contacts c where c.workspace_id = ws and c.merged_into_id is null and c.id in (
              select ce.contact_id from contact_emails ce where ce.workspace_id = ws and lower(ce.email) = any (x.external_emails))), '[]'::jsonb))
          order by x.start_at) filter (where x.rn <= 10) as items
      from meet x join members m on m.workspace_id = ws and m.id = x.member_id
      group by x.member_id, m.display_name
    ), closing as (
      -- the team's open deals expected to close this week (the reader's)
      select d as deal, row_number() over (order by d.close_date, d.amount desc nulls last, d.id) as rn, count(*) over () as n
      from deals d
      where d.workspace_id = ws and d.status = 'open' and d.owner_id = any (team)
        and d.close_date >= week_start and d.close_date < week_start + 7
    ), stalled as (
      -- open, not snoozed, no change of its own and no interaction the reader may see
      -- with any of its contacts within stalled_after
      select d as deal, row_number() over (order by greatest(d.created_at, d.stage_changed_at), d.id) as rn, count(*) over () as n
      from deals d
      where d.workspace_id = ws and d.status = 'open' and d.owner_id = any (team)
        and (d.snoozed_until is null or d.snoozed_until <= now_)
        and d.created_at < now_ - w.stalled_after and d.stage_changed_at < now_ - w.stalled_after
        and not exists (
          select 1 from deal_contacts dc
          join interaction_participants p on p.workspace_id = ws and p.contact_id = dc.contact_id
            and p.occurred_at >= now_ - w.stalled_after and p.occurred_at <= now_
          join interactions i on i.workspace_id = ws and i.id = p.interaction_id
          where dc.workspace_id = ws and dc.deal_id = d.id and i.deleted_at is null
            and (i.visibility <> 'private' or i.author_id = any (team)))
    ), stalled_items as (
      -- the ten shown, with the last thing that happened to them
      select x.rn, crm.deal_json(x.deal) || jsonb_build_object('lastActivityAt', greatest((x.deal).created_at, (x.deal).stage_changed_at, (
          select max(l.at) from deal_contacts dc
          cross join lateral (
            select p.occurred_at as at from interaction_participants p
            join interactions i on i.workspace_id = ws and i.id = p.interaction_id
            where p.workspace_id = ws and p.contact_id = dc.contact_id and p.occurred_at <= now_
              and i.deleted_at is null and (i.visibility <> 'private' or i.author_id = any (team))
            order by p.occurred_at desc limit 1) l
          where dc.workspace_id = ws and dc.deal_id = (x.deal).id))) as item
      from stalled x where x.rn <= 10
    ), sections as (
      select
        (select count(*) from fu where overdue) as overdue_n,
        (select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', owner_id, 'name', owner_name),
            'total', n, 'items', items) order by oldest, owner_id), '[]'::jsonb) from by_rep) as by_rep,
        (select count(*) from fu where not overdue) as today_n,
        (select coalesce(jsonb_agg(item order by due_at, id), '[]'::jsonb) from fu_items where not overdue) as today_items,
        (select count(*) from waiting) as waiting_n,
        (select coalesce(jsonb_agg(jsonb_build_object(
            'contact', jsonb_build_object('id', c.id, 'name', c.name, 'company', co.name),
            'owner', case when o.id is null then null else jsonb_build_object('id', o.id, 'name', o.display_name) end,
            'interaction', jsonb_build_object('id', x.id, 'kind', x.kind, 'occurredAt', x.occurred_at, 'subject', x.subject,
              'snippet', left(regexp_replace(coalesce(x.body, ''), '\s+', ' ', 'g'), 280))) order by x.rn), '[]'::jsonb)
          from waiting x
          join contacts c on c.workspace_id = ws and c.id = x.contact_id
          left join companies co on co.workspace_id = ws and co.id = c.company_id
          left join members o on o.workspace_id = ws and o.id = c.owner_id
          where x.rn <= 10) as waiting_items,
        (select count(*) from cold) as cold_n,
        (select coalesce(jsonb_agg(jsonb_build_object(
            'contact', jsonb_build_object('id', x.id, 'name', x.name, 'company', co.name),
            'owner', case when o.id is null then null else jsonb_build_object('id', o.id, 'name', o.display_name) end,
            'stage', x.stage, 'lastInteractionAt', x.silent_since) order by x.rn), '[]'::jsonb)
          from cold x
          left join companies co on co.workspace_id = ws and co.id = x.company_id
          left join members o on o.workspace_id = ws and o.id = x.owner_id
          where x.rn <= 10) as cold_items,
        (select j from yesterday) as yesterday,
        (select coalesce(sum(n), 0) from (select max(n) as n from meet group by member_id) t) as meet_n,
        (select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', member_id, 'name', display_name),
            'total', n, 'items', items) order by first_at, member_id), '[]'::jsonb) from meet_by_rep) as meet_by_rep,
        (select count(*) from closing) as closing_n,
        (select coalesce(jsonb_agg(crm.deal_json(x.deal) order by x.rn), '[]'::jsonb) from closing x where x.rn <= 10) as closing_items,
        (select count(*) from stalled) as stalled_n,
        (select coalesce(jsonb_agg(item order by rn), '[]'::jsonb) from stalled_items) as stalled_items
    )
    select jsonb_build_object(
      'reader', jsonb_build_object('memberId', me.id, 'name', me.display_name, 'locale', me.locale,
        'timezone', me.timezone, 'slackUserId', me.slack_user_id),
      'localDate', to_char(today, 'YYYY-MM-DD'),
      'isManager', crm.has_reports(ws, me.id),
      'whenEmpty', w.digest_when_empty,
      'overdue', jsonb_build_object('total', s.overdue_n, 'byRep', s.by_rep),
      'dueToday', jsonb_build_object('total', s.today_n, 'items', s.today_items),
      'waiting', jsonb_build_object('total', s.waiting_n, 'items', s.waiting_items),
      'goingCold', jsonb_build_object('total', s.cold_n, 'items', s.cold_items),
      'yesterday', s.yesterday,
      'meetingsToday', jsonb_build_object('total', s.meet_n, 'byRep', s.meet_by_rep),
      'dealsClosing', jsonb_build_object('total', s.closing_n, 'weekStart', to_char(week_start, 'YYYY-MM-DD'), 'items', s.closing_items),
      'dealsStalled', jsonb_build_object('total', s.stalled_n,
        'stalledAfterDays', (extract(epoch from w.stalled_after) / 86400)::float8, 'items', s.stalled_items),
      'empty', s.overdue_n = 0 and s.today_n = 0 and s.waiting_n = 0 and s.cold_n = 0 and s.yesterday = '[]'::jsonb and s.meet_n = 0
        and s.closing_n = 0 and s.stalled_n = 0)
    from sections s
  );
end
$function$;

-- Snooze a deal out of the digest's stalled deals for some days (default a
-- week) from now: its owner, whoever created it, their managers and admins.
create function api.deal_snooze(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  days int := coalesce((args ->> 'days')::int, 7);
  d crm.deals;
  before jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if days < 1 or days > 90 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'days'));
  end if;
  select * into d from deals where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if d.id is null then
    perform crm.fail(404, 'deal_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  -- (owner and creator may be null: a null must not let anyone through)
  if not (me.role = 'admin' or d.owner_id is not distinct from me.id and d.owner_id is not null
          or d.created_by is not distinct from me.id and d.created_by is not null
          or coalesce(me.id in (select crm.managers_of(ws, d.owner_id)), false)) then
    perform crm.fail(403, 'deal_snooze_forbidden', jsonb_build_object('id', d.id));
  end if;
  before := jsonb_build_object('snoozedUntil', d.snoozed_until);
  update deals set snoozed_until = now_ + make_interval(days => days), updated_at = now_
  where workspace_id = ws and id = d.id
  returning * into d;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'deal', d.id, 'snooze', before,
    jsonb_build_object('snoozedUntil', d.snoozed_until));
  return jsonb_build_object('id', d.id, 'snoozedUntil', d.snoozed_until, 'deal', crm.deal_json(d));
end
$function$;
revoke execute on function api.deal_snooze(jsonb, jsonb) from public;
grant execute on function api.deal_snooze(jsonb, jsonb) to service_role;
