import { randomUUID } from 'node:crypto';
import type { SqlRunner } from '../../backend/db/migrate.js';

type Subject = Record<string, unknown> & { detail?: Record<string, unknown> };

/**
 * An alert written straight into the outbox by a test of its delivery is sent
 * only while crm.alert_relevant finds its cause still there: a deal, a
 * follow-up still open at the same time, an inbound email not answered, a
 * mailbox still failing. This gives the subject the rows it names when the
 * test did not make them itself, written so that no producer trigger adds an
 * alert of its own (a deal with no stage change and no close date, a
 * follow-up due long ago, an interaction without participants, a mailbox
 * inserted already failed).
 */
export async function withSubject(sql: SqlRunner, workspaceId: string, kind: string, given: object, recipient?: string): Promise<Subject> {
  const subject = given as Subject;
  const s: Subject = { ...subject, detail: { ...(subject.detail ?? {}) } };
  const contact = async () => {
    if (!s.contactId) {
      const id = randomUUID();
      await sql.query(`insert into crm.contacts (id, workspace_id, name, stage) values ($1, $2, $3, 'customer')`, [
        id,
        workspaceId,
        `Alert subject ${id.slice(0, 6)}`,
      ]);
      s.contactId = id;
    }
    return s.contactId as string;
  };
  if (kind.startsWith('deal_') && !s.dealId) {
    const id = randomUUID();
    await sql.query(
      `insert into crm.deals (id, workspace_id, name, owner_id, stage)
       select $1, $2, 'Alert deal', $3, key from crm.pipeline_stages where workspace_id = $2 order by position limit 1`,
      [id, workspaceId, recipient ?? null],
    );
    s.dealId = id;
  } else if ((kind === 'waiting_reply' || kind === 'tagged_inbound') && !s.interactionId) {
    await contact();
    const id = randomUUID();
    await sql.query(
      `insert into crm.interactions (id, workspace_id, kind, direction, occurred_at, subject, source, external_id, dedupe_key, thread_key)
       values ($1, $2, 'email', 'inbound', now(), 'A question', 'api', $3, $3, $4)`,
      [id, workspaceId, `<${id}@alert.test>`, s.threadKey ?? null],
    );
    s.interactionId = id;
  } else if (kind.startsWith('follow_up_') && !s.followUpId && recipient) {
    const id = randomUUID();
    const due = '2000-01-03T09:00:00.000Z';
    await sql.query(`insert into crm.follow_ups (id, workspace_id, contact_id, owner_id, due_at) values ($1, $2, $3, $4, $5)`, [
      id,
      workspaceId,
      await contact(),
      recipient,
      due,
    ]);
    s.followUpId = id;
    s.detail!.dueAt = due;
  } else if (kind === 'capture_failed' && recipient && !s.detail!.channelId) {
    const address = `alert-${recipient.slice(0, 8)}@mailbox.test`;
    await sql.query(
      `insert into crm.mailboxes (workspace_id, member_id, address, status) values ($1, $2, $3, 'failed') on conflict (workspace_id, member_id) do nothing`,
      [workspaceId, recipient, address],
    );
    const [row] = await sql.query<{ address: string }>(`select address from crm.mailboxes where workspace_id = $1 and member_id = $2`, [
      workspaceId,
      recipient,
    ]);
    s.detail = { what: 'mailbox', error: 'stopped', ...s.detail, address: row!.address };
  }
  return s;
}
