-- crm.cjk_grams in one pass over the name's characters.
--
-- The first definition (20261124001920_search_walk_first.sql) took each
-- character and pair with substr(k, i, n), which walks the string from its
-- start every time in a multibyte encoding, and tested each with crm.has_cjk,
-- a function with its own search_path that PostgreSQL calls rather than
-- inlines. A 300-character CJK name cost ~6.5 ms on PGlite per evaluation,
-- and it is evaluated whenever a contact row is written: logging one email
-- with 1,000 new recipients whose names were 290 CJK characters took 15.5 s
-- on the embedded database (the Gmail add-on's request timed out under load).
-- Splitting once with string_to_array(k, null) and pairing neighbours with
-- lead() gives the same array for every input (test/backend/cjk-grams.test.ts
-- holds it to the first definition, so contacts_cjk_grams stays valid without
-- a rebuild): ~1.4 ms for that name, and that capture 3.9 s.
create or replace function crm.cjk_grams(ws uuid, k text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$
  select case when k !~ '[⺀-鿿가-힯豈-﫿ｦ-ﾟ]' then '{}'::text[] else coalesce((
    select array_agg(distinct left(ws::text, 8) || ':' || g)
    from (
      select c as g from unnest(string_to_array(k, null)) c
      union all
      select c || n from (
        select c, lead(c) over (order by o) as n from unnest(string_to_array(k, null)) with ordinality u(c, o)
      ) pairs where n is not null
    ) x
    where g ~ '[⺀-鿿가-힯豈-﫿ｦ-ﾟ]'), '{}'::text[]) end
$$;
