/**
 * The Gmail import case (issue 16, part 3): the measured rep connects Gmail
 * (the server's real consent path, against the loopback stand-in) and the
 * server's own sync loop imports a mailbox of 20,000 messages: 60 % from the
 * workspace's contacts, 20 % bulk (List-Unsubscribe), 20 % from strangers.
 * Timed from the consent's return to the mailbox's status `active`; the
 * figure is messages processed a second. Beside it, the raw-SQL baseline
 * inserts the same 12,000 captured emails, 100 to a statement as the pages
 * come. The stand-in has no quota, so the server's limiter is set out of the
 * way (BENCH_GMAIL_QUOTA_UNITS): against Google one mailbox reads at most 50
 * messages a second.
 */
import { type BenchCase, check, expectStatus, get, post } from './case-kit.js';
import { BENCH_GMAIL_QUOTA_UNITS } from './server.js';

export const GMAIL_MESSAGES = 20_000;
const KNOWN = 0.6;
const BULK = 0.2;
const PAGE = 100;

const BASELINE_SQL = `
  insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, body, source, external_id, dedupe_key, author_id, visibility)
  select $1, 'email', 'inbound', now() - (x.k || ' minutes')::interval, 'Order ' || x.k, 'Body of order ' || x.k, 'gmail',
         '<' || $2 || '-' || x.k || '@customer.example>', crm.dedupe_key('email', 'gmail', '<' || $2 || '-' || x.k || '@customer.example>'), $3, 'private'
  from unnest($4::int[]) as x(k)
  on conflict (workspace_id, dedupe_key) do nothing`;

interface Mailbox {
  status: string;
  counts: { captured: number; skipped: Record<string, number> };
}

export const gmailImport: BenchCase = {
  name: 'gmail-import',
  warmup: 0,
  requests: 1,
  concurrency: 1,
  maxSeconds: 600,
  target: (r) => ({
    met: r.http.errors === 0 && r.http.p50 > 0 && GMAIL_MESSAGES / (r.http.p50 / 1000) >= 1000 && r.verifyOk !== false,
    text: `${GMAIL_MESSAGES.toLocaleString('en')} messages at >= 1,000/s, exact counts`,
  }),
  async prepare(ctx) {
    check(ctx.google, 'the gmail-import case needs the server with its Google stand-in');
    const google = ctx.google;
    const contacts = await ctx.admin<{ email: string; name: string }>(
      `select e.email, c.name from crm.contact_emails e join crm.contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
        where e.workspace_id = $1 and e.is_primary order by e.email limit 2000`,
      [ctx.ws.workspaceId],
    );
    check(contacts.length > 0, 'the measured workspace has contacts');
    const box = google.mailbox(ctx.ws.repEmail);
    const tag = `gi${ctx.runId}`;
    const known = Math.round(GMAIL_MESSAGES * KNOWN);
    const bulk = Math.round(GMAIL_MESSAGES * BULK);
    const now = Date.now();
    for (let k = 0; k < GMAIL_MESSAGES; k++) {
      const at = new Date(now - (GMAIL_MESSAGES - k) * 60_000);
      const c = contacts[k % contacts.length]!;
      const kind = k % 10 < 6 ? 'known' : k % 10 < 8 ? 'bulk' : 'stranger';
      const from =
        kind === 'known'
          ? `${c.name.replace(/[<>",]/g, '')} <${c.email}>`
          : kind === 'bulk'
            ? 'News <news@list.bench.example>'
            : `Someone <s${k}@stranger.bench.example>`;
      const raw = [
        `From: ${from}`,
        `To: Rep <${ctx.ws.repEmail}>`,
        `Subject: ${kind === 'bulk' ? 'Newsletter' : 'Order'} ${k}`,
        `Date: ${at.toUTCString()}`,
        `Message-ID: <${tag}-${k}@customer.example>`,
        ...(kind === 'bulk' ? ['List-Unsubscribe: <mailto:unsubscribe@list.bench.example>', 'Precedence: bulk'] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Body of ${kind} ${k}. 本日はありがとうございました。`,
        '',
      ].join('\r\n');
      box.add(raw, { internalDate: at });
    }
    const samples: { firstVisibleMs: number; totalMs: number; counts: Mailbox['counts'] } = {
      firstVisibleMs: 0,
      totalMs: 0,
      counts: { captured: 0, skipped: {} },
    };
    return {
      note: `${GMAIL_MESSAGES.toLocaleString('en')} messages (${known.toLocaleString('en')} from contacts, ${bulk.toLocaleString('en')} bulk, the rest strangers), the server's sync loop, quota limiter at ${BENCH_GMAIL_QUOTA_UNITS.toLocaleString('en')} units/s`,
      explainTarget: () => ({ fn: 'mailbox_page', args: {}, baselineSql: BASELINE_SQL, baselineParams: [] }),
      async http() {
        google.consentAs(ctx.ws.repEmail);
        const consent = await post(ctx, '/api/me/mailbox', { policy: 'known', visibility: 'private' });
        expectStatus(consent, 200);
        const redirect = await fetch((consent.body as { authorizeUrl: string }).authorizeUrl, { redirect: 'manual' });
        const back = new URL(redirect.headers.get('location') ?? '');
        const began = performance.now();
        const page = await fetch(`${ctx.base}${back.pathname}${back.search}`);
        check(page.status === 200, `the consent callback answered ${page.status}`);
        let state: Mailbox;
        for (;;) {
          const res = await get(ctx, '/api/me/mailbox');
          expectStatus(res, 200);
          state = res.body as Mailbox;
          if (!samples.firstVisibleMs && state.counts.captured > 0) samples.firstVisibleMs = Math.round(performance.now() - began);
          if (state.status === 'active') break;
          check(state.status === 'importing', `the mailbox is ${state.status}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        samples.totalMs = Math.round(performance.now() - began);
        samples.counts = state.counts;
        return samples.totalMs;
      },
      async baseline() {
        const ks = Array.from({ length: known }, (_, i) => i);
        for (let i = 0; i < ks.length; i += PAGE) await ctx.baseline(BASELINE_SQL, [ctx.ws.workspaceId, `${tag}b`, ctx.ws.repId, ks.slice(i, i + PAGE)]);
      },
      async verify() {
        const rows = Number(
          (
            await ctx.admin<{ n: string }>(`select count(*) as n from crm.interactions where workspace_id = $1 and external_id like $2`, [
              ctx.ws.workspaceId,
              `<${tag}-%`,
            ])
          )[0]!.n,
        );
        const { captured, skipped } = samples.counts;
        const perSecond = samples.totalMs ? Math.round(GMAIL_MESSAGES / (samples.totalMs / 1000)) : 0;
        const ok = captured === known && rows === known && skipped.bulk === bulk && skipped.unknown === GMAIL_MESSAGES - known - bulk && perSecond >= 1000;
        return {
          ok,
          line:
            `gmail-import: ${GMAIL_MESSAGES.toLocaleString('en')} messages in ${(samples.totalMs / 1000).toFixed(1)} s = ${perSecond.toLocaleString('en')}/s ` +
            `(first captured mail visible after ${samples.firstVisibleMs} ms); captured ${captured.toLocaleString('en')} (rows ${rows.toLocaleString('en')}), ` +
            `skipped ${JSON.stringify(skipped)}; against Google's quota (250 units/s) one mailbox reads 50 messages/s`,
          details: { messages: GMAIL_MESSAGES, totalMs: samples.totalMs, firstVisibleMs: samples.firstVisibleMs, perSecond, captured, rows, skipped },
        };
      },
    };
  },
};
