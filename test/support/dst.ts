/**
 * Days on which a time zone's offset changes, computed from now (never a
 * date written down, which would pass into the past), and the wall-clock
 * minute of an instant, for tests of what happens at a local minute on a
 * DST change day.
 */
import { offsetMinutes, zonedToUtc } from './google-stand-in-calendar.js';

const DAY = 86_400_000;

/**
 * The local dates ('YYYY-MM-DD') in the next `days` days after `from` whose
 * offset at their end differs from their start: the change days, each with
 * the way it goes ('forward': clocks go forward, the day has 23 hours).
 *   offsetChangeDays('America/New_York', 400, Date.parse('2026-12-03')) =
 *     [{ date: '2027-03-14', way: 'forward' }, { date: '2027-11-07', way: 'back' }]
 */
export function offsetChangeDays(timeZone: string, days: number, from = Date.now()): { date: string; way: 'forward' | 'back' }[] {
  const out: { date: string; way: 'forward' | 'back' }[] = [];
  for (let k = 1; k <= days; k++) {
    const date = new Date(from + k * DAY).toISOString().slice(0, 10);
    const start = offsetMinutes(timeZone, zonedToUtc(`${date}T00:00:00`, timeZone));
    const end = offsetMinutes(timeZone, zonedToUtc(`${date}T23:59:00`, timeZone));
    if (start !== end) out.push({ date, way: end > start ? 'forward' : 'back' });
  }
  return out;
}

/** The wall-clock minute of an instant in a zone: '08:45'. */
export const localMinute = (at: string | number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));

/** The local date and minute of the day of an instant in a zone: { date: '2026-12-04', minutes: 525 } (08:45). */
export function localWall(at: number, timeZone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The local date before or after 'YYYY-MM-DD'. */
export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
