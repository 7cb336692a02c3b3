import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { formatMoney } from '../../backend/i18n/money.js';
import { truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, BLOCKS, digestBlockId } from '../ids.js';
import { LIMITS, record, str } from '../limits.js';
import { context, listText, localDateLabel, msg, name, section, shortWhen, type Reader } from './pieces.js';
import type { Digest } from './types.js';

type Deal = Digest['dealsClosing']['items'][number];
type Section = 'closing' | 'stalled';

/** deals per section that get Move stage and Snooze buttons; the rest are lines (Slack allows 50 blocks a message) */
export const DEAL_BUTTONS = 3;

/**
 * The digest's "Deals closing this week" and "Stalled deals": a title, the
 * first few deals each as a section and its buttons (Move stage, Snooze a
 * week; value: the deal id), the others as lines, and "…and N more" for what
 * the backend counted but did not list. A deal in both sections gets its
 * buttons in each, under ids that name the section (Slack wants them unique).
 */
export function dealSectionBlocks(d: Digest, r: Reader, showOwner: boolean): KnownBlock[] {
  const m = msg(r.locale);
  const blocks: KnownBlock[] = [];
  if (d.dealsClosing.total > 0) {
    const title = `:calendar: *${m('digest_deals_closing', { count: d.dealsClosing.total })}*`;
    list(blocks, 'closing', title, d.dealsClosing.items, d.dealsClosing.total, r, (x) => closeDateText(x, r), showOwner);
  }
  if (d.dealsStalled.total > 0) {
    const title = `:turtle: *${m('digest_deals_stalled', { count: d.dealsStalled.total, days: d.dealsStalled.stalledAfterDays })}*`;
    list(
      blocks,
      'stalled',
      title,
      d.dealsStalled.items,
      d.dealsStalled.total,
      r,
      (x) => m('digest_deal_last_activity', { when: shortWhen((x as Digest['dealsStalled']['items'][number]).lastActivityAt, r) }),
      showOwner,
    );
  }
  return blocks;
}

function list(
  blocks: KnownBlock[],
  which: Section,
  title: string,
  items: readonly Deal[],
  total: number,
  r: Reader,
  detail: (x: Deal) => string,
  showOwner: boolean,
) {
  const withButtons = items.slice(0, DEAL_BUTTONS);
  const rest = items.slice(DEAL_BUTTONS).map((x) => `• ${dealLine(x, r, detail(x), showOwner)}`);
  blocks.push(section(title));
  for (const x of withButtons) {
    blocks.push(section(dealLine(x, r, detail(x), showOwner), digestBlockId(BLOCKS.digestDeal, `${which}:${x.id}`)));
    blocks.push(dealActions(which, x.id, r));
  }
  if (rest.length > 0 || total > items.length) blocks.push(section(listText('', rest, total, r.locale, withButtons.length)));
}

/** '*Acme renewal* · Acme Corp · $12,000.00 · Proposal sent · closes Fri, Dec 4' (escaped) */
function dealLine(x: Deal, r: Reader, detail: string, showOwner: boolean): string {
  const m = msg(r.locale);
  const parts = [`*${name(x.name, 200) || '—'}*`];
  const company = name(x.company?.name, 200);
  if (company) parts.push(company);
  if (x.amount !== null && x.currency) parts.push(name(formatMoney(x.amount, x.currency, r.locale), 60));
  parts.push(name(x.stageName, 100));
  if (detail) parts.push(detail);
  if (showOwner && x.owner) parts.push(m('digest_owner', { name: truncate(x.owner.name.replace(/\s+/g, ' ').trim(), 200) }));
  return parts.join(' · ');
}

function closeDateText(x: Deal, r: Reader): string {
  return x.closeDate ? msg(r.locale)('digest_deal_close_date', { date: localDateLabel(x.closeDate, r.locale) }) : '';
}

function dealActions(which: Section, id: string, r: Reader): ActionsBlock {
  const button = (key: SlackMessageKey, actionId: string): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(st(r.locale, key), LIMITS.buttonText), emoji: true },
    value: id,
  });
  return {
    type: 'actions',
    block_id: digestBlockId(BLOCKS.digestDealActions, `${which}:${id}`),
    elements: [button('btn_deal_move_stage', ACTIONS.dealMoveStage), button('btn_deal_snooze', ACTIONS.dealSnooze)],
  };
}

/**
 * The blocks of a digest message after a deal was snoozed: that deal's
 * buttons (in either section) become a context line (mrkdwn, escaped); every
 * other block stays as it was.
 */
export function markDeal(blocks: readonly unknown[], dealId: string, line: string): KnownBlock[] {
  const ids = new Set((['closing', 'stalled'] as const).map((w) => digestBlockId(BLOCKS.digestDealActions, `${w}:${dealId}`)));
  return blocks.map((b) => {
    const id = str(record(b)?.block_id);
    return id && ids.has(id) ? context(line, id) : (b as KnownBlock);
  });
}
