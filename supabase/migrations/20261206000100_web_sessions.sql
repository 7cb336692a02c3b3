-- The web companion's sign-in (issue 20): browser sessions and one-time
-- sign-in links.
--
-- A session is a random token in an HttpOnly cookie; only its SHA-256 is
-- stored, so a copy of this table signs nobody in. It ends after 14 days
-- without use, when its member is deactivated, or when they sign out (here,
-- or everywhere from the account page).
--
-- A one-time link is a random token in a URL, also stored as its hash, good
-- for 10 minutes and once: redeeming it makes the session in the same
-- transaction that marks it used, so two tabs racing on one link get one
-- session and one refusal.
--
-- 'web' becomes a source like 'slack' and 'gmail': what a person does on a
-- page is audited and captured as coming from the web companion.

create table crm.web_sessions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  via text not null check (via in ('link', 'slack', 'google')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id) on delete cascade
);
create index web_sessions_member_idx on crm.web_sessions (workspace_id, member_id);

create table crm.signin_links (
  token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  workspace_id uuid not null references crm.workspaces (id),
  member_id uuid not null,
  next text check (next is null or (next ~ '^/[^/\\]' and length(next) <= 500) or next = '/'),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id) on delete cascade
);
create index signin_links_member_idx on crm.signin_links (workspace_id, member_id);

do $$
declare t text;
begin
  foreach t in array array['web_sessions', 'signin_links'] loop
    execute format('alter table crm.%I enable row level security', t);
    execute format('create policy workspace_isolation on crm.%I for all to public using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id())', t);
    execute format('grant select, insert, update, delete on table crm.%I to service_role', t);
  end loop;
end $$;

alter table crm.interactions drop constraint interactions_source_check;
alter table crm.interactions add constraint interactions_source_check
  check (source in ('gmail', 'slack', 'api', 'manual', 'import', 'calendar', 'web')) not valid;
alter table crm.interactions validate constraint interactions_source_check;

-- How long a session lives without use, and a link at all.
create function crm.web_session_idle() returns interval
language sql immutable set search_path = pg_catalog as $$ select interval '14 days' $$;
create function crm.signin_link_life() returns interval
language sql immutable set search_path = pg_catalog as $$ select interval '10 minutes' $$;

-- A session for a member, as whoever verified them says (a link, Slack, Google).
create function crm.web_session_start(m crm.members, session_hash text, via text) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
begin
  insert into web_sessions (workspace_id, member_id, token_hash, via) values (m.workspace_id, m.id, session_hash, via);
  -- sessions long unused go as new ones come: the table keeps live ones only
  delete from web_sessions where member_id = m.id and last_seen_at < now() - crm.web_session_idle();
  perform crm.audit(m.workspace_id, m.id, 'web', 'member', m.id, 'sign_in', null, jsonb_build_object('via', via));
  return crm.principal_json(m);
end
$$;

-- POST /api/me/signin-link: a link the caller opens to be signed in in a
-- browser. Node makes the token and passes its hash; `next` is a path on
-- this server (never another host), checked again where it is followed.
create function api.signin_link_create(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  l crm.signin_links;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  insert into signin_links (token_hash, workspace_id, member_id, next, expires_at)
    values (args ->> 'tokenHash', me.workspace_id, me.id, nullif(args ->> 'next', ''), now() + crm.signin_link_life())
    returning * into l;
  -- used and expired links of this member go as new ones come
  delete from signin_links where member_id = me.id and expires_at < now() - interval '1 day';
  return jsonb_build_object('expiresAt', l.expires_at, 'next', coalesce(l.next, '/'));
end
$$;

-- What a link would sign in as, without using it (the page that asks
-- "Continue as ...?"): a link is never used by a mere GET, which mail and
-- chat link scanners send.
create function api.signin_link_peek(args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  l crm.signin_links;
  m crm.members;
begin
  select * into l from signin_links where token_hash = args ->> 'tokenHash';
  if l.token_hash is null then
    return jsonb_build_object('refused', 'signin_link_invalid');
  end if;
  -- a refusal of a link Rapport made is said in its member's language
  select * into m from members where id = l.member_id and workspace_id = l.workspace_id;
  if l.used_at is not null then
    return jsonb_build_object('refused', 'signin_link_used', 'locale', m.locale);
  elsif l.expires_at <= now() then
    return jsonb_build_object('refused', 'signin_link_expired', 'locale', m.locale);
  elsif not m.active then
    return jsonb_build_object('refused', 'member_deactivated', 'locale', m.locale);
  end if;
  return jsonb_build_object('name', m.display_name, 'email', m.email, 'locale', m.locale,
    'workspace', (select name from workspaces where id = l.workspace_id));
end
$$;

-- Uses a link once and starts the session it stands for, in one transaction.
create function api.signin_link_redeem(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  l crm.signin_links;
  m crm.members;
  peek jsonb := api.signin_link_peek(args);
begin
  if peek ? 'refused' then
    return peek;
  end if;
  update signin_links set used_at = now()
    where token_hash = args ->> 'tokenHash' and used_at is null and expires_at > now()
    returning * into l;
  if l.token_hash is null then
    -- another request used it between the two statements
    return jsonb_build_object('refused', 'signin_link_used');
  end if;
  select * into m from members where id = l.member_id and workspace_id = l.workspace_id;
  return crm.web_session_start(m, args ->> 'sessionHash', 'link') || jsonb_build_object('next', coalesce(l.next, '/'));
end
$$;

-- Who a session cookie stands for, or null: unknown, idle 14 days, or its
-- member deactivated. Seen at most once a minute (one write, not one per page).
create function api.web_session(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  s crm.web_sessions;
  m crm.members;
begin
  select * into s from web_sessions where token_hash = args ->> 'sessionHash';
  if s.id is null or s.last_seen_at <= now() - crm.web_session_idle() then
    return null;
  end if;
  select * into m from members where id = s.member_id and workspace_id = s.workspace_id;
  if not m.active then
    return null;
  end if;
  update web_sessions set last_seen_at = now() where id = s.id and last_seen_at < now() - interval '1 minute';
  update members set last_seen_at = now()
    where id = m.id and (last_seen_at is null or last_seen_at < now() - interval '1 minute');
  return crm.principal_json(m) || jsonb_build_object('name', m.display_name, 'email', m.email, 'timezone', m.timezone,
    'sessionId', s.id);
end
$$;

-- Sign out: this browser's session.
create function api.web_session_end(args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  s crm.web_sessions;
begin
  delete from web_sessions where token_hash = args ->> 'sessionHash' returning * into s;
  if s.id is not null then
    perform crm.audit(s.workspace_id, s.member_id, 'web', 'member', s.member_id, 'sign_out', null, null);
  end if;
  -- the signed-out page speaks the member's language
  return jsonb_build_object('ended', s.id is not null,
    'locale', (select locale from members where id = s.member_id and workspace_id = s.workspace_id));
end
$$;

-- Sign out everywhere (the account page): every session of the caller,
-- and every link of theirs not yet used.
create function api.web_sessions_end_all(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  n int;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  delete from web_sessions where workspace_id = me.workspace_id and member_id = me.id;
  get diagnostics n = row_count;
  delete from signin_links where workspace_id = me.workspace_id and member_id = me.id and used_at is null;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'sign_out_everywhere', null,
    jsonb_build_object('sessions', n));
  return jsonb_build_object('ended', n);
end
$$;

-- A member's own sessions, for the account page: where and since when, never the token.
create function api.web_sessions_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('id', id, 'via', via, 'createdAt', created_at, 'lastSeenAt', last_seen_at)
      order by last_seen_at desc)
    from web_sessions where workspace_id = me.workspace_id and member_id = me.id), '[]'::jsonb);
end
$$;

do $$
declare f text;
begin
  foreach f in array array[
    'crm.web_session_idle()', 'crm.signin_link_life()', 'crm.web_session_start(crm.members, text, text)',
    'api.signin_link_create(jsonb, jsonb)', 'api.signin_link_peek(jsonb)', 'api.signin_link_redeem(jsonb)',
    'api.web_session(jsonb)', 'api.web_session_end(jsonb)', 'api.web_sessions_end_all(jsonb, jsonb)',
    'api.web_sessions_list(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
