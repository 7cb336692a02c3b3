-- The web companion's admin pages (issue 20): the team, the connections and
-- their capture health, and imports from the browser with a progress bar.
--
-- Each page is one call. The team page's and the connections page's reads
-- are the API's own functions (members_list, workspace_get, mailboxes_list,
-- channel_links_list) called from one function, so what an admin sees is
-- what the API answers them, with its checks.
--
-- An import started from a page runs on the server after the upload's
-- request has been answered (the browser is sent to the import's page at
-- once), through the same import code as POST /api/imports. Its progress
-- and its report are rows here, not memory of one server, so the page
-- that follows it may be answered by any copy of the backend.

create table crm.web_imports (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  file_name text check (file_name is null or length(file_name) <= 255),
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  phase text not null default 'parse' check (phase in ('parse', 'validate', 'write')),
  done numeric not null default 0 check (done >= 0),
  total numeric not null default 0 check (total >= 0),
  -- the report as the import code returned it (its sentences are made in the reader's language when shown)
  report jsonb,
  -- a file that could not be read: {status, key, params}
  error jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id) on delete cascade
);
create index web_imports_workspace_idx on crm.web_imports (workspace_id, created_at desc);
create index web_imports_member_idx on crm.web_imports (workspace_id, member_id);

alter table crm.web_imports enable row level security;
create policy workspace_isolation on crm.web_imports for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.web_imports to service_role;

-- /admin: the workspace (its join policy) and every member, active or not.
create function api.web_admin_team(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  perform crm.require_admin(me);
  return jsonb_build_object('workspace', api.workspace_get(ctx, '{}'),
    'members', api.members_list(ctx, '{"active": "all"}') -> 'items');
end
$$;

-- /admin/connections: the Slack team(s) installed, every mailbox's sync,
-- every linked channel's capture. Never a token.
create function api.web_admin_connections(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  perform crm.require_admin(me);
  return jsonb_build_object(
    'slack', coalesce((select jsonb_agg(jsonb_build_object('teamId', s.team_id, 'teamName', s.team_name, 'installedAt', s.installed_at)
        order by s.installed_at, s.team_id)
      from slack_installations s where s.workspace_id = me.workspace_id), '[]'::jsonb),
    'mailboxes', api.mailboxes_list(ctx, '{}') -> 'items',
    'channels', api.channel_links_list(ctx, '{}') -> 'items');
end
$$;

create function crm.web_import_json(i crm.web_imports) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object('id', i.id, 'fileName', i.file_name, 'status', i.status, 'phase', i.phase, 'done', i.done,
    'total', i.total, 'report', i.report, 'error', i.error, 'createdAt', i.created_at, 'updatedAt', i.updated_at,
    'member', crm.member_brief(i.workspace_id, i.member_id))
$$;

-- An import from the upload form begins (admins, as imports from a page are theirs to run).
create function api.web_import_start(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  i crm.web_imports;
begin
  perform crm.require_admin(me);
  -- the workspace keeps its latest imports' pages, not every one ever run
  delete from web_imports where workspace_id = me.workspace_id and created_at < now() - interval '30 days';
  insert into web_imports (workspace_id, member_id, file_name)
    values (me.workspace_id, me.id, left(nullif(args ->> 'fileName', ''), 255)) returning * into i;
  return crm.web_import_json(i);
end
$$;

-- How far it has gone: a phase (parse, validate, write) and done of total in it.
create function api.web_import_progress(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  update web_imports set phase = args ->> 'phase', done = greatest((args ->> 'done')::numeric, 0),
      total = greatest((args ->> 'total')::numeric, 0), updated_at = now()
    where workspace_id = me.workspace_id and member_id = me.id and id = (args ->> 'id')::uuid and status = 'running';
  return jsonb_build_object('ok', true);
end
$$;

-- It ended: with its report, or with the reason the file could not be read.
create function api.web_import_finish(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  i crm.web_imports;
begin
  update web_imports set status = case when args ? 'report' then 'done' else 'failed' end,
      report = args -> 'report', error = args -> 'error', updated_at = now()
    where workspace_id = me.workspace_id and member_id = me.id and id = (args ->> 'id')::uuid and status = 'running'
    returning * into i;
  return coalesce(crm.web_import_json(i), 'null'::jsonb);
end
$$;

-- /admin/imports/:id: one import of this workspace, for its admins.
create function api.web_import_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  i crm.web_imports;
begin
  perform crm.require_admin(me);
  select * into i from web_imports where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid;
  if i.id is null then
    perform crm.fail(404, 'web_import_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  return crm.web_import_json(i);
end
$$;

do $$
declare f text;
begin
  foreach f in array array[
    'api.web_admin_team(jsonb, jsonb)', 'api.web_admin_connections(jsonb, jsonb)', 'crm.web_import_json(crm.web_imports)',
    'api.web_import_start(jsonb, jsonb)', 'api.web_import_progress(jsonb, jsonb)', 'api.web_import_finish(jsonb, jsonb)',
    'api.web_import_get(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
