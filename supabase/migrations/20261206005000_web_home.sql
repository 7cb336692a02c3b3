-- The web companion's home and pipeline pages (issue 20): one call each.
--
-- api.web_search answers the search box of `/` (and its as-you-type
-- fragment, /search): contacts found as GET /api/contacts?q= finds them
-- (names with 1-2 CJK characters, addresses, their company, phone digits)
-- and companies as GET /api/companies?q= (names with or without the legal
-- form, any domain), by calling those very functions, so the two searches
-- never drift apart. Only what a result line shows is returned.
--
-- api.web_home is the whole of `/`: the search when a query is given, and
-- the member's own open follow-ups (api.follow_ups_list's, so the same
-- private-interaction rule holds) in three groups: overdue (due before
-- now), today (due later today in the member's time zone) and upcoming,
-- at most 25 of each with how many there are.
--
-- api.web_deals is `/deals`: the workspace's pipeline in order, each stage
-- with its open deals (crm.deal_json, as GET /api/deals shows them), the
-- number of them and their totals per currency (never converted), scoped
-- like the API's lists: mine, my team (crm.team_of; everyone for an admin),
-- everyone, or one owner; with the members to choose an owner from, and
-- how many deals in that scope were won and lost this month (the member's).

create function api.web_search(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  q text := nullif(btrim(args ->> 'q'), '');
  lim int := least(greatest(coalesce((args ->> 'limit')::int, 10), 1), 25);
  found jsonb;
  companies jsonb;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if q is null then
    return jsonb_build_object('q', '', 'contacts', '[]'::jsonb, 'companies', '[]'::jsonb);
  end if;
  found := api.contacts_list(ctx, jsonb_build_object('q', q, 'limit', lim)) -> 'items';
  companies := api.companies_list(ctx, jsonb_build_object('q', q, 'limit', lim)) -> 'items';
  return jsonb_build_object(
    'q', q,
    'contacts', coalesce((select jsonb_agg(jsonb_build_object(
        'id', c ->> 'id', 'name', c ->> 'name', 'title', c -> 'title',
        'email', c #> '{emails,0}', 'company', c #> '{company,name}') order by o)
      from jsonb_array_elements(found) with ordinality x(c, o)), '[]'::jsonb),
    'companies', coalesce((select jsonb_agg(jsonb_build_object(
        'id', co ->> 'id', 'name', co ->> 'name', 'domain', co -> 'domain') order by o)
      from jsonb_array_elements(companies) with ordinality x(co, o)), '[]'::jsonb));
end
$$;

create function api.web_home(ctx jsonb, args jsonb) returns jsonb
language plpgsql set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  now_ timestamptz := crm.ctx_now(ctx);
  tz text := coalesce(me.timezone, 'UTC');
  day_end timestamptz := (date_trunc('day', now_ at time zone tz) + interval '1 day') at time zone tz;
  items jsonb;
  groups jsonb;
  -- a page shows at most this many of each group (and how many more there are)
  shown int := 25;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  items := api.follow_ups_list(ctx, jsonb_build_object('owner', 'me', 'limit', 200)) -> 'items';
  select jsonb_build_object(
      'overdue', coalesce(jsonb_agg(z.f order by z.o) filter (where z.g = 'overdue' and z.n <= shown), '[]'::jsonb),
      'today', coalesce(jsonb_agg(z.f order by z.o) filter (where z.g = 'today' and z.n <= shown), '[]'::jsonb),
      'upcoming', coalesce(jsonb_agg(z.f order by z.o) filter (where z.g = 'upcoming' and z.n <= shown), '[]'::jsonb),
      'counts', jsonb_build_object('overdue', count(*) filter (where z.g = 'overdue'),
        'today', count(*) filter (where z.g = 'today'), 'upcoming', count(*) filter (where z.g = 'upcoming')))
    into groups
  from (
    select y.f, y.o, y.g, row_number() over (partition by y.g order by y.o) as n
    from (
      select x.f, x.o, case when (x.f ->> 'dueAt')::timestamptz < now_ then 'overdue'
                            when (x.f ->> 'dueAt')::timestamptz < day_end then 'today'
                            else 'upcoming' end as g
      from jsonb_array_elements(items) with ordinality x(f, o)) y) z;
  return jsonb_build_object(
    'search', case when nullif(btrim(args ->> 'q'), '') is not null then api.web_search(ctx, args) end,
    'followUps', groups);
end
$$;

create function api.web_deals(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  scope text := coalesce(args ->> 'scope', 'mine');
  owner_id uuid;
  owners uuid[];
  per_stage int := least(greatest(coalesce((args ->> 'limit')::int, 25), 1), 200);
  month_start date := date_trunc('month', crm.ctx_now(ctx) at time zone coalesce(me.timezone, 'UTC'))::date;
  since timestamptz := month_start::timestamp at time zone coalesce(me.timezone, 'UTC');
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if args ->> 'owner' is not null then
    -- one owner, as GET /api/deals?owner= takes them: an id of this workspace's
    if crm.looks_like_uuid(args ->> 'owner') then
      select id into owner_id from members where workspace_id = ws and id = (args ->> 'owner')::uuid;
    end if;
    if owner_id is null then
      perform crm.fail(400, 'deal_owner_unknown', jsonb_build_object('field', 'owner', 'id', args ->> 'owner'));
    end if;
    owners := array[owner_id];
    scope := 'owner';
  elsif scope = 'mine' then
    owners := array[me.id];
  elsif scope = 'team' then
    -- as GET /api/follow-ups?owner=team: a manager's reports down the tree; an admin's is everyone
    owners := case when me.role = 'admin' then null else array(select crm.team_of(ws, me.id)) end;
  elsif scope = 'all' then
    owners := null;
  else
    perform crm.fail(400, 'invalid_request', jsonb_build_object('fields', 'scope'));
  end if;
  return jsonb_build_object(
    'scope', scope,
    'owner', owner_id,
    'period', (select jsonb_build_object('since', month_start,
        'won', count(*) filter (where d.status = 'won'), 'lost', count(*) filter (where d.status = 'lost'))
      from deals d where d.workspace_id = ws and d.status <> 'open' and d.closed_at >= since
        and (owners is null or d.owner_id = any (owners))),
    'members', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'name', m.display_name) order by lower(m.display_name), m.id)
      from members m where m.workspace_id = ws and (m.active or m.id = owner_id)), '[]'::jsonb),
    'stages', coalesce((
      select jsonb_agg(jsonb_build_object(
          'key', s.key, 'name', s.name, 'probability', s.probability,
          'count', (select count(*) from deals d where d.workspace_id = ws and d.status = 'open' and d.stage = s.key
                    and (owners is null or d.owner_id = any (owners))),
          'totals', coalesce((
            select jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount) order by t.currency)
            from (select d.currency, sum(d.amount) as amount from deals d
                  where d.workspace_id = ws and d.status = 'open' and d.stage = s.key and d.amount is not null
                    and (owners is null or d.owner_id = any (owners))
                  group by d.currency) t), '[]'::jsonb),
          'deals', coalesce((
            select jsonb_agg(crm.deal_json(x.d) order by x.rn)
            from (select d, row_number() over (order by d.close_date nulls last, d.created_at, d.id) as rn
                  from deals d
                  where d.workspace_id = ws and d.status = 'open' and d.stage = s.key
                    and (owners is null or d.owner_id = any (owners))
                  order by d.close_date nulls last, d.created_at, d.id
                  limit per_stage) x), '[]'::jsonb))
        order by s.position)
      from pipeline_stages s where s.workspace_id = ws), '[]'::jsonb));
end
$$;

do $$
declare f text;
begin
  foreach f in array array['api.web_search(jsonb, jsonb)', 'api.web_home(jsonb, jsonb)', 'api.web_deals(jsonb, jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
