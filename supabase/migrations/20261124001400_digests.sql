-- Daily follow-up digests: each member's settings, the deliveries the
-- scheduler claims, and the digest itself (api.digest_compose).
--
-- A member's settings override the workspace's; null means "the default". The
-- digest is on by default for a member with reports (someone's manager_id
-- points at them) and off for everyone else, who may opt in.
-- Every date and time in a digest is the reader's own: "today" and "yesterday"
-- are their local days in members.timezone, taken from ctx now (the server's
-- clock), so a manager in Tokyo and a rep in New York each get their own, and
-- a day of 23 or 25 hours (a DST change) is as long as it really is.
-- A digest is one call: set-based CTEs give exact totals over the whole set and
-- short lists (5 per rep, 10 per section), never one query per follow-up.

alter table crm.workspaces add column digest_when_empty text not null default 'line'
  check (digest_when_empty in ('line', 'skip'));

alter table crm.members add column digest_enabled boolean;
alter table crm.members add column digest_time time;
alter table crm.members add column digest_weekends boolean;
-- a saved segment the digest is scoped to (20261124001800_digest_segment.sql)
alter table crm.members add column digest_segment_id uuid;

-- One row per member and local date: the key that makes "at most one digest a
-- day" hold even when two servers claim at once or the member changes timezone.
create table crm.digest_deliveries (
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  local_date date not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'skipped')),
  attempts int not null default 1 check (attempts >= 0),
  claimed_by text check (length(claimed_by) <= 100),
  claimed_at timestamptz,
  lease_until timestamptz,
  sent_at timestamptz,
  updated_at timestamptz not null default now(),
  slack_channel text check (length(slack_channel) <= 100),
  slack_ts text check (length(slack_ts) <= 100),
  last_error text check (length(last_error) <= 2000),
  primary key (workspace_id, member_id, local_date),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
-- the leases the scheduler looks at; the failures a manager's status lists
create index digest_deliveries_pending_idx on crm.digest_deliveries (lease_until) where status = 'pending';
create index digest_deliveries_failed_idx on crm.digest_deliveries (workspace_id, local_date) where status = 'failed';

alter table crm.digest_deliveries enable row level security;
create policy workspace_isolation on crm.digest_deliveries
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
revoke all on crm.digest_deliveries from public, anon, authenticated;
grant select, insert, update, delete on crm.digest_deliveries to service_role;

-- What a digest reads, by index: yesterday's activity by author / completer /
-- creator and time. Open follow-ups by owner and due time
-- (follow_ups_open_owner_idx), contacts by owner (contacts_owner_idx) and a
-- contact's interactions by time (participants_contact_idx) exist already.
create index interactions_author_created_idx on crm.interactions (workspace_id, author_id, created_at)
  where deleted_at is null;
create index follow_ups_completed_idx on crm.follow_ups (workspace_id, completed_by, completed_at)
  where completed_by is not null;
create index follow_ups_created_idx on crm.follow_ups (workspace_id, created_by, created_at)
  where created_by is not null;

-- Whether someone reports to m.
create or replace function crm.has_reports(ws uuid, m uuid) returns boolean
  language sql stable
  set search_path = crm, pg_catalog
as $$ select exists (select 1 from members r where r.workspace_id = ws and r.manager_id = m) $$;

-- DigestSettings: what applies to m (their own choice, else the workspace's,
-- else on for a manager) and what m chose explicitly.
create or replace function crm.digest_settings_json(m crm.members, w crm.workspaces) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'enabled', coalesce(m.digest_enabled, mgr),
    'time', to_char(coalesce(m.digest_time, w.digest_time), 'HH24:MI'),
    'weekends', coalesce(m.digest_weekends, w.digest_weekends),
    'explicit', jsonb_build_object('enabled', m.digest_enabled, 'time', to_char(m.digest_time, 'HH24:MI'),
      'weekends', m.digest_weekends),
    'isManager', mgr,
    'timezone', m.timezone)
  from (select crm.has_reports(m.workspace_id, m.id) as mgr) r
$$;

-- args: {} or any of {enabled, time: 'HH:MM', weekends}. The caller's digest
-- settings, changed when args says so (audited).
create or replace function api.digest_settings(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  before jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = me.workspace_id;
  before := crm.digest_settings_json(me, w);
  if args ?| array['enabled', 'time', 'weekends'] then
    update members set
      digest_enabled = case when args ? 'enabled' then (args ->> 'enabled')::boolean else digest_enabled end,
      digest_time = case when args ? 'time' then (args ->> 'time')::time else digest_time end,
      digest_weekends = case when args ? 'weekends' then (args ->> 'weekends')::boolean else digest_weekends end
    where workspace_id = me.workspace_id and id = me.id
    returning * into me;
    if crm.digest_settings_json(me, w) is distinct from before then
      perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'digest_settings',
        before, crm.digest_settings_json(me, w));
    end if;
  end if;
  return crm.digest_settings_json(me, w);
end
$$;

-- The Digest for the caller at ctx now. The team is the reader and everyone
-- below them (crm.team_of).
--   overdue:   open follow-ups due before the reader's local midnight, by rep
--              (oldest rep first), 5 items a rep;
--   dueToday:  open follow-ups due within the reader's local today, 10 items;
--   waiting:   per team contact, its latest inbound email / Slack message at t,
--              now - 14 days <= t <= now - reply_window, with no outbound
--              interaction after t; longest waiting first, 10 items;
--   goingCold: team prospects and customers silent (last interaction, else
--              creation) for longer than cold_after; 10 items;
--   yesterday: per team member, what they captured (by created_at), completed
--              and created during the reader's local yesterday.
-- Private interactions never count as waiting; in yesterday's counts every
-- author is in the reader's team, whom crm.can_see always lets the reader see.
create or replace function api.digest_compose(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  now_ timestamptz := crm.ctx_now(ctx);
  today date;
  day_start timestamptz;
  day_end timestamptz;
  yday_start timestamptz;
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
      select distinct on (p.contact_id) p.contact_id, i.id, i.kind, i.occurred_at, i.subject, i.body
      from tc
      join interaction_participants p on p.workspace_id = ws and p.contact_id = tc.id
        and p.occurred_at <= now_ - w.reply_window and p.occurred_at >= now_ - interval '14 days'
      join interactions i on i.workspace_id = ws and i.id = p.interaction_id
      where i.direction = 'inbound' and i.kind in ('email', 'slack') and i.visibility = 'workspace' and i.deleted_at is null
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
    ), act as (
      select i.author_id as mid,
        count(*) filter (where i.kind = 'email') as emails, count(*) filter (where i.kind = 'slack') as slack,
        count(*) filter (where i.kind = 'note') as notes, count(*) filter (where i.kind in ('call', 'meeting')) as calls,
        0::bigint as done, 0::bigint as created
      from interactions i
      where i.workspace_id = ws and i.author_id = any (team) and i.deleted_at is null
        and i.created_at >= yday_start and i.created_at < day_start
      group by i.author_id
      union all
      select f.completed_by, 0, 0, 0, 0, count(*), 0 from follow_ups f
      where f.workspace_id = ws and f.completed_by = any (team) and f.status = 'done'
        and f.completed_at >= yday_start and f.completed_at < day_start
      group by f.completed_by
      union all
      select f.created_by, 0, 0, 0, 0, 0, count(*) from follow_ups f
      where f.workspace_id = ws and f.created_by = any (team)
        and f.created_at >= yday_start and f.created_at < day_start
      group by f.created_by
    ), yesterday as (
      select coalesce(jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', m.id, 'name', m.display_name),
          'emails', a.emails, 'slack', a.slack, 'notes', a.notes, 'calls', a.calls,
          'followUpsDone', a.done, 'followUpsCreated', a.created) order by m.display_name, m.id), '[]'::jsonb) as j
      from (select mid, sum(emails) as emails, sum(slack) as slack, sum(notes) as notes, sum(calls) as calls,
              sum(done) as done, sum(created) as created
            from act group by mid) a
      join members m on m.workspace_id = ws and m.id = a.mid
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
        (select j from yesterday) as yesterday
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
      'empty', s.overdue_n = 0 and s.today_n = 0 and s.waiting_n = 0 and s.cold_n = 0 and s.yesterday = '[]'::jsonb)
    from sections s
  );
end
$$;


revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
