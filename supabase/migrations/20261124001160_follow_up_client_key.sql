-- Follow-ups created from a form (Slack's modal, a retried API call) carry a
-- client key: the same key twice makes one follow-up, and the second call
-- answers with the first (created = false).

alter table crm.follow_ups add column client_key text check (length(client_key) <= 200);
create unique index follow_ups_client_key_uq on crm.follow_ups (workspace_id, client_key) where client_key is not null;

create or replace function api.follow_up_create(ctx jsonb, args jsonb) returns jsonb
  language plpgsql
  set search_path = crm, pg_catalog
as $$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'contactId')::uuid);
  owner uuid := me.id;
  f crm.follow_ups;
  key text := nullif(btrim(args ->> 'clientKey'), '');
begin
  if key is not null then
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    if f.id is not null then
      return crm.follow_up_json(f) || jsonb_build_object('created', false);
    end if;
  end if;
  if args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  if args ->> 'sourceInteractionId' is not null and not exists (
      select 1 from interactions where workspace_id = ws and id = (args ->> 'sourceInteractionId')::uuid) then
    perform crm.fail(404, 'interaction_not_found', jsonb_build_object('id', args ->> 'sourceInteractionId'));
  end if;
  insert into follow_ups (workspace_id, contact_id, owner_id, due_at, note, source_interaction_id, created_by, client_key)
  values (ws, c.id, owner, (args ->> 'dueAt')::timestamptz, args ->> 'note',
    (args ->> 'sourceInteractionId')::uuid, me.id, key)
  on conflict (workspace_id, client_key) where client_key is not null do nothing
  returning * into f;
  if f.id is null then
    -- the same key created a moment ago by a concurrent request
    select * into f from follow_ups where workspace_id = ws and client_key = key;
    return crm.follow_up_json(f) || jsonb_build_object('created', false);
  end if;
  perform crm.audit(ws, me.id, src, 'follow_up', f.id, 'create', null,
    crm.follow_up_json(f) || jsonb_build_object('contactId', f.contact_id));
  return crm.follow_up_json(f) || jsonb_build_object('created', true);
end
$$;

revoke execute on all functions in schema crm, api from public;
grant execute on all functions in schema crm, api to service_role;
