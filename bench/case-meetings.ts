/**
 * meeting-brief (issue 17): the brief a rep gets before a meeting with five
 * customers, composed by GET /api/me/meetings/:id/brief (the same
 * crm.meeting_brief the Slack DM is made from). The meetings are written
 * into the measured rep's calendar as Calendar sync leaves them, a day to a
 * month ahead (never due for a brief during the run): five outside attendees
 * each, real contacts of the measured workspace, one meeting in five with the
 * key account (the contact with the most interactions) among them.
 */
import { type BenchCase, check, expectStatus, get } from './case-kit.js';

/** Per attendee: the contact, its 3 newest visible interactions, open follow-ups, who last spoke to them: the brief's reads in one statement. */
const BASELINE_SQL = `
  select x.email, k.id, k.name, r.ids, f.n, l.author_id
  from unnest($2::text[]) x(email)
  left join lateral (
    select c.id, c.name from crm.contact_emails ce join crm.contacts c on c.workspace_id = ce.workspace_id and c.id = ce.contact_id
    where ce.workspace_id = $1 and lower(ce.email) = x.email and c.merged_into_id is null limit 1) k on true
  left join lateral (
    select array_agg(i.id) as ids from (
      select i.id from crm.interaction_participants p join crm.interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
      where p.workspace_id = $1 and p.contact_id = k.id and i.deleted_at is null and (i.visibility <> 'private' or i.author_id = $3)
      order by p.occurred_at desc, p.interaction_id desc limit 3) i) r on true
  left join lateral (
    select count(*) as n from crm.follow_ups f where f.workspace_id = $1 and f.contact_id = k.id and f.status = 'open') f on true
  left join lateral (
    select i.author_id from crm.interaction_participants p join crm.interactions i on i.workspace_id = p.workspace_id and i.id = p.interaction_id
    where p.workspace_id = $1 and p.contact_id = k.id and i.deleted_at is null and i.author_id is not null and i.kind <> 'note'
      and (i.visibility <> 'private' or i.author_id = $3)
    order by p.occurred_at desc, p.interaction_id desc limit 1) l on true`;

export const meetingBrief: BenchCase = {
  name: 'meeting-brief',
  warmup: 50,
  concurrency: 2,
  target: (r) => ({ met: r.http.p95 <= 50, text: 'p95 <= 50 ms' }),
  async prepare(ctx) {
    const ws = ctx.ws.workspaceId;
    const meetings = 200;
    const [top] = await ctx.admin<{ email: string }>(
      `select lower(e.email) as email from crm.contact_emails e
        where e.workspace_id = $1 and e.contact_id = (
          select contact_id from crm.interaction_participants where workspace_id = $1 and contact_id is not null
          group by contact_id order by count(*) desc, contact_id limit 1)
        order by e.email limit 1`,
      [ws],
    );
    const picked = await ctx.admin<{ email: string }>(
      `select lower(e.email) as email from crm.contact_emails e
        where e.workspace_id = $1 and e.is_primary order by random() limit $2`,
      [ws, meetings * 5],
    );
    check(top && picked.length >= 5, 'no contacts with addresses to invite');
    const guests = Array.from({ length: meetings }, (_, m) => {
      const five = Array.from({ length: 5 }, (_, g) => picked[(m * 5 + g) % picked.length]!.email);
      if (m % 5 === 0 && !five.includes(top.email)) five[0] = top.email;
      return five;
    });
    // the rep's mailbox and calendar, as connecting Google leaves them (reused when a case before made them)
    await ctx.admin(
      `insert into crm.mailboxes (workspace_id, member_id) select $1, $2
        where not exists (select 1 from crm.mailboxes where workspace_id = $1 and member_id = $2)`,
      [ws, ctx.ws.repId],
    );
    await ctx.admin(
      `insert into crm.calendars (workspace_id, member_id, mailbox_id)
       select $1, $2, m.id from crm.mailboxes m where m.workspace_id = $1 and m.member_id = $2
         and not exists (select 1 from crm.calendars where workspace_id = $1 and member_id = $2)`,
      [ws, ctx.ws.repId],
    );
    const events = await ctx.admin<{ id: string; emails: string[] }>(
      `insert into crm.calendar_events (workspace_id, calendar_id, member_id, event_id, meeting_key, start_at, end_at, title,
                                        attendees, attendee_emails, external_emails)
       select $1, c.id, $2, 'bench-brief-' || $3 || '-' || g.n, 'bench-brief-' || $3 || '-' || g.n || '@google.com',
              now() + make_interval(days => 1 + g.n % 30), now() + make_interval(days => 1 + g.n % 30, hours => 1),
              'Quarterly review ' || g.n,
              (select jsonb_agg(jsonb_build_object('email', e, 'name', null, 'role', 'accepted')) from unnest(g.emails) e),
              g.emails, g.emails
       from crm.calendars c,
            (select n, array(select jsonb_array_elements_text(($4::jsonb) -> n)) as emails from generate_series(0, $5 - 1) n) g
       where c.workspace_id = $1 and c.member_id = $2
       returning id::text, external_emails as emails`,
      [ws, ctx.ws.repId, ctx.runId, JSON.stringify(guests), meetings],
    );
    check(events.length === meetings, 'meetings not written');
    return {
      note: `${meetings} meetings of the measured rep with 5 contacts each (key account in one of 5; ${top.email})`,
      explainTarget: () => ({
        fn: 'me_meeting_brief',
        args: { id: events[0]!.id },
        baselineSql: BASELINE_SQL,
        baselineParams: [ws, events[0]!.emails, ctx.ws.repId],
      }),
      async http(i) {
        const e = events[i % events.length]!;
        const r = await get(ctx, `/api/me/meetings/${e.id}/brief`);
        expectStatus(r, 200);
        const b = r.body as { attendees: { email: string; contact: { id: string } | null; recent: unknown[] }[] };
        check(b.attendees.length === 5 && b.attendees.every((a) => a.contact && Array.isArray(a.recent)), 'brief mismatch');
      },
      async baseline(i) {
        const e = events[i % events.length]!;
        const rows = await ctx.baseline<{ id: string | null }>(BASELINE_SQL, [ws, e.emails, ctx.ws.repId]);
        check(rows.length === 5 && rows.every((r) => r.id), 'baseline brief mismatch');
      },
    };
  },
};
