-- The 28 helpers that 20261124002400_hot_functions_plpgsql.sql rewrote into
-- PL/pgSQL from the catalogue, each stated here in full.
--
-- Why: that migration built their new text at run time from what earlier
-- migrations had left in pg_proc, so the definitions that run were written
-- nowhere a person could read or review. Here they are, exactly as the
-- migrations up to 20261202000300 leave them (contact_card as
-- 20261202000100_security_review.sql last defined it): same language,
-- volatility, parallel safety, strictness, SET clauses, arguments and body,
-- so each `create or replace` changes nothing in a migrated database (and
-- keeps its grants). test/backend/helpers-stated.test.ts holds that:
-- pg_get_functiondef of every function in crm and api, and their privileges,
-- are the same before and after this migration, on PGlite and PostgreSQL.
-- From here on, a change to one of them is a new `create or replace` of its
-- text; supabase/schema/crm/functions/<name>.sql shows the current one.

-- ---------------------------------------------------------------- JSON for the API, cards and timelines

create or replace function crm.member_brief(ws uuid, mid uuid) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email)
  from members m where m.workspace_id = ws and m.id = mid);
end$$;

create or replace function crm.member_json(m crm.members) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object(
    'id', m.id, 'email', m.email, 'name', m.display_name, 'role', m.role,
    'manager', crm.member_brief(m.workspace_id, m.manager_id),
    'timezone', m.timezone, 'locale', m.locale, 'slackUserId', m.slack_user_id,
    'active', m.active));
end$$;

create or replace function crm.principal_json(m crm.members) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('workspaceId', m.workspace_id, 'memberId', m.id, 'locale', m.locale, 'role', m.role));
end$$;

create or replace function crm.contact_brief(ws uuid, cid uuid) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('id', c.id, 'name', c.name,
    'company', (select co.name from companies co where co.id = c.company_id and co.workspace_id = ws))
  from contacts c where c.workspace_id = ws and c.id = cid);
end$$;

create or replace function crm.company_json(ws uuid, cid uuid) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('id', co.id, 'name', co.name, 'domain', co.domain)
  from companies co where co.workspace_id = ws and co.id = cid);
end$$;

create or replace function crm.contact_json(c crm.contacts) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object(
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
    'createdAt', c.created_at, 'updatedAt', c.updated_at));
end$$;

create or replace function crm.contact_summary(ws uuid, cid uuid) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('id', c.id, 'name', c.name, 'title', c.title, 'phone', c.phone,
    'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                        from contact_emails e where e.workspace_id = ws and e.contact_id = c.id), '[]'::jsonb),
    'company', crm.company_json(ws, c.company_id), 'stage', c.stage,
    'owner', crm.member_brief(ws, c.owner_id), 'createdAt', c.created_at)
  from contacts c where c.workspace_id = ws and c.id = cid);
end$$;

create or replace function crm.contact_card(c crm.contacts, viewer uuid, lim integer) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(c.workspace_id, viewer)) end;
begin
  return crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', crm.timeline(c.workspace_id, viewer, c.id, null, lim) -> 'items');
end
$$;

create or replace function crm.follow_up_json(f crm.follow_ups) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object(
    'id', f.id, 'contact', crm.contact_brief(f.workspace_id, f.contact_id),
    'owner', crm.member_brief(f.workspace_id, f.owner_id),
    'dueAt', f.due_at, 'note', f.note, 'status', f.status,
    'sourceInteractionId', f.source_interaction_id,
    'createdBy', crm.member_brief(f.workspace_id, f.created_by),
    'createdAt', f.created_at, 'completedAt', f.completed_at,
    'completedBy', crm.member_brief(f.workspace_id, f.completed_by)));
end$$;

create or replace function crm.interaction_json(i crm.interactions, full_body boolean default false) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object(
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
    'createdAt', i.created_at, 'editedAt', i.edited_at));
end$$;

create or replace function crm.capture_repeat(ws uuid, viewer uuid, i crm.interactions) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select jsonb_build_object('created', false, 'interaction', case
    when crm.can_see(ws, viewer, i.visibility, i.author_id) then crm.interaction_json(i, true)
    else jsonb_build_object('id', i.id, 'kind', i.kind, 'visibility', i.visibility,
      'author', crm.member_brief(ws, i.author_id), 'createdAt', i.created_at) end));
end$$;

-- ---------------------------------------------------------------- visibility

create or replace function crm.team_of(ws uuid, m uuid) returns setof uuid
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return query with recursive down(id, depth) as (
    select m, 0
    union
    select mm.id, down.depth + 1 from members mm join down on mm.manager_id = down.id
    where mm.workspace_id = ws and down.depth < 20
  )
  select id from down;
end$$;

create or replace function crm.managers_of(ws uuid, m uuid) returns setof uuid
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return query with recursive up(id, depth) as (
    select manager_id, 1 from members where workspace_id = ws and id = m and manager_id is not null
    union
    select mm.manager_id, up.depth + 1 from members mm join up on mm.id = up.id
    where mm.workspace_id = ws and mm.manager_id is not null and up.depth < 20
  )
  select id from up;
end$$;

create or replace function crm.can_see(ws uuid, viewer uuid, visibility text, author uuid) returns boolean
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select visibility = 'workspace'
      or (viewer is not null and author = viewer)
      or (viewer is not null and author is not null and viewer in (select crm.managers_of(ws, author))));
end$$;

-- ---------------------------------------------------------------- normalisation: search, lookup, capture, duplicates

create or replace function crm.fold(t text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select lower(regexp_replace(normalize(coalesce(t, ''), NFKC), '\s+', '', 'g')));
end$$;

create or replace function crm.like_escape(s text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select replace(replace(replace(s, '\', '\\'), '%', '\%'), '_', '\_'));
end$$;

create or replace function crm.has_cjk(name text) returns boolean
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select coalesce(name, '') ~ '[⺀-鿿가-힯豈-﫿ｦ-ﾟ]');
end$$;

create or replace function crm.name_words(name text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select lower(btrim(regexp_replace(normalize(coalesce(name, ''), NFKC), '\s+', ' ', 'g'))));
end$$;

create or replace function crm.norm_email(email text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (-- crm.norm_email(' Jane+News@ACME.com') = 'jane@acme.com'
  select regexp_replace(lower(btrim(email)), '^([^+@]+)\+[^@]*@', '\1@'));
end$$;

create or replace function crm.email_domain(email text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select nullif(lower(split_part(email, '@', 2)), ''));
end$$;

create or replace function crm.is_internal(w crm.workspaces, email text) returns boolean
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select exists (select 1 from unnest(w.internal_domains) d
                 where crm.email_domain(email) = lower(d) or crm.email_domain(email) like '%.' || lower(d)));
end$$;

create or replace function crm.is_free_mail(w crm.workspaces, email text) returns boolean
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$begin
  return (select crm.email_domain(email) = any (w.free_mail_domains));
end$$;

create or replace function crm.dedupe_key(kind text, source text, external_id text) returns text
  language plpgsql immutable
  set search_path = pg_catalog
as $$begin
  return (select case
    when kind = 'email' then 'email:' || lower(btrim(btrim(external_id), '<>'))
    when kind = 'slack' then 'slack:' || btrim(external_id)
    else source || ':' || btrim(external_id)
  end);
end$$;

create or replace function crm.calling_code(tz text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select case
    when tz in ('Asia/Tokyo', 'Japan') then '81'
    when tz in ('Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Urumqi', 'PRC') then '86'
    when tz in ('Asia/Hong_Kong', 'Hongkong') then '852'
    when tz in ('Asia/Taipei', 'ROC') then '886'
    when tz in ('Asia/Seoul', 'ROK') then '82'
    when tz = 'Asia/Singapore' then '65'
    when tz in ('Europe/London', 'GB', 'Europe/Belfast') then '44'
    when tz = 'Europe/Paris' then '33'
    when tz = 'Europe/Berlin' then '49'
    when tz like 'Australia/%' then '61'
    -- the Americas outside the North American Numbering Plan
    when tz in ('America/Sao_Paulo', 'Brazil/East') then '55'
    when tz in ('America/Mexico_City', 'America/Monterrey', 'America/Tijuana', 'America/Cancun', 'America/Merida') then '52'
    when tz like 'America/Argentina/%' or tz = 'America/Buenos_Aires' then '54'
    when tz = 'America/Bogota' then '57'
    when tz = 'America/Lima' then '51'
    when tz = 'America/Santiago' then '56'
    when tz like 'America/%' or tz like 'US/%' or tz like 'Canada/%' or tz = 'Pacific/Honolulu' then '1'
  end);
end$$;

create or replace function crm.phone_digit_forms(e text, cc text) returns text[]
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return (select array[substr(e, 2), '00' || substr(e, 2)]
    || case when cc is not null and e like '+' || cc || '%' then
         array['0' || rest, rest, cc || '0' || rest, '00' || cc || '0' || rest] else '{}'::text[] end
  from (select substr(e, 2 + length(coalesce(cc, ''))) as rest) x);
end$$;

-- ---------------------------------------------------------------- every request and every change

create or replace function crm.ctx_now(ctx jsonb) returns timestamp with time zone
  language plpgsql stable
  set search_path = pg_catalog
as $$begin
  return (select coalesce((ctx ->> 'now')::timestamptz, now()));
end$$;

create or replace function crm.ctx_source(ctx jsonb) returns text
  language plpgsql immutable
  set search_path = pg_catalog
as $$begin
  return (select coalesce(nullif(ctx ->> 'source', ''), 'api'));
end$$;

create or replace function crm.audit(ws uuid, actor uuid, src text, etype text, eid uuid, action text, before jsonb, after jsonb) returns void
  language plpgsql volatile
  set search_path = crm, pg_catalog
as $$begin
  insert into audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after)
  values (ws, actor, src, etype, eid, action, before, after);
end$$;
