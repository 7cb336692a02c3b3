/**
 * One user's primary calendar in the Google stand-in, as Calendar API v3's
 * events.list shows it with singleEvents=true: single events and the
 * occurrences of recurring ones (daily or weekly rules, expanded at the same
 * wall-clock time in the event's time zone, so across a DST change the UTC
 * time moves), exceptions (a moved or cancelled occurrence), a bounded list
 * (timeMin/timeMax) that ends with a nextSyncToken, the changes since a sync
 * token (cancelled ones included), page tokens, and tokens expired (410).
 *
 *   const cal = google.calendar('rep@acme.example')
 *   const id = cal.add({ summary: 'Pricing', start: '2026-11-20T10:00:00', timeZone: 'Asia/Tokyo', minutes: 30, attendees: [{ email: 'kim@customer.test' }] })
 *   cal.moveOccurrence(id, '2026-11-27T01:00:00.000Z', '2026-11-28T10:00:00')
 */
import { apiError, type Answer } from './google-stand-in-mailbox.js';

export interface StandInEventInput {
  id?: string;
  iCalUID?: string;
  summary?: string;
  description?: string;
  location?: string;
  hangoutLink?: string;
  /** a wall-clock time in timeZone, 'YYYY-MM-DDTHH:mm:ss' */
  start: string;
  timeZone?: string;
  minutes?: number;
  /** the organizer (default: the calendar's owner) */
  organizer?: string;
  attendees?: { email: string; responseStatus?: 'accepted' | 'declined' | 'tentative' | 'needsAction'; displayName?: string }[];
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  /** 'DAILY' | 'WEEKLY', and how many occurrences */
  repeat?: { freq: 'DAILY' | 'WEEKLY'; count: number };
}

export interface StandInCalendar {
  add(e: StandInEventInput): string;
  /** changes a whole event (every occurrence of a series) */
  update(id: string, patch: Partial<StandInEventInput>): void;
  /** the event (or the whole series) is deleted */
  cancel(id: string): void;
  /** one occurrence of a series, named by its original start (UTC ISO), moved to a new wall-clock start */
  moveOccurrence(id: string, originalStart: string, start: string): void;
  cancelOccurrence(id: string, originalStart: string): void;
  /** every sync token given so far now answers 410 */
  expireSyncTokens(): void;
  /** occurrences as a full list would count them, cancelled ones left out */
  size(): number;
}

interface Master extends StandInEventInput {
  id: string;
  version: number;
  cancelled: boolean;
  exceptions: Map<string, { start?: string; cancelled?: boolean; version: number }>;
}

const DAY = 86_400_000;
let counter = 0;

/** The offset of a time zone at an instant, in minutes east of UTC. */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
export function offsetMinutes(timeZone: string, at: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

/** A wall-clock time in a zone, as an instant: '2026-11-01T10:00:00' in America/New_York = 15:00Z (EST). */
export function zonedToUtc(local: string, timeZone: string): number {
  const wall = Date.parse(`${local}Z`);
  let at = wall - offsetMinutes(timeZone, wall) * 60_000;
  at = wall - offsetMinutes(timeZone, at) * 60_000;
  return at;
}

/** Google's dateTime: the instant in the event's zone with its offset, '2026-11-01T10:00:00-05:00'. */
function zoned(at: number, timeZone: string): string {
  const off = offsetMinutes(timeZone, at);
  const local = new Date(at + off * 60_000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const compact = (at: number) =>
  new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export class CalendarStore implements StandInCalendar {
  private readonly masters = new Map<string, Master>();
  private seq = 1;
  private expiredBelow = 0;

  constructor(private readonly owner: string) {}

  add(e: StandInEventInput): string {
    const id = e.id ?? `ev${(++counter).toString(36)}${Date.now().toString(36)}`;
    this.masters.set(id, { ...e, id, version: ++this.seq, cancelled: false, exceptions: new Map() });
    return id;
  }
  update(id: string, patch: Partial<StandInEventInput>): void {
    const m = this.get(id);
    Object.assign(m, patch, { version: ++this.seq });
  }
  cancel(id: string): void {
    Object.assign(this.get(id), { cancelled: true, version: ++this.seq });
  }
  moveOccurrence(id: string, originalStart: string, start: string): void {
    this.get(id).exceptions.set(new Date(originalStart).toISOString(), { start, version: ++this.seq });
  }
  cancelOccurrence(id: string, originalStart: string): void {
    this.get(id).exceptions.set(new Date(originalStart).toISOString(), { cancelled: true, version: ++this.seq });
  }
  expireSyncTokens(): void {
    this.expiredBelow = this.seq + 1;
  }
  size(): number {
    return this.instances().filter((i) => i.status !== 'cancelled').length;
  }

  private get(id: string): Master {
    const m = this.masters.get(id);
    if (!m) throw new Error(`the stand-in calendar has no event ${id}`);
    return m;
  }

  private cache: { seq: number; list: (Record<string, unknown> & { version: number; from: number; to: number; status: string })[] } | undefined;

  /** Every occurrence, as events.list with singleEvents=true gives it, with the version it last changed at and its span (expanded again only after a change). */
  private instances(): (Record<string, unknown> & { version: number; from: number; to: number; status: string })[] {
    if (this.cache?.seq !== this.seq) this.cache = { seq: this.seq, list: this.expand() };
    return this.cache.list;
  }

  private expand(): (Record<string, unknown> & { version: number; from: number; to: number; status: string })[] {
    const out: (Record<string, unknown> & { version: number; from: number; to: number; status: string })[] = [];
    for (const m of this.masters.values()) {
      const tz = m.timeZone ?? 'UTC';
      const length = (m.minutes ?? 60) * 60_000;
      const organizer = (m.organizer ?? this.owner).toLowerCase();
      const body = {
        kind: 'calendar#event',
        etag: `"${m.version}"`,
        iCalUID: m.iCalUID ?? `${m.id}@google.com`,
        summary: m.summary,
        description: m.description,
        location: m.location,
        hangoutLink: m.hangoutLink,
        htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(m.id).toString('base64url')}`,
        visibility: m.visibility ?? 'default',
        organizer: { email: organizer, ...(organizer === this.owner ? { self: true } : {}) },
        attendees: (m.attendees ?? []).map((a) => ({
          email: a.email,
          responseStatus: a.responseStatus ?? 'needsAction',
          ...(a.displayName ? { displayName: a.displayName } : {}),
          ...(a.email.toLowerCase() === organizer ? { organizer: true } : {}),
          ...(a.email.toLowerCase() === this.owner ? { self: true } : {}),
        })),
      };
      if (!m.repeat) {
        const from = zonedToUtc(m.start, tz);
        out.push({
          ...body,
          id: m.id,
          status: m.cancelled ? 'cancelled' : 'confirmed',
          start: { dateTime: zoned(from, tz), timeZone: tz },
          end: { dateTime: zoned(from + length, tz), timeZone: tz },
          version: m.version,
          from,
          to: from + length,
        });
        continue;
      }
      const step = m.repeat.freq === 'DAILY' ? 1 : 7;
      const [date, time] = m.start.split('T') as [string, string];
      for (let k = 0; k < m.repeat.count; k++) {
        const day = new Date(Date.parse(`${date}T00:00:00Z`) + k * step * DAY).toISOString().slice(0, 10);
        const original = zonedToUtc(`${day}T${time}`, tz);
        const ex = m.exceptions.get(new Date(original).toISOString());
        const from = ex?.start ? zonedToUtc(ex.start, tz) : original;
        out.push({
          ...body,
          id: `${m.id}_${compact(original)}`,
          recurringEventId: m.id,
          originalStartTime: { dateTime: zoned(original, tz), timeZone: tz },
          status: m.cancelled || ex?.cancelled ? 'cancelled' : 'confirmed',
          start: { dateTime: zoned(from, tz), timeZone: tz },
          end: { dateTime: zoned(from + length, tz), timeZone: tz },
          version: Math.max(m.version, ex?.version ?? 0),
          from,
          to: from + length,
        });
      }
    }
    return out.sort((x, y) => x.from - y.from || String(x.id).localeCompare(String(y.id)));
  }

  /** GET /calendar/v3/calendars/{calendarId}/events */
  list(q: URLSearchParams): Answer {
    if (q.get('singleEvents') !== 'true') return apiError(400, 'INVALID_ARGUMENT', 'invalid', 'the stand-in lists occurrences only: singleEvents=true');
    const max = Math.min(2500, Number(q.get('maxResults') ?? 250));
    let state: { sync?: number; min?: number; max?: number; offset: number; snapshot: number };
    const pageToken = q.get('pageToken');
    if (pageToken) {
      state = JSON.parse(Buffer.from(pageToken, 'base64url').toString());
    } else if (q.get('syncToken')) {
      if (q.get('timeMin') || q.get('timeMax')) return apiError(400, 'INVALID_ARGUMENT', 'invalid', 'syncToken cannot be used with timeMin or timeMax');
      const m = /^s(\d+)$/.exec(Buffer.from(q.get('syncToken')!, 'base64url').toString());
      if (!m) return apiError(400, 'INVALID_ARGUMENT', 'invalid', 'Invalid sync token value.');
      state = { sync: Number(m[1]), offset: 0, snapshot: this.seq };
    } else {
      state = {
        ...(q.get('timeMin') ? { min: Date.parse(q.get('timeMin')!) } : {}),
        ...(q.get('timeMax') ? { max: Date.parse(q.get('timeMax')!) } : {}),
        offset: 0,
        snapshot: this.seq,
      };
    }
    if (state.sync !== undefined && state.sync < this.expiredBelow) {
      return {
        status: 410,
        body: {
          error: {
            code: 410,
            message: 'Sync token is no longer valid, a full sync is required.',
            errors: [{ domain: 'calendar', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }],
          },
        },
      };
    }
    const all = this.instances().filter((i) =>
      state.sync !== undefined
        ? i.version > state.sync && i.version <= state.snapshot
        : i.status !== 'cancelled' && (state.min === undefined || i.to > state.min) && (state.max === undefined || i.from < state.max),
    );
    const page = all.slice(state.offset, state.offset + max).map(({ version: _v, from: _f, to: _t, ...rest }) =>
      rest.status === 'cancelled'
        ? {
            kind: 'calendar#event',
            id: rest.id,
            status: 'cancelled',
            ...(rest.recurringEventId ? { recurringEventId: rest.recurringEventId, originalStartTime: rest.originalStartTime } : {}),
          }
        : rest,
    );
    const more = state.offset + max < all.length;
    return {
      status: 200,
      body: {
        kind: 'calendar#events',
        summary: this.owner,
        timeZone: 'UTC',
        items: page,
        ...(more
          ? { nextPageToken: Buffer.from(JSON.stringify({ ...state, offset: state.offset + max })).toString('base64url') }
          : { nextSyncToken: Buffer.from(`s${state.snapshot}`).toString('base64url') }),
      },
    };
  }
}
