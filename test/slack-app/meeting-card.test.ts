import { describe, expect, it } from 'vitest';
import { type CardOptions, type ContactCardInput, contactCardBlocks } from '../../slack-app/contacts/contact-card.js';
import type { UpcomingMeetingData } from '../../slack-app/contacts/meeting-lines.js';

/** A contact's upcoming meetings (Calendar sync) on the Slack card: when in the reader's zone, how long, where, who goes; escaped; in three languages. */
const NOW = '2026-11-24T00:00:00Z';
const detail = (upcomingMeetings: UpcomingMeetingData[]): ContactCardInput => ({
  id: '0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f',
  name: 'Jane Tanaka',
  title: 'CTO',
  phone: null,
  emails: ['jane@acme.co.jp'],
  company: null,
  stage: 'customer',
  owner: null,
  lastInteractionAt: null,
  openFollowUps: [],
  timeline: [],
  upcomingMeetings,
});
const demo: UpcomingMeetingData = {
  start: '2026-11-25T01:00:00Z',
  durationMinutes: 30,
  title: 'Demo <!channel>',
  location: null,
  conferenceUrl: 'https://meet.google.com/abc',
  members: [{ id: 'm1', name: 'Ken Sato', email: 'ken@rapport.test' }],
};
const opts = (locale: 'en' | 'ja' | 'zh', timeZone = 'Asia/Tokyo'): CardOptions => ({ locale, timeZone, now: NOW, external: false, shareable: false });
const meetingsText = (card: ReturnType<typeof contactCardBlocks>) =>
  (card.blocks.find((b) => b.block_id === 'contact_meetings') as { text: { text: string } } | undefined)?.text.text;

describe('upcoming meetings on the Slack contact card', () => {
  it('lists each with its local time, length, a video call and who from the team goes, the title escaped', () => {
    const text = meetingsText(contactCardBlocks(detail([demo]), opts('en')))!;
    expect(text).toContain('*Upcoming meetings*');
    expect(text).toContain('Demo &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('10:00');
    expect(text).toContain('30 min');
    expect(text).toContain('video call');
    expect(text).toContain('with Ken Sato');
    // the same meeting in New York is the evening before
    expect(meetingsText(contactCardBlocks(detail([demo]), opts('en', 'America/New_York')))).toContain('8:00');
  });

  it('speaks Japanese and Chinese', () => {
    expect(meetingsText(contactCardBlocks(detail([demo]), opts('ja')))).toContain('今後のミーティング');
    expect(meetingsText(contactCardBlocks(detail([demo]), opts('ja')))).toContain('30分');
    expect(meetingsText(contactCardBlocks(detail([{ ...demo, location: '会议室 A' }]), opts('zh')))).toContain('会议室 A');
    expect(meetingsText(contactCardBlocks(detail([demo]), opts('zh')))).toContain('即将举行的会议');
  });

  it('shows no section when nothing is coming, and stays within Slack limits with a full timeline', () => {
    expect(meetingsText(contactCardBlocks(detail([]), opts('en')))).toBeUndefined();
    const many = Array.from({ length: 5 }, (_, i) => ({ ...demo, title: 'x'.repeat(900), start: `2026-11-2${5 + i}T01:00:00Z` }));
    const card = contactCardBlocks(detail(many), { ...opts('en'), timelineLimit: 50 });
    expect(card.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('/crm brief and the brief in Japanese', () => {
  it('reads off, on and a number of minutes; anything else asks how', async () => {
    const { parseCrmCommand } = await import('../../slack-app/crm-command.js');
    expect(parseCrmCommand('brief off')).toEqual({ kind: 'brief', minutes: 0 });
    expect(parseCrmCommand('brief on')).toEqual({ kind: 'brief', minutes: 15 });
    expect(parseCrmCommand('brief 30')).toEqual({ kind: 'brief', minutes: 30 });
    expect(parseCrmCommand('brief 500')).toEqual({ kind: 'brief', minutes: null });
    expect(parseCrmCommand('ブリーフ off')).toEqual({ kind: 'brief', minutes: 0 });
  });

  it('reads /crm hours: shown, set as a range in any of its spellings, or back to the default', async () => {
    const { parseCrmCommand } = await import('../../slack-app/crm-command.js');
    expect(parseCrmCommand('hours')).toEqual({ kind: 'hours', set: 'show' });
    expect(parseCrmCommand('hours 9-18')).toEqual({ kind: 'hours', set: { start: '09:00', end: '18:00' } });
    expect(parseCrmCommand('hours 09:30-17:45')).toEqual({ kind: 'hours', set: { start: '09:30', end: '17:45' } });
    expect(parseCrmCommand('勤務時間 １０：００〜１９：００')).toEqual({ kind: 'hours', set: { start: '10:00', end: '19:00' } });
    expect(parseCrmCommand('工作时间 default')).toEqual({ kind: 'hours', set: { start: null, end: null } });
    for (const wrong of ['hours 18-9', 'hours 9-25', 'hours 9:61-10', 'hours late']) expect(parseCrmCommand(wrong)).toEqual({ kind: 'hours', set: 'usage' });
  });

  it('writes the brief in the reader\u2019s language and zone', async () => {
    const { briefBlocks } = await import('../../slack-app/briefs/blocks.js');
    const brief = {
      meeting: {
        id: '0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e20',
        key: 'k',
        start: '2026-11-25T01:00:00Z',
        end: '2026-11-25T01:30:00Z',
        durationMinutes: 30,
        title: '価格の相談',
        location: null,
        conferenceUrl: 'https://meet.google.com/abc?x=1&y=2',
        response: 'accepted' as const,
        attendees: [],
        interactionId: null,
      },
      attendees: [{ email: 'new@prospect.test', name: null, contact: null, recent: [], openFollowUps: [], lastSpokeBy: null }],
    };
    const text = JSON.stringify(briefBlocks(brief, { locale: 'ja', timeZone: 'Asia/Tokyo' }).blocks);
    expect(text).toContain('ブリーフ: 価格の相談');
    expect(text).toContain('10:00');
    expect(text).toContain('30分');
    expect(text).toContain('まだ連絡先にありません');
    expect(text).toContain('https://meet.google.com/abc?x=1&amp;y=2|ビデオ会議');
  });
});
