-- Everything Rapport holds about one person: exported, or erased.
--
-- api.contact_export (admin): the contact (and the contacts merged into it),
-- its addresses and company, every interaction it took part in (an admin sees
-- private ones too; ones deleted in Slack are included, marked), its
-- follow-ups, and the audit entries about it and its follow-ups.
-- api.contact_erase (admin): the right to erasure. What it decides:
--   * the contact, the contacts merged into it, their addresses, follow-ups,
--     duplicate dismissals, merge snapshots and channel links are deleted;
--   * an interaction whose external participants were only this person (their
--     emails, Slack messages, notes about them) is deleted with its
--     participants (follow-ups of other contacts that came from it lose the
--     link);
--   * an interaction that other external people took part in is kept (it is
--     theirs too): the person's participant rows are deleted, and their name,
--     addresses and phone are replaced by '[erased]' in its subject and body;
--   * audit entries about the person keep who, when, through which source and
--     what kind of change, but their before/after become {"erased": true};
--     every other entry has the name, addresses and phone replaced by
--     '[erased]' wherever they appear in before/after;
--   * one 'erase' entry records who erased the contact, with counts only.
-- The audit log stays append-only: its trigger lets an UPDATE through only
-- when crm.audit_anonymise (security definer, the only holder of UPDATE) set
-- rapport.audit_erase for the current transaction.

create or replace function crm.audit_log_is_append_only() returns trigger
  language plpgsql
  set search_path = pg_catalog
as $$
begin
  if tg_op = 'UPDATE' and current_setting('rapport.audit_erase', true) = 'on' then
    return null;
  end if;
  raise exception using errcode = 'RP403', message = 'audit_append_only', detail = '{}';
end
$$;

-- t with every occurrence of each string of pii (any case, 2+ characters) replaced.
--   crm.redact_text('Hi Jane, jane@x.com', array['Jane', 'jane@x.com']) = 'Hi [erased], [erased]'
create or replace function crm.redact_text(t text, pii text[]) returns text
  language plpgsql immutable
  set search_path = pg_catalog
as $$
declare
  p text;
  i int;
  pos int;
  r text := t;
begin
  if t is null then
    return null;
  end if;
  foreach p in array coalesce(pii, '{}') loop
    continue when p is null or length(p) < 2;
    pos := 1;
    loop
      i := strpos(lower(substr(r, pos)), lower(p));
      exit when i = 0;
      i := i + pos - 1;
      r := left(r, i - 1) || '[erased]' || substr(r, i + length(p));
      pos := i + length('[erased]');
    end loop;
  end loop;
  return r;
end
$$;

-- crm.redact_text applied to every string (keys too) inside a JSON value.
create or replace function crm.redact_jsonb(j jsonb, pii text[]) returns jsonb
  language plpgsql immutable
  set search_path = pg_catalog
as $$
begin
  return case jsonb_typeof(j)
    when 'string' then to_jsonb(crm.redact_text(j #>> '{}', pii))
    when 'object' then (select coalesce(jsonb_object_agg(crm.redact_text(k, pii), crm.redact_jsonb(v, pii)), '{}'::jsonb) from jsonb_each(j) e(k, v))
    when 'array' then (select coalesce(jsonb_agg(crm.redact_jsonb(v, pii) order by o), '[]'::jsonb) from jsonb_array_elements(j) with ordinality a(v, o))
    else j end;
end
$$;

-- The one door through the append-only trigger: entries about ids lose their
-- before/after; every other entry of ws loses the pii strings.
create or replace function crm.audit_anonymise(ws uuid, ids uuid[], pii text[]) returns int
  language plpgsql
  security definer
  set search_path = crm, pg_catalog
as $$
declare
  n int;
  pats text[] := (select coalesce(array_agg('%' || crm.like_escape(lower(p)) || '%'), '{}') from unnest(pii) p where length(p) >= 2);
begin
  perform set_config('rapport.audit_erase', 'on', true);
  update audit_log a set
    before = case when a.entity_id = any (ids) then case when a.before is null then null else '{"erased": true}'::jsonb end
                  else crm.redact_jsonb(a.before, pii) end,
    after = case when a.entity_id = any (ids) then case when a.after is null then null else '{"erased": true}'::jsonb end
                 else crm.redact_jsonb(a.after, pii) end
  where a.workspace_id = ws
    and (a.entity_id = any (ids) or lower(a.before::text) like any (pats) or lower(a.after::text) like any (pats));
  get diagnostics n = row_count;
  perform set_config('rapport.audit_erase', 'off', true);
  return n;
end
$$;

-- The contact named by id (after merges) and every contact merged into it.
create or replace function crm.person_ids(ws uuid, cid uuid) returns uuid[]
  language sql stable
  set search_path = crm, pg_catalog
as $$
  with recursive p(id, depth) as (
    select (crm.contact_or_404(ws, cid)).id, 0
    union
    select c.id, p.depth + 1 from contacts c join p on c.merged_into_id = p.id
    where c.workspace_id = ws and p.depth < 20
  )
  select array_agg(id) from p
$$;

-- The person named by args.id (404 when the caller's workspace has no such
-- contact, whoever asks), for an admin only (403 otherwise).
create or replace function crm.person_for_admin(me crm.members, args jsonb) returns uuid[]
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ids uuid[] := crm.person_ids(me.workspace_id, (args ->> 'id')::uuid);
begin
  if me.id is null or me.role <> 'admin' then
    perform crm.fail(403, 'contact_erase_forbidden');
  end if;
  return ids;
end
$$;

-- args: {id}
create or replace function api.contact_export(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  ids uuid[] := crm.person_for_admin(me, args);
  emails text[] := (select coalesce(array_agg(lower(email)), '{}') from contact_emails where workspace_id = ws and contact_id = any (ids));
  fids uuid[] := (select coalesce(array_agg(id), '{}') from follow_ups where workspace_id = ws and contact_id = any (ids));
begin
  return jsonb_build_object(
    'contact', (select crm.contact_json(c) from contacts c where c.workspace_id = ws and c.id = ids[1]),
    'mergedContacts', coalesce((select jsonb_agg(crm.contact_json(c) order by c.created_at) from contacts c
                                where c.workspace_id = ws and c.id = any (ids[2:])), '[]'::jsonb),
    'interactions', coalesce((select jsonb_agg(crm.interaction_json(i, true) || jsonb_build_object('deletedAt', i.deleted_at)
                                               order by i.occurred_at, i.id)
                              from interactions i
                              where i.workspace_id = ws and i.id in (
                                select p.interaction_id from interaction_participants p
                                where p.workspace_id = ws and (p.contact_id = any (ids) or p.address = any (emails)))), '[]'::jsonb),
    'followUps', coalesce((select jsonb_agg(crm.follow_up_json(f) order by f.created_at, f.id) from follow_ups f
                           where f.workspace_id = ws and f.id = any (fids)), '[]'::jsonb),
    'audit', coalesce((select jsonb_agg(jsonb_build_object('at', a.at, 'entityType', a.entity_type, 'entityId', a.entity_id,
                                          'action', a.action, 'source', a.source, 'actor', crm.member_brief(ws, a.actor_member_id),
                                          'before', a.before, 'after', a.after) order by a.at, a.id)
                       from audit_log a
                       where a.workspace_id = ws and (a.entity_id = any (ids) or a.entity_id = any (fids))), '[]'::jsonb),
    'exportedAt', crm.ctx_now(ctx));
end
$$;

-- args: {id}
create or replace function api.contact_erase(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
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
  delete from duplicate_dismissals where workspace_id = ws and (contact_a = any (ids) or contact_b = any (ids));
  delete from merges where workspace_id = ws and (survivor_id = any (ids) or merged_ids && ids);
  delete from slack_channel_links where workspace_id = ws and contact_id = any (ids);
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
$$;

-- A Slack message edited or deleted in Slack: the audit entry names the
-- member who wrote it when a colleague did (a customer's own edit has none).
create or replace function api.slack_message_edit(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (select workspace_id from slack_installations where team_id = args ->> 'teamId');
  before crm.interactions;
  i crm.interactions;
begin
  if ws is null then
    return jsonb_build_object('found', false);
  end if;
  perform set_config('rapport.workspace_id', ws::text, true);
  select * into before from interactions
    where workspace_id = ws and dedupe_key = crm.dedupe_key('slack', 'slack', args ->> 'externalId') and deleted_at is null
    for update;
  if before.id is null then
    return jsonb_build_object('found', false);
  end if;
  if before.body is not distinct from args ->> 'body' then
    return jsonb_build_object('found', true, 'changed', false);
  end if;
  update interactions set body = args ->> 'body', edited_at = coalesce((args ->> 'editedAt')::timestamptz, now())
    where id = before.id returning * into i;
  perform crm.audit(ws, i.author_id, 'slack', 'interaction', i.id, 'edit',
    jsonb_build_object('body', before.body), jsonb_build_object('body', i.body, 'editedAt', i.edited_at));
  return jsonb_build_object('found', true, 'changed', true);
end
$$;

create or replace function api.slack_message_delete(args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  ws uuid := (select workspace_id from slack_installations where team_id = args ->> 'teamId');
  i crm.interactions;
begin
  if ws is null then
    return jsonb_build_object('found', false);
  end if;
  perform set_config('rapport.workspace_id', ws::text, true);
  update interactions set deleted_at = now()
    where workspace_id = ws and dedupe_key = crm.dedupe_key('slack', 'slack', args ->> 'externalId') and deleted_at is null
    returning * into i;
  if i.id is null then
    return jsonb_build_object('found', false);
  end if;
  perform crm.audit(ws, i.author_id, 'slack', 'interaction', i.id, 'delete', crm.interaction_json(i, true), null);
  return jsonb_build_object('found', true);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
