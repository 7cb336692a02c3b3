-- Alerts (issue 19), the producers' first part: an inbound email or Slack
-- message from a contact writes its alerts into the outbox (crm.alerts) in
-- the capture's own transaction, whatever the capture path (the add-on's
-- Log, /inbound mail, Gmail sync, Slack channel capture, capture_many):
--
-- * waiting_reply to the contact's owner (or, when the contact has none or
--   the owner may not see a private capture, the colleagues it was addressed
--   to), due once the workspace's reply window (alert_reply_minutes, in the
--   recipient's working minutes) has passed; the first one of a thread for a
--   member goes out at once (immediate), what follows is batched;
-- * a second waiting_reply (detail.escalation) to that member's manager at
--   twice the window;
-- * tagged_inbound to the owner when the contact's or its company's tags
--   meet the owner's chosen tags (crm.alert_tags, 'vip' unless chosen), and
--   to the channel rules that want it (their own tag filter matches).
--
-- Every capture path ends in one INSERT of interaction_participants per
-- statement (api.interaction_capture: one per capture; api.interaction_capture_many:
-- one per batch), so one statement-level trigger with a transition table sees
-- each new interaction with the contacts it is from, once, and the batched
-- path stays set-based: rows that cannot alert (not from a contact, older
-- than two days) are dropped before anything is joined.
--
-- Historic mail never alerts: source 'import', and anything that happened
-- more than two days before it was captured (Gmail sync's first import of a
-- mailbox, calendar backfills, an undone merge restoring old rows).
--
-- What ends these alerts (answered, done, gone) is crm.alert_relevant's,
-- restated with every kind's reasons in 20261205001100; crm.alert_answered
-- here is its test for "answered by anyone in the team".

-- "Is this the first waiting-for-reply alert of the thread for this member?"
create index alerts_thread_idx on crm.alerts (workspace_id, member_id, thread_key)
  where kind = 'waiting_reply' and thread_key is not null;

-- The waiting-for-reply alerts a recipient r of inbound interaction i gets
-- are written set-based by crm.alerts_inbound below (a batch of captures
-- is one INSERT into crm.alerts): the same rows crm.alert_to_member writes
-- (its checks: active, on Slack, the kind left 'dm'; due at its working
-- time; dedupe key '<cause>:m:<member>'; stream 'dm:<member>:<kind>').
-- This is the rest, for the few inbound messages that need it: channel
-- rules that want waiting_reply, and tagged_inbound when the contact or its
-- company has tags.
create function crm.alert_inbound_more(i crm.interactions, c crm.contacts, rules boolean) returns void
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  ws uuid := i.workspace_id;
  mins int := (select w.alert_reply_minutes from workspaces w where w.id = i.workspace_id);
  subject jsonb := jsonb_build_object('contactId', c.id, 'companyId', c.company_id, 'interactionId', i.id,
                                      'threadKey', i.thread_key, 'ownerId', c.owner_id, 'stage', c.stage);
  r members;
  tags text[];
  wanted text[];
begin
  select * into r from members m where m.workspace_id = ws and m.id = c.owner_id;
  -- a channel sees nothing private
  if rules and i.visibility <> 'private' then
    perform crm.alert_to_rules(ws, 'waiting_reply', 'waiting_reply:' || i.id,
      case when r.id is not null then crm.add_working_minutes(r, i.occurred_at, mins) else i.occurred_at + make_interval(mins => mins) end,
      subject || jsonb_build_object('detail', jsonb_build_object('escalation', false, 'windowMinutes', mins)));
  end if;

  tags := c.tags || coalesce((select co.tags from companies co where co.workspace_id = ws and co.id = c.company_id), '{}');
  if cardinality(tags) > 0 then
    if r.id is not null and crm.can_see(ws, r.id, i.visibility, i.author_id) then
      select array_agg(distinct t order by t) into wanted from unnest(tags) t where t = any (crm.alert_tags(r));
      if wanted is not null then
        perform crm.alert_to_member(ws, r.id, 'tagged_inbound', 'tagged_inbound:' || i.id, now(),
          subject || jsonb_build_object('detail', jsonb_build_object('tags', to_jsonb(wanted))));
      end if;
    end if;
    if rules and i.visibility <> 'private' then
      perform crm.alert_to_rules(ws, 'tagged_inbound', 'tagged_inbound:' || i.id, now(),
        subject || jsonb_build_object('detail', jsonb_build_object('tags', (select to_jsonb(array_agg(distinct t order by t)) from unnest(tags) t))));
    end if;
  end if;
end $$;

-- The alerts of new interactions iids from contacts cids (pairwise; what the
-- trigger below saw inserted): those that are inbound emails or Slack
-- messages get their waiting-for-reply DMs in one INSERT, and the few whose
-- contact or company has tags or whose workspace has channel rules for
-- these kinds get the rest (crm.alert_inbound_more).
create function crm.alerts_inbound(piids uuid[], pcids uuid[]) returns void
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  iids uuid[];
  cids uuid[];
  x record;
begin
  select array_agg(i.id order by i.occurred_at, i.id), array_agg(c.id order by i.occurred_at, i.id)
    into iids, cids
  from unnest(piids, pcids) p(interaction_id, contact_id)
  join interactions i on i.id = p.interaction_id
  join contacts c on c.workspace_id = i.workspace_id and c.id = p.contact_id
  where i.direction = 'inbound' and i.kind in ('email', 'slack') and i.source <> 'import' and i.deleted_at is null
    and c.merged_into_id is null;
  if iids is null then
    return;
  end if;

  with cand as (
    select i.id as iid, i.workspace_id as ws, i.occurred_at, i.thread_key, i.visibility, i.author_id,
      c.id as cid, c.company_id, c.owner_id, w.alert_reply_minutes as mins,
      c.owner_id is not null and crm.can_see(i.workspace_id, c.owner_id, i.visibility, i.author_id) as to_owner
    from unnest(iids, cids) u(iid, cid)
    join interactions i on i.id = u.iid
    join contacts c on c.id = u.cid
    join workspaces w on w.id = i.workspace_id
  ), rcpt as (
    -- the owner, when they may see it; else its addressees who may
    select k.*, k.owner_id as rid from cand k where k.to_owner
    union
    select k.*, p.member_id from cand k
    join interaction_participants p on p.workspace_id = k.ws and p.interaction_id = k.iid
    where not k.to_owner and p.member_id is not null and p.role in ('to', 'cc', 'mention')
      and crm.can_see(k.ws, p.member_id, k.visibility, k.author_id)
  ), want as (
    -- each recipient after the window; their manager after twice the window
    select r.*, r.rid as mid, false as escalation, crm.add_working_minutes(m, r.occurred_at, r.mins) as due
    from rcpt r join members m on m.workspace_id = r.ws and m.id = r.rid and m.active
    union all
    select r.*, m.manager_id, true, crm.add_working_minutes(m, r.occurred_at, 2 * r.mins)
    from rcpt r join members m on m.workspace_id = r.ws and m.id = r.rid and m.active
    where m.manager_id is not null and crm.can_see(r.ws, m.manager_id, r.visibility, r.author_id)
  ), rows_ as (
    select w.*, m as mem,
      row_number() over (partition by w.mid, w.thread_key order by w.occurred_at, w.iid, w.escalation) as nth
    from want w join members m on m.workspace_id = w.ws and m.id = w.mid
    where m.active and m.slack_user_id is not null and crm.alert_pref(m, 'waiting_reply') = 'dm'
  ), made as (
    insert into alerts (workspace_id, kind, member_id, stream, immediate, dedupe_key, due_at,
                        contact_id, company_id, interaction_id, thread_key, detail)
    select r.ws, 'waiting_reply', r.mid, 'dm:' || r.mid || ':waiting_reply',
      -- the first waiting-for-reply alert of its thread for this member goes at once
      r.thread_key is null or (r.nth = 1 and not exists (select 1 from alerts a
        where a.workspace_id = r.ws and a.member_id = r.mid and a.kind = 'waiting_reply' and a.thread_key = r.thread_key)),
      left('waiting_reply:' || r.iid || case when r.escalation then ':escalation' else '' end || ':m:' || r.mid, 400),
      crm.alert_working_time(r.mem, r.due), r.cid, r.company_id, r.iid, left(r.thread_key, 1000),
      jsonb_build_object('escalation', r.escalation, 'windowMinutes', r.mins)
    from rows_ r
    order by r.occurred_at, r.iid, r.escalation
    on conflict (workspace_id, dedupe_key) do nothing
    returning workspace_id, stream
  )
  insert into alert_streams (workspace_id, stream)
  select distinct s.workspace_id, s.stream from made s
  where not exists (select 1 from alert_streams st where st.workspace_id = s.workspace_id and st.stream = s.stream)
  on conflict do nothing;


  -- channel rules and tags: only where there are any
  for x in
    select i, c, r.any_ as rules
    from unnest(iids, cids) u(iid, cid)
    join interactions i on i.id = u.iid
    join contacts c on c.id = u.cid
    cross join lateral (select exists (select 1 from alert_rules r where r.workspace_id = i.workspace_id and r.active
                                       and r.kinds && array['waiting_reply', 'tagged_inbound']) as any_) r
    where r.any_ or cardinality(c.tags) > 0
      or exists (select 1 from companies co where co.workspace_id = c.workspace_id and co.id = c.company_id and cardinality(co.tags) > 0)
    order by i.occurred_at, i.id
  loop
    perform crm.alert_inbound_more(x.i, x.c, x.rules);
  end loop;
end $$;

-- After each INSERT of participants: the new inbound emails and Slack
-- messages from a contact (the sender's contact, else the first contact the
-- message is about: a Slack channel linked to a company names its contacts so).
create function crm.alerts_on_capture() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
declare
  iids uuid[];
  cids uuid[];
  mode text := current_setting('plan_cache_mode');
begin
  -- (only the transition table here: a query that reads it is planned on
  -- every call, so the rest is in crm.alerts_inbound, whose plans are kept)
  select array_agg(p.interaction_id), array_agg(p.contact_id) into iids, cids
  from (
    select distinct on (n.interaction_id) n.interaction_id, n.contact_id
    from new_rows n
    where n.contact_id is not null and n.role in ('from', 'author', 'about') and n.occurred_at > now() - interval '2 days'
    order by n.interaction_id, n.role = 'about', n.id
  ) p;
  if iids is not null then
    -- a capture, or a batch of them: crm.alerts_inbound's plans made once
    -- and kept (planning its statements again would cost more than running
    -- them); a bulk load: plans made for its size
    perform set_config('plan_cache_mode', case when cardinality(iids) <= 100 then 'force_generic_plan' else 'force_custom_plan' end, true);
    perform crm.alerts_inbound(iids, cids);
    perform set_config('plan_cache_mode', mode, true);
  end if;
  return null;
end $$;
create trigger participants_alert after insert on crm.interaction_participants
  referencing new table as new_rows for each statement execute function crm.alerts_on_capture();

-- Was inbound interaction i answered since: by anyone in the team, an
-- outbound email or Slack message to the contact or in the same thread, or
-- a call or meeting with the contact that has taken place?
create function crm.alert_answered(i crm.interactions, cid uuid) returns boolean
language sql stable set search_path = crm, pg_catalog as $$
  select exists (
      select 1 from interaction_participants p
      join interactions o on o.workspace_id = p.workspace_id and o.id = p.interaction_id
      where p.workspace_id = i.workspace_id and p.contact_id = cid and p.occurred_at > i.occurred_at
        and o.deleted_at is null and o.occurred_at <= now()
        and ((o.direction = 'outbound' and o.kind in ('email', 'slack')) or o.kind in ('call', 'meeting')))
    or (i.thread_key is not null and exists (
      select 1 from interactions o
      where o.workspace_id = i.workspace_id and o.thread_key = i.thread_key and o.direction = 'outbound'
        and o.occurred_at > i.occurred_at and o.deleted_at is null))
$$;

do $$
declare f text;
begin
  foreach f in array array['crm.alert_inbound_more(crm.interactions, crm.contacts, boolean)', 'crm.alerts_inbound(uuid[], uuid[])', 'crm.alerts_on_capture()', 'crm.alert_answered(crm.interactions, uuid)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
