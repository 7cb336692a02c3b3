-- What an outside security review found, closed in the database (issue 13).
--
-- 1. A Slack identity is matched to a member by email only when the Slack
--    team it belongs to is bound to the member's workspace, and the member
--    then remembers that team (members.slack_team_id). A member's deliveries
--    (the digest) go through the installation of that team, never through
--    "the most recently updated installation" of the workspace, which anyone
--    who managed to bind a second team would have owned.
--    A Slack team binds by itself to the only workspace only when it is the
--    single-workspace bot token's own team and that workspace has no team
--    yet; any other team needs an installation ("Add to Slack" with a signed
--    install link).
-- 2. A private capture creates nothing other members can see: an unknown
--    address on a private interaction makes no contact (and no company); the
--    participant keeps its address, and is linked to the contact once one
--    exists for that address (made by a workspace-visible capture, or by
--    hand), so the author still finds it in that contact's timeline.
-- 3. Nothing another member can read points at a private interaction they
--    cannot see: a change entry's fromInteractionId (written by captures
--    before this migration) and a follow-up's sourceInteractionId read as
--    absent to them; a follow-up cannot name another member's private
--    interaction as its source (404, the same answer as an unknown id).
-- 4. A contact card asked for a place others read (a channel, Share) carries
--    no private entry whoever asks: api.contact_get {shared: true} builds the
--    timeline as nobody's, which sees workspace-visible entries only.
-- 5. The person export stays what it is, an admin-only data-subject export of
--    everything held about a person (private interactions included: the one
--    exception to the visibility rule, named in README), and now writes an
--    audit entry naming the admin who exported it.
-- 6. Once a member's Google subject id is stored, a Google ID token with the
--    same email but another subject is refused (api.auth_google answers
--    {refused}), as a Slack user id already is; an admin unlinks a Google or
--    Slack identity with api.member_unlink_identity.

alter table crm.members add column slack_team_id text
  check (slack_team_id is null or slack_team_id ~ '^[TE][A-Z0-9]{2,20}$');

-- members already linked to Slack in a workspace with exactly one Slack team
-- belong to that team; elsewhere they learn their team at their next request
update crm.members m set slack_team_id = s.team_id
from crm.slack_installations s
where m.slack_user_id is not null and m.slack_team_id is null and s.workspace_id = m.workspace_id
  and (select count(*) from crm.slack_installations s2 where s2.workspace_id = m.workspace_id) = 1;

-- ---------------------------------------------------------------- Slack

-- args: {teamId, teamName?, bind?}. The workspace of a Slack team. With
-- bind (the single-workspace bot token's own team, which the Slack app knows
-- from auth.test), a new team binds to the only workspace when that
-- workspace has no Slack team yet; any other unknown team stays unknown
-- (null) until it is installed.
create or replace function api.slack_team(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  inst crm.slack_installations;
  only_ws uuid;
begin
  select * into inst from slack_installations where team_id = args ->> 'teamId';
  if inst.team_id is null then
    if not coalesce((args ->> 'bind')::boolean, false) or (select count(*) from workspaces) <> 1 then
      return null;
    end if;
    select id into only_ws from workspaces;
    if exists (select 1 from slack_installations where workspace_id = only_ws) then
      return null;
    end if;
    insert into slack_installations (team_id, workspace_id, team_name)
    values (args ->> 'teamId', only_ws, args ->> 'teamName')
    on conflict (team_id) do nothing;
    select * into inst from slack_installations where team_id = args ->> 'teamId';
    perform crm.audit(inst.workspace_id, null, 'slack', 'slack_installation', inst.workspace_id, 'bind',
      null, jsonb_build_object('teamId', inst.team_id, 'teamName', inst.team_name));
  end if;
  return jsonb_build_object('workspaceId', inst.workspace_id, 'teamId', inst.team_id, 'botTokenEnc', inst.bot_token_enc,
    'botUserId', inst.bot_user_id, 'botId', inst.bot_id);
end
$$;

-- Whether a Slack team is bound to a workspace.
create or replace function crm.slack_team_bound(ws uuid, team text) returns boolean
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
begin
  return team is not null and exists (select 1 from slack_installations s where s.team_id = team and s.workspace_id = ws);
end
$$;

-- args: {workspaceId, slackUserId, userTeamId?, email?, slackLocale?}. The
-- member a Slack user is: by stored Slack id, else by their Slack profile
-- email when their own team (users.info's team_id, not the team of the
-- channel they wrote in) is bound to the workspace; then the id and the team
-- are stored. Slack's locale becomes the member's unless they chose one.
create or replace function api.slack_member(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  user_team text := nullif(args ->> 'userTeamId', '');
  m crm.members;
  loc text := case when args ->> 'slackLocale' like 'ja%' then 'ja' when args ->> 'slackLocale' like 'zh%' then 'zh'
                   when args ->> 'slackLocale' is not null then 'en' end;
begin
  select * into m from members where workspace_id = ws and slack_user_id = args ->> 'slackUserId' and active;
  if m.id is null and args ->> 'email' is not null then
    if not crm.slack_team_bound(ws, user_team) then
      return null;
    end if;
    select * into m from members where workspace_id = ws and lower(email) = lower(args ->> 'email') and active
      and (slack_user_id is null or slack_user_id = args ->> 'slackUserId');
    if m.id is null then
      return null;
    end if;
    update members set slack_user_id = args ->> 'slackUserId', slack_team_id = user_team where id = m.id returning * into m;
    perform crm.audit(ws, m.id, 'slack', 'member', m.id, 'link_slack', null,
      jsonb_build_object('slackUserId', m.slack_user_id, 'slackTeamId', m.slack_team_id));
  end if;
  if m.id is null then
    return null;
  end if;
  if m.slack_team_id is null and crm.slack_team_bound(ws, user_team) then
    update members set slack_team_id = user_team where id = m.id returning * into m;
  end if;
  if loc is not null and not m.locale_chosen and m.locale <> loc then
    update members set locale = loc where id = m.id returning * into m;
  end if;
  return crm.principal_json(m) || jsonb_build_object('timezone', m.timezone, 'name', m.display_name);
end
$$;

-- The Slack team a member's messages go through: their own, when it is bound
-- to their workspace; for a member whose team is not known yet, the
-- workspace's team when it has exactly one; else none.
create or replace function crm.member_slack_team(m crm.members) returns text
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  only_team text;
begin
  if m.slack_team_id is not null then
    return case when crm.slack_team_bound(m.workspace_id, m.slack_team_id) then m.slack_team_id end;
  end if;
  select min(s.team_id) into only_team from slack_installations s where s.workspace_id = m.workspace_id
  having count(*) = 1;
  return only_team;
end
$$;

-- The daily digest: as 20261124001410_digest_schedule.sql, each member's
-- delivery through their own team's installation (crm.member_slack_team).
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
    cross join lateral (select crm.member_slack_team(m) as team_id) si
    cross join lateral (select (now_ at time zone m.timezone) as local_ts,
                               (now_ at time zone m.timezone)::date as local_date) l
    left join digest_deliveries d on d.workspace_id = m.workspace_id and d.member_id = m.id and d.local_date = l.local_date
    where m.active and m.slack_user_id is not null and si.team_id is not null
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

-- ---------------------------------------------------------------- identities

-- args: {sub, email, workspaceId?}. Found by Google subject id, else by the
-- verified email; the subject id is remembered from then on, and a token
-- with the same email but another subject is refused ({refused}) until an
-- admin unlinks the stored one.
create or replace function api.auth_google(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  m crm.members;
  ws uuid := (args ->> 'workspaceId')::uuid;
begin
  select * into m from members
    where google_sub = args ->> 'sub' and active and (ws is null or workspace_id = ws)
    order by created_at limit 1;
  if m.id is null then
    select * into m from members
      where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws)
      order by created_at limit 1;
    if m.id is null then
      return null;
    end if;
    if m.google_sub is not null then
      return jsonb_build_object('refused', 'google_account_mismatch');
    end if;
    update members set google_sub = args ->> 'sub' where id = m.id;
    perform crm.audit(m.workspace_id, m.id, 'gmail', 'member', m.id, 'link_google', null,
      jsonb_build_object('googleSub', args ->> 'sub'));
  end if;
  return crm.principal_json(m);
end
$$;

-- args: {id, identity: 'google'|'slack'} (admin): forgets a member's Google
-- subject id or Slack user, so that the next Google token or Slack user with
-- their email links anew.
create or replace function api.member_unlink_identity(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  m crm.members;
  before jsonb;
begin
  -- 404 before 403: a refusal never confirms that an id exists elsewhere
  select * into m from members where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if me.id is null or me.role <> 'admin' then
    perform crm.fail(403, 'admin_only');
  end if;
  if args ->> 'identity' = 'google' then
    before := jsonb_build_object('googleSub', m.google_sub);
    update members set google_sub = null where id = m.id returning * into m;
  else
    before := jsonb_build_object('slackUserId', m.slack_user_id, 'slackTeamId', m.slack_team_id);
    update members set slack_user_id = null, slack_team_id = null where id = m.id returning * into m;
  end if;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'member', m.id, 'unlink_' || (args ->> 'identity'), before, null);
  return crm.member_json(m);
end
$$;

-- ---------------------------------------------------------------- private references

-- A follow-up as a viewer whose team (crm.team_of: themselves and their
-- reports) is given may read it: its sourceInteractionId is null when that
-- interaction is private to someone outside the team.
create or replace function crm.follow_up_json_for(f crm.follow_ups, team uuid[]) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
begin
  if f.source_interaction_id is not null and exists (
      select 1 from interactions i
      where i.workspace_id = f.workspace_id and i.id = f.source_interaction_id
        and i.visibility = 'private' and not (i.author_id = any (team))) then
    f.source_interaction_id := null;
  end if;
  return crm.follow_up_json(f);
end
$$;

-- A change entry's after as that viewer may read it: without
-- fromInteractionId when that interaction is private to someone outside the team.
create or replace function crm.change_after_for(ws uuid, after jsonb, team uuid[]) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
begin
  if after ? 'fromInteractionId' and exists (
      select 1 from interactions i
      where i.workspace_id = ws and i.id::text = after ->> 'fromInteractionId'
        and i.visibility = 'private' and not (i.author_id = any (team))) then
    return after - 'fromInteractionId';
  end if;
  return after;
end
$$;

-- As 20261124001910_timeline_set_based.sql (one page, set-based), with the
-- follow-ups' and changes' references to private interactions the viewer
-- cannot see left out. A null viewer sees workspace-visible entries only.
create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  items jsonb;
  n int;
  last_at timestamptz;
  last_key text;
  -- whose private interactions the viewer sees: their own and their reports'
  -- (crm.can_see's rule, worked out once instead of once per private entry)
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
begin
  with ids as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, p.interaction_id as id
    from (
      select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and p.occurred_at <= coalesce(cat, 'infinity')
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
      order by p.occurred_at desc, p.interaction_id desc
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and (i.visibility = 'workspace' or i.author_id = any (team))
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key, 'f' as t, f.id::text as ref
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key, 'a' as t, a.id::text as ref
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (
      select at, 'i:' || id as key, 'i' as t, id::text as ref from ids
      union all select * from f
      union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  ), built as (
    select pg.at, pg.key, jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', jsonb_build_object(
      'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
      'subject', i.subject,
      'body', null,
      -- the first 280 characters with whitespace runs collapsed, as
      -- crm.interaction_json gives them, from the first 600 characters when
      -- they are enough (collapsing a prefix gives a prefix of the collapsed
      -- whole), so a long email body is neither read nor scanned whole
      'snippet', case
        when i.body is null or octet_length(i.body) <= 600 then left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280)
        when length(regexp_replace(left(i.body, 600), '\s+', ' ', 'g')) >= 280 then left(regexp_replace(left(i.body, 600), '\s+', ' ', 'g'), 280)
        else left(regexp_replace(i.body, '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'createdAt', i.created_at, 'editedAt', i.edited_at)) as entry
    from page pg
    join interactions i on i.workspace_id = ws and i.id = pg.ref::uuid
    left join members m on m.workspace_id = ws and m.id = i.author_id
    -- per interaction, through participants_uq: a shared grouped CTE joined
    -- here became a nested loop over all its rows for each entry (51 x 51)
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
          'contactId', p.contact_id, 'memberId', p.member_id) order by p.id) as j
      from interaction_participants p
      where p.workspace_id = ws and p.interaction_id = i.id) parts on true
    where pg.t = 'i'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json_for(f, team))
    from page pg join follow_ups f on f.workspace_id = ws and f.id = pg.ref::uuid
    where pg.t = 'f'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', crm.change_after_for(ws, a.after, team)))
    from page pg join audit_log a on a.workspace_id = ws and a.id = pg.ref::bigint
    where pg.t = 'a'
  )
  -- the page's entries in one aggregate, and the cursor from the last one shown
  select jsonb_agg(b.entry order by b.rn) filter (where b.rn <= lim), count(*),
    min(b.at) filter (where b.rn = lim), min(b.key) filter (where b.rn = lim)
    into items, n, last_at, last_key
  from (select built.at, built.key, built.entry, row_number() over (order by built.at desc, built.key desc) as rn from built) b;

  return jsonb_build_object(
    'items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'key', last_key) end);
end
$$;

-- A contact with its open follow-ups and the first lim timeline entries, as
-- viewer may read them (a null viewer: as anyone in the workspace may).
create or replace function crm.contact_card(c crm.contacts, viewer uuid, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(c.workspace_id, viewer)) end;
begin
  return crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', crm.timeline(c.workspace_id, viewer, c.id, null, lim) -> 'items');
end
$$;

-- args: {id, shared?}. The contact's card for the caller; shared: for a place
-- other people read (a channel, Share), built as nobody's, so no private
-- entry is in it whoever asked.
create or replace function api.contact_get(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  c crm.contacts := crm.contact_or_404(me.workspace_id, (args ->> 'id')::uuid);
begin
  return crm.contact_card(c, case when coalesce((args ->> 'shared')::boolean, false) then null else me.id end, 10);
end
$$;

create or replace function api.follow_ups_list(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  tz text := coalesce(me.timezone, 'UTC');
  day_start timestamptz := date_trunc('day', now_ at time zone tz) at time zone tz;
  owners uuid[];
  lo timestamptz;
  hi timestamptz;
  who text := coalesce(args ->> 'owner', 'me');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 100), 1), 500);
  team uuid[] := array(select crm.team_of(ws, me.id));
begin
  if who = 'me' then
    owners := array[me.id];
  elsif who = 'team' then
    if me.role = 'admin' then
      owners := array(select id from members where workspace_id = ws);
    else
      owners := team;
    end if;
  else
    owners := array[crm.member_by_email(ws, who, 'owner')];
  end if;
  case args ->> 'due'
    when 'overdue' then hi := now_;
    when 'today' then lo := day_start; hi := day_start + interval '1 day';
    when 'week' then hi := day_start + interval '7 days';
    else null;
  end case;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at, f.id)
    from (
      select * from follow_ups f
      where f.workspace_id = ws and f.owner_id = any (owners)
        and f.status = coalesce(args ->> 'status', 'open')
        and (lo is null or f.due_at >= lo)
        and (hi is null or f.due_at < hi)
      order by f.due_at, f.id
      limit lim
    ) f), '[]'::jsonb));
end
$$;

-- As 20261124001160_follow_up_client_key.sql; a source interaction the
-- caller may not see is answered like one that does not exist.
create or replace function api.follow_up_create(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'contactId')::uuid);
  owner uuid := me.id;
  f crm.follow_ups;
  key text := nullif(btrim(args ->> 'clientKey'), '');
  team uuid[] := array(select crm.team_of(ws, me.id));
begin
  if key is not null then
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    if f.id is not null then
      return crm.follow_up_json_for(f, team) || jsonb_build_object('created', false);
    end if;
  end if;
  if args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  if args ->> 'sourceInteractionId' is not null and not exists (
      select 1 from interactions i where i.workspace_id = ws and i.id = (args ->> 'sourceInteractionId')::uuid
        and (i.visibility = 'workspace' or i.author_id = any (team))) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'sourceInteractionId'));
  end if;
  insert into follow_ups (workspace_id, contact_id, owner_id, due_at, note, source_interaction_id, created_by, client_key)
  values (ws, c.id, owner, (args ->> 'dueAt')::timestamptz, args ->> 'note',
    (args ->> 'sourceInteractionId')::uuid, me.id, key)
  on conflict (workspace_id, client_key) where client_key is not null do nothing
  returning * into f;
  if f.id is null then
    -- the same key created a moment ago by a concurrent request
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    return crm.follow_up_json_for(f, team) || jsonb_build_object('created', false);
  end if;
  perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'create', null,
    crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  return crm.follow_up_json(f) || jsonb_build_object('created', true);
end
$$;

create or replace function api.follow_up_update(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  f crm.follow_ups;
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb;
  new_status text;
begin
  select * into f from follow_ups where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if f.id is null then
    perform crm.fail(404, 'follow_up_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if not (me.role = 'admin' or f.owner_id = me.id or f.created_by = me.id
          or me.id in (select crm.managers_of(ws, f.owner_id))) then
    perform crm.fail(403, 'follow_up_forbidden', jsonb_build_object('id', f.id));
  end if;
  before := crm.follow_up_json(f);
  new_status := coalesce(p ->> 'status', f.status);
  update follow_ups set
    status = new_status,
    completed_at = case when new_status = 'open' then null
                        when f.status = 'open' then now_ else completed_at end,
    completed_by = case when new_status = 'open' then null
                        when f.status = 'open' then me.id else completed_by end,
    due_at = coalesce((p ->> 'dueAt')::timestamptz, due_at),
    note = case when p ? 'note' then p ->> 'note' else note end,
    owner_id = case when p ->> 'ownerEmail' is not null
                    then crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') else owner_id end
  where id = f.id
  returning * into f;
  if crm.follow_up_json(f) is distinct from before then
    perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'update', before,
      crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  end if;
  return crm.follow_up_json_for(f, array(select crm.team_of(ws, me.id)));
end
$$;

-- ---------------------------------------------------------------- capture

-- Participant rows that name an address and no contact or member (an address
-- first seen on a private capture, or before auto-creation was on) join the
-- contact that now holds that address; the contact's last-interaction time
-- follows the newest workspace-visible one of them.
create or replace function crm.link_address(ws uuid, cid uuid, addr text) returns void
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  newest timestamptz;
begin
  with linked as (
    update interaction_participants p set contact_id = cid
    where p.workspace_id = ws and p.address = lower(btrim(addr)) and p.contact_id is null and p.member_id is null
    returning p.interaction_id, p.occurred_at
  )
  select max(l.occurred_at) into newest
  from linked l join interactions i on i.workspace_id = ws and i.id = l.interaction_id
  where i.visibility = 'workspace' and i.deleted_at is null;
  if newest is not null then
    update contacts set last_interaction_at = newest
    where workspace_id = ws and id = cid and (last_interaction_at is null or last_interaction_at < newest);
  end if;
end
$$;

-- As 20261124000600_api_contacts.sql, and an address new to the workspace
-- takes the participant rows that already named it (crm.link_address).
create or replace function crm.claim_emails(ws uuid, cid uuid, emails text[]) returns void
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  e text;
  owner_contact uuid;
  i int := 0;
begin
  foreach e in array coalesce(emails, '{}') loop
    i := i + 1;
    select contact_id into owner_contact from contact_emails
      where workspace_id = ws and lower(email) = lower(btrim(e));
    if owner_contact is not null and owner_contact <> cid then
      perform crm.fail(409, 'email_taken', jsonb_build_object('email', btrim(e), 'contact', crm.contact_brief(ws, owner_contact)));
    elsif owner_contact is null then
      begin
        insert into contact_emails (workspace_id, contact_id, email, is_primary)
        values (ws, cid, btrim(e), i = 1 and not exists (select 1 from contact_emails where contact_id = cid));
      exception when unique_violation then
        -- another request took it between our check and our insert
        select contact_id into owner_contact from contact_emails
          where workspace_id = ws and lower(email) = lower(btrim(e));
        perform crm.fail(409, 'email_taken', jsonb_build_object('email', btrim(e), 'contact', crm.contact_brief(ws, owner_contact)));
      end;
      perform crm.link_address(ws, cid, e);
    end if;
  end loop;
end
$$;

-- As 20261124001930_capture_one_write.sql, except that a private capture
-- creates no contact (nor company) for an unknown address, and a contact a
-- workspace-visible capture creates takes the earlier rows naming its address.
create or replace function api.interaction_capture(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  i crm.interactions;
  iid uuid := gen_random_uuid();
  key text := crm.dedupe_key(args ->> 'kind', args ->> 'source', args ->> 'externalId');
  at timestamptz := (args ->> 'occurredAt')::timestamptz;
  vis text := coalesce(args ->> 'visibility', 'workspace');
  p jsonb;
  addr text;
  sid text;
  mid uuid;
  cid uuid;
  has_from boolean := false;
  from_member boolean := false;
  any_external boolean := false;
  dir text := args ->> 'direction';
  new_contact crm.contacts;
  named uuid;
  -- the participants as resolved: [{role, address, slackUserId, name, contactId, memberId}]
  resolved jsonb := '[]';
begin
  select * into i from interactions where workspace_id = ws and dedupe_key = key;
  if i.id is not null then
    return crm.capture_repeat(ws, me.id, i);
  end if;
  select * into w from workspaces where id = ws;

  for p in select * from jsonb_array_elements(coalesce(args -> 'participants', '[]')) loop
    addr := lower(nullif(btrim(p ->> 'email'), ''));
    sid := nullif(btrim(p ->> 'slackUserId'), '');
    mid := null;
    cid := null;
    named := nullif(p ->> 'contactId', '')::uuid;
    if named is not null then
      -- a contact named by id (the one a note or a Slack message is about),
      -- followed to the contact it was merged into
      select coalesce(c.merged_into_id, c.id) into cid from contacts c where c.workspace_id = ws and c.id = named;
      if cid is null then
        perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', named));
      end if;
    end if;
    select id into mid from members
      where workspace_id = ws and active
        and ((addr is not null and lower(email) = addr) or (sid is not null and slack_user_id = sid))
      order by (addr is not null and lower(email) = addr) desc
      limit 1;
    if mid is null and addr is not null and cid is null then
      -- the contact owning this address, else the one owning it without its
      -- +tag (jane+news@ goes to jane@'s contact): the exact address first,
      -- then the plain one, then the oldest
      select coalesce(c.merged_into_id, c.id) into cid
        from contact_emails e join contacts c on c.id = e.contact_id and c.workspace_id = ws
        where e.workspace_id = ws and crm.norm_email(e.email) = crm.norm_email(addr)
        order by lower(e.email) = addr desc, lower(e.email) = crm.norm_email(addr) desc, c.created_at, c.id
        limit 1;
      -- a private capture makes nothing that others could see
      if cid is null and vis = 'workspace' and not crm.is_internal(w, addr)
         and (w.auto_create_contacts = 'all' or (w.auto_create_contacts = 'senders' and p ->> 'role' in ('from', 'author'))) then
        insert into contacts (workspace_id, name, company_id, owner_id, source, created_by, stage)
        values (ws,
          left(coalesce(nullif(btrim(p ->> 'name'), ''), split_part(addr, '@', 1)), 300),
          case when crm.is_free_mail(w, addr) then null else crm.company_for_domain(ws, crm.email_domain(addr), me.id, src) end,
          me.id, src, me.id, 'lead')
        returning * into new_contact;
        begin
          insert into contact_emails (workspace_id, contact_id, email, is_primary) values (ws, new_contact.id, addr, true);
          cid := new_contact.id;
          perform crm.audit(ws, me.id, src, 'contact', cid, 'create', null,
            crm.contact_json(new_contact) || jsonb_build_object('fromInteractionId', iid));
          perform crm.link_address(ws, cid, addr);
        exception when unique_violation then
          -- a concurrent capture created this contact first: use theirs, drop ours
          delete from contacts where id = new_contact.id;
          select contact_id into cid from contact_emails where workspace_id = ws and lower(email) = addr;
        end;
      end if;
    end if;
    if p ->> 'role' in ('from', 'author') then
      has_from := true;
      from_member := from_member or mid is not null;
    end if;
    any_external := any_external or (mid is null and p ->> 'role' <> 'about');
    resolved := resolved || jsonb_build_array(jsonb_build_object('role', p ->> 'role', 'address', addr, 'slackUserId', sid,
      'name', nullif(btrim(p ->> 'name'), ''), 'contactId', cid, 'memberId', mid));
  end loop;

  if dir is null then
    dir := case
      when args ->> 'kind' = 'note' then 'internal'
      when not any_external then 'internal'
      when has_from and from_member then 'outbound'
      when has_from then 'inbound'
      else 'internal' end;
  end if;

  insert into interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
    dedupe_key, thread_key, url, visibility, author_id)
  values (iid, ws, args ->> 'kind', dir, at, args ->> 'subject', args ->> 'body',
    args ->> 'source', btrim(args ->> 'externalId'), key, args ->> 'threadKey', args ->> 'url', vis, me.id)
  on conflict (workspace_id, dedupe_key) do nothing
  returning * into i;
  if i.id is null then
    -- a concurrent delivery of the same thing inserted it a moment ago
    select * into i from interactions where workspace_id = ws and dedupe_key = key;
    return crm.capture_repeat(ws, me.id, i);
  end if;

  insert into interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
    display_name, contact_id, member_id)
  select ws, iid, at, r ->> 'role', r ->> 'address', r ->> 'slackUserId', r ->> 'name',
    (r ->> 'contactId')::uuid, (r ->> 'memberId')::uuid
  from jsonb_array_elements(resolved) with ordinality t(r, o)
  order by o
  on conflict do nothing;

  -- a private interaction does not move the contacts' last-interaction time,
  -- which everyone in the workspace can see
  if vis = 'workspace' then
    update contacts c set last_interaction_at = at
    where c.workspace_id = ws
      and c.id in (select (r ->> 'contactId')::uuid from jsonb_array_elements(resolved) r where r ->> 'contactId' is not null)
      and (c.last_interaction_at is null or c.last_interaction_at < at);
  end if;

  perform crm.audit(ws, me.id, src, 'interaction', i.id, 'capture', null,
    jsonb_build_object('kind', i.kind, 'source', i.source, 'externalId', i.external_id, 'direction', i.direction));
  return jsonb_build_object('created', true, 'interaction', crm.interaction_json(i, true));
end
$$;

-- ---------------------------------------------------------------- person export

-- As 20261124002310_person_export_erase.sql (admin only, everything, private
-- interactions included), and every export is written to the audit log
-- (entity 'contact_export', the contact's id) naming the admin who made it.
create or replace function api.contact_export(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ids uuid[] := crm.person_for_admin(me, args);
  emails text[] := (select coalesce(array_agg(lower(email)), '{}') from contact_emails where workspace_id = ws and contact_id = any (ids));
  fids uuid[] := (select coalesce(array_agg(id), '{}') from follow_ups where workspace_id = ws and contact_id = any (ids));
  iids uuid[] := (select coalesce(array_agg(distinct p.interaction_id), '{}') from interaction_participants p
                  where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails)));
begin
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'contact_export', ids[1], 'export', null, jsonb_build_object(
    'contactId', ids[1], 'contacts', cardinality(ids), 'interactions', cardinality(iids),
    'privateInteractions', (select count(*) from interactions i where i.workspace_id = ws and i.id = any (iids) and i.visibility = 'private'),
    'followUps', cardinality(fids)));
  return jsonb_build_object(
    'contact', (select crm.contact_json(c) from contacts c where c.workspace_id = ws and c.id = ids[1]),
    'mergedContacts', coalesce((select jsonb_agg(crm.contact_json(c) order by c.created_at) from contacts c
                                where c.workspace_id = ws and c.id = any (ids[2:])), '[]'::jsonb),
    'interactions', coalesce((select jsonb_agg(crm.interaction_json(i, true) || jsonb_build_object('deletedAt', i.deleted_at)
                                               order by i.occurred_at, i.id)
                              from interactions i
                              where i.workspace_id = ws and i.id = any (iids)), '[]'::jsonb),
    'followUps', coalesce((select jsonb_agg(crm.follow_up_json(f) order by f.created_at, f.id) from follow_ups f
                           where f.workspace_id = ws and f.id = any (fids)), '[]'::jsonb),
    'audit', coalesce((select jsonb_agg(jsonb_build_object('at', a.at, 'entityType', a.entity_type, 'entityId', a.entity_id,
                                          'action', a.action, 'source', a.source, 'actor', crm.member_brief(ws, a.actor_member_id),
                                          'before', a.before, 'after', a.after) order by a.at, a.id)
                       from audit_log a
                       where a.workspace_id = ws and (a.entity_id = any (ids) or a.entity_id = any (fids))), '[]'::jsonb),
    'exportedAt', crm.ctx_now(ctx));
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
