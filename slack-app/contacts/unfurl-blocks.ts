import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, relativeDay } from '../format.js';
import { isSlackMessageKey, st, type SlackMessageKey } from '../i18n/index.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import type { ContactCardInput } from './contact-card.js';

/**
 * Block Kit for a contact's link unfurled (unfurl.ts). No I/O; every builder
 * checks Slack's limits before it returns, and all stored text is escaped.
 */

/**
 * A contact's link unfurled: name (linking to Rapport), title, company,
 * stage, owner and last interaction. No timeline, no notes, no follow-ups:
 * everyone in the channel reads it.
 */
export function contactUnfurlBlocks(
  detail: Pick<ContactCardInput, 'id' | 'name' | 'title' | 'company' | 'stage' | 'owner' | 'lastInteractionAt'>,
  url: string,
  opts: { locale: Locale; timeZone: string; now: string },
): KnownBlock[] {
  const m = msg(opts.locale);
  const name = escapeTruncate(oneLine(detail.name), 300) || '—';
  const sub = [detail.title, detail.company?.name].map((s) => escapeTruncate(oneLine(s ?? ''), 300)).filter(Boolean).join(' · ');
  const field = (key: SlackMessageKey, value: string) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(`*${m(key)}*\n${value}`, LIMITS.sectionField) });
  const blocks: KnownBlock[] = [
    section(`*${link(url, name)}*${sub ? `\n${sub}` : ''}`),
    {
      type: 'section',
      fields: [
        field('label_stage', label(opts.locale, `stage_${detail.stage}`, detail.stage)),
        field('label_owner', detail.owner ? escapeTruncate(oneLine(detail.owner.name), 300) : m('unassigned')),
        field('label_last_interaction', detail.lastInteractionAt ? mrkdwnEscape(when(detail.lastInteractionAt, opts)) : m('none_yet')),
      ],
    },
  ];
  assertMessageLimits(blocks);
  return blocks;
}

/** The unfurl in a channel with people from outside the company: a link to Rapport and nothing from the CRM. */
export function linkOnlyUnfurlBlocks(url: string, locale: Locale): KnownBlock[] {
  const blocks = [section(link(url, mrkdwnEscape(st(locale, 'btn_open_in_rapport'))))];
  assertMessageLimits(blocks);
  return blocks;
}

const msg = (locale: Locale) => (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));

/**
 * '<url|text>' for an http(s) url, else text alone; text is mrkdwn already
 * escaped. The url's own '&', '<', '>', '|' are escaped so it cannot end the link early.
 *   link('https://x.example/?a=1&b=2', 'Jane') = '<https://x.example/?a=1&amp;b=2|Jane>'
 */
function link(url: string, text: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url) || url.length > 1000) return text;
  const safe = url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
  return `<${safe}|${text}>`;
}

/** 'tomorrow (Wed, Nov 25, 2026, 9:00 AM)': not escaped. */
function when(iso: string, opts: { locale: Locale; timeZone: string; now: string }): string {
  const relative = relativeDay(iso, opts.now, opts.locale, opts.timeZone);
  const date = formatDate(iso, opts.locale, opts.timeZone);
  return relative ? st(opts.locale, 'when', { relative, date }) : date;
}

/** A catalogue label if there is one ('stage_lead' → 'Lead'), else the raw value, escaped. */
function label(locale: Locale, key: string, raw: string): string {
  return mrkdwnEscape(isSlackMessageKey(key) ? st(locale, key) : raw);
}

function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) } };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
