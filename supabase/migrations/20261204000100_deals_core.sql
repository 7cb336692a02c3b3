-- Accounts and deals (issue 18), the tables every part builds on: a
-- workspace's pipeline, its deals, who takes part in each, and every stage
-- change kept. The functions that read and write them come in the
-- migrations after this one; the companies' own new columns (domains,
-- industry, owner...) come with the account functions.
--
-- A deal is open, won or lost (status); while open it sits at one stage of
-- the workspace's pipeline, and a closed deal keeps the stage it was closed
-- from, so "lost at proposal" stays answerable. Stages are the workspace's:
-- an ordered list with a win probability each, named in the workspace's
-- language when it was made, changed by an admin. Amounts are integers in
-- the currency's minor units (ISO 4217: cents for USD, none for JPY), never
-- converted.

create table crm.pipeline_stages (
  workspace_id uuid not null references crm.workspaces (id),
  -- the stable key deals point at; renaming a stage changes its name only
  key text not null check (key ~ '^[a-z0-9_]{1,40}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  position int not null check (position >= 0),
  -- percent: the weight of an open deal at this stage in the weighted pipeline value
  probability int not null check (probability between 0 and 100),
  primary key (workspace_id, key),
  unique (workspace_id, position) deferrable initially deferred
);

create table crm.deals (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  name text not null check (length(btrim(name)) between 1 and 300),
  company_id uuid,
  owner_id uuid,
  -- minor units of currency; both or neither
  amount bigint check (amount >= 0 and amount < 1000000000000000),
  currency text check (currency ~ '^[A-Z]{3}$'),
  stage text not null,
  status text not null default 'open' check (status in ('open', 'won', 'lost')),
  -- expected close while open; the day it closed once won or lost
  close_date date,
  closed_at timestamptz,
  close_reason text check (length(close_reason) <= 1000),
  -- "Snooze" in the digest's stalled deals: not stalled again before this
  snoozed_until timestamptz,
  stage_changed_at timestamptz not null default now(),
  source text not null default 'api' check (source in ('slack', 'gmail', 'api', 'import', 'manual', 'web')),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, id),
  check ((amount is null) = (currency is null)),
  check ((status = 'open') = (closed_at is null)),
  foreign key (workspace_id, company_id) references crm.companies (workspace_id, id),
  foreign key (workspace_id, owner_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id),
  foreign key (workspace_id, stage) references crm.pipeline_stages (workspace_id, key)
);
create index deals_owner_idx on crm.deals (workspace_id, owner_id, status, stage);
create index deals_company_idx on crm.deals (workspace_id, company_id, status);
create index deals_open_close_idx on crm.deals (workspace_id, close_date) where status = 'open';
create index deals_closed_idx on crm.deals (workspace_id, closed_at) where status <> 'open';
create index deals_stage_idx on crm.deals (workspace_id, stage);
create index deals_created_by_idx on crm.deals (workspace_id, created_by) where created_by is not null;

-- the people of a deal and their part in it
create table crm.deal_contacts (
  workspace_id uuid not null references crm.workspaces (id),
  deal_id uuid not null,
  contact_id uuid not null,
  role text check (role in ('decision_maker', 'champion', 'influencer', 'user', 'technical', 'finance', 'blocker', 'other')),
  added_at timestamptz not null default now(),
  primary key (workspace_id, deal_id, contact_id),
  foreign key (workspace_id, deal_id) references crm.deals (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references crm.contacts (workspace_id, id)
);
create index deal_contacts_contact_idx on crm.deal_contacts (workspace_id, contact_id);

-- every move of a deal: stage to stage, or open to won or lost (and back)
create table crm.deal_stage_changes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references crm.workspaces (id),
  deal_id uuid not null,
  actor_member_id uuid,
  source text not null check (source in ('slack', 'gmail', 'api', 'import', 'manual', 'web')),
  at timestamptz not null default now(),
  -- null from_* on the deal's creation
  from_stage text,
  to_stage text not null,
  from_status text check (from_status in ('open', 'won', 'lost')),
  to_status text not null check (to_status in ('open', 'won', 'lost')),
  foreign key (workspace_id, deal_id) references crm.deals (workspace_id, id) on delete cascade,
  foreign key (workspace_id, actor_member_id) references crm.members (workspace_id, id)
);
create index deal_stage_changes_deal_idx on crm.deal_stage_changes (workspace_id, deal_id, at desc);
create index deal_stage_changes_actor_idx on crm.deal_stage_changes (workspace_id, actor_member_id) where actor_member_id is not null;

alter table crm.pipeline_stages enable row level security;
create policy workspace_isolation on crm.pipeline_stages for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
alter table crm.deals enable row level security;
create policy workspace_isolation on crm.deals for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
alter table crm.deal_contacts enable row level security;
create policy workspace_isolation on crm.deal_contacts for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
alter table crm.deal_stage_changes enable row level security;
create policy workspace_isolation on crm.deal_stage_changes for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.pipeline_stages to service_role;
grant select, insert, update, delete on table crm.deals to service_role;
grant select, insert, update, delete on table crm.deal_contacts to service_role;
grant select, insert on table crm.deal_stage_changes to service_role;

-- The pipeline a workspace starts with, named in its language: five open
-- stages from a qualified lead to a verbal yes, weighted as most B2B teams
-- start (and then change).
create function crm.default_pipeline(loc text)
returns table (key text, name text, "position" int, probability int)
language sql immutable set search_path = pg_catalog as $$
  select s.key, case loc when 'ja' then s.ja when 'zh' then s.zh else s.en end, s.pos, s.p
  from (values
    ('qualified', 'Qualified', '見込みあり', '已确认需求', 0, 10),
    ('meeting', 'Meeting held', '商談済み', '已会面', 1, 25),
    ('proposal', 'Proposal sent', '提案済み', '已提交方案', 2, 50),
    ('negotiation', 'Negotiation', '交渉中', '谈判中', 3, 75),
    ('commit', 'Verbal yes', '内諾', '口头承诺', 4, 90)
  ) as s (key, en, ja, zh, pos, p)
$$;
revoke execute on function crm.default_pipeline(text) from public;
grant execute on function crm.default_pipeline(text) to service_role;

create function crm.pipeline_for_new_workspace() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
begin
  insert into pipeline_stages (workspace_id, key, name, position, probability)
  select new.id, d.key, d.name, d."position", d.probability from crm.default_pipeline(new.default_locale) d;
  return null;
end $$;
revoke execute on function crm.pipeline_for_new_workspace() from public;
grant execute on function crm.pipeline_for_new_workspace() to service_role;
create trigger workspaces_default_pipeline after insert on crm.workspaces
  for each row execute function crm.pipeline_for_new_workspace();

-- the workspaces that exist already
insert into crm.pipeline_stages (workspace_id, key, name, position, probability)
select w.id, d.key, d.name, d."position", d.probability
from crm.workspaces w cross join lateral crm.default_pipeline(w.default_locale) d;

-- A deal as every list, card and digest shows it (the deal's own page adds
-- its contacts and stage history): its company and owner in brief, and its
-- stage's name and probability as the pipeline has them now.
create function crm.deal_json(d crm.deals) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
begin
  return (select jsonb_build_object(
    'id', d.id, 'name', d.name,
    'company', case when d.company_id is not null then crm.company_json(d.workspace_id, d.company_id) end,
    'owner', case when d.owner_id is not null then crm.member_brief(d.workspace_id, d.owner_id) end,
    'amount', d.amount, 'currency', d.currency,
    'stage', d.stage, 'stageName', s.name, 'probability', s.probability,
    'status', d.status, 'closeDate', d.close_date, 'closedAt', d.closed_at, 'closeReason', d.close_reason,
    'snoozedUntil', d.snoozed_until, 'stageChangedAt', d.stage_changed_at,
    'createdAt', d.created_at, 'updatedAt', d.updated_at)
  from pipeline_stages s where s.workspace_id = d.workspace_id and s.key = d.stage);
end $$;
revoke execute on function crm.deal_json(crm.deals) from public;
grant execute on function crm.deal_json(crm.deals) to service_role;
