import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { digestBlocks } from '../../slack-app/digest/blocks.js';
import { connectWithCalendar, standInSettings, syncAll } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

const DAY = 86_400_000;
/** 15:00 on the Tokyo calendar day `days` from today, as a wall-clock time for the stand-in. */
const tokyoAt15 = (days: number) => `${new Date(Date.now() + 9 * 3_600_000 + days * DAY).toISOString().slice(0, 10)}T15:00:00`;

/**
 * The manager's digest with Calendar sync (issue 17): "Customer meetings
 * today" by rep, from the team's calendars, and yesterday's meetings held
 * counted apart from calls; rendered in Slack in English and Japanese.
 */
describe('the digest with Calendar sync', () => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let google: GoogleStandIn;
  let gmail: GmailSettings;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...t.handlers);
    google = await startGoogleStandIn();
    gmail = standInSettings(google);
    app = createApp({ db: t.db, gmail });
    a = await makeWorkspace(t.sql, t.db, { autoCreate: 'off' });
    // the meetings are placed on the Tokyo calendar day, so the reps live
    // there too: with a rep on UTC, "today" differs from Tokyo's from 15:00
    // UTC on, and the rep's own digest would rightly leave the meeting out
    await t.sql.query(`update crm.members set timezone = 'Asia/Tokyo' where id = any($1)`, [[a.rep.id, a.rep2.id]]);
    await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] });
    const kim = { email: 'kim@customer.test', responseStatus: 'accepted' as const };
    const zone = { timeZone: 'Asia/Tokyo' };
    const rep = google.calendar(a.rep.email);
    rep.add({ ...zone, summary: 'Demo', start: tokyoAt15(0), attendees: [kim] });
    rep.add({ ...zone, summary: 'Team', start: tokyoAt15(0), attendees: [{ email: a.rep2.email }] });
    rep.add({ ...zone, summary: 'Pricing', start: tokyoAt15(-1), attendees: [kim] });
    google.calendar(a.rep2.email).add({ ...zone, summary: 'Renewal', start: tokyoAt15(0), minutes: 30, attendees: [kim] });
    await connectWithCalendar(app, google, a.rep.token, a.rep.email);
    await connectWithCalendar(app, google, a.rep2.token, a.rep2.email);
    await syncAll(t, gmail);
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it("lists the team's customer meetings today by rep, and counts yesterday's held apart from calls", async () => {
    const res = await caller(app, a.manager.token)('GET', '/api/me/digest');
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.meetingsToday.total).toBe(2);
    expect(
      d.meetingsToday.byRep
        .map((g: { rep: { name: string }; items: { title: string; contacts: { name: string }[] }[] }) => [
          g.rep.name,
          g.items.map((x) => [x.title, x.contacts.map((c) => c.name)]),
        ])
        .sort(),
    ).toEqual(
      [
        [a.rep.name, [['Demo', ['Kim Customer']]]],
        [a.rep2.name, [['Renewal', ['Kim Customer']]]],
      ].sort(),
    );
    expect(d.yesterday.find((y: { rep: { id: string } }) => y.rep.id === a.rep.id)).toMatchObject({ meetings: 1, calls: 0 });
    expect(d.empty).toBe(false);
    // a rep's own digest has their own meetings only
    const own = (await caller(app, a.rep2.token)('GET', '/api/me/digest')).body;
    expect(own.meetingsToday.byRep.map((g: { rep: { id: string } }) => g.rep.id)).toEqual([a.rep2.id]);

    const en = JSON.stringify(digestBlocks(d, { now: new Date().toISOString() }).blocks);
    expect(en).toContain('Customer meetings today (2)');
    expect(en).toContain('3:00 PM Demo');
    expect(en).toContain('1 customer meeting held');
    const ja = JSON.stringify(digestBlocks({ ...d, reader: { ...d.reader, locale: 'ja' } }, { now: new Date().toISOString() }).blocks);
    expect(ja).toContain('今日の顧客ミーティング（2 件）');
    expect(ja).toContain('顧客ミーティング 1 件');
    expect(ja).toContain('15:00 Demo');
  });
});
