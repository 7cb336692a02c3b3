import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';

/**
 * already_answered (issue 19): the add-on's context call says when a
 * colleague (never the caller) replied in the open email's thread after its
 * last inbound message, or took it with "Assign to me"; nothing once the
 * customer wrote again, or for an email Rapport does not hold.
 */
describe.each(['pglite', 'postgres'] as const)('gmail context: someone else is on it, on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let a: TestWorkspace;
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    a = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const capture = async (id: string, thread: string, from: string, to: string, at: string) =>
    (
      await t.db.call<{ interaction: { id: string } }>('interaction_capture', { workspaceId: a.id, memberId: a.rep.id, source: 'gmail' } as never, {
        kind: 'email',
        source: 'gmail',
        externalId: `<${id}@mail.example>`,
        occurredAt: at,
        threadKey: `email-thread:${thread}@mail.example`,
        participants: [
          { role: 'from', email: from },
          { role: 'to', email: to },
        ],
      })
    ).interaction.id;
  const context = async (memberId: string, id: string) =>
    (
      await t.db.call<{ answered: { state: string; by: { id: string; name: string }; at: string } | null }>(
        'gmail_context',
        { workspaceId: a.id, memberId, source: 'gmail' } as never,
        { message: { messageId: `<${id}@mail.example>`, from: { email: 'jane@acme.example' }, to: [{ email: a.rep.email }], cc: [] } },
      )
    ).answered;

  it('names the colleague who replied after the last inbound message, to everyone but them', async () => {
    await capture('q1', 'q1', 'jane@acme.example', a.rep.email, minutesAgo(30));
    expect(await context(a.rep.id, 'q1')).toBeNull();
    const at = minutesAgo(10);
    await capture('q1-re', 'q1', a.rep2.email, 'jane@acme.example', at);
    const seen = await context(a.rep.id, 'q1');
    expect(seen).toMatchObject({ state: 'replied', by: { id: a.rep2.id, name: 'Rae Rep' } });
    expect(new Date(seen!.at).toISOString()).toBe(at);
    expect(await context(a.rep2.id, 'q1')).toBeNull();
    // the customer wrote again: the reply no longer answers it
    await capture('q1-again', 'q1', 'jane@acme.example', a.rep.email, minutesAgo(5));
    expect(await context(a.rep.id, 'q1')).toBeNull();
  });

  it('names the colleague assigned to it until someone answers', async () => {
    const q = await capture('q2', 'q2', 'jane@acme.example', a.rep.email, minutesAgo(20));
    await t.sql.query(
      `insert into crm.reply_assignments (workspace_id, interaction_id, member_id, state, at) values ($1, $2, $3, 'assigned', now() - interval '5 minutes')`,
      [a.id, q, a.rep2.id],
    );
    expect(await context(a.rep.id, 'q2')).toMatchObject({ state: 'assigned', by: { id: a.rep2.id } });
    expect(await context(a.rep2.id, 'q2')).toBeNull();
    await capture('q2-re', 'q2', a.manager.email, 'jane@acme.example', minutesAgo(1));
    expect(await context(a.rep.id, 'q2')).toMatchObject({ state: 'replied', by: { id: a.manager.id } });
  });

  it('says nothing of an email Rapport does not hold', async () => {
    expect(await context(a.rep.id, 'never-captured')).toBeNull();
  });
});
