-- Gmail sync's page in set-based statements (issue 16's import figure): the
-- reason each message of a page is skipped was one plpgsql call per message,
-- each reading the message's addresses twice through a SQL function that
-- could not be inlined (about 0.5 ms a message, more than storing it). Now
-- one statement answers it for the whole page, with the same rules as
-- before (crm.mail_skip_reason, which it replaces):
--   blocked   an address or domain on the workspace's or member's block list;
--   internal  no external address (the workspace's domains, colleagues and
--             their other addresses, the mailbox itself are not external);
--   unknown   under the 'known' policy, no external address is a contact's
--             and the thread has nothing captured yet.

-- A message has a handful of addresses, not the 1,000 rows PostgreSQL
-- assumes of a set-returning function: with that guess a page of 100 looked
-- like 100,000 rows and the statement was JIT-compiled on every call (20 of
-- its 27 ms).
alter function crm.gmail_addresses(jsonb) rows 5;

create or replace function crm.mail_skip_reasons(w crm.workspaces, own text, msgs jsonb, blocks text[], policy text)
returns table (n int, reason text)
language sql stable rows 100
set search_path = crm, pg_catalog
as $$
  with m as (
    select x.n::int as n,
      left('email-thread:' || lower(btrim(btrim(coalesce(nullif(btrim(x.m ->> 'threadRootId'), ''), x.m ->> 'messageId')), '<>')), 1000) as thread
    from jsonb_array_elements(coalesce(msgs, '[]')) with ordinality x(m, n)
  ), a as (
    select x.n::int as n, g.email
    from jsonb_array_elements(coalesce(msgs, '[]')) with ordinality x(m, n)
    cross join lateral crm.gmail_addresses(x.m) g
  ), ext as (
    select a.n, a.email from a
    where not crm.is_internal(w, a.email) and a.email is distinct from own
      and not exists (select 1 from members x where x.workspace_id = w.id and lower(x.email) = a.email)
      and not exists (select 1 from member_addresses x where x.workspace_id = w.id and x.email = a.email)
  )
  select m.n, case
    when exists (select 1 from a where a.n = m.n and crm.is_blocked(a.email, blocks)) then 'blocked'
    when not exists (select 1 from ext where ext.n = m.n) then 'internal'
    when policy = 'known'
      and not exists (select 1 from ext join contact_emails e on e.workspace_id = w.id and lower(e.email) = ext.email where ext.n = m.n)
      and not exists (select 1 from interactions i where i.workspace_id = w.id and i.thread_key = m.thread) then 'unknown'
    end
  from m
$$;

drop function crm.mail_skip_reason(crm.workspaces, text, jsonb, text[], text);

CREATE OR REPLACE FUNCTION api.mailbox_page(args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  b crm.mailboxes;
  w crm.workspaces;
  m crm.members;
  policy text;
  vis text;
  keep jsonb;
  counts jsonb;
  r jsonb;
  created int := 0;
  skipped jsonb;
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
begin
  select * into b from mailboxes where id = (args ->> 'id')::uuid for update;
  if b.id is null or b.lease_owner is distinct from args ->> 'workerId' or b.lease_until <= now() or b.status = 'off' then
    return jsonb_build_object('lost', true);
  end if;
  select * into w from workspaces where id = b.workspace_id;
  select * into m from members where workspace_id = b.workspace_id and id = b.member_id;
  if not m.active then
    update mailboxes set status = 'paused', lease_owner = null, lease_until = null, updated_at = now() where id = b.id;
    return jsonb_build_object('lost', true);
  end if;
  policy := coalesce(b.capture, w.mail_capture);
  vis := coalesce(b.visibility, w.mail_visibility);
  -- what the page keeps, in its order, and what it skips, counted by reason
  with reasons as (
    select s.n, s.reason, x.msg
    from crm.mail_skip_reasons(w, b.address, args -> 'messages', w.mail_block_list || b.block_list, policy) s
    join jsonb_array_elements(coalesce(args -> 'messages', '[]')) with ordinality x(msg, n) on x.n = s.n
  )
  select coalesce(jsonb_agg(msg || jsonb_build_object('visibility', vis) order by n) filter (where reason is null), '[]'),
    jsonb_build_object(
      'bulk', coalesce((args #>> '{skipped,bulk}')::int, 0),
      'category', coalesce((args #>> '{skipped,category}')::int, 0),
      'blocked', count(*) filter (where reason = 'blocked'),
      'unknown', count(*) filter (where reason = 'unknown'),
      'internal', count(*) filter (where reason = 'internal'))
    into keep, skipped
  from reasons;
  if jsonb_array_length(keep) > 0 then
    r := api.gmail_log(jsonb_build_object('workspaceId', b.workspace_id, 'memberId', b.member_id, 'source', 'gmail',
      'now', now(), 'via', 'sync'), jsonb_build_object('messages', keep));
    -- captured by this mailbox: the messages it recorded its member as capturing just now (this
    -- transaction's now()), whether or not a colleague or the add-on had them first; a re-import
    -- of what it captured before counts nothing
    select count(distinct c.interaction_id) into created
    from jsonb_array_elements(r -> 'items') i
    join interaction_capturers c on c.workspace_id = b.workspace_id and c.interaction_id = (i ->> 'interactionId')::uuid
      and c.member_id = b.member_id and c.via = 'sync' and c.captured_at = now();
  end if;
  select jsonb_object_agg(k, coalesce((b.skipped ->> k)::bigint, 0) + (skipped ->> k)::bigint) into counts
  from jsonb_object_keys(skipped) k;
  update mailboxes set
    captured = captured + created,
    skipped = counts,
    cursor = coalesce(args -> 'cursor', cursor),
    -- importing until the import is done, then active (a failed mailbox that syncs again is either)
    status = case when coalesce(args -> 'cursor', cursor) ->> 'phase' = 'incremental' then 'active' else 'importing' end,
    import_done_at = case when coalesce((args ->> 'importDone')::boolean, false) then coalesce(import_done_at, now()) else import_done_at end,
    last_sync_at = now(), last_error = null, last_error_at = null, attempts = 0, notified_at = null,
    lease_until = now() + lease, updated_at = now()
  where id = b.id
  returning * into b;
  return jsonb_build_object('lost', false, 'captured', created,
    'skipped', skipped, 'status', b.status);
end $function$;

revoke execute on function crm.mail_skip_reasons(crm.workspaces, text, jsonb, text[], text) from public;
grant execute on function crm.mail_skip_reasons(crm.workspaces, text, jsonb, text[], text) to service_role;
