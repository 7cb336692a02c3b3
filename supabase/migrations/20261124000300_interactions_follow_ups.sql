-- Interactions (email, Slack message, call, meeting, note), who took part in
-- them, and follow-ups.
--
-- Capturing the same thing twice never makes a second row: dedupe_key is unique
-- per workspace. Emails are keyed by their RFC 822 Message-ID whatever mailbox or
-- source logged them ('email:<message-id>'), Slack messages by team, channel and
-- ts ('slack:T1:C1:1700000000.000100'), anything else by source and its own id.
-- Participants keep what the source said (address or Slack id, display name)
-- beside what Rapport matched it to (a contact or a member), so a later match
-- or merge can be explained and redone. occurred_at is copied onto participant
-- rows so a contact's timeline is one ordered index scan.

create table crm.interactions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  kind text not null check (kind in ('email', 'slack', 'call', 'meeting', 'note')),
  direction text not null check (direction in ('inbound', 'outbound', 'internal')),
  occurred_at timestamptz not null,
  subject text check (length(subject) <= 1000),
  body text check (length(body) <= 200000),
  source text not null check (source in ('gmail', 'slack', 'api', 'manual', 'import')),
  external_id text not null check (length(external_id) between 1 and 1000),
  dedupe_key text not null,
  thread_key text check (length(thread_key) <= 1000),
  url text check (length(url) <= 2000),
  visibility text not null default 'workspace' check (visibility in ('workspace', 'private')),
  author_id uuid,
  created_at timestamptz not null default now(),
  unique (workspace_id, id),
  unique (workspace_id, dedupe_key),
  foreign key (workspace_id, author_id) references crm.members (workspace_id, id)
);
create index interactions_thread_idx on crm.interactions (workspace_id, thread_key) where thread_key is not null;
create index interactions_recent_idx on crm.interactions (workspace_id, occurred_at desc);

create table crm.interaction_participants (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references crm.workspaces (id),
  interaction_id uuid not null,
  occurred_at timestamptz not null,
  role text not null check (role in ('from', 'to', 'cc', 'author', 'mention')),
  address text check (address is null or address = lower(address)),
  slack_user_id text,
  display_name text check (length(display_name) <= 300),
  contact_id uuid,
  member_id uuid,
  check (address is not null or slack_user_id is not null),
  foreign key (workspace_id, interaction_id) references crm.interactions (workspace_id, id),
  foreign key (workspace_id, contact_id) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create unique index participants_uq on crm.interaction_participants
  (interaction_id, role, coalesce(address, ''), coalesce(slack_user_id, ''));
create index participants_contact_idx on crm.interaction_participants
  (workspace_id, contact_id, occurred_at desc, interaction_id) where contact_id is not null;
create index participants_address_idx on crm.interaction_participants (workspace_id, address) where address is not null;
create index participants_member_idx on crm.interaction_participants (workspace_id, member_id) where member_id is not null;

create table crm.follow_ups (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  contact_id uuid not null,
  owner_id uuid not null,
  due_at timestamptz not null,
  note text check (length(note) <= 5000),
  status text not null default 'open' check (status in ('open', 'done', 'canceled')),
  source_interaction_id uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  completed_by uuid,
  unique (workspace_id, id),
  check ((status = 'open') = (completed_at is null)),
  foreign key (workspace_id, contact_id) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, owner_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, source_interaction_id) references crm.interactions (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id),
  foreign key (workspace_id, completed_by) references crm.members (workspace_id, id)
);
create index follow_ups_open_owner_idx on crm.follow_ups (workspace_id, owner_id, due_at) where status = 'open';
create index follow_ups_contact_idx on crm.follow_ups (workspace_id, contact_id, created_at desc);
