-- Google Calendar sync (issue 17, part 1): a member's primary calendar, read
-- by the server with the same Google consent as their mailbox, and its
-- meetings with customers captured as `meeting` interactions.
--
-- crm.calendars is one row per member beside crm.mailboxes: it follows its
-- mailbox (the same Google account and refresh token, sealed there; on when
-- the consent or the admin's delegation granted a calendar scope and the
-- member has not turned it off, off when the mailbox is) and is claimed with
-- a lease as mailboxes are, so any number of server copies share the work and
-- a page of events commits together with the sync token after it.
--
-- crm.calendar_events is what the member's calendar holds in the synced
-- window (90 days back, 60 ahead, and whatever changes after): one row per
-- event, or per occurrence of a recurring one (Google's singleEvents). A
-- meeting that has started, has someone outside the company who is a contact
-- (any outsider under the `external` capture policy), and that the member did
-- not decline and is not private, becomes a `meeting` interaction, keyed by
-- its iCalUID and original start (an occurrence's originalStartTime; a single
-- event has one occurrence), so colleagues invited to the same meeting give
-- one interaction with every one of them among its capturers (via
-- 'calendar'). A moved meeting moves its interaction; a cancelled one leaves
-- the timeline (deleted_at; the audit log keeps it). Upcoming meetings are
-- read from here: they are not interactions until they start.

-- the vocabulary meetings add: their source, how a member captured one, and attendees as participants
alter table crm.interactions drop constraint interactions_source_check;
alter table crm.interactions add constraint interactions_source_check
  check (source in ('gmail', 'slack', 'api', 'manual', 'import', 'calendar'));
alter table crm.interaction_capturers drop constraint interaction_capturers_via_check;
alter table crm.interaction_capturers add constraint interaction_capturers_via_check
  check (via in ('addon', 'bcc', 'forward', 'sync', 'api', 'slack', 'import', 'calendar'));
-- organizer; attendees by their answer: accepted, tentative, declined, invited (not answered yet)
alter table crm.interaction_participants drop constraint interaction_participants_role_check;
alter table crm.interaction_participants add constraint interaction_participants_role_check
  check (role in ('from', 'to', 'cc', 'author', 'mention', 'about', 'organizer', 'accepted', 'tentative', 'declined', 'invited'));

create table crm.calendars (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  mailbox_id uuid not null references crm.mailboxes (id),
  -- the member's choice: false after they turned the calendar off
  enabled boolean not null default true,
  status text not null default 'off' check (status in ('off', 'importing', 'active', 'failed')),
  -- {syncToken?, pageToken?, timeMin?, timeMax?, fullStartedAt?}: a bounded full sync while timeMin is set
  cursor jsonb not null default '{}',
  captured bigint not null default 0,
  resyncs int not null default 0,
  -- when the bounded full sync under way began: an event it did not see again was deleted meanwhile
  full_started_at timestamptz,
  connected_at timestamptz,
  last_sync_at timestamptz,
  last_error text check (length(last_error) <= 100),
  last_error_at timestamptz,
  attempts int not null default 0,
  due_at timestamptz not null default now(),
  lease_owner text check (length(lease_owner) <= 200),
  lease_until timestamptz,
  updated_at timestamptz not null default now(),
  unique (workspace_id, member_id),
  unique (mailbox_id),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create index calendars_due_idx on crm.calendars (due_at) where status in ('importing', 'active', 'failed');

create table crm.calendar_events (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  calendar_id uuid not null references crm.calendars (id),
  member_id uuid not null,
  -- Google's id of the event or occurrence, in this member's calendar
  event_id text not null check (length(event_id) <= 1100),
  -- the interaction's externalId: iCalUID, and '|' and the original start for an occurrence of a series
  meeting_key text not null check (length(meeting_key) <= 1000),
  start_at timestamptz not null,
  end_at timestamptz not null,
  title text check (length(title) <= 1000),
  description text check (length(description) <= 4000),
  location text check (length(location) <= 1000),
  conference_url text check (length(conference_url) <= 2000),
  html_link text check (length(html_link) <= 2000),
  -- the member's own answer: accepted, tentative, declined, needsAction; null when they organise it without being listed
  self_response text check (self_response in ('accepted', 'tentative', 'declined', 'needsAction')),
  private boolean not null default false,
  -- [{email, name, role: organizer|accepted|tentative|declined|invited}], the organizer first
  attendees jsonb not null default '[]',
  attendee_emails text[] not null default '{}',
  -- the attendees outside the company and the team (not the member, no colleague): who makes it a meeting with a customer
  external_emails text[] not null default '{}',
  cancelled_at timestamptz,
  -- whether the capture rules have looked at it since it started or last changed
  considered boolean not null default false,
  interaction_id uuid,
  seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (calendar_id, event_id),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, interaction_id) references crm.interactions (workspace_id, id)
);
create index calendar_events_member_start_idx on crm.calendar_events (workspace_id, member_id, start_at) where cancelled_at is null;
create index calendar_events_due_idx on crm.calendar_events (calendar_id, start_at) where not considered and cancelled_at is null;
create index calendar_events_attendees_idx on crm.calendar_events using gin (attendee_emails) where cancelled_at is null;
create index calendar_events_interaction_idx on crm.calendar_events (workspace_id, interaction_id) where interaction_id is not null;
create index calendar_events_ws_member_idx on crm.calendar_events (workspace_id, member_id);
create index calendars_ws_member_idx on crm.calendars (workspace_id, member_id);

alter table crm.calendars enable row level security;
create policy workspace_isolation on crm.calendars for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
alter table crm.calendar_events enable row level security;
create policy workspace_isolation on crm.calendar_events for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.calendars to service_role;
grant select, insert, update, delete on table crm.calendar_events to service_role;

-- The scopes that let Rapport read a calendar (either is enough).
create function crm.has_calendar_scope(scopes text[]) returns boolean
language sql immutable set search_path = crm, pg_catalog as $$
  select scopes && array['https://www.googleapis.com/auth/calendar.readonly',
    'https://www.googleapis.com/auth/calendar.events.readonly']
$$;

-- What a member sees of their calendar's sync, beside the mailbox's.
create function crm.calendar_json(b crm.mailboxes) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'enabled', coalesce(c.enabled, true),
    'granted', crm.has_calendar_scope(b.scopes),
    'status', case
      when b.status = 'off' or not crm.has_calendar_scope(b.scopes) or c.id is null or not c.enabled then 'off'
      when b.status = 'reconnect' then 'reconnect'
      else c.status end,
    'lastSyncAt', c.last_sync_at,
    'lastError', c.last_error,
    'counts', jsonb_build_object('captured', coalesce(c.captured, 0),
      'upcoming', (select count(*) from calendar_events e where e.calendar_id = c.id and e.cancelled_at is null
        and not e.private and e.start_at > now())))
  from (select b.id) x left join calendars c on c.mailbox_id = b.id
$$;

-- The mailbox as its member sees it now carries its calendar.
create or replace function crm.mailbox_json(b crm.mailboxes, w crm.workspaces) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select jsonb_build_object(
    'connected', b.status <> 'off',
    'address', b.address,
    'mode', b.mode,
    'status', b.status,
    'lastSyncAt', b.last_sync_at,
    'lastError', b.last_error,
    'counts', jsonb_build_object('captured', b.captured, 'skipped', b.skipped),
    'policy', coalesce(b.capture, w.mail_capture),
    'visibility', coalesce(b.visibility, w.mail_visibility),
    'blockList', to_jsonb(b.block_list),
    'calendar', crm.calendar_json(b))
$$;

-- The calendar follows its mailbox: on (due now) when the mailbox syncs with
-- a calendar scope and the member wants it; off, its cursor dropped, when the
-- mailbox is disconnected. A reconnect keeps the sync token.
create function crm.calendar_follow_mailbox() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
begin
  if new.status = 'off' then
    update calendars set status = 'off', cursor = '{}', lease_owner = null, lease_until = null, updated_at = now()
    where mailbox_id = new.id and status <> 'off';
  elsif new.status in ('importing', 'active') and crm.has_calendar_scope(new.scopes) then
    insert into calendars (workspace_id, member_id, mailbox_id) values (new.workspace_id, new.member_id, new.id)
    on conflict (mailbox_id) do nothing;
    update calendars set
      status = case when cursor ? 'syncToken' then 'active' else 'importing' end,
      connected_at = coalesce(connected_at, now()),
      last_error = null, last_error_at = null, attempts = 0, due_at = now(), updated_at = now()
    where mailbox_id = new.id and enabled and status in ('off', 'failed');
  end if;
  return null;
end $$;

-- only an update that changes the status or the scopes runs it: a page of mail committed does not
create trigger calendar_follows_mailbox_insert after insert on crm.mailboxes
  for each row execute function crm.calendar_follow_mailbox();
create trigger calendar_follows_mailbox_update after update of status, scopes on crm.mailboxes
  for each row when (old.status is distinct from new.status or old.scopes is distinct from new.scopes)
  execute function crm.calendar_follow_mailbox();

-- The member turns their calendar on or off (PATCH /api/me/mailbox {calendar}).
-- On takes effect at once when the consent already holds a calendar scope.
create function api.calendar_set(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  b crm.mailboxes := crm.mailbox_of(me);
  on_ boolean := (args ->> 'calendar')::boolean;
begin
  select * into w from workspaces where id = me.workspace_id;
  if on_ is not null then
    insert into calendars (workspace_id, member_id, mailbox_id, enabled) values (me.workspace_id, me.id, b.id, on_)
    on conflict (mailbox_id) do update set enabled = excluded.enabled, updated_at = now();
    if not on_ then
      update calendars set status = 'off', lease_owner = null, lease_until = null, updated_at = now() where mailbox_id = b.id;
    elsif b.status in ('importing', 'active') and crm.has_calendar_scope(b.scopes) then
      update calendars set status = case when cursor ? 'syncToken' then 'active' else 'importing' end,
        connected_at = coalesce(connected_at, now()), due_at = now(), updated_at = now()
      where mailbox_id = b.id and status = 'off';
    end if;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'mailbox', b.id, 'update', null,
      jsonb_build_object('calendar', on_));
  end if;
  return crm.mailbox_json(b, w);
end $$;

revoke execute on function crm.has_calendar_scope(text[]) from public;
revoke execute on function crm.calendar_json(crm.mailboxes) from public;
revoke execute on function crm.calendar_follow_mailbox() from public;
revoke execute on function api.calendar_set(jsonb, jsonb) from public;
grant execute on function crm.has_calendar_scope(text[]) to service_role;
grant execute on function crm.calendar_json(crm.mailboxes) to service_role;
grant execute on function crm.calendar_follow_mailbox() to service_role;
grant execute on function api.calendar_set(jsonb, jsonb) to service_role;
