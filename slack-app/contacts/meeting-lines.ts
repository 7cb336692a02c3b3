import type * as z from 'zod';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import type { UpcomingMeeting } from '../../backend/meetings/schemas.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape } from '../format.js';
import { st } from '../i18n/index.js';
import { oneLine } from '../block-text.js';

export type UpcomingMeetingData = Pick<z.infer<typeof UpcomingMeeting>, 'start' | 'durationMinutes' | 'title' | 'location' | 'conferenceUrl' | 'members'>;

/** Meetings a card lists; the API gives five at most. */
const MEETINGS_MAX = 5;

/**
 * A contact's upcoming meetings as one mrkdwn section's text, from synced
 * Google Calendars: when (in the reader's zone), how long, the title, where,
 * and who from the team goes. Everything stored is escaped.
 *   '*Upcoming meetings*\n:spiral_calendar_pad: *Demo* · Fri, Dec 4, 10:00 AM · 30 min · Kim HQ · with Ren Rep'
 */
export function upcomingMeetingsText(items: readonly UpcomingMeetingData[], o: { locale: Locale; timeZone: string; maxChars: number }): string {
  const m = (key: Parameters<typeof st>[1], params?: Record<string, unknown>) => mrkdwnEscape(st(o.locale, key, params));
  const lines = items.slice(0, MEETINGS_MAX).map((x) => {
    const title = escapeTruncate(oneLine(x.title ?? ''), 200) || m('no_subject');
    const where = x.location ? escapeTruncate(oneLine(x.location), 150) : x.conferenceUrl ? m('meeting_video_call') : '';
    const who = x.members.length ? m('meeting_with_team', { names: x.members.map((p) => oneLine(p.name)).join(', ') }) : '';
    const parts = [mrkdwnEscape(formatDate(x.start, o.locale, o.timeZone)), m('meeting_minutes', { count: x.durationMinutes }), where, who].filter(Boolean);
    return `:spiral_calendar_pad: *${title}* · ${parts.join(' · ')}`;
  });
  return clipMrkdwn(`*${m('label_upcoming_meetings')}*\n${lines.join('\n')}`, o.maxChars);
}
