-- Sign in to the web companion with Slack or Google (issue 20).
--
-- Node has already verified who the person is (Slack's OpenID Connect ID
-- token, or Google's, with a verified email); this function finds their
-- member and starts the browser session in one transaction. It decides
-- nothing of its own about who may come in: a Slack identity goes through
-- api.slack_member and a Google one through api.auth_google, the functions
-- that already match, link and (under the workspace's join policy) add
-- members for the Slack app and the Gmail add-on, so the three surfaces
-- admit exactly the same people.
--
-- A Google address that is a member of several workspaces gets the list to
-- choose from ('choose'); the choice comes back as workspaceId, with the same
-- verified identity (signed by Node), and api.auth_google only looks there.

create function api.web_signin(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  via text := args ->> 'via';
  address text := lower(args ->> 'email');
  ws uuid := nullif(args ->> 'workspaceId', '')::uuid;
  found jsonb;
  choices jsonb;
  m crm.members;
begin
  if address is null or args ->> 'sub' is null or coalesce(args ->> 'sessionHash', '') !~ '^[0-9a-f]{64}$' then
    return jsonb_build_object('refused', 'web_signin_failed');
  end if;
  if via = 'slack' then
    -- the Slack team the person signed in to must be the one installed for a workspace
    select workspace_id into ws from slack_installations where team_id = args ->> 'teamId';
    if ws is null then
      return jsonb_build_object('refused', 'web_signin_team_unknown');
    end if;
    found := api.slack_member(jsonb_build_object('workspaceId', ws, 'slackUserId', args ->> 'sub',
      'userTeamId', args ->> 'teamId', 'email', address, 'slackLocale', args ->> 'locale', 'profile', args -> 'profile'));
    if found is null then
      if exists (select 1 from members where workspace_id = ws and not active
          and (slack_user_id = args ->> 'sub' or lower(email) = address)) then
        return jsonb_build_object('refused', 'member_deactivated');
      end if;
      return jsonb_build_object('refused', 'not_a_member', 'admins',
        (select string_agg(a ->> 'name', ', ' order by a ->> 'name')
          from jsonb_array_elements(api.workspace_admins(jsonb_build_object('workspaceId', ws)) -> 'admins') a));
    end if;
  elsif via = 'google' then
    if ws is null then
      select jsonb_agg(jsonb_build_object('workspaceId', w.id, 'name', w.name) order by w.name, w.id) into choices
        from workspaces w
        where exists (select 1 from members x where x.workspace_id = w.id and x.active
          and (lower(x.email) = address or x.google_sub = args ->> 'sub'));
      if jsonb_array_length(coalesce(choices, '[]')) > 1 then
        return jsonb_build_object('choose', choices);
      end if;
    end if;
    found := api.auth_google(jsonb_build_object('sub', args ->> 'sub', 'email', address, 'name', args ->> 'name',
      'locale', args ->> 'locale', 'workspaceId', ws));
    if found is null then
      return jsonb_build_object('refused', 'not_a_member');
    end if;
  else
    return jsonb_build_object('refused', 'web_signin_failed');
  end if;
  if found ? 'refused' then
    return found;
  end if;
  select * into m from members where id = (found ->> 'memberId')::uuid and workspace_id = (found ->> 'workspaceId')::uuid;
  return crm.web_session_start(m, args ->> 'sessionHash', via) || jsonb_build_object('joined', coalesce((found ->> 'joined')::boolean, false));
end
$$;

revoke execute on function api.web_signin(jsonb) from public;
grant execute on function api.web_signin(jsonb) to service_role;
