-- Alerts (issue 19), settings: what a member hears and where.
--
-- A member chooses per kind 'dm' or 'off' (members.alert_prefs), the tags
-- whose inbound mail they hear about, and their working hours and days (DMs
-- falling outside them wait for the next working period). Hours are issue
-- 17's (api.working_hours does their checks and audit; this calls it). An
-- admin sets the workspace's reply window in working minutes
-- (workspaces.alert_reply_minutes); everyone reads it.
--
-- Managers and admins add channel rules: a channel of the workspace's Slack
-- team hears chosen kinds about what matches a filter. A Slack Connect channel
-- (shared with another organisation) is refused: the database cannot ask
-- Slack, so POST /api/alert-rules asks first (api.alert_rule_target names the
-- team and refuses a channel already known to be shared, then the server's
-- Slack channel inspector answers) and hands the answer to
-- api.alert_rule_create, which refuses again on it. A channel that becomes
-- shared, is archived or deleted, or that Rapport leaves, stops its rules
-- (api.alert_rules_stopped, the Slack app's events).

-- The kinds a member or a rule may name (crm.alert_default knows them all).
create function crm.alert_kind_check(kinds jsonb, field text) returns text[]
language plpgsql immutable set search_path = crm, pg_catalog as $$
declare
  k text;
  out_ text[] := '{}';
begin
  if kinds is null or jsonb_typeof(kinds) <> 'array' or jsonb_array_length(kinds) = 0 then
    perform crm.fail(400, 'alert_kinds_required', jsonb_build_object('field', field));
  end if;
  for k in select jsonb_array_elements_text(kinds) loop
    if crm.alert_default(k) is null then
      perform crm.fail(400, 'alert_kind_unknown', jsonb_build_object('field', field, 'kind', left(k, 100)));
    end if;
    if not (k = any (out_)) then
      out_ := out_ || k;
    end if;
  end loop;
  return out_;
end $$;

-- A member's alert settings as GET /api/me/alerts shows them: every message
-- kind with its effective choice, the tags, working hours, days, time zone.
create function crm.alert_settings_json(m crm.members) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'kinds', (select jsonb_object_agg(k, crm.alert_pref(m, k) order by n)
              from unnest(array['waiting_reply', 'follow_up_due', 'follow_up_overdue', 'deal_created', 'deal_stage_changed',
                                'deal_won', 'deal_lost', 'deal_close_passed', 'tagged_inbound', 'capture_failed']) with ordinality x(k, n)),
    'tags', to_jsonb(crm.alert_tags(m)),
    'hours', jsonb_build_object('start', to_char(coalesce(m.work_start, time '08:00'), 'HH24:MI'),
                                'end', to_char(coalesce(m.work_end, time '20:00'), 'HH24:MI'),
                                'chosen', m.work_start is not null, 'timezone', m.timezone),
    'days', to_jsonb(coalesce((select array_agg(d order by d) from unnest(m.work_days) d), array[1, 2, 3, 4, 5]::smallint[])),
    'timezone', m.timezone)
$$;

-- GET (args {}) and PUT /api/me/alerts: what is named changes, the rest stays.
-- args: {kinds: {<kind>: 'dm'|'off'}, tags: [..] | null (back to vip),
-- hours: {start, end} (api.working_hours), days: [1..7] | null (Monday to Friday)}
create function api.me_alerts(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  m crm.members;
  prefs jsonb;
  k text;
  v text;
  tags_ text[];
  days_ smallint[];
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if args ? 'hours' then
    -- issue 17's own checks and audit of the hours
    perform api.working_hours(ctx, jsonb_build_object('start', args -> 'hours' -> 'start', 'end', args -> 'hours' -> 'end'));
  end if;
  select * into m from members where workspace_id = me.workspace_id and id = me.id for update;
  if not (args ?| array['kinds', 'tags', 'days']) then
    return crm.alert_settings_json(m);
  end if;
  prefs := m.alert_prefs;
  if args ? 'kinds' then
    if jsonb_typeof(args -> 'kinds') <> 'object' then
      perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'kinds'));
    end if;
    for k, v in select key, value #>> '{}' from jsonb_each(args -> 'kinds') loop
      if crm.alert_default(k) is null then
        perform crm.fail(400, 'alert_kind_unknown', jsonb_build_object('field', 'kinds.' || left(k, 100), 'kind', left(k, 100)));
      end if;
      if v is null or v not in ('dm', 'off') then
        perform crm.fail(400, 'alert_delivery_invalid', jsonb_build_object('field', 'kinds.' || k, 'kind', k));
      end if;
      prefs := jsonb_set(prefs, array[k], to_jsonb(v));
    end loop;
  end if;
  if args ? 'tags' then
    if jsonb_typeof(args -> 'tags') = 'null' then
      prefs := prefs - 'tags';
    else
      if jsonb_typeof(args -> 'tags') <> 'array' or jsonb_array_length(args -> 'tags') > 20
         or exists (select 1 from jsonb_array_elements(args -> 'tags') x where jsonb_typeof(x) <> 'string'
                    or length(btrim(x #>> '{}')) not between 1 and 100) then
        perform crm.fail(400, 'alert_tags_invalid', jsonb_build_object('field', 'tags'));
      end if;
      tags_ := crm.tag_array(args -> 'tags');
      prefs := jsonb_set(prefs, '{tags}', to_jsonb(tags_));
    end if;
  end if;
  days_ := m.work_days;
  if args ? 'days' then
    if jsonb_typeof(args -> 'days') = 'null' then
      days_ := null;
    else
      if jsonb_typeof(args -> 'days') <> 'array' or jsonb_array_length(args -> 'days') = 0
         or exists (select 1 from jsonb_array_elements(args -> 'days') x where jsonb_typeof(x) <> 'number'
                    or (x #>> '{}') !~ '^[1-7]$') then
        perform crm.fail(400, 'alert_days_invalid', jsonb_build_object('field', 'days'));
      end if;
      select array_agg(distinct (x #>> '{}')::smallint order by (x #>> '{}')::smallint) into days_ from jsonb_array_elements(args -> 'days') x;
    end if;
  end if;
  if prefs is distinct from m.alert_prefs or days_ is distinct from m.work_days then
    update members set alert_prefs = prefs, work_days = days_ where workspace_id = m.workspace_id and id = m.id;
    perform crm.audit(m.workspace_id, me.id, crm.ctx_source(ctx), 'member', m.id, 'alert_settings',
      jsonb_build_object('alertPrefs', m.alert_prefs, 'workDays', to_jsonb(m.work_days)),
      jsonb_build_object('alertPrefs', prefs, 'workDays', to_jsonb(days_)));
  end if;
  select * into m from members where workspace_id = me.workspace_id and id = me.id;
  return crm.alert_settings_json(m);
end $$;

-- GET and PATCH /api/workspace/alerts: the reply window (admins change it).
create function api.workspace_alerts(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  n int;
begin
  select * into w from workspaces where id = me.workspace_id;
  if args ? 'replyMinutes' then
    perform crm.require_admin(me);
    if jsonb_typeof(args -> 'replyMinutes') <> 'number' or (args ->> 'replyMinutes') !~ '^\d{1,5}$'
       or (args ->> 'replyMinutes')::int > 10080 then
      perform crm.fail(400, 'alert_reply_minutes_invalid', jsonb_build_object('field', 'replyMinutes'));
    end if;
    n := (args ->> 'replyMinutes')::int;
    if n <> w.alert_reply_minutes then
      update workspaces set alert_reply_minutes = n where id = w.id;
      perform crm.audit(w.id, me.id, crm.ctx_source(ctx), 'workspace', w.id, 'alert_reply_minutes',
        jsonb_build_object('alertReplyMinutes', w.alert_reply_minutes), jsonb_build_object('alertReplyMinutes', n));
      w.alert_reply_minutes := n;
    end if;
  end if;
  return jsonb_build_object('replyMinutes', w.alert_reply_minutes);
end $$;

create function crm.require_manager(me crm.members) returns void
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  if me.id is null or me.role not in ('manager', 'admin') then
    perform crm.fail(403, 'alert_rules_managers_only');
  end if;
end $$;

-- A channel rule as the API shows it.
create function crm.alert_rule_json(r crm.alert_rules, me crm.members) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'id', r.id, 'teamId', r.team_id, 'channelId', r.channel_id, 'channelName', r.channel_name,
    'kinds', to_jsonb(r.kinds),
    'filter', jsonb_build_object(
      'owner', crm.member_brief(r.workspace_id, r.owner_id),
      'teamOf', crm.member_brief(r.workspace_id, r.manager_id),
      'tag', r.tag,
      'segment', (select jsonb_build_object('id', s.id, 'name', s.name) from segments s where s.workspace_id = r.workspace_id and s.id = r.segment_id),
      'stage', r.stage),
    'createdBy', crm.member_brief(r.workspace_id, r.created_by),
    'createdAt', r.created_at,
    'active', r.active, 'disabledReason', r.disabled_reason, 'disabledAt', r.disabled_at,
    'canDelete', me.id = r.created_by or me.role = 'admin')
$$;

create function api.alert_rules_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  perform crm.require_manager(me);
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.alert_rule_json(r, me) order by r.active desc, r.created_at desc, r.id)
    from alert_rules r where r.workspace_id = me.workspace_id), '[]'::jsonb));
end $$;

-- Before a rule is made: may the caller, which Slack team is it, and is the
-- channel already known to be shared (a linked Slack Connect channel)?
-- args: {teamId?, channelId}. The server then asks Slack about the channel.
create function api.alert_rule_target(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  team text := nullif(args ->> 'teamId', '');
begin
  perform crm.require_manager(me);
  if team is null then
    team := crm.member_slack_team(me);
  end if;
  if team is null or not exists (select 1 from slack_installations where team_id = team and workspace_id = me.workspace_id) then
    perform crm.fail(409, 'alert_rule_no_slack', jsonb_build_object('field', 'channelId'));
  end if;
  if exists (select 1 from slack_channel_links where team_id = team and channel_id = args ->> 'channelId' and is_ext_shared) then
    perform crm.fail(422, 'alert_rule_channel_shared', jsonb_build_object('field', 'channelId', 'channel', args ->> 'channelId'));
  end if;
  return jsonb_build_object('teamId', team, 'channelId', args ->> 'channelId');
end $$;

-- POST /api/alert-rules. args: {teamId, channelId, channelName?, kinds,
-- filter?: {ownerId, teamOf, tag, segmentId, stage}, slack: {shared, name}}
-- (slack: what Slack said of the channel, put there by the server, never by the caller).
create function api.alert_rule_create(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  target jsonb := api.alert_rule_target(ctx, args);
  f jsonb := coalesce(args -> 'filter', '{}'::jsonb);
  owner_ uuid;
  lead_ uuid;
  seg uuid;
  stage_ text := nullif(btrim(f ->> 'stage'), '');
  tag_ text := nullif(btrim(f ->> 'tag'), '');
  r crm.alert_rules;
begin
  if jsonb_typeof(args -> 'slack') is distinct from 'object' or jsonb_typeof(args -> 'slack' -> 'shared') is distinct from 'boolean' then
    perform crm.fail(422, 'alert_rule_channel_unverified', jsonb_build_object('field', 'channelId', 'channel', args ->> 'channelId'));
  end if;
  if (args -> 'slack' ->> 'shared')::boolean then
    perform crm.fail(422, 'alert_rule_channel_shared', jsonb_build_object('field', 'channelId', 'channel', args ->> 'channelId'));
  end if;
  if f ? 'ownerId' and f ->> 'ownerId' is not null then
    select id into owner_ from members where workspace_id = me.workspace_id and id = (case when crm.looks_like_uuid(f ->> 'ownerId') then (f ->> 'ownerId')::uuid end);
    if owner_ is null then
      perform crm.fail(404, 'member_not_found', jsonb_build_object('field', 'filter.ownerId', 'id', left(f ->> 'ownerId', 100)));
    end if;
  end if;
  if f ? 'teamOf' and f ->> 'teamOf' is not null then
    select id into lead_ from members where workspace_id = me.workspace_id and id = (case when crm.looks_like_uuid(f ->> 'teamOf') then (f ->> 'teamOf')::uuid end);
    if lead_ is null then
      perform crm.fail(404, 'member_not_found', jsonb_build_object('field', 'filter.teamOf', 'id', left(f ->> 'teamOf', 100)));
    end if;
    if not exists (select 1 from members where workspace_id = me.workspace_id and manager_id = lead_)
       and not exists (select 1 from members where workspace_id = me.workspace_id and id = lead_ and role in ('manager', 'admin')) then
      perform crm.fail(400, 'alert_rule_not_a_manager', jsonb_build_object('field', 'filter.teamOf', 'id', lead_));
    end if;
  end if;
  if f ? 'segmentId' and f ->> 'segmentId' is not null then
    select id into seg from segments where workspace_id = me.workspace_id and id = (case when crm.looks_like_uuid(f ->> 'segmentId') then (f ->> 'segmentId')::uuid end);
    if seg is null then
      perform crm.fail(404, 'segment_not_found', jsonb_build_object('field', 'filter.segmentId', 'segment', left(f ->> 'segmentId', 100)));
    end if;
  end if;
  if stage_ is not null and stage_ not in ('lead', 'prospect', 'customer', 'churned')
     and not exists (select 1 from pipeline_stages where workspace_id = me.workspace_id and key = stage_) then
    perform crm.fail(400, 'alert_rule_stage_unknown', jsonb_build_object('field', 'filter.stage', 'stage', left(stage_, 100)));
  end if;
  if tag_ is not null and length(tag_) > 100 then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'filter.tag'));
  end if;
  insert into alert_rules (workspace_id, team_id, channel_id, channel_name, kinds, owner_id, manager_id, tag, segment_id, stage, created_by)
  values (me.workspace_id, target ->> 'teamId', args ->> 'channelId',
          left(coalesce(nullif(btrim(args -> 'slack' ->> 'name'), ''), nullif(btrim(args ->> 'channelName'), '')), 200),
          crm.alert_kind_check(args -> 'kinds', 'kinds'), owner_, lead_, tag_, seg, stage_, me.id)
  returning * into r;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'alert_rule', r.id, 'create', null, crm.alert_rule_json(r, me) - 'canDelete');
  return crm.alert_rule_json(r, me);
end $$;

-- DELETE /api/alert-rules/{id}: its creator or an admin.
create function api.alert_rule_delete(ctx jsonb, args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  r crm.alert_rules;
begin
  select * into r from alert_rules where workspace_id = me.workspace_id and id = (case when crm.looks_like_uuid(args ->> 'id') then (args ->> 'id')::uuid end) for update;
  if r.id is null then
    perform crm.fail(404, 'alert_rule_not_found', jsonb_build_object('id', left(args ->> 'id', 100)));
  end if;
  perform crm.require_manager(me);
  if r.created_by is distinct from me.id and me.role <> 'admin' then
    perform crm.fail(403, 'alert_rule_delete_forbidden', jsonb_build_object('id', r.id));
  end if;
  delete from alert_rules where workspace_id = r.workspace_id and id = r.id;
  perform crm.audit(r.workspace_id, me.id, crm.ctx_source(ctx), 'alert_rule', r.id, 'delete', crm.alert_rule_json(r, me) - 'canDelete', null);
  return jsonb_build_object('deleted', true, 'id', r.id);
end $$;

-- The Slack app: a channel became shared with another organisation, was
-- archived or deleted, or Rapport left it. Every active rule naming it stops
-- (crm.alert_rule_disable); a shared channel's link is marked shared so no
-- later rule is accepted for it. Returns whom to tell.
-- args: {teamId, channelId, reason}
create function api.alert_rules_stopped(args jsonb) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  r crm.alert_rules;
  told jsonb := '[]'::jsonb;
  one jsonb;
begin
  if args ->> 'reason' not in ('shared', 'channel_gone', 'not_in_channel') then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'reason'));
  end if;
  if args ->> 'reason' = 'shared' then
    update slack_channel_links set is_ext_shared = true where team_id = args ->> 'teamId' and channel_id = args ->> 'channelId';
  end if;
  for r in select * from alert_rules where team_id = args ->> 'teamId' and channel_id = args ->> 'channelId' and active
           order by created_at, id for update loop
    one := crm.alert_rule_disable(r.workspace_id, r.id, args ->> 'reason');
    if one is not null then
      perform crm.audit(r.workspace_id, null, 'slack', 'alert_rule', r.id, 'stop', jsonb_build_object('active', true),
        jsonb_build_object('active', false, 'disabledReason', args ->> 'reason'));
      told := told || jsonb_build_array(one);
    end if;
  end loop;
  return jsonb_build_object('stopped', told);
end $$;

do $$
declare f text;
begin
  foreach f in array array['crm.alert_kind_check(jsonb, text)', 'crm.alert_settings_json(crm.members)', 'api.me_alerts(jsonb, jsonb)',
                           'api.workspace_alerts(jsonb, jsonb)', 'crm.require_manager(crm.members)', 'crm.alert_rule_json(crm.alert_rules, crm.members)',
                           'api.alert_rules_list(jsonb, jsonb)', 'api.alert_rule_target(jsonb, jsonb)', 'api.alert_rule_create(jsonb, jsonb)',
                           'api.alert_rule_delete(jsonb, jsonb)', 'api.alert_rules_stopped(jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
