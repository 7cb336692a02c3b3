import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';

/**
 * What the migrations promise about security, checked on the catalogue and by
 * acting as the roles a Supabase project exposes (anon, authenticated).
 */
describe.each(['pglite', 'postgres'] as const)('schema security on %s', (kind) => {
  let t: TestDb;
  let a: TestWorkspace;
  let b: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb(kind);
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    for (const ws of [a, b]) {
      await t.db.call('contact_create', { workspaceId: ws.id, memberId: ws.rep.id, source: 'api', now: new Date().toISOString() }, { name: `Contact of ${ws.id}`, emails: [] });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('turns row-level security on for every table', async () => {
    const rows = await t.sql.query<{ relname: string; relrowsecurity: boolean }>(
      `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'crm' and c.relkind = 'r' order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => !r.relrowsecurity)).toEqual([]);
    const policies = await t.sql.query<{ tablename: string }>(`select tablename from pg_policies where schemaname = 'crm'`);
    expect(new Set(policies.map((p) => p.tablename))).toEqual(new Set(rows.map((r) => r.relname)));
  });

  it('lets only the backend role execute the api and crm functions, each with a fixed search_path', async () => {
    const fns = await t.sql.query<{ name: string; anon: boolean; authed: boolean; pub: boolean; service: boolean; config: string[] | null }>(
      `select n.nspname || '.' || p.proname as name,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authed,
              exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x where x.grantee = 0 and x.privilege_type = 'EXECUTE') as pub,
              has_function_privilege('service_role', p.oid, 'execute') as service,
              p.proconfig as config
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('api', 'crm') order by 1`,
    );
    expect(fns.length).toBeGreaterThan(20);
    expect(fns.filter((f) => f.anon || f.authed || f.pub).map((f) => f.name)).toEqual([]);
    expect(fns.filter((f) => !f.service).map((f) => f.name)).toEqual([]);
    expect(fns.filter((f) => !(f.config ?? []).some((c) => c.startsWith('search_path='))).map((f) => f.name)).toEqual([]);
  });

  it('refuses anon and authenticated at the door', async () => {
    for (const role of ['anon', 'authenticated']) {
      await expect(t.sql.exec(`set role ${role}; select api.healthz('{}'::jsonb)`)).rejects.toThrow(/permission denied/);
      await t.sql.exec('reset role');
      await expect(t.sql.exec(`set role ${role}; select count(*) from crm.contacts`)).rejects.toThrow(/permission denied/);
      await t.sql.exec('reset role');
    }
  });

  it("shows a role without BYPASSRLS only the rows of the workspace its transaction names", async () => {
    await t.sql.exec(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'rls_probe') then create role rls_probe nologin; end if;
      end $$;
      grant usage on schema crm to rls_probe;
      grant select on crm.contacts to rls_probe;
      grant execute on function crm.current_workspace_id() to rls_probe;`);
    const count = async (ws: string | null) => {
      const rows = await t.sql.query<{ n: string | number; ws: string | null }>(
        `select count(*) as n, min(workspace_id::text) as ws from (select set_config('rapport.workspace_id', $1, false)) s, lateral (select 1) l,
           (select workspace_id from crm.contacts) c`,
        [ws ?? ''],
      );
      return rows[0]!;
    };
    try {
      await t.sql.exec('set role rls_probe');
      const seenA = await count(a.id);
      expect(Number(seenA.n)).toBe(1);
      expect(seenA.ws).toBe(a.id);
      const seenB = await count(b.id);
      expect(seenB.ws).toBe(b.id);
      expect(Number((await count(null)).n)).toBe(0);
    } finally {
      await t.sql.exec(`reset role; select set_config('rapport.workspace_id', '', false)`);
    }
  });

  it('refuses a member time zone PostgreSQL does not know (one would break every digest claim)', async () => {
    await expect(t.sql.exec(`update crm.members set timezone = 'Mars/Olympus'`)).rejects.toThrow(/invalid_timezone/);
    await t.sql.exec(`update crm.members set timezone = timezone`);
  });

  it('keeps the audit log append-only, even for its owner', async () => {
    const [{ n }] = (await t.sql.query<{ n: string | number }>(`select count(*) n from crm.audit_log`)) as [{ n: string | number }];
    expect(Number(n)).toBeGreaterThan(0);
    await expect(t.sql.exec(`update crm.audit_log set action = 'forged'`)).rejects.toThrow(/append_only|append-only/);
    await expect(t.sql.exec(`delete from crm.audit_log`)).rejects.toThrow(/append_only|append-only/);
    const [after] = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.audit_log`);
    expect(Number(after!.n)).toBe(Number(n));
  });

  it('cannot point a row at another workspace\'s row', async () => {
    const [contactOfB] = await t.sql.query<{ id: string }>(`select id from crm.contacts where workspace_id = $1`, [b.id]);
    await expect(
      t.sql.query(`insert into crm.follow_ups (workspace_id, contact_id, owner_id, due_at) values ($1, $2, $3, now())`, [a.id, contactOfB!.id, a.rep.id]),
    ).rejects.toThrow(/foreign key/);
  });
});
