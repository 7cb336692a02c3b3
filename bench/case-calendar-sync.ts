/**
 * The calendar sync case (issue 17): the measured rep connects Gmail and
 * Calendar (the server's real consent path, against the loopback stand-in)
 * and the server's own calendar loop syncs a primary calendar of 5,000
 * events spread over the first window (90 days back, 60 ahead): 30 % with a
 * contact of the workspace, the rest with colleagues only. Timed from the
 * consent's return to the calendar's status `active`; the figure is events a
 * second. Every meeting with a contact that has started is captured, once.
 * Beside it, the raw-SQL baseline inserts the same captured meetings as
 * interactions, 250 to a statement.
 */
import { type BenchCase, check, expectStatus, get, post } from './case-kit.js';

export const CALENDAR_EVENTS = 5_000;
const WITH_CONTACT = 0.3;
const DAY = 86_400_000;

const BASELINE_SQL = `
  insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, source, external_id, dedupe_key, author_id, visibility)
  select $1, 'meeting', 'outbound', now() - (x.k || ' minutes')::interval, 'Meeting ' || x.k, 'calendar',
         $2 || '-' || x.k, 'calendar:' || $2 || '-' || x.k, $3, 'private'
  from unnest($4::int[]) as x(k)
  on conflict (workspace_id, dedupe_key) do nothing`;

interface Calendar {
  status: string;
  counts: { captured: number; upcoming: number };
}

export const calendarSync: BenchCase = {
  name: 'calendar-sync',
  warmup: 0,
  requests: 1,
  concurrency: 1,
  maxSeconds: 600,
  target: (r) => ({
    met: r.http.errors === 0 && r.http.p50 > 0 && r.http.p50 <= 10_000 && r.verifyOk !== false,
    text: `${CALENDAR_EVENTS.toLocaleString('en')} events synced in <= 10 s, every started meeting with a contact captured once`,
  }),
  async prepare(ctx) {
    check(ctx.google, 'the calendar-sync case needs the server with its Google stand-in');
    const google = ctx.google;
    const contacts = await ctx.admin<{ email: string }>(
      `select e.email from crm.contact_emails e where e.workspace_id = $1 and e.is_primary order by e.email limit 2000`,
      [ctx.ws.workspaceId],
    );
    check(contacts.length > 0, 'the measured workspace has contacts');
    const colleague = (
      await ctx.admin<{ email: string }>(`select email from crm.members where workspace_id = $1 and id <> $2 limit 1`, [ctx.ws.workspaceId, ctx.ws.repId])
    )[0]!.email;
    const cal = google.calendar(ctx.ws.repEmail);
    const tag = `cs${ctx.runId}`;
    const now = Date.now();
    let started = 0;
    for (let k = 0; k < CALENDAR_EVENTS; k++) {
      // one every 42 minutes 50 seconds from 89 days back (the last 59.7 days ahead: all in the first window), for 30 minutes
      const at = Math.floor((now - 89 * DAY + k * 2_570_000) / 60_000) * 60_000;
      const customer = k % 10 < WITH_CONTACT * 10;
      if (customer && at <= now) started += 1;
      cal.add({
        iCalUID: `${tag}-${k}@bench.example`,
        summary: `${customer ? 'Customer' : 'Team'} meeting ${k}`,
        start: new Date(at).toISOString().slice(0, 19),
        minutes: 30,
        attendees: [
          { email: ctx.ws.repEmail, responseStatus: 'accepted' },
          customer ? { email: contacts[k % contacts.length]!.email, responseStatus: 'accepted' } : { email: colleague, responseStatus: 'accepted' },
        ],
      });
    }
    const samples = { totalMs: 0, calendar: { status: '', counts: { captured: 0, upcoming: 0 } } as Calendar };
    return {
      note: `${CALENDAR_EVENTS.toLocaleString('en')} events over 149 days (${Math.round(WITH_CONTACT * 100)} % with a contact, ${started.toLocaleString('en')} of those started), the server's calendar loop`,
      explainTarget: () => ({ fn: 'calendar_page', args: {}, baselineSql: BASELINE_SQL, baselineParams: [] }),
      async http() {
        google.consentAs(ctx.ws.repEmail);
        const consent = await post(ctx, '/api/me/mailbox', { calendar: true });
        expectStatus(consent, 200);
        const redirect = await fetch((consent.body as { authorizeUrl: string }).authorizeUrl, { redirect: 'manual' });
        const back = new URL(redirect.headers.get('location') ?? '');
        const began = performance.now();
        const page = await fetch(`${ctx.base}${back.pathname}${back.search}`);
        check(page.status === 200, `the consent callback answered ${page.status}`);
        for (;;) {
          const res = await get(ctx, '/api/me/mailbox');
          expectStatus(res, 200);
          samples.calendar = (res.body as { calendar: Calendar }).calendar;
          if (samples.calendar.status === 'active') break;
          check(samples.calendar.status === 'importing', `the calendar is ${samples.calendar.status}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        samples.totalMs = Math.round(performance.now() - began);
        return samples.totalMs;
      },
      async baseline() {
        const ks = Array.from({ length: started }, (_, i) => i);
        for (let i = 0; i < ks.length; i += 250) await ctx.baseline(BASELINE_SQL, [ctx.ws.workspaceId, `${tag}b`, ctx.ws.repId, ks.slice(i, i + 250)]);
      },
      async verify() {
        const [row] = await ctx.admin<{ n: string; d: string; e: string }>(
          `select (select count(*) from crm.interactions where workspace_id = $1 and kind = 'meeting' and external_id like $2) as n,
                  (select count(distinct external_id) from crm.interactions where workspace_id = $1 and kind = 'meeting' and external_id like $2) as d,
                  (select count(*) from crm.calendar_events where workspace_id = $1 and member_id = $3) as e`,
          [ctx.ws.workspaceId, `${tag}-%`, ctx.ws.repId],
        );
        const rows = Number(row!.n);
        const events = Number(row!.e);
        const perSecond = samples.totalMs ? Math.round(CALENDAR_EVENTS / (samples.totalMs / 1000)) : 0;
        const ok = rows === started && Number(row!.d) === rows && events === CALENDAR_EVENTS && samples.totalMs <= 10_000;
        return {
          ok,
          line:
            `calendar-sync: ${CALENDAR_EVENTS.toLocaleString('en')} events in ${(samples.totalMs / 1000).toFixed(1)} s = ${perSecond.toLocaleString('en')}/s; ` +
            `meetings captured ${rows.toLocaleString('en')} of ${started.toLocaleString('en')} started with a contact (distinct ${row!.d}), events kept ${events.toLocaleString('en')}, status ${JSON.stringify(samples.calendar)}`,
          details: { events: CALENDAR_EVENTS, totalMs: samples.totalMs, perSecond, captured: rows, started, kept: events },
        };
      },
    };
  },
};
