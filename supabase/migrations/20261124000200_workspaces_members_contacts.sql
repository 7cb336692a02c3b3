-- Workspaces, members, companies, contacts and their email addresses.
--
-- Every row carries workspace_id, and every reference between rows is a
-- composite foreign key (workspace_id, id): a row can never point at another
-- workspace's row, whatever the code above does.
-- Email addresses are unique per workspace ignoring case; a company is unique
-- per workspace by domain. Names keep what people typed; *_key columns hold the
-- folded form (crm.fold) that search and duplicate checks use.

create table crm.workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- addresses at these domains are colleagues, never contacts
  internal_domains text[] not null default '{}',
  -- which unknown external participants of a captured interaction become contacts
  auto_create_contacts text not null default 'all'
    check (auto_create_contacts in ('all', 'senders', 'off')),
  -- these domains never make a company
  free_mail_domains text[] not null default array[
    'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.jp', 'ymail.com',
    'outlook.com', 'outlook.jp', 'hotmail.com', 'hotmail.co.jp', 'live.com', 'live.jp', 'msn.com',
    'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com',
    'gmx.de', 'mail.com', 'yandex.com', 'zoho.com', 'naver.com', 'qq.com', '163.com', '126.com',
    'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'foxmail.com', 'aliyun.com',
    'docomo.ne.jp', 'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp', 'nifty.com'
  ],
  default_timezone text not null default 'UTC',
  default_locale text not null default 'en' check (default_locale in ('en', 'ja', 'zh')),
  digest_time time not null default '09:00',
  digest_weekends boolean not null default false,
  reply_window interval not null default interval '24 hours',
  cold_after interval not null default interval '30 days',
  created_at timestamptz not null default now()
);

create table crm.members (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  display_name text not null check (length(display_name) between 1 and 200),
  role text not null default 'rep' check (role in ('rep', 'manager', 'admin')),
  manager_id uuid,
  timezone text not null default 'UTC',
  locale text not null default 'en' check (locale in ('en', 'ja', 'zh')),
  slack_user_id text,
  google_sub text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (workspace_id, id),
  foreign key (workspace_id, manager_id) references crm.members (workspace_id, id),
  check (manager_id is null or manager_id <> id)
);
create unique index members_email_uq on crm.members (workspace_id, lower(email));
create unique index members_slack_uq on crm.members (workspace_id, slack_user_id) where slack_user_id is not null;
create unique index members_google_uq on crm.members (workspace_id, google_sub) where google_sub is not null;
create index members_google_sub_idx on crm.members (google_sub) where google_sub is not null;
create index members_email_idx on crm.members (lower(email));
create index members_manager_idx on crm.members (workspace_id, manager_id) where manager_id is not null;

create table crm.companies (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  name text not null check (length(name) between 1 and 300),
  name_key text generated always as (crm.fold(name)) stored,
  -- lower case, at least one dot; internationalised domains are kept in Unicode
  domain text check (domain is null or (domain = lower(domain) and domain ~ '^[^\s@/]+\.[^\s@/.]+$' and length(domain) <= 253)),
  source text not null default 'api',
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id)
);
create unique index companies_domain_uq on crm.companies (workspace_id, domain) where domain is not null;
create index companies_name_trgm on crm.companies using gin (name_key extensions.gin_trgm_ops);

create table crm.contacts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  name text not null check (length(name) between 1 and 300),
  name_key text generated always as (crm.fold(name)) stored,
  title text check (length(title) <= 300),
  phone text check (length(phone) <= 50),
  phone_digits text generated always as (nullif(regexp_replace(coalesce(phone, ''), '\D', '', 'g'), '')) stored,
  company_id uuid,
  stage text not null default 'lead' check (stage in ('lead', 'prospect', 'customer', 'churned')),
  owner_id uuid,
  tags text[] not null default '{}',
  custom jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  timezone text,
  last_interaction_at timestamptz,
  merged_into_id uuid,
  source text not null default 'api',
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, id),
  foreign key (workspace_id, company_id) references crm.companies (workspace_id, id),
  foreign key (workspace_id, owner_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, merged_into_id) references crm.contacts (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id)
);
create index contacts_name_trgm on crm.contacts using gin (name_key extensions.gin_trgm_ops);
create index contacts_list_idx on crm.contacts (workspace_id, name_key, id);
create index contacts_company_idx on crm.contacts (workspace_id, company_id);
create index contacts_owner_idx on crm.contacts (workspace_id, owner_id);
create index contacts_tags_idx on crm.contacts using gin (tags);
create index contacts_phone_idx on crm.contacts (workspace_id, phone_digits) where phone_digits is not null;

create table crm.contact_emails (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  contact_id uuid not null,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  is_primary boolean not null default false,
  created_at timestamptz not null default now(),
  foreign key (workspace_id, contact_id) references crm.contacts (workspace_id, id)
);
create unique index contact_emails_uq on crm.contact_emails (workspace_id, lower(email));
create index contact_emails_contact_idx on crm.contact_emails (contact_id);
create index contact_emails_trgm on crm.contact_emails using gin (lower(email) extensions.gin_trgm_ops);
