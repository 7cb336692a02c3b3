import type { SqlRunner } from './migrate.js';

/**
 * The current definition of every object the migrations made, read from a
 * migrated database's catalogue as statements, grouped by the file of
 * supabase/schema/ each belongs in:
 *   schemas.sql                      schemas, extensions, schema privileges
 *   <schema>/tables/<table>.sql      the table, its indexes, row-level security, policies, triggers, privileges
 *   <schema>/views/<view>.sql        a view and its privileges
 *   <schema>/functions/<name>.sql    a function (every overload of the name) and its privileges
 * Everything is ordered by name and carries no OID, owner or timestamp, so two
 * databases migrated alike give the same text. Owners are left out on purpose:
 * they are whoever ran the migrations.
 */
export type SchemaStatements = Map<string, string[]>;

/** Schemas that are PostgreSQL's own or the migrator's bookkeeping (rapport.schema_migrations, made by migrate.ts). */
const SKIPPED_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast', 'rapport')`;
const DUMPED_NAMESPACE = `n.nspname not in ${SKIPPED_SCHEMAS} and n.nspname !~ '^pg_(temp|toast_temp)_'`;
/** objects an extension made (pg_trgm's functions, ...) belong to the extension, not to us */
const notFromExtension = (cls: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${cls}'::pg_catalog.regclass and d.objid = ${oid} and d.deptype = 'e')`;

/** Privileges in the order GRANT lists them. */
const PRIVILEGE_ORDER = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN', 'USAGE', 'CREATE', 'EXECUTE'];

interface AclRow {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/**
 * GRANT (and REVOKE ... FROM public) statements that turn an object's default
 * privileges into the ones it has. `publicByDefault`: PUBLIC's default
 * privilege on this kind of object (EXECUTE on a function), if any.
 */
function grants(onWhat: string, acl: AclRow[] | null, publicByDefault?: string): string | null {
  if (acl === null) return null; // never granted or revoked: the defaults
  const lines: string[] = [];
  if (publicByDefault && !acl.some((a) => a.grantee === 'public' && a.privilege === publicByDefault)) {
    lines.push(`revoke ${publicByDefault.toLowerCase()} on ${onWhat} from public;`);
  }
  const byGrantee = new Map<string, AclRow[]>();
  for (const a of acl) byGrantee.set(a.grantee, [...(byGrantee.get(a.grantee) ?? []), a]);
  for (const grantee of [...byGrantee.keys()].sort()) {
    const rows = byGrantee.get(grantee)!;
    if (grantee === 'public' && publicByDefault && rows.length === 1 && rows[0]!.privilege === publicByDefault && !rows[0]!.grantable) continue;
    for (const grantable of [false, true]) {
      const privs = rows.filter((r) => r.grantable === grantable).map((r) => r.privilege);
      privs.sort((a, b) => PRIVILEGE_ORDER.indexOf(a) - PRIVILEGE_ORDER.indexOf(b));
      if (privs.length) lines.push(`grant ${privs.join(', ').toLowerCase()} on ${onWhat} to ${grantee}${grantable ? ' with grant option' : ''};`);
    }
  }
  return lines.length ? lines.join('\n') : null;
}

/** aclexplode() of an ACL column as JSON, leaving out what the owner holds (its implicit, full rights). */
const aclJson = (acl: string, owner: string) => `(select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
    'grantee', case when x.grantee = 0 then 'public' else pg_catalog.quote_ident(g.rolname) end,
    'privilege', x.privilege_type, 'grantable', x.is_grantable) order by g.rolname, x.privilege_type)
  from pg_catalog.aclexplode(${acl}) x left join pg_catalog.pg_roles g on g.oid = x.grantee
  where x.grantee <> ${owner})`;
/** null when the object was never granted or revoked (its ACL is the default), [] when only the owner holds rights */
const aclOf = (acl: string, owner: string) => `case when ${acl} is null then null else coalesce(${aclJson(acl, owner)}, '[]'::jsonb) end`;

function add(out: SchemaStatements, file: string, statement: string | null) {
  if (statement === null) return;
  const list = out.get(file) ?? [];
  list.push(statement);
  out.set(file, list);
}

const sorted = (s: SchemaStatements): SchemaStatements => new Map([...s.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Reads the schema. Needs one database session to itself: it sets
 * search_path to pg_catalog while it reads (so that every name the
 * catalogue prints is schema-qualified the same way) and restores it after.
 */
export async function readSchema(sql: SqlRunner): Promise<SchemaStatements> {
  const [{ path: saved } = { path: '' }] = await sql.query<{ path: string }>(`select pg_catalog.current_setting('search_path') as path`);
  await sql.query(`select pg_catalog.set_config('search_path', 'pg_catalog', false)`);
  try {
    await refuseWhatWeCannotRender(sql);
    const out: SchemaStatements = new Map();
    await readSchemasAndExtensions(sql, out);
    await readTables(sql, out);
    await readViews(sql, out);
    await readFunctions(sql, out);
    return sorted(out);
  } finally {
    await sql.query(`select pg_catalog.set_config('search_path', $1, false)`, [saved]);
  }
}

/** Kinds of object the files do not render: finding one is an error, never a silent omission. */
async function refuseWhatWeCannotRender(sql: SqlRunner) {
  const found = await sql.query<{ what: string }>(`
    select 'relation ' || n.nspname || '.' || c.relname || ' of kind ' || c.relkind::text as what
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${DUMPED_NAMESPACE} and c.relkind not in ('r', 'i', 'v', 'S') and ${notFromExtension('pg_class', 'c.oid')}
    union all
    select 'sequence ' || n.nspname || '.' || c.relname || ' that no column owns'
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${DUMPED_NAMESPACE} and c.relkind = 'S' and ${notFromExtension('pg_class', 'c.oid')}
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
    union all
    select 'type ' || n.nspname || '.' || t.typname
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${DUMPED_NAMESPACE} and t.typtype in ('d', 'e', 'r', 'm', 'b') and t.typelem = 0 and ${notFromExtension('pg_type', 't.oid')}
    union all
    select 'routine ' || n.nspname || '.' || p.proname || ' of kind ' || p.prokind::text
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${DUMPED_NAMESPACE} and p.prokind not in ('f', 'p') and ${notFromExtension('pg_proc', 'p.oid')}
    union all
    select 'statistics object ' || s.stxname from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace where ${DUMPED_NAMESPACE}
    union all
    select 'rule ' || r.rulename from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
    where ${DUMPED_NAMESPACE} and r.rulename <> '_RETURN'
    union all
    select 'comment on ' || d.classoid::regclass::text from pg_description d
    where d.classoid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_namespace'::regclass)
      and exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = d.objoid and ${DUMPED_NAMESPACE}
                  union all select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.oid = d.objoid and ${DUMPED_NAMESPACE})
    union all
    select 'column privilege on ' || a.attrelid::regclass::text || '.' || a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace where ${DUMPED_NAMESPACE} and a.attacl is not null
    order by 1`);
  if (found.length) {
    throw new Error(`npm run db:schema cannot render ${found.map((f) => f.what).join(', ')} yet: teach backend/db/schema-dump.ts to write it`);
  }
}

async function readSchemasAndExtensions(sql: SqlRunner, out: SchemaStatements) {
  // public is PostgreSQL's own (its objects, if any, still get files of their own)
  const schemas = await sql.query<{ name: string; acl: AclRow[] | null }>(`
    select pg_catalog.quote_ident(n.nspname) as name, ${aclOf('n.nspacl', 'n.nspowner')} as acl
    from pg_namespace n where ${DUMPED_NAMESPACE} and n.nspname <> 'public' order by n.nspname`);
  for (const s of schemas) add(out, 'schemas.sql', `create schema ${s.name};`);
  const extensions = await sql.query<{ name: string; schema: string }>(`
    select pg_catalog.quote_ident(e.extname) as name, pg_catalog.quote_ident(n.nspname) as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql' order by e.extname`);
  for (const e of extensions) add(out, 'schemas.sql', `create extension ${e.name} with schema ${e.schema};`);
  for (const s of schemas) add(out, 'schemas.sql', grants(`schema ${s.name}`, s.acl));
}

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  qualified: string;
  options: string[] | null;
  rls: boolean;
  force_rls: boolean;
  acl: AclRow[] | null;
}

async function readTables(sql: SqlRunner, out: SchemaStatements) {
  const tables = await sql.query<TableRow>(`
    select c.oid, n.nspname as schema, c.relname as name, c.oid::regclass::text as qualified, c.reloptions as options,
      c.relrowsecurity as rls, c.relforcerowsecurity as force_rls, ${aclOf('c.relacl', 'c.relowner')} as acl
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${DUMPED_NAMESPACE} and c.relkind = 'r' and ${notFromExtension('pg_class', 'c.oid')}
    order by n.nspname, c.relname`);
  for (const t of tables) {
    const file = `${t.schema}/tables/${t.name}.sql`;
    const columns = await sql.query<{ line: string }>(
      `select '  ' || pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
          || case when a.attcollation <> 0 and a.attcollation <> ty.typcollation
               then ' collate ' || (select pg_catalog.quote_ident(co.collname) from pg_collation co where co.oid = a.attcollation) else '' end
          || case a.attidentity when 'a' then ' generated always as identity' when 'd' then ' generated by default as identity' else '' end
          || case when a.attgenerated = 's' then ' generated always as (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') stored'
                  when a.attgenerated = 'v' then ' generated always as (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') virtual'
                  when ad.adbin is not null then ' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) else '' end
          || case when a.attnotnull and a.attidentity = '' then ' not null' else '' end as line
       from pg_attribute a join pg_type ty on ty.oid = a.atttypid
       left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
       where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      [t.oid],
    );
    // 'n' (PostgreSQL 18's named NOT NULL) is shown on its column instead
    const constraints = await sql.query<{ line: string }>(
      `select '  constraint ' || pg_catalog.quote_ident(co.conname) || ' ' || pg_catalog.pg_get_constraintdef(co.oid) as line
       from pg_constraint co where co.conrelid = $1 and co.contype in ('p', 'u', 'x', 'c', 'f')
       order by pg_catalog.strpos('puxcf', co.contype::text), co.conname`,
      [t.oid],
    );
    const body = [...columns, ...constraints].map((r) => r.line).join(',\n');
    const options = t.options?.length ? ` with (${t.options.join(', ')})` : '';
    add(out, file, `create table ${t.qualified} (\n${body}\n)${options};`);

    const indexes = await sql.query<{ def: string }>(
      `select pg_catalog.pg_get_indexdef(i.indexrelid) || ';' as def
       from pg_index i join pg_class ic on ic.oid = i.indexrelid
       where i.indrelid = $1 and not exists (select 1 from pg_constraint co where co.conindid = i.indexrelid and co.conrelid = i.indrelid)
       order by ic.relname`,
      [t.oid],
    );
    for (const i of indexes) add(out, file, i.def);

    if (t.rls) add(out, file, `alter table ${t.qualified} enable row level security;`);
    if (t.force_rls) add(out, file, `alter table ${t.qualified} force row level security;`);
    const policies = await sql.query<{ def: string }>(
      `select 'create policy ' || pg_catalog.quote_ident(p.polname) || ' on ' || c.oid::regclass::text
          || case when p.polpermissive then '' else ' as restrictive' end
          || ' for ' || case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end
          || ' to ' || case when p.polroles = '{0}' then 'public'
               else (select pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ' order by r.rolname) from pg_roles r where r.oid = any (p.polroles)) end
          || coalesce(E'\n  using (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
          || coalesce(E'\n  with check (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '') || ';' as def
       from pg_policy p join pg_class c on c.oid = p.polrelid where p.polrelid = $1 order by p.polname`,
      [t.oid],
    );
    for (const p of policies) add(out, file, p.def);
    const triggers = await sql.query<{ def: string }>(
      `select pg_catalog.pg_get_triggerdef(tg.oid) || ';' as def from pg_trigger tg where tg.tgrelid = $1 and not tg.tgisinternal order by tg.tgname`,
      [t.oid],
    );
    for (const tg of triggers) add(out, file, tg.def);

    add(out, file, grants(`table ${t.qualified}`, t.acl));
    const sequences = await sql.query<{ name: string; acl: AclRow[] | null }>(
      `select s.oid::regclass::text as name, ${aclOf('s.relacl', 's.relowner')} as acl
       from pg_depend d join pg_class s on s.oid = d.objid
       where d.classid = 'pg_class'::regclass and d.refobjid = $1 and d.deptype in ('a', 'i') and s.relkind = 'S' order by s.relname`,
      [t.oid],
    );
    for (const s of sequences) add(out, file, grants(`sequence ${s.name}`, s.acl));
  }
}

async function readViews(sql: SqlRunner, out: SchemaStatements) {
  const views = await sql.query<{
    schema: string;
    name: string;
    qualified: string;
    options: string[] | null;
    def: string;
    acl: AclRow[] | null;
  }>(`
    select n.nspname as schema, c.relname as name, c.oid::regclass::text as qualified, c.reloptions as options,
      pg_catalog.pg_get_viewdef(c.oid, true) as def, ${aclOf('c.relacl', 'c.relowner')} as acl
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${DUMPED_NAMESPACE} and c.relkind = 'v' and ${notFromExtension('pg_class', 'c.oid')}
    order by n.nspname, c.relname`);
  for (const v of views) {
    const file = `${v.schema}/views/${v.name}.sql`;
    const options = v.options?.length ? ` with (${v.options.join(', ')})` : '';
    add(out, file, `create view ${v.qualified}${options} as\n${v.def.replace(/;\s*$/, '')};`);
    add(out, file, grants(`table ${v.qualified}`, v.acl));
  }
}

async function readFunctions(sql: SqlRunner, out: SchemaStatements) {
  const fns = await sql.query<{ schema: string; name: string; def: string; signature: string; kind: string; acl: AclRow[] | null }>(`
    select n.nspname as schema, p.proname as name, pg_catalog.pg_get_functiondef(p.oid) as def, p.prokind::text as kind,
      pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' as signature,
      ${aclOf('p.proacl', 'p.proowner')} as acl
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${DUMPED_NAMESPACE} and p.prokind in ('f', 'p') and ${notFromExtension('pg_proc', 'p.oid')}
    order by n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)`);
  for (const f of fns) {
    const file = `${f.schema}/functions/${f.name}.sql`;
    add(out, file, `${f.def.replace(/\s+$/, '')};`);
    add(out, file, grants(`${f.kind === 'p' ? 'procedure' : 'function'} ${f.signature}`, f.acl, 'EXECUTE'));
  }
}
