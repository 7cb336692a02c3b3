import type { SqlRunner } from '../../backend/db/migrate.js';

export type DealRow = {
  name?: string;
  owner?: string | null;
  companyId?: string | null;
  stage?: string;
  status?: 'open' | 'won' | 'lost';
  amount?: number | null;
  currency?: string | null;
  closeDate?: string | null;
  closedAt?: string | null;
  createdAt?: string;
  stageChangedAt?: string;
  snoozedUntil?: string | null;
  createdBy?: string | null;
  contacts?: string[];
};

/**
 * A deal put in with SQL, as the deal routes (another part of issue 18) would
 * leave it: its contacts and its creation in the stage history. Answers its id.
 */
export async function insertDeal(sql: SqlRunner, workspaceId: string, d: DealRow = {}): Promise<string> {
  const status = d.status ?? 'open';
  const createdAt = d.createdAt ?? new Date().toISOString();
  const [row] = await sql.query<{ id: string }>(
    `insert into crm.deals (workspace_id, name, company_id, owner_id, amount, currency, stage, status, close_date, closed_at,
                            snoozed_until, stage_changed_at, created_by, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12::timestamptz, $13::timestamptz), $14, $13, $13) returning id::text`,
    [
      workspaceId,
      d.name ?? 'Deal',
      d.companyId ?? null,
      d.owner ?? null,
      d.amount ?? null,
      d.amount === null || d.amount === undefined ? null : (d.currency ?? 'USD'),
      d.stage ?? 'qualified',
      status,
      d.closeDate ?? null,
      status === 'open' ? null : (d.closedAt ?? new Date().toISOString()),
      d.snoozedUntil ?? null,
      d.stageChangedAt ?? null,
      createdAt,
      d.createdBy ?? null,
    ],
  );
  const id = row!.id;
  for (const c of d.contacts ?? []) {
    await sql.query(`insert into crm.deal_contacts (workspace_id, deal_id, contact_id) values ($1, $2, $3)`, [workspaceId, id, c]);
  }
  await sql.query(`insert into crm.deal_stage_changes (workspace_id, deal_id, source, at, to_stage, to_status) values ($1, $2, 'api', $3, $4, $5)`, [
    workspaceId,
    id,
    createdAt,
    d.stage ?? 'qualified',
    status,
  ]);
  return id;
}

/** A contact with SQL (owned by owner), answering its id. */
export async function insertContact(sql: SqlRunner, workspaceId: string, name: string, owner: string | null = null): Promise<string> {
  const [row] = await sql.query<{ id: string }>(`insert into crm.contacts (workspace_id, name, owner_id) values ($1, $2, $3) returning id::text`, [
    workspaceId,
    name,
    owner,
  ]);
  return row!.id;
}

/** An interaction with one contact at a time (visibility: workspace unless said), answering its id. */
export async function insertInteraction(
  sql: SqlRunner,
  workspaceId: string,
  contactId: string,
  at: string,
  o: { author?: string | null; visibility?: 'workspace' | 'private' | 'subject'; deleted?: boolean } = {},
): Promise<string> {
  const key = `test:${Math.random().toString(36).slice(2)}:${Date.now()}`;
  const [row] = await sql.query<{ id: string }>(
    `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key, author_id, visibility, deleted_at)
     values ($1, 'email', 'outbound', $2, 'api', $3, $3, $4, $5, $6) returning id::text`,
    [workspaceId, at, key, o.author ?? null, o.visibility ?? 'workspace', o.deleted ? at : null],
  );
  await sql.query(`insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, contact_id) values ($1, $2, $3, 'about', $4)`, [
    workspaceId,
    row!.id,
    at,
    contactId,
  ]);
  return row!.id;
}
