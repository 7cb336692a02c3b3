import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { clipMrkdwn, escapeTruncate, mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import type { ContactCardInput } from './contact-card.js';
import { label, link, oneLine, when } from '../block-text.js';
import { nameWithReading } from '../../backend/i18n/name-reading.js';

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
  detail: Pick<ContactCardInput, 'id' | 'name' | 'reading' | 'title' | 'company' | 'stage' | 'owner' | 'lastInteractionAt'>,
  url: string,
  opts: { locale: Locale; timeZone: string; now: string },
): KnownBlock[] {
  const m = msg(opts.locale);
  const name = escapeTruncate(oneLine(nameWithReading(detail.name, detail.reading, opts.locale)), 300) || '—';
  const sub = [detail.title, detail.company?.name]
    .map((s) => escapeTruncate(oneLine(s ?? ''), 300))
    .filter(Boolean)
    .join(' · ');
  const field = (key: SlackMessageKey, value: string) => ({
    type: 'mrkdwn' as const,
    text: clipMrkdwn(`*${m(key)}*\n${value}`, LIMITS.sectionField),
  });
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

function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) } };
}
