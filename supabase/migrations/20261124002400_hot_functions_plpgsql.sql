-- The small helpers every read and capture calls (a member's brief, a contact's
-- JSON and card, the viewer's team, address and name normalisation, the audit
-- insert, ...) become PL/pgSQL wrappers of the very same statement.
--
-- Why: each is a one-statement SQL function with a fixed search_path (the
-- schema-security test requires it), and a SQL function with a SET clause is
-- never inlined, so PostgreSQL parses and plans its statement again in every
-- query that calls it. A contact card called ~8 of them; the Gmail sidebar
-- builds 7 cards, so most of its database time was planning. PL/pgSQL keeps
-- each statement's plan for the session. Measured on the benchmark's data
-- (1,000,000 contacts, one connection, old and new definitions applied in
-- turn three times): the Gmail context of 10 participants 10.1-10.3 -> 6.6-7.3
-- ms, a contact card 1.06-1.11 -> 0.73-0.74 ms, a lookup by email 0.32-0.34 ->
-- 0.16-0.24 ms; timeline and search pages about the same.
--
-- The conversion is mechanical and checked: the body is taken from the catalogue
-- as the earlier migrations left it, so each function still does exactly what
-- its definition there says (read those for what they do); volatility, parallel
-- safety, strictness, SET clauses, argument defaults and grants are kept. A
-- scalar body becomes `return (<statement>)`, a set-returning one `return
-- query <statement>`, a void one the statement itself. Every body here yields
-- at most one row (a primary-key lookup or an expression), so `return (...)`
-- cannot meet a second row where the SQL function would have taken the first.
-- A listed function that is missing, or not one SQL statement, stops the
-- migration.
do $$
declare
  wanted text[] := array[
    -- JSON for the API, cards and timelines
    'member_brief', 'member_json', 'principal_json', 'contact_brief', 'company_json', 'contact_json',
    'contact_summary', 'contact_card', 'follow_up_json', 'interaction_json', 'capture_repeat',
    -- visibility
    'team_of', 'managers_of', 'can_see',
    -- normalisation: search, lookup, capture, duplicates
    'fold', 'like_escape', 'has_cjk', 'name_words', 'norm_email', 'email_domain', 'is_internal',
    'is_free_mail', 'dedupe_key', 'calling_code', 'phone_digit_forms',
    -- every request and every change
    'ctx_now', 'ctx_source', 'audit'];
  f record;
  body text;
  settings text;
  done int := 0;
begin
  for f in
    select p.proname, p.proretset, p.provolatile, p.proparallel, p.proisstrict, p.proconfig, p.prosrc,
      pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where n.nspname = 'crm' and l.lanname = 'sql' and p.proname = any (wanted)
  loop
    body := regexp_replace(btrim(f.prosrc, E' \t\r\n'), ';\s*$', '');
    if strpos(regexp_replace(body, '''[^'']*''', '', 'g'), ';') > 0 then
      raise exception 'crm.% is more than one SQL statement; convert it by hand', f.proname;
    end if;
    select coalesce(string_agg(format('  set %s = %s', split_part(c, '=', 1), substr(c, strpos(c, '=') + 1)), E'\n'), '')
      into settings
    from unnest(f.proconfig) c;
    execute format(E'create or replace function crm.%I(%s) returns %s\n  language plpgsql %s%s%s\n%s\nas %L',
      f.proname, f.args, f.result,
      case f.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
      case when f.proparallel = 's' then ' parallel safe' else '' end,
      case when f.proisstrict then ' strict' else '' end,
      settings,
      case
        when f.proretset then format(E'begin\n  return query %s;\nend', body)
        when f.result = 'void' then format(E'begin\n  %s;\nend', body)
        else format(E'begin\n  return (%s);\nend', body)
      end);
    done := done + 1;
  end loop;
  if done <> cardinality(wanted) then
    raise exception 'converted % of % functions to PL/pgSQL: one is missing or is no longer SQL', done, cardinality(wanted);
  end if;
end
$$;
