import { describe, expect, it } from 'vitest';
import { addDays, isTimeZone, zonedParts, zonedToUtc } from '../../slack-app/contacts/zoned-time.js';

describe('zonedToUtc: a picked date and time in a member’s zone, as an instant', () => {
  it.each([
    // [date, time, zone, instant]
    ['2026-12-01', '09:00', 'Asia/Tokyo', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01', '00:30', 'Asia/Tokyo', '2026-11-30T15:30:00.000Z'],
    ['2026-12-01', '09:00', 'UTC', '2026-12-01T09:00:00.000Z'],
    ['2026-07-01', '09:00', 'Europe/London', '2026-07-01T08:00:00.000Z'],
    ['2026-03-07', '09:30', 'America/New_York', '2026-03-07T14:30:00.000Z'], // EST, the day before
    ['2026-03-08', '09:30', 'America/New_York', '2026-03-08T13:30:00.000Z'], // EDT, the change day
    ['2026-03-08', '01:59', 'America/New_York', '2026-03-08T06:59:00.000Z'], // still EST
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z'], // first EDT minute
    ['2026-11-01', '09:00', 'America/New_York', '2026-11-01T14:00:00.000Z'], // back to EST
    ['2026-03-29', '09:00', 'Asia/Kolkata', '2026-03-29T03:30:00.000Z'],
    ['2026-03-29', '09:00', 'Asia/Shanghai', '2026-03-29T01:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, instant) => {
    expect(zonedToUtc(date, time, zone)).toBe(instant);
  });

  it('moves a time skipped by the spring change forward by the gap (02:30 New York is 03:30 EDT)', () => {
    expect(zonedToUtc('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the earlier of a time that happens twice in the autumn (01:30 New York is 01:30 EDT)', () => {
    expect(zonedToUtc('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('has no DST in Tokyo: every day of March and November is +09:00', () => {
    for (const day of ['2026-03-08', '2026-03-29', '2026-11-01', '2026-10-25']) {
      expect(zonedToUtc(day, '09:00', 'Asia/Tokyo')).toBe(`${day}T00:00:00.000Z`);
    }
  });

  it.each([
    ['2026-02-30', '09:00', 'Asia/Tokyo'],
    ['2026-13-01', '09:00', 'Asia/Tokyo'],
    ['26-12-01', '09:00', 'Asia/Tokyo'],
    ['', '09:00', 'Asia/Tokyo'],
    ['2026-12-01', '24:00', 'Asia/Tokyo'],
    ['2026-12-01', '09:60', 'Asia/Tokyo'],
    ['2026-12-01', '9:00', 'Asia/Tokyo'],
    ['2026-12-01', '', 'Asia/Tokyo'],
    ['2026-12-01', '09:00', 'Mars/Olympus_Mons'],
  ])('is null for %j %j %j', (date, time, zone) => {
    expect(zonedToUtc(date, time, zone)).toBeNull();
  });
});

describe('zonedParts and addDays', () => {
  it('reads an instant as the wall clock of a zone, on both sides of a change', () => {
    expect(zonedParts(Date.parse('2026-12-01T00:00:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-12-01', time: '09:00' });
    expect(zonedParts(Date.parse('2026-11-30T23:59:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-12-01', time: '08:59' });
    expect(zonedParts(Date.parse('2026-03-08T06:59:00Z'), 'America/New_York')).toEqual({ date: '2026-03-08', time: '01:59' });
    expect(zonedParts(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({ date: '2026-03-08', time: '03:00' });
  });

  it('round-trips every quarter hour of a change day in New York that exists once', () => {
    for (let m = 0; m < 24 * 60; m += 15) {
      const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      if (time >= '02:00' && time < '03:00') continue; // skipped that night
      const iso = zonedToUtc('2026-03-08', time, 'America/New_York')!;
      expect(zonedParts(Date.parse(iso), 'America/New_York')).toEqual({ date: '2026-03-08', time });
    }
  });

  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDays('nope', 1)).toThrow();
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Nowhere/Special')).toBe(false);
  });
});
