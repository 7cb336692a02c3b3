-- The numbers of a manager's team, read faster at bench scale 1 (a manager's
-- team of a 100,000-contact workspace with 30,000 deals), after
-- 20261204004000_stats_without_jit took JIT out of api.stats:
-- * the team's inbound emails are read from the period's inbound emails first
--   (interactions_recent_idx), then their people: probing each of the team's
--   ~10,000 contacts' participants for the period took 60 of 100 ms;
-- * the team's contacts are counted by stage and zone from an index, not their
--   rows (18 ms of heap reads). The owner leads: with the workspace first and
--   merged_into_id as its condition, the planner took it for other reads of a
--   workspace's contacts, and logging an email that creates 1,000 contacts
--   went from 8 to 26 s on PGlite.
-- api.stats is otherwise as 20261204003000_deal_numbers left it, still
-- without JIT (a create or replace sets a function's settings anew).
create index contacts_owner_stage_idx on crm.contacts (owner_id, workspace_id) include (stage, timezone, merged_into_id) where owner_id is not null;

create or replace function api.stats(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog set jit = off as $function$
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
    ), period_inbound as materialized (
      -- the period's inbound emails first (interactions_recent_idx), then their
      -- people: a manager's team owns some 10,000 contacts at bench scale 1,
      -- and probing each one's participants for the period took 60 of 100 ms
      select i.id, i.occurred_at
      from interactions i
      where i.workspace_id = ws and i.occurred_at >= since and i.occurred_at <= now_
        and i.kind = 'email' and i.direction = 'inbound' and i.deleted_at is null
    ), inbound as (
      select distinct ib.id, ib.occurred_at, p.contact_id
      from period_inbound ib
      join interaction_participants p on p.workspace_id = ws and p.interaction_id = ib.id
      join contacts c on c.workspace_id = ws and c.id = p.contact_id
      where p.contact_id is not null and c.merged_into_id is null and (everyone or c.owner_id = any (team))
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
