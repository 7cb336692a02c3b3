-- A member who leaves has their Gmail sync paused (api.mailbox_page, the
-- next time it is due); reactivating them left it paused for good, with no
-- way back but disconnecting and connecting again. Now it resumes from its
-- cursor, due at once.

CREATE OR REPLACE FUNCTION api.member_reactivate(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  m crm.members;
  before jsonb;
begin
  select * into m from members where workspace_id = me.workspace_id and id = (args ->> 'id')::uuid for update;
  if m.id is null then
    perform crm.fail(404, 'member_not_found', jsonb_build_object('id', args ->> 'id'));
  end if;
  perform crm.require_admin(me);
  before := crm.member_json(m);
  if not m.active then
    update members set active = true, deactivated_at = null where id = m.id returning * into m;
    perform crm.audit(me.workspace_id, me.id, crm.ctx_source(ctx), 'member', m.id, 'reactivate', before, crm.member_json(m));
    -- the Gmail sync their leaving paused goes on where it stopped, at once
    update mailboxes set status = case when import_done_at is null then 'importing' else 'active' end,
      due_at = now(), updated_at = now()
    where workspace_id = m.workspace_id and member_id = m.id and status = 'paused';
  end if;
  return crm.member_json(m);
end
$function$;
