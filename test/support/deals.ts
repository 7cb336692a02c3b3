import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { DbKind } from '../../backend/db/port.js';
import { openTestDb, type TestDb } from './databases.js';
import type { TestWorkspace } from './fixtures.js';
import { caller } from './http.js';
import { setupNetwork } from './network.js';

/** The time the deal tests' app reads: deals open at NOW, interactions are placed around it. */
export const DEALS_NOW = '2026-11-24T03:00:00Z';
export const at = (minutes: number) => new Date(Date.parse(DEALS_NOW) + minutes * 60_000).toISOString();

/** A database, an app on a fixed clock, and SQL helpers that arrange exact data for the deal tests. */
export function dealsHarness(kind: DbKind) {
  const h = {
    t: undefined as unknown as TestDb,
    app: undefined as unknown as ReturnType<typeof createApp>,
    network: undefined as ReturnType<typeof setupNetwork> | undefined,
    as: (token: string) => caller(h.app, token),
    rows: async <R = any>(text: string, params: unknown[] = []) => h.t.sql.query<R>(text, params),
    one: async <R = any>(text: string, params: unknown[] = []) => (await h.t.sql.query<R>(text, params))[0]!,
    async company(ws: TestWorkspace, name: string, domain: string | null = null) {
      return (await h.one(`insert into crm.companies (workspace_id, name, domain) values ($1, $2, $3) returning id`, [ws.id, name, domain])).id as string;
    },
    async contact(ws: TestWorkspace, name: string, o: { companyId?: string; stage?: string; email?: string } = {}) {
      const { id } = await h.one(`insert into crm.contacts (workspace_id, name, owner_id, stage, company_id) values ($1, $2, $3, $4, $5) returning id`, [
        ws.id,
        name,
        ws.rep.id,
        o.stage ?? 'lead',
        o.companyId ?? null,
      ]);
      if (o.email) {
        await h.one(`insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, true) returning id`, [
          ws.id,
          id,
          o.email,
        ]);
      }
      return id as string;
    },
    /** an interaction about contactId, by author, at a time, with a visibility */
    async interaction(ws: TestWorkspace, author: string, contactId: string, occurredAt: string, o: { visibility?: string; subject?: string } = {}) {
      const key = `test:${randomUUID()}`;
      const { id } = await h.one(
        `insert into crm.interactions (workspace_id, kind, direction, occurred_at, source, external_id, dedupe_key, author_id, visibility, subject, body)
         values ($1, 'note', 'internal', $2, 'api', $3, $3, $4, $5, $6, 'the body') returning id`,
        [ws.id, occurredAt, key, author, o.visibility ?? 'workspace', o.subject ?? null],
      );
      await h.one(
        `insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, contact_id) values ($1, $2, $3, 'about', $4) returning id`,
        [ws.id, id, occurredAt, contactId],
      );
      return id as string;
    },
  };
  beforeAll(async () => {
    h.t = await openTestDb(kind);
    h.network = setupNetwork(...h.t.handlers);
    h.app = createApp({ db: h.t.db, clock: () => new Date(DEALS_NOW) });
  });
  afterAll(async () => {
    h.network?.close();
    await h.t?.close();
  });
  return h;
}
