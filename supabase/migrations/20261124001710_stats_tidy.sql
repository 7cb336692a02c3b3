-- The team's numbers and incomplete records.
--
-- api.stats is one set-based read of the caller's scope: a rep's own contacts
-- and activity, a manager's team (crm.team_of), an admin's whole workspace.
-- api.tidy lists the scope's contacts missing a company, an owner or any
-- interaction in 90 days, each with the fix Rapport knows; api.tidy_fix
-- applies one (audited like any contact update).

-- stage changes in a period (api.stats): contact updates by time
create index audit_contact_updates_idx on crm.audit_log (workspace_id, at)
  where entity_type = 'contact' and action = 'update';

-- Whose numbers the caller reads: everyone (admin), else crm.team_of. null
-- means the whole workspace.
create or replace function crm.scope_of(me crm.members) returns uuid[]
  language sql stable
  set search_path = crm, pg_catalog
as $$ select case when me.role = 'admin' then null else array(select crm.team_of(me.workspace_id, me.id)) end $$;

-- args: {period: 'week' | 'month'}. The last 7 days or the last month up to
-- ctx now, for the caller's scope (see crm.scope_of; contacts by owner):
--   contacts:      now, by stage and by time zone;
--   stageMoves:    contact updates in the audit log that changed the stage, from -> to;
--   interactions:  authored by the scope's members in the period, by rep and kind;
--   followUps:     of the scope's owners: created and done in the period, overdue now;
--   replies:       per inbound email with a scope contact in the period, the first
--                  later outbound interaction (any kind, up to now) with that
--                  contact; the median of the gaps in minutes (null when none).
create or replace function api.stats(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  now_ timestamptz := crm.ctx_now(ctx);
  per text := coalesce(args ->> 'period', 'week');
  since timestamptz;
  team uuid[];
  everyone boolean;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  since := case per when 'month' then now_ - interval '1 month' else now_ - interval '7 days' end;
  team := crm.scope_of(me);
  everyone := team is null;

  return (
    -- scope contacts are read in one pass (counts) or by primary key (moves,
    -- inbound emails), never materialised: a manager's team may own 100,000
    with counts as (
      select c.stage, c.timezone, count(*) as n from contacts c
      where c.workspace_id = ws and c.merged_into_id is null and (everyone or c.owner_id = any (team))
      group by c.stage, c.timezone
    ), stages as (
      select s.stage, s.n as ord, coalesce(sum(x.n), 0) as n
      from unnest(array['lead', 'prospect', 'customer', 'churned']) with ordinality s(stage, n)
      left join counts x on x.stage = s.stage
      group by s.stage, s.n
    ), zones as (
      select x.timezone, sum(x.n) as n from counts x group by x.timezone
    ), moves as (
      select a.before ->> 'stage' as f, a.after ->> 'stage' as t, count(*) as n
      from audit_log a
      join contacts c on c.workspace_id = ws and c.id = a.entity_id
      where a.workspace_id = ws and a.entity_type = 'contact' and a.action = 'update'
        and a.at >= since and a.at <= now_
        and a.before ? 'stage' and a.after ? 'stage' and a.before ->> 'stage' is distinct from a.after ->> 'stage'
        and c.merged_into_id is null and (everyone or c.owner_id = any (team))
      group by 1, 2
    ), acts as (
      select i.author_id, i.kind, count(*) as n
      from interactions i
      where i.workspace_id = ws and i.deleted_at is null and i.author_id is not null
        and (everyone or i.author_id = any (team))
        and i.occurred_at >= since and i.occurred_at <= now_
      group by i.author_id, i.kind
    ), reps as (
      select m.id, m.display_name,
        coalesce(sum(a.n), 0) as total,
        jsonb_build_object(
          'email', coalesce(sum(a.n) filter (where a.kind = 'email'), 0),
          'slack', coalesce(sum(a.n) filter (where a.kind = 'slack'), 0),
          'call', coalesce(sum(a.n) filter (where a.kind = 'call'), 0),
          'meeting', coalesce(sum(a.n) filter (where a.kind = 'meeting'), 0),
          'note', coalesce(sum(a.n) filter (where a.kind = 'note'), 0)) as kinds
      from members m
      left join acts a on a.author_id = m.id
      where m.workspace_id = ws and (everyone or m.id = any (team))
      group by m.id, m.display_name, m.active
      having m.active or coalesce(sum(a.n), 0) > 0
    ), fu as (
      select
        count(*) filter (where f.created_at >= since and f.created_at <= now_) as created,
        count(*) filter (where f.status = 'done' and f.completed_at >= since and f.completed_at <= now_) as done,
        count(*) filter (where f.status = 'open' and f.due_at < now_) as overdue
      from follow_ups f
      where f.workspace_id = ws and (everyone or f.owner_id = any (team))
    ), inbound as (
      select distinct i.id, i.occurred_at, p.contact_id
      from interactions i
      -- (participants carry occurred_at: the period bounds their index scan too)
      join interaction_participants p on p.workspace_id = ws and p.interaction_id = i.id
        and p.occurred_at >= since and p.occurred_at <= now_
      join contacts c on c.workspace_id = ws and c.id = p.contact_id
      where i.workspace_id = ws and i.kind = 'email' and i.direction = 'inbound' and i.deleted_at is null
        and c.merged_into_id is null and (everyone or c.owner_id = any (team))
        and i.occurred_at >= since and i.occurred_at <= now_
    ), gaps as (
      -- per inbound email: its earliest reply over all its contacts
      select ib.id, extract(epoch from min(r.at) - ib.occurred_at) / 60 as minutes
      from inbound ib
      left join lateral (
        select p2.occurred_at as at
        from interaction_participants p2
        join interactions o on o.workspace_id = ws and o.id = p2.interaction_id
        where p2.workspace_id = ws and p2.contact_id = ib.contact_id
          and p2.occurred_at > ib.occurred_at and p2.occurred_at <= now_
          and o.direction = 'outbound' and o.deleted_at is null
        order by p2.occurred_at
        limit 1
      ) r on true
      group by ib.id, ib.occurred_at
    )
    select jsonb_build_object(
      'period', per, 'from', since, 'to', now_,
      'scope', case when everyone then 'workspace' when cardinality(team) > 1 then 'team' else 'own' end,
      'members', case when everyone then (select count(*) from members m where m.workspace_id = ws and m.active)
                      else cardinality(team) end,
      'contacts', jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from counts),
        'byStage', (select jsonb_agg(jsonb_build_object('stage', stage, 'count', n) order by ord) from stages),
        'byTimezone', coalesce((select jsonb_agg(jsonb_build_object('timezone', timezone, 'count', n)
                                 order by n desc, timezone nulls last) from zones), '[]'::jsonb)),
      'stageMoves', coalesce((select jsonb_agg(jsonb_build_object('from', f, 'to', t, 'count', n) order by n desc, f, t)
                              from moves), '[]'::jsonb),
      'interactions', jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from acts),
        'byKind', (select jsonb_object_agg(k, (select coalesce(sum(n), 0) from acts where kind = k))
                   from unnest(array['email', 'slack', 'call', 'meeting', 'note']) k),
        'byRep', coalesce((select jsonb_agg(jsonb_build_object('rep', jsonb_build_object('id', id, 'name', display_name),
                   'total', total, 'byKind', kinds) order by total desc, display_name, id) from reps), '[]'::jsonb)),
      'followUps', (select jsonb_build_object('created', created, 'done', done, 'overdue', overdue) from fu),
      'replies', jsonb_build_object(
        'inboundEmails', (select count(*) from gaps),
        'answered', (select count(*) from gaps where minutes is not null),
        'medianMinutes', (select round((percentile_cont(0.5) within group (order by minutes))::numeric, 1)
                          from gaps where minutes is not null)))
  );
end
$$;

-- The scope's contacts (owned by it; for a non-admin also unowned ones that a
-- scope member or nobody created) with something to tidy, worst first.
-- A contact younger than 90 days is not stale for lacking interactions.
create or replace function api.tidy(ctx jsonb, args jsonb) returns jsonb
  language plpgsql stable
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  now_ timestamptz := crm.ctx_now(ctx);
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 20), 1), 100);
  team uuid[];
  everyone boolean;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  team := crm.scope_of(me);
  everyone := team is null;
  return (
    -- narrow rows: only the page's contacts are read in full
    with bad as (
      select c.id, c.name_key, c.company_id is null as no_company, c.owner_id is null as no_owner,
        coalesce(c.last_interaction_at, c.created_at) < now_ - interval '90 days' as stale
      from contacts c
      where c.workspace_id = ws and c.merged_into_id is null
        and (everyone or c.owner_id = any (team)
             or (c.owner_id is null and (c.created_by is null or c.created_by = any (team))))
        and (c.company_id is null or c.owner_id is null
             or coalesce(c.last_interaction_at, c.created_at) < now_ - interval '90 days')
    ), totals as (
      select count(*) as total, count(*) filter (where no_company) as no_company,
        count(*) filter (where no_owner) as no_owner, count(*) filter (where stale) as stale
      from bad
    ), page as (
      select b.*, c.name, c.stage, c.company_id, c.owner_id, c.last_interaction_at, c.created_at,
        (b.no_company::int + b.no_owner::int + b.stale::int) as n_problems
      from (select * from bad order by (no_company::int + no_owner::int + stale::int) desc, name_key, id limit lim) b
      join contacts c on c.workspace_id = ws and c.id = b.id
    ), items as (
      select p.id, p.n_problems, p.name_key, jsonb_build_object(
        'contact', jsonb_build_object('id', p.id, 'name', p.name, 'stage', p.stage,
          'email', (select e.email from contact_emails e where e.workspace_id = ws and e.contact_id = p.id
                    order by e.is_primary desc, e.created_at, e.email limit 1),
          'company', crm.company_json(ws, p.company_id), 'owner', crm.member_brief(ws, p.owner_id),
          'lastInteractionAt', p.last_interaction_at, 'createdAt', p.created_at),
        'problems', to_jsonb(array_remove(array[
          case when p.no_company then 'no_company' end,
          case when p.no_owner then 'no_owner' end,
          case when p.stale then 'no_recent_interaction' end], null)),
        'fixes', to_jsonb(array_remove(array[
          case when p.no_company and d.dom is not null then jsonb_build_object('fix', 'company_from_domain',
            'domain', d.dom, 'company', coalesce(co.name, crm.company_name_from_domain(d.dom)), 'companyExists', co.id is not null) end,
          case when p.no_owner then jsonb_build_object('fix', 'owner_me') end], null))) as j
      from page p
      -- the address crm.resolve_company would take: primary first, not free mail, not internal
      left join lateral (
        select crm.email_domain(e.email) as dom from contact_emails e
        where e.workspace_id = ws and e.contact_id = p.id and not crm.is_free_mail(w, e.email) and not crm.is_internal(w, e.email)
        order by e.is_primary desc, e.created_at, e.email
        limit 1
      ) d on p.no_company
      left join companies co on co.workspace_id = ws and co.domain = d.dom
    )
    select jsonb_build_object(
      'total', t.total,
      'counts', jsonb_build_object('noCompany', t.no_company, 'noOwner', t.no_owner, 'noRecentInteraction', t.stale),
      'items', coalesce((select jsonb_agg(j order by n_problems desc, name_key, id) from items), '[]'::jsonb))
    from totals t
  );
end
$$;

-- args: {contactId, fix: 'company_from_domain' | 'owner_me'}. 409 when it no
-- longer applies (someone fixed it first) or no company can be found from the
-- contact's addresses. Taking a contact one already owns is a no-op.
create or replace function api.tidy_fix(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'contactId')::uuid);
  fix text := args ->> 'fix';
  before jsonb;
  after jsonb;
  co uuid;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  select * into w from workspaces where id = ws;
  select * into c from contacts where workspace_id = ws and id = c.id for update;
  before := crm.contact_json(c);
  if fix = 'company_from_domain' then
    if c.company_id is not null then
      perform crm.fail(409, 'tidy_already_fixed', jsonb_build_object('contact', crm.contact_brief(ws, c.id)));
    end if;
    co := crm.resolve_company(w, null,
      array(select e.email from contact_emails e where e.workspace_id = ws and e.contact_id = c.id
            order by e.is_primary desc, e.created_at, e.email), me.id, src);
    if co is null then
      perform crm.fail(409, 'tidy_fix_unavailable', jsonb_build_object('contact', crm.contact_brief(ws, c.id)));
    end if;
    update contacts set company_id = co, updated_at = now() where workspace_id = ws and id = c.id returning * into c;
  elsif fix = 'owner_me' then
    if c.owner_id is not null and c.owner_id <> me.id then
      perform crm.fail(409, 'tidy_already_fixed', jsonb_build_object('contact', crm.contact_brief(ws, c.id)));
    end if;
    update contacts set owner_id = me.id, updated_at = case when owner_id is null then now() else updated_at end
      where workspace_id = ws and id = c.id returning * into c;
  else
    perform crm.fail(400, 'invalid_value', jsonb_build_object('field', 'fix'));
  end if;
  after := crm.contact_json(c);
  if after - 'updatedAt' is distinct from before - 'updatedAt' then
    perform crm.audit(ws, me.id, src, 'contact', c.id, 'update',
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key and key <> 'updatedAt'),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key and key <> 'updatedAt'));
  end if;
  return jsonb_build_object('fix', fix, 'contact', after);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
