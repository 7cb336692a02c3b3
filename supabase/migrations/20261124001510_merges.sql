-- Merges that can be undone for 30 days (the duplicates they resolve are in
-- 20261124001500_duplicates.sql).
--
-- A merge is one function call: the merged contacts' addresses, interaction
-- participant links, follow-ups (open and done), channel links and tags move to
-- the survivor; the survivor's empty fields (title, phone, company, owner,
-- timezone, custom keys) are filled from the merged ones, in the order given;
-- its stage is kept unless it is 'lead', when it takes the furthest stage among
-- them (customer > churned > prospect > lead: a churned contact was a customer
-- once, but a current customer is further along). Merged contacts keep their
-- rows with merged_into_id set, so every old id still resolves
-- (crm.contact_or_404 follows it). crm.merges keeps the rows as they were, so
-- api.merge_undo can put everything back within 30 days; a field changed
-- after the merge keeps its newer value.


-- Furthest stage for a lead survivor: customer > churned > prospect > lead.
create or replace function crm.stage_rank(stage text) returns int
  language sql immutable parallel safe
  set search_path = pg_catalog
as $$ select array_position(array['lead', 'prospect', 'churned', 'customer'], stage) $$;

-- {id, from: [ids]}: merge the contacts in from into id (see the header).
create or replace function api.contact_merge(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
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
                              from slack_channel_links k where k.workspace_id = ws and k.contact_id = any (ids)), '[]'));

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
$$;

-- {id}: put a merge back, within 30 days, once.
create or replace function api.merge_undo(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
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
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
