import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { createApp } from '../../backend/app.js';
import { serviceClient } from '../../slack-app/backend-client.js';
import { runBriefStep } from '../../slack-app/briefs/scheduler.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { connectWithCalendar, standInSettings, syncAll } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { localMinute, offsetChangeDays } from '../support/dst.js';
import { offsetMinutes, zonedToUtc } from '../support/google-stand-in-calendar.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const DAY = 86_400_000;
const SECRET = `brief-service-secret-${'x'.repeat(24)}`;
const SERVICE = { authorization: `Rapport-Service ${SECRET}` };

/** The first local day on which the zone's offset changes, in the next `days` (from 3 days ahead). */
function nextOffsetChange(timeZone: string, days: number): string {
  const day = offsetChangeDays(timeZone, days - 3, Date.now() + 3 * DAY)[0];
  if (!day) throw new Error(`no offset change in ${timeZone} in ${days} days`);
  return day.date;
}

/**
 * Briefs before meetings with customers (issue 17), the backend's half: due
 * at the member's chosen minutes before the start, at the right local minute
 * in New York on its DST change day, in Tokyo and in Shanghai; claimed
 * exactly once however many schedulers ask, a killed one's lease taken over;
 * composed with each outside attendee's card, last three interactions, open
 * follow-ups and who last spoke to them; off with minutes 0.
 */
describe('meeting briefs', () => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let now = new Date();
  const dstDay = nextOffsetChange('America/New_York', 250);
  const nyStart = new Date(zonedToUtc(`${dstDay}T09:00:00`, 'America/New_York')).toISOString();
  const tokyoDay = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
  const tokyoStart = new Date(zonedToUtc(`${tokyoDay}T10:00:00`, 'Asia/Tokyo')).toISOString();
  const shanghaiStart = new Date(zonedToUtc(`${tokyoDay}T14:00:00`, 'Asia/Shanghai')).toISOString();
  const claim = async (workerId: string, at: string) => {
    now = new Date(at);
    const res = await caller(app, undefined, SERVICE)('POST', '/api/slack/briefs/claim', { workerId });
    expect(res.status).toBe(200);
    return res.body.claimed as { id: string; memberId: string; attempts: number; brief: any }[];
  };
  const finish = async (body: object) => (await caller(app, undefined, SERVICE)('POST', '/api/slack/briefs/finish', body)).body;
  const minus = (iso: string, minutes: number) => new Date(Date.parse(iso) - minutes * 60_000).toISOString();

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    gmail = standInSettings(google);
    app = createApp({ db: t.db, gmail, clock: () => now, serviceSecret: SECRET });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'off' });
    const rep = caller(app, a.rep.token);
    const kim = (await rep('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] })).body.id;
    const log = (who: string, kind: string, subject: string, daysAgo: number) =>
      caller(app, who)('POST', '/api/interactions', {
        kind,
        source: 'api',
        externalId: `${subject}-${daysAgo}`,
        occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
        subject,
        visibility: 'workspace',
        participants: [{ role: 'to', email: 'kim@customer.test' }],
      });
    await log(a.rep.token, 'email', 'Quote', 9);
    await log(a.rep.token, 'call', 'Intro call', 7);
    await log(a.rep2.token, 'email', 'Contract draft', 3);
    await log(a.rep.token, 'note', 'Likes green', 1);
    await rep('POST', '/api/follow-ups', { contactId: kim, dueAt: new Date(Date.now() + 2 * DAY).toISOString(), note: 'Send pricing' });
    const cal = google.calendar(a.rep.email);
    const guests = [{ email: 'kim@customer.test', responseStatus: 'accepted' as const }, { email: 'new@prospect.test' }];
    cal.add({ summary: 'Renewal (NY)', start: `${dstDay}T09:00:00`, timeZone: 'America/New_York', attendees: guests });
    cal.add({ summary: 'Tokyo visit', start: `${tokyoDay}T10:00:00`, timeZone: 'Asia/Tokyo', attendees: guests });
    cal.add({ summary: 'Shanghai call', start: `${tokyoDay}T14:00:00`, timeZone: 'Asia/Shanghai', attendees: guests });
    cal.add({ summary: 'Team only', start: `${tokyoDay}T10:00:00`, timeZone: 'Asia/Tokyo', attendees: [{ email: a.rep2.email }] });
    await connectWithCalendar(app, google, a.rep.token, a.rep.email);
    await syncAll(t, gmail, { aheadDays: 250 });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it('falls due 15 minutes before, at 08:45 in New York on its DST change day, 09:45 in Tokyo, 13:45 in Shanghai', async () => {
    expect(await claim('w1', minus(nyStart, 16))).toEqual([]);
    const ny = await claim('w1', minus(nyStart, 15));
    expect(ny.map((b) => b.brief.meeting.title)).toEqual(['Renewal (NY)']);
    expect(localMinute(minus(nyStart, 15), 'America/New_York')).toBe('08:45');
    expect(offsetMinutes('America/New_York', Date.parse(nyStart))).not.toBe(offsetMinutes('America/New_York', Date.parse(nyStart) - DAY));
    await finish({ id: ny[0]!.id, workerId: 'w1', outcome: 'sent', channel: 'D1', ts: '1.1' });
    const tokyo = await claim('w1', minus(tokyoStart, 15));
    expect(tokyo.map((b) => b.brief.meeting.title)).toEqual(['Tokyo visit']);
    expect(localMinute(minus(tokyoStart, 15), 'Asia/Tokyo')).toBe('09:45');
    await finish({ id: tokyo[0]!.id, workerId: 'w1', outcome: 'sent' });
    expect(await claim('w1', minus(shanghaiStart, 16))).toEqual([]);
    const shanghai = await claim('w1', minus(shanghaiStart, 15));
    expect(shanghai.map((b) => b.brief.meeting.title)).toEqual(['Shanghai call']);
    expect(localMinute(minus(shanghaiStart, 15), 'Asia/Shanghai')).toBe('13:45');
    // a copy that claimed and died: no one else gets it until its lease runs out, then exactly one does
    expect(await claim('w2', minus(shanghaiStart, 14))).toEqual([]);
    const [again, other] = await Promise.all([claim('w2', minus(shanghaiStart, 12)), claim('w3', minus(shanghaiStart, 12))]);
    expect([...again, ...other]).toHaveLength(1);
    const taken = [...again, ...other][0]!;
    expect(taken.attempts).toBe(2);
    // the dead copy's late finish changes nothing
    expect(await finish({ id: shanghai[0]!.id, workerId: 'w1', outcome: 'sent' })).toEqual({ held: false, status: null });
    const winner = again.length ? 'w2' : 'w3';
    expect(await finish({ id: taken.id, workerId: winner, outcome: 'sent' })).toEqual({ held: true, status: 'sent' });
    expect(await claim('w2', minus(shanghaiStart, 5))).toEqual([]);
    const [n] = await t.sql.query<{ n: number }>(`select count(*)::int as n from crm.meeting_briefs where status = 'sent'`);
    expect(n!.n).toBe(3);
  });

  it('says, for each outside attendee, their card, the last three interactions, open follow-ups and who last spoke to them', async () => {
    const [b] = await t.sql.query<{ id: string }>(`select id from crm.meeting_briefs where status = 'sent' order by start_at limit 1`);
    expect(b).toBeDefined();
    const [row] = await t.sql.query<{ brief: any }>(
      `select crm.meeting_brief(e, $1) as brief from crm.calendar_events e where e.title = 'Tokyo visit' and e.member_id = $1`,
      [a.rep.id],
    );
    const [kim, stranger] = row!.brief.attendees;
    expect(kim.contact).toMatchObject({ name: 'Kim Customer' });
    expect(kim.recent.map((r: { subject: string }) => r.subject)).toEqual(['Likes green', 'Contract draft', 'Intro call']);
    expect(kim.openFollowUps.map((f: { note: string }) => f.note)).toEqual(['Send pricing']);
    expect(kim.lastSpokeBy).toMatchObject({ member: { id: a.rep2.id }, kind: 'email' });
    expect(stranger).toMatchObject({ email: 'new@prospect.test', contact: null, recent: [], openFollowUps: [], lastSpokeBy: null });
    expect(row!.brief.meeting).toMatchObject({ title: 'Tokyo visit', durationMinutes: 60 });
  });

  it("is readable by its member through the API, keeping a colleague's private email out of it", async () => {
    const [ev] = await t.sql.query<{ id: string }>(`select id::text from crm.calendar_events where title = 'Tokyo visit' and member_id = $1`, [a.rep.id]);
    await caller(app, a.rep2.token)('POST', '/api/interactions', {
      kind: 'email',
      source: 'api',
      externalId: 'secret-terms',
      occurredAt: new Date(Date.now() - DAY / 2).toISOString(),
      subject: 'Secret terms',
      visibility: 'private',
      participants: [{ role: 'to', email: 'kim@customer.test' }],
    });
    const res = await caller(app, a.rep.token)('GET', `/api/me/meetings/${ev!.id}/brief`);
    expect(res.status).toBe(200);
    const [kim] = res.body.attendees;
    expect(kim.recent.map((r: { subject: string }) => r.subject)).toEqual(['Likes green', 'Contract draft', 'Intro call']);
    expect(kim.lastSpokeBy).toMatchObject({ member: { id: a.rep2.id }, kind: 'email' });
    expect(Date.parse(kim.lastSpokeBy.at)).toBeLessThan(Date.now() - 2 * DAY);
    // its author sees it first
    const own = await caller(app, a.rep2.token)('GET', `/api/me/meetings/${ev!.id}/brief`);
    expect(own.status).toBe(404);
    const [row] = await t.sql.query<{ brief: any }>(`select crm.meeting_brief(e, $1) as brief from crm.calendar_events e where e.id = $2`, [a.rep2.id, ev!.id]);
    expect(row!.brief.attendees[0].recent[0].subject).toBe('Secret terms');
    const none = await caller(app, a.rep.token)('GET', '/api/me/meetings/00000000-0000-4000-8000-000000000000/brief');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('meeting_not_found');
  });

  it('comes when the member chose, never for a meeting with colleagues only, and not at all with 0 (/crm brief off)', async () => {
    const rep = caller(app, a.rep.token);
    expect((await rep('PUT', '/api/me/brief', { minutes: 30 })).body).toEqual({ minutes: 30 });
    const cal = google.calendar(a.rep.email);
    const day = new Date(Date.now() + 6 * DAY).toISOString().slice(0, 10);
    cal.add({ summary: 'Half an hour ahead', start: `${day}T10:00:00`, attendees: [{ email: 'kim@customer.test' }] });
    cal.add({ summary: 'Colleagues', start: `${day}T11:00:00`, attendees: [{ email: a.rep2.email }] });
    await syncAll(t, gmail, { aheadDays: 250 });
    const at = `${day}T10:00:00.000Z`;
    expect((await claim('w1', minus(at, 30))).map((b) => b.brief.meeting.title)).toEqual(['Half an hour ahead']);
    expect(await claim('w1', `${day}T10:45:00.000Z`)).toEqual([]);
    expect((await rep('PUT', '/api/me/brief', { minutes: 0 })).body).toEqual({ minutes: 0 });
    cal.add({ summary: 'No brief', start: `${day}T15:00:00`, attendees: [{ email: 'kim@customer.test' }] });
    await syncAll(t, gmail, { aheadDays: 250 });
    expect(await claim('w1', `${day}T14:59:00.000Z`)).toEqual([]);
    expect((await rep('PUT', '/api/me/brief', { minutes: 121 })).status).toBe(400);
  });

  it('posts one DM per brief even when a copy dies between posting and recording it', async () => {
    await caller(app, a.rep.token)('PUT', '/api/me/brief', { minutes: 15 });
    const day = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    google
      .calendar(a.rep.email)
      .add({ summary: 'Slack brief <!channel>', start: `${day}T10:00:00`, location: 'HQ', attendees: [{ email: 'kim@customer.test' }] });
    await syncAll(t, gmail, { aheadDays: 250 });
    const posts: { channel: string; text: string; blocks: unknown[]; metadata: { event_payload: { key: string } }; ts: string }[] = [];
    const slack = {
      chat: {
        postMessage: async (m: Omit<(typeof posts)[number], 'ts'>) => {
          const ts = `1700000000.${String(posts.length + 1).padStart(6, '0')}`;
          posts.push({ ...m, ts });
          return { ok: true, channel: 'D0REP', ts };
        },
      },
      conversations: {
        open: async () => ({ ok: true, channel: { id: 'D0REP' } }),
        history: async () => ({
          ok: true,
          messages: posts.map((p) => ({ ts: p.ts, metadata: { event_type: p.metadata ? 'rapport_brief' : '', event_payload: p.metadata?.event_payload } })),
          has_more: false,
        }),
      },
    } as unknown as WebClient;
    const link = (failFinish: boolean) => ({
      baseUrl: 'http://rapport.internal',
      serviceSecret: SECRET,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = String(input instanceof Request ? input.url : input);
        if (failFinish && url.endsWith('/briefs/finish')) throw new Error('killed');
        return app.fetch(new Request(input, init));
      }) as typeof fetch,
    });
    const deps = (workerId: string, failFinish = false) => ({
      service: serviceClient(link(failFinish)),
      clientFor: () => slack,
      workerId,
      now: () => now,
      logError: () => undefined,
    });
    now = new Date(`${day}T09:45:00.000Z`);
    expect(await runBriefStep(deps('dying', true))).toMatchObject({ claimed: 1, sent: 0 });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toMatch(/^U/);
    const [head, ...sections] = posts[0]!.blocks as { type: string; text: { type: string; text: string } }[];
    // a header is plain text: Slack never reads a mention in it
    expect(head!.text).toMatchObject({ type: 'plain_text', text: 'Brief: Slack brief <!channel>' });
    const text = sections.map((b) => b.text.text).join('\n');
    expect(text).toContain('10:00 AM · 60 min · HQ');
    expect(text).toContain('*Kim Customer*');
    expect(text).toContain('Last spoke to them: Rae Rep');
    expect(text).toContain('Send pricing');
    now = new Date(`${day}T09:48:00.000Z`);
    expect(await runBriefStep(deps('survivor'))).toMatchObject({ claimed: 1, sent: 1 });
    expect(posts).toHaveLength(1);
    now = new Date(`${day}T09:50:00.000Z`);
    expect(await runBriefStep(deps('survivor'))).toMatchObject({ claimed: 0 });
  });
});
