-- Rate limits shared by every copy of the backend.
--
-- Each server process counts requests per key (an API token, a member, a
-- workspace) and per fixed one-minute window in its own memory, and adds its
-- increments here in one call every few hundred milliseconds (sooner when a
-- key nears its limit: see backend/auth/rate-limit.ts). The call answers each
-- key's total across all copies, so no request writes to the database and no
-- row is updated more often than each copy's flush interval.
-- Keys never hold a credential: 'token:<sha-256 prefix>', 'member:<id>',
-- 'ws:<id>'. Windows older than the previous minute are deleted by the flush.

create table crm.rate_counters (
  key text not null check (length(key) <= 200),
  window_start timestamptz not null,
  n int not null check (n >= 0),
  primary key (key, window_start)
);
create index rate_counters_window_idx on crm.rate_counters (window_start);
alter table crm.rate_counters enable row level security;
-- counters belong to no workspace: a session scoped to one (RLS) sees none of them
create policy no_workspace on crm.rate_counters
  using (crm.current_workspace_id() is null) with check (crm.current_workspace_id() is null);
revoke all on crm.rate_counters from public, anon, authenticated;
grant select, insert, update, delete on crm.rate_counters to service_role;

-- args: {windowStart: timestamptz, counts: {<key>: <increment>, ...}}
-- returns {<key>: <total in that window across every copy>, ...}
--   api.rate_flush('{"windowStart":"2026-01-01T10:00:00Z","counts":{"ws:1":3,"token:ab":0}}')
--     = {"ws:1": 41, "token:ab": 12}
-- An increment of 0 only reads the total. Keys are taken in a fixed order so
-- two copies flushing at once cannot deadlock.
create or replace function api.rate_flush(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws timestamptz := (args ->> 'windowStart')::timestamptz;
  result jsonb;
begin
  delete from rate_counters where window_start < ws - interval '1 minute';
  with inc as (
    select e.key, greatest(0, least(1000000, (e.value)::text::int)) as n
    from jsonb_each(coalesce(args -> 'counts', '{}'::jsonb)) e
    order by e.key
  ), up as (
    insert into rate_counters (key, window_start, n)
    select key, ws, n from inc
    on conflict (key, window_start) do update set n = rate_counters.n + excluded.n
    returning key, n
  )
  select coalesce(jsonb_object_agg(key, n), '{}'::jsonb) into result from up;
  return result;
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
