-- Alerts (issue 19): the foundation every part of it builds on.
--
-- An alert is a row in crm.alerts, the outbox, written in the same
-- transaction as the change that causes it (a captured inbound email, a
-- follow-up's due time, a deal's stage change...), for one recipient: a
-- member, by DM, or a channel rule. The scheduler later folds the due
-- alerts of one stream (a member's DMs of one kind, or one rule's channel)
-- into deliveries (crm.alert_deliveries), one Slack message each, claimed
-- with a lease as digests and briefs are, so that any number of server
-- copies post each one once.
--
-- What a member hears is theirs to choose: per kind, 'dm' or 'off'
-- (members.alert_prefs, defaults in crm.alert_default), and their working
-- hours (members.work_start/work_end, issue 17) and days (work_days, ISO
-- 1 = Monday .. 7 = Sunday; Monday to Friday unless chosen): a DM that falls
-- due outside them waits for the start of the next working period.

alter table crm.workspaces
  -- how long an inbound email or message may wait, in the owner's working
  -- minutes, before its owner hears about it (the digest keeps its own window)
  add column alert_reply_minutes int not null default 240 check (alert_reply_minutes between 0 and 10080);

alter table crm.members
  add column alert_prefs jsonb not null default '{}'::jsonb check (jsonb_typeof(alert_prefs) = 'object'),
  add column work_days smallint[] check (work_days <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[] and cardinality(work_days) between 1 and 7);

-- Channel rules: a channel of the workspace's Slack team hears the chosen
-- kinds about what matches the filter (every filter given must match).
-- A rule is never created for, and stops posting to, a channel shared with
-- another organisation (disabled_reason 'shared').
create table crm.alert_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  team_id text check (team_id ~ '^[TE][A-Z0-9]{2,20}$'),
  channel_id text not null check (channel_id ~ '^[CG][A-Z0-9]{2,20}$'),
  channel_name text check (length(channel_name) <= 200),
  kinds text[] not null check (cardinality(kinds) between 1 and 20),
  owner_id uuid,
  manager_id uuid,
  tag text check (length(tag) between 1 and 100),
  segment_id uuid,
  stage text check (length(stage) between 1 and 100),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  active boolean not null default true,
  disabled_reason text check (disabled_reason in ('shared', 'channel_gone', 'not_in_channel')),
  disabled_at timestamptz,
  unique (workspace_id, id),
  check (active = (disabled_reason is null)),
  foreign key (workspace_id, created_by) references crm.members (workspace_id, id),
  foreign key (workspace_id, owner_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, manager_id) references crm.members (workspace_id, id),
  foreign key (workspace_id, segment_id) references crm.segments (workspace_id, id) on delete cascade
);
create index alert_rules_ws_idx on crm.alert_rules (workspace_id, created_by);
create index alert_rules_owner_idx on crm.alert_rules (workspace_id, owner_id) where owner_id is not null;
create index alert_rules_manager_idx on crm.alert_rules (workspace_id, manager_id) where manager_id is not null;
create index alert_rules_segment_idx on crm.alert_rules (workspace_id, segment_id) where segment_id is not null;
create index alert_rules_channel_idx on crm.alert_rules (channel_id) where active;

-- The outbox. One row per recipient and cause (dedupe_key, unique in the
-- workspace: the same cause never alerts the same recipient twice). The
-- subject columns say what it is about; they are not foreign keys, so that
-- erasing or merging a contact is never blocked by an alert (what no longer
-- exists is skipped when it falls due).
create table crm.alerts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  kind text not null check (kind in ('waiting_reply', 'follow_up_due', 'follow_up_overdue', 'deal_created', 'deal_stage_changed',
                                     'deal_won', 'deal_lost', 'deal_close_passed', 'tagged_inbound', 'capture_failed')),
  member_id uuid,
  rule_id uuid references crm.alert_rules (id) on delete cascade,
  -- 'dm:<member>:<kind>' or 'rule:<rule>': what is batched together
  stream text not null check (length(stream) <= 200),
  -- goes out even inside its stream's quiet period (the first waiting-for-reply alert of a thread)
  immediate boolean not null default false,
  dedupe_key text not null check (length(dedupe_key) <= 400),
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'skipped', 'failed')),
  skip_reason text check (length(skip_reason) <= 100),
  delivery_id uuid,
  contact_id uuid,
  company_id uuid,
  deal_id uuid,
  follow_up_id uuid,
  interaction_id uuid,
  thread_key text check (length(thread_key) <= 1000),
  actor_id uuid,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now(),
  unique (workspace_id, dedupe_key),
  check ((member_id is null) <> (rule_id is null)),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create index alerts_due_idx on crm.alerts (due_at) where status = 'pending' and delivery_id is null;
create index alerts_delivery_idx on crm.alerts (delivery_id) where delivery_id is not null;
create index alerts_interaction_idx on crm.alerts (workspace_id, interaction_id) where interaction_id is not null;
create index alerts_member_idx on crm.alerts (workspace_id, member_id, created_at desc) where member_id is not null;
create index alerts_rule_idx on crm.alerts (rule_id) where rule_id is not null;
create index alerts_contact_idx on crm.alerts (workspace_id, contact_id) where contact_id is not null;

-- One Slack message: the alerts of one stream folded together.
create table crm.alert_deliveries (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references crm.workspaces (id),
  stream text not null check (length(stream) <= 200),
  member_id uuid,
  rule_id uuid references crm.alert_rules (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'sent', 'skipped', 'failed')),
  attempts int not null default 0,
  due_at timestamptz not null,
  lease_owner text check (length(lease_owner) <= 200),
  lease_until timestamptz,
  sent_at timestamptz,
  channel text check (length(channel) <= 50),
  ts text check (length(ts) <= 50),
  last_error text check (length(last_error) <= 500),
  created_at timestamptz not null default now(),
  check ((member_id is null) <> (rule_id is null)),
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create index alert_deliveries_due_idx on crm.alert_deliveries (due_at) where status = 'pending';
create index alert_deliveries_member_idx on crm.alert_deliveries (workspace_id, member_id, created_at desc) where member_id is not null;
create index alert_deliveries_rule_idx on crm.alert_deliveries (rule_id) where rule_id is not null;

-- When a stream may next post: the first alert goes at once, what follows
-- inside the window is held and folded into one further message.
create table crm.alert_streams (
  workspace_id uuid not null references crm.workspaces (id),
  stream text not null check (length(stream) <= 200),
  hold_until timestamptz,
  last_sent_at timestamptz,
  primary key (workspace_id, stream)
);

-- "Assign to me" and "Done" on a waiting-for-reply alert: who is on an
-- inbound email or message (the add-on's "<colleague> is on it" line), or
-- that it needs no answer (no further alert about it).
create table crm.reply_assignments (
  workspace_id uuid not null references crm.workspaces (id),
  interaction_id uuid not null,
  member_id uuid not null,
  state text not null check (state in ('assigned', 'done')),
  at timestamptz not null default now(),
  primary key (workspace_id, interaction_id),
  foreign key (workspace_id, interaction_id) references crm.interactions (workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references crm.members (workspace_id, id)
);
create index reply_assignments_member_idx on crm.reply_assignments (workspace_id, member_id);

do $$
declare t text;
begin
  foreach t in array array['alert_rules', 'alerts', 'alert_deliveries', 'alert_streams', 'reply_assignments'] loop
    execute format('alter table crm.%I enable row level security', t);
    execute format('create policy workspace_isolation on crm.%I for all to public using (workspace_id = crm.current_workspace_id()) with check (workspace_id = crm.current_workspace_id())', t);
    execute format('grant select, insert, update, delete on table crm.%I to service_role', t);
  end loop;
end $$;

-- The kinds a member chooses 'dm' or 'off' for, and what they get unless
-- they chose. (already_answered is a line on the add-on's card, not a message.)
create function crm.alert_default(kind text) returns text
language sql immutable set search_path = crm, pg_catalog as $$
  select case when kind in ('waiting_reply', 'follow_up_due', 'follow_up_overdue', 'deal_created', 'deal_stage_changed',
                            'deal_won', 'deal_lost', 'deal_close_passed', 'tagged_inbound', 'capture_failed') then 'dm' end
$$;

create function crm.alert_pref(m crm.members, kind text) returns text
language sql stable set search_path = crm, pg_catalog as $$
  select coalesce(m.alert_prefs ->> kind, crm.alert_default(kind))
$$;

-- The tags whose inbound mail a member hears about (tagged_inbound): 'vip' unless chosen.
create function crm.alert_tags(m crm.members) returns text[]
language sql stable set search_path = crm, pg_catalog as $$
  select coalesce((select array_agg(x) from jsonb_array_elements_text(m.alert_prefs -> 'tags') x), array['vip'])
$$;

-- The working period of member m: hours (08:00 to 20:00 unless chosen, as
-- for meeting nudges) on days (Monday to Friday unless chosen), in m's time zone.
-- The first moment at or after t inside it.
create function crm.alert_working_time(m crm.members, t timestamptz) returns timestamptz
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  s time := coalesce(m.work_start, time '08:00');
  e time := coalesce(m.work_end, time '20:00');
  days smallint[] := coalesce(m.work_days, array[1, 2, 3, 4, 5]::smallint[]);
  local timestamp := t at time zone m.timezone;
  d date := local::date;
begin
  for i in 0..7 loop
    if extract(isodow from d)::smallint = any (days) then
      if i = 0 and local::time >= s and local::time < e then
        return t;
      elsif i > 0 or local::time < s then
        return (d + s) at time zone m.timezone;
      end if;
    end if;
    d := d + 1;
  end loop;
  return t;
end $$;

-- t plus `minutes` of member m's working time (0: the first working moment at or after t).
create function crm.add_working_minutes(m crm.members, t timestamptz, minutes int) returns timestamptz
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  e time := coalesce(m.work_end, time '20:00');
  at_ timestamptz := crm.alert_working_time(m, t);
  left_ interval := make_interval(mins => greatest(minutes, 0));
  period_end timestamptz;
begin
  for i in 1..400 loop
    period_end := ((at_ at time zone m.timezone)::date + e) at time zone m.timezone;
    if at_ + left_ <= period_end then
      return at_ + left_;
    end if;
    left_ := left_ - (period_end - at_);
    at_ := crm.alert_working_time(m, period_end);
  end loop;
  return at_ + left_;
end $$;

-- Does channel rule r want an alert about this subject? subject:
-- {ownerId, contactId, companyId, dealId, stage (the deal's stage key, or the contact's)}.
create function crm.alert_rule_matches(r crm.alert_rules, subject jsonb) returns boolean
language plpgsql stable set search_path = crm, pg_catalog as $$
declare
  owner uuid := (subject ->> 'ownerId')::uuid;
  c contacts;
  tags text[] := '{}';
begin
  if r.owner_id is not null and owner is distinct from r.owner_id then
    return false;
  end if;
  if r.manager_id is not null and not exists (
      select 1 from members m where m.workspace_id = r.workspace_id and m.id = owner and (m.id = r.manager_id or m.manager_id = r.manager_id)) then
    return false;
  end if;
  if r.stage is not null and subject ->> 'stage' is distinct from r.stage then
    return false;
  end if;
  if r.tag is not null or r.segment_id is not null then
    select * into c from contacts where workspace_id = r.workspace_id and id = (subject ->> 'contactId')::uuid;
    if r.tag is not null then
      tags := coalesce(c.tags, '{}') || coalesce((select co.tags from companies co
        where co.workspace_id = r.workspace_id and co.id = coalesce((subject ->> 'companyId')::uuid, c.company_id)), '{}');
      if not (r.tag = any (tags)) then
        return false;
      end if;
    end if;
    if r.segment_id is not null and (c.id is null or not crm.segment_matches(c,
        (select crm.segment_resolve(r.workspace_id, r.created_by, s.filter) from segments s where s.workspace_id = r.workspace_id and s.id = r.segment_id))) then
      return false;
    end if;
  end if;
  return true;
end $$;

-- One alert to one member by DM, unless they turned the kind off or cannot
-- get a DM; due at `due` or, outside their working period, at its next start.
-- subject: {contactId, companyId, dealId, followUpId, interactionId,
-- threadKey, actorId, detail (object), immediate (boolean)}. key names the
-- cause; the recipient is added to it. Returns the alert's id (null: none).
create function crm.alert_to_member(ws uuid, mid uuid, kind text, key text, due timestamptz, subject jsonb) returns uuid
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  m members;
  stream_ text := 'dm:' || mid || ':' || kind;
  made uuid;
begin
  select * into m from members where workspace_id = ws and id = mid;
  if m.id is null or not m.active or m.slack_user_id is null or crm.alert_pref(m, kind) is distinct from 'dm' then
    return null;
  end if;
  insert into alerts (workspace_id, kind, member_id, stream, immediate, dedupe_key, due_at,
                      contact_id, company_id, deal_id, follow_up_id, interaction_id, thread_key, actor_id, detail)
  values (ws, kind, mid, stream_, coalesce((subject ->> 'immediate')::boolean, false), left(key || ':m:' || mid, 400),
          crm.alert_working_time(m, due),
          (subject ->> 'contactId')::uuid, (subject ->> 'companyId')::uuid, (subject ->> 'dealId')::uuid,
          (subject ->> 'followUpId')::uuid, (subject ->> 'interactionId')::uuid, left(subject ->> 'threadKey', 1000),
          (subject ->> 'actorId')::uuid, coalesce(subject -> 'detail', '{}'::jsonb))
  on conflict (workspace_id, dedupe_key) do nothing
  returning id into made;
  if made is not null then
    insert into alert_streams (workspace_id, stream) values (ws, stream_) on conflict do nothing;
  end if;
  return made;
end $$;

-- The same cause to every active channel rule of the workspace that wants
-- the kind and matches the subject (channels keep no working hours).
create function crm.alert_to_rules(ws uuid, kind text, key text, due timestamptz, subject jsonb) returns int
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  r alert_rules;
  n int := 0;
  made uuid;
begin
  for r in select * from alert_rules where workspace_id = ws and active and alert_to_rules.kind = any (kinds) loop
    continue when not crm.alert_rule_matches(r, subject);
    insert into alerts (workspace_id, kind, rule_id, stream, dedupe_key, due_at,
                        contact_id, company_id, deal_id, follow_up_id, interaction_id, thread_key, actor_id, detail)
    values (ws, kind, r.id, 'rule:' || r.id, left(key || ':r:' || r.id, 400), due,
            (subject ->> 'contactId')::uuid, (subject ->> 'companyId')::uuid, (subject ->> 'dealId')::uuid,
            (subject ->> 'followUpId')::uuid, (subject ->> 'interactionId')::uuid, left(subject ->> 'threadKey', 1000),
            (subject ->> 'actorId')::uuid, coalesce(subject -> 'detail', '{}'::jsonb))
    on conflict (workspace_id, dedupe_key) do nothing
    returning id into made;
    if made is not null then
      n := n + 1;
      insert into alert_streams (workspace_id, stream) values (ws, 'rule:' || r.id) on conflict do nothing;
    end if;
  end loop;
  return n;
end $$;

-- What producers call: the cause to each member of `recipients` (never to
-- the member who made the change, subject.actorId) and to the channel rules.
create function crm.alert_emit(ws uuid, kind text, key text, due timestamptz, recipients uuid[], subject jsonb) returns void
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  mid uuid;
begin
  foreach mid in array coalesce(recipients, '{}') loop
    continue when mid is null or mid = (subject ->> 'actorId')::uuid;
    perform crm.alert_to_member(ws, mid, kind, key, due, subject);
  end loop;
  perform crm.alert_to_rules(ws, kind, key, due, subject);
end $$;

-- Whether a due alert still has a reason to go out: null when it has, or
-- why not ('answered', 'done', 'gone', 'rescheduled', ...), checked when its
-- delivery is formed. Each kind's producer says what ends it (this first
-- definition knows none).
create function crm.alert_relevant(a crm.alerts) returns text
language sql stable set search_path = crm, pg_catalog as $$
  select null::text
$$;

-- A channel rule stops: the channel became shared with another organisation
-- ('shared'), was archived or deleted ('channel_gone'), or Rapport is no
-- longer in it ('not_in_channel'). Its pending alerts are skipped. Returns
-- who to tell (the rule's creator), or null when it had already stopped.
create function crm.alert_rule_disable(ws uuid, rid uuid, reason text) returns jsonb
language plpgsql volatile set search_path = crm, pg_catalog as $$
declare
  r alert_rules;
  m members;
begin
  update alert_rules set active = false, disabled_reason = reason, disabled_at = now()
  where workspace_id = ws and id = rid and active
  returning * into r;
  if r.id is null then
    return null;
  end if;
  update alerts set status = 'skipped', skip_reason = 'rule_' || reason
  where rule_id = r.id and status = 'pending';
  update alert_deliveries set status = 'skipped', last_error = 'rule stopped: ' || reason, lease_owner = null, lease_until = null
  where rule_id = r.id and status = 'pending';
  select * into m from members where workspace_id = ws and id = r.created_by;
  return jsonb_build_object('ruleId', r.id, 'channelId', r.channel_id, 'channelName', r.channel_name, 'reason', reason,
    'creator', jsonb_build_object('id', m.id, 'slackUserId', m.slack_user_id, 'teamId', crm.member_slack_team(m),
                                  'locale', m.locale, 'active', m.active));
end $$;

-- A contact erased (or an import undone) takes the alerts about it along:
-- nothing about them is left to be sent.
create function crm.alerts_forget_contact() returns trigger
language plpgsql set search_path = crm, pg_catalog as $$
begin
  delete from alerts a using old_rows o where a.workspace_id = o.workspace_id and a.contact_id = o.id;
  return null;
end $$;
create trigger contacts_forget_alerts after delete on crm.contacts
  referencing old table as old_rows for each statement execute function crm.alerts_forget_contact();

do $$
declare f text;
begin
  foreach f in array array['crm.alerts_forget_contact()', 'crm.alert_relevant(crm.alerts)', 'crm.alert_rule_disable(uuid, uuid, text)', 'crm.alert_default(text)', 'crm.alert_pref(crm.members, text)', 'crm.alert_tags(crm.members)',
                           'crm.alert_working_time(crm.members, timestamptz)', 'crm.add_working_minutes(crm.members, timestamptz, int)',
                           'crm.alert_rule_matches(crm.alert_rules, jsonb)', 'crm.alert_to_member(uuid, uuid, text, text, timestamptz, jsonb)',
                           'crm.alert_to_rules(uuid, text, text, timestamptz, jsonb)', 'crm.alert_emit(uuid, text, text, timestamptz, uuid[], jsonb)'] loop
    execute format('revoke execute on function %s from public', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end $$;
