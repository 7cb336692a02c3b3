import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { connectWithCalendar, standInSettings, syncAll } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { addDays, localMinute, offsetChangeDays } from '../support/dst.js';
import { makeWorkspace, type TestMember, type TestWorkspace } from '../support/fixtures.js';
import { zonedToUtc } from '../support/google-stand-in-calendar.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const SECRET = `nudge-dst-service-secret-${'x'.repeat(24)}`;
const NY = 'America/New_York';
const TOKYO = 'Asia/Tokyo';
const SHANGHAI = 'Asia/Shanghai';
const HOUR = 3_600_000;

// the next spring-forward and fall-back in New York after today, whichever comes first
const changes = offsetChangeDays(NY, 400);
const forward = changes.find((c) => c.way === 'forward')!.date;
const back = changes.find((c) => c.way === 'back')!.date;

interface Meeting {
  title: string;
  timeZone: string;
  day: string;
  start: string;
  minutes: number;
  /** when the nudge is due: local date and minute in the member's zone */
  nudge: [day: string, hm: string];
}

/** Meetings around one change day: in New York around the change, in Tokyo and Shanghai (no DST) the same day. */
function around(day: string): Meeting[] {
  const next = addDays(day, 1);
  return [
    // ends at 21:00 the evening before, after working hours: the next 08:00, on the far side of the change
    { title: `Eve before ${day}`, timeZone: NY, day: addDays(day, -1), start: '20:00', minutes: 60, nudge: [day, '08:00'] },
    // ends at 01:45 local, in the night of the change: 08:00 that morning
    { title: `Night of ${day}`, timeZone: NY, day, start: '00:45', minutes: 60, nudge: [day, '08:00'] },
    { title: `Morning ${day}`, timeZone: NY, day, start: '09:30', minutes: 60, nudge: [day, '10:30'] },
    { title: `Evening ${day}`, timeZone: NY, day, start: '19:30', minutes: 60, nudge: [next, '08:00'] },
    { title: `Tokyo ${day}`, timeZone: TOKYO, day, start: '17:15', minutes: 60, nudge: [day, '18:15'] },
    { title: `Tokyo late ${day}`, timeZone: TOKYO, day, start: '20:30', minutes: 60, nudge: [next, '08:00'] },
    { title: `Shanghai ${day}`, timeZone: SHANGHAI, day, start: '11:00', minutes: 45, nudge: [day, '11:45'] },
    { title: `Shanghai late ${day}`, timeZone: SHANGHAI, day, start: '21:00', minutes: 60, nudge: [next, '08:00'] },
  ];
}

const at = (day: string, hm: string, timeZone: string) => zonedToUtc(`${day}T${hm}:00`, timeZone);

/**
 * Nudges on New York's DST change days (issue 17: "at the right local minute
 * in Tokyo, Shanghai and New York, on DST change days"): on the next
 * spring-forward and fall-back, computed from today, a meeting's nudge is
 * claimed at its member's local minute and not a minute before, within their
 * working hours (08:00 to 20:00): a meeting ending the evening before the
 * change, or in the night of it, waits for 08:00 local on the change day, an
 * hour nearer or further in UTC than the same wall-clock time the day before;
 * Tokyo and Shanghai, which have no DST, keep their own minute the same day.
 */
describe.each(['pglite', 'postgres'] as const)('meeting nudges on DST change days on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let now = new Date();
  const meetings = [...around(forward), ...around(back)];
  const dueOf = (m: Meeting) => at(m.nudge[0], m.nudge[1], m.timeZone);
  const endOf = (m: Meeting) => at(m.day, m.start, m.timeZone) + m.minutes * 60_000;
  const claim = async (instant: number) => {
    now = new Date(instant);
    const res = await caller(app, undefined, { authorization: `Rapport-Service ${SECRET}` })('POST', '/api/slack/briefs/nudges/claim', { workerId: 'w1' });
    expect(res.status).toBe(200);
    const claimed = res.body.claimed as { id: string; timezone: string; meeting: { title: string } }[];
    for (const n of claimed) {
      const done = await caller(app, undefined, { authorization: `Rapport-Service ${SECRET}` })('POST', '/api/slack/briefs/finish', {
        id: n.id,
        workerId: 'w1',
        outcome: 'sent',
      });
      expect(done.body).toEqual({ held: true, status: 'sent' });
    }
    return claimed;
  };

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    gmail = standInSettings(google);
    app = createApp({ db: t.db, gmail, clock: () => now, serviceSecret: SECRET });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'off' });
    const members: Record<string, TestMember> = { [NY]: a.rep, [TOKYO]: a.rep2, [SHANGHAI]: a.admin };
    // change days are Sundays in New York: these members work every day (nudges keep to working hours, alerts to days too)
    for (const [timeZone, m] of Object.entries(members))
      await t.sql.query(`update crm.members set timezone = $1, work_days = '{1,2,3,4,5,6,7}' where id = $2`, [timeZone, m.id]);
    await caller(app, a.rep.token)('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] });
    const kim = [{ email: 'kim@customer.test', responseStatus: 'accepted' as const }];
    for (const m of meetings) {
      google
        .calendar(members[m.timeZone]!.email)
        .add({ summary: m.title, start: `${m.day}T${m.start}:00`, timeZone: m.timeZone, minutes: m.minutes, attendees: kim });
    }
    for (const m of Object.values(members)) await connectWithCalendar(app, google, m.token, m.email);
    await syncAll(t, gmail, { aheadDays: 400 });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it('has New York change days ahead, clocks going forward on one and back on the other', () => {
    for (const [day, hours] of [
      [forward, 23],
      [back, 25],
    ] as const) {
      expect(at(addDays(day, 1), '00:00', NY) - at(day, '00:00', NY)).toBe(hours * HOUR);
      expect(Date.parse(`${day}T00:00:00Z`)).toBeGreaterThan(Date.now());
    }
  });

  it('claims each nudge at its member’s local minute and not a minute before, in order across both change days', async () => {
    // every instant worth asking at: each due minute, the minute before it, and each meeting's end when its nudge waits
    const instants = [...new Set(meetings.flatMap((m) => [dueOf(m), dueOf(m) - 60_000, endOf(m)]))].sort((x, y) => x - y);
    const seen: string[] = [];
    for (const instant of instants) {
      const got = (await claim(instant)).map((n) => n.meeting.title).sort();
      const due = meetings.filter((m) => dueOf(m) === instant).map((m) => m.title);
      expect({ at: new Date(instant).toISOString(), got }).toEqual({ at: new Date(instant).toISOString(), got: due.sort() });
      seen.push(...got);
    }
    expect(seen.sort()).toEqual(meetings.map((m) => m.title).sort());
    // each at the local minute it names, in its member's zone
    for (const m of meetings) expect([m.title, localMinute(dueOf(m), m.timeZone)]).toEqual([m.title, m.nudge[1]]);
  });

  it('moves 08:00 in UTC across the change: 10 hours after a 21:00 ending in spring, 12 in autumn; Tokyo and Shanghai by their own clocks', () => {
    const gap = (title: string) => {
      const m = meetings.find((x) => x.title === title)!;
      return (dueOf(m) - endOf(m)) / HOUR;
    };
    expect(gap(`Eve before ${forward}`)).toBe(10);
    expect(gap(`Eve before ${back}`)).toBe(12);
    for (const day of [forward, back]) {
      expect(gap(`Evening ${day}`)).toBe(11.5);
      expect(gap(`Tokyo late ${day}`)).toBe(10.5);
      expect(gap(`Shanghai late ${day}`)).toBe(10);
    }
  });

  it('stores each nudge due at that instant, as the claim went', async () => {
    const rows = await t.sql.query<{ title: string; due: string; status: string }>(
      `select e.title, b.due_at as due, b.status from crm.meeting_briefs b join crm.calendar_events e on e.id = b.event_id where b.kind = 'nudge'`,
    );
    expect(rows.map((r) => [r.title, new Date(r.due).getTime(), r.status]).sort()).toEqual(meetings.map((m) => [m.title, dueOf(m), 'sent']).sort());
  });
});
