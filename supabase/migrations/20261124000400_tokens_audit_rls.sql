-- Personal API tokens, the append-only audit log, and row-level security.
--
-- Tokens are stored as the SHA-256 of the token; the token itself is shown once
-- and never stored. The audit log records who changed what, through which
-- source, with the row before and after; a trigger refuses UPDATE and DELETE so
-- that history cannot be rewritten, not even by the backend.
-- RLS is on for every table. The backend's functions do their own workspace
-- scoping; the policies are the second wall: a role that is not the owner and
-- has no BYPASSRLS sees only the rows of the workspace named in the
-- transaction setting rapport.workspace_id, and anon/authenticated get no
-- grants at all.

create table crm.api_tokens (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  label text not null default 'personal token' check (length(label) <= 200),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);

create table crm.audit_log (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references crm.workspaces (id),
  actor_member_id uuid,
  source text not null,
  entity_type text not null,
  entity_id uuid not null,
  action text not null,
  before jsonb,
  after jsonb,
  at timestamptz not null default now(),
  foreign key (workspace_id, actor_member_id) references crm.members (workspace_id, id)
);
create index audit_entity_idx on crm.audit_log (workspace_id, entity_type, entity_id, at desc);
create index audit_contact_idx on crm.audit_log (workspace_id, (after ->> 'contactId'), at desc) where entity_type = 'follow_up';

create or replace function crm.audit_log_is_append_only() returns trigger
  language plpgsql
  set search_path = pg_catalog
as $$
begin
  raise exception using errcode = 'RP403', message = 'audit_append_only', detail = '{}';
end
$$;
create trigger audit_log_append_only before update or delete on crm.audit_log
  for each statement execute function crm.audit_log_is_append_only();

-- The workspace a policy compares with. Empty when no function set it, which
-- matches no row.
create or replace function crm.current_workspace_id() returns uuid
  language sql stable
  set search_path = pg_catalog
as $$ select nullif(current_setting('rapport.workspace_id', true), '')::uuid $$;

do $$
declare
  t text;
begin
  foreach t in array array['workspaces', 'members', 'companies', 'contacts', 'contact_emails',
    'interactions', 'interaction_participants', 'follow_ups', 'api_tokens', 'audit_log']
  loop
    execute format('alter table crm.%I enable row level security', t);
    execute format(
      'create policy workspace_isolation on crm.%I using (%s = crm.current_workspace_id()) with check (%s = crm.current_workspace_id())',
      t, case when t = 'workspaces' then 'id' else 'workspace_id' end,
      case when t = 'workspaces' then 'id' else 'workspace_id' end);
  end loop;
end
$$;

revoke all on all tables in schema crm from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema crm to service_role;
revoke update, delete on crm.audit_log from service_role;
grant usage on all sequences in schema crm to service_role;
grant execute on function crm.current_workspace_id() to service_role;
