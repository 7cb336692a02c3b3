-- Companies as first-class accounts (issue 18): what an account is.
--
-- A company gains what a rep fills in about an account (industry, size as a
-- fixed set of employee ranges, owner, tags, custom fields), when it last
-- changed, and merged_into_id (a merged company stays, pointing at the one it
-- was merged into, so the merge can be undone).
--
-- match_key is the name with its legal form taken off and its width folded, so
-- "Acme", "ACME Inc.", "Ａｃｍｅ Corporation" share "acme" and "株式会社アクメ",
-- "アクメ(株)" and "ｱｸﾒ株式会社" share "アクメ": duplicate companies are found by
-- it (an equal key) and a typed company name finds its company through it.
--
-- Several domains per company: crm.company_domains holds every domain of a
-- company (unique per workspace), and capture files a contact under the
-- company holding its address's domain. companies.domain stays as the primary
-- domain (the one crm.company_json shows, so its callers read what they
-- read before); it is always one of the company's rows in company_domains,
-- which a trigger keeps true for every writer of companies (capture, import,
-- the API).

-- '(株)' and '㈱' become '(株)' under NFKC; punctuation becomes a word break, so
-- "K.K." is "k k" and "Co., Ltd." is "co ltd" before the forms come off.
-- Example: crm.company_key('ＡＣＭＥ Co., Ltd.') = 'acme'
create function crm.company_key(t text) returns text
language plpgsql immutable parallel safe
set search_path = pg_catalog
as $$
declare
  s text := lower(normalize(coalesce(t, ''), NFKC));
  prev text;
  k text;
begin
  s := btrim(regexp_replace(s, '[-[:space:].,''"()&/!?:;_·・、。，．「」『』【】〔〕]+', ' ', 'g'));
  loop
    prev := s;
    -- Latin legal forms as whole words, at either end
    s := btrim(regexp_replace(s,
      '(^|\s)(incorporated|inc|corporation|corp|company|co|limited|ltd|llc|l l c|llp|gmbh|ag|k k|kk|plc|pte|pty|s a|sa|sas|sarl|srl|spa|bv|nv|oy|ab)$', ''));
    s := btrim(regexp_replace(s, '^(the)\s', ''));
    -- CJK legal forms, longest first, with or without a space
    s := btrim(regexp_replace(s,
      '(股份有限公司|有限责任公司|有限責任公司|集团有限公司|集團有限公司|株式会社|有限会社|合同会社|合資会社|合名会社|有限公司|集团|集團|公司)$', ''));
    s := btrim(regexp_replace(s,
      '^(株式会社|有限会社|合同会社|合資会社|合名会社)', ''));
    -- '(株)' and '(有)' left as a word of their own
    s := btrim(regexp_replace(s, '(^|\s)(株|有)$', ''));
    s := btrim(regexp_replace(s, '^(株|有)\s', ''));
    exit when s = prev;
  end loop;
  k := replace(s, ' ', '');
  -- a name that is only a legal form keeps itself
  return case when k = '' then regexp_replace(lower(normalize(coalesce(t, ''), NFKC)), '\s+', '', 'g') else k end;
end
$$;
revoke execute on function crm.company_key(text) from public;
grant execute on function crm.company_key(text) to service_role;

alter table crm.companies
  add column industry text check (length(btrim(industry)) between 1 and 100),
  add column size text check (size in ('1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001-10000', '10001+')),
  add column owner_id uuid,
  add column tags text[] not null default '{}',
  add column custom jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  add column updated_at timestamptz not null default now(),
  add column merged_into_id uuid,
  add column match_key text generated always as (crm.company_key(name)) stored,
  add foreign key (workspace_id, owner_id) references crm.members (workspace_id, id),
  add foreign key (workspace_id, merged_into_id) references crm.companies (workspace_id, id);

create index companies_owner_idx on crm.companies (workspace_id, owner_id) where owner_id is not null;
create index companies_merged_into_idx on crm.companies (workspace_id, merged_into_id) where merged_into_id is not null;
-- duplicates by key, and a typed name finding its company
create index companies_match_key_idx on crm.companies (workspace_id, match_key) where merged_into_id is null;
-- a name without its legal form found inside a longer one ('acme' in 'acmerobotics')
create index companies_match_key_trgm on crm.companies using gin (match_key extensions.gin_trgm_ops) where merged_into_id is null;
-- the account list in name order
create index companies_list_idx on crm.companies (workspace_id, name_key, id) where merged_into_id is null;
-- one or two CJK characters, as contacts are searched
create index companies_cjk_grams on crm.companies using gin (crm.cjk_grams(workspace_id, name_key)) where merged_into_id is null;

create table crm.company_domains (
  workspace_id uuid not null references crm.workspaces (id),
  domain text not null check (domain = lower(domain) and domain ~ '^[^\s@/]+\.[^\s@/.]+$' and length(domain) <= 253),
  company_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, domain),
  -- a company deleted (an import undone takes the companies it made) takes its domains with it
  foreign key (workspace_id, company_id) references crm.companies (workspace_id, id) on delete cascade
);
create index company_domains_company_idx on crm.company_domains (workspace_id, company_id);
create index company_domains_trgm on crm.company_domains using gin (domain extensions.gin_trgm_ops);
alter table crm.company_domains enable row level security;
create policy workspace_isolation on crm.company_domains for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.company_domains to service_role;

insert into crm.company_domains (workspace_id, domain, company_id, created_at)
select workspace_id, domain, id, created_at from crm.companies where domain is not null
on conflict do nothing;

-- a company's primary domain is always one of its domains, whoever writes it
create function crm.company_domain_sync() returns trigger
language plpgsql
set search_path = crm, pg_catalog
as $$
begin
  if new.domain is not null then
    insert into company_domains (workspace_id, domain, company_id)
    values (new.workspace_id, new.domain, new.id)
    on conflict (workspace_id, domain) do nothing;
  end if;
  return null;
end
$$;
revoke execute on function crm.company_domain_sync() from public;
grant execute on function crm.company_domain_sync() to service_role;

create trigger companies_domain_sync after insert or update of domain on crm.companies
  for each row execute function crm.company_domain_sync();

-- A writer that does not know company_domains (an import matching companies
-- by their primary domain) may make a company at a domain another company
-- already holds as a second domain: that company is made without the domain
-- (found again as a duplicate by its name), never with a domain two
-- companies would share.
create function crm.company_domain_free() returns trigger
language plpgsql
set search_path = crm, pg_catalog
as $$
begin
  if new.domain is not null and exists (
    select 1 from company_domains d
    where d.workspace_id = new.workspace_id and d.domain = new.domain and d.company_id <> new.id) then
    new.domain := null;
  end if;
  return new;
end
$$;
revoke execute on function crm.company_domain_free() from public;
grant execute on function crm.company_domain_free() to service_role;

create trigger companies_domain_free before insert or update of domain on crm.companies
  for each row execute function crm.company_domain_free();

-- the account card's people, most recently in touch first
create index contacts_company_recent_idx on crm.contacts (workspace_id, company_id, last_interaction_at desc nulls last, id)
  where merged_into_id is null and company_id is not null;

-- Merges of companies, kept to undo them (crm.merges holds contacts' merges)
create table crm.company_merges (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  survivor_id uuid not null,
  merged_ids uuid[] not null check (cardinality(merged_ids) between 1 and 20),
  snapshot jsonb not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by uuid,
  unique (workspace_id, id),
  foreign key (workspace_id, survivor_id) references crm.companies (workspace_id, id),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id),
  foreign key (workspace_id, undone_by) references crm.members (workspace_id, id)
);
create index company_merges_survivor_idx on crm.company_merges (workspace_id, survivor_id, created_at desc);
create index company_merges_created_by_idx on crm.company_merges (workspace_id, created_by) where created_by is not null;
create index company_merges_undone_by_idx on crm.company_merges (workspace_id, undone_by) where undone_by is not null;
alter table crm.company_merges enable row level security;
create policy workspace_isolation on crm.company_merges for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.company_merges to service_role;
