-- The Gmail add-on's account line (issue 18): each person on an open email
-- carries their company as an account, its open deals counted and summed per
-- currency (never converted), so the person card reads "Acme Corp · 3 open
-- deals · $15,250.00 + ¥1,200,000" with no second request. A person Rapport
-- does not know yet gets the company holding their address's domain (any of
-- its domains) as the suggestion's company.
--
-- This restates crm.gmail_person (last defined in 20261203002000_capture_core) with
-- 'account' added and the suggestion's company looked up in company_domains;
-- everything else is as it was.

create or replace function crm.gmail_account(ws uuid, cid uuid) returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
begin
  if cid is null then
    return null;
  end if;
  return (select jsonb_build_object('id', co.id, 'name', co.name,
      'openDealsCount', (select count(*) from deals d where d.workspace_id = ws and d.company_id = co.id and d.status = 'open'),
      'openDealTotals', coalesce((
        select jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount, 'count', t.n) order by t.currency)
        from (select d.currency, sum(d.amount) as amount, count(*) as n from deals d
              where d.workspace_id = ws and d.company_id = co.id and d.status = 'open' and d.currency is not null
              group by d.currency) t), '[]'::jsonb))
    from companies co where co.workspace_id = ws and co.id = cid);
end
$$;
revoke execute on function crm.gmail_account(uuid, uuid) from public;
grant execute on function crm.gmail_account(uuid, uuid) to service_role;

create or replace function crm.gmail_person(w crm.workspaces, viewer uuid, addr text, display text, role text)
returns jsonb
language plpgsql
stable
set search_path = crm, pg_catalog
as $$
declare
  cid uuid;
  dom text := crm.email_domain(addr);
  company_name text;
  co_id uuid;
  card jsonb;
begin
  -- the exact address first, then the same one without its +tag (as capture files it)
  select e.contact_id into cid from contact_emails e join contacts c on c.workspace_id = w.id and c.id = e.contact_id
    where e.workspace_id = w.id and crm.norm_email(e.email) = crm.norm_email(addr)
    order by lower(e.email) = addr desc, lower(e.email) = crm.norm_email(addr) desc, c.created_at, c.id
    limit 1;
  if cid is not null then
    card := crm.contact_card(crm.contact_or_404(w.id, cid), viewer, 5);
    return jsonb_build_object('email', addr, 'name', display, 'role', role,
      -- at most 5, likeliest first
      'contact', card || jsonb_build_object('duplicates', coalesce((
        select jsonb_agg(x.j order by x.ord) from (
          select jsonb_build_object('id', o.id, 'name', o.name, 'reason', d.reason) as j,
            row_number() over (order by d.score desc, array_position(array['email', 'phone', 'name'], d.reason), o.created_at, o.id) as ord
          from crm.duplicate_candidates(w.id, (card ->> 'id')::uuid) d
          join contacts o on o.workspace_id = w.id and o.id = case when d.a = (card ->> 'id')::uuid then d.b else d.a end
          order by ord limit 5) x), '[]'::jsonb)),
      'suggestion', null,
      'account', crm.gmail_account(w.id, (card #>> '{company,id}')::uuid));
  end if;
  if dom is null or crm.is_free_mail(w, addr) then
    dom := null;
  else
    -- the company that already holds the domain here, else the name capture would give it
    select co.id, co.name into co_id, company_name
    from company_domains d join companies co on co.workspace_id = w.id and co.id = d.company_id
    where d.workspace_id = w.id and d.domain = dom;
    company_name := coalesce(company_name, crm.company_name_from_domain(dom));
  end if;
  return jsonb_build_object('email', addr, 'name', display, 'role', role, 'contact', null,
    'suggestion', jsonb_build_object(
      'name', left(coalesce(display, nullif(split_part(addr, '@', 1), ''), addr), 300),
      'companyName', company_name, 'domain', dom),
    'account', crm.gmail_account(w.id, co_id));
end
$$;
