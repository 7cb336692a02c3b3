-- `npm run token -- --email <member> --link` (issue 20): a one-time sign-in
-- link for a member named by address, made by whoever runs the server (as
-- an API token is, api.token_create), so a person can reach the web pages
-- with no Slack or Google set up. The link itself is api.signin_link_create's,
-- made as that member: the same 10 minutes, once, and `next`.

create function api.signin_link_cli(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  ws uuid := nullif(args ->> 'workspaceId', '')::uuid;
  m crm.members;
  n int;
begin
  select count(*) into n from members where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws);
  if n = 0 then
    perform crm.fail(404, 'member_unknown', jsonb_build_object('field', 'email', 'email', args ->> 'email'));
  elsif n > 1 then
    perform crm.fail(409, 'member_ambiguous', jsonb_build_object('email', args ->> 'email'));
  end if;
  select * into m from members where lower(email) = lower(args ->> 'email') and active and (ws is null or workspace_id = ws);
  perform crm.audit(m.workspace_id, m.id, 'cli', 'member', m.id, 'signin_link', null, null);
  return api.signin_link_create(jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'source', 'api'), args)
    || jsonb_build_object('member', crm.member_json(m), 'workspaceId', m.workspace_id);
end
$$;

revoke execute on function api.signin_link_cli(jsonb) from public;
grant execute on function api.signin_link_cli(jsonb) to service_role;
