import type { createApp } from '../../backend/app.js';
import type { Db } from '../../backend/db/port.js';
import { runCalendarStep } from '../../backend/google/calendar-sync.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import type { TestDb } from './databases.js';
import type { GoogleStandIn } from './google-stand-in.js';
import { caller } from './http.js';

export const PUBLIC = 'http://rapport.test';
const DAY = 86_400_000;

/** Gmail and Calendar sync settings pointing at the stand-in. */
export function standInSettings(google: GoogleStandIn, o: { keyFile?: string } = {}): GmailSettings {
  return {
    serverKey: Buffer.alloc(32, 7),
    publicUrl: PUBLIC,
    oauth: {
      clientId: 'stand-in-client.apps.googleusercontent.com',
      clientSecret: 'stand-in-secret',
      redirectUri: `${PUBLIC}/google/oauth_callback`,
      apiUrl: `${google.url}/`,
      oauthUrl: google.url,
    },
    ...(o.keyFile ? { delegation: { keyFile: o.keyFile } } : {}),
    endpoints: { apiUrl: `${google.url}/`, oauthUrl: google.url },
    importDays: 90,
    pollSeconds: 120,
    quotaUnitsPerSecond: 100_000,
  };
}

/** A wall-clock time `days` from now, in UTC, to the minute: what StandInEventInput.start takes. */
export function wall(days: number, base = Date.now()): string {
  return new Date(Math.floor((base + days * DAY) / 60_000) * 60_000).toISOString().slice(0, 19);
}

/** A member connects Gmail and Calendar through the stand-in's consent, as the App Home's button does. */
export async function connectWithCalendar(app: ReturnType<typeof createApp>, google: GoogleStandIn, token: string, email: string) {
  google.consentAs(email);
  const connect = await caller(app, token)('POST', '/api/me/mailbox', { calendar: true });
  if (connect.status !== 200) throw new Error(`connect: ${connect.status} ${JSON.stringify(connect.body)}`);
  const consent = await fetch(connect.body.authorizeUrl, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  const page = await app.request(`${back.pathname}${back.search}`);
  if (page.status !== 200) throw new Error(`consent: ${page.status} ${await page.text()}`);
  return new URL(connect.body.authorizeUrl);
}

/** Passes until no calendar is due (each calendar made due first), as the loop would run them. */
export async function syncAll(
  t: TestDb,
  gmail: GmailSettings,
  o: { workerId?: string; db?: Db; pageSize?: number; due?: boolean; backDays?: number; aheadDays?: number } = {},
) {
  if (o.due !== false) await t.sql.query(`update crm.calendars set due_at = now() where status <> 'off' and lease_owner is null`);
  let captured = 0;
  for (let n = 0; n < 100; n++) {
    const pass = await runCalendarStep({
      db: o.db ?? t.db,
      gmail,
      workerId: o.workerId ?? 'worker-1',
      pageSize: o.pageSize ?? 4,
      pageBudget: 3,
      ...(o.backDays ? { backDays: o.backDays } : {}),
      ...(o.aheadDays ? { aheadDays: o.aheadDays } : {}),
    });
    captured += pass.captured;
    if (pass.claimed === 0) return captured;
  }
  throw new Error('calendar sync did not settle in 100 passes');
}

export interface MeetingRow {
  id: string;
  subject: string;
  occurred_at: string;
  external_id: string;
  deleted_at: string | null;
  direction: string;
}

export async function meetings(t: TestDb, workspaceId: string, o: { withDeleted?: boolean } = {}): Promise<MeetingRow[]> {
  const rows = await t.sql.query<MeetingRow>(
    `select id, subject, occurred_at, external_id, deleted_at, direction from crm.interactions
     where workspace_id = $1 and kind = 'meeting' and source = 'calendar' ${o.withDeleted ? '' : 'and deleted_at is null'}
     order by occurred_at, external_id`,
    [workspaceId],
  );
  return rows.map((r) => ({ ...r, occurred_at: new Date(r.occurred_at).toISOString() }));
}
