-- The role PostgREST logs in as, made the way Supabase makes it.
--
-- Why: a Supabase project has `authenticator` (LOGIN NOINHERIT, a member of
-- anon, authenticated and service_role): PostgREST connects as it and switches
-- to the role a request's JWT names, so with NOINHERIT it holds no privilege of
-- its own until it does. On PGlite and a plain PostgreSQL the foundation
-- migration makes the three request roles but not this one; making it here
-- (without LOGIN: nothing connects through it outside Supabase) lets the
-- security tests check the same role graph on every database. On Supabase the
-- role exists already and nothing here runs.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator nologin noinherit;
    grant anon, authenticated, service_role to authenticator;
  end if;
end
$$;
