-- crm.timeline builds its page with one query per kind of entry instead of one
-- function call per entry. Measured on the benchmark's data (2 cores): a call of
-- crm.interaction_json costs ~60 µs (its own executor start-up, a participants
-- subquery, a member_brief call, the snippet regex), so a page of 50 spent ~3 ms
-- there and the contact card, the Gmail sidebar (9 cards) and the timeline
-- route all paid it. Now the page's interaction ids are chosen first (walking
-- participants_contact_idx, as in 20261124001900), then their authors are one
-- join and their participants an index lookup each. The JSON is the same as
-- crm.interaction_json's (test/backend/api.test.ts compares timeline entries
-- with GET /api/interactions/:id). Follow-up and change entries are as before.

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  items jsonb;
  n int;
  last_at timestamptz;
  last_key text;
  -- whose private interactions the viewer sees: their own and their reports'
  -- (crm.can_see's rule, worked out once instead of once per private entry)
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(ws, viewer)) end;
begin
  with ids as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, p.interaction_id as id
    from (
      select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and p.occurred_at <= coalesce(cat, 'infinity')
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
      order by p.occurred_at desc, p.interaction_id desc
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and (i.visibility = 'workspace' or i.author_id = any (team))
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key, 'f' as t, f.id::text as ref
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key, 'a' as t, a.id::text as ref
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (
      select at, 'i:' || id as key, 'i' as t, id::text as ref from ids
      union all select * from f
      union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  ), built as (
    select pg.at, pg.key, jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', jsonb_build_object(
      'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', i.occurred_at,
      'subject', i.subject,
      'body', null,
      -- the first 280 characters with whitespace runs collapsed, as
      -- crm.interaction_json gives them, from the first 600 characters when
      -- they are enough (collapsing a prefix gives a prefix of the collapsed
      -- whole), so a long email body is neither read nor scanned whole
      'snippet', case
        when i.body is null or octet_length(i.body) <= 600 then left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280)
        when length(regexp_replace(left(i.body, 600), '\s+', ' ', 'g')) >= 280 then left(regexp_replace(left(i.body, 600), '\s+', ' ', 'g'), 280)
        else left(regexp_replace(i.body, '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'createdAt', i.created_at, 'editedAt', i.edited_at)) as entry
    from page pg
    join interactions i on i.workspace_id = ws and i.id = pg.ref::uuid
    left join members m on m.workspace_id = ws and m.id = i.author_id
    -- per interaction, through participants_uq: a shared grouped CTE joined
    -- here became a nested loop over all its rows for each entry (51 x 51)
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'role', p.role, 'email', p.address, 'slackUserId', p.slack_user_id, 'name', p.display_name,
          'contactId', p.contact_id, 'memberId', p.member_id) order by p.id) as j
      from interaction_participants p
      where p.workspace_id = ws and p.interaction_id = i.id) parts on true
    where pg.t = 'i'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json(f))
    from page pg join follow_ups f on f.workspace_id = ws and f.id = pg.ref::uuid
    where pg.t = 'f'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', a.after))
    from page pg join audit_log a on a.workspace_id = ws and a.id = pg.ref::bigint
    where pg.t = 'a'
  )
  -- the page's entries in one aggregate, and the cursor from the last one shown
  select jsonb_agg(b.entry order by b.rn) filter (where b.rn <= lim), count(*),
    min(b.at) filter (where b.rn = lim), min(b.key) filter (where b.rn = lim)
    into items, n, last_at, last_key
  from (select built.at, built.key, built.entry, row_number() over (order by built.at desc, built.key desc) as rn from built) b;

  return jsonb_build_object(
    'items', coalesce(items, '[]'::jsonb),
    'nextCursor', case when n > lim then jsonb_build_object('at', last_at, 'key', last_key) end);
end
$$;
