-- A contact's timeline without who took part (issue 20's figure).
--
-- crm.timeline gains `people`: with false, an interaction entry has neither
-- `participants` nor `capturedBy` (the keys are absent, not empty). The
-- contact page (/c/:id) shows neither, and building them was a third of the
-- timeline's time for a contact with 5,000 interactions at scale 1 (3.8 ms
-- of the function's 3.8 -> 2.4 ms) and half of the JSON the page's server
-- parsed (69 -> ~35 KB): the page went from p50 15.5 to 12.8 ms on the
-- bench's data. Everyone else (the API, Slack, Gmail, the account page)
-- calls the 5- and 6-argument forms, which keep both lists.
--
-- The capturers' list is now built inline rather than by a call of
-- crm.capturers_json per entry (0.35 ms of 3.8 for 50 entries); the
-- function stays for the single-interaction answers.
--
-- crm.upcoming_meetings (every contact card: the API's, Slack's, Gmail's and
-- the page's) becomes plpgsql with the same query: as a SQL function it was
-- planned again at every call, 0.73 of its 0.78 ms with no meetings at all;
-- plpgsql keeps the plan for the connection (0.24 ms).

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer, k text, people boolean)
 RETURNS jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
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
      'createdAt', i.created_at, 'editedAt', i.edited_at)
      || case when people then jsonb_build_object(
        'participants', coalesce(parts.j, '[]'::jsonb),
        'capturedBy', coalesce(caps.j, '[]'::jsonb)) else '{}'::jsonb end) as entry
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
      where people and p.workspace_id = ws and p.interaction_id = i.id) parts on true
    -- crm.capturers_json's list, inline: a plpgsql call per entry cost ~7 us each
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'member', jsonb_build_object('id', cm.id, 'name', cm.display_name, 'email', cm.email),
          'via', cc.via, 'at', cc.captured_at) order by cc.captured_at, cc.member_id, cc.via) as j
      from interaction_capturers cc join members cm on cm.workspace_id = ws and cm.id = cc.member_id
      where people and cc.workspace_id = ws and cc.interaction_id = i.id) caps on true
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

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer, k text) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select crm.timeline(ws, viewer, cid, cur, lim, k, true)
$$;

create or replace function crm.timeline(ws uuid, viewer uuid, cid uuid, cur jsonb, lim integer) returns jsonb
language sql stable set search_path = crm, pg_catalog as $$
  select crm.timeline(ws, viewer, cid, cur, lim, null, true)
$$;

-- /c/:id: the timeline without participants and capturers (see the top)
create or replace function api.web_contact_page(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
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
    'timeline', crm.timeline(ws, me.id, c.id, args -> 'cursor', lim, k, false),
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
$function$;

-- the same query, its plan kept (see the top)
create or replace function crm.upcoming_meetings(ws uuid, contact uuid, viewer uuid, lim integer) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
begin
  return (
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
  ) x);
end
$function$;

do $$
declare f text;
begin
  foreach f in array array['crm.timeline(uuid, uuid, uuid, jsonb, integer, text, boolean)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
