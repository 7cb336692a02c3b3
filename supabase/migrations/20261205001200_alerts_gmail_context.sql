-- Alerts (issue 19): "someone else is already on it" on the Gmail add-on's
-- card (already_answered, a line, never a message). api.gmail_context (last
-- restated by 20261204002100_deals_contacts.sql) now also answers
-- `answered`: {state 'replied'|'assigned', by (a colleague, never the
-- caller), at}, or null. It is found from the open email's own interaction
-- (its Message-ID, as `logged` is) and that interaction's thread: the
-- thread's last inbound message, a colleague's outbound after it (the
-- reply), else a colleague's "Assign to me" on an inbound of the thread
-- that nobody has answered since. An email Rapport does not hold (not
-- logged, not synced) has no thread to look at: null. Three index lookups
-- (dedupe key, thread, assignment), so the call stays as fast as it was.

create or replace function api.gmail_context(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  m jsonb := coalesce(args -> 'message', '{}');
  cap constant int := 10;
  logged jsonb;
  people jsonb;
  total int;
  deal_lists jsonb;
  opened crm.interactions;
  last_in crm.interactions;
  answered jsonb;
begin
  select * into w from workspaces where id = ws;

  select jsonb_build_object('interactionId', i.id, 'by', crm.member_brief(ws, i.author_id), 'at', i.created_at)
    into logged
  from interactions i
  where i.workspace_id = ws and i.dedupe_key = crm.dedupe_key('email', 'gmail', m ->> 'messageId')
    and i.deleted_at is null and crm.can_see(ws, me.id, i.visibility, i.author_id);

  -- someone else is on it (issue 19, already_answered): a colleague replied
  -- in this email's thread after its last inbound message, or a colleague is
  -- assigned to it ("Assign to me" on a waiting-for-reply alert). Only who
  -- and when, never what: a private reply is named but not shown.
  select * into opened from interactions i
  where i.workspace_id = ws and i.dedupe_key = crm.dedupe_key('email', 'gmail', m ->> 'messageId') and i.deleted_at is null;
  if opened.id is not null and me.id is not null then
    select * into last_in from interactions i
    where i.workspace_id = ws and i.direction = 'inbound' and i.deleted_at is null
      and (i.id = opened.id or (opened.thread_key is not null and i.thread_key = opened.thread_key))
    order by i.occurred_at desc, i.id desc limit 1;
  end if;
  if last_in.id is not null then
    select jsonb_build_object('state', 'replied', 'by', crm.member_brief(ws, r.mid), 'at', r.occurred_at) into answered
    from (
      select coalesce((select p.member_id from interaction_participants p
                       where p.workspace_id = ws and p.interaction_id = o.id and p.role in ('from', 'author') and p.member_id is not null
                       order by p.id limit 1), o.author_id) as mid, o.occurred_at
      from interactions o
      where o.workspace_id = ws and last_in.thread_key is not null and o.thread_key = last_in.thread_key
        and o.direction = 'outbound' and o.occurred_at > last_in.occurred_at and o.deleted_at is null
      order by o.occurred_at desc, o.id desc limit 1
    ) r
    where r.mid is not null and r.mid <> me.id;
    if answered is null then
      select jsonb_build_object('state', 'assigned', 'by', crm.member_brief(ws, ra.member_id), 'at', ra.at) into answered
      from reply_assignments ra join interactions i on i.workspace_id = ra.workspace_id and i.id = ra.interaction_id
      where ra.workspace_id = ws and ra.state = 'assigned' and ra.member_id <> me.id and i.direction = 'inbound'
        and (i.id = last_in.id or (last_in.thread_key is not null and i.thread_key = last_in.thread_key))
        -- not once the thread was answered since
        and not exists (select 1 from interactions o where o.workspace_id = ws and o.thread_key = last_in.thread_key
                        and o.direction = 'outbound' and o.occurred_at > last_in.occurred_at and o.deleted_at is null)
      order by ra.at desc limit 1;
    end if;
  end if;

  with given as (
    select * from crm.gmail_addresses(m)
  ), firsts as (
    -- one row per address, at its first place, with the first name given for it
    select g.email, min(g.ord) as ord, (array_agg(g.name order by g.ord) filter (where g.name is not null))[1] as name
    from given g group by g.email
  ), external as (
    select f.email, f.name, g.role, f.ord, row_number() over (order by f.ord) as rank
    from firsts f join given g on g.ord = f.ord
    where f.email is distinct from lower(me.email)
      and not crm.is_internal(w, f.email)
      -- a colleague, by their address or one of their other sending addresses
      and crm.member_of_address(ws, f.email) is null
  )
  select count(*)::int,
    jsonb_agg(crm.gmail_person(w, me.id, e.email, e.name, e.role) order by e.ord) filter (where e.rank <= cap)
    into total, people
  from external e;

  -- each known person's open deals (at most 5, closing soonest first), by contact id: the add-on's deals section
  select coalesce(jsonb_object_agg(x.cid, x.list), '{}'::jsonb) into deal_lists
  from (
    select k.cid, coalesce((select jsonb_agg(crm.deal_json(d) order by d.close_date nulls last, d.created_at, d.id)
      from (select d.* from deal_contacts dc join deals d on d.workspace_id = ws and d.id = dc.deal_id
            where dc.workspace_id = ws and dc.contact_id = k.cid::uuid and d.status = 'open'
            order by d.close_date nulls last, d.created_at, d.id limit 5) d), '[]'::jsonb) as list
    from (select distinct p #>> '{contact,id}' as cid from jsonb_array_elements(coalesce(people, '[]'::jsonb)) p
          where p #>> '{contact,id}' is not null) k
  ) x;

  return jsonb_build_object(
    'me', case when me.id is null then null else jsonb_build_object(
      'id', me.id, 'name', me.display_name, 'email', me.email, 'locale', me.locale, 'timezone', me.timezone,
      -- joined by themselves and not told yet: the add-on says so, then POST /api/me/welcome
      'welcome', case when me.welcome_due then jsonb_build_object('workspace', w.name, 'role', me.role) end) end,
    'logged', logged,
    'answered', answered,
    'people', coalesce(people, '[]'::jsonb),
    'more', greatest(total - cap, 0),
    'deals', deal_lists,
    'pipeline', crm.pipeline_json(ws));
end
$function$;

revoke execute on function api.gmail_context(jsonb, jsonb) from public;
grant execute on function api.gmail_context(jsonb, jsonb) to service_role;
