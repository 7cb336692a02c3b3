-- A personal capture address (issue 16, part 1): each member has a secret
-- that names them in log+<secret>@<inbound domain>. Mail BCC'd or forwarded
-- there is captured as the add-on's log captures it (api.gmail_log, keyed by
-- Message-ID, so BCC and the add-on on one message make one interaction).
-- Mail refused at that address (an unknown sender, failed DKIM and SPF) is
-- recorded where the member can see it. The current text of each object is
-- in supabase/schema/.

-- A member's capture secrets; the one without retired_at is their address.
-- Rotating retires it: mail to a retired address is refused.
create table crm.capture_addresses (
  secret text primary key check (secret ~ '^[a-z2-9]{10}$'),
  workspace_id uuid not null references crm.workspaces(id),
  member_id uuid not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  foreign key (workspace_id, member_id) references crm.members(workspace_id, id)
);
create unique index capture_addresses_active_idx on crm.capture_addresses (member_id) where retired_at is null;
create index capture_addresses_member_idx on crm.capture_addresses (workspace_id, member_id);
alter table crm.capture_addresses enable row level security;
create policy workspace_isolation on crm.capture_addresses for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.capture_addresses to service_role;

-- Mail refused at a member's address: what they see in GET /api/me/capture.
create table crm.capture_refusals (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces(id),
  member_id uuid not null,
  at timestamptz not null default now(),
  reason text not null check (reason in ('sender_not_member', 'authentication_failed', 'address_retired')),
  sender text check (length(sender) <= 320),
  subject text check (length(subject) <= 1000),
  foreign key (workspace_id, member_id) references crm.members(workspace_id, id)
);
create index capture_refusals_member_idx on crm.capture_refusals (workspace_id, member_id, at desc);
alter table crm.capture_refusals enable row level security;
create policy workspace_isolation on crm.capture_refusals for all to public
  using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.capture_refusals to service_role;

-- Ten characters from a 32-letter alphabet with no look-alikes (no 0/o, 1/l):
-- 50 random bits from gen_random_uuid's random bytes (6 and 8 hold its version).
--   crm.capture_secret() = 'k7qm2xwz9a'
create function crm.capture_secret() returns text
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  alphabet constant text := 'abcdefghijkmnpqrstuvwxyz23456789';
  b bytea := uuid_send(gen_random_uuid());
  out text := '';
  i int;
begin
  foreach i in array array[0, 1, 2, 3, 4, 5, 9, 10, 11, 12] loop
    out := out || substr(alphabet, get_byte(b, i) % 32 + 1, 1);
  end loop;
  return out;
end
$$;

-- The member's active secret, made on first ask.
create function crm.capture_address_of(m crm.members) returns crm.capture_addresses
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  a crm.capture_addresses;
begin
  select * into a from capture_addresses where member_id = m.id and retired_at is null;
  if a.secret is null then
    insert into capture_addresses (secret, workspace_id, member_id) values (crm.capture_secret(), m.workspace_id, m.id)
    on conflict (member_id) where retired_at is null do nothing;
    select * into a from capture_addresses where member_id = m.id and retired_at is null;
  end if;
  return a;
end
$$;

create function crm.capture_json(m crm.members) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  a crm.capture_addresses := crm.capture_address_of(m);
begin
  return jsonb_build_object(
    'secret', a.secret,
    'rotatedAt', case when exists (select 1 from capture_addresses r where r.member_id = m.id and r.retired_at is not null)
      then a.created_at end,
    'recentRefusals', coalesce((
      select jsonb_agg(jsonb_build_object('at', r.at, 'reason', r.reason, 'from', r.sender, 'subject', r.subject) order by r.at desc, r.id)
      from (select * from capture_refusals where workspace_id = m.workspace_id and member_id = m.id order by at desc, id limit 20) r),
      '[]'::jsonb));
end
$$;

-- GET /api/me/capture: the caller's secret (the route makes it an address) and the latest 20 refusals.
create function api.me_capture(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  return crm.capture_json(me);
end
$$;

-- POST /api/me/capture/rotate: a new secret; the old address is refused from now on.
create function api.me_capture_rotate(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  old crm.capture_addresses;
  a crm.capture_addresses;
begin
  update capture_addresses set retired_at = now()
    where workspace_id = me.workspace_id and member_id = me.id and retired_at is null
    returning * into old;
  insert into capture_addresses (secret, workspace_id, member_id) values (crm.capture_secret(), me.workspace_id, me.id)
    returning * into a;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'capture_rotate', null, null);
  return crm.capture_json(me);
end
$$;

-- POST /inbound/*: mail delivered to log+<secret>@…, parsed by the server.
-- args: {secret, sender: the address that sent this delivery (the forwarder),
-- authenticationFailed, message: the add-on's message shape (messageId, from,
-- to, cc, date, subject, body, attachments)}. Answers {refused: reason} (and
-- records it for the member when the secret names one) or
-- {interactionId, created} from api.gmail_log, the add-on's own path.
create function api.inbound_capture(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  a crm.capture_addresses;
  m crm.members;
  reason text;
  msg jsonb := args -> 'message';
  r jsonb;
begin
  select * into a from capture_addresses where secret = lower(btrim(args ->> 'secret'));
  if a.secret is null then
    return jsonb_build_object('refused', 'address_unknown');
  end if;
  select * into m from members where id = a.member_id and workspace_id = a.workspace_id and active;
  if m.id is null then
    return jsonb_build_object('refused', 'address_unknown');
  end if;
  reason := case
    when a.retired_at is not null then 'address_retired'
    when coalesce((args ->> 'authenticationFailed')::boolean, false) then 'authentication_failed'
    when lower(btrim(coalesce(args ->> 'sender', msg #>> '{from,email}', ''))) <> lower(m.email) then 'sender_not_member'
  end;
  if reason is not null then
    insert into capture_refusals (workspace_id, member_id, reason, sender, subject)
    values (m.workspace_id, m.id, reason, left(coalesce(args ->> 'sender', msg #>> '{from,email}'), 320), left(msg ->> 'subject', 1000));
    return jsonb_build_object('refused', reason);
  end if;
  r := api.gmail_log(
    jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'source', 'gmail', 'now', now()),
    jsonb_build_object('messages', jsonb_build_array(msg)));
  return jsonb_build_object('interactionId', r #> '{items,0,interactionId}', 'created', r #> '{items,0,created}');
end
$$;

revoke execute on function crm.capture_secret() from public;
revoke execute on function crm.capture_address_of(crm.members) from public;
revoke execute on function crm.capture_json(crm.members) from public;
revoke execute on function api.me_capture(jsonb, jsonb) from public;
revoke execute on function api.me_capture_rotate(jsonb, jsonb) from public;
revoke execute on function api.inbound_capture(jsonb) from public;
grant execute on function crm.capture_secret() to service_role;
grant execute on function crm.capture_address_of(crm.members) to service_role;
grant execute on function crm.capture_json(crm.members) to service_role;
grant execute on function api.me_capture(jsonb, jsonb) to service_role;
grant execute on function api.me_capture_rotate(jsonb, jsonb) to service_role;
grant execute on function api.inbound_capture(jsonb) to service_role;
