import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { connectWithCalendar, meetings, standInSettings, syncAll, wall } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { offsetMinutes, zonedToUtc } from '../support/google-stand-in-calendar.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const DAY = 86_400_000;

/** About the day (UTC, 'YYYY-MM-DD') on which the zone's offset last changed, in the `days` before now less 20 (so a series of 4 weeks around it has ended a week ago). */
function lastOffsetChange(timeZone: string, days: number): string {
  const end = Date.now() - 20 * DAY;
  for (let at = end; at > end - days * DAY; at -= DAY) {
    if (offsetMinutes(timeZone, at) !== offsetMinutes(timeZone, at - DAY)) return new Date(at - DAY).toISOString().slice(0, 10);
  }
  throw new Error(`no offset change in ${timeZone} in ${days} days`);
}

/**
 * Meetings as people see them (issue 17): a contact's upcoming meetings on
 * their card, once per meeting and as each member's visibility allows; the
 * caller's meetings between two times; meetings captured at the right
 * instant in New York across a DST change, in Tokyo and in Shanghai.
 */
describe.each(['pglite', 'postgres'] as const)('Meetings from Calendar sync on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let kimId: string;
  const demoStart = wall(2);
  const change = lastOffsetChange('America/New_York', 240);

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    gmail = standInSettings(google);
    app = createApp({ db: t.db, gmail });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'off' });
    kimId = (await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Kim Customer', emails: ['Kim@Customer.test'] })).body.id;
    const kim = { email: 'kim@customer.test', responseStatus: 'accepted' as const };
    const demo = {
      iCalUID: 'demo-1@customer.test',
      summary: 'Demo',
      start: demoStart,
      minutes: 30,
      location: 'Kim HQ',
      hangoutLink: 'https://meet.google.com/dem-oooo-kim',
      organizer: a.rep.email,
    };
    const rep = google.calendar(a.rep.email);
    rep.add({ ...demo, attendees: [kim, { email: a.rep.email, responseStatus: 'accepted' }, { email: a.rep2.email, responseStatus: 'accepted' }] });
    rep.add({
      summary: 'Declined lunch',
      start: wall(3),
      organizer: 'kim@customer.test',
      attendees: [kim, { email: a.rep.email, responseStatus: 'declined' }],
    });
    rep.add({ summary: 'Secret', start: wall(4), visibility: 'private', attendees: [kim] });
    rep.cancel(rep.add({ summary: 'Called off', start: wall(5), attendees: [kim] }));
    rep.add({ summary: 'Team only', start: wall(1), attendees: [{ email: a.rep2.email }] });
    rep.add({ summary: 'Last week', start: wall(-7), attendees: [kim] });
    // a weekly 10:00 in New York from two weeks before its last DST change, and the same in Tokyo and Shanghai
    const from = new Date(Date.parse(`${change}T00:00:00Z`) - 14 * DAY).toISOString().slice(0, 10);
    rep.add({ summary: 'NY weekly', start: `${from}T10:00:00`, timeZone: 'America/New_York', repeat: { freq: 'WEEKLY', count: 4 }, attendees: [kim] });
    rep.add({ summary: 'Tokyo weekly', start: `${from}T10:00:00`, timeZone: 'Asia/Tokyo', repeat: { freq: 'WEEKLY', count: 4 }, attendees: [kim] });
    rep.add({ summary: 'Shanghai daily', start: `${from}T09:30:00`, timeZone: 'Asia/Shanghai', repeat: { freq: 'DAILY', count: 2 }, attendees: [kim] });
    // across the change itself: 3 hours of real time whatever the clocks say
    rep.add({ summary: 'Across the change', start: `${change}T00:30:00`, timeZone: 'America/New_York', minutes: 180, attendees: [kim] });
    google.calendar(a.rep2.email).add({ ...demo, attendees: [kim, { email: a.rep2.email, responseStatus: 'accepted' }] });
    await connectWithCalendar(app, google, a.rep.token, a.rep.email);
    await connectWithCalendar(app, google, a.rep2.token, a.rep2.email);
    await syncAll(t, gmail, { backDays: 250 });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it("shows a contact's upcoming meeting once, with who from the team goes, as each one's visibility allows", async () => {
    const asRep = await caller(app, a.rep.token)('GET', `/api/contacts/${kimId}`);
    expect(asRep.status).toBe(200);
    expect(asRep.body.upcomingMeetings).toHaveLength(1);
    expect(asRep.body.upcomingMeetings[0]).toMatchObject({
      key: 'demo-1@customer.test',
      title: 'Demo',
      durationMinutes: 30,
      location: 'Kim HQ',
      conferenceUrl: 'https://meet.google.com/dem-oooo-kim',
      interactionId: null,
      members: [{ id: a.rep.id }],
    });
    expect(new Date(asRep.body.upcomingMeetings[0].start).toISOString()).toBe(`${demoStart}.000Z`);
    expect(asRep.body.upcomingMeetings[0].attendees[0]).toMatchObject({ email: a.rep.email, role: 'organizer', contactId: null });
    expect(asRep.body.upcomingMeetings[0].attendees).toContainEqual({ email: 'kim@customer.test', name: null, role: 'accepted', contactId: kimId });
    // synced mail and meetings are private by default: their manager sees both reps', the rep only their own until rep2 shares
    const asManager = await caller(app, a.manager.token)('GET', `/api/contacts/${kimId}`);
    expect(asManager.body.upcomingMeetings[0].members.map((m: { id: string }) => m.id).sort()).toEqual([a.rep.id, a.rep2.id].sort());
    await caller(app, a.rep2.token)('PATCH', '/api/me/mailbox', { visibility: 'workspace' });
    const shared = await caller(app, a.admin.token)('GET', `/api/contacts/${kimId}?shared=true`);
    expect(shared.status).toBe(200);
    expect(shared.body.upcomingMeetings.map((m: { members: { id: string }[] }) => m.members.map((x) => x.id))).toEqual([[a.rep2.id]]);
  });

  it("lists the caller's meetings with outsiders between two times: the declined one marked, private, cancelled and internal ones left out", async () => {
    const window = { from: new Date(Date.now() - 8 * DAY).toISOString(), to: new Date(Date.now() + 6 * DAY).toISOString() };
    const res = await caller(app, a.rep.token)('GET', `/api/me/meetings?${new URLSearchParams(window)}`);
    expect(res.status).toBe(200);
    const titles = res.body.items.map((m: { title: string; response: string | null }) => `${m.title}:${m.response}`);
    expect(titles).toEqual(['Last week:null', 'Demo:accepted', 'Declined lunch:declined']);
    const past = res.body.items[0];
    expect(past.interactionId).toEqual(expect.any(String));
    expect(past.member).toMatchObject({ id: a.rep.id });
  });

  it('captures each occurrence at its instant: 10:00 in New York is 14:00Z in summer time and 15:00Z after, 01:00Z in Tokyo, 01:30Z in Shanghai', async () => {
    const rows = await meetings(t, a.id);
    const at = (subject: string) => rows.filter((r) => r.subject === subject).map((r) => r.occurred_at);
    const from = new Date(Date.parse(`${change}T00:00:00Z`) - 14 * DAY).toISOString().slice(0, 10);
    const weeks = [0, 1, 2, 3].map((k) => new Date(Date.parse(`${from}T00:00:00Z`) + k * 7 * DAY).toISOString().slice(0, 10));
    expect(at('NY weekly')).toEqual(weeks.map((d) => new Date(zonedToUtc(`${d}T10:00:00`, 'America/New_York')).toISOString()));
    const hours = at('NY weekly').map((x) => new Date(x).getUTCHours());
    expect(new Set(hours).size).toBe(2);
    expect(hours[0]).not.toBe(hours[3]);
    expect(at('Tokyo weekly')).toEqual(weeks.map((d) => `${new Date(Date.parse(`${d}T01:00:00Z`)).toISOString()}`));
    expect(at('Shanghai daily')).toEqual([0, 1].map((k) => new Date(Date.parse(`${from}T01:30:00Z`) + k * DAY).toISOString()));
    const across = (
      await caller(app, a.rep.token)(
        'GET',
        `/api/me/meetings?from=${encodeURIComponent(`${change}T00:00:00Z`)}&to=${encodeURIComponent(`${change}T23:59:00Z`)}`,
      )
    ).body.items;
    expect(across.find((m: { title: string }) => m.title === 'Across the change')).toMatchObject({ durationMinutes: 180 });
  });

  it('has captured only what has started: nothing from the upcoming demo, one interaction for the past meeting in the timeline', async () => {
    const subjects = (await meetings(t, a.id)).map((r) => r.subject);
    expect(subjects).not.toContain('Demo');
    expect(subjects.filter((s) => s === 'Last week')).toHaveLength(1);
    const timeline = await caller(app, a.rep.token)('GET', `/api/contacts/${kimId}/timeline`);
    const kinds = timeline.body.items
      .filter((e: { type: string }) => e.type === 'interaction')
      .map((e: { interaction: { kind: string } }) => e.interaction.kind);
    expect(kinds).toContain('meeting');
  });
});
