import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { connectWithCalendar, meetings, standInSettings, syncAll, wall } from '../support/calendar-sync-setup.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Calendar sync when Google is not as hoped (issue 17): a 503 is retried and
 * nothing is lost; a calendar permission taken away is said in the member's
 * words beside a mailbox that keeps syncing; a consent that left the calendar
 * unticked turns nothing on.
 */
describe('Calendar sync faults', () => {
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
    await caller(app, a.admin.token)('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] });
  });
  afterAll(async () => {
    network?.close();
    await google?.close();
    await t?.close();
  });

  it('retries a 503 and captures everything', async () => {
    google.calendar(a.rep.email).add({ summary: 'After a hiccup', start: wall(-1), attendees: [{ email: 'kim@customer.test' }] });
    await connectWithCalendar(app, google, a.rep.token, a.rep.email);
    google.fail({ path: /^\/calendar\//, status: 503, times: 1 });
    await syncAll(t, gmail);
    expect((await meetings(t, a.id)).map((r) => r.subject)).toEqual(['After a hiccup']);
    expect((await caller(app, a.rep.token)('GET', '/api/me/mailbox')).body.calendar).toMatchObject({ status: 'active', lastError: null });
  });

  it("says in the member's language that the calendar permission is missing, and the mailbox is untouched", async () => {
    google.fail({ path: /^\/calendar\//, status: 403, times: 1, reason: 'insufficientPermissions' });
    await syncAll(t, gmail);
    await t.sql.query(`update crm.members set locale = 'ja' where id = $1`, [a.rep.id]);
    const res = await caller(app, a.rep.token)('GET', '/api/me/mailbox');
    expect(res.body.calendar.lastError).toContain('カレンダーの読み取り権限');
    expect(res.body.status).not.toBe('reconnect');
    expect(res.body.lastError).toBeNull();
  });

  it('turns nothing on when the consent left the calendar unticked', async () => {
    google.consentAs(a.rep2.email, {
      scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'openid', 'email'],
    });
    const connect = await caller(app, a.rep2.token)('POST', '/api/me/mailbox', { calendar: true });
    const back = new URL((await fetch(connect.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!);
    expect((await app.request(`${back.pathname}${back.search}`)).status).toBe(200);
    const s = (await caller(app, a.rep2.token)('GET', '/api/me/mailbox')).body;
    expect(s).toMatchObject({ connected: true, calendar: { enabled: true, granted: false, status: 'off' } });
  });
});
