-- A meeting's brief, composed from index order (issue 17's "composed in at
-- most 50 ms"), and readable by its member through the API.
--
-- crm.meeting_brief (from 20261203005300_meeting_briefs) ordered each
-- attendee's interactions by the interactions' own time and checked
-- crm.can_see on every one of them: for a customer with thousands of
-- interactions that read and sorted them all, five times per brief. Now it
-- walks participants_contact_order_idx newest first (as crm.timeline does),
-- keeps the visible ones, and stops at three (and at the first with an
-- author, for "who last spoke to them"); whose private interactions the
-- reader sees is worked out once (crm.team_of, crm.can_see's rule).
create or replace function crm.meeting_brief(e crm.calendar_events, viewer uuid) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  team uuid[] := case when viewer is null then '{}'::uuid[] else array(select crm.team_of(e.workspace_id, viewer)) end;
begin
  return jsonb_build_object(
    'meeting', crm.meeting_json(e) - 'member',
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object(
          'email', x.email,
          'name', (select a ->> 'name' from jsonb_array_elements(e.attendees) a where a ->> 'email' = x.email limit 1),
          'contact', case when k.id is null then null else crm.contact_json(k) end,
          'recent', case when k.id is null then '[]'::jsonb else coalesce((
            select jsonb_agg(jsonb_build_object('id', r.id, 'kind', r.kind, 'direction', r.direction, 'occurredAt', r.occurred_at,
                'subject', r.subject, 'author', crm.member_brief(e.workspace_id, r.author_id)) order by r.occurred_at desc, r.id desc)
            from (
              select i.id, i.kind, i.direction, i.occurred_at, i.subject, i.author_id
              from (select distinct on (p.occurred_at, p.interaction_id) p.interaction_id, p.occurred_at
                    from interaction_participants p
                    where p.workspace_id = e.workspace_id and p.contact_id = k.id
                    order by p.occurred_at desc, p.interaction_id desc) p
              join interactions i on i.workspace_id = e.workspace_id and i.id = p.interaction_id
              where i.deleted_at is null and (i.visibility <> 'private' or i.author_id = any (team))
              order by p.occurred_at desc, p.interaction_id desc
              limit 3) r), '[]'::jsonb) end,
          'openFollowUps', case when k.id is null then '[]'::jsonb else coalesce((
            select jsonb_agg(jsonb_build_object('id', f.id, 'dueAt', f.due_at, 'note', f.note, 'owner', crm.member_brief(f.workspace_id, f.owner_id))
              order by f.due_at, f.id)
            from follow_ups f where f.workspace_id = e.workspace_id and f.contact_id = k.id and f.status = 'open'), '[]'::jsonb) end,
          'lastSpokeBy', case when k.id is null then null else (
            select jsonb_build_object('member', crm.member_brief(e.workspace_id, i.author_id), 'at', i.occurred_at, 'kind', i.kind)
            from interaction_participants p
            join interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
            where p.workspace_id = e.workspace_id and p.contact_id = k.id
              and i.deleted_at is null and i.author_id is not null and i.kind <> 'note'
              and (i.visibility <> 'private' or i.author_id = any (team))
            order by p.occurred_at desc, p.interaction_id desc
            limit 1) end)
        order by x.o)
      from unnest(e.external_emails) with ordinality x(email, o)
      left join lateral (
        select c.* from contact_emails ce join contacts c on c.workspace_id = ce.workspace_id and c.id = ce.contact_id
        where ce.workspace_id = e.workspace_id and lower(ce.email) = x.email and c.merged_into_id is null
        order by c.created_at, c.id limit 1) k on true), '[]'::jsonb));
end $$;

-- GET /api/me/meetings/:id/brief: the brief of one of the caller's own
-- meetings, as the Slack DM shows it (any time, not only 15 minutes ahead).
create function api.me_meeting_brief(ctx jsonb, args jsonb) returns jsonb
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  me crm.members := crm.enter(ctx);
  e crm.calendar_events;
begin
  select * into e from calendar_events ev
  where ev.workspace_id = me.workspace_id and ev.member_id = me.id and ev.id = (args ->> 'id')::uuid
    and ev.cancelled_at is null and not ev.private;
  if e.id is null then
    perform crm.fail(404, 'meeting_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  return crm.meeting_brief(e, me.id);
end $$;
revoke execute on function api.me_meeting_brief(jsonb, jsonb) from public;
grant execute on function api.me_meeting_brief(jsonb, jsonb) to service_role;
