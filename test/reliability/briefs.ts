/**
 * Meeting briefs and nudges (issue 17) in two server copies on one database,
 * one killed (kill -9) while it is posting: every brief and every nudge still
 * reaches its member exactly once, at or after the minute it falls due.
 * Members in Tokyo, Shanghai and New York (their own language each) have
 * calendars with meetings with a customer: one whose brief (15 or 30 minutes
 * before, the member's choice) falls due during the run, one that ends during
 * the run (its nudge is due then). Due times are a second or two apart, so
 * that both copies' schedulers (a step every second, RAPPORT_SCHEDULER_SECONDS)
 * claim some, and each post takes a second at the Slack stand-in, so that the
 * victim dies with one in flight. The members work around the clock but one
 * per zone, who is outside their working hours: their brief still comes (a
 * brief is before the meeting whatever the hour), their nudge waits for the
 * start of their hours, due at that local minute, and is not posted during
 * the run.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localWall } from '../support/dst.js';
import { zonedToUtc } from '../support/google-stand-in-calendar.js';
import type { ChildServer } from './server.js';
import type { SlackStandIn } from './slack-stand-in.js';
import { exactlyOnce, killAndOrphan, ownedBy, postsByKey, sleep, waitFor, withAdmin, type Admin } from './two-copies.js';

const ZONES = [
  { timeZone: 'Asia/Tokyo', locale: 'ja', name: 'Tokyo' },
  { timeZone: 'Asia/Shanghai', locale: 'zh', name: 'Shanghai' },
  { timeZone: 'America/New_York', locale: 'en', name: 'New York' },
] as const;
const BRIEF = 'rapport_brief';
const NUDGE = 'rapport_nudge';

export interface BriefResult {
  /** briefs and nudges that must be posted during the run */
  expected: number;
  posts: number;
  /** expected ones never posted (or never even made), and posts beyond the first */
  missing: number;
  duplicated: number;
  /** expected rows not 'sent' at the end */
  unsent: number;
  killedMidSend: boolean;
  /** briefs and nudges the dead copy held when it died, and of those, how many it had posted (in flight) */
  orphaned: number;
  foundPosted: number;
  /** nudges outside their member's working hours, held for their local start */
  held: number;
  /** the latest post after its due time */
  maxLateMs: number;
  /** e.g. 'Tokyo 09:12-09:13' (local minutes the posts fell due in, per zone) */
  minutes: string[];
  notes: string[];
}

interface Seeded {
  /** calendar_events ids: briefs and nudges that must go out, and nudges that must wait */
  briefEvents: string[];
  nudgeEvents: string[];
  waitingNudges: { eventId: string; expectedDue: number; zone: string }[];
  /** the last due time of the run */
  lastDue: number;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Working hours an hour long that do not hold `at` (two hours after it, or
 * three hours before it late in the day), and the first moment at or after
 * `end` inside them: the next local `start`.
 */
function hoursAway(at: number, end: number, timeZone: string): { start: string; end: string; due: number } {
  const now = localWall(at, timeZone).minutes;
  const start = now + 180 <= 1440 ? now + 120 : now - 180;
  const ended = localWall(end, timeZone);
  const date = ended.minutes < start ? ended.date : addDays(ended.date, 1);
  return { start: hhmm(start), end: hhmm(start + 60), due: zonedToUtc(`${date}T${hhmm(start)}:00`, timeZone) };
}

async function seedMeetings(admin: Admin, workspaceId: string, perZone: number, spacingMs: number): Promise<Seeded> {
  const { q } = admin;
  const [row] = await q<{ now: Date }>(`select now() as now`);
  const t0 = new Date(row!.now).getTime() + 3_000;
  const run = randomUUID().slice(0, 8);
  const seeded: Seeded = { briefEvents: [], nudgeEvents: [], waitingNudges: [], lastDue: t0 };
  let i = 0;
  for (const zone of ZONES) {
    for (let k = 0; k < perZone; k++, i++) {
      const id = randomUUID();
      const email = `meets-${run}-${i}@reliability.test`;
      const briefMinutes = k % 2 === 0 ? 15 : 30;
      const briefDue = t0 + i * 2 * spacingMs;
      const nudgeDue = briefDue + spacingMs;
      seeded.lastDue = Math.max(seeded.lastDue, nudgeDue);
      const away = k === perZone - 1 ? hoursAway(t0, nudgeDue, zone.timeZone) : undefined;
      await q(
        `insert into crm.members (id, workspace_id, email, display_name, role, timezone, locale, slack_user_id, brief_minutes, work_start, work_end, digest_enabled)
         values ($1, $2, $3, $4, 'rep', $5, $6, $7, $8, $9, $10, false)`,
        [
          id,
          workspaceId,
          email,
          `${zone.name} rep ${k}`,
          zone.timeZone,
          zone.locale,
          `U${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
          briefMinutes,
          // the others work around the clock, so that their nudges go out at any hour the run happens at
          away?.start ?? '00:00',
          away?.end ?? '24:00',
        ],
      );
      // a connected mailbox with Calendar (its trigger makes the calendar), synced once (no Google here: nothing
      // syncs it again, its meetings are written as sync writes them)
      await q(`insert into crm.mailboxes (workspace_id, member_id, address, mode, status, scopes) values ($1, $2, $3, 'oauth', 'active', $4)`, [
        workspaceId,
        id,
        email,
        ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/calendar.readonly'],
      ]);
      const [{ calendar }] = (await q<{ calendar: string }>(
        `update crm.calendars set status = 'active', cursor = '{"syncToken": "reliability"}', last_sync_at = now() where workspace_id = $1 and member_id = $2
         returning id as calendar`,
        [workspaceId, id],
      )) as [{ calendar: string }];
      const guest = `buyer-${run}-${i}@customer${i}.example.com`;
      const contact = randomUUID();
      await q(`insert into crm.contacts (id, workspace_id, name, stage) values ($1, $2, $3, 'customer')`, [contact, workspaceId, `Buyer ${i} (${zone.name})`]);
      await q(`insert into crm.contact_emails (workspace_id, contact_id, email, is_primary) values ($1, $2, $3, true)`, [workspaceId, contact, guest]);
      const meeting = async (what: string, start: number, end: number) => {
        const [{ eventId }] = (await q<{ eventId: string }>(
          `insert into crm.calendar_events (workspace_id, calendar_id, member_id, event_id, meeting_key, start_at, end_at, title, self_response,
             attendees, attendee_emails, external_emails)
           values ($1, $2, $3, $4, $4, $5, $6, $7, 'accepted', $8, $9, $10) returning id as "eventId"`,
          [
            workspaceId,
            calendar,
            id,
            `${run}-${i}-${what}`,
            new Date(start),
            new Date(end),
            `${what === 'brief' ? 'Renewal' : 'Review'} with Buyer ${i}`,
            JSON.stringify([
              { email, self: true, responseStatus: 'accepted' },
              { email: guest, responseStatus: 'accepted' },
            ]),
            [email, guest],
            [guest],
          ],
        )) as [{ eventId: string }];
        return eventId;
      };
      seeded.briefEvents.push(await meeting('brief', briefDue + briefMinutes * 60_000, briefDue + (briefMinutes + 30) * 60_000));
      const ended = await meeting('nudge', nudgeDue - 45 * 60_000, nudgeDue);
      if (away) seeded.waitingNudges.push({ eventId: ended, expectedDue: away.due, zone: zone.name });
      else seeded.nudgeEvents.push(ended);
    }
  }
  return seeded;
}

export async function runBriefs(opts: {
  url: string;
  victim: ChildServer;
  survivor: ChildServer;
  standIn: SlackStandIn;
  workspaceId: string;
  perZone: number;
  /** between one due time and the next */
  spacingMs: number;
  timeoutMs?: number;
}): Promise<BriefResult> {
  return withAdmin(opts.url, async (admin) => {
    const { q, count } = admin;
    const ws = opts.workspaceId;
    const before = opts.standIn.posts.length;
    const s = await seedMeetings(admin, ws, opts.perZone, opts.spacingMs);
    const events = [...s.briefEvents, ...s.nudgeEvents];
    // the victim dies while it holds a brief or nudge it is posting
    const holds = () =>
      count(
        `select count(*)::int as n from crm.meeting_briefs where workspace_id = $1 and status = 'pending' and lease_until > now() and lease_owner like $2`,
        [ws, ownedBy(opts.victim)],
      );
    const killedMidSend = await waitFor(async () => (await holds()) > 0, s.lastDue - Date.now() + 5_000, 100);
    await sleep(300);
    const killed = await killAndOrphan(admin, {
      victim: opts.victim,
      table: 'crm.meeting_briefs',
      workspaceId: ws,
      settleMs: opts.standIn.postDelayMs + 500,
    });
    const expectedRows = `select b.id::text, b.kind, b.status, (extract(epoch from b.due_at) * 1000)::float8 as due, m.timezone, m.slack_user_id as "slackUserId"
      from crm.meeting_briefs b join crm.members m on m.workspace_id = b.workspace_id and m.id = b.member_id
      where b.workspace_id = $1 and b.event_id = any($2::uuid[]) and b.kind = (case when b.event_id = any($3::uuid[]) then 'brief' else 'nudge' end)`;
    type Made = { id: string; kind: string; status: string; due: number; timezone: string; slackUserId: string };
    const made = () => q<Made>(expectedRows, [ws, events, s.briefEvents]);
    await waitFor(
      async () => {
        const rows = await made();
        return rows.length === events.length && rows.every((r) => r.status === 'sent');
      },
      Math.max(0, s.lastDue - Date.now()) + (opts.timeoutMs ?? 60_000),
    );
    // a moment more: a post under way when the last one was marked
    await sleep(opts.standIn.postDelayMs + 500);
    const rows = await made();
    const posts = opts.standIn.posts.slice(before);
    const byKey = new Map([...postsByKey(posts, BRIEF), ...postsByKey(posts, NUDGE)]);
    const once = exactlyOnce(
      rows.map((r) => r.id),
      byKey,
    );
    const notes: string[] = [];
    let maxLateMs = 0;
    const spans = new Map<string, [number, number]>();
    for (const r of rows) {
      for (const p of byKey.get(r.id) ?? []) {
        maxLateMs = Math.max(maxLateMs, p.at - r.due);
        if (p.at < r.due) notes.push(`a ${r.kind} posted ${r.due - p.at} ms before it was due`);
        if (p.channel !== `D${r.slackUserId.slice(1)}`) notes.push(`a ${r.kind} posted to ${p.channel}, not its member's DM`);
        if ((p.type === BRIEF) !== (r.kind === 'brief')) notes.push(`a ${r.kind} posted as ${p.type}`);
      }
      const zone = ZONES.find((z) => z.timeZone === r.timezone)!.name;
      const at = localWall(r.due, r.timezone).minutes;
      const span = spans.get(zone) ?? [at, at];
      spans.set(zone, [Math.min(span[0], at), Math.max(span[1], at)]);
    }
    if (maxLateMs > 60_000) notes.push(`a post came ${Math.round(maxLateMs / 1000)} s after it was due (not at its minute)`);
    // outside working hours: made, due at the start of the member's hours (that local minute), not posted
    const waiting = await q<{ id: string; event: string; status: string; due: number }>(
      `select id::text, event_id::text as event, status, (extract(epoch from due_at) * 1000)::float8 as due from crm.meeting_briefs
        where workspace_id = $1 and kind = 'nudge' and event_id = any($2::uuid[])`,
      [ws, s.waitingNudges.map((w) => w.eventId)],
    );
    for (const w of s.waitingNudges) {
      const row = waiting.find((x) => x.event === w.eventId);
      if (!row) notes.push(`${w.zone}: the nudge outside working hours was never made`);
      else if (row.status !== 'pending' || row.due !== w.expectedDue || byKey.has(row.id))
        notes.push(
          `${w.zone}: the nudge outside working hours is ${row.status}${byKey.has(row.id) ? ', posted' : ''}, due ${new Date(row.due).toISOString()} (expected pending, due ${new Date(w.expectedDue).toISOString()})`,
        );
    }
    const unsent = await count(`select count(*)::int as n from crm.meeting_briefs where id = any($1::uuid[]) and status <> 'sent'`, [rows.map((r) => r.id)]);
    return {
      expected: events.length,
      posts: posts.filter((p) => p.type === BRIEF || p.type === NUDGE).length,
      missing: events.length - rows.length + once.missing,
      duplicated: once.duplicated,
      unsent,
      killedMidSend,
      held: s.waitingNudges.length,
      orphaned: killed.ids.length,
      // what the dead copy posted but could not record: the survivor must find it in the DM, not post it again
      foundPosted: killed.ids.filter((id) => (byKey.get(id) ?? []).some((p) => p.at <= killed.killedAt + opts.standIn.postDelayMs)).length,
      maxLateMs,
      minutes: [...spans].map(([zone, [a, b]]) => `${zone} ${hhmm(a)}${b > a ? `-${hhmm(b)}` : ''}`),
      notes,
    };
  });
}
