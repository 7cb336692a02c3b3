import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { Db } from '../../backend/db/port.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { connectWithCalendar, meetings, standInSettings, syncAll, wall } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Calendar sync end to end (issue 17): the real googleapis and
 * google-auth-library clients against the Calendar and OAuth stand-in on
 * loopback, the backend's routes and worker on a real database. Consent for
 * both scopes, the first window, what is and is not a meeting with a
 * customer, two members at one meeting, moves, cancellations, recurring
 * series with exceptions, an expired sync token, a copy killed mid-sync,
 * delegation, disconnecting.
 */
describe.each(['pglite', 'postgres'] as const)('Calendar sync on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  const ids: Record<string, string> = {};
  const weeklyStart = wall(-20);
  const pricingStart = wall(-10);
  const occurrence = (k: number) => new Date(Date.parse(`${weeklyStart}Z`) + k * 7 * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    const keyFile = join(await mkdtemp(join(tmpdir(), 'rapport-cal-')), 'service-account.json');
    await google.delegationKeyFile(keyFile);
    gmail = standInSettings(google, { keyFile });
    app = createApp({ db: t.db, gmail });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'off' });
    const admin = caller(app, a.admin.token);
    ids.kim = (await admin('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] })).body.id;
    const cal = google.calendar(a.rep.email);
    const kim = { email: 'kim@customer.test', responseStatus: 'accepted' as const, displayName: 'Kim Customer' };
    ids.pricing = cal.add({
      iCalUID: 'pricing-1@customer.test',
      summary: 'Pricing call',
      description: '<b>Agenda</b><br>1. Price<br><br><br><br>2. Terms\n-::~:~::~:~::~:~::-\nJoin with Google Meet: https://meet.google.com/abc',
      location: 'Room 4',
      hangoutLink: 'https://meet.google.com/abc-defg-hij',
      start: pricingStart,
      minutes: 45,
      organizer: 'kim@customer.test',
      attendees: [kim, { email: a.rep.email, responseStatus: 'accepted' }, { email: a.rep2.email, responseStatus: 'declined' }],
    });
    cal.add({ summary: 'Team sync', start: wall(-5), attendees: [{ email: a.rep2.email, responseStatus: 'accepted' }] });
    cal.add({
      summary: 'Declined by the rep',
      start: wall(-3),
      organizer: 'kim@customer.test',
      attendees: [kim, { email: a.rep.email, responseStatus: 'declined' }],
    });
    cal.add({ summary: 'Private lunch', start: wall(-2), visibility: 'private', attendees: [kim] });
    cal.add({ summary: 'Stranger', start: wall(-4), attendees: [{ email: 'someone@elsewhere.test', responseStatus: 'accepted' }] });
    cal.add({ summary: 'Too old', start: wall(-120), attendees: [kim] });
    ids.weekly = cal.add({ summary: 'Weekly check-in', start: weeklyStart, repeat: { freq: 'WEEKLY', count: 6 }, attendees: [kim] });
    // the second occurrence moved a day later, the fifth cancelled
    cal.moveOccurrence(ids.weekly, occurrence(1), new Date(Date.parse(occurrence(1)) + 86_400_000).toISOString().slice(0, 19));
    cal.cancelOccurrence(ids.weekly, occurrence(4));
    ids.demo = cal.add({ summary: 'Demo', start: wall(2), minutes: 30, attendees: [kim], location: 'Kim HQ' });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it('asks for Gmail and Calendar on one consent page; the calendar then reports its status beside the mailbox', async () => {
    const before = await caller(app, a.rep.token)('GET', '/api/me/mailbox');
    expect(before.body.calendar).toMatchObject({ status: 'off', granted: false });
    const url = await connectWithCalendar(app, google, a.rep.token, a.rep.email);
    const scopes = url.searchParams.get('scope')!.split(' ');
    expect(scopes).toEqual(
      expect.arrayContaining(['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/calendar.events.readonly']),
    );
    const after = await caller(app, a.rep.token)('GET', '/api/me/mailbox');
    expect(after.status).toBe(200);
    expect(after.body.calendar).toMatchObject({ enabled: true, granted: true, status: 'importing', lastError: null });
  });

  it('captures the started meetings with a customer in the window, once each, and none of the others', async () => {
    await syncAll(t, gmail);
    const rows = await meetings(t, a.id);
    expect(rows.map((r) => r.subject)).toEqual(['Weekly check-in', 'Weekly check-in', 'Pricing call', 'Weekly check-in']);
    // the moved occurrence at its new time, keyed by its original start
    expect(rows[1]!.occurred_at).toBe(new Date(Date.parse(occurrence(1)) + 86_400_000).toISOString());
    expect(rows[1]!.external_id).toBe(`${ids.weekly}@google.com|${occurrence(1)}`);
    expect(rows[2]).toMatchObject({ external_id: 'pricing-1@customer.test', direction: 'inbound', occurred_at: `${pricingStart}.000Z` });
    const detail = await caller(app, a.rep.token)('GET', `/api/interactions/${rows[2]!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      kind: 'meeting',
      source: 'calendar',
      subject: 'Pricing call',
      body: 'Agenda\n1. Price\n\n2. Terms',
      url: 'https://meet.google.com/abc-defg-hij',
      capturedBy: [{ member: { id: a.rep.id }, via: 'calendar' }],
    });
    expect(detail.body.participants.map((p: { role: string; email: string }) => [p.role, p.email])).toEqual([
      ['organizer', 'kim@customer.test'],
      ['accepted', a.rep.email],
      ['declined', a.rep2.email],
    ]);
    const status = (await caller(app, a.rep.token)('GET', '/api/me/mailbox')).body.calendar;
    expect(status).toMatchObject({ status: 'active', counts: { captured: 4 } });
    // a held meeting is contact: Kim is not going cold for the rep's manager (the meeting is private, so the
    // last-interaction time others see stays where it was), while a customer nobody met is
    const control = (await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Cora Control', emails: ['cora@customer.test'] })).body.id;
    await t.sql.query(
      `update crm.contacts set stage = 'customer', owner_id = $2, last_interaction_at = now() - interval '40 days', created_at = now() - interval '90 days' where id = any($1)`,
      [[ids.kim, control], a.rep.id],
    );
    const digest = await caller(app, a.manager.token)('GET', '/api/me/digest');
    const cold = digest.body.goingCold.items.map((x: { contact: { id: string } }) => x.contact.id);
    expect(cold).toContain(control);
    expect(cold).not.toContain(ids.kim);
  });

  it('gives one interaction for a meeting in two members\u2019 calendars, with both as capturers', async () => {
    google.calendar(a.rep2.email).add({
      iCalUID: 'pricing-1@customer.test',
      summary: 'Pricing call',
      start: pricingStart,
      minutes: 45,
      organizer: 'kim@customer.test',
      attendees: [
        { email: 'kim@customer.test', responseStatus: 'accepted' },
        { email: a.rep2.email, responseStatus: 'accepted' },
      ],
    });
    await connectWithCalendar(app, google, a.rep2.token, a.rep2.email);
    await syncAll(t, gmail);
    const rows = (await meetings(t, a.id)).filter((r) => r.subject === 'Pricing call');
    expect(rows).toHaveLength(1);
    const capturers = await t.sql.query<{ member_id: string; via: string }>(
      'select member_id, via from crm.interaction_capturers where interaction_id = $1 order by captured_at',
      [rows[0]!.id],
    );
    expect(capturers).toEqual([
      { member_id: a.rep.id, via: 'calendar' },
      { member_id: a.rep2.id, via: 'calendar' },
    ]);
  });

  it('moves a meeting that moved, and takes a cancelled one off the timeline once no one\u2019s calendar still has it', async () => {
    const cal = google.calendar(a.rep.email);
    const [pricing] = (await meetings(t, a.id)).filter((r) => r.subject === 'Pricing call');
    const later = new Date(Date.parse(pricing!.occurred_at) + 3_600_000);
    cal.update(ids.pricing!, { start: later.toISOString().slice(0, 19) });
    await syncAll(t, gmail);
    const moved = (await meetings(t, a.id)).find((r) => r.id === pricing!.id)!;
    expect(moved.occurred_at).toBe(later.toISOString());
    const audit = await t.sql.query<{ action: string }>(`select action from crm.audit_log where entity_id = $1 order by id`, [pricing!.id]);
    expect(audit.map((x) => x.action)).toEqual(['capture', 'update']);
    // the rep deletes it from their calendar: rep2's copy still stands
    cal.cancel(ids.pricing!);
    await syncAll(t, gmail);
    expect((await meetings(t, a.id)).some((r) => r.id === pricing!.id)).toBe(true);
    // a cancelled occurrence of the series leaves, and the audit keeps what it was
    const weekly = (await meetings(t, a.id)).filter((r) => r.subject === 'Weekly check-in');
    cal.cancelOccurrence(ids.weekly!, occurrence(2));
    await syncAll(t, gmail);
    const left = (await meetings(t, a.id, { withDeleted: true })).find((r) => r.external_id.endsWith(`|${occurrence(2)}`))!;
    expect(left.deleted_at).not.toBeNull();
    expect((await meetings(t, a.id)).filter((r) => r.subject === 'Weekly check-in')).toHaveLength(weekly.length - 1);
    const [deleted] = await t.sql.query<{ before: { subject: string } }>(`select before from crm.audit_log where entity_id = $1 and action = 'delete'`, [
      left.id,
    ]);
    expect(deleted!.before.subject).toBe('Weekly check-in');
    const timeline = await caller(app, a.rep.token)('GET', `/api/contacts/${ids.kim}/timeline`);
    expect(JSON.stringify(timeline.body)).not.toContain(left.id);
  });

  it('captures a meeting when it starts, not before, without Google saying anything new', async () => {
    google
      .calendar(a.rep.email)
      .add({ summary: 'Starts soon', start: new Date(Date.now() + 3000).toISOString().slice(0, 19), attendees: [{ email: 'kim@customer.test' }] });
    await syncAll(t, gmail);
    expect((await meetings(t, a.id)).map((r) => r.subject)).not.toContain('Starts soon');
    await new Promise((r) => setTimeout(r, 3500));
    await syncAll(t, gmail);
    expect((await meetings(t, a.id)).map((r) => r.subject)).toContain('Starts soon');
  });

  it('starts the bounded sync again after a 410, and doubles nothing; what was deleted meanwhile leaves', async () => {
    const before = await meetings(t, a.id);
    const cal = google.calendar(a.rep.email);
    cal.cancelOccurrence(ids.weekly!, occurrence(0));
    cal.expireSyncTokens();
    await syncAll(t, gmail);
    const [row] = await t.sql.query<{ resyncs: number; status: string }>('select resyncs, status from crm.calendars where member_id = $1', [a.rep.id]);
    expect(row).toMatchObject({ resyncs: 1, status: 'active' });
    const after = await meetings(t, a.id);
    expect(after.map((r) => r.id)).toEqual(before.filter((r) => !r.external_id.endsWith(`|${occurrence(0)}`)).map((r) => r.id));
    const [n] = await t.sql.query<{ n: number; d: number }>(
      `select count(*)::int as n, count(distinct external_id)::int as d from crm.interactions where workspace_id = $1 and kind = 'meeting'`,
      [a.id],
    );
    expect(n!.n).toBe(n!.d);
  });

  it('captures under the external policy a meeting with any outsider, never one the member declined', async () => {
    await caller(app, a.rep2.token)('PATCH', '/api/me/mailbox', { policy: 'external' });
    const cal = google.calendar(a.rep2.email);
    cal.add({ summary: 'Cold intro', start: wall(-1), attendees: [{ email: 'new@prospect.test' }, { email: a.rep2.email, responseStatus: 'accepted' }] });
    cal.add({ summary: 'Skipped intro', start: wall(-1), attendees: [{ email: 'new@prospect.test' }, { email: a.rep2.email, responseStatus: 'declined' }] });
    await syncAll(t, gmail);
    const subjects = (await meetings(t, a.id)).map((r) => r.subject);
    expect(subjects).toContain('Cold intro');
    expect(subjects).not.toContain('Skipped intro');
  });

  it('loses and doubles nothing when a copy dies mid-sync: another resumes from the last committed page', async () => {
    const cal = google.calendar(a.manager.email);
    for (let i = 0; i < 30; i++) cal.add({ summary: `Batch ${i}`, start: wall(-30 + i), attendees: [{ email: 'kim@customer.test' }] });
    await connectWithCalendar(app, google, a.manager.token, a.manager.email);
    let pages = 0;
    const dying: Db = {
      ...t.db,
      kind: t.db.kind,
      callAnonymous: async <T>(fn: string, args: object) => {
        if (pages >= 2) throw new Error('killed');
        const out = await t.db.callAnonymous<T>(fn, args);
        if (fn === 'calendar_page') pages += 1;
        return out;
      },
    };
    await expect(syncAll(t, gmail, { workerId: 'doomed', db: dying, pageSize: 5, due: false })).rejects.toThrow('killed');
    const [held] = await t.sql.query<{ lease_owner: string }>('select lease_owner from crm.calendars where member_id = $1', [a.manager.id]);
    expect(held!.lease_owner).toBe('doomed');
    await t.sql.query(`update crm.calendars set lease_until = now() - interval '1 second' where member_id = $1`, [a.manager.id]);
    await syncAll(t, gmail, { workerId: 'survivor', pageSize: 5 });
    const batch = (await meetings(t, a.id)).filter((r) => r.subject.startsWith('Batch '));
    expect(batch).toHaveLength(30);
    expect(new Set(batch.map((r) => r.external_id)).size).toBe(30);
  });

  it("covers calendars with the admin's domain-wide delegation, and stops with the mailbox", async () => {
    google.calendar(a.admin.email).add({ summary: 'Delegated meeting', start: wall(-2), attendees: [{ email: 'kim@customer.test' }] });
    const res = await caller(app, a.admin.token)('POST', '/api/mailboxes/delegated', { memberIds: [a.admin.id], calendar: true });
    expect(res.body).toEqual({ turnedOn: 1 });
    await syncAll(t, gmail);
    expect((await meetings(t, a.id)).map((r) => r.subject)).toContain('Delegated meeting');
    const off = await caller(app, a.admin.token)('DELETE', '/api/me/mailbox');
    expect(off.body.calendar.status).toBe('off');
    // the member turns the calendar off and on again without a new consent
    const rep = caller(app, a.rep.token);
    expect((await rep('PATCH', '/api/me/mailbox', { calendar: false })).body.calendar).toMatchObject({ enabled: false, status: 'off' });
    expect((await rep('PATCH', '/api/me/mailbox', { calendar: true })).body.calendar).toMatchObject({ enabled: true, status: 'active' });
  });
});
