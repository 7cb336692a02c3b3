-- Readings, part 2 (issue 21): the digest's contacts carry their reading, so
-- the Slack app can show "田中 太郎（たなか たろう）" to a manager who reads
-- another language (backend/i18n/name-reading.ts decides where it helps).

CREATE OR REPLACE FUNCTION api.digest_compose(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
 SET jit TO 'off'
AS $function$
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
          'contact', jsonb_build_object('id', c.id, 'name', c.name, 'reading', c.reading, 'company', co.name),
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
      select c.id, c.name, c.reading, c.company_id, c.owner_id, c.stage,
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
            'contact', jsonb_build_object('id', c.id, 'name', c.name, 'reading', c.reading, 'company', co.name),
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
            'contact', jsonb_build_object('id', x.id, 'name', x.name, 'reading', x.reading, 'company', co.name),
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
