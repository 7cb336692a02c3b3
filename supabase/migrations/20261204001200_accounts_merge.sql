-- Duplicate companies (issue 18): found and merged as contacts are, with undo.
--
-- Two live companies are duplicates when their names are equal once legal
-- forms and width are folded (match_key: "Acme" and "ACME Inc.", "株式会社アクメ"
-- and "ｱｸﾒ(株)"), or when one's domain is a subdomain of the other's
-- (jp.acme.com and acme.com; two companies never share a domain itself).
--
-- A merge moves everything that points at the merged companies to the one
-- kept: its contacts, deals, domains and linked Slack channels; the kept
-- company fills its empty fields from them. The merged companies stay, with
-- merged_into_id set and no domain, so the merge can be undone within 30 days:
-- each moved row goes back if it still points at the kept company, each field
-- the merge filled goes back unless changed since. Contacts' own merges
-- (crm.merges, api.merge_undo) are untouched; company merges have their own
-- table and undo. After a merge, two contacts with the same name at the two
-- companies share a company, so crm.duplicate_candidates pairs them.

create function crm.company_duplicate_candidates(ws uuid)
returns table (a uuid, b uuid, reason text, score numeric, newest timestamptz)
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
begin
  return query
  with pairs as (
    select x.id as x, y.id as y, 'name'::text as reason, 1.0::numeric as score
    from companies x
    join companies y on y.workspace_id = ws and y.match_key = x.match_key and y.id <> x.id and y.merged_into_id is null
    where x.workspace_id = ws and x.merged_into_id is null
    union all
    -- a subdomain: each domain's parents (jp.acme.com -> acme.com), looked up exactly
    select d.company_id, p.company_id, 'domain', 1.0
    from company_domains d
    cross join lateral (
      select substr(d.domain, length(array_to_string((string_to_array(d.domain, '.'))[1:k], '.')) + 2) as parent
      from generate_series(1, array_length(string_to_array(d.domain, '.'), 1) - 2) k) up
    join company_domains p on p.workspace_id = ws and p.domain = up.parent and p.company_id <> d.company_id
    where d.workspace_id = ws
  ), best as (
    select distinct on (least(p.x, p.y), greatest(p.x, p.y)) least(p.x, p.y) as x, greatest(p.x, p.y) as y, p.reason, p.score
    from pairs p
    order by least(p.x, p.y), greatest(p.x, p.y), array_position(array['domain', 'name'], p.reason)
  )
  select
    case when (cx.created_at, cx.id) < (cy.created_at, cy.id) then cx.id else cy.id end,
    case when (cx.created_at, cx.id) < (cy.created_at, cy.id) then cy.id else cx.id end,
    bp.reason, bp.score, greatest(cx.created_at, cy.created_at)
  from best bp
  join companies cx on cx.workspace_id = ws and cx.id = bp.x and cx.merged_into_id is null
  join companies cy on cy.workspace_id = ws and cy.id = bp.y and cy.merged_into_id is null;
end
$$;

-- a company in a duplicate pair or a merge answer
create function crm.company_summary(ws uuid, cid uuid) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
begin
  return (select crm.account_json(co) || jsonb_build_object(
      'peopleCount', (select count(*) from contacts c where c.workspace_id = ws and c.company_id = co.id and c.merged_into_id is null))
    from companies co where co.workspace_id = ws and co.id = cid);
end
$$;

create function api.company_duplicates_list(ctx jsonb, args jsonb) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 20), 1), 100);
begin
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object(
        'a', crm.company_summary(me.workspace_id, d.a), 'b', crm.company_summary(me.workspace_id, d.b),
        'reason', d.reason, 'score', d.score) order by d.ord)
    from (
      select x.*, row_number() over (order by array_position(array['domain', 'name'], x.reason), x.newest desc, x.a, x.b) as ord
      from crm.company_duplicate_candidates(me.workspace_id) x
      order by ord
      limit lim
    ) d), '[]'::jsonb));
end
$$;

create function api.company_merge(ctx jsonb, args jsonb) returns jsonb
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
  s crm.companies;
  l crm.companies;
  fid uuid;
  snap jsonb;
  before jsonb;
  merged_before jsonb;
  mid uuid;
begin
  if cardinality(ids) not between 1 and 20 then
    perform crm.fail(400, 'merge_from_count', jsonb_build_object('max', 20));
  end if;
  if (select count(distinct x) from unnest(ids) x) <> cardinality(ids) then
    perform crm.fail(400, 'merge_from_repeated', '{}');
  end if;
  -- locked in id order, so two merges of the same companies queue instead of deadlocking
  perform 1 from companies where workspace_id = ws and id = any (ids || sid) order by id for update;
  select * into s from companies where workspace_id = ws and id = sid;
  if s.id is null then
    perform crm.fail(404, 'company_not_found', jsonb_build_object('id', sid));
  end if;
  if s.merged_into_id is not null then
    perform crm.fail(400, 'company_merge_merged', jsonb_build_object('id', s.id, 'name', s.name, 'intoId', s.merged_into_id));
  end if;
  if sid = any (ids) then
    perform crm.fail(400, 'merge_into_itself', jsonb_build_object('id', s.id, 'name', s.name));
  end if;
  foreach fid in array ids loop
    select * into l from companies where workspace_id = ws and id = fid;
    if l.id is null then
      perform crm.fail(404, 'company_not_found', jsonb_build_object('id', fid));
    end if;
    if l.merged_into_id is not null then
      perform crm.fail(400, 'company_merge_merged', jsonb_build_object('id', l.id, 'name', l.name, 'intoId', l.merged_into_id));
    end if;
  end loop;

  before := crm.account_json(s);
  merged_before := (select jsonb_object_agg(c.id::text, crm.account_json(c)) from companies c where c.workspace_id = ws and c.id = any (ids));
  snap := jsonb_build_object(
    'survivor', to_jsonb(s) - 'match_key' - 'name_key',
    'merged', (select jsonb_agg(to_jsonb(c) - 'match_key' - 'name_key' order by array_position(ids, c.id))
               from companies c where c.workspace_id = ws and c.id = any (ids)),
    'contacts', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'companyId', c.company_id) order by c.id)
                          from contacts c where c.workspace_id = ws and c.company_id = any (ids)), '[]'),
    'deals', coalesce((select jsonb_agg(jsonb_build_object('id', d.id, 'companyId', d.company_id) order by d.id)
                       from deals d where d.workspace_id = ws and d.company_id = any (ids)), '[]'),
    'domains', coalesce((select jsonb_agg(jsonb_build_object('domain', d.domain, 'companyId', d.company_id) order by d.domain)
                         from company_domains d where d.workspace_id = ws and d.company_id = any (ids)), '[]'),
    'channelLinks', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'companyId', k.company_id) order by k.id)
                              from slack_channel_links k where k.workspace_id = ws and k.company_id = any (ids)), '[]'));

  update contacts set company_id = sid, updated_at = now() where workspace_id = ws and company_id = any (ids);
  update deals set company_id = sid, updated_at = now() where workspace_id = ws and company_id = any (ids);
  update slack_channel_links set company_id = sid where workspace_id = ws and company_id = any (ids);
  -- the merged companies lose their primary domain first: the rows move to the kept one
  update companies set domain = null where workspace_id = ws and id = any (ids) and domain is not null;
  update company_domains set company_id = sid where workspace_id = ws and company_id = any (ids);

  update companies c set
    domain = coalesce(c.domain, (select d.domain from company_domains d where d.workspace_id = ws and d.company_id = sid
              order by d.created_at, d.domain limit 1)),
    industry = coalesce(c.industry, (select m.industry from companies m where m.workspace_id = ws and m.id = any (ids)
              and m.industry is not null order by array_position(ids, m.id) limit 1)),
    size = coalesce(c.size, (select m.size from companies m where m.workspace_id = ws and m.id = any (ids)
              and m.size is not null order by array_position(ids, m.id) limit 1)),
    owner_id = coalesce(c.owner_id, (select m.owner_id from companies m where m.workspace_id = ws and m.id = any (ids)
              and m.owner_id is not null order by array_position(ids, m.id) limit 1)),
    tags = c.tags || array(select t.tag from (
              select distinct on (u.tag) u.tag, array_position(ids, m.id) as o, u.n
              from companies m cross join lateral unnest(m.tags) with ordinality u(tag, n)
              where m.workspace_id = ws and m.id = any (ids) and not (u.tag = any (c.tags))
              order by u.tag, 2, u.n) t order by t.o, t.n),
    custom = c.custom || coalesce((select jsonb_object_agg(f.key, f.value) from (
              select distinct on (kv.key) kv.key, kv.value
              from companies m cross join lateral jsonb_each(m.custom) kv
              where m.workspace_id = ws and m.id = any (ids) and kv.value not in ('null'::jsonb, '""'::jsonb)
                and coalesce(c.custom -> kv.key, 'null'::jsonb) in ('null'::jsonb, '""'::jsonb)
              order by kv.key, array_position(ids, m.id)) f), '{}'::jsonb),
    updated_at = now()
  where c.workspace_id = ws and c.id = sid
  returning * into s;
  update companies set merged_into_id = sid, updated_at = now() where workspace_id = ws and id = any (ids);

  insert into company_merges (workspace_id, survivor_id, merged_ids, snapshot, created_by, created_at)
  values (ws, sid, ids, snap || jsonb_build_object('survivorAfter', to_jsonb(s) - 'match_key' - 'name_key'), me.id, at)
  returning id into mid;

  perform crm.audit(ws, me.id, src, 'company', sid, 'merge', before,
    crm.account_json(s) || jsonb_build_object('mergeId', mid, 'mergedIds', to_jsonb(ids)));
  for l in select * from companies where workspace_id = ws and id = any (ids) order by array_position(ids, id) loop
    perform crm.audit(ws, me.id, src, 'company', l.id, 'merge', merged_before -> l.id::text,
      crm.account_json(l) || jsonb_build_object('mergeId', mid));
  end loop;

  return jsonb_build_object(
    'merge', jsonb_build_object('id', mid, 'survivorId', sid, 'mergedIds', to_jsonb(ids),
      'merged', (select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by array_position(ids, c.id))
                 from companies c where c.workspace_id = ws and c.id = any (ids)),
      'createdAt', at, 'undoableUntil', at + interval '30 days'),
    'company', crm.account_card(s, me.id));
end
$$;

create function api.company_merge_undo(ctx jsonb, args jsonb) returns jsonb
language plpgsql
set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  at timestamptz := crm.ctx_now(ctx);
  m crm.company_merges;
  s crm.companies;
  was crm.companies;
  aft crm.companies;
  before jsonb;
  added_tags text[];
  new_custom jsonb;
  k text;
  l crm.companies;
begin
  select * into m from company_merges where workspace_id = ws and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'merge_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  if m.undone_at is not null then
    perform crm.fail(409, 'merge_already_undone', jsonb_build_object('id', m.id, 'undoneAt', m.undone_at));
  end if;
  if at > m.created_at + interval '30 days' then
    perform crm.fail(409, 'merge_undo_expired', jsonb_build_object('id', m.id, 'until', m.created_at + interval '30 days'));
  end if;
  perform 1 from companies where workspace_id = ws and id = any (m.merged_ids || m.survivor_id) order by id for update;
  select * into s from companies where workspace_id = ws and id = m.survivor_id;
  if s.merged_into_id is not null then
    perform crm.fail(409, 'merge_undo_blocked', jsonb_build_object('id', m.id, 'name', s.name,
      'intoName', (select name from companies where workspace_id = ws and id = s.merged_into_id)));
  end if;
  was := jsonb_populate_record(null::crm.companies, m.snapshot -> 'survivor');
  aft := jsonb_populate_record(null::crm.companies, m.snapshot -> 'survivorAfter');
  before := crm.account_json(s);

  -- the domains first (the kept company's primary may be one of them), then the companies as they were
  update companies set domain = null
  where workspace_id = ws and id = s.id and domain in (select o ->> 'domain' from jsonb_array_elements(m.snapshot -> 'domains') o);
  update company_domains d set company_id = (o ->> 'companyId')::uuid
  from jsonb_array_elements(m.snapshot -> 'domains') o
  where d.workspace_id = ws and d.domain = o ->> 'domain' and d.company_id = m.survivor_id;
  update companies c set name = o.name, industry = o.industry, size = o.size, owner_id = o.owner_id, tags = o.tags,
    custom = o.custom, merged_into_id = o.merged_into_id, updated_at = o.updated_at,
    domain = case when exists (select 1 from company_domains d where d.workspace_id = ws and d.domain = o.domain and d.company_id = o.id)
                  then o.domain end
  from jsonb_populate_recordset(null::crm.companies, m.snapshot -> 'merged') o
  where c.workspace_id = ws and c.id = o.id;

  -- the kept company: each field the merge filled goes back, unless changed since
  added_tags := array(select t from unnest(aft.tags) t where not (t = any (was.tags)));
  new_custom := s.custom;
  for k in select a.key from jsonb_each(aft.custom) a where a.value is distinct from was.custom -> a.key loop
    if s.custom -> k is not distinct from aft.custom -> k then
      new_custom := case when was.custom ? k then new_custom || jsonb_build_object(k, was.custom -> k) else new_custom - k end;
    end if;
  end loop;
  update companies c set
    domain = case when c.domain is null and was.domain is not null and exists (
                    select 1 from company_domains d where d.workspace_id = ws and d.domain = was.domain and d.company_id = c.id)
                  then was.domain
                  when c.domain is not distinct from aft.domain and was.domain is null then null
                  else c.domain end,
    industry = case when c.industry is not distinct from aft.industry then was.industry else c.industry end,
    size = case when c.size is not distinct from aft.size then was.size else c.size end,
    owner_id = case when c.owner_id is not distinct from aft.owner_id then was.owner_id else c.owner_id end,
    tags = array(select t from unnest(c.tags) with ordinality u(t, n) where not (t = any (added_tags)) order by n),
    custom = new_custom,
    updated_at = now()
  where c.workspace_id = ws and c.id = s.id
  returning c.* into s;

  -- rows the merge moved go back to their company, where they are still on the kept one
  update contacts c set company_id = (o ->> 'companyId')::uuid, updated_at = now()
  from jsonb_array_elements(m.snapshot -> 'contacts') o
  where c.workspace_id = ws and c.id = (o ->> 'id')::uuid and c.company_id = m.survivor_id;
  update deals d set company_id = (o ->> 'companyId')::uuid, updated_at = now()
  from jsonb_array_elements(m.snapshot -> 'deals') o
  where d.workspace_id = ws and d.id = (o ->> 'id')::uuid and d.company_id = m.survivor_id;
  update slack_channel_links k set company_id = (o ->> 'companyId')::uuid
  from jsonb_array_elements(m.snapshot -> 'channelLinks') o
  where k.workspace_id = ws and k.id = (o ->> 'id')::uuid and k.company_id = m.survivor_id;

  update company_merges set undone_at = at, undone_by = me.id where id = m.id;

  perform crm.audit(ws, me.id, src, 'company', s.id, 'unmerge', before,
    crm.account_json(s) || jsonb_build_object('mergeId', m.id, 'restoredIds', to_jsonb(m.merged_ids)));
  for l in select * from companies where workspace_id = ws and id = any (m.merged_ids) order by array_position(m.merged_ids, id) loop
    perform crm.audit(ws, me.id, src, 'company', l.id, 'unmerge', jsonb_build_object('mergedIntoId', m.survivor_id),
      crm.account_json(l) || jsonb_build_object('mergeId', m.id));
  end loop;

  return jsonb_build_object(
    'undone', true,
    'company', crm.account_card(s, me.id),
    'restored', coalesce((select jsonb_agg(crm.account_json(c) order by array_position(m.merged_ids, c.id))
                          from companies c where c.workspace_id = ws and c.id = any (m.merged_ids)), '[]'::jsonb));
end
$$;

do $$
declare
  f text;
begin
  foreach f in array array[
    'crm.company_duplicate_candidates(uuid)', 'crm.company_summary(uuid, uuid)',
    'api.company_duplicates_list(jsonb, jsonb)', 'api.company_merge(jsonb, jsonb)', 'api.company_merge_undo(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end
$$;
