-- crm.duplicate_candidates(ws, one_id): one contact's candidates are found
-- first (hits, materialized), then joined to the contacts. Unmaterialized, the
-- planner may put the contacts on the outside and compute the hits once per
-- contact of the workspace: with fresh statistics missing (1,000 contacts just
-- created by logging one big email, then the add-on's context for it) and the
-- readings' partial order index to scan them by, it did: 1.5 s per call, ten
-- calls per Gmail context. Same answer; the hits are a handful of rows.

create or replace function crm.duplicate_candidates(ws uuid, one_id uuid DEFAULT NULL::uuid)
 RETURNS TABLE(a uuid, b uuid, reason text, score numeric, newest timestamp with time zone)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'extensions', 'pg_catalog'
 SET "pg_trgm.similarity_threshold" TO '0.6'
AS $function$
declare
  cc text := (select crm.calling_code(w.default_timezone) from workspaces w where w.id = ws);
begin
  if one_id is not null then
    return query
    with me as (
      select c.* from contacts c where c.workspace_id = ws and c.id = one_id and c.merged_into_id is null
    ), hits as materialized (
      select o.contact_id as id, 'email'::text as reason, 1.0::numeric as score
      from contact_emails mine
      join contact_emails o on o.workspace_id = ws and crm.norm_email(o.email) = crm.norm_email(mine.email)
      where mine.workspace_id = ws and mine.contact_id = one_id and o.contact_id <> one_id
      union all
      select o.id, 'phone', 1.0
      from me cross join lateral (select crm.phone_e164(me.phone, cc) as e) p
      join contacts o on o.workspace_id = ws and o.phone_digits = any (crm.phone_digit_forms(p.e, cc))
      where p.e is not null and o.id <> me.id and crm.phone_e164(o.phone, cc) = p.e
      union all
      select o.id, 'name',
        case when crm.has_cjk(me.name) or crm.has_cjk(o.name) then 1.0
             else round(similarity(crm.name_words(me.name), crm.name_words(o.name))::numeric, 3) end
      from me join contacts o on o.workspace_id = ws and o.company_id = me.company_id and o.id <> me.id
      where o.merged_into_id is null
        and ((crm.has_cjk(me.name) or crm.has_cjk(o.name)) and o.name_key = me.name_key
          or not (crm.has_cjk(me.name) or crm.has_cjk(o.name))
             and crm.name_words(o.name) % crm.name_words(me.name)
             and similarity(crm.name_words(me.name), crm.name_words(o.name)) >= 0.6)
    )
    select distinct on (o.id)
      case when (o.created_at, o.id) < (m.created_at, m.id) then o.id else m.id end,
      case when (o.created_at, o.id) < (m.created_at, m.id) then m.id else o.id end,
      h.reason, h.score, greatest(o.created_at, m.created_at)
    from hits h
    join contacts o on o.workspace_id = ws and o.id = h.id and o.merged_into_id is null
    cross join me m
    where not exists (select 1 from duplicate_dismissals d where d.workspace_id = ws
                      and d.contact_a = least(o.id, m.id) and d.contact_b = greatest(o.id, m.id))
    order by o.id, h.score desc, array_position(array['email', 'phone', 'name'], h.reason);
    return;
  end if;

  return query
  with live as (
    select c.id, c.created_at, c.name_key, c.company_id, c.phone, crm.has_cjk(c.name) as cjk, crm.name_words(c.name) as w
    from contacts c where c.workspace_id = ws and c.merged_into_id is null
  ), emails as (
    select e.contact_id as id, crm.norm_email(e.email) as k
    from contact_emails e join live l on l.id = e.contact_id
    where e.workspace_id = ws
  ), phones as (
    select l.id, crm.phone_e164(l.phone, cc) as e from live l where l.phone is not null
  ), pairs as (
    select x.id as x, y.id as y, 'email'::text as reason, 1.0::numeric as score
    from emails x join emails y on y.k = x.k and y.id > x.id
    union all
    select x.id, y.id, 'phone', 1.0
    from phones x join phones y on y.e = x.e and y.id > x.id
    where x.e is not null
    union all
    select x.id, y.id, 'name', round(similarity(x.w, y.w)::numeric, 3)
    from live x join live y on y.company_id = x.company_id and y.id > x.id
    where x.company_id is not null and not x.cjk and not y.cjk
      and x.w % y.w and similarity(x.w, y.w) >= 0.6
    union all
    -- a CJK name: the same characters (an equal key has CJK on both sides)
    select x.id, y.id, 'name', 1.0
    from live x join live y on y.company_id = x.company_id and y.name_key = x.name_key and y.id > x.id
    where x.company_id is not null and x.cjk
  ), best as (
    select distinct on (p.x, p.y) p.x, p.y, p.reason, p.score
    from pairs p
    order by p.x, p.y, p.score desc, array_position(array['email', 'phone', 'name'], p.reason)
  )
  select
    case when (lx.created_at, lx.id) < (ly.created_at, ly.id) then lx.id else ly.id end,
    case when (lx.created_at, lx.id) < (ly.created_at, ly.id) then ly.id else lx.id end,
    bp.reason, bp.score, greatest(lx.created_at, ly.created_at)
  from best bp
  join live lx on lx.id = bp.x
  join live ly on ly.id = bp.y
  where not exists (select 1 from duplicate_dismissals d where d.workspace_id = ws and d.contact_a = bp.x and d.contact_b = bp.y);
end
$function$;
