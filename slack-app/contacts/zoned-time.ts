/**
 * Wall-clock dates and times in a member's time zone, with Intl only. Slack's
 * datepicker and timepicker hand back '2026-03-08' and '09:30' with no zone;
 * Rapport stores instants, so the two have to meet here.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether timeZone is an IANA name Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock at t in timeZone, as if it were UTC (ms). */
function wallClock(t: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(t);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** How far timeZone is ahead of UTC at t, in ms (Tokyo: +9 h). */
function offsetAt(t: number, timeZone: string): number {
  return wallClock(Math.floor(t / 1000) * 1000, timeZone) - Math.floor(t / 1000) * 1000;
}

/**
 * The calendar date as a UTC midnight (ms), or null if it is no real date.
 *   parseDate('2026-02-30') = null
 */
function parseDate(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t;
}

function parseTime(time: string): number | null {
  const m = TIME.exec(time);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h < 24 && mi < 60 ? (h * 60 + mi) * MINUTE : null;
}

/**
 * The instant (ISO, UTC) a wall-clock date and time name in timeZone, or null
 * when the date, time or zone is not valid. Like Temporal's 'compatible': a
 * time skipped by a DST change moves forward by the gap, a time that happens
 * twice is the earlier one.
 *   zonedToUtc('2026-03-08', '09:30', 'America/New_York') = '2026-03-08T13:30:00.000Z'
 *   zonedToUtc('2026-03-08', '02:30', 'America/New_York') = '2026-03-08T07:30:00.000Z' (03:30 EDT)
 *   zonedToUtc('2026-12-01', '09:00', 'Asia/Tokyo') = '2026-12-01T00:00:00.000Z'
 */
export function zonedToUtc(date: string, time: string, timeZone: string): string | null {
  const day = parseDate(date);
  const clock = parseTime(time);
  if (day === null || clock === null || !isTimeZone(timeZone)) return null;
  const wall = day + clock;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const fits = [before, after].map((o) => wall - o).filter((t) => offsetAt(t, timeZone) === wall - t);
  const t = fits.length ? Math.min(...fits) : wall - before;
  return new Date(t).toISOString();
}

/**
 * The wall-clock date and time of an instant in timeZone.
 *   zonedParts(Date.parse('2026-12-01T00:00:00Z'), 'Asia/Tokyo') = { date: '2026-12-01', time: '09:00' }
 */
export function zonedParts(t: number, timeZone: string): { date: string; time: string } {
  const iso = new Date(wallClock(t, timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * The calendar date days after date.
 *   addDays('2026-12-31', 1) = '2027-01-01'
 */
export function addDays(date: string, days: number): string {
  const t = parseDate(date);
  if (t === null) throw new Error(`not a date: ${date}`);
  return new Date(t + days * DAY).toISOString().slice(0, 10);
}
