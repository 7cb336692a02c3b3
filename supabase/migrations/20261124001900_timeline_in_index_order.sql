-- A contact's timeline no longer reads all of the contact's participant rows
-- before taking a page: `select distinct` (a hash aggregate over every row)
-- became `distinct on` in index order, so a page of 50 for a contact with 5,000
-- interactions reads about 50 index entries instead of 5,000 (bench: timeline).
-- The rest of the function is unchanged from 20261124001100_about_and_deleted.sql,
-- which landed, so the whole definition is repeated here.

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim int) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  cat timestamptz := (cur ->> 'at')::timestamptz;
  ckey text := cur ->> 'key';
  entries jsonb;
  n int;
begin
  with i as (
    -- visibility is applied before the limit, so a run of private entries the
    -- viewer cannot see never hides older ones that they can
    select p.occurred_at as at, 'i:' || i.id as key,
      jsonb_build_object('type', 'interaction', 'at', i.occurred_at, 'interaction', crm.interaction_json(i)) as entry
    from (
      -- walks participants_contact_idx newest first and stops at the limit: a
      -- contact in the same interaction twice (to and cc) is one entry, and
      -- its rows are next to each other in this order, so distinct on streams
      select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
      from interaction_participants p
      where p.workspace_id = ws and p.contact_id = cid
        and p.occurred_at <= coalesce(cat, 'infinity')
        and (cat is null or (p.occurred_at, 'i:' || p.interaction_id) < (cat, ckey))
      order by p.occurred_at desc, p.interaction_id desc
    ) p
    join interactions i on i.id = p.interaction_id and i.workspace_id = ws
    where i.deleted_at is null
      and crm.can_see(ws, viewer, i.visibility, i.author_id)
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key,
      jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json(f)) as entry
    from follow_ups f
    where f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key,
      jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', a.after)) as entry
    from audit_log a
    where a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
      and (cat is null or (a.at, 'a:' || lpad(a.id::text, 20, '0')) < (cat, ckey))
    order by a.at desc
    limit lim + 1
  ), page as (
    select * from (select * from i union all select * from f union all select * from a) u
    order by at desc, key desc
    limit lim + 1
  )
  select jsonb_agg(jsonb_build_object('at', at, 'key', key, 'entry', entry) order by at desc, key desc), count(*)
    into entries, n
  from page;

  if coalesce(n, 0) > lim then
    return jsonb_build_object(
      'items', (select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o) where o <= lim),
      'nextCursor', jsonb_build_object('at', entries -> (lim - 1) -> 'at', 'key', entries -> (lim - 1) ->> 'key'));
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(e -> 'entry' order by o) from jsonb_array_elements(entries) with ordinality t(e, o)), '[]'::jsonb),
    'nextCursor', null);
end
$$;
