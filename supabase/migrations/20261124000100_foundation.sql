-- Foundation: extensions, schemas and the roles every later migration refers to.
--
-- Why: Rapport runs the same SQL on three databases (PGlite, a plain PostgreSQL,
-- a Supabase project). Supabase already has the roles anon, authenticated and
-- service_role and keeps extensions in the schema "extensions"; on the other two
-- we create the same names (no login) so grants and policies read the same
-- everywhere.
--   crm  holds the tables. It is never exposed through PostgREST.
--   api  holds the functions the backend calls, one per request. Only the
--        backend's role may execute them (see the api migrations).

create schema if not exists extensions;
create extension if not exists pg_trgm with schema extensions;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

create schema if not exists crm;
create schema if not exists api;

revoke all on schema crm from public;
revoke all on schema api from public;
grant usage on schema api to service_role;
grant usage on schema crm to service_role;
grant usage on schema extensions to service_role;

-- Text folded for search and matching: NFKC (full-width -> half-width, half-width
-- katakana -> full-width), lower case, no white space.
--   crm.fold('  Ｔａｎａｋａ 太郎 ') = 'tanaka太郎'
create or replace function crm.fold(t text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select lower(regexp_replace(normalize(coalesce(t, ''), NFKC), '\s+', '', 'g')) $$;

-- A LIKE pattern that matches s literally.
create or replace function crm.like_escape(s text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select replace(replace(replace(s, '\', '\\'), '%', '\%'), '_', '\_') $$;

-- The domain of an address: crm.email_domain('Jane@Acme.co.jp') = 'acme.co.jp'
create or replace function crm.email_domain(email text) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select nullif(lower(split_part(email, '@', 2)), '') $$;

revoke execute on all functions in schema crm from public;
grant execute on all functions in schema crm to service_role;
