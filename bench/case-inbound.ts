/** The inbound case: one raw message through POST /inbound/mime to an interaction anyone may open, beside a plain INSERT. */
import { type BenchCase, check, expectStatus, get, request, sampleSize } from './case-kit.js';
import { BENCH_INBOUND_SECRET } from './server.js';

const CAPTURE_SQL = `
  insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                                dedupe_key, thread_key, author_id)
  values ($1, 'email', 'outbound', $2, $3, $4, 'gmail', $5, crm.dedupe_key('email', 'gmail', $5), $6, $7)
  on conflict (workspace_id, dedupe_key) do nothing`;

const BODY = 'Thank you for the call today. 本日はありがとうございました。The revised quote is below; 見積書を添付します。';

/**
 * POST /inbound/mime as a relay delivers it (Bearer secret, the envelope
 * recipient in X-Rapport-Recipient): two in three a BCC from the measured rep
 * to one of their contacts, one in three a Gmail forward of a contact's
 * message. The request returns when the interaction is stored and visible;
 * the verify step opens a sample of them through the API.
 */
export const inbound: BenchCase = {
  name: 'inbound',
  warmup: 100,
  // a relay hands over a few messages at a time
  concurrency: 4,
  requests: 2000,
  target: (r) => ({
    met: r.http.p95 <= 50 && r.http.errors === 0 && r.verifyOk !== false,
    text: 'p95 <= 50 ms, every message an interaction, 0 errors',
  }),
  async prepare(ctx) {
    const me = await get(ctx, '/api/me/capture');
    expectStatus(me, 200);
    const address = (me.body as { address: string }).address;
    const senders = await ctx.admin<{ email: string; name: string }>(
      `select e.email, c.name from crm.contact_emails e join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
        where e.workspace_id = $1 and e.is_primary order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    const ids: string[] = [];
    let sent = 0;
    const date = new Date().toUTCString().replace('GMT', '+0000');
    const message = (prefix: string, k: number): string => {
      const s = senders[k % senders.length]!;
      const id = `<${prefix}-${k}@relay.example.com>`;
      if (k % 3 === 2) {
        return [
          `From: Rep <${ctx.ws.repEmail}>`,
          `To: ${address}`,
          `Subject: Fwd: Quote ${k}`,
          `Date: ${date}`,
          `Message-ID: <fwd-${prefix}-${k}@relay.example.com>`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'FYI',
          '',
          '---------- Forwarded message ---------',
          `From: ${s.name} <${s.email}>`,
          `Date: ${date}`,
          `Subject: Quote ${k}`,
          `To: Rep <${ctx.ws.repEmail}>`,
          `Message-ID: ${id}`,
          '',
          `${BODY} #${k}`,
        ].join('\r\n');
      }
      return [
        `From: Rep <${ctx.ws.repEmail}>`,
        `To: ${s.name} <${s.email}>`,
        `Bcc: ${address}`,
        `Subject: Quote ${k}`,
        `Date: ${date}`,
        `Message-ID: ${id}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `${BODY} #${k}`,
      ].join('\r\n');
    };
    const prefix = `inb${ctx.runId}`.toLowerCase();
    return {
      note: `${ctx.n} raw messages to the rep's capture address: BCCs to their contacts, a third Gmail forwards`,
      explainTarget: (i) => ({
        fn: 'interaction_capture',
        args: {
          kind: 'email',
          source: 'gmail',
          externalId: `<${prefix}x-${i}@relay.example.com>`,
          occurredAt: new Date().toISOString(),
          subject: `Quote ${i}`,
          body: BODY,
          participants: [
            { role: 'from', email: ctx.ws.repEmail },
            { role: 'to', email: senders[i % senders.length]!.email },
          ],
        },
        baselineSql: CAPTURE_SQL,
        baselineParams: [ctx.ws.workspaceId, new Date().toISOString(), `Quote ${i}`, BODY, `<${prefix}e-${i}@x>`, null, ctx.ws.repId],
      }),
      async http(i) {
        const warm = i >= ctx.n;
        const res = await request(`${ctx.base}/inbound/mime`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_INBOUND_SECRET}`, 'content-type': 'message/rfc822', 'x-rapport-recipient': address },
          body: message(warm ? `${prefix}w` : prefix, warm ? i - ctx.n : i),
        });
        const body = JSON.parse(res.text) as { interactionId?: string; created?: boolean; error?: { code: string } };
        expectStatus({ status: res.status, body }, 200);
        check(body.created === true, 'a new message was not created');
        if (!warm) {
          sent++;
          ids.push(body.interactionId!);
        }
      },
      async baseline(i) {
        const k = i >= ctx.n ? `w${i - ctx.n}` : String(i);
        await ctx.baseline(CAPTURE_SQL, [
          ctx.ws.workspaceId,
          new Date().toISOString(),
          `Quote ${k}`,
          `${BODY} #${k}`,
          `<${prefix}b-${k}@x>`,
          null,
          ctx.ws.repId,
        ]);
      },
      async verify() {
        const rows = Number(
          (
            await ctx.admin<{ n: string }>(
              `select count(*) as n from crm.interactions i
                where i.workspace_id = $1 and i.visibility = 'workspace' and i.dedupe_key like $2`,
              [ctx.ws.workspaceId, `email:${prefix}-%`],
            )
          )[0]!.n,
        );
        // a sample opened through the API, as anyone in the workspace would
        let opened = 0;
        for (const id of ids.slice(-20)) if ((await get(ctx, `/api/interactions/${id}`)).status === 200) opened++;
        const ok = rows === sent && new Set(ids).size === sent && opened === Math.min(20, ids.length);
        return {
          ok,
          line: `inbound: sent ${sent} -> ${rows} visible interaction rows, ${new Set(ids).size} distinct ids, ${opened} of the last ${Math.min(20, ids.length)} opened through the API${ok ? ' [ok]' : ' [MISMATCH]'}`,
          details: { sent, rows, distinct: new Set(ids).size, opened },
        };
      },
    };
  },
};
