/**
 * The run's data: one workspace (the server's SLACK_BOT_TOKEN binds its Slack
 * team to the only workspace there is), a rep with an API token for the load
 * clients, a channel linked to a customer company for Slack capture, and
 * managers with reports whose daily digest is due now.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { newApiToken } from '../../backend/auth/api-tokens.js';
import { migrate } from '../../backend/db/migrate.js';
import { postgresRunner } from '../../backend/db/postgres.js';
import { TEAM } from './slack-stand-in.js';

export const LINKED_CHANNEL = 'C0CUSTOMER';

export interface Seeded {
  workspaceId: string;
  repToken: string;
  repSlackId: string;
  managerSlackIds: string[];
}

export async function seed(url: string, managers: number): Promise<Seeded> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    await migrate(postgresRunner(client));
    const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
    const workspaceId = randomUUID();
    const domain = 'reliability.test';
    // digests: due from midnight UTC, every day of the week, sent even when empty
    await q(
      `insert into crm.workspaces (id, name, internal_domains, auto_create_contacts, digest_time, digest_weekends, digest_when_empty)
       values ($1, 'Reliability', array[$2], 'all', '00:00', true, 'line')`,
      [workspaceId, domain],
    );
    const member = async (local: string, role: string, managerId: string | null, digest: boolean | null) => {
      const id = randomUUID();
      const slackId = `U${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      await q(
        `insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id, digest_enabled)
         values ($1, $2, $3, $4, $5, $6, 'UTC', 'en', $7, $8)`,
        [id, workspaceId, `${local}@${domain}`, local, role, managerId, slackId, digest],
      );
      return { id, slackId };
    };
    const rep = await member('rep', 'rep', null, false);
    const { token, hash } = newApiToken();
    await q(`select api.token_create($1::jsonb)`, [JSON.stringify({ email: `rep@${domain}`, workspaceId, tokenHash: hash })]);
    const managerSlackIds: string[] = [];
    for (let i = 0; i < managers; i++) {
      const m = await member(`manager${i}`, 'manager', null, false); // enabled by the digest part
      await member(`rep-of-${i}`, 'rep', m.id, false);
      managerSlackIds.push(m.slackId);
    }
    const company = randomUUID();
    await q(`insert into crm.companies (id, workspace_id, name, domain) values ($1, $2, 'Customer KK', 'customer.example.co.jp')`, [company, workspaceId]);
    await q(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, company_id, linked_by)
       values ($1, $2, $3, 'customer', $4, $5)`,
      [workspaceId, TEAM, LINKED_CHANNEL, company, rep.id],
    );
    return { workspaceId, repToken: token, repSlackId: rep.slackId, managerSlackIds };
  } finally {
    await client.end();
  }
}
