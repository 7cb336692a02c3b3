import type { KnownBlock } from '@slack/types';
import type * as z from 'zod';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import type { Brief } from '../../backend/meetings/brief-schemas.js';
import { label, oneLine } from '../block-text.js';
import { type SlackMessage, assertMessageLimits } from '../contacts/contact-card.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { LIMITS } from '../limits.js';
import { contactLink } from '../digest/pieces.js';

export type BriefData = z.infer<typeof Brief>;

/**
 * The brief before a meeting, as one DM: the meeting (when in the reader's
 * zone, how long, where), then for each outside attendee their card (company,
 * stage, owner), the last three interactions, open follow-ups and who in the
 * team last spoke to them. Everything stored is escaped; at most 10 attendees.
 */
export function briefBlocks(b: BriefData, o: { locale: Locale; timeZone: string; publicUrl?: string }): SlackMessage {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(o.locale, key, params));
  const date = (iso: string) => mrkdwnEscape(formatDate(iso, o.locale, o.timeZone));
  const title = oneLine(b.meeting.title ?? '') || st(o.locale, 'no_subject');
  const where = b.meeting.location ? ` · ${escapeTruncate(oneLine(b.meeting.location), 200)}` : '';
  const link = b.meeting.conferenceUrl && /^https?:\/\/\S+$/i.test(b.meeting.conferenceUrl) ? b.meeting.conferenceUrl : undefined;
  const safe = link?.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
  const call = safe ? ` · <${safe}|${m('meeting_video_call')}>` : '';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: st(o.locale, 'brief_header', { title: title.slice(0, 100) }).slice(0, LIMITS.headerText), emoji: true },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clipMrkdwn(`${date(b.meeting.start)} · ${m('meeting_minutes', { count: b.meeting.durationMinutes })}${where}${call}`, LIMITS.sectionText),
      },
    },
  ];
  for (const a of b.attendees.slice(0, 10)) {
    const c = a.contact;
    const who = c ? `*${contactLink(c, o.publicUrl)}*` : `*${escapeTruncate(oneLine(a.name ?? a.email), 200)}*`;
    const facts = c
      ? [
          c.company?.name ? escapeTruncate(oneLine(c.company.name), 200) : '',
          label(o.locale, `stage_${c.stage}`, c.stage),
          c.owner ? m('digest_owner', { name: oneLine(c.owner.name) }) : '',
        ]
      : [escapeTruncate(a.email, 320), m('brief_not_contact')];
    const lines = [`${who} · ${facts.filter(Boolean).join(' · ')}`];
    if (a.lastSpokeBy?.member)
      lines.push(m('brief_last_spoke', { name: oneLine(a.lastSpokeBy.member.name), when: formatDate(a.lastSpokeBy.at, o.locale, o.timeZone) }));
    for (const r of a.recent) {
      const kind = label(o.locale, `kind_${r.kind}`, r.kind);
      lines.push(`• ${date(r.occurredAt)} · ${kind} · ${escapeTruncate(oneLine(r.subject ?? ''), 150) || m('no_subject')}`);
    }
    for (const f of a.openFollowUps.slice(0, 3)) {
      lines.push(`:alarm_clock: ${m('due', { when: formatDate(f.dueAt, o.locale, o.timeZone) })}${f.note ? ` · ${escapeTruncate(oneLine(f.note), 150)}` : ''}`);
    }
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(lines.join('\n'), LIMITS.sectionText) } });
  }
  assertMessageLimits(blocks);
  return { text: escapeTruncate(st(o.locale, 'brief_header', { title }), 3000), blocks };
}
