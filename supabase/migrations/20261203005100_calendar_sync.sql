-- Google Calendar sync (issue 17, part 2): the worker's side. Calendars due
-- are leased to one worker (api.calendar_claim, with what it needs to reach
-- Google: the mailbox's sealed token or its delegation); a page of events
-- and the cursor after it commit in one call (api.calendar_page), which also
-- captures the meetings that have started since; api.calendar_release and
-- api.calendar_failed end a turn. A worker killed mid-sync leaves the cursor
-- at its last committed page; the next one goes on from there, and events are
-- keyed (calendar, Google's event id), meetings (iCalUID, original start), so
-- nothing is read twice into two rows.

-- A member's meeting, as the API shows it (GET /api/me/meetings, a contact's upcomingMeetings).
create function crm.meeting_json(e crm.calendar_events) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'id', e.id,
    'key', e.meeting_key,
    'start', e.start_at,
    'end', e.end_at,
    'durationMinutes', (extract(epoch from e.end_at - e.start_at) / 60)::int,
    'title', e.title,
    'location', e.location,
    'conferenceUrl', e.conference_url,
    'response', e.self_response,
    'member', crm.member_brief(e.workspace_id, e.member_id),
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object('email', a ->> 'email', 'name', a ->> 'name', 'role', a ->> 'role',
          'contactId', (select ce.contact_id from contact_emails ce
                        where ce.workspace_id = e.workspace_id and lower(ce.email) = a ->> 'email' limit 1))
        order by o)
      from jsonb_array_elements(e.attendees) with ordinality t(a, o)), '[]'::jsonb),
    'interactionId', e.interaction_id)
$$;

-- A captured meeting whose event moved (or was renamed): its interaction follows.
create function crm.meeting_moved(e crm.calendar_events) returns void
language plpgsql set search_path = crm, pg_catalog as $$
declare
  i crm.interactions;
begin
  select * into i from interactions where workspace_id = e.workspace_id and id = e.interaction_id and deleted_at is null;
  if i.id is null or (i.occurred_at = e.start_at and i.subject is not distinct from e.title) then
    return;
  end if;
  update interactions set occurred_at = e.start_at, subject = e.title, edited_at = now() where id = i.id;
  update interaction_participants set occurred_at = e.start_at where workspace_id = i.workspace_id and interaction_id = i.id;
  perform crm.audit(i.workspace_id, e.member_id, 'calendar', 'interaction', i.id, 'update',
    jsonb_build_object('occurredAt', i.occurred_at, 'subject', i.subject),
    jsonb_build_object('occurredAt', e.start_at, 'subject', e.title));
end $$;

-- A cancelled event: its meeting leaves the timeline unless a colleague's copy of it still stands.
-- The audit log keeps what it was. 1 when an interaction left, else 0.
create function crm.meeting_cancelled(e crm.calendar_events) returns int
language plpgsql set search_path = crm, pg_catalog as $$
declare
  i crm.interactions;
begin
  if e.interaction_id is null or exists (select 1 from calendar_events x
      where x.workspace_id = e.workspace_id and x.interaction_id = e.interaction_id and x.id <> e.id and x.cancelled_at is null) then
    return 0;
  end if;
  update interactions set deleted_at = now() where workspace_id = e.workspace_id and id = e.interaction_id and deleted_at is null
  returning * into i;
  if i.id is null then
    return 0;
  end if;
  perform crm.audit(i.workspace_id, e.member_id, 'calendar', 'interaction', i.id, 'delete', crm.interaction_json(i, true), null);
  return 1;
end $$;

-- The meetings of this calendar that have started and were not looked at yet,
-- captured when the rules say so: never declined, private or colleagues-only
-- ones, nor those with a blocked address; under the `known` policy only with
-- an attendee who is a contact. Answers how many this member captured now.
create function crm.calendar_capture(c crm.calendars, b crm.mailboxes, w crm.workspaces, m crm.members) returns int
language plpgsql set search_path = crm, pg_catalog as $$
declare
  e crm.calendar_events;
  r jsonb;
  n int := 0;
  policy text := coalesce(b.capture, w.mail_capture);
  vis text := coalesce(b.visibility, w.mail_visibility);
  blocks text[] := w.mail_block_list || b.block_list;
  organizer text;
  ctx jsonb := jsonb_build_object('workspaceId', c.workspace_id, 'memberId', c.member_id, 'source', 'calendar', 'via', 'calendar');
begin
  for e in select * from calendar_events
    where calendar_id = c.id and not considered and cancelled_at is null and start_at <= now()
    order by start_at, id
    for update
  loop
    update calendar_events set considered = true where id = e.id;
    continue when e.interaction_id is not null or e.private or e.self_response is not distinct from 'declined'
      or cardinality(e.external_emails) = 0
      or exists (select 1 from unnest(e.attendee_emails) x where crm.is_blocked(x, blocks));
    continue when policy = 'known' and not exists (select 1 from contact_emails ce
      where ce.workspace_id = c.workspace_id and lower(ce.email) = any (e.external_emails));
    organizer := (select a ->> 'email' from jsonb_array_elements(e.attendees) a where a ->> 'role' = 'organizer' limit 1);
    r := api.interaction_capture(ctx, jsonb_strip_nulls(jsonb_build_object(
      'kind', 'meeting', 'source', 'calendar', 'externalId', e.meeting_key, 'occurredAt', e.start_at,
      'subject', e.title, 'body', e.description, 'url', coalesce(e.conference_url, e.html_link), 'visibility', vis,
      'direction', case when organizer is null or not (organizer = any (e.external_emails)) then 'outbound' else 'inbound' end,
      'participants', (select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('role', a ->> 'role', 'email', a ->> 'email',
          'name', a ->> 'name')) order by o), '[]'::jsonb)
        from jsonb_array_elements(e.attendees) with ordinality t(a, o)))));
    update calendar_events set interaction_id = (r #>> '{interaction,id}')::uuid where id = e.id;
    n := n + 1;
  end loop;
  return n;
end $$;

-- Calendars due, each leased to this worker, with what it needs to reach Google.
create function api.calendar_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 100);
  claimed jsonb;
begin
  with due as (
    select c.id from calendars c join mailboxes b on b.id = c.mailbox_id
    where c.status in ('importing', 'active', 'failed') and c.enabled and c.due_at <= now()
      and (c.lease_until is null or c.lease_until <= now())
      and b.status in ('importing', 'active', 'failed') and crm.has_calendar_scope(b.scopes)
    order by c.due_at, c.id
    limit lim
    for update of c skip locked
  ), taken as (
    update calendars c set lease_owner = worker, lease_until = now() + lease, updated_at = now()
    from due where c.id = due.id
    returning c.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', t.id, 'workspaceId', t.workspace_id, 'memberId', t.member_id, 'address', b.address, 'mode', b.mode,
      'sealedToken', b.sealed_token, 'scopes', to_jsonb(b.scopes), 'cursor', t.cursor, 'lastSyncAt', t.last_sync_at)
    order by t.due_at, t.id), '[]'::jsonb)
  into claimed
  from taken t join mailboxes b on b.id = t.mailbox_id;
  return jsonb_build_object('claimed', claimed);
end $$;

-- One page of events, committed whole with the cursor after it; then the
-- meetings that have started are captured. Refused (lost) when this worker
-- no longer holds the lease: nothing is written.
--   events: [{eventId, status: 'cancelled'}] or [{eventId, key, start, end, title?, description?, location?,
--            conferenceUrl?, htmlLink?, selfResponse?, private, attendees: [{email, name?, role}]}]
--   fullStart: the first page of a bounded full sync; fullDone: its last, with window {timeMin, timeMax}
create function api.calendar_page(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  c crm.calendars;
  b crm.mailboxes;
  w crm.workspaces;
  m crm.members;
  ev jsonb;
  prev crm.calendar_events;
  cur crm.calendar_events;
  emails text[];
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  moved int := 0;
  gone int := 0;
  n_captured int;
  next jsonb;
begin
  select * into c from calendars where id = (args ->> 'id')::uuid for update;
  if c.id is null or c.lease_owner is distinct from args ->> 'workerId' or c.lease_until <= now() or c.status = 'off' then
    return jsonb_build_object('lost', true);
  end if;
  select * into b from mailboxes where id = c.mailbox_id;
  select * into w from workspaces where id = c.workspace_id;
  select * into m from members where workspace_id = c.workspace_id and id = c.member_id;
  if not m.active or b.status not in ('importing', 'active', 'failed') then
    update calendars set status = 'off', lease_owner = null, lease_until = null, updated_at = now() where id = c.id;
    return jsonb_build_object('lost', true);
  end if;
  if coalesce((args ->> 'fullStart')::boolean, false) then
    c.full_started_at := now();
  end if;
  for ev in select x from jsonb_array_elements(coalesce(args -> 'events', '[]')) x loop
    select * into prev from calendar_events where calendar_id = c.id and event_id = ev ->> 'eventId';
    if ev ->> 'status' = 'cancelled' then
      if prev.id is not null and prev.cancelled_at is null then
        update calendar_events set cancelled_at = now(), updated_at = now() where id = prev.id;
        gone := gone + crm.meeting_cancelled(prev);
      end if;
      continue;
    end if;
    select coalesce(array_agg(distinct lower(a ->> 'email')), '{}') into emails
    from jsonb_array_elements(coalesce(ev -> 'attendees', '[]')) a where coalesce(a ->> 'email', '') <> '';
    insert into calendar_events as x (workspace_id, calendar_id, member_id, event_id, meeting_key, start_at, end_at, title,
      description, location, conference_url, html_link, self_response, private, attendees, attendee_emails, external_emails)
    values (c.workspace_id, c.id, c.member_id, ev ->> 'eventId', ev ->> 'key', (ev ->> 'start')::timestamptz,
      (ev ->> 'end')::timestamptz, left(ev ->> 'title', 1000), left(ev ->> 'description', 4000), left(ev ->> 'location', 1000),
      left(ev ->> 'conferenceUrl', 2000), left(ev ->> 'htmlLink', 2000), ev ->> 'selfResponse',
      coalesce((ev ->> 'private')::boolean, false), coalesce(ev -> 'attendees', '[]'), emails,
      array(select x from unnest(emails) x
        where x is distinct from b.address and not crm.is_internal(w, x)
          and not exists (select 1 from members mm where mm.workspace_id = c.workspace_id and lower(mm.email) = x)
          and not exists (select 1 from member_addresses ma where ma.workspace_id = c.workspace_id and ma.email = x)))
    on conflict (calendar_id, event_id) do update set
      meeting_key = excluded.meeting_key, start_at = excluded.start_at, end_at = excluded.end_at, title = excluded.title,
      description = excluded.description, location = excluded.location, conference_url = excluded.conference_url,
      html_link = excluded.html_link, self_response = excluded.self_response, private = excluded.private,
      attendees = excluded.attendees, attendee_emails = excluded.attendee_emails, external_emails = excluded.external_emails,
      -- looked at again when what the rules read changed
      considered = x.considered and x.start_at = excluded.start_at and x.external_emails = excluded.external_emails
        and x.self_response is not distinct from excluded.self_response and x.private = excluded.private
        and x.cancelled_at is null,
      cancelled_at = null, seen_at = now(), updated_at = now()
    returning * into cur;
    if cur.interaction_id is not null and (prev.start_at is distinct from cur.start_at or prev.title is distinct from cur.title) then
      perform crm.meeting_moved(cur);
      moved := moved + 1;
    end if;
  end loop;
  -- the last page of a full sync: what it did not see in its window was deleted while no token covered it
  if coalesce((args ->> 'fullDone')::boolean, false) and c.full_started_at is not null then
    for prev in select * from calendar_events
      where calendar_id = c.id and cancelled_at is null and seen_at < c.full_started_at
        and start_at >= (args #>> '{window,timeMin}')::timestamptz and start_at < (args #>> '{window,timeMax}')::timestamptz
    loop
      update calendar_events set cancelled_at = now(), updated_at = now() where id = prev.id;
      gone := gone + crm.meeting_cancelled(prev);
    end loop;
    c.full_started_at := null;
  end if;
  n_captured := crm.calendar_capture(c, b, w, m);
  next := coalesce(args -> 'cursor', c.cursor);
  update calendars set
    cursor = next,
    full_started_at = c.full_started_at,
    status = case when next ? 'syncToken' then 'active' else 'importing' end,
    captured = captured + n_captured,
    last_sync_at = now(), last_error = null, last_error_at = null, attempts = 0,
    lease_until = now() + lease, updated_at = now()
  where id = c.id;
  return jsonb_build_object('lost', false, 'captured', n_captured, 'moved', moved, 'cancelled', gone);
end $$;

-- The worker is done with the calendar for now: due again after dueInSeconds.
-- restart: the sync token expired (Google's 410), a bounded full sync begins.
create function api.calendar_release(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  c crm.calendars;
  restart boolean := coalesce((args ->> 'restart')::boolean, false);
begin
  update calendars set
    lease_owner = null, lease_until = null,
    due_at = now() + make_interval(secs => greatest(coalesce((args ->> 'dueInSeconds')::int, 120), 0)),
    cursor = case when restart then '{}'::jsonb else cursor end,
    status = case when restart then 'importing' else status end,
    resyncs = resyncs + case when restart then 1 else 0 end,
    updated_at = now()
  where id = (args ->> 'id')::uuid and lease_owner = args ->> 'workerId' and status <> 'off'
  returning * into c;
  return jsonb_build_object('released', c.id is not null);
end $$;

-- A failure: retried with backoff, 'failed' after 5 in a row (still retried hourly).
-- Lost access is the mailbox's to tell (its reconnect DM); here it is one more failure.
create function api.calendar_failed(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  c crm.calendars;
  backoff int[] := array[60, 300, 900, 3600];
begin
  update calendars set
    status = case when attempts + 1 >= 5 then 'failed' else status end,
    last_error = left(args ->> 'error', 100), last_error_at = now(),
    attempts = attempts + 1,
    due_at = now() + make_interval(secs => greatest(coalesce((args ->> 'retryAfterSeconds')::int, 0),
      backoff[least(attempts + 1, array_length(backoff, 1))])),
    lease_owner = null, lease_until = null, updated_at = now()
  where id = (args ->> 'id')::uuid and lease_owner = args ->> 'workerId' and status <> 'off'
  returning * into c;
  return jsonb_build_object('lost', c.id is null, 'status', c.status);
end $$;

-- The caller's meetings with someone outside the team between from and to
-- (default: the next 7 days; at most 92 days), cancelled and private ones left out.
create function api.me_meetings(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  t0 timestamptz := coalesce((args ->> 'from')::timestamptz, crm.ctx_now(ctx));
  t1 timestamptz := coalesce((args ->> 'to')::timestamptz, t0 + interval '7 days');
begin
  if t1 < t0 or t1 - t0 > interval '92 days' then
    perform crm.fail(400, 'meetings_range_invalid', jsonb_build_object('field', 'to'));
  end if;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(crm.meeting_json(e) order by e.start_at, e.id)
    from (select * from calendar_events e
      where e.workspace_id = me.workspace_id and e.member_id = me.id and e.cancelled_at is null and not e.private
        and cardinality(e.external_emails) > 0 and e.end_at > t0 and e.start_at < t1
        and exists (select 1 from calendars c where c.id = e.calendar_id and c.status <> 'off')
      order by e.start_at, e.id limit 500) e), '[]'::jsonb));
end $$;

-- A contact's next meetings (not yet over), one per meeting however many
-- colleagues have it in their calendar, seen by the viewer as the synced
-- member's visibility allows (viewer null: a card shown to many, workspace-visible only).
create function crm.upcoming_meetings(ws uuid, contact uuid, viewer uuid, lim int) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  with rows as (
    select e as ev, e.meeting_key, e.start_at, e.member_id, coalesce(b.visibility, w.mail_visibility) as vis
    from calendar_events e
      join calendars c on c.id = e.calendar_id and c.status <> 'off'
      join mailboxes b on b.id = c.mailbox_id
      join workspaces w on w.id = e.workspace_id
    where e.workspace_id = ws and e.cancelled_at is null and not e.private
      and e.self_response is distinct from 'declined' and e.end_at > now()
      and e.attendee_emails && array(select lower(ce.email) from contact_emails ce where ce.workspace_id = ws and ce.contact_id = contact)
  ), seen as (
    select * from rows r where case when viewer is null then r.vis = 'workspace' else crm.can_see(ws, viewer, r.vis, r.member_id) end
  ), meetings as (
    select distinct on (meeting_key, start_at) * from seen order by meeting_key, start_at, member_id
  )
  select coalesce(jsonb_agg(x.j order by x.start_at, x.meeting_key), '[]'::jsonb)
  from (
    select m.start_at, m.meeting_key, (crm.meeting_json(m.ev) - 'member' - 'response') || jsonb_build_object('members',
        (select jsonb_agg(crm.member_brief(ws, s.member_id) order by s.member_id)
         from seen s where s.meeting_key = m.meeting_key and s.start_at = m.start_at)) as j
    from meetings m order by m.start_at, m.meeting_key limit lim
  ) x
$$;

-- A contact's card (GET /api/contacts/:id, the add-on's person card, a merge's answer) now
-- carries their upcoming meetings.
create or replace function crm.contact_card(c crm.contacts, viewer uuid, lim int) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(c.workspace_id, viewer)) end;
begin
  return crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', crm.timeline(c.workspace_id, viewer, c.id, null, lim) -> 'items',
    'upcomingMeetings', crm.upcoming_meetings(c.workspace_id, c.id, viewer, 5));
end $$;

revoke execute on function crm.meeting_json(crm.calendar_events) from public;
revoke execute on function crm.meeting_moved(crm.calendar_events) from public;
revoke execute on function crm.meeting_cancelled(crm.calendar_events) from public;
revoke execute on function crm.calendar_capture(crm.calendars, crm.mailboxes, crm.workspaces, crm.members) from public;
revoke execute on function api.calendar_claim(jsonb) from public;
revoke execute on function api.calendar_page(jsonb) from public;
revoke execute on function api.calendar_release(jsonb) from public;
revoke execute on function api.calendar_failed(jsonb) from public;
revoke execute on function api.me_meetings(jsonb, jsonb) from public;
revoke execute on function crm.upcoming_meetings(uuid, uuid, uuid, int) from public;
grant execute on function crm.meeting_json(crm.calendar_events) to service_role;
grant execute on function crm.meeting_moved(crm.calendar_events) to service_role;
grant execute on function crm.meeting_cancelled(crm.calendar_events) to service_role;
grant execute on function crm.calendar_capture(crm.calendars, crm.mailboxes, crm.workspaces, crm.members) to service_role;
grant execute on function api.calendar_claim(jsonb) to service_role;
grant execute on function api.calendar_page(jsonb) to service_role;
grant execute on function api.calendar_release(jsonb) to service_role;
grant execute on function api.calendar_failed(jsonb) to service_role;
grant execute on function api.me_meetings(jsonb, jsonb) to service_role;
grant execute on function crm.upcoming_meetings(uuid, uuid, uuid, int) to service_role;
