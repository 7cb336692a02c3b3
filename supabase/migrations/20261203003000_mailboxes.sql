-- Gmail sync (issue 16, part 2): a member's mailbox, read by the server
-- through Google's API, and what the workspace lets it capture.
--
-- crm.mailboxes is one row per member: how it is reached (the member's own
-- consent, its refresh token sealed with RAPPORT_SECRET_KEY by the server
-- before it reaches SQL; or the Workspace admin's domain-wide delegation,
-- no token stored), where the sync stands (cursor: the import's page token
-- or the history id), what it captured and skipped, and the last error in
-- words a member can act on. The work is claimed with a lease, as digests
-- are: any number of server copies share the mailboxes, a page of mail and
-- the cursor after it commit together, so a copy killed mid-import is
-- resumed by another from the last committed page.
--
-- What sync captures (workspace default, member override):
--   known    (default) a message in a thread with an existing contact;
--   external any message with an external participant.
-- Never: the workspace's or the member's block list (addresses or domains),
-- internal-only mail; bulk mail and Gmail's categories are counted by the
-- server before they reach SQL (their headers and labels stay there).
-- Synced mail is private (the member and their managers) unless the
-- workspace or the member chose workspace or subject.

alter table crm.workspaces
  add column mail_capture text not null default 'known' check (mail_capture in ('known', 'external')),
  add column mail_visibility text not null default 'private' check (mail_visibility in ('private', 'workspace', 'subject')),
  add column mail_metadata_only boolean not null default false,
  add column mail_block_list text[] not null default '{}' check (cardinality(mail_block_list) <= 1000);

create table crm.mailboxes (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  provider text not null default 'gmail' check (provider = 'gmail'),
  -- the Google account's address (what the member consented as)
  address text check (length(address) <= 320),
  mode text check (mode in ('oauth', 'delegated')),
  -- 'v1:<iv>:<tag>:<data>' (AES-256-GCM under RAPPORT_SECRET_KEY, bound to the member); null when delegated or off
  sealed_token text check (length(sealed_token) <= 4000),
  scopes text[] not null default '{}',
  status text not null default 'off' check (status in ('off', 'importing', 'active', 'paused', 'reconnect', 'failed')),
  capture text check (capture in ('known', 'external')),
  visibility text check (visibility in ('private', 'workspace', 'subject')),
  block_list text[] not null default '{}' check (cardinality(block_list) <= 1000),
  -- {phase: import|incremental, pageToken?, historyId?, importAfter?}
  cursor jsonb not null default '{}',
  captured bigint not null default 0,
  skipped jsonb not null default '{"bulk": 0, "category": 0, "blocked": 0, "unknown": 0, "internal": 0}',
  reimports int not null default 0,
  connected_at timestamptz,
  import_done_at timestamptz,
  last_sync_at timestamptz,
  -- the last failure: a catalogue key (mailbox_error_*), its words are the reader's language
  last_error text check (length(last_error) <= 100),
  last_error_at timestamptz,
  attempts int not null default 0,
  due_at timestamptz not null default now(),
  lease_owner text check (length(lease_owner) <= 200),
  lease_until timestamptz,
  -- the reconnect DM went out for the current failure
  notified_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (workspace_id, member_id),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);

create index mailboxes_due_idx on crm.mailboxes (due_at) where status in ('importing', 'active', 'failed');

alter table crm.mailboxes enable row level security;
create policy workspace_isolation on crm.mailboxes for all to public
  using (workspace_id = crm.current_workspace_id())
  with check (workspace_id = crm.current_workspace_id());
grant select, insert, update, delete on table crm.mailboxes to service_role;

-- What a member (or an admin) sees of a mailbox: never the token.
create function crm.mailbox_json(b crm.mailboxes, w crm.workspaces) returns jsonb
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
    'blockList', to_jsonb(b.block_list))
$$;

-- The caller's mailbox row, made (off) on first use.
create function crm.mailbox_of(me crm.members) returns crm.mailboxes
language plpgsql set search_path = crm, pg_catalog as $$
declare
  b crm.mailboxes;
begin
  insert into mailboxes (workspace_id, member_id) values (me.workspace_id, me.id)
  on conflict (workspace_id, member_id) do nothing;
  select * into b from mailboxes where workspace_id = me.workspace_id and member_id = me.id;
  return b;
end $$;

-- An address or a domain as block lists hold it: lower case, no spaces, no leading @.
create function crm.block_entries(list jsonb) returns text[]
language sql immutable set search_path = crm, pg_catalog as $$
  select coalesce(array_agg(distinct e order by e), '{}')
  from (select lower(ltrim(btrim(x), '@')) as e from jsonb_array_elements_text(coalesce(list, '[]')) x) s
  where e <> ''
$$;

create function crm.is_blocked(email text, lists text[]) returns boolean
language sql immutable set search_path = crm, pg_catalog as $$
  select exists (select 1 from unnest(lists) e
    where lower(email) = e or crm.email_domain(email) = e or crm.email_domain(email) like '%.' || e)
$$;

create function api.mailbox_get(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
begin
  select * into w from workspaces where id = me.workspace_id;
  return crm.mailbox_json(crm.mailbox_of(me), w);
end $$;

-- The member's own choices: what to capture, who sees it, what never to
-- capture. Kept before connecting too (the consent comes after).
create function api.mailbox_update(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  b crm.mailboxes := crm.mailbox_of(me);
begin
  select * into w from workspaces where id = me.workspace_id;
  update mailboxes set
    capture = case when args ? 'policy' then args ->> 'policy' else capture end,
    visibility = case when args ? 'visibility' then args ->> 'visibility' else visibility end,
    block_list = case when args ? 'blockList' then crm.block_entries(args -> 'blockList') else block_list end,
    updated_at = now()
  where id = b.id
  returning * into b;
  -- a change is audited; the App Home asking for a consent link ({}) changes nothing
  if args ?| array['policy', 'visibility', 'blockList'] then
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'mailbox', b.id, 'update', null,
      jsonb_build_object('policy', b.capture, 'visibility', b.visibility, 'blockList', to_jsonb(b.block_list)));
  end if;
  return crm.mailbox_json(b, w);
end $$;

-- After Google's consent (the server checked the signed state and sealed
-- the refresh token) or an admin's delegation: the mailbox syncs from now.
-- A reconnect keeps the cursor (and re-imports only if the history expired).
create function api.mailbox_connected(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  m crm.members;
  w crm.workspaces;
  b crm.mailboxes;
  sealed text := args ->> 'sealedToken';
begin
  select * into m from members
  where workspace_id = (args ->> 'workspaceId')::uuid and id = (args ->> 'memberId')::uuid and active;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'memberId'));
  end if;
  select * into w from workspaces where id = m.workspace_id;
  -- the Google account is the member's: their mail from it is theirs (outbound), and no
  -- colleague's (a colleague's address here answers 409 member_address_taken)
  if lower(btrim(args ->> 'address')) <> lower(m.email) then
    perform crm.member_address_add(m.workspace_id, m.id, args ->> 'address');
  end if;
  b := crm.mailbox_of(m);
  update mailboxes set
    address = lower(btrim(args ->> 'address')),
    mode = args ->> 'mode',
    sealed_token = sealed,
    scopes = coalesce((select array_agg(s) from jsonb_array_elements_text(args -> 'scopes') s), '{}'),
    status = case when cursor ->> 'phase' = 'incremental' then 'active' else 'importing' end,
    connected_at = coalesce(case when status = 'off' then null else connected_at end, now()),
    last_error = null, last_error_at = null, attempts = 0, notified_at = null,
    due_at = now(), lease_owner = null, lease_until = null, updated_at = now()
  where id = b.id
  returning * into b;
  perform crm.audit(m.workspace_id, m.id, coalesce(args ->> 'source', 'api'), 'mailbox', b.id, 'connect', null,
    jsonb_build_object('address', b.address, 'mode', b.mode, 'scopes', to_jsonb(b.scopes)));
  return crm.mailbox_json(b, w);
end $$;

-- Stop syncing. Answers the sealed token once, for the server to revoke at
-- Google; what was captured stays.
create function api.mailbox_disconnect(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
  b crm.mailboxes := crm.mailbox_of(me);
  sealed text := b.sealed_token;
begin
  select * into w from workspaces where id = me.workspace_id;
  update mailboxes set status = 'off', sealed_token = null, mode = null, lease_owner = null, lease_until = null,
    cursor = '{}', last_error = null, last_error_at = null, attempts = 0, notified_at = null, updated_at = now()
  where id = b.id
  returning * into b;
  if sealed is not null or b.address is not null then
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'mailbox', b.id, 'disconnect', null,
      jsonb_build_object('address', b.address));
  end if;
  return jsonb_build_object('mailbox', crm.mailbox_json(b, w), 'sealedToken', sealed);
end $$;

-- Every mailbox of the workspace, for its admins.
create function api.mailboxes_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  w crm.workspaces;
begin
  perform crm.require_admin(me);
  select * into w from workspaces where id = me.workspace_id;
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object('member', crm.member_brief(b.workspace_id, b.member_id))
        || (crm.mailbox_json(b, w) - 'blockList' - 'policy' - 'visibility' - 'connected')
      order by b.status = 'active', b.status, m.display_name, m.id)
    from mailboxes b join members m on m.workspace_id = b.workspace_id and m.id = b.member_id
    where b.workspace_id = me.workspace_id and b.status <> 'off'), '[]'::jsonb));
end $$;

-- Domain-wide delegation: an admin turns sync on for members (all active
-- ones when memberIds is absent) without each one consenting. A mailbox a
-- member connected themselves keeps its own consent.
create function api.mailboxes_delegate(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  m crm.members;
  n int := 0;
  scopes jsonb := coalesce(args -> 'scopes', '[]');
begin
  -- every id named must be an active member here: another workspace's ids are not found, as elsewhere
  if args -> 'memberIds' is not null and exists (
      select 1 from jsonb_array_elements_text(args -> 'memberIds') x
      where not exists (select 1 from members where workspace_id = me.workspace_id and active and id::text = lower(x))) then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id',
      (select x from jsonb_array_elements_text(args -> 'memberIds') x
       where not exists (select 1 from members where workspace_id = me.workspace_id and active and id::text = lower(x)) limit 1)));
  end if;
  perform crm.require_admin(me);
  for m in select * from members
    where workspace_id = me.workspace_id and active
      and (args -> 'memberIds' is null or id in (select x::uuid from jsonb_array_elements_text(args -> 'memberIds') x))
    order by id
  loop
    if exists (select 1 from mailboxes where workspace_id = m.workspace_id and member_id = m.id and status <> 'off'
        and mode = 'oauth') then
      continue;
    end if;
    perform api.mailbox_connected(jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id,
      'address', m.email, 'mode', 'delegated', 'scopes', scopes, 'source', crm.ctx_source(ctx)));
    n := n + 1;
  end loop;
  return jsonb_build_object('turnedOn', n);
end $$;

-- Mailboxes due, each leased to this worker. What the worker needs to read
-- the mailbox travels with the claim.
create function api.mailbox_claim(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  worker text := args ->> 'workerId';
  lease interval := make_interval(secs => least(greatest(coalesce((args ->> 'leaseSeconds')::int, 120), 10), 3600));
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 100);
  claimed jsonb;
begin
  with due as (
    select b.id from mailboxes b
    where b.status in ('importing', 'active', 'failed') and b.due_at <= now()
      and (b.lease_until is null or b.lease_until <= now())
    order by b.due_at, b.id
    limit lim
    for update skip locked
  ), taken as (
    update mailboxes b set lease_owner = worker, lease_until = now() + lease, updated_at = now()
    from due where b.id = due.id
    returning b.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', t.id, 'workspaceId', t.workspace_id, 'memberId', t.member_id, 'address', t.address, 'mode', t.mode,
      'sealedToken', t.sealed_token, 'scopes', to_jsonb(t.scopes), 'status', t.status, 'cursor', t.cursor,
      'lastSyncAt', t.last_sync_at, 'attempts', t.attempts, 'metadataOnly', w.mail_metadata_only,
      'leaseUntil', t.lease_until)
    order by t.due_at, t.id), '[]'::jsonb)
  into claimed
  from taken t join workspaces w on w.id = t.workspace_id;
  return jsonb_build_object('claimed', claimed);
end $$;

-- Why a synced message is not captured, or null: blocked, internal, unknown.
-- own: the mailbox's address, the member's even when it is not their Rapport email.
create function crm.mail_skip_reason(w crm.workspaces, own text, msg jsonb, blocks text[], policy text)
returns text
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  externals text[];
begin
  select coalesce(array_agg(g.email), '{}') into externals
  from crm.gmail_addresses(msg) g
  where not crm.is_internal(w, g.email) and g.email is distinct from own
    and not exists (select 1 from members x where x.workspace_id = w.id and lower(x.email) = g.email)
    and not exists (select 1 from member_addresses x where x.workspace_id = w.id and x.email = g.email);
  if exists (select 1 from crm.gmail_addresses(msg) g where crm.is_blocked(g.email, blocks)) then
    return 'blocked';
  end if;
  if cardinality(externals) = 0 then
    return 'internal';
  end if;
  if policy = 'known'
     and not exists (select 1 from contact_emails e
                     where e.workspace_id = w.id and lower(e.email) = any (externals))
     and not exists (select 1 from interactions i
                     where i.workspace_id = w.id
                       and i.thread_key = left('email-thread:' || lower(btrim(btrim(coalesce(nullif(btrim(msg ->> 'threadRootId'), ''), msg ->> 'messageId')), '<>')), 1000)) then
    return 'unknown';
  end if;
  return null;
end $$;

-- One page of a mailbox, committed whole: its messages captured (as the
-- member, through the add-on's capture function), its skips counted, the
-- cursor moved past it. Refused when this worker no longer holds the lease
-- (another copy took the mailbox over): nothing is written.
create function api.mailbox_page(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  b crm.mailboxes;
  w crm.workspaces;
  m crm.members;
  msg jsonb;
  reason text;
  policy text;
  vis text;
  blocks text[];
  keep jsonb := '[]';
  counts jsonb;
  r jsonb;
  created int := 0;
  skipped jsonb := jsonb_build_object('bulk', coalesce((args #>> '{skipped,bulk}')::int, 0),
    'category', coalesce((args #>> '{skipped,category}')::int, 0), 'blocked', 0, 'unknown', 0, 'internal', 0);
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
  blocks := w.mail_block_list || b.block_list;
  for msg in select x from jsonb_array_elements(coalesce(args -> 'messages', '[]')) x loop
    reason := crm.mail_skip_reason(w, b.address, msg, blocks, policy);
    if reason is null then
      keep := keep || jsonb_build_array(msg || jsonb_build_object('visibility', vis));
    else
      skipped := jsonb_set(skipped, array[reason], to_jsonb((skipped ->> reason)::int + 1));
    end if;
  end loop;
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
end $$;

-- The worker is done with the mailbox for now: due again after dueInSeconds.
-- A history id Google no longer knows sets the cursor back to a bounded
-- re-import (reimport: {importAfter}); duplicates are impossible (Message-ID).
create function api.mailbox_release(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  b crm.mailboxes;
begin
  update mailboxes set
    lease_owner = null, lease_until = null,
    due_at = now() + make_interval(secs => greatest(coalesce((args ->> 'dueInSeconds')::int, 120), 0)),
    cursor = case when args ? 'reimport' then jsonb_build_object('phase', 'import', 'importAfter', args #>> '{reimport,importAfter}')
      else cursor end,
    status = case when args ? 'reimport' then 'importing' else status end,
    reimports = reimports + case when args ? 'reimport' then 1 else 0 end,
    updated_at = now()
  where id = (args ->> 'id')::uuid and lease_owner = args ->> 'workerId' and status <> 'off'
  returning * into b;
  return jsonb_build_object('released', b.id is not null);
end $$;

-- A failure: lost access (reconnect: the member is told once, by the DM the
-- answer asks for) or Google unavailable (retried with backoff, 'failed'
-- after 5 attempts in a row, still retried hourly).
create function api.mailbox_failed(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  b crm.mailboxes;
  m crm.members;
  reconnect boolean := coalesce((args ->> 'reconnect')::boolean, false);
  notify boolean;
  backoff int[] := array[60, 300, 900, 3600];
begin
  select * into b from mailboxes where id = (args ->> 'id')::uuid for update;
  if b.id is null or b.lease_owner is distinct from args ->> 'workerId' or b.status = 'off' then
    return jsonb_build_object('lost', true, 'notify', false);
  end if;
  notify := reconnect and b.notified_at is null;
  update mailboxes set
    status = case when reconnect then 'reconnect' when attempts + 1 >= 5 then 'failed' else status end,
    last_error = left(args ->> 'error', 100), last_error_at = now(),
    attempts = attempts + 1,
    due_at = now() + make_interval(secs => greatest(coalesce((args ->> 'retryAfterSeconds')::int, 0),
      backoff[least(attempts + 1, array_length(backoff, 1))])),
    notified_at = case when notify then now() else notified_at end,
    lease_owner = null, lease_until = null, updated_at = now()
  where id = b.id
  returning * into b;
  select * into m from members where workspace_id = b.workspace_id and id = b.member_id;
  return jsonb_build_object('lost', false, 'notify', notify, 'status', b.status,
    'member', jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'slackUserId', m.slack_user_id,
      'slackTeamId', crm.member_slack_team(m), 'locale', m.locale, 'address', b.address));
end $$;

-- The member a reconnect link names, if still active: the server checked the link's signature.
create function api.mailbox_reconnect_target(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  m crm.members;
begin
  select * into m from members where workspace_id = (args ->> 'workspaceId')::uuid and id = (args ->> 'memberId')::uuid and active;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'memberId'));
  end if;
  return jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'email', m.email, 'locale', m.locale,
    'metadataOnly', (select mail_metadata_only from workspaces where id = m.workspace_id));
end $$;

revoke execute on function crm.mailbox_json(crm.mailboxes, crm.workspaces) from public;
revoke execute on function crm.mailbox_of(crm.members) from public;
revoke execute on function crm.block_entries(jsonb) from public;
revoke execute on function crm.is_blocked(text, text[]) from public;
revoke execute on function crm.mail_skip_reason(crm.workspaces, text, jsonb, text[], text) from public;
revoke execute on function api.mailbox_get(jsonb, jsonb) from public;
revoke execute on function api.mailbox_update(jsonb, jsonb) from public;
revoke execute on function api.mailbox_connected(jsonb) from public;
revoke execute on function api.mailbox_disconnect(jsonb, jsonb) from public;
revoke execute on function api.mailboxes_list(jsonb, jsonb) from public;
revoke execute on function api.mailboxes_delegate(jsonb, jsonb) from public;
revoke execute on function api.mailbox_claim(jsonb) from public;
revoke execute on function api.mailbox_page(jsonb) from public;
revoke execute on function api.mailbox_release(jsonb) from public;
revoke execute on function api.mailbox_failed(jsonb) from public;
revoke execute on function api.mailbox_reconnect_target(jsonb) from public;
grant execute on function crm.mailbox_json(crm.mailboxes, crm.workspaces) to service_role;
grant execute on function crm.mailbox_of(crm.members) to service_role;
grant execute on function crm.block_entries(jsonb) to service_role;
grant execute on function crm.is_blocked(text, text[]) to service_role;
grant execute on function crm.mail_skip_reason(crm.workspaces, text, jsonb, text[], text) to service_role;
grant execute on function api.mailbox_get(jsonb, jsonb) to service_role;
grant execute on function api.mailbox_update(jsonb, jsonb) to service_role;
grant execute on function api.mailbox_connected(jsonb) to service_role;
grant execute on function api.mailbox_disconnect(jsonb, jsonb) to service_role;
grant execute on function api.mailboxes_list(jsonb, jsonb) to service_role;
grant execute on function api.mailboxes_delegate(jsonb, jsonb) to service_role;
grant execute on function api.mailbox_claim(jsonb) to service_role;
grant execute on function api.mailbox_page(jsonb) to service_role;
grant execute on function api.mailbox_release(jsonb) to service_role;
grant execute on function api.mailbox_failed(jsonb) to service_role;
grant execute on function api.mailbox_reconnect_target(jsonb) to service_role;
