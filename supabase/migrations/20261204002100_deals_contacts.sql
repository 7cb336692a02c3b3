-- Deals and the contact functions that must know them (issue 18).
--
-- Merging contacts moves their part in deals to the survivor (undo puts it
-- back); erasing a person removes their part in deals (the deals stay); the
-- Gmail context gains each known person's open deals and the workspace's
-- pipeline, so the add-on's deals section and its Move stage and New deal
-- forms need no second call. Each function is restated whole from its
-- current text (supabase/schema/) with only those additions.

create or replace function api.contact_merge(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  at timestamptz := crm.ctx_now(ctx);
  sid uuid := (args ->> 'id')::uuid;
  ids uuid[] := array(select x::uuid from jsonb_array_elements_text(coalesce(args -> 'from', '[]')) with ordinality t(x, n) order by n);
  s crm.contacts;
  l crm.contacts;
  fid uuid;
  snap jsonb;
  before jsonb;
  merged_before jsonb;
  new_primary uuid;
  mid uuid;
begin
  if cardinality(ids) not between 1 and 20 then
    perform crm.fail(400, 'merge_from_count', jsonb_build_object('max', 20));
  end if;
  if (select count(distinct x) from unnest(ids) x) <> cardinality(ids) then
    perform crm.fail(400, 'merge_from_repeated', '{}');
  end if;
  -- locked in id order, so two merges of the same contacts queue instead of deadlocking
  perform 1 from contacts where workspace_id = ws and id = any (ids || sid) order by id for update;
  select * into s from contacts where workspace_id = ws and id = sid;
  if s.id is null then
    perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', sid));
  end if;
  if s.merged_into_id is not null then
    perform crm.fail(400, 'merge_contact_merged', jsonb_build_object('id', s.id, 'name', s.name,
      'intoId', s.merged_into_id, 'intoName', (select name from contacts where workspace_id = ws and id = s.merged_into_id)));
  end if;
  if sid = any (ids) then
    perform crm.fail(400, 'merge_into_itself', jsonb_build_object('id', s.id, 'name', s.name));
  end if;
  foreach fid in array ids loop
    select * into l from contacts where workspace_id = ws and id = fid;
    if l.id is null then
      perform crm.fail(404, 'contact_not_found', jsonb_build_object('id', fid));
    end if;
    if l.merged_into_id is not null then
      perform crm.fail(400, 'merge_contact_merged', jsonb_build_object('id', l.id, 'name', l.name,
        'intoId', l.merged_into_id, 'intoName', (select name from contacts where workspace_id = ws and id = l.merged_into_id)));
    end if;
  end loop;

  before := crm.contact_json(s);
  merged_before := (select jsonb_object_agg(c.id::text, crm.contact_json(c)) from contacts c where c.workspace_id = ws and c.id = any (ids));
  snap := jsonb_build_object(
    'survivor', to_jsonb(s),
    'merged', (select jsonb_agg(to_jsonb(c) order by array_position(ids, c.id)) from contacts c where c.workspace_id = ws and c.id = any (ids)),
    'emails', coalesce((select jsonb_agg(to_jsonb(e) order by e.id) from contact_emails e
                        where e.workspace_id = ws and e.contact_id = any (ids || sid)), '[]'),
    'participants', coalesce((select jsonb_agg(to_jsonb(p) order by p.id) from interaction_participants p
                              where p.workspace_id = ws and p.contact_id = any (ids)), '[]'),
    'followUps', coalesce((select jsonb_agg(jsonb_build_object('id', f.id, 'contactId', f.contact_id) order by f.id)
                           from follow_ups f where f.workspace_id = ws and f.contact_id = any (ids)), '[]'),
    'channelLinks', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'contactId', k.contact_id) order by k.id)
                              from slack_channel_links k where k.workspace_id = ws and k.contact_id = any (ids)), '[]'),
    -- the deals the merged contacts took part in, and the survivor's own part in those deals (undo puts both back)
    'dealContacts', coalesce((select jsonb_agg(to_jsonb(dc) order by dc.deal_id, dc.contact_id) from deal_contacts dc
                              where dc.workspace_id = ws and dc.contact_id = any (ids)), '[]'),
    'survivorDeals', coalesce((select jsonb_agg(to_jsonb(dc) order by dc.deal_id) from deal_contacts dc
                               where dc.workspace_id = ws and dc.contact_id = sid
                                 and dc.deal_id in (select x.deal_id from deal_contacts x where x.workspace_id = ws and x.contact_id = any (ids))), '[]'));

  -- addresses: the survivor keeps its primary; with none, the first merged contact's becomes it
  if not exists (select 1 from contact_emails where workspace_id = ws and contact_id = sid and is_primary) then
    select e.id into new_primary from contact_emails e where e.workspace_id = ws and e.contact_id = any (ids)
      order by array_position(ids, e.contact_id), e.is_primary desc, e.created_at, e.email limit 1;
  end if;
  update contact_emails set contact_id = sid, is_primary = coalesce(id = new_primary, false)
    where workspace_id = ws and contact_id = any (ids);

  -- a participant row the survivor already has (say both were 'about' one note) goes; the rest move
  delete from interaction_participants p
  where p.workspace_id = ws and p.contact_id = any (ids)
    and exists (select 1 from interaction_participants q
                where q.workspace_id = ws and q.interaction_id = p.interaction_id and q.role = p.role
                  and coalesce(q.address, '') = coalesce(p.address, '') and coalesce(q.slack_user_id, '') = coalesce(p.slack_user_id, '')
                  and (q.contact_id = sid or (q.contact_id = any (ids) and q.id < p.id)));
  update interaction_participants set contact_id = sid where workspace_id = ws and contact_id = any (ids);
  update follow_ups set contact_id = sid where workspace_id = ws and contact_id = any (ids);
  update slack_channel_links set contact_id = sid where workspace_id = ws and contact_id = any (ids);
  -- deals: the survivor takes each merged contact's part; on a deal it is on already it keeps its own role
  -- (taking the merged contact's when it had none), and of two merged contacts on one deal the first counts
  update deal_contacts sv set role = coalesce(sv.role, (select lc.role from deal_contacts lc
      where lc.workspace_id = ws and lc.deal_id = sv.deal_id and lc.contact_id = any (ids) and lc.role is not null
      order by array_position(ids, lc.contact_id) limit 1))
    where sv.workspace_id = ws and sv.contact_id = sid;
  delete from deal_contacts lc
    where lc.workspace_id = ws and lc.contact_id = any (ids)
      and exists (select 1 from deal_contacts oc where oc.workspace_id = ws and oc.deal_id = lc.deal_id
                  and (oc.contact_id = sid or (oc.contact_id = any (ids) and array_position(ids, oc.contact_id) < array_position(ids, lc.contact_id))));
  update deal_contacts set contact_id = sid where workspace_id = ws and contact_id = any (ids);

  update contacts c set
    title = coalesce(nullif(btrim(c.title), ''), (select m.title from contacts m where m.workspace_id = ws and m.id = any (ids)
              and nullif(btrim(m.title), '') is not null order by array_position(ids, m.id) limit 1), c.title),
    phone = coalesce(nullif(btrim(c.phone), ''), (select m.phone from contacts m where m.workspace_id = ws and m.id = any (ids)
              and nullif(btrim(m.phone), '') is not null order by array_position(ids, m.id) limit 1), c.phone),
    timezone = coalesce(nullif(btrim(c.timezone), ''), (select m.timezone from contacts m where m.workspace_id = ws and m.id = any (ids)
              and nullif(btrim(m.timezone), '') is not null order by array_position(ids, m.id) limit 1), c.timezone),
    company_id = coalesce(c.company_id, (select m.company_id from contacts m where m.workspace_id = ws and m.id = any (ids)
              and m.company_id is not null order by array_position(ids, m.id) limit 1)),
    owner_id = coalesce(c.owner_id, (select m.owner_id from contacts m where m.workspace_id = ws and m.id = any (ids)
              and m.owner_id is not null order by array_position(ids, m.id) limit 1)),
    stage = case when c.stage <> 'lead' then c.stage else coalesce((select m.stage from contacts m
              where m.workspace_id = ws and m.id = any (ids) order by crm.stage_rank(m.stage) desc limit 1), c.stage) end,
    tags = c.tags || array(select t.tag from (
              select distinct on (u.tag) u.tag, array_position(ids, m.id) as o, u.n
              from contacts m cross join lateral unnest(m.tags) with ordinality u(tag, n)
              where m.workspace_id = ws and m.id = any (ids) and not (u.tag = any (c.tags))
              order by u.tag, 2, u.n) t order by t.o, t.n),
    custom = c.custom || coalesce((select jsonb_object_agg(f.key, f.value) from (
              select distinct on (kv.key) kv.key, kv.value
              from contacts m cross join lateral jsonb_each(m.custom) kv
              where m.workspace_id = ws and m.id = any (ids) and kv.value not in ('null'::jsonb, '""'::jsonb)
                and coalesce(c.custom -> kv.key, 'null'::jsonb) in ('null'::jsonb, '""'::jsonb)
              order by kv.key, array_position(ids, m.id)) f), '{}'::jsonb),
    last_interaction_at = (select max(m.last_interaction_at) from contacts m where m.workspace_id = ws and m.id = any (ids || sid)),
    updated_at = now()
  where c.workspace_id = ws and c.id = sid
  returning * into s;
  update contacts set merged_into_id = sid, updated_at = now() where workspace_id = ws and id = any (ids);

  insert into merges (workspace_id, survivor_id, merged_ids, snapshot, created_by, created_at)
  values (ws, sid, ids, snap || jsonb_build_object('survivorAfter', to_jsonb(s)), me.id, at)
  returning id into mid;

  perform crm.audit(ws, me.id, src, 'contact', sid, 'merge', before,
    crm.contact_json(s) || jsonb_build_object('mergeId', mid, 'mergedIds', to_jsonb(ids)));
  for l in select * from contacts where workspace_id = ws and id = any (ids) order by array_position(ids, id) loop
    perform crm.audit(ws, me.id, src, 'contact', l.id, 'merge', merged_before -> l.id::text,
      crm.contact_json(l) || jsonb_build_object('mergeId', mid));
  end loop;

  return jsonb_build_object(
    'merge', jsonb_build_object('id', mid, 'survivorId', sid, 'mergedIds', to_jsonb(ids),
      'merged', (select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by array_position(ids, c.id))
                 from contacts c where c.workspace_id = ws and c.id = any (ids)),
      'createdAt', at, 'undoableUntil', at + interval '30 days'),
    'contact', crm.contact_card(s, me.id, 10));
end
$function$;

revoke execute on function api.contact_merge(ctx jsonb, args jsonb) from public;
grant execute on function api.contact_merge(ctx jsonb, args jsonb) to service_role;

create or replace function api.merge_undo(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  at timestamptz := crm.ctx_now(ctx);
  m crm.merges;
  s crm.contacts;
  was crm.contacts;
  aft crm.contacts;
  before jsonb;
  added_tags text[];
  new_custom jsonb;
  k text;
  l crm.contacts;
begin
  select * into m from merges where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'merge_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if m.undone_at is not null then
    perform crm.fail(409, 'merge_already_undone', jsonb_build_object('id', m.id, 'undoneAt', m.undone_at));
  end if;
  if at > m.created_at + interval '30 days' then
    perform crm.fail(409, 'merge_undo_expired', jsonb_build_object('id', m.id, 'until', m.created_at + interval '30 days'));
  end if;
  perform 1 from contacts where workspace_id = ws and id = any (m.merged_ids || m.survivor_id) order by id for update;
  select * into s from contacts where workspace_id = ws and id = m.survivor_id;
  if s.merged_into_id is not null then
    perform crm.fail(409, 'merge_undo_blocked', jsonb_build_object('id', m.id, 'name', s.name,
      'intoName', (select name from contacts where workspace_id = ws and id = s.merged_into_id)));
  end if;
  was := jsonb_populate_record(null::crm.contacts, m.snapshot -> 'survivor');
  aft := jsonb_populate_record(null::crm.contacts, m.snapshot -> 'survivorAfter');
  before := crm.contact_json(s);

  -- the merged contacts come back as they were (nothing can change a merged contact)
  update contacts c set name = o.name, title = o.title, phone = o.phone, company_id = o.company_id, stage = o.stage,
    owner_id = o.owner_id, tags = o.tags, custom = o.custom, timezone = o.timezone,
    last_interaction_at = o.last_interaction_at, merged_into_id = o.merged_into_id, updated_at = o.updated_at
  from jsonb_populate_recordset(null::crm.contacts, m.snapshot -> 'merged') o
  where c.workspace_id = ws and c.id = o.id;

  -- the survivor: each field the merge filled goes back, unless changed since
  added_tags := array(select t from unnest(aft.tags) t where not (t = any (was.tags)));
  new_custom := s.custom;
  for k in select a.key from jsonb_each(aft.custom) a where a.value is distinct from was.custom -> a.key loop
    if s.custom -> k is not distinct from aft.custom -> k then
      new_custom := case when was.custom ? k then new_custom || jsonb_build_object(k, was.custom -> k) else new_custom - k end;
    end if;
  end loop;
  update contacts c set
    title = case when c.title is not distinct from aft.title then was.title else c.title end,
    phone = case when c.phone is not distinct from aft.phone then was.phone else c.phone end,
    timezone = case when c.timezone is not distinct from aft.timezone then was.timezone else c.timezone end,
    company_id = case when c.company_id is not distinct from aft.company_id then was.company_id else c.company_id end,
    owner_id = case when c.owner_id is not distinct from aft.owner_id then was.owner_id else c.owner_id end,
    stage = case when c.stage = aft.stage then was.stage else c.stage end,
    last_interaction_at = case when c.last_interaction_at is not distinct from aft.last_interaction_at
                               then was.last_interaction_at else c.last_interaction_at end,
    tags = array(select t from unnest(c.tags) with ordinality u(t, n) where not (t = any (added_tags)) order by n),
    custom = new_custom,
    updated_at = case when c.updated_at = aft.updated_at then was.updated_at else now() end
  where c.workspace_id = ws and c.id = s.id
  returning c.* into s;

  -- rows the merge moved go back to their contact, where they are still on the survivor
  update contact_emails e set contact_id = o.contact_id, is_primary = o.is_primary
  from jsonb_populate_recordset(null::crm.contact_emails, m.snapshot -> 'emails') o
  where e.workspace_id = ws and e.id = o.id and e.contact_id = m.survivor_id;
  insert into contact_emails
  select o.* from jsonb_populate_recordset(null::crm.contact_emails, m.snapshot -> 'emails') o
  where o.contact_id <> m.survivor_id and not exists (select 1 from contact_emails e where e.id = o.id)
  on conflict do nothing;

  update interaction_participants p set contact_id = o.contact_id
  from jsonb_populate_recordset(null::crm.interaction_participants, m.snapshot -> 'participants') o
  where p.workspace_id = ws and p.id = o.id and p.contact_id = m.survivor_id;
  insert into interaction_participants overriding system value
  select o.* from jsonb_populate_recordset(null::crm.interaction_participants, m.snapshot -> 'participants') o
  where not exists (select 1 from interaction_participants p where p.id = o.id)
    and exists (select 1 from interactions i where i.workspace_id = ws and i.id = o.interaction_id)
  on conflict do nothing;

  update follow_ups f set contact_id = (o ->> 'contactId')::uuid
  from jsonb_array_elements(m.snapshot -> 'followUps') o
  where f.workspace_id = ws and f.id = (o ->> 'id')::uuid and f.contact_id = m.survivor_id;
  update slack_channel_links k set contact_id = (o ->> 'contactId')::uuid
  from jsonb_array_elements(m.snapshot -> 'channelLinks') o
  where k.workspace_id = ws and k.id = (o ->> 'id')::uuid and k.contact_id = m.survivor_id;
  -- deals: the survivor leaves the deals it was on only through the merge, keeps its own role on the
  -- others, and each merged contact is back on its deals (a deal deleted since stays deleted)
  delete from deal_contacts dc
  using jsonb_populate_recordset(null::crm.deal_contacts, coalesce(m.snapshot -> 'dealContacts', '[]')) o
  where dc.workspace_id = ws and dc.contact_id = m.survivor_id and dc.deal_id = o.deal_id
    and not exists (select 1 from jsonb_populate_recordset(null::crm.deal_contacts, coalesce(m.snapshot -> 'survivorDeals', '[]')) sd
                    where sd.deal_id = o.deal_id);
  update deal_contacts dc set role = sd.role
  from jsonb_populate_recordset(null::crm.deal_contacts, coalesce(m.snapshot -> 'survivorDeals', '[]')) sd
  where dc.workspace_id = ws and dc.contact_id = m.survivor_id and dc.deal_id = sd.deal_id;
  insert into deal_contacts (workspace_id, deal_id, contact_id, role, added_at)
  select ws, o.deal_id, o.contact_id, o.role, o.added_at
  from jsonb_populate_recordset(null::crm.deal_contacts, coalesce(m.snapshot -> 'dealContacts', '[]')) o
  where exists (select 1 from deals d where d.workspace_id = ws and d.id = o.deal_id)
  on conflict do nothing;

  update merges set undone_at = at, undone_by = me.id where id = m.id;

  perform crm.audit(ws, me.id, src, 'contact', s.id, 'unmerge', before,
    crm.contact_json(s) || jsonb_build_object('mergeId', m.id, 'restoredIds', to_jsonb(m.merged_ids)));
  for l in select * from contacts where workspace_id = ws and id = any (m.merged_ids) order by array_position(m.merged_ids, id) loop
    perform crm.audit(ws, me.id, src, 'contact', l.id, 'unmerge', jsonb_build_object('mergedIntoId', m.survivor_id),
      crm.contact_json(l) || jsonb_build_object('mergeId', m.id));
  end loop;

  return jsonb_build_object(
    'undone', true,
    'contact', crm.contact_card(s, me.id, 10),
    'restored', coalesce((select jsonb_agg(crm.contact_json(c) order by array_position(m.merged_ids, c.id))
                          from contacts c where c.workspace_id = ws and c.id = any (m.merged_ids)), '[]'::jsonb));
end
$function$;

revoke execute on function api.merge_undo(ctx jsonb, args jsonb) from public;
grant execute on function api.merge_undo(ctx jsonb, args jsonb) to service_role;

create or replace function api.contact_erase(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ids uuid[] := crm.person_for_admin(me, args);
  emails text[];
  pii text[];
  touched uuid[];
  gone uuid[];
  n_follow int;
  n_audit int;
begin
  perform 1 from contacts where workspace_id = ws and id = any (ids) for update;
  select coalesce(array_agg(lower(email)), '{}') into emails from contact_emails where workspace_id = ws and contact_id = any (ids);
  select array_agg(distinct s) filter (where s is not null and length(s) >= 2) into pii from (
    select name as s from contacts where workspace_id = ws and id = any (ids)
    union select phone from contacts where workspace_id = ws and id = any (ids)
    union select unnest(emails)
    union select p.display_name from interaction_participants p
      where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails))
    union select p.address from interaction_participants p where p.workspace_id = ws and p.contact_id = any (ids)
  ) x;
  pii := coalesce(pii, '{}');

  select coalesce(array_agg(distinct p.interaction_id), '{}') into touched from interaction_participants p
    where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails));
  -- interactions no other external person took part in
  select coalesce(array_agg(i), '{}') into gone from unnest(touched) i
    where not exists (
      select 1 from interaction_participants o
      where o.workspace_id = ws and o.interaction_id = i and o.member_id is null
        and not (coalesce(o.contact_id = any (ids), false) or coalesce(o.address = any (emails), false))
        and (o.contact_id is not null or o.address is not null));

  update follow_ups set source_interaction_id = null
    where workspace_id = ws and source_interaction_id = any (gone) and not (contact_id = any (ids));
  delete from follow_ups where workspace_id = ws and contact_id = any (ids);
  get diagnostics n_follow = row_count;
  delete from interaction_participants where workspace_id = ws and interaction_id = any (gone);
  delete from interactions where workspace_id = ws and id = any (gone);
  delete from interaction_participants
    where workspace_id = ws and interaction_id = any (touched) and (contact_id = any (ids) or address = any (emails));
  update interactions set subject = crm.redact_text(subject, pii), body = crm.redact_text(body, pii)
    where workspace_id = ws and id = any (touched);
  delete from capture_refusals where workspace_id = ws and lower(btrim(sender)) = any (emails);
  delete from duplicate_dismissals where workspace_id = ws and (contact_a = any (ids) or contact_b = any (ids));
  delete from merges where workspace_id = ws and (survivor_id = any (ids) or merged_ids && ids);
  delete from slack_channel_links where workspace_id = ws and contact_id = any (ids);
  -- their part in deals goes (the deals stay: they are the team's, not the person's)
  delete from deal_contacts where workspace_id = ws and contact_id = any (ids);
  delete from contact_emails where workspace_id = ws and contact_id = any (ids);
  update contacts set merged_into_id = null where workspace_id = ws and id = any (ids);
  delete from contacts where workspace_id = ws and id = any (ids);

  n_audit := crm.audit_anonymise(ws, ids, pii);
  perform crm.audit(ws, me.id, crm.ctx_source(ctx), 'contact', ids[1], 'erase', null, jsonb_build_object(
    'erased', true, 'contacts', cardinality(ids), 'interactionsDeleted', cardinality(gone),
    'interactionsRedacted', cardinality(touched) - cardinality(gone), 'followUps', n_follow, 'auditEntries', n_audit));
  return jsonb_build_object('erased', true, 'id', ids[1], 'contacts', cardinality(ids),
    'interactionsDeleted', cardinality(gone), 'interactionsRedacted', cardinality(touched) - cardinality(gone),
    'followUps', n_follow, 'auditEntries', n_audit);
end
$function$;

revoke execute on function api.contact_erase(ctx jsonb, args jsonb) from public;
grant execute on function api.contact_erase(ctx jsonb, args jsonb) to service_role;

create or replace function api.gmail_context(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
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
begin
  select * into w from workspaces where id = ws;

  select jsonb_build_object('interactionId', i.id, 'by', crm.member_brief(ws, i.author_id), 'at', i.created_at)
    into logged
  from interactions i
  where i.workspace_id = ws and i.dedupe_key = crm.dedupe_key('email', 'gmail', m ->> 'messageId')
    and i.deleted_at is null and crm.can_see(ws, me.id, i.visibility, i.author_id);

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
    'people', coalesce(people, '[]'::jsonb),
    'more', greatest(total - cap, 0),
    'deals', deal_lists,
    'pipeline', crm.pipeline_json(ws));
end
$function$;

revoke execute on function api.gmail_context(ctx jsonb, args jsonb) from public;
grant execute on function api.gmail_context(ctx jsonb, args jsonb) to service_role;
