-- Readings, part 2 (issue 21): reading is a field of contacts and companies.
-- Every contact and company JSON carries it; create and update take it.
-- A given reading (typed, NFKC-folded by the backend) is kept as given, and
-- null clears it. Without one, the backend hands the name's pinyin
-- (args.pinyin, backend/contacts/reading.ts) and it is stored when the writer
-- reads Chinese (locale zh), marked computed; when the name changes, a
-- computed (or missing) reading is made again the same way, a given one kept.

CREATE OR REPLACE FUNCTION crm.contact_json(c crm.contacts)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$begin
  return (select jsonb_build_object(
    'id', c.id, 'name', c.name, 'reading', c.reading, 'title', c.title, 'phone', c.phone,
    'emails', coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.created_at, e.email)
                        from contact_emails e where e.contact_id = c.id and e.workspace_id = c.workspace_id), '[]'::jsonb),
    'company', crm.company_json(c.workspace_id, c.company_id),
    'stage', c.stage,
    'owner', crm.member_brief(c.workspace_id, c.owner_id),
    'tags', to_jsonb(c.tags), 'custom', c.custom, 'timezone', c.timezone,
    'lastInteractionAt', c.last_interaction_at,
    'mergedIntoId', c.merged_into_id,
    'source', c.source,
    'createdAt', c.created_at, 'updatedAt', c.updated_at));
end$function$;

CREATE OR REPLACE FUNCTION crm.account_json(co crm.companies)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
begin
  return jsonb_build_object(
    'id', co.id, 'name', co.name, 'reading', co.reading, 'domain', co.domain,
    'domains', coalesce((select jsonb_agg(d.domain order by d.domain = co.domain desc nulls last, d.created_at, d.domain)
                         from company_domains d where d.workspace_id = co.workspace_id and d.company_id = co.id), '[]'::jsonb),
    'industry', co.industry, 'size', co.size,
    'owner', crm.member_brief(co.workspace_id, co.owner_id),
    'tags', to_jsonb(co.tags), 'custom', co.custom,
    'mergedIntoId', co.merged_into_id, 'source', co.source,
    'createdAt', co.created_at, 'updatedAt', co.updated_at);
end
$function$;

CREATE OR REPLACE FUNCTION api.contact_create(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  w crm.workspaces;
  src text := crm.ctx_source(ctx);
  emails text[] := array(select btrim(e) from jsonb_array_elements_text(coalesce(args -> 'emails', '[]')) e);
  owner uuid := me.id;
  c crm.contacts;
  typed text := nullif(btrim(args ->> 'reading'), '');
  computed text := case when typed is null and me.locale = 'zh' then nullif(btrim(args ->> 'pinyin'), '') end;
begin
  select * into w from workspaces where id = ws;
  if args ? 'ownerEmail' and args ->> 'ownerEmail' is not null then
    owner := crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail');
  end if;
  insert into contacts (workspace_id, name, title, phone, company_id, stage, owner_id, tags, custom, timezone, source, created_by, reading, reading_computed)
  values (ws, btrim(args ->> 'name'), args ->> 'title', args ->> 'phone',
    crm.resolve_company(w, args -> 'company', emails, me.id, src),
    coalesce(args ->> 'stage', 'lead'), owner,
    crm.tag_array(args -> 'tags'),
    coalesce(args -> 'custom', '{}'), args ->> 'timezone', src, me.id,
    coalesce(typed, computed), computed is not null)
  returning * into c;
  perform crm.claim_emails(ws, c.id, emails);
  perform crm.audit(ws, me.id, src, 'contact', c.id, 'create', null, crm.contact_json(c));
  return crm.contact_json(c);
end
$function$;

CREATE OR REPLACE FUNCTION api.contact_update(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  c crm.contacts := crm.contact_or_404(ws, (args ->> 'id')::uuid);
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb := crm.contact_json(c);
  after jsonb;
  emails text[];
  k text;
  v jsonb;
  new_custom jsonb;
  computed text := case when me.locale = 'zh' then nullif(btrim(args ->> 'pinyin'), '') end;
  -- a new name remakes a reading that was computed or missing; a given one stays
  remake boolean := p ? 'name' and not p ? 'reading' and btrim(p ->> 'name') is distinct from c.name
    and (c.reading is null or c.reading_computed);
begin
  select * into w from workspaces where id = ws;
  if p ? 'emails' then
    emails := array(select btrim(e) from jsonb_array_elements_text(p -> 'emails') e);
    delete from contact_emails where workspace_id = ws and contact_id = c.id
      and lower(email) <> all (array(select lower(e) from unnest(emails) e));
    update contact_emails set is_primary = (lower(email) = lower(emails[1]))
      where workspace_id = ws and contact_id = c.id;
    perform crm.claim_emails(ws, c.id, emails);
    update contact_emails set is_primary = (lower(email) = lower(emails[1]))
      where workspace_id = ws and contact_id = c.id;
  end if;
  new_custom := c.custom;
  if p ? 'custom' then
    for k, v in select * from jsonb_each(p -> 'custom') loop
      if v = 'null'::jsonb then new_custom := new_custom - k; else new_custom := new_custom || jsonb_build_object(k, v); end if;
    end loop;
  end if;
  update contacts set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    title = case when p ? 'title' then p ->> 'title' else title end,
    phone = case when p ? 'phone' then p ->> 'phone' else phone end,
    stage = case when p ? 'stage' then p ->> 'stage' else stage end,
    timezone = case when p ? 'timezone' then p ->> 'timezone' else timezone end,
    tags = case when p ? 'tags' then crm.tag_array(p -> 'tags') else tags end,
    custom = new_custom,
    reading = case when p ? 'reading' then nullif(btrim(p ->> 'reading'), '') when remake then computed else reading end,
    reading_computed = case when p ? 'reading' then false when remake then computed is not null else reading_computed end,
    owner_id = case when not p ? 'ownerEmail' then owner_id
                    when p ->> 'ownerEmail' is null then null
                    else crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') end,
    company_id = case when not p ? 'company' then company_id
                      when jsonb_typeof(p -> 'company') = 'null' then null
                      else crm.resolve_company(w, p -> 'company', '{}', me.id, src) end,
    updated_at = now()
  where id = c.id and workspace_id = ws
  returning * into c;
  after := crm.contact_json(c);
  if after - 'updatedAt' is distinct from before - 'updatedAt' then
    perform crm.audit(ws, me.id, src, 'contact', c.id, 'update',
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key and key <> 'updatedAt'),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key and key <> 'updatedAt'));
  end if;
  return after;
end
$function$;

CREATE OR REPLACE FUNCTION api.company_create(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  doms text[] := crm.company_domain_list(args -> 'domains');
  co crm.companies;
  typed text := nullif(btrim(args ->> 'reading'), '');
  computed text := case when typed is null and me.locale = 'zh' then nullif(btrim(args ->> 'pinyin'), '') end;
begin
  select * into w from workspaces where id = ws;
  insert into companies (workspace_id, name, industry, size, owner_id, tags, custom, source, created_by, reading, reading_computed)
  values (ws, btrim(args ->> 'name'), nullif(btrim(args ->> 'industry'), ''), args ->> 'size',
    case when args ->> 'ownerEmail' is not null then crm.member_by_email(ws, args ->> 'ownerEmail', 'ownerEmail') end,
    crm.tag_array(args -> 'tags'),
    coalesce((select jsonb_object_agg(key, value) from jsonb_each(coalesce(args -> 'custom', '{}')) where value <> 'null'::jsonb), '{}'),
    src, me.id, coalesce(typed, computed), computed is not null)
  returning * into co;
  if cardinality(doms) > 0 then
    perform crm.company_set_domains(w, co.id, doms);
    select * into co from companies where workspace_id = ws and id = co.id;
  end if;
  perform crm.audit(ws, me.id, src, 'company', co.id, 'create', null, crm.account_json(co));
  return crm.account_card(co, me.id);
end
$function$;

CREATE OR REPLACE FUNCTION api.company_update(ctx jsonb, args jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'crm', 'pg_catalog'
AS $function$
declare
  me crm.members := crm.enter(ctx);
  ws uuid := me.workspace_id;
  src text := crm.ctx_source(ctx);
  w crm.workspaces;
  co crm.companies := crm.company_or_404(ws, (args ->> 'id')::uuid);
  p jsonb := coalesce(args -> 'patch', '{}');
  before jsonb := crm.account_json(co);
  after jsonb;
  new_custom jsonb := co.custom;
  k text;
  v jsonb;
  computed text := case when me.locale = 'zh' then nullif(btrim(args ->> 'pinyin'), '') end;
  remake boolean := p ? 'name' and not p ? 'reading' and btrim(p ->> 'name') is distinct from co.name
    and (co.reading is null or co.reading_computed);
begin
  if co.merged_into_id is not null then
    perform crm.fail(409, 'company_merged', jsonb_build_object('id', co.id, 'intoId', co.merged_into_id));
  end if;
  select * into w from workspaces where id = ws;
  if p ? 'domains' then
    perform crm.company_set_domains(w, co.id, crm.company_domain_list(p -> 'domains'));
  end if;
  if p ? 'custom' then
    for k, v in select * from jsonb_each(p -> 'custom') loop
      if v = 'null'::jsonb then new_custom := new_custom - k; else new_custom := new_custom || jsonb_build_object(k, v); end if;
    end loop;
  end if;
  update companies set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    industry = case when p ? 'industry' then nullif(btrim(p ->> 'industry'), '') else industry end,
    size = case when p ? 'size' then p ->> 'size' else size end,
    tags = case when p ? 'tags' then crm.tag_array(p -> 'tags') else tags end,
    custom = new_custom,
    reading = case when p ? 'reading' then nullif(btrim(p ->> 'reading'), '') when remake then computed else reading end,
    reading_computed = case when p ? 'reading' then false when remake then computed is not null else reading_computed end,
    owner_id = case when not p ? 'ownerEmail' then owner_id
                    when p ->> 'ownerEmail' is null then null
                    else crm.member_by_email(ws, p ->> 'ownerEmail', 'ownerEmail') end,
    updated_at = now()
  where workspace_id = ws and id = co.id
  returning * into co;
  after := crm.account_json(co);
  if after - 'updatedAt' is distinct from before - 'updatedAt' then
    perform crm.audit(ws, me.id, src, 'company', co.id, 'update',
      (select jsonb_object_agg(key, value) from jsonb_each(before) b where b.value is distinct from after -> b.key and key <> 'updatedAt'),
      (select jsonb_object_agg(key, value) from jsonb_each(after) a where a.value is distinct from before -> a.key and key <> 'updatedAt'));
  end if;
  return crm.account_card(co, me.id);
end
$function$;
