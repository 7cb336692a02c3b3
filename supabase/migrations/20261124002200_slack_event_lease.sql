-- Slack event claims become leases that end when the event is handled.
--
-- Before, the first delivery of an event id claimed it for good, and a failed
-- handling released the claim. When the database went away in between (the
-- handling failed *and* the release failed) the claim stayed, every retry of
-- the event was dropped as already handled, and the message was lost; the
-- reliability run (test/reliability) lost one that way across a restart.
-- Now a claim records when its handling finished (handled_at). A delivery of
-- a claimed event is answered:
--   first  the claim is new, or an unfinished one older than leaseSeconds
--          (default 10: the first handler died or could not release it);
--   busy   an unfinished claim within its lease: the app asks Slack to retry
--          later (500) instead of acknowledging an event nobody finished;
--   neither: handled already, the retry is dropped.

alter table crm.slack_events add column handled_at timestamptz;
-- claims made before this migration were handled or released
update crm.slack_events set handled_at = received_at;

-- {teamId, eventId, workspaceId?, leaseSeconds?} -> {first, busy}
create or replace function api.slack_event_lease(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 10), 1), 3600));
  added int;
  handled timestamptz;
begin
  delete from slack_events where received_at < now() - interval '3 days';
  insert into slack_events as e (team_id, event_id, workspace_id)
  values (args ->> 'teamId', args ->> 'eventId', (args ->> 'workspaceId')::uuid)
  on conflict (team_id, event_id) do update set received_at = now()
    where e.handled_at is null and e.received_at < now() - lease;
  get diagnostics added = row_count;
  if added = 1 then
    return jsonb_build_object('first', true, 'busy', false);
  end if;
  select handled_at into handled from slack_events where team_id = args ->> 'teamId' and event_id = args ->> 'eventId';
  return jsonb_build_object('first', false, 'busy', handled is null);
end
$$;

-- {teamId, eventId}: the event's handling finished; its retries are dropped.
create or replace function api.slack_event_handled(args jsonb) returns jsonb
  language sql
  set search_path = crm, pg_catalog
as $$
  with u as (update slack_events set handled_at = now()
             where team_id = args ->> 'teamId' and event_id = args ->> 'eventId' returning 1)
  select to_jsonb(exists (select 1 from u))
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
