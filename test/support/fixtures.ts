import { randomUUID } from 'node:crypto';
import type { SqlRunner } from '../../backend/db/migrate.js';
import type { Db } from '../../backend/db/port.js';
import { newApiToken } from '../../backend/auth/api-tokens.js';

export interface TestMember {
  id: string;
  email: string;
  name: string;
  role: 'rep' | 'manager' | 'admin';
  token: string;
}

export interface TestWorkspace {
  id: string;
  domain: string;
  manager: TestMember;
  rep: TestMember;
  rep2: TestMember;
  admin: TestMember;
}

/**
 * A workspace of its own for one test: a manager, two reps reporting to them
 * and an admin, each with an API token. Every call makes new ids and a new
 * internal domain, so tests never see each other's rows.
 */
export async function makeWorkspace(
  sql: SqlRunner,
  db: Db,
  opts: { autoCreate?: 'all' | 'senders' | 'off'; locale?: 'en' | 'ja' | 'zh' } = {},
): Promise<TestWorkspace> {
  const id = randomUUID();
  const domain = `ws-${id.slice(0, 8)}.test`;
  await sql.query(`insert into crm.workspaces (id, name, internal_domains, auto_create_contacts) values ($1, $2, array[$3], $4)`, [
    id,
    `Workspace ${id.slice(0, 8)}`,
    domain,
    opts.autoCreate ?? 'all',
  ]);
  const make = async (local: string, name: string, role: TestMember['role'], managerId: string | null, tz = 'UTC'): Promise<TestMember> => {
    const mid = randomUUID();
    const email = `${local}@${domain}`;
    await sql.query(
      // profile_read_at: their Slack profile read today, as for anyone who
      // used Rapport yesterday; a test of the daily read sets it back
      `insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id, profile_read_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
      [mid, id, email, name, role, managerId, tz, opts.locale ?? 'en', `U${mid.replace(/-/g, '').slice(0, 10).toUpperCase()}`],
    );
    const { token, hash } = newApiToken();
    await db.callAnonymous('token_create', { email, workspaceId: id, tokenHash: hash });
    return { id: mid, email, name, role, token };
  };
  const manager = await make('manager', 'Mia Manager', 'manager', null, 'Asia/Tokyo');
  const rep = await make('rep', 'Ren Rep', 'rep', manager.id);
  const rep2 = await make('rep2', 'Rae Rep', 'rep', manager.id);
  const admin = await make('admin', 'Ada Admin', 'admin', null);
  return { id, domain, manager, rep, rep2, admin };
}
