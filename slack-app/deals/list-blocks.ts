import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { Deal } from '../../backend/api-types.js';
import { formatMoney } from '../../backend/i18n/money.js';
import { INTL_LOCALE, type Locale } from '../../backend/i18n/vocabulary.js';
import { oneLine } from '../block-text.js';
import { clipMrkdwn, escapeTruncate, mrkdwnEscape, truncate } from '../format.js';
import { st } from '../i18n/index.js';
import { ACTIONS } from '../ids.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import type { StageOption } from './modals.js';

/** block_id of /crm deals' blocks; a deal's carry its id (unique per message). */
export const DEAL_BLOCKS = { header: 'deals_header', stage: 'deals_stage', item: 'deal_item', actions: 'deal_actions', more: 'deals_more' } as const;

type Message = { text: string; blocks: KnownBlock[] };

/**
 * Amounts per currency, never converted: '$1,200.50 + ￥5,000'; 'no amount' when none has one.
 *   totalsText([{ amount: 120050, currency: 'USD' }, { amount: 5000, currency: 'JPY' }], 'en') = '$1,200.50 + ¥5,000'
 */
export function totalsText(deals: readonly Pick<Deal, 'amount' | 'currency'>[], locale: Locale): string {
  const sums = new Map<string, number>();
  for (const d of deals) if (d.amount !== null && d.currency) sums.set(d.currency, (sums.get(d.currency) ?? 0) + d.amount);
  if (sums.size === 0) return st(locale, 'deals_no_amount');
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([c, v]) => formatMoney(v, c, locale))
    .join(' + ');
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/**
 * A day as the reader writes one, without a time.
 *   dayText('2026-12-20', 'en') = 'Dec 20, 2026'   dayText('2026-12-20', 'ja') = '2026/12/20'
 */
export function dayText(day: string, locale: Locale): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(t);
}

/** One deal's buttons: Move stage, Mark won, Mark lost (value: the deal id). */
export function dealButtons(locale: Locale, dealId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: `${DEAL_BLOCKS.actions}:${dealId}`,
    elements: [
      button(st(locale, 'btn_deal_move'), ACTIONS.dealMoveStage, dealId),
      button(st(locale, 'btn_deal_won'), ACTIONS.dealMarkWon, dealId, 'primary'),
      button(st(locale, 'btn_deal_lost'), ACTIONS.dealMarkLost, dealId),
    ],
  };
}

/** 'Acme renewal · Acme · $1,200.50 · closing Dec 20' as mrkdwn, escaped. */
export function dealLine(d: Deal, opts: { locale: Locale; timeZone: string }): string {
  const parts = [`*${escapeTruncate(oneLine(d.name), 300) || '—'}*`];
  if (d.company) parts.push(escapeTruncate(oneLine(d.company.name), 200));
  if (d.amount !== null && d.currency) parts.push(mrkdwnEscape(formatMoney(d.amount, d.currency, opts.locale)));
  if (d.closeDate) parts.push(mrkdwnEscape(st(opts.locale, 'deals_closing', { date: dayText(d.closeDate, opts.locale) })));
  return parts.join(' · ');
}

/**
 * /crm deals: my open deals grouped by the pipeline's stages in order, each
 * stage with its count and its amount per currency, each deal with Move
 * stage, Mark won and Mark lost. As many deals as 50 blocks hold, then how
 * many more there are.
 */
export function myDealsBlocks(deals: readonly Deal[], stages: readonly StageOption[], opts: { locale: Locale; timeZone: string; total?: number }): Message {
  const { locale } = opts;
  const total = Math.max(opts.total ?? 0, deals.length);
  if (deals.length === 0) {
    const none = mrkdwnEscape(st(locale, 'deals_none'));
    return finish(none, [{ type: 'section', block_id: DEAL_BLOCKS.header, text: { type: 'mrkdwn', text: none } }]);
  }
  const title = st(locale, 'deals_header', { count: total });
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: DEAL_BLOCKS.header, text: { type: 'plain_text', text: truncate(title, LIMITS.headerText), emoji: true } },
  ];
  const order = new Map(stages.map((s, i) => [s.key, i]));
  const byStage = new Map<string, Deal[]>();
  for (const d of deals) byStage.set(d.stage, [...(byStage.get(d.stage) ?? []), d]);
  const groups = [...byStage.entries()].sort(([a], [b]) => (order.get(a) ?? 999) - (order.get(b) ?? 999));
  let shown = 0;
  // room for the "and more" line
  const room = LIMITS.blocks - 1;
  for (const [key, list] of groups) {
    if (blocks.length + 3 > room) break;
    const name = stages.find((s) => s.key === key)?.name ?? list[0]?.stageName ?? key;
    const line = mrkdwnEscape(st(locale, 'deals_stage_line', { stage: oneLine(name), count: list.length, totals: totalsText(list, locale) }));
    blocks.push({ type: 'context', block_id: `${DEAL_BLOCKS.stage}:${key}`, elements: [{ type: 'mrkdwn', text: clipMrkdwn(line, LIMITS.contextText) }] });
    for (const d of list) {
      if (blocks.length + 2 > room) break;
      blocks.push({
        type: 'section',
        block_id: `${DEAL_BLOCKS.item}:${d.id}`,
        text: { type: 'mrkdwn', text: clipMrkdwn(dealLine(d, opts), LIMITS.sectionText) },
      });
      blocks.push(dealButtons(locale, d.id));
      shown += 1;
    }
  }
  if (total > shown) {
    blocks.push({
      type: 'context',
      block_id: DEAL_BLOCKS.more,
      elements: [{ type: 'mrkdwn', text: mrkdwnEscape(st(locale, 'deals_more', { count: total - shown })) }],
    });
  }
  return finish(escapeTruncate(title, 3000), blocks);
}

function finish(text: string, blocks: KnownBlock[]): Message {
  assertMessageLimits(blocks);
  return { text, blocks };
}
