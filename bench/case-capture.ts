/** The capture case: POST /api/interactions under load, beside a plain INSERT. */
import { type BenchCase, expectStatus, post, sampleSize } from './case-kit.js';

const CAPTURE_SQL = `
  insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                                dedupe_key, thread_key, author_id)
  values ($1, $2, 'inbound', $3, $4, $5, $6, $7, crm.dedupe_key($2, $6, $7), $8, $9)
  on conflict (workspace_id, dedupe_key) do nothing`;

const CAPTURE_BODY =
  'Hi, following up on our conversation: the signed order form is attached, please confirm the delivery date. ' +
  'ご確認よろしくお願いいたします。Best regards';

/**
 * POST /api/interactions: Gmail captures, from a known contact to the rep, a
 * fifth with an unknown address on cc (which creates a contact and, for a new
 * domain, a company). One request in ten resends an earlier message (same
 * externalId), as a retried or double-clicked capture would.
 */
export const capture: BenchCase = {
  name: 'capture',
  warmup: 200,
  // 64 clients (Slack channels, Gmail add-ons, integrations) logging at once, for
  // long enough that the rate is a rate: 20,000 requests per side
  concurrency: 64,
  requests: 20_000,
  target: (r) => ({
    met: r.http.rps >= 2000 && r.http.errors === 0 && r.verifyOk !== false,
    text: '>= 2,000/s, rows = unique sent, 0 errors',
  }),
  async prepare(ctx) {
    const senders = await ctx.admin<{ email: string; name: string }>(
      `select e.email, c.name from crm.contact_emails e join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
        where e.workspace_id = $1 and e.is_primary order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    // which message each request sends: every tenth one repeats an earlier message,
    // half of them one of the last 64 sent (a retry racing the first delivery,
    // possibly still in flight), half any earlier one (a later redelivery)
    const plan = (prefix: string, n: number) => {
      const msg: number[] = [];
      let unique = 0;
      for (let i = 0; i < n; i++) {
        if (i % 10 === 9) {
          const back = ctx.rand() < 0.5 ? 1 + Math.floor(ctx.rand() * Math.min(64, i)) : 1 + Math.floor(ctx.rand() * i);
          msg.push(msg[i - back]!);
        } else msg.push(unique++);
      }
      return { prefix, msg, unique };
    };
    const now = Date.now();
    const payloadOf = (prefix: string, k: number) => {
      const s = senders[k % senders.length]!;
      const participants: { role: string; email: string; name?: string }[] = [
        { role: 'from', email: s.email, name: s.name },
        { role: 'to', email: ctx.ws.repEmail, name: 'Rep' },
      ];
      if (k % 5 === 0) participants.push({ role: 'cc', email: `new.person.${ctx.runId}.${prefix}.${k}@newco-${k % 50}.example.org`, name: 'New Person' });
      return {
        kind: 'email',
        source: 'gmail',
        externalId: `<${prefix}-${k}@mail.example.com>`,
        occurredAt: new Date(now - (k % 1000) * 60_000).toISOString(),
        subject: `Order confirmation ${k}`,
        body: `${CAPTURE_BODY} #${k}`,
        threadKey: `bench-thread-${prefix}-${Math.floor(k / 3)}`,
        participants,
      };
    };
    const warm = plan(`bench${ctx.runId}w`, 1000);
    const api = plan(`bench${ctx.runId}h`, ctx.n);
    const base = plan(`bench${ctx.runId}b`, ctx.n);
    let created = 0;
    let resent = 0;
    const send = async (p: ReturnType<typeof plan>, i: number) => {
      const r = await post(ctx, '/api/interactions', payloadOf(p.prefix, p.msg[i]!));
      expectStatus(r, 200, 201);
      if (p === api) {
        if (r.status === 201) created++;
        else resent++;
      }
    };
    return {
      note: `${ctx.n} POSTs, ${ctx.n - api.unique} of them resending an earlier message; a fifth add an unknown cc`,
      explainTarget: (i) => {
        const pl = payloadOf(`bench${ctx.runId}x`, i);
        return {
          fn: 'interaction_capture',
          args: pl,
          baselineSql: CAPTURE_SQL,
          baselineParams: [ctx.ws.workspaceId, pl.kind, pl.occurredAt, pl.subject, pl.body, pl.source, `${pl.externalId}b`, pl.threadKey, ctx.ws.repId],
        };
      },
      async http(i) {
        // warm-up indices are negative offsets handled by run.ts: i >= n means warm-up
        if (i >= ctx.n) return send(warm, (i - ctx.n) % warm.msg.length);
        return send(api, i);
      },
      async baseline(i) {
        const p = i >= ctx.n ? warm : base;
        const j = i >= ctx.n ? (i - ctx.n) % warm.msg.length : i;
        const pl = payloadOf(p === warm ? `${p.prefix}b` : p.prefix, p.msg[j]!);
        await ctx.baseline(CAPTURE_SQL, [
          ctx.ws.workspaceId,
          pl.kind,
          pl.occurredAt,
          pl.subject,
          pl.body,
          pl.source,
          pl.externalId.trim(),
          pl.threadKey,
          ctx.ws.repId,
        ]);
      },
      async verify(sent) {
        const count = async (prefix: string) =>
          Number(
            (
              await ctx.admin<{ n: string }>(`select count(*) as n from crm.interactions where workspace_id = $1 and dedupe_key like $2`, [
                ctx.ws.workspaceId,
                `email:${prefix}-%`,
              ])
            )[0]!.n,
          );
        const uniqueOf = (p: ReturnType<typeof plan>, sentN: number) => new Set(p.msg.slice(0, sentN)).size;
        const apiRows = await count(api.prefix);
        const baseRows = await count(base.prefix);
        const apiUnique = uniqueOf(api, sent.http);
        const baseUnique = uniqueOf(base, sent.baseline);
        const participants = Number(
          (
            await ctx.admin<{ n: string }>(
              `select count(*) as n from crm.interaction_participants p join crm.interactions i
                 on i.workspace_id = p.workspace_id and i.id = p.interaction_id
               where i.workspace_id = $1 and i.dedupe_key like $2`,
              [ctx.ws.workspaceId, `email:${api.prefix}-%`],
            )
          )[0]!.n,
        );
        const ok = apiRows === apiUnique && created === apiUnique && resent === sent.http - apiUnique && baseRows === baseUnique;
        return {
          ok,
          line:
            `capture: API sent ${sent.http} (${apiUnique} unique, ${sent.http - apiUnique} resent) -> ` +
            `${apiRows} interaction rows, ${created} answered 201, ${resent} answered 200, ${participants} participant rows; ` +
            `baseline sent ${sent.baseline} (${baseUnique} unique) -> ${baseRows} rows` +
            (ok ? ' [ok]' : ' [MISMATCH]'),
          details: {
            sent: sent.http,
            unique: apiUnique,
            rows: apiRows,
            created201: created,
            resent200: resent,
            participants,
            baselineSent: sent.baseline,
            baselineUnique: baseUnique,
            baselineRows: baseRows,
          },
        };
      },
    };
  },
};
