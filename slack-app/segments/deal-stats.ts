import type { KnownBlock, SectionBlock } from '@slack/types';
import { formatMoney } from '../../backend/i18n/money.js';
import { INTL_LOCALE, type Locale } from '../../backend/i18n/vocabulary.js';
import type { Stats } from '../../backend/segments/schemas.js';
import { oneLine } from '../block-text.js';
import { clipMrkdwn, escapeTruncate, mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { LIMITS } from '../limits.js';

type DealStats = Stats['deals'];
type Weighted = DealStats['pipeline']['totals'][number];

const REPS_SHOWN = 10;

/**
 * The deal part of /crm stats: the open pipeline per currency (never
 * converted), raw and weighted by stage probability, then by stage; won,
 * lost, win rate and days to close in the period; and the same by rep.
 *   '$12,000.00 (weighted $6,000.00)'
 */
export function dealStatsBlocks(s: DealStats, locale: Locale): KnownBlock[] {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const n = (x: number) => new Intl.NumberFormat(INTL_LOCALE[locale]).format(x);
  const money = (amount: number, currency: string) => mrkdwnEscape(formatMoney(amount, currency, locale));
  const weighted = (list: readonly Weighted[]) =>
    list.map((x) =>
      m('stats_deals_weighted', { amount: '{a}', weighted: '{w}' }).replace('{a}', money(x.amount, x.currency)).replace('{w}', money(x.weighted, x.currency)),
    );
  const rate = (r: number | null) => (r === null ? m('stats_deals_no_value') : new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent' }).format(r));
  const blocks: KnownBlock[] = [];

  const title = `*:moneybag: ${m('stats_deals_pipeline', { count: n(s.pipeline.count) })}*`;
  if (s.pipeline.count === 0) {
    blocks.push(text(`${title}\n${m('stats_deals_none')}`));
  } else {
    const totals = weighted(s.pipeline.totals);
    blocks.push(
      fields(
        totals.length ? `${title}\n${totals.join('\n')}` : title,
        s.pipeline.byStage.map((x) => {
          const head = m('stats_deals_stage', { stage: '{s}', probability: x.probability, count: n(x.count) }).replace(
            '{s}',
            escapeTruncate(oneLine(x.name), 100),
          );
          return `*${head}*\n${weighted(x.amounts).join('\n') || ' '}`;
        }),
      ),
    );
  }

  const closed = m('stats_deals_closed', {
    won: n(s.won.count),
    lost: n(s.lost.count),
    rate: '{rate}',
    days: s.avgDaysToClose === null ? '—' : n(s.avgDaysToClose),
  }).replace('{rate}', rate(s.winRate));
  const wonAmounts = s.won.amounts.length
    ? `\n${m('stats_deals_won_amounts', { amounts: '{x}' }).replace('{x}', s.won.amounts.map((x) => money(x.amount, x.currency)).join(' · '))}`
    : '';
  blocks.push(text(`:trophy: ${closed}${wonAmounts}`));

  const reps = s.byRep.slice(0, REPS_SHOWN);
  if (reps.length) {
    blocks.push(
      fields(
        `*${m('stats_deals_by_rep')}*`,
        reps.map((x) => {
          const line = m('stats_deals_rep', { open: n(x.open), won: n(x.won), lost: n(x.lost), rate: '{rate}' }).replace('{rate}', rate(x.winRate));
          const pipeline = weighted(x.pipeline).join('\n');
          return `*${escapeTruncate(oneLine(x.rep.name), 200)}*\n${line}${pipeline ? `\n${pipeline}` : ''}`;
        }),
      ),
    );
  }
  return blocks;
}

function text(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) } };
}

function fields(title: string, items: string[]): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clipMrkdwn(title, LIMITS.sectionText) },
    fields: items.slice(0, LIMITS.sectionFields).map((t) => ({ type: 'mrkdwn', text: clipMrkdwn(t, LIMITS.sectionField) })),
  };
}
