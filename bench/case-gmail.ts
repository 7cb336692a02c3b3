/**
 * The Gmail context case: what the add-on asks when a rep opens an email with
 * 10 participants (the sender, the rep, 8 on cc: 6 known contacts, 2 unknown
 * addresses), beside the same people's cards fetched with plain SQL.
 */
import { type BenchCase, check, expectStatus, post, sampleSize } from './case-kit.js';

/** for each address: the contact, its company, its 5 newest visible interactions and open follow-ups */
const CONTEXT_SQL = `
  select a.addr, c.id, c.name, co.name as company,
         (select jsonb_agg(x) from (
            select i.id, i.kind, i.subject, i.occurred_at from crm.interaction_participants p
              join crm.interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
             where p.workspace_id = $1 and p.contact_id = c.id and (i.visibility = 'workspace' or i.author_id = $3)
             order by p.occurred_at desc, p.interaction_id desc limit 5) x) as recent,
         (select jsonb_agg(f) from crm.follow_ups f where f.workspace_id = $1 and f.contact_id = c.id and f.status = 'open') as follow_ups
    from unnest($2::text[]) a(addr)
    left join crm.contact_emails e on e.workspace_id = $1 and lower(e.email) = a.addr
    left join crm.contacts c on c.workspace_id = $1 and c.id = e.contact_id
    left join crm.companies co on co.workspace_id = $1 and co.id = c.company_id`;

export const gmailContext: BenchCase = {
  name: 'gmail-context',
  warmup: 50,
  concurrency: 2,
  target: (r) => ({ met: r.http.p95 <= 25, text: 'p95 <= 25 ms' }),
  async prepare(ctx) {
    const rows = await ctx.admin<{ email: string; name: string }>(
      `select e.email, c.name from crm.contact_emails e join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
        where e.workspace_id = $1 and e.is_primary order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n) * 7],
    );
    check(rows.length >= 7, 'too few contacts for the gmail case');
    const messages = Array.from({ length: ctx.n + 200 }, (_, k) => {
      const pick = (j: number) => rows[(k * 7 + j) % rows.length]!;
      return {
        messageId: `<bench-ctx-${k}@mail.example.com>`,
        gmailMessageId: `18c${k.toString(16)}`,
        threadId: `18c${k.toString(16)}`,
        from: { email: pick(0).email, name: pick(0).name },
        to: [{ email: ctx.ws.repEmail, name: 'Rep' }],
        cc: [
          ...[1, 2, 3, 4, 5, 6].map((j) => ({ email: pick(j).email, name: pick(j).name })),
          { email: `someone.${k}@unknown-${k % 97}.example.org`, name: 'Someone New' },
          { email: `assistant.${k}@gmail.com` },
        ],
        subject: 'Re: the proposal',
      };
    });
    const external = (m: (typeof messages)[number]) => [m.from.email, ...m.cc.map((c) => c.email)];
    return {
      note: `messages from a contact to the rep with 8 on cc (6 contacts, 2 unknown): 10 participants, 9 cards`,
      explainTarget: () => ({
        fn: 'gmail_context',
        args: { message: messages[0] },
        baselineSql: CONTEXT_SQL,
        baselineParams: [ctx.ws.workspaceId, external(messages[0]!), ctx.ws.repId],
      }),
      async http(i) {
        const m = messages[i % messages.length]!;
        const r = await post(ctx, '/api/gmail/context', { message: m });
        expectStatus(r, 200);
        const people = (r.body as { people: { email: string; contact?: { id: string } | null }[] }).people;
        check(people.length === 9 && people.filter((p) => p.contact).length === 7, `gmail context: ${people.length} people`);
      },
      async baseline(i) {
        const m = messages[i % messages.length]!;
        const got = await ctx.baseline<{ id: string | null }>(CONTEXT_SQL, [ctx.ws.workspaceId, external(m), ctx.ws.repId]);
        check(got.length === 9 && got.filter((g) => g.id).length === 7, 'baseline gmail context mismatch');
      },
    };
  },
};
