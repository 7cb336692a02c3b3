-- The web companion's contact and account pages (issue 20): /c/:id and
-- /companies/:id, each read with one call, as the API reads a card.
--
-- * crm.timeline takes a kind: the contact page's timeline can show one kind
--   of interaction (email, slack, call, meeting, note) and then no follow-ups
--   or changes. The five-argument crm.timeline every caller uses becomes the
--   six-argument one with no kind, so there is one timeline and one
--   visibility rule (a private interaction only to its author's team; a
--   'subject' one shows who, when and the subject, never the body).
-- * api.web_contact_page: the contact's card (crm.contact_card: fields, open
--   follow-ups, upcoming meetings), a page of its timeline with its cursor,
--   its open deals, the duplicates the API reports for it
--   (crm.duplicate_candidates), and the active members an owner is chosen from.
-- * api.web_company_page: the account card (crm.account_card) and a page of
--   the account's timeline (crm.company_timeline).
-- * crm.contact_card with no timeline entries asked for reads none (the page
--   reads its timeline page with its cursor itself).

create function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer, k text)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
      and (i.visibility <> 'private' or i.author_id = any (team))
      -- one kind only: the web page's filter (email, slack, call, meeting, note)
      and (k is null or i.kind = k)
    order by p.occurred_at desc, p.interaction_id desc
    limit lim + 1
  ), f as (
    select f.created_at as at, 'f:' || f.id as key, 'f' as t, f.id::text as ref
    from follow_ups f
    where k is null and f.workspace_id = ws and f.contact_id = cid
      and (cat is null or (f.created_at, 'f:' || f.id) < (cat, ckey))
    order by f.created_at desc
    limit lim + 1
  ), a as (
    select a.at, 'a:' || lpad(a.id::text, 20, '0') as key, 'a' as t, a.id::text as ref
    from audit_log a
    where k is null and a.workspace_id = ws and a.entity_type = 'contact' and a.entity_id = cid
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
        -- 'subject': others see who, when and the subject, never the body
        when i.visibility = 'subject' and not (i.author_id = any (team)) then ''
        when i.body is null or octet_length(i.body) <= 600 then left(regexp_replace(coalesce(i.body, ''), '\s+', ' ', 'g'), 280)
        when length(regexp_replace(left(i.body, 600), '\s+', ' ', 'g')) >= 280 then left(regexp_replace(left(i.body, 600), '\s+', ' ', 'g'), 280)
        else left(regexp_replace(i.body, '\s+', ' ', 'g'), 280) end,
      'source', i.source, 'externalId', i.external_id, 'threadKey', i.thread_key, 'url', i.url,
      'visibility', i.visibility,
      'author', case when m.id is not null then jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) end,
      'participants', coalesce(parts.j, '[]'::jsonb),
      'capturedBy', coalesce(caps.j, '[]'::jsonb),
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
    left join lateral (select crm.capturers_json(ws, i.id) as j) caps on true
    where pg.t = 'i'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'follow_up', 'at', f.created_at, 'followUp', crm.follow_up_json_for(f, team))
    from page pg join follow_ups f on f.workspace_id = ws and f.id = pg.ref::uuid
    where pg.t = 'f'
    union all
    select pg.at, pg.key, jsonb_build_object('type', 'change', 'at', a.at, 'change', jsonb_build_object(
        'action', a.action, 'source', a.source,
        'actor', crm.member_brief(ws, a.actor_member_id),
        'before', a.before, 'after', crm.change_after_for(ws, a.after, team)))
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
$function$;

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select crm.timeline(ws, viewer, cid, cur, lim, null)
$$;

create or replace function crm.contact_card(c crm.contacts, viewer uuid, lim integer) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
declare
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(c.workspace_id, viewer)) end;
begin
  return crm.contact_json(c) || jsonb_build_object(
    'openFollowUps', coalesce((
      select jsonb_agg(crm.follow_up_json_for(f, team) order by f.due_at)
      from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'), '[]'::jsonb),
    'timeline', case when lim > 0 then crm.timeline(c.workspace_id, viewer, c.id, null, lim) -> 'items' else '[]'::jsonb end,
    'upcomingMeetings', crm.upcoming_meetings(c.workspace_id, c.id, viewer, 5));
end $function$;

-- GET /c/:id: everything the contact page shows, in one call.
--   args: { id, cursor?: {at, key}, kind?: 'email'|'slack'|'call'|'meeting'|'note', limit?: 1..200 (50) }
create function api.web_contact_page(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  c crm.contacts;
  k text := nullif(args ->> 'kind', '');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200);
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  c := crm.contact_or_404(ws, (args ->> 'id')::uuid);
  if k is not null and k not in ('email', 'slack', 'call', 'meeting', 'note') then
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'kind'));
  end if;
  return (crm.contact_card(c, me.id, 0) - 'timeline') || jsonb_build_object(
    'timeline', crm.timeline(ws, me.id, c.id, args -> 'cursor', lim, k),
    'openDeals', coalesce((
      select jsonb_agg(crm.deal_json(d) order by d.close_date nulls last, d.created_at, d.id)
      from (select d.* from deal_contacts dc
            join deals d on d.workspace_id = ws and d.id = dc.deal_id and d.status = 'open'
            where dc.workspace_id = ws and dc.contact_id = c.id
            order by d.close_date nulls last, d.created_at, d.id limit 20) d), '[]'::jsonb),
    'duplicates', coalesce((
      select jsonb_agg(jsonb_build_object('contact', crm.contact_summary(ws, x.other), 'reason', x.reason, 'score', x.score)
               order by x.score desc, array_position(array['email', 'phone', 'name'], x.reason), x.other)
      from (select case when d.a = c.id then d.b else d.a end as other, d.reason, d.score
            from crm.duplicate_candidates(ws, c.id) d
            order by d.score desc, array_position(array['email', 'phone', 'name'], d.reason) limit 5) x), '[]'::jsonb),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'name', m.display_name, 'email', m.email) order by m.display_name, m.email)
      from members m where m.workspace_id = ws and m.active), '[]'::jsonb));
end
$$;

-- GET /companies/:id: the account card and a page of the account's timeline, in one call.
--   args: { id, cursor?: {at, key: 'i:<uuid>'}, limit?: 1..200 (50) }
create function api.web_company_page(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  co crm.companies;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  co := crm.company_or_404(me.workspace_id, (args ->> 'id')::uuid);
  if args -> 'cursor' is not null and (args #>> '{cursor,key}') !~ '^i:' then
    perform crm.fail(400, 'invalid_cursor', jsonb_build_object('field', 'cursor'));
  end if;
  return crm.account_card(co, me.id) || jsonb_build_object(
    'timeline', crm.company_timeline(co.workspace_id, me.id, co.id, args -> 'cursor',
      least(greatest(coalesce((args ->> 'limit')::int, 50), 1), 200)));
end
$$;

do $$
declare f text;
begin
  foreach f in array array[
    'crm.timeline(uuid, uuid, uuid, jsonb, integer, text)',
    'api.web_contact_page(jsonb, jsonb)', 'api.web_company_page(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
