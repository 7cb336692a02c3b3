-- Slack installations ("Add to Slack"): one row per Slack team in
-- crm.slack_installations, written when an admin installs Rapport in a Slack
-- workspace and removed when the app is uninstalled or its bot token revoked.
--
-- The bot token arrives already encrypted (AES-256-GCM under the server's
-- RAPPORT_SECRET_KEY, 'v1:<iv>:<tag>:<ciphertext>'): the database, its backups
-- and its audit log never see a usable token, and only the Slack app, which
-- holds the key, can decrypt it. The audit log records who installed which
-- team, never the ciphertext.
-- A team belongs to one workspace: installing it again for the same workspace
-- updates the row; for another workspace it is refused (409) until it is
-- uninstalled there.

-- args: {workspaceId?}. The workspace an install binds to: the one named (if it
-- exists), else the only workspace when there is exactly one.
create or replace function api.slack_install_target(args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  w crm.workspaces;
  n int;
begin
  select count(*) into n from workspaces;
  if args ->> 'workspaceId' is not null then
    select * into w from workspaces where id = (args ->> 'workspaceId')::uuid;
  elsif n = 1 then
    select * into w from workspaces;
  end if;
  return jsonb_build_object('workspace', case when w.id is null then null else jsonb_build_object('id', w.id, 'name', w.name) end,
    'workspaces', n);
end
$$;

create or replace function crm.slack_installation_json(i crm.slack_installations, with_token boolean) returns jsonb
  language sql immutable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('teamId', i.team_id, 'workspaceId', i.workspace_id, 'teamName', i.team_name,
    'enterpriseId', i.enterprise_id, 'botUserId', i.bot_user_id, 'botId', i.bot_id, 'scopes', i.scopes,
    'installedBy', i.installed_by, 'installedAt', i.installed_at, 'updatedAt', i.updated_at)
    || case when with_token then jsonb_build_object('botTokenEnc', i.bot_token_enc) else '{}'::jsonb end
$$;

-- args: {teamId, workspaceId, teamName?, enterpriseId?, botUserId, botId,
-- botTokenEnc, scopes, installedBy?}. Stores an installation (upsert by team).
create or replace function api.slack_installation_save(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  prev crm.slack_installations;
  inst crm.slack_installations;
begin
  if not exists (select 1 from workspaces where id = ws) then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'workspaceId'));
  end if;
  if coalesce(args ->> 'botTokenEnc', '') not like 'v1:%' then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'botTokenEnc'));
  end if;
  select * into prev from slack_installations where team_id = args ->> 'teamId' for update;
  if prev.team_id is not null and prev.workspace_id <> ws then
    perform crm.fail(409, 'conflict', jsonb_build_object('teamId', prev.team_id, 'reason', 'slack_team_bound_elsewhere'));
  end if;
  insert into slack_installations as s (team_id, workspace_id, team_name, enterprise_id, bot_user_id, bot_id, bot_token_enc, scopes, installed_by)
  values (args ->> 'teamId', ws, args ->> 'teamName', args ->> 'enterpriseId', args ->> 'botUserId', args ->> 'botId',
    args ->> 'botTokenEnc', args ->> 'scopes', args ->> 'installedBy')
  on conflict (team_id) do update
    set team_name = excluded.team_name, enterprise_id = excluded.enterprise_id, bot_user_id = excluded.bot_user_id,
        bot_id = excluded.bot_id, bot_token_enc = excluded.bot_token_enc, scopes = excluded.scopes,
        installed_by = excluded.installed_by, updated_at = now()
    where s.workspace_id = excluded.workspace_id
  returning * into inst;
  if inst.team_id is null then
    -- bound to another workspace between our check and the insert
    perform crm.fail(409, 'conflict', jsonb_build_object('teamId', args ->> 'teamId', 'reason', 'slack_team_bound_elsewhere'));
  end if;
  perform crm.audit(ws, null, 'slack', 'slack_installation', ws, case when prev.team_id is null then 'install' else 'reinstall' end,
    case when prev.team_id is null then null else crm.slack_installation_json(prev, false) end,
    crm.slack_installation_json(inst, false));
  return crm.slack_installation_json(inst, false);
end
$$;

-- args: {teamId}. The installation of a team, with its encrypted token, or null.
create or replace function api.slack_installation_get(args jsonb) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select crm.slack_installation_json(i, true) from slack_installations i where i.team_id = args ->> 'teamId'
$$;

-- args: {teamId, reason?}. Removes a team's installation and its channel
-- links; {deleted: false} when there was none (Slack may say it twice).
create or replace function api.slack_installation_delete(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  inst crm.slack_installations;
  links int;
begin
  delete from slack_installations where team_id = args ->> 'teamId' returning * into inst;
  if inst.team_id is null then
    return jsonb_build_object('deleted', false, 'channelLinks', 0);
  end if;
  delete from slack_channel_links where team_id = inst.team_id;
  get diagnostics links = row_count;
  perform crm.audit(inst.workspace_id, null, 'slack', 'slack_installation', inst.workspace_id, 'uninstall',
    crm.slack_installation_json(inst, false),
    jsonb_build_object('teamId', inst.team_id, 'reason', coalesce(args ->> 'reason', 'uninstall'), 'channelLinksRemoved', links));
  return jsonb_build_object('deleted', true, 'channelLinks', links);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
