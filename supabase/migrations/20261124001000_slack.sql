-- Slack: which Slack team is which workspace, which events were already
-- handled, which channels are captured, and interactions that Slack edits or
-- deletes.
--
-- A Slack team maps to one workspace. In single-workspace mode (a bot token in
-- the environment) the team binds to the only workspace on first use; the
-- "Add to Slack" flow stores the bot token encrypted (the server holds the key;
-- the database only ever sees ciphertext).
-- Slack retries an event until it is acknowledged: slack_events remembers each
-- (team, event_id) so a retry has no second effect.
-- A message deleted in Slack leaves the timeline (deleted_at) but its capture,
-- and the deletion, stay in the audit log.

create table crm.slack_installations (
  team_id text primary key check (team_id ~ '^[TE][A-Z0-9]{2,20}$'),
  workspace_id uuid not null references crm.workspaces (id),
  team_name text,
  enterprise_id text,
  bot_user_id text,
  bot_id text,
  bot_token_enc text,
  scopes text,
  installed_by text,
  installed_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index slack_installations_ws_idx on crm.slack_installations (workspace_id);

create table crm.slack_events (
  team_id text not null,
  event_id text not null,
  workspace_id uuid references crm.workspaces (id),
  received_at timestamptz not null default now(),
  primary key (team_id, event_id)
);
create index slack_events_received_idx on crm.slack_events (received_at);

create table crm.slack_channel_links (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  team_id text not null,
  channel_id text not null check (channel_id ~ '^[CGD][A-Z0-9]{2,20}$'),
  channel_name text,
  company_id uuid,
  contact_id uuid,
  is_ext_shared boolean not null default false,
  linked_by uuid,
  linked_at timestamptz not null default now(),
  last_captured_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  unique (team_id, channel_id),
  check ((company_id is null) <> (contact_id is null)),
  foreign key (workspace_id, company_id) references crm.companies (workspace_id, id),
  foreign key (workspace_id, contact_id) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, linked_by) references crm.members (workspace_id, id)
);
create index slack_channel_links_ws_idx on crm.slack_channel_links (workspace_id);

-- 'chosen' when the member picked a language with /crm lang; then Slack's own
-- locale no longer overrides it
alter table crm.members add column locale_chosen boolean not null default false;

alter table crm.interactions add column deleted_at timestamptz;
alter table crm.interactions add column edited_at timestamptz;

do $$
declare
  t text;
begin
  foreach t in array array['slack_installations', 'slack_events', 'slack_channel_links'] loop
    execute format('alter table crm.%I enable row level security', t);
    execute format(
      'create policy workspace_isolation on crm.%I using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id())', t);
  end loop;
end
$$;
revoke all on crm.slack_installations, crm.slack_events, crm.slack_channel_links from public, anon, authenticated;
grant select, insert, update, delete on crm.slack_installations, crm.slack_events, crm.slack_channel_links to service_role;

-- args: {teamId, teamName?}. The workspace of a Slack team; binds the team to
-- the only workspace when there is exactly one and the team is new.
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
    if (select count(*) from workspaces) <> 1 then
      return null;
    end if;
    select id into only_ws from workspaces;
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

-- args: {workspaceId, slackUserId, email?, slackLocale?}. The member a Slack
-- user is: by stored Slack id, else by their Slack profile email (then the id is
-- stored). Slack's locale becomes the member's unless they chose one.
create or replace function api.slack_member(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (args ->> 'workspaceId')::uuid;
  m crm.members;
  loc text := case when args ->> 'slackLocale' like 'ja%' then 'ja' when args ->> 'slackLocale' like 'zh%' then 'zh'
                   when args ->> 'slackLocale' is not null then 'en' end;
begin
  select * into m from members where workspace_id = ws and slack_user_id = args ->> 'slackUserId' and active;
  if m.id is null and args ->> 'email' is not null then
    select * into m from members where workspace_id = ws and lower(email) = lower(args ->> 'email') and active
      and (slack_user_id is null or slack_user_id = args ->> 'slackUserId');
    if m.id is null then
      return null;
    end if;
    update members set slack_user_id = args ->> 'slackUserId' where id = m.id returning * into m;
  end if;
  if m.id is null then
    return null;
  end if;
  if loc is not null and not m.locale_chosen and m.locale <> loc then
    update members set locale = loc where id = m.id returning * into m;
  end if;
  return crm.principal_json(m) || jsonb_build_object('timezone', m.timezone, 'name', m.display_name);
end
$$;

-- args: {teamId, eventId, workspaceId?}: true the first time an event is seen.
create or replace function api.slack_event_claim(args jsonb) returns jsonb
  language sql
  set search_path = crm, pg_catalog
as $$
  with ins as (
    insert into slack_events (team_id, event_id, workspace_id)
    values (args ->> 'teamId', args ->> 'eventId', (args ->> 'workspaceId')::uuid)
    on conflict do nothing
    returning 1
  )
  select to_jsonb(exists (select 1 from ins))
$$;

-- {locale}: what the member reads Rapport in, chosen by them.
create or replace function api.member_set_locale(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
begin
  update members set locale = args ->> 'locale', locale_chosen = true where id = me.id returning * into me;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'set_locale', null,
    jsonb_build_object('locale', me.locale));
  return crm.member_json(me);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
