import { INTL_LOCALE } from '../../backend/i18n/vocabulary.js';
import { escapeTruncate, mrkdwnEscape, safeTimeZone } from '../format.js';
import { contactLink, listText, msg, name, oneLine, type Reader } from './pieces.js';
import type { Digest } from './types.js';

/** '10:00' or '10:00 AM' in the reader's zone and language: not escaped. */
function clock(iso: string, r: Reader): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALE[r.locale], { timeZone: safeTimeZone(r.timeZone), hour: 'numeric', minute: '2-digit' }).format(t);
}

/**
 * The digest's "Customer meetings today" (Calendar sync) as one section's
 * mrkdwn: a manager's by rep, one's own meeting by meeting; each with its
 * local time, title and the contacts it is with (linked), all escaped.
 *   '• *Ren Rep*: 10:00 Demo (Kim Customer) · 14:00 Pricing (Lee)'
 */
export function meetingsTodayText(d: Digest, r: Reader): string {
  const m = msg(r.locale);
  const one = (x: Digest['meetingsToday']['byRep'][number]['items'][number]) => {
    const title = escapeTruncate(oneLine(x.title ?? ''), 120) || m('no_subject');
    const who = x.contacts.length
      ? ` (${x.contacts
          .slice(0, 3)
          .map((c) => contactLink(c, r.publicUrl))
          .join(', ')})`
      : '';
    return `${mrkdwnEscape(clock(x.start, r))} ${title}${who}`;
  };
  const title = `:handshake: *${m('digest_meetings_today', { count: d.meetingsToday.total })}*`;
  const groups = d.meetingsToday.byRep;
  if (!d.isManager && groups.length <= 1) {
    const items = groups[0]?.items ?? [];
    return listText(
      title,
      items.map((x) => `• ${one(x)}`),
      d.meetingsToday.total,
      r.locale,
    );
  }
  const lines = groups.map(
    (g) =>
      `• *${name(g.rep.name)}*: ${g.items.map(one).join(' · ')}${g.total > g.items.length ? ` ${m('and_more', { count: g.total - g.items.length })}` : ''}`,
  );
  return listText(title, lines, groups.length, r.locale);
}
