-- A team sets itself up without SQL: the first workspace and admin
-- (npm run setup), members added, changed, deactivated and reactivated by an
-- admin, people joining by themselves from Slack or Google under the
-- workspace's join policy, and personal API tokens that expire and can be
-- revoked. The current text of each object is in supabase/schema/.

alter table crm.members
  add column joined_via text not null default 'invite' check (joined_via in ('setup', 'invite', 'slack', 'google')),
  add column last_seen_at timestamptz,
  add column deactivated_at timestamptz,
  -- set by the person in Rapport: their Slack profile no longer moves it
  add column timezone_chosen boolean not null default false,
  -- when Rapport last read their Slack profile (at most once a day)
  add column profile_read_at timestamptz,
  -- digests are due only from this moment (to the minute, as digest times
  -- are): a digest time already passed when the person became reachable (or
  -- chose an earlier hour) waits a day; a time set to this minute is due now
  add column digest_from timestamptz,
  -- joined by themselves and not yet told so (the Slack app or the add-on tells them once)
  add column welcome_due boolean not null default false;

alter table crm.workspaces
  add column join_policy text not null default 'invite' check (join_policy in ('invite', 'slack', 'domains')),
  add column join_domains text[] not null default '{}';

alter table crm.api_tokens add column expires_at timestamptz;

-- A member as the API shows them.
create or replace function crm.member_json(m crm.members) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select jsonb_build_object(
    'id', m.id, 'email', m.email, 'name', m.display_name, 'role', m.role,
    'manager', crm.member_brief(m.workspace_id, m.manager_id), 'managerId', m.manager_id,
    'timezone', m.timezone, 'locale', m.locale, 'slackUserId', m.slack_user_id,
    'active', m.active, 'joinedVia', m.joined_via, 'lastSeenAt', m.last_seen_at));
end
$$;

-- The workspace as its members see it (and an admin changes it).
create or replace function crm.workspace_json(w crm.workspaces) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return jsonb_build_object(
    'id', w.id, 'name', w.name, 'defaultTimezone', w.default_timezone, 'defaultLocale', w.default_locale,
    'internalDomains', to_jsonb(w.internal_domains), 'joinPolicy', w.join_policy,
    'joinDomains', to_jsonb(w.join_domains),
    'admins', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.display_name, 'email', a.email)
        order by a.display_name, a.id)
      from members a where a.workspace_id = w.id and a.active and a.role = 'admin'), '[]'::jsonb));
end
$$;

create or replace function crm.require_admin(me crm.members) returns void
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  if me.id is null or me.role <> 'admin' then
    perform crm.fail(403, 'admin_only');
  end if;
end
$$;

create or replace function crm.check_timezone(tz text) returns text
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  perform now() at time zone tz;
  return tz;
exception when invalid_parameter_value then
  perform crm.fail(400, 'invalid_timezone', jsonb_build_object('timezone', tz));
  return null;
end
$$;

-- The domains as stored: lower case, no leading @, each a host name.
create or replace function crm.domain_list(v jsonb, field text) returns text[]
language plpgsql immutable set search_path = crm, pg_catalog as $$
declare
  out_ text[] := '{}';
  d text;
begin
  for d in select lower(btrim(x, ' @')) from jsonb_array_elements_text(coalesce(v, '[]'::jsonb)) x loop
    if d !~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' or length(d) > 253 then
      perform crm.fail(400, 'invalid_domain', jsonb_build_object('field', field, 'domain', d));
    end if;
    if not d = any (out_) then
      out_ := out_ || d;
    end if;
  end loop;
  return out_;
end
$$;

-- A manager must be an active member of the workspace, and no one may end up
-- (directly or further up) managing themselves.
create or replace function crm.check_manager(ws uuid, mid uuid, manager uuid) returns void
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  up uuid := manager;
  steps int := 0;
begin
  if manager is null then
    return;
  end if;
  if not exists (select 1 from members where workspace_id = ws and id = manager and active) then
    perform crm.fail(400, 'manager_inactive', jsonb_build_object('field', 'managerId', 'managerId', manager));
  end if;
  while up is not null and steps < 1000 loop
    if up = mid then
      perform crm.fail(400, 'manager_cycle', jsonb_build_object('field', 'managerId', 'managerId', manager));
    end if;
    select m.manager_id into up from members m where m.workspace_id = ws and m.id = up;
    steps := steps + 1;
  end loop;
end
$$;

-- Adds a member (admin, setup, or a person joining by themselves); 409 names
-- the member who has the email already.
create or replace function crm.member_insert(ws uuid, actor uuid, src text, args jsonb, via text) returns crm.members
language plpgsql set search_path = crm, pg_catalog as $$
declare
  w crm.workspaces;
  other crm.members;
  m crm.members;
begin
  select * into w from workspaces where id = ws;
  select * into other from members where workspace_id = ws and lower(email) = lower(args ->> 'email');
  if other.id is not null then
    perform crm.fail(409, 'member_exists', jsonb_build_object('field', 'email', 'email', other.email,
      'name', other.display_name, 'id', other.id, 'active', other.active));
  end if;
  perform crm.check_manager(ws, null, (args ->> 'managerId')::uuid);
  insert into members (workspace_id, email, display_name, role, manager_id, timezone, locale, joined_via,
      timezone_chosen, locale_chosen, slack_user_id, slack_team_id, google_sub, digest_from)
  values (ws, btrim(args ->> 'email'), btrim(args ->> 'name'), coalesce(args ->> 'role', 'rep'),
    (args ->> 'managerId')::uuid,
    crm.check_timezone(coalesce(nullif(args ->> 'timezone', ''), w.default_timezone)),
    coalesce(nullif(args ->> 'locale', ''), w.default_locale), via,
    coalesce((args ->> 'timezoneChosen')::boolean, false), coalesce((args ->> 'localeChosen')::boolean, false),
    nullif(args ->> 'slackUserId', ''), nullif(args ->> 'slackTeamId', ''), nullif(args ->> 'googleSub', ''),
    case when nullif(args ->> 'slackUserId', '') is not null then date_trunc('minute', now()) end)
  returning * into m;
  perform crm.audit(ws, coalesce(actor, m.id), src, 'member', m.id, 'create', null, crm.member_json(m));
  return m;
end
$$;

-- A new member joining by themselves, when the workspace's policy lets them:
-- slack (a full member of the bound Slack team) or domains (a verified email
-- at one of the join domains). Null when the policy does not, or when the
-- email belongs to a member already (a deactivated one stays out).
create or replace function crm.join_member(ws uuid, src text, args jsonb) returns crm.members
language plpgsql set search_path = crm, pg_catalog as $$
declare
  w crm.workspaces;
  m crm.members;
  tz text := nullif(args ->> 'timezone', '');
begin
  select * into w from workspaces where id = ws;
  if w.id is null or args ->> 'email' is null
    or exists (select 1 from members where workspace_id = ws and lower(email) = lower(args ->> 'email')) then
    return null;
  end if;
  if not (w.join_policy = 'slack' and src = 'slack'
      or w.join_policy = 'domains' and crm.email_domain(args ->> 'email') = any (w.join_domains)) then
    return null;
  end if;
  if tz is not null then
    begin
      perform now() at time zone tz;
    exception when invalid_parameter_value then
      tz := null;
    end;
  end if;
  -- audited as the surface they came through (the add-on is 'gmail' everywhere in the log)
  m := crm.member_insert(ws, null, case when src = 'google' then 'gmail' else src end,
    jsonb_build_object('email', args ->> 'email',
      'name', coalesce(nullif(btrim(left(args ->> 'name', 200)), ''), split_part(args ->> 'email', '@', 1)),
      'role', 'rep', 'timezone', coalesce(tz, w.default_timezone), 'locale', coalesce(args ->> 'locale', w.default_locale),
      'slackUserId', args ->> 'slackUserId', 'slackTeamId', args ->> 'slackTeamId', 'googleSub', args ->> 'googleSub'),
    src);
  update members set welcome_due = true where id = m.id returning * into m;
  return m;
end
$$;

-- npm run setup: the workspace and its first admin, with the admin's token.
create or replace function api.workspace_setup(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  w crm.workspaces;
  m crm.members;
  t crm.api_tokens;
  domains text[] := crm.domain_list(args -> 'domains', 'domain');
begin
  -- two set-ups of one name at the same moment: the second waits, then finds the first
  perform pg_advisory_xact_lock(hashtext('rapport.workspace_setup'));
  select * into w from workspaces where lower(name) = lower(btrim(args ->> 'workspace')) order by created_at limit 1;
  if w.id is not null then
    perform crm.fail(409, 'workspace_exists', jsonb_build_object('name', w.name, 'id', w.id));
  end if;
  insert into workspaces (name, default_timezone, default_locale, internal_domains)
  values (btrim(args ->> 'workspace'), crm.check_timezone(coalesce(nullif(args ->> 'timezone', ''), 'UTC')),
    coalesce(nullif(args ->> 'locale', ''), 'en'), domains)
  returning * into w;
  perform set_config('rapport.workspace_id', w.id::text, true);
  m := crm.member_insert(w.id, null, 'cli', jsonb_build_object('email', args ->> 'adminEmail', 'name', args ->> 'adminName',
    'role', 'admin', 'timezone', w.default_timezone, 'locale', w.default_locale), 'setup');
  insert into api_tokens (workspace_id, member_id, token_hash, label)
  values (w.id, m.id, args ->> 'tokenHash', 'setup') returning * into t;
  perform crm.audit(w.id, m.id, 'cli', 'workspace', w.id, 'create', null, crm.workspace_json(w));
  perform crm.audit(w.id, m.id, 'cli', 'api_token', t.id, 'create', null, jsonb_build_object('label', t.label, 'memberId', m.id));
  return jsonb_build_object('workspace', crm.workspace_json(w), 'member', crm.member_json(m));
end
$$;

-- What npm start says to do next: nothing when a workspace exists.
create or replace function api.setup_state(args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return jsonb_build_object('workspaces', (select count(*) from workspaces),
    'members', (select count(*) from members where active));
end
$$;

create or replace function api.members_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  everyone boolean := args ->> 'active' = 'all';
begin
  if everyone then
    perform crm.require_admin(me);
  end if;
  return jsonb_build_object('items', coalesce((select jsonb_agg(crm.member_json(m) order by m.display_name, m.id)
    from members m where m.workspace_id = me.workspace_id and (everyone or m.active)), '[]'::jsonb));
end
$$;

create or replace function api.member_create(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  m crm.members;
begin
  perform crm.require_admin(me);
  m := crm.member_insert(me.workspace_id, me.id, crm.ctx_source(ctx),
    args || jsonb_build_object('timezoneChosen', args ? 'timezone', 'localeChosen', args ? 'locale'), 'invite');
  return crm.member_json(m);
end
$$;

-- An admin changes anything listed; a member may change their own time zone
-- and locale. The last active admin stays an admin.
create or replace function api.member_update(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  m crm.members;
  before jsonb;
begin
  select * into m from members where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if me.role <> 'admin' and (m.id <> me.id or args ?| array['role', 'managerId', 'name']) then
    perform crm.fail(403, 'admin_only');
  end if;
  before := crm.member_json(m);
  if args ? 'role' and m.role = 'admin' and args ->> 'role' <> 'admin' and m.active
    and not exists (select 1 from members where workspace_id = ws and active and role = 'admin' and id <> m.id) then
    perform crm.fail(409, 'last_admin', jsonb_build_object('name', m.display_name));
  end if;
  if args ? 'managerId' then
    perform crm.check_manager(ws, m.id, (args ->> 'managerId')::uuid);
  end if;
  if args ? 'timezone' then
    perform crm.check_timezone(args ->> 'timezone');
  end if;
  update members set
    role = coalesce(args ->> 'role', role),
    display_name = coalesce(btrim(args ->> 'name'), display_name),
    manager_id = case when args ? 'managerId' then (args ->> 'managerId')::uuid else manager_id end,
    timezone = coalesce(args ->> 'timezone', timezone),
    timezone_chosen = timezone_chosen or args ? 'timezone',
    locale = coalesce(args ->> 'locale', locale),
    locale_chosen = locale_chosen or args ? 'locale'
  where id = m.id returning * into m;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'member', m.id, 'update', before, crm.member_json(m));
  return crm.member_json(m);
end
$$;

-- One transaction: contacts and open follow-ups to reassignTo, reports to the
-- person's manager, tokens revoked, Slack and Google links cleared. Their
-- history keeps their name (rows still point at them).
create or replace function api.member_deactivate(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  m crm.members;
  heir crm.members;
  before jsonb;
  n_contacts int;
  n_follow_ups int;
  n_reports int;
  n_tokens int;
begin
  select * into m from members where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  perform crm.require_admin(me);
  if not m.active then
    perform crm.fail(409, 'member_inactive', jsonb_build_object('name', m.display_name));
  end if;
  if m.role = 'admin' and not exists (select 1 from members where workspace_id = ws and active and role = 'admin' and id <> m.id) then
    perform crm.fail(409, 'last_admin', jsonb_build_object('name', m.display_name));
  end if;
  select * into heir from members where workspace_id = ws and id = (args ->> 'reassignTo')::uuid and active;
  if heir.id is null or heir.id = m.id then
    perform crm.fail(400, 'reassign_invalid', jsonb_build_object('field', 'reassignTo', 'reassignTo', args ->> 'reassignTo'));
  end if;
  before := crm.member_json(m);
  update contacts set owner_id = heir.id, updated_at = now() where workspace_id = ws and owner_id = m.id and merged_into_id is null;
  get diagnostics n_contacts = row_count;
  update follow_ups set owner_id = heir.id where workspace_id = ws and owner_id = m.id and status = 'open';
  get diagnostics n_follow_ups = row_count;
  update members set manager_id = case when m.manager_id = members.id then null else m.manager_id end
    where workspace_id = ws and manager_id = m.id;
  get diagnostics n_reports = row_count;
  update api_tokens set revoked_at = now() where workspace_id = ws and member_id = m.id and revoked_at is null;
  get diagnostics n_tokens = row_count;
  update members set active = false, deactivated_at = now(), slack_user_id = null, slack_team_id = null, google_sub = null,
      manager_id = null
    where id = m.id returning * into m;
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'member', m.id, 'deactivate', before,
    crm.member_json(m) || jsonb_build_object('reassignedTo', heir.id, 'contacts', n_contacts, 'followUps', n_follow_ups,
      'reports', n_reports, 'tokensRevoked', n_tokens));
  return jsonb_build_object('member', crm.member_json(m), 'reassignedTo', crm.member_brief(ws, heir.id),
    'contacts', n_contacts, 'followUps', n_follow_ups, 'reports', n_reports, 'tokensRevoked', n_tokens);
end
$$;

create or replace function api.member_reactivate(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  m crm.members;
  before jsonb;
begin
  select * into m from members where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  perform crm.require_admin(me);
  before := crm.member_json(m);
  if not m.active then
    update members set active = true, deactivated_at = null where id = m.id returning * into m;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', m.id, 'reactivate', before, crm.member_json(m));
  end if;
  return crm.member_json(m);
end
$$;

create or replace function api.workspace_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
begin
  select * into w from workspaces where id = me.workspace_id;
  return crm.workspace_json(w);
end
$$;

create or replace function api.workspace_update(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  before jsonb;
  joins text[];
begin
  perform crm.require_admin(me);
  select * into w from workspaces where id = me.workspace_id for update;
  before := crm.workspace_json(w);
  if args ? 'defaultTimezone' then
    perform crm.check_timezone(args ->> 'defaultTimezone');
  end if;
  joins := case when args ? 'joinDomains' then crm.domain_list(args -> 'joinDomains', 'joinDomains') else w.join_domains end;
  if coalesce(args ->> 'joinPolicy', w.join_policy) = 'domains' and cardinality(joins) = 0 then
    perform crm.fail(400, 'join_domains_required', jsonb_build_object('field', 'joinDomains'));
  end if;
  update workspaces set
    name = coalesce(btrim(args ->> 'name'), name),
    default_timezone = coalesce(args ->> 'defaultTimezone', default_timezone),
    default_locale = coalesce(args ->> 'defaultLocale', default_locale),
    internal_domains = case when args ? 'internalDomains' then crm.domain_list(args -> 'internalDomains', 'internalDomains')
      else internal_domains end,
    join_policy = coalesce(args ->> 'joinPolicy', join_policy),
    join_domains = joins
  where id = w.id returning * into w;
  perform crm.audit(w.id, me.id, crm.ctx_source(ctx), 'workspace', w.id, 'update', before, crm.workspace_json(w));
  return crm.workspace_json(w);
end
$$;

-- The names of the workspace's admins, for "how to get access" under invite.
create or replace function api.workspace_admins(args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  w crm.workspaces;
begin
  select * into w from workspaces where id = (args ->> 'workspaceId')::uuid;
  if w.id is null then
    return null;
  end if;
  return jsonb_build_object('name', w.name, 'joinPolicy', w.join_policy, 'admins', crm.workspace_json(w) -> 'admins');
end
$$;

create or replace function crm.token_json(t crm.api_tokens) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return jsonb_build_object('id', t.id, 'memberId', t.member_id, 'label', t.label, 'createdAt', t.created_at,
    'lastUsedAt', t.last_used_at, 'expiresAt', t.expires_at, 'revokedAt', t.revoked_at,
    'active', t.revoked_at is null and (t.expires_at is null or t.expires_at > now()));
end
$$;

create or replace function api.tokens_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  whose uuid := me.id;
begin
  if args ->> 'member' is not null then
    perform crm.require_admin(me);
    select id into whose from members where workspace_id = me.workspace_id
      and (id::text = args ->> 'member' or lower(email) = lower(args ->> 'member'));
    if whose is null then
      perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'member'));
    end if;
  end if;
  return jsonb_build_object('items', coalesce((select jsonb_agg(crm.token_json(t) order by t.created_at desc, t.id)
    from api_tokens t where t.workspace_id = me.workspace_id and t.member_id = whose), '[]'::jsonb));
end
$$;

create or replace function api.token_issue(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  t crm.api_tokens;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  insert into api_tokens (workspace_id, member_id, token_hash, label, expires_at)
  values (me.workspace_id, me.id, args ->> 'tokenHash', coalesce(nullif(btrim(args ->> 'label'), ''), 'personal token'),
    now() + make_interval(days => (args ->> 'expiresInDays')::int))
  returning * into t;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'api_token', t.id, 'create', null,
    jsonb_build_object('label', t.label, 'memberId', me.id, 'expiresAt', t.expires_at));
  return crm.token_json(t);
end
$$;

-- Revoke one's own token, or (admin) anyone's. Revoking twice answers the same.
create or replace function api.token_revoke(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  t crm.api_tokens;
begin
  select * into t from api_tokens where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid
    and (member_id = me.id or me.role = 'admin') for update;
  if t.id is null then
    perform crm.fail(404, 'token_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if t.revoked_at is null then
    update api_tokens set revoked_at = now() where id = t.id returning * into t;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'api_token', t.id, 'revoke', null,
      jsonb_build_object('label', t.label, 'memberId', t.member_id));
  end if;
  return crm.token_json(t);
end
$$;

-- npm run token: as before, with an optional lifetime.
create or replace function api.token_create(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  m crm.members;
  n int;
  t crm.api_tokens;
begin
  select count(*) into n from members where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws);
  if n = 0 then
    perform crm.fail(404, 'member_unknown', jsonb_build_object('field', 'email', 'email', args ->> 'email'));
  elsif n > 1 then
    perform crm.fail(409, 'member_ambiguous', jsonb_build_object('email', args ->> 'email'));
  end if;
  select * into m from members where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws);
  insert into api_tokens (workspace_id, member_id, token_hash, label, expires_at)
  values (m.workspace_id, m.id, args ->> 'tokenHash', coalesce(args ->> 'label', 'personal token'),
    now() + make_interval(days => (args ->> 'expiresInDays')::int))
  returning * into t;
  perform crm.audit(m.workspace_id, m.id, 'cli', 'api_token', t.id, 'create', null,
    jsonb_build_object('label', t.label, 'memberId', m.id, 'expiresAt', t.expires_at));
  return jsonb_build_object('id', t.id, 'member', crm.member_json(m), 'workspaceId', m.workspace_id, 'expiresAt', t.expires_at);
end
$$;

-- A token names its member while both are live: an expired token and a
-- deactivated member are refused with their own reason (neither is told to
-- make a new token).
create or replace function api.auth_token(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  t crm.api_tokens;
  m crm.members;
begin
  select * into t from api_tokens where token_hash = args ->> 'tokenHash';
  if t.id is null or t.revoked_at is not null then
    select * into m from members where id = t.member_id;
    if m.id is not null and not m.active then
      return jsonb_build_object('refused', 'member_deactivated');
    end if;
    return null;
  end if;
  if t.expires_at is not null and t.expires_at <= now() then
    return jsonb_build_object('refused', 'token_expired');
  end if;
  select * into m from members where id = t.member_id and workspace_id = t.workspace_id;
  if m.id is null or not m.active then
    return jsonb_build_object('refused', 'member_deactivated');
  end if;
  -- one write a minute at most, not one per request
  update api_tokens set last_used_at = now()
    where id = t.id and (last_used_at is null or last_used_at < now() - interval '1 minute');
  update members set last_seen_at = now()
    where id = m.id and (last_seen_at is null or last_seen_at < now() - interval '1 minute');
  return crm.principal_json(m);
end
$$;

-- The Gmail add-on's person: by Google subject, else by verified email (then
-- linked), else joining under the domains policy of the one workspace that
-- takes the email's domain. A deactivated person is refused by name.
create or replace function api.auth_google(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  m crm.members;
  ws uuid := (args ->> 'workspaceId')::uuid;
  target uuid;
  n int;
begin
  select * into m from members
    where google_sub = args ->> 'sub' and active and (ws is null or workspace_id = ws)
    order by created_at limit 1;
  if m.id is null then
    select * into m from members
      where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws)
      order by created_at limit 1;
    if m.id is not null then
      if m.google_sub is not null then
        return jsonb_build_object('refused', 'google_account_mismatch');
      end if;
      update members set google_sub = args ->> 'sub' where id = m.id returning * into m;
      perform crm.audit(m.workspace_id, m.id, 'gmail', 'member', m.id, 'link_google', null,
        jsonb_build_object('googleSub', args ->> 'sub'));
    elsif exists (select 1 from members where lower(email) = lower(args ->> 'email') and not active
        and (ws is null or workspace_id = ws)) then
      return jsonb_build_object('refused', 'member_deactivated');
    else
      select count(*), min(w.id::text)::uuid into n, target from workspaces w
        where w.join_policy = 'domains' and crm.email_domain(args ->> 'email') = any (w.join_domains)
          and (ws is null or w.id = ws);
      if n = 1 then
        perform set_config('rapport.workspace_id', target::text, true);
        m := crm.join_member(target, 'google', jsonb_build_object('email', args ->> 'email', 'name', args ->> 'name',
          'locale', args ->> 'locale', 'googleSub', args ->> 'sub'));
        if m.id is not null then
          return crm.principal_json(m) || jsonb_build_object('joined', true);
        end if;
      end if;
      -- no member: whom to ask, when the workspace is known (named, or the server's only one)
      select count(*), min(w.id::text)::uuid into n, target from workspaces w where ws is null or w.id = ws;
      if n = 1 then
        return jsonb_build_object('refused', 'not_a_member', 'admins', (select string_agg(a.display_name, ', ' order by a.display_name)
          from members a where a.workspace_id = target and a.active and a.role = 'admin'));
      end if;
      return null;
    end if;
  end if;
  update members set last_seen_at = now()
    where id = m.id and (last_seen_at is null or last_seen_at < now() - interval '1 minute');
  return crm.principal_json(m);
end
$$;

-- The Slack app's person: by stored Slack id, else by profile email (then
-- linked), else joining under the workspace's policy when the Slack app says
-- the person is a full member of the bound team (profile.full). A profile
-- read refreshes the time zone and locale the person has not chosen in
-- Rapport; profileDue asks for one when the last is a day old.
create or replace function api.slack_member(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  user_team text := nullif(args ->> 'userTeamId', '');
  profile jsonb := args -> 'profile';
  m crm.members;
  joined boolean := false;
  tz text := nullif(profile ->> 'timezone', '');
  loc text := case when args ->> 'slackLocale' like 'ja%' then 'ja' when args ->> 'slackLocale' like 'zh%' then 'zh'
                   when args ->> 'slackLocale' is not null then 'en' end;
begin
  perform set_config('rapport.workspace_id', ws::text, true);
  select * into m from members where workspace_id = ws and slack_user_id = args ->> 'slackUserId' and active;
  if m.id is null and args ->> 'email' is not null then
    if not crm.slack_team_bound(ws, user_team) then
      return null;
    end if;
    select * into m from members where workspace_id = ws and lower(email) = lower(args ->> 'email') and active
      and (slack_user_id is null or slack_user_id = args ->> 'slackUserId');
    if m.id is null then
      if coalesce((profile ->> 'full')::boolean, false) then
        m := crm.join_member(ws, 'slack', jsonb_build_object('email', args ->> 'email', 'name', profile ->> 'name',
          'timezone', tz, 'locale', loc, 'slackUserId', args ->> 'slackUserId', 'slackTeamId', user_team));
      end if;
      if m.id is null then
        return null;
      end if;
    else
      -- reachable in Slack from now: a digest time already passed today waits for tomorrow
      update members set slack_user_id = args ->> 'slackUserId', slack_team_id = user_team,
          digest_from = case when slack_user_id is null then date_trunc('minute', now()) else digest_from end
        where id = m.id returning * into m;
      perform crm.audit(ws, m.id, 'slack', 'member', m.id, 'link_slack', null,
        jsonb_build_object('slackUserId', m.slack_user_id, 'slackTeamId', m.slack_team_id));
    end if;
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
  if profile is not null then
    if tz is not null and not m.timezone_chosen and m.timezone <> tz then
      begin
        perform now() at time zone tz;
        update members set timezone = tz where id = m.id returning * into m;
      exception when invalid_parameter_value then
        null;
      end;
    end if;
    update members set profile_read_at = now() where id = m.id returning * into m;
  end if;
  if m.last_seen_at is null or m.last_seen_at < now() - interval '1 minute' then
    update members set last_seen_at = now() where id = m.id returning * into m;
  end if;
  -- told once, by whichever surface they reach first
  if m.welcome_due then
    update members set welcome_due = false where id = m.id returning * into m;
    joined := true;
  end if;
  return crm.principal_json(m) || jsonb_build_object('timezone', m.timezone, 'name', m.display_name, 'joined', joined,
    'profileDue', m.profile_read_at is null or m.profile_read_at < now() - interval '1 day');
end
$$;


-- Digests: as before, and a first delivery only for a digest time at or after members.digest_from
-- (set when a person becomes reachable in Slack, and when a digest time moves).
CREATE OR REPLACE FUNCTION api.digest_claim(args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
      -- a first delivery only for a digest time at or after the moment the
      -- person became reachable or chose it: no digest at night for a time
      -- that had passed when they joined, linked Slack or moved it earlier
      and (d.member_id is not null
        or ((l.local_date + coalesce(m.digest_time, w.digest_time)) at time zone m.timezone) >= coalesce(m.digest_from, '-infinity'))
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
$function$;

-- Exporting the whole workspace: managers and admins.
CREATE OR REPLACE FUNCTION api.contacts_export(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
begin
  -- the whole workspace's book leaves with managers and admins only
  if me.id is not null and me.role = 'rep' then
    perform crm.fail(403, 'export_forbidden');
  end if;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(x.j order by x.name_key, x.j - 'id' - 'createdAt')
    from (
      select c.name_key, jsonb_build_object(
        'id', c.id, 'name', c.name,
        'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, lower(e.email))
                            from contact_emails e where e.workspace_id = ws and e.contact_id = c.id), '[]'::jsonb),
        'phone', c.phone, 'title', c.title,
        'company', (select jsonb_build_object('name', co.name, 'domain', co.domain)
                    from companies co where co.workspace_id = ws and co.id = c.company_id),
        'stage', c.stage, 'owner', (select m.email from members m where m.workspace_id = ws and m.id = c.owner_id), 'tags', to_jsonb(c.tags), 'custom', c.custom,
        'timezone', c.timezone, 'lastInteractionAt', c.last_interaction_at, 'createdAt', c.created_at) as j
      from contacts c
      where c.workspace_id = ws and c.merged_into_id is null
    ) x), '[]'::jsonb));
end
$function$;

-- A member named in a filter: deactivated ones too, so that what a person
-- who left owned stays findable by their email (an owner to assign must be
-- active: crm.member_by_email).
create or replace function crm.member_in_filter(ws uuid, email text, field text) returns uuid
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  mid uuid;
begin
  select id into mid from members where workspace_id = ws and lower(members.email) = lower(member_in_filter.email);
  if mid is null then
    perform crm.fail(400, 'member_unknown', jsonb_build_object('field', field, 'email', email));
  end if;
  return mid;
end
$$;

-- contacts_list: as before, its owner filter by crm.member_in_filter.
CREATE OR REPLACE FUNCTION api.contacts_list(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'extensions', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  q text := nullif(crm.fold(args ->> 'q'), '');
  pat text := '%' || crm.like_escape(coalesce(q, '')) || '%';
  digits text := nullif(regexp_replace(coalesce(args ->> 'q', ''), '\D', '', 'g'), '');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 25), 1), 100);
  owner_filter uuid;
  ck text := args #>> '{cursor,k}';
  cid uuid := (args #>> '{cursor,id}')::uuid;
  ids uuid[];
  walked int;
  cjk boolean := crm.has_cjk(q);
  n_ids uuid[];
  n_keys text[];
  every boolean;
  items jsonb;
  seg boolean := args ->> 'segment' is not null;
  r jsonb := '{}';
  s_owner uuid;
  s_companies uuid[];
  s_before timestamptz;
  s_after timestamptz;
  s_open boolean;
  s_custom jsonb;
  s_unset text[];
begin
  if args ->> 'owner' = 'me' then
    owner_filter := me.id;
  elsif args ->> 'owner' is not null then
    owner_filter := crm.member_in_filter(ws, args ->> 'owner', 'owner');
  end if;
  if digits is not null and length(digits) < 3 then
    digits := null;
  end if;
  if seg then
    r := crm.segment_resolve(ws, me.id, (crm.segment_find(ws, args ->> 'segment')).filter);
    s_owner := (r ->> 'ownerId')::uuid;
    s_companies := case when jsonb_typeof(r -> 'companyIds') = 'array'
      then array(select x::uuid from jsonb_array_elements_text(r -> 'companyIds') x) end;
    s_before := (r ->> 'before')::timestamptz;
    s_after := (r ->> 'after')::timestamptz;
    s_open := (r ->> 'open')::boolean;
    s_custom := nullif(r -> 'custom', 'null'::jsonb);
    s_unset := case when jsonb_typeof(r -> 'unset') = 'array' then array(select jsonb_array_elements_text(r -> 'unset')) end;
  end if;

  -- A search first walks the workspace's contacts in name order, at most 500
  -- of them, testing each one's name, addresses and company: a query that many
  -- contacts match (son, mar) is answered after a few hundred rows. The
  -- addresses are tested per row (bool_or), never as a set over every address
  -- matching the pattern, which for a common pattern meant reading ~50,000
  -- addresses of all workspaces through the trigram index (37 ms). Only when
  -- the walk does not fill the page does the full query below run (a rare
  -- pattern: the trigram indexes find its few rows quickly).
  if q is not null and not seg then
    -- (a CJK query skips the walk: CJK names sort after every Latin one)
    if not cjk then
    with walk as materialized (
      select c.id, c.name_key, c.company_id, c.phone_digits
      from contacts c
      where c.workspace_id = ws
        and c.merged_into_id is null
        and (args ->> 'stage' is null or c.stage = args ->> 'stage')
        and (owner_filter is null or c.owner_id = owner_filter)
        and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
        and (ck is null or (c.name_key, c.id) > (ck, cid))
      order by c.name_key, c.id
      limit 500
    ), hit as (
      select w.id, w.name_key from walk w
      where w.name_key like pat
         or coalesce((select bool_or(lower(e.email) like pat) from contact_emails e
                      where e.workspace_id = ws and e.contact_id = w.id), false)
         or coalesce((select co.name_key like pat or co.domain like pat from companies co
                      where co.workspace_id = ws and co.id = w.company_id), false)
         or (digits is not null and w.phone_digits like '%' || digits || '%')
      -- no sort: the walk's rows come in name order, so the tests stop at the page's end
      limit lim + 1
    )
    select (select array_agg(h.id order by h.name_key, h.id) from hit h), (select count(*) from walk)
      into ids, walked;
    if coalesce(array_length(ids, 1), 0) <= lim and walked = 500 then
      ids := null;  -- not complete: the walk stopped before the page filled
    end if;
    end if;
    -- not answered by the walk (a rarer pattern), or a CJK query: the
    -- candidates from the indexes, each scoped to the workspace (names through
    -- the CJK grams or the per-workspace trigram index, addresses through theirs,
    -- the workspace's companies, phone digits), then the page in name order
    if ids is null and (cjk or length(q) >= 3) then
      -- A Latin pattern's name matches in name order, straight from
      -- contacts_list_idx (an index-only scan, ~0.15 µs a row): when 200 of the
      -- 30,000 contacts after the cursor match by name, they are every name
      -- match up to the 200th, and the page is taken from them and the other
      -- matches that sort before it. A pattern that 6 % of 100,000 contacts
      -- match (oma, lia) no longer reads every match's sort key from the heap.
      if not cjk then
        select array_agg(s.id order by s.name_key, s.id), array_agg(s.name_key order by s.name_key, s.id)
          into n_ids, n_keys
        from (
          select w.id, w.name_key from (
            select c.id, c.name_key from contacts c
            where c.workspace_id = ws and (ck is null or (c.name_key, c.id) > (ck, cid))
            order by c.name_key, c.id
            limit 30000) w
          where w.name_key like pat
          order by w.name_key, w.id
          limit 200) s;
      end if;
      every := coalesce(array_length(n_ids, 1), 0) < 200;
      -- Otherwise (a rarer pattern, one whose names come late, or a CJK query):
      -- the candidates from the indexes, each scoped to the workspace (names
      -- through the CJK grams or the trigram index, addresses through theirs,
      -- the workspace's companies, phone digits), then the page in name order.
      -- The loop runs a second time, with every match, when filters or merges
      -- left fewer than a page of the 200.
      loop
        -- names that match, with their sort key straight from an index; then the
        -- contacts that match only by an address, a company or a phone (few: an
        -- address usually holds the name), looked up for their sort key
        with nm as materialized (
          select u.id, u.k as name_key from unnest(n_ids, n_keys) u(id, k)
          where not every
          union all
          select n.id, n.name_key from contacts n
          where every and not cjk and n.workspace_id = ws and n.name_key like pat
          union all
          select n.id, n.name_key from contacts n
          where every and cjk and n.workspace_id = ws and n.merged_into_id is null
            and crm.cjk_grams(n.workspace_id, n.name_key) @> crm.cjk_query_grams(ws, q)
            and n.name_key like pat
        ), other as (
          select e.contact_id as id from contact_emails e
          where not cjk and e.workspace_id = ws and lower(e.email) like pat
          union
          select e.contact_id from contact_emails e
          where cjk and e.workspace_id = ws and e.email ~ '[^[:ascii:]]' and lower(e.email) like pat
          union
          select m.id from companies co join contacts m on m.workspace_id = ws and m.company_id = co.id
          where co.workspace_id = ws and (co.name_key like pat or co.domain like pat)
          union
          select p.id from contacts p
          where digits is not null and p.workspace_id = ws and p.phone_digits like '%' || digits || '%'
        ), cand as (
          select id, name_key from nm
          union
          select c.id, c.name_key from contacts c
          where c.workspace_id = ws and c.id in (select o.id from other o where not exists (select 1 from nm where nm.id = o.id))
            and (every or (c.name_key, c.id) <= (n_keys[200], n_ids[200]))
        )
        select array_agg(k.id order by k.name_key, k.id) into ids
        from cand k
        where ck is null or (k.name_key, k.id) > (ck, cid);
        -- the page: the candidates in name order, each checked against the filters, until it is full
        select array_agg(s.id order by s.o) into ids
        from (
          select c.id, u.o
          from unnest(ids) with ordinality u(id, o)
          join contacts c on c.workspace_id = ws and c.id = u.id
          where c.merged_into_id is null
            and (args ->> 'stage' is null or c.stage = args ->> 'stage')
            and (owner_filter is null or c.owner_id = owner_filter)
            and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
          order by u.o
          limit lim + 1
        ) s;
        ids := coalesce(ids, '{}'::uuid[]);
        exit when every or array_length(ids, 1) > lim;
        every := true;
      end loop;
    end if;
  end if;

  if ids is null then
  select array_agg(s.id order by s.name_key, s.id) into ids
  from (
    select c.id, c.name_key
    from contacts c
    where c.workspace_id = ws
      and c.merged_into_id is null
      and (args ->> 'stage' is null or c.stage = args ->> 'stage')
      and (owner_filter is null or c.owner_id = owner_filter)
      and (args ->> 'tag' is null or c.tags @> array[args ->> 'tag'])
      and (ck is null or (c.name_key, c.id) > (ck, cid))
      and (q is null
        or c.name_key like pat
        or exists (select 1 from contact_emails e where e.workspace_id = ws and e.contact_id = c.id and lower(e.email) like pat)
        or exists (select 1 from companies co where co.workspace_id = ws and co.id = c.company_id
                   and (co.name_key like pat or co.domain like pat))
        or (digits is not null and c.phone_digits like '%' || digits || '%'))
      and (not seg or (
            (r ->> 'stage' is null or c.stage = r ->> 'stage')
        -- an owner that matches no member leaves s_owner null: nothing matches
        and (not (r ->> 'ownerSet')::boolean or c.owner_id = s_owner)
        and (r ->> 'tag' is null or c.tags @> array[r ->> 'tag'])
        and (s_companies is null or c.company_id = any (s_companies))
        and (s_before is null or c.last_interaction_at is null or c.last_interaction_at < s_before)
        and (s_after is null or c.last_interaction_at >= s_after)
        and (s_open is null or s_open = exists (
              select 1 from follow_ups f where f.workspace_id = ws and f.contact_id = c.id and f.status = 'open'))
        and (s_custom is null or c.custom @> s_custom)
        and (s_unset is null or not exists (
              select 1 from unnest(s_unset) k where coalesce(c.custom -> k, 'null'::jsonb) <> 'null'::jsonb))))
    order by c.name_key, c.id
    limit lim + 1
  ) s;
  end if;

  select coalesce(jsonb_agg(crm.contact_json(c) order by u.ord), '[]'::jsonb) into items
  from unnest(ids[1:lim]) with ordinality u(id, ord)
  join contacts c on c.id = u.id and c.workspace_id = ws;

  return jsonb_build_object('items', items, 'nextCursor',
    case when coalesce(array_length(ids, 1), 0) > lim then
      (select jsonb_build_object('k', c.name_key, 'id', c.id) from contacts c where c.id = ids[lim])
    end);
end
$function$;

-- follow_ups_list: as before, its owner filter by crm.member_in_filter.
CREATE OR REPLACE FUNCTION api.follow_ups_list(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
    owners := array[crm.member_in_filter(ws, who, 'owner')];
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
$function$;

-- digest_settings: as before, and a moved time counts from the moment it moved.
CREATE OR REPLACE FUNCTION api.digest_settings(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
      digest_weekends = case when args ? 'weekends' then (args ->> 'weekends')::boolean else digest_weekends end,
      -- a time moved (say to an hour already passed today) counts from now: no digest at once
      digest_from = case when args ? 'time' and (args ->> 'time')::time is distinct from digest_time
        then date_trunc('minute', crm.ctx_now(ctx)) else digest_from end
    where workspace_id = me.workspace_id and id = me.id
    returning * into me;
    if crm.digest_settings_json(me, w) is distinct from before then
      perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'digest_settings',
        before, crm.digest_settings_json(me, w));
    end if;
  end if;
  return crm.digest_settings_json(me, w);
end
$function$;

-- workspace_digest_defaults: as before, and a moved default time counts from now for those on it.
CREATE OR REPLACE FUNCTION api.workspace_digest_defaults(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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

-- gmail_context: as before, with the welcome of a person who joined by themselves.
CREATE OR REPLACE FUNCTION api.gmail_context(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  m jsonb := coalesce(args -> 'message', '{}');
  cap constant int := 10;
  logged jsonb;
  people jsonb;
  total int;
begin
  select * into w from workspaces where id = ws;

  select jsonb_build_object('interactionId', i.id, 'by', crm.member_brief(ws, i.author_id), 'at', i.created_at)
    into logged
  from interactions i
  where i.workspace_id = ws and i.dedupe_key = crm.dedupe_key('email', 'gmail', m ->> 'messageId')
    and i.deleted_at is null and crm.can_see(ws, me.id, i.visibility, i.author_id);

  with given as (
    select * from crm.gmail_addresses(m)
  ), firsts as (
    -- one row per address, at its first place, with the first name given for it
    select g.email, min(g.ord) as ord, (array_agg(g.name order by g.ord) filter (where g.name is not null))[1] as name
    from given g group by g.email
  ), external as (
    select f.email, f.name, g.role, f.ord, row_number() over (order by f.ord) as rank
    from firsts f join given g on g.ord = f.ord
    where f.email is distinct from lower(me.email)
      and not crm.is_internal(w, f.email)
      and not exists (select 1 from members mm where mm.workspace_id = ws and mm.active and lower(mm.email) = f.email)
  )
  select count(*)::int,
    jsonb_agg(crm.gmail_person(w, me.id, e.email, e.name, e.role) order by e.ord) filter (where e.rank <= cap)
    into total, people
  from external e;

  return jsonb_build_object(
    'me', case when me.id is null then null else jsonb_build_object(
      'id', me.id, 'name', me.display_name, 'email', me.email, 'locale', me.locale, 'timezone', me.timezone,
      -- joined by themselves and not told yet: the add-on says so, then POST /api/me/welcome
      'welcome', case when me.welcome_due then jsonb_build_object('workspace', w.name, 'role', me.role) end) end,
    'logged', logged,
    'people', coalesce(people, '[]'::jsonb),
    'more', greatest(total - cap, 0));
end
$function$;

-- The welcome was shown: not again, on any surface.
create or replace function api.member_welcomed(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  was boolean := me.welcome_due;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if was then
    update members set welcome_due = false where id = me.id;
  end if;
  return jsonb_build_object('welcomed', coalesce(was, false));
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
