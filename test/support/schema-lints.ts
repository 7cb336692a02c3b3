import { readFileSync } from 'node:fs';

/**
 * Checks equivalent to the ERROR and WARN lints of Supabase's database linter
 * (splinter, which the dashboard's Security and Performance Advisors run),
 * written for this schema, plus the INFO lint unindexed_foreign_keys. Each
 * query returns the objects that fail it, one `object` per row; $1 is the
 * list of schemas the Supabase API exposes (supabase/config.toml).
 * "Reachable" is what a request role holds: anon or authenticated with the
 * privilege.
 * Where splinter keys a check on a Supabase feature Rapport does not use
 * (Auth's auth.users, Storage buckets, pgmq queues), the check still runs
 * and finds nothing unless that feature's tables appear.
 */
export interface Lint {
  /** splinter's name and number, e.g. rls_disabled_in_public (0013) */
  name: string;
  id: string;
  level: 'ERROR' | 'WARN' | 'INFO';
  sql: string;
}

/** Supabase's API exposes these (config.toml [api] schemas); a hosted project adds `api` by hand (README). */
export function exposedSchemas(): string[] {
  const toml = readFileSync(new URL('../../supabase/config.toml', import.meta.url), 'utf8');
  const list = /^\[api\][\s\S]*?^schemas\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!list) throw new Error('supabase/config.toml has no [api] schemas');
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

/** schemas that are PostgreSQL's own or the extensions' */
const OURS = `n.nspname not in ('pg_catalog', 'information_schema', 'extensions') and n.nspname !~ '^pg_(toast|temp)'`;
const notExtension = (cls: string, oid: string) =>
  `not exists (select 1 from pg_depend e where e.classid = '${cls}'::regclass and e.objid = ${oid} and e.deptype = 'e')`;
const reachable = (oid: string) => `(has_table_privilege('anon', ${oid}, 'select') or has_table_privilege('authenticated', ${oid}, 'select'))`;
const invoker = (c: string) =>
  `coalesce(${c}.reloptions, '{}') && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes']`;
/** a policy's expressions as text, with the policy's table */
const POLICIES = `select c.oid::regclass::text || ' policy ' || p.polname as object, c.relrowsecurity as rls, p.polpermissive as permissive,
    p.polcmd as cmd, p.polroles as roles, pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as with_check
  from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace where ${OURS}`;
const SECURITY_DEFINER_RUNNABLE_BY = (role: string) => `
  select p.oid::regprocedure::text as object from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where ${OURS} and p.prosecdef and has_function_privilege('${role}', p.oid, 'execute') and ${notExtension('pg_proc', 'p.oid')}`;
const SELECTABLE_BY = (role: string) => `
  select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where ${OURS} and c.relkind in ('r', 'v', 'm', 'f') and ${notExtension('pg_class', 'c.oid')}
    and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                and has_column_privilege('${role}', c.oid, a.attnum, 'select'))`;

export const LINTS: Lint[] = [
  // ------------------------------------------------------------------ ERROR
  {
    name: 'rls_disabled_in_public',
    id: '0013',
    level: 'ERROR',
    sql: `select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p') and not c.relrowsecurity and n.nspname = any ($1) and ${reachable('c.oid')}`,
  },
  {
    name: 'policy_exists_rls_disabled',
    id: '0007',
    level: 'ERROR',
    sql: `select distinct split_part(object, ' policy ', 1) as object from (${POLICIES}) p where not p.rls`,
  },
  {
    name: 'security_definer_view',
    id: '0010',
    level: 'ERROR',
    sql: `select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'v' and n.nspname = any ($1) and ${reachable('c.oid')} and not (${invoker('c')}) and ${notExtension('pg_class', 'c.oid')}`,
  },
  {
    name: 'auth_users_exposed',
    id: '0002',
    level: 'ERROR',
    sql: `select distinct v.oid::regclass::text as object
          from pg_rewrite r join pg_class v on v.oid = r.ev_class join pg_namespace vn on vn.oid = v.relnamespace
          join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
          join pg_class u on u.oid = d.refobjid join pg_namespace un on un.oid = u.relnamespace
          where un.nspname = 'auth' and u.relname = 'users' and v.relkind in ('v', 'm') and vn.nspname = any ($1) and ${reachable('v.oid')}
            and (v.relkind = 'm' or not (${invoker('v')}) or not u.relrowsecurity)`,
  },
  {
    name: 'rls_references_user_metadata',
    id: '0015',
    level: 'ERROR',
    sql: `select object from (${POLICIES}) p
          where concat_ws(' ', p.qual, p.with_check) ~ '(auth\\.jwt\\(\\)|request\\.jwt\\.claims)' and concat_ws(' ', p.qual, p.with_check) ~ 'user_metadata'`,
  },
  {
    name: 'insecure_queue_exposed_in_api',
    id: '0019',
    level: 'ERROR',
    sql: `select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'pgmq' and c.relname like 'q\\_%' and c.relkind in ('r', 'p') and not c.relrowsecurity
            and ${reachable('c.oid')} and 'pgmq_public' = any ($1)`,
  },
  {
    name: 'fkey_to_auth_unique',
    id: '0021',
    level: 'ERROR',
    sql: `select co.conrelid::regclass::text || ' ' || co.conname as object
          from pg_constraint co join pg_class r on r.oid = co.confrelid join pg_namespace rn on rn.oid = r.relnamespace
          join pg_index i on i.indexrelid = co.conindid
          where co.contype = 'f' and rn.nspname = 'auth' and i.indisunique and not i.indisprimary`,
  },
  {
    name: 'sensitive_columns_exposed',
    id: '0023',
    level: 'ERROR',
    sql: `select distinct c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          where c.relkind = 'r' and not c.relrowsecurity and n.nspname = any ($1) and ${reachable('c.oid')}
            and replace(lower(a.attname), '-', '_') ~ '^(pass(word|wd|phrase)?|pwd|.*secret.*|.*token.*|.*api_?key|private_key|jwt|otp|auth_(key|code)|session_(id|key)|.*_code|ssn|social_security.*|.*licen[cs]e.*|passport.*|national_id|tax_id|credit_card|card_number|cvv|cvc|bank_account|account_number|routing_number|iban|swift_code|bic|.*medical.*|health.*|patient_id|.*insurance.*|mac_address|imei|device_uuid|(pgp|gpg|ssh)_key|certificate|activation_key|facial_recognition)$'`,
  },
  // ------------------------------------------------------------------ WARN
  {
    name: 'auth_rls_initplan',
    id: '0003',
    level: 'WARN',
    sql: `select object from (${POLICIES}) p, unnest(array[p.qual, p.with_check]) e(expr)
          where p.rls and (e.expr ~ 'auth\\.(uid|jwt|role|email)\\(\\)' and lower(e.expr) !~ 'select auth\\.(uid|jwt|role|email)\\(\\)'
                        or e.expr ~ 'current_setting\\(' and lower(e.expr) !~ 'select current_setting\\(')`,
  },
  {
    name: 'multiple_permissive_policies',
    id: '0006',
    level: 'WARN',
    sql: `select split_part(p.object, ' policy ', 1) || ' for ' || r.rolname || ' ' || cmd.c as object
          from (${POLICIES}) p
          cross join lateral unnest(case p.cmd when 'r' then array['select'] when 'a' then array['insert'] when 'w' then array['update']
                                               when 'd' then array['delete'] else array['select', 'insert', 'update', 'delete'] end) cmd(c)
          join pg_roles r on (p.roles = '{0}' or r.oid = any (p.roles)) and r.rolname !~ '^pg_' and not r.rolbypassrls
          where p.permissive
          group by 1 having count(*) > 1`,
  },
  {
    name: 'duplicate_index',
    id: '0009',
    level: 'WARN',
    sql: `select string_agg(i.indexrelid::regclass::text, ' = ' order by i.indexrelid::regclass::text) as object
          from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
          where ${OURS} and ${notExtension('pg_class', 'c.oid')}
          group by i.indrelid, replace(pg_get_indexdef(i.indexrelid), quote_ident((select relname from pg_class x where x.oid = i.indexrelid)) || ' ON', ' ON')
          having count(*) > 1`,
  },
  {
    name: 'function_search_path_mutable',
    id: '0011',
    level: 'WARN',
    sql: `select p.oid::regprocedure::text as object from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where ${OURS} and ${notExtension('pg_proc', 'p.oid')}
            and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search\\_path=%')`,
  },
  {
    name: 'extension_in_public',
    id: '0014',
    level: 'WARN',
    sql: `select e.extname as object from pg_extension e join pg_namespace n on n.oid = e.extnamespace
          where n.nspname = 'public' and e.extname <> 'plpgsql'`,
  },
  {
    name: 'materialized_view_in_api',
    id: '0016',
    level: 'WARN',
    sql: `select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'm' and n.nspname = any ($1) and ${reachable('c.oid')} and ${notExtension('pg_class', 'c.oid')}`,
  },
  {
    name: 'foreign_table_in_api',
    id: '0017',
    level: 'WARN',
    sql: `select c.oid::regclass::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'f' and n.nspname = any ($1) and ${reachable('c.oid')} and ${notExtension('pg_class', 'c.oid')}`,
  },
  {
    name: 'unsupported_reg_types',
    id: '0018',
    level: 'WARN',
    sql: `select a.attrelid::regclass::text || '.' || a.attname as object
          from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          where ${OURS} and a.attnum > 0 and not a.attisdropped
            and a.atttypid in ('regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype, 'regnamespace'::regtype,
                               'regoper'::regtype, 'regoperator'::regtype, 'regproc'::regtype, 'regprocedure'::regtype)`,
  },
  {
    name: 'extension_versions_outdated',
    id: '0022',
    level: 'WARN',
    sql: `select name || ' ' || installed_version || ' (default ' || default_version || ')' as object from pg_available_extensions
          where installed_version is not null and default_version is not null and installed_version <> default_version`,
  },
  {
    name: 'rls_policy_always_true',
    id: '0024',
    level: 'WARN',
    sql: `select object from (${POLICIES}) p
          where p.rls and p.permissive
            and (p.roles = '{0}' or exists (select 1 from pg_roles r where r.oid = any (p.roles) and r.rolname in ('anon', 'authenticated')))
            and (p.cmd in ('w', 'd', '*') and (p.qual is null or regexp_replace(lower(p.qual), '\\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)'))
                 or regexp_replace(lower(coalesce(p.with_check, '')), '\\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)')
                 or p.cmd = 'a' and p.with_check is null)`,
  },
  {
    name: 'public_bucket_allows_listing',
    id: '0025',
    level: 'WARN',
    // Storage is off for Rapport (config.toml): its buckets table appearing means this check must learn to read it
    sql: `select 'storage.buckets exists' as object where to_regclass('storage.buckets') is not null`,
  },
  { name: 'pg_graphql_anon_table_exposed', id: '0026', level: 'WARN', sql: SELECTABLE_BY('anon') },
  { name: 'pg_graphql_authenticated_table_exposed', id: '0027', level: 'WARN', sql: SELECTABLE_BY('authenticated') },
  { name: 'anon_security_definer_function_executable', id: '0028', level: 'WARN', sql: SECURITY_DEFINER_RUNNABLE_BY('anon') },
  {
    name: 'authenticated_security_definer_function_executable',
    id: '0029',
    level: 'WARN',
    sql: SECURITY_DEFINER_RUNNABLE_BY('authenticated'),
  },
  // ------------------------------------------------------------------ INFO, asked for by issue 14
  {
    name: 'unindexed_foreign_keys',
    id: '0001',
    level: 'INFO',
    sql: `select co.conrelid::regclass::text || ' ' || co.conname as object
          from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace
          where co.contype = 'f' and ${OURS} and ${notExtension('pg_class', 'c.oid')}
            and not exists (select 1 from pg_index i where i.indrelid = co.conrelid and i.indisvalid
                            and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(co.conkey)] = co.conkey)`,
  },
];

/**
 * What a Supabase project grants before any migration runs: the request roles
 * may use schema public, and whatever the migrating role creates there is
 * granted to them by default. Run before migrating, so that what the
 * migrations (and the migrator) put in public is linted as Supabase would see it.
 */
export const SUPABASE_PUBLIC_DEFAULTS = `
  grant usage on schema public to anon, authenticated, service_role;
  alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`;
