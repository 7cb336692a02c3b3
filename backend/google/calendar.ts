/**
 * Reading a member's primary calendar for the sync worker, one page at a
 * time, through `googleapis` (loaded only when a reader is made): first a
 * bounded full sync (a window of days back and ahead, occurrences of
 * recurring events expanded), then the changes since, by Google's sync
 * token. Events arrive as the SQL keeps them (api.calendar_page).
 *
 *   const reader = await calendarReader({ kind: 'oauth', app, refreshToken })
 *   let cursor: CalendarCursor = {}
 *   for (;;) { const page = await fetchEvents(reader, cursor, { now: new Date() }); store(page); cursor = page.next; if (!page.more) break }
 */
import type { calendar_v3 } from 'googleapis';
import { type GmailAuth, tokenSource } from './gmail.js';
import { NotFound, withRetries } from './retry.js';

export { GoogleAccessLost, GoogleUnavailable } from './errors.js';

/** Google answered 410: the sync token is too old, a bounded full sync must start again. A NotFound, so the backoff passes it on untouched. */
export class SyncTokenExpired extends NotFound {
  readonly syncTokenExpired = true;
}

export interface CalendarCursor {
  /** a full sync under way: its window */
  timeMin?: string;
  timeMax?: string;
  /** the changes since this token */
  syncToken?: string;
  pageToken?: string;
  /** the end of the last full sync's window: a new one starts when it comes near */
  windowEnd?: string;
}

export interface CalendarAttendee {
  email: string;
  name?: string;
  role: 'organizer' | 'accepted' | 'tentative' | 'declined' | 'invited';
}

export type SyncedEvent =
  | { eventId: string; status: 'cancelled' }
  | {
      eventId: string;
      status: 'confirmed';
      /** iCalUID, and '|' and the original start for an occurrence of a series: the same for every attendee's copy, and across moves */
      key: string;
      start: string;
      end: string;
      title?: string;
      description?: string;
      location?: string;
      conferenceUrl?: string;
      htmlLink?: string;
      selfResponse?: 'accepted' | 'tentative' | 'declined' | 'needsAction';
      private: boolean;
      attendees: CalendarAttendee[];
    };

export interface CalendarPage {
  events: SyncedEvent[];
  next: CalendarCursor;
  /** the first page of a full sync */
  fullStart: boolean;
  /** the last page of a full sync: what it did not see in window was deleted */
  fullDone: boolean;
  window?: { timeMin: string; timeMax: string };
  /** another page follows at once */
  more: boolean;
}

export interface CalendarReader {
  list(params: calendar_v3.Params$Resource$Events$List): Promise<calendar_v3.Schema$Events>;
}

const DAY = 86_400_000;

/** A reader of one member's calendars, with our own backoff (retry.ts); nothing is fetched until asked. */
export async function calendarReader(auth: GmailAuth, o: { maxAttempts?: number; sleep?: (ms: number) => Promise<void>; timeoutMs?: number } = {}) {
  const { google } = await import('googleapis');
  const apiUrl = auth.kind === 'oauth' ? auth.app.apiUrl : auth.endpoints.apiUrl;
  const calendar = google.calendar({ version: 'v3', ...(apiUrl ? { rootUrl: apiUrl.replace(/\/?$/, '/') } : {}) });
  const newClient = await tokenSource(auth);
  let client = newClient();
  const timeout = o.timeoutMs ?? 60_000;
  const reader: CalendarReader = {
    list: (params) =>
      withRetries(
        'Calendar events.list',
        async () => {
          const { token } = await client.getAccessToken();
          if (!token) throw new Error('google-auth-library gave no access token');
          try {
            return (await calendar.events.list(params, { headers: { authorization: `Bearer ${token}` }, retry: false, timeout })).data;
          } catch (e) {
            if ((e as { response?: { status?: number } }).response?.status === 410) throw new SyncTokenExpired('Calendar: the sync token expired');
            throw e;
          }
        },
        {
          ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
          ...(o.sleep ? { sleep: o.sleep } : {}),
          renew: () => {
            client = newClient();
          },
        },
      ),
  };
  return reader;
}

/**
 * The next page from `cursor`: an empty cursor (or a window coming within
 * refreshDays of its end) starts a full sync of backDays..aheadDays around
 * now. SyncTokenExpired when Google no longer knows the token.
 */
export async function fetchEvents(
  reader: CalendarReader,
  cursor: CalendarCursor,
  o: { now: Date; backDays?: number; aheadDays?: number; refreshDays?: number; pageSize?: number },
): Promise<CalendarPage> {
  const now = o.now.getTime();
  const maxResults = Math.min(2500, Math.max(1, o.pageSize ?? 250));
  const stale = cursor.syncToken && !cursor.pageToken && cursor.windowEnd && Date.parse(cursor.windowEnd) - now < (o.refreshDays ?? 30) * DAY;
  if (!cursor.syncToken || stale) {
    const fullStart = !cursor.timeMin || Boolean(stale);
    const timeMin = fullStart ? new Date(now - (o.backDays ?? 90) * DAY).toISOString() : cursor.timeMin!;
    const timeMax = fullStart ? new Date(now + (o.aheadDays ?? 60) * DAY).toISOString() : cursor.timeMax!;
    const res = await reader.list({
      calendarId: 'primary',
      singleEvents: true,
      timeMin,
      timeMax,
      maxResults,
      ...(!fullStart && cursor.pageToken ? { pageToken: cursor.pageToken } : {}),
    });
    const events = (res.items ?? []).map(toSynced);
    if (res.nextPageToken) return { events, next: { timeMin, timeMax, pageToken: res.nextPageToken }, fullStart, fullDone: false, more: true };
    if (!res.nextSyncToken) throw new Error("Calendar's last page carries no nextSyncToken");
    return { events, next: { syncToken: res.nextSyncToken, windowEnd: timeMax }, fullStart, fullDone: true, window: { timeMin, timeMax }, more: false };
  }
  const res = await reader.list({
    calendarId: 'primary',
    singleEvents: true,
    maxResults,
    ...(cursor.pageToken ? { pageToken: cursor.pageToken } : { syncToken: cursor.syncToken }),
  });
  const events = (res.items ?? []).map(toSynced);
  const keep = cursor.windowEnd ? { windowEnd: cursor.windowEnd } : {};
  if (res.nextPageToken)
    return { events, next: { syncToken: cursor.syncToken, pageToken: res.nextPageToken, ...keep }, fullStart: false, fullDone: false, more: true };
  return { events, next: { syncToken: res.nextSyncToken ?? cursor.syncToken, ...keep }, fullStart: false, fullDone: false, more: false };
}

const ROLE: Record<string, CalendarAttendee['role']> = { accepted: 'accepted', tentative: 'tentative', declined: 'declined', needsAction: 'invited' };

/**
 * An event as the SQL keeps it. A cancelled one, and an all-day one (not a
 * meeting), is only its id: whatever was kept of it goes. A private one keeps
 * nothing but its times.
 *   toSynced({ id: 'e1', iCalUID: 'u1@google.com', status: 'confirmed', start: { dateTime: '2026-12-01T10:00:00+09:00' }, … }).key = 'u1@google.com'
 *   toSynced({ id: 'e1_20261201T010000Z', iCalUID: 'u1@google.com', originalStartTime: { dateTime: '2026-12-01T10:00:00+09:00' }, … }).key = 'u1@google.com|2026-12-01T01:00:00.000Z'
 */
export function toSynced(e: calendar_v3.Schema$Event): SyncedEvent {
  const eventId = e.id ?? '';
  if (e.status === 'cancelled' || !e.start?.dateTime || !e.end?.dateTime) return { eventId, status: 'cancelled' };
  const start = new Date(e.start.dateTime).toISOString();
  const end = new Date(e.end.dateTime).toISOString();
  const original = e.originalStartTime?.dateTime ?? e.originalStartTime?.date;
  const key = `${e.iCalUID ?? eventId}${original ? `|${new Date(original).toISOString()}` : ''}`.slice(0, 1000);
  const self = (e.attendees ?? []).find((a) => a.self);
  const selfResponse = self?.responseStatus as 'accepted' | 'tentative' | 'declined' | 'needsAction' | undefined;
  const isPrivate = e.visibility === 'private' || e.visibility === 'confidential';
  if (isPrivate) return { eventId, status: 'confirmed', key, start, end, private: true, attendees: [], ...(selfResponse ? { selfResponse } : {}) };
  const organizer = e.organizer?.email?.toLowerCase();
  const attendees: CalendarAttendee[] = [];
  if (organizer) attendees.push({ email: organizer, role: 'organizer', ...(e.organizer?.displayName ? { name: e.organizer.displayName } : {}) });
  for (const a of e.attendees ?? []) {
    const email = a.email?.toLowerCase();
    if (!email || a.resource || email === organizer) continue;
    attendees.push({ email, role: ROLE[a.responseStatus ?? 'needsAction'] ?? 'invited', ...(a.displayName ? { name: a.displayName.slice(0, 300) } : {}) });
  }
  const conferenceUrl = e.hangoutLink ?? e.conferenceData?.entryPoints?.find((p) => p.entryPointType === 'video')?.uri ?? undefined;
  const description = trimDescription(e.description);
  return {
    eventId,
    status: 'confirmed',
    key,
    start,
    end,
    private: false,
    attendees: attendees.slice(0, 500),
    ...(e.summary ? { title: e.summary.slice(0, 1000) } : {}),
    ...(description ? { description } : {}),
    ...(e.location ? { location: e.location.slice(0, 1000) } : {}),
    ...(conferenceUrl ? { conferenceUrl: conferenceUrl.slice(0, 2000) } : {}),
    ...(e.htmlLink ? { htmlLink: e.htmlLink.slice(0, 2000) } : {}),
    ...(selfResponse ? { selfResponse } : {}),
  };
}

/**
 * An event's description as a note: tags out, entities read, Google's
 * "Join with Google Meet" block cut, blank lines folded, at most 2,000 characters.
 *   trimDescription('<b>Agenda</b><br>1. Price<br><br><br>-::~:~::~:~::-\nJoin with Google Meet: …') = 'Agenda\n1. Price'
 */
export function trimDescription(html: string | null | undefined): string | undefined {
  if (!html) return undefined;
  const text = html
    .split(/-::~:~::~/)[0]!
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (!text) return undefined;
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
