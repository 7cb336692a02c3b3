-- Shared pieces of the API functions: who is calling, how errors are raised,
-- who may see a private interaction, and the JSON shapes every route returns.
--
-- Every api.* function takes (ctx jsonb, args jsonb) and returns jsonb:
--   ctx  = {"workspaceId": uuid, "memberId": uuid|null, "source": "api"|"gmail"|"slack"|"scheduler", "now": timestamptz}
--   args = the validated request.
-- The backend authenticates the request and builds ctx; crm.enter checks that the
-- member belongs to the workspace and is active, and pins the transaction to that
-- workspace for the RLS policies.
-- Errors are raised with SQLSTATE 'RP' || HTTP status (RP400, RP403, RP404, RP409);
-- the message is a message-catalogue key and DETAIL is a JSON object of
-- parameters, so the backend can answer in the reader's language.

create or replace function crm.fail(status int, key text, details jsonb default null) returns void
  language plpgsql
  set search_path = pg_catalog
as $$
begin
  raise exception using errcode = 'RP' || status::text, message = key,
    detail = coalesce(details, '{}'::jsonb)::text;
end
$$;

create or replace function crm.enter(ctx jsonb) returns crm.members
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (ctx ->> 'workspaceId')::uuid;
  mid uuid := (ctx ->> 'memberId')::uuid;
  m crm.members;
begin
  if ws is null then
    perform crm.fail(401, 'auth_required');
  end if;
  perform set_config('rapport.workspace_id', ws::text, true);
  if mid is null then
    if coalesce(ctx ->> 'source', '') <> 'scheduler' then
      perform crm.fail(401, 'auth_required');
    end if;
    m.workspace_id := ws;
    return m;
  end if;
  select * into m from members where id = mid and workspace_id = ws and active;
  if not found then
    perform crm.fail(401, 'auth_required');
  end if;
  return m;
end
$$;

create or replace function crm.ctx_now(ctx jsonb) returns timestamptz
  language sql stable
  set search_path = pg_catalog
as $$ select coalesce((ctx ->> 'now')::timestamptz, now()) $$;

create or replace function crm.ctx_source(ctx jsonb) returns text
  language sql immutable
  set search_path = pg_catalog
as $$ select coalesce(nullif(ctx ->> 'source', ''), 'api') $$;

-- The members above m in the reporting line (manager, their manager, ...).
create or replace function crm.managers_of(ws uuid, m uuid) returns setof uuid
  language sql stable
  set search_path = crm, pg_catalog
as $$
  with recursive up(id, depth) as (
    select manager_id, 1 from members where workspace_id = ws and id = m and manager_id is not null
    union
    select mm.manager_id, up.depth + 1 from members mm join up on mm.id = up.id
    where mm.workspace_id = ws and mm.manager_id is not null and up.depth < 20
  )
  select id from up
$$;

-- m and everyone who reports to m, directly or not.
create or replace function crm.team_of(ws uuid, m uuid) returns setof uuid
  language sql stable
  set search_path = crm, pg_catalog
as $$
  with recursive down(id, depth) as (
    select m, 0
    union
    select mm.id, down.depth + 1 from members mm join down on mm.manager_id = down.id
    where mm.workspace_id = ws and down.depth < 20
  )
  select id from down
$$;

-- A private interaction is seen by its author and the author's managers only.
create or replace function crm.can_see(ws uuid, viewer uuid, visibility text, author uuid) returns boolean
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select visibility = 'workspace'
      or (viewer is not null and author = viewer)
      or (viewer is not null and author is not null and viewer in (select crm.managers_of(ws, author)))
$$;

create or replace function crm.member_brief(ws uuid, mid uuid) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email)
  from members m where m.workspace_id = ws and m.id = mid
$$;

create or replace function crm.member_json(m crm.members) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'id', m.id, 'email', m.email, 'name', m.display_name, 'role', m.role,
    'manager', crm.member_brief(m.workspace_id, m.manager_id),
    'timezone', m.timezone, 'locale', m.locale, 'slackUserId', m.slack_user_id,
    'active', m.active)
$$;

-- A member of ws by email, or a 400 naming the field.
create or replace function crm.member_by_email(ws uuid, email text, field text) returns uuid
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  mid uuid;
begin
  select id into mid from members where workspace_id = ws and lower(members.email) = lower(member_by_email.email) and active;
  if mid is null then
    perform crm.fail(400, 'member_unknown', jsonb_build_object('field', field, 'email', email));
  end if;
  return mid;
end
$$;

create or replace function crm.company_json(ws uuid, cid uuid) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('id', co.id, 'name', co.name, 'domain', co.domain)
  from companies co where co.workspace_id = ws and co.id = cid
$$;

create or replace function crm.contact_json(c crm.contacts) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'id', c.id, 'name', c.name, 'title', c.title, 'phone', c.phone,
    'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                        from contact_emails e where e.contact_id = c.id and e.workspace_id = c.workspace_id), '[]'::jsonb),
    'company', crm.company_json(c.workspace_id, c.company_id),
    'stage', c.stage,
    'owner', crm.member_brief(c.workspace_id, c.owner_id),
    'tags', to_jsonb(c.tags), 'custom', c.custom, 'timezone', c.timezone,
    'lastInteractionAt', c.last_interaction_at,
    'mergedIntoId', c.merged_into_id,
    'source', c.source,
    'createdAt', c.created_at, 'updatedAt', c.updated_at)
$$;

create or replace function crm.contact_brief(ws uuid, cid uuid) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object('id', c.id, 'name', c.name,
    'company', (select co.name from companies co where co.id = c.company_id and co.workspace_id = ws))
  from contacts c where c.workspace_id = ws and c.id = cid
$$;

create or replace function crm.follow_up_json(f crm.follow_ups) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'id', f.id, 'contact', crm.contact_brief(f.workspace_id, f.contact_id),
    'owner', crm.member_brief(f.workspace_id, f.owner_id),
    'dueAt', f.due_at, 'note', f.note, 'status', f.status,
    'sourceInteractionId', f.source_interaction_id,
    'createdBy', crm.member_brief(f.workspace_id, f.created_by),
    'createdAt', f.created_at, 'completedAt', f.completed_at,
    'completedBy', crm.member_brief(f.workspace_id, f.completed_by))
$$;

create or replace function crm.interaction_json(i crm.interactions, full_body boolean default false) returns jsonb
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select jsonb_build_object(
    'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
    'subject', i.subject,
    'body', case when full_body then i.body else null end,
    'snippet', left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280),
    'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
    'visibility', i.visibility, 'author', crm.member_brief(i.workspace_id, i.author_id),
    'participants', coalesce((
      select jsonb_agg(jsonb_build_object(
        'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
        'contactId', p.contact_id, 'memberId', p.member_id) order by p.id)
      from interaction_participants p where p.interaction_id = i.id and p.workspace_id = i.workspace_id), '[]'::jsonb),
    'createdAt', i.created_at)
$$;

create or replace function crm.audit(ws uuid, actor uuid, src text, etype text, eid uuid, action text, before jsonb, after jsonb)
  returns void
  language sql
  set search_path = crm, pg_catalog
as $$
  insert into audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after)
  values (ws, actor, src, etype, eid, action, before, after)
$$;

-- A company for a domain: found, or created with a name guessed from the domain.
--   crm.company_name_from_domain('sales.acme.co.jp') = 'Acme' (first letter only: initcap differs by locale)
create or replace function crm.company_name_from_domain(domain text) returns text
  language plpgsql immutable
  set search_path = pg_catalog
as $$
declare
  labels text[] := string_to_array(lower(domain), '.');
  n int := coalesce(array_length(labels, 1), 0);
  label text;
begin
  if n >= 3 and length(labels[n]) = 2
     and labels[n - 1] in ('co', 'com', 'ne', 'or', 'ac', 'go', 'net', 'org', 'gov', 'edu', 'ad', 'gr', 'lg') then
    label := labels[n - 2];
  elsif n >= 2 then
    label := labels[n - 1];
  else
    label := domain;
  end if;
  return upper(left(label, 1)) || substr(label, 2);
end
$$;

create or replace function crm.company_for_domain(ws uuid, dom text, actor uuid, src text, wanted_name text default null)
  returns uuid
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  cid uuid;
begin
  select id into cid from companies where workspace_id = ws and domain = lower(dom);
  if cid is null then
    insert into companies (workspace_id, name, domain, source, created_by)
    values (ws, coalesce(nullif(btrim(wanted_name), ''), crm.company_name_from_domain(dom)), lower(dom), src, actor)
    on conflict (workspace_id, domain) where domain is not null do nothing
    returning id into cid;
    if cid is null then
      select id into cid from companies where workspace_id = ws and domain = lower(dom);
    else
      perform crm.audit(ws, actor, src, 'company', cid, 'create', null, crm.company_json(ws, cid));
    end if;
  end if;
  return cid;
end
$$;

-- Whether an address's domain is a free-mail one or an internal one.
create or replace function crm.is_free_mail(w crm.workspaces, email text) returns boolean
  language sql stable
  set search_path = crm, pg_catalog
as $$ select crm.email_domain(email) = any (w.free_mail_domains) $$;

create or replace function crm.is_internal(w crm.workspaces, email text) returns boolean
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select exists (select 1 from unnest(w.internal_domains) d
                 where crm.email_domain(email) = lower(d) or crm.email_domain(email) like '%.' || lower(d))
$$;

revoke execute on all functions in schema crm from public;
grant execute on all functions in schema crm to service_role;
