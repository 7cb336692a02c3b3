-- Who is calling. The backend verifies a credential (a personal API token's
-- hash, a verified Google identity, or its own service secret for the Slack app
-- and the scheduler) and asks these functions which member it is. They return
-- null when nobody matches; the backend turns that into 401 or 403.

create or replace function crm.principal_json(m crm.members) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$ select jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'locale', m.locale, 'role', m.role) $$;

-- args: {tokenHash: sha256 hex}
create or replace function api.auth_token(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  t crm.api_tokens;
  m crm.members;
begin
  select * into t from api_tokens where token_hash = args ->> 'tokenHash' and revoked_at is null;
  if t.id is null then
    return null;
  end if;
  select * into m from members where id = t.member_id and workspace_id = t.workspace_id and active;
  if m.id is null then
    return null;
  end if;
  -- one write a minute at most, not one per request
  update api_tokens set last_used_at = now()
    where id = t.id and (last_used_at is null or last_used_at < now() - interval '1 minute');
  return crm.principal_json(m);
end
$$;

-- args: {sub, email, workspaceId?}. Found by Google subject id, else by the
-- verified email (and the subject id is remembered from then on).
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
    if m.google_sub is null then
      update members set google_sub = args ->> 'sub' where id = m.id;
    end if;
  end if;
  return crm.principal_json(m);
end
$$;

-- args: {workspaceId, memberId? | email? | slackUserId?}: the Slack app and the
-- scheduler acting for a member. Without a member: the scheduler itself.
create or replace function api.auth_service(args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  m crm.members;
begin
  if not exists (select 1 from workspaces where id = ws) then
    return null;
  end if;
  select * into m from members
    where workspace_id = ws and active
      and ((args ->> 'memberId') is not null and id = (args ->> 'memberId')::uuid
        or (args ->> 'email') is not null and lower(email) = lower(args ->> 'email')
        or (args ->> 'slackUserId') is not null and slack_user_id = args ->> 'slackUserId');
  if m.id is null then
    if coalesce(args ->> 'memberId', args ->> 'email', args ->> 'slackUserId') is null then
      return jsonb_build_object('workspaceId', ws, 'memberId', null, 'locale', null, 'role', null);
    end if;
    return null;
  end if;
  return crm.principal_json(m);
end
$$;

create or replace function api.me(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
begin
  select * into w from workspaces where id = me.workspace_id;
  return jsonb_build_object(
    'member', case when me.id is null then null else crm.member_json(me) end,
    'workspace', jsonb_build_object(
      'id', w.id, 'name', w.name, 'internalDomains', to_jsonb(w.internal_domains),
      'autoCreateContacts', w.auto_create_contacts, 'freeMailDomains', to_jsonb(w.free_mail_domains),
      'defaultTimezone', w.default_timezone, 'defaultLocale', w.default_locale,
      'digest', jsonb_build_object('time', to_char(w.digest_time, 'HH24:MI'), 'weekends', w.digest_weekends,
        'replyWindowHours', extract(epoch from w.reply_window) / 3600,
        'coldAfterDays', extract(epoch from w.cold_after) / 86400)));
end
$$;

-- args: {email, workspaceId?, tokenHash, label?}: a personal token for a member
-- (used by `npm run token` and the embedded demo). Errors if the email names no
-- member, or names members of several workspaces and no workspace was given.
create or replace function api.token_create(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
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
  insert into api_tokens (workspace_id, member_id, token_hash, label)
  values (m.workspace_id, m.id, args ->> 'tokenHash', coalesce(args ->> 'label', 'personal token'))
  returning * into t;
  perform crm.audit(m.workspace_id, m.id, 'cli', 'api_token', t.id, 'create', null,
    jsonb_build_object('label', t.label, 'memberId', m.id));
  return jsonb_build_object('id', t.id, 'member', crm.member_json(m), 'workspaceId', m.workspace_id);
end
$$;

create or replace function api.healthz(args jsonb) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$ select jsonb_build_object('ok', true) $$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
