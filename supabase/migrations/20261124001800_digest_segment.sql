-- A digest scoped to a saved segment (issue: segments "as digest scope"):
-- members.digest_segment_id (20261124001400_digests.sql, whose
-- api.digest_compose applies it), set with PUT /api/me/digest/segment. The
-- segment's filter is resolved for the reader as GET /api/contacts?segment=
-- does, and crm.segment_matches is that same condition on one contact.

-- Whether contact c passes a filter resolved by crm.segment_resolve (null: no
-- filter). The same conditions as api.contacts_list's segment filter.
create or replace function crm.segment_matches(c crm.contacts, r jsonb) returns boolean
  language sql stable
  set search_path = crm, pg_catalog
as $$
  select r is null or coalesce(
        (r ->> 'stage' is null or c.stage = r ->> 'stage')
    and (not coalesce((r ->> 'ownerSet')::boolean, false) or c.owner_id = (r ->> 'ownerId')::uuid)
    and (r ->> 'tag' is null or c.tags @> array[r ->> 'tag'])
    and (jsonb_typeof(r -> 'companyIds') is distinct from 'array'
         or c.company_id = any (array(select x::uuid from jsonb_array_elements_text(r -> 'companyIds') x)))
    and (r ->> 'before' is null or c.last_interaction_at is null or c.last_interaction_at < (r ->> 'before')::timestamptz)
    and (r ->> 'after' is null or c.last_interaction_at >= (r ->> 'after')::timestamptz)
    and (r ->> 'open' is null or (r ->> 'open')::boolean = exists (
          select 1 from follow_ups f where f.workspace_id = c.workspace_id and f.contact_id = c.id and f.status = 'open'))
    and (nullif(r -> 'custom', 'null'::jsonb) is null or c.custom @> (r -> 'custom'))
    and (jsonb_typeof(r -> 'unset') is distinct from 'array' or not exists (
          select 1 from jsonb_array_elements_text(r -> 'unset') k where coalesce(c.custom -> k, 'null'::jsonb) <> 'null'::jsonb)),
    false)
$$;

-- {segment: name or id | null}: scope the caller's digest to a saved segment, or
-- clear the scope. 404 for a segment the workspace does not have.
create or replace function api.digest_segment_set(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  s crm.segments;
begin
  if me.id is null then
    perform crm.fail(401, 'auth_required');
  end if;
  if args ->> 'segment' is not null then
    s := crm.segment_find(me.workspace_id, args ->> 'segment');
  end if;
  update members set digest_segment_id = s.id where id = me.id;
  perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', me.id, 'digest_segment',
    jsonb_build_object('segmentId', me.digest_segment_id), jsonb_build_object('segmentId', s.id));
  return jsonb_build_object('segment', case when s.id is null then null else jsonb_build_object('id', s.id, 'name', s.name) end);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
