import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import type { AccountCard } from '../../backend/companies/schemas.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { formatMoney } from '../../backend/i18n/money.js';
import { label, oneLine, when } from '../block-text.js';
import { type ContactSummary, type ListOptions, type SlackMessage, isPrivateEntry, timelineText } from '../contacts/contact-card.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS } from '../ids.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import { ACCOUNT_ACTIONS, ACCOUNT_BLOCKS, type AccountHistoryPage, accountHistoryValue } from './ids.js';

/**
 * Block Kit for companies as accounts, built from the API's plain JSON (pure,
 * escaped, Slack's limits checked): the account card, the account's history
 * pages, and the picker when a query names several companies or both
 * companies and people.
 */

export type AccountCardInput = Pick<
  AccountCard,
  'id' | 'name' | 'domains' | 'industry' | 'size' | 'owner' | 'people' | 'peopleCount' | 'openDeals' | 'openDealsCount' | 'openFollowUps' | 'lastInteraction'
>;
export type AccountBrief = { id: string; name: string; domain: string | null };
/** shared: posted where others read it (a thread, Share): a private last interaction is left out */
export type AccountCardOptions = ListOptions & { external: boolean; shared?: boolean };

const PEOPLE_MAX = 5;
const DEALS_MAX = 5;
const FOLLOW_UPS_MAX = 5;
const PICKER_MAX = 10;
const FALLBACK_MAX = 3000;

export function accountCardBlocks(card: AccountCardInput, opts: AccountCardOptions): SlackMessage {
  const { locale } = opts;
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  if (opts.external) {
    const text = m('external_channel');
    return finish(text, [section(ACCOUNT_BLOCKS.external, text)]);
  }
  const name = oneLine(card.name) || '—';
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: ACCOUNT_BLOCKS.header, text: { type: 'plain_text', text: truncate(name, LIMITS.headerText), emoji: true } },
  ];
  const field = (key: SlackMessageKey, value: string) => clipMrkdwn(`*${m(key)}*\n${value}`, LIMITS.sectionField);
  const domains = card.domains.slice(0, 5).map((d) => escapeTruncate(d, 253));
  blocks.push({
    type: 'section',
    block_id: ACCOUNT_BLOCKS.fields,
    fields: [
      field('account_label_domains', domains.length ? domains.join(', ') : m('none_yet')),
      field('account_label_industry', card.industry ? escapeTruncate(oneLine(card.industry), 100) : '—'),
      field('account_label_size', card.size ? mrkdwnEscape(card.size) : '—'),
      field('account_label_owner', card.owner ? escapeTruncate(oneLine(card.owner.name), 300) : m('unassigned')),
    ].map((text) => ({ type: 'mrkdwn' as const, text })),
  });

  // its people, most recently in touch first, each with a button to their card
  const people = card.people.slice(0, PEOPLE_MAX);
  blocks.push(section(ACCOUNT_BLOCKS.people, `*${m('account_label_people', { count: card.peopleCount })}*${people.length ? '' : `\n${m('none_yet')}`}`));
  for (const p of people) {
    const parts = [p.title ? escapeTruncate(oneLine(p.title), 200) : '', label(locale, `stage_${p.stage}`, p.stage)];
    if (p.lastInteractionAt) parts.push(mrkdwnEscape(when(p.lastInteractionAt, opts)));
    const text = `*${escapeTruncate(oneLine(p.name), 300)}* · ${parts.filter(Boolean).join(' · ')}`;
    blocks.push(section(undefined, text, button(st(locale, 'account_btn_open_person'), ACTIONS.pickContact, p.id)));
  }

  // open deals, each with Move stage (handled by the deals' own listeners)
  const deals = card.openDeals.slice(0, DEALS_MAX);
  blocks.push(section(ACCOUNT_BLOCKS.deals, `*${m('account_label_deals', { count: card.openDealsCount })}*${deals.length ? '' : `\n${m('none_yet')}`}`));
  for (const d of deals) {
    const amount = d.amount !== null && d.currency ? ` · ${mrkdwnEscape(formatMoney(d.amount, d.currency, locale))}` : '';
    const stage = escapeTruncate(oneLine(d.stageName ?? d.stage), 100);
    const line = d.closeDate ? m('account_deal_line', { stage: d.stageName ?? d.stage, date: formatDate(`${d.closeDate}T00:00:00Z`, locale, 'UTC') }) : stage;
    const text = `*${escapeTruncate(oneLine(d.name), 300)}*${amount}\n${line}`;
    blocks.push(section(undefined, text, button(st(locale, 'account_btn_move_stage'), ACTIONS.dealMoveStage, d.id)));
  }

  const followUps = card.openFollowUps.slice(0, FOLLOW_UPS_MAX).map((f) => {
    const who = escapeTruncate(oneLine(f.contact.name), 200);
    const note = f.note ? ` · ${escapeTruncate(oneLine(f.note), 300)}` : '';
    const overdue = Date.parse(f.dueAt) < Date.parse(opts.now) ? `:warning: *${m('overdue')}* · ` : '';
    return `• ${overdue}${who} · ${m('due', { when: when(f.dueAt, opts) })}${note}`;
  });
  blocks.push(section(ACCOUNT_BLOCKS.followUps, `*${m('account_label_follow_ups')}*\n${followUps.length ? followUps.join('\n') : m('none_yet')}`));

  const last = card.lastInteraction && !(opts.shared && isPrivateEntry(card.lastInteraction)) ? timelineText(card.lastInteraction, opts) : undefined;
  blocks.push(section(ACCOUNT_BLOCKS.last, `*${m('account_label_last')}*\n${last ?? m('none_yet')}`));

  blocks.push({
    type: 'actions',
    block_id: ACCOUNT_BLOCKS.actions,
    elements: [
      button(st(locale, 'account_btn_new_deal'), ACTIONS.dealNew, JSON.stringify({ companyId: card.id }), 'primary'),
      button(st(locale, 'account_btn_more_history'), ACTIONS.accountMoreHistory, accountHistoryValue({ companyId: card.id })),
    ],
  });
  const sub = card.domains[0] ? ` · ${card.domains[0]}` : '';
  return finish(escapeTruncate(`${name}${sub}`, FALLBACK_MAX), blocks);
}

/** A page of the account's history; More (same action as the card's) carries the cursor to the next. */
export function accountHistoryBlocks(entries: readonly unknown[], opts: ListOptions, next: AccountHistoryPage | null): SlackMessage {
  const title = mrkdwnEscape(st(opts.locale, 'account_history_header'));
  const texts = entries.map((e) => timelineText(e, opts)).filter((t): t is string => t !== undefined);
  const blocks: KnownBlock[] = [{ type: 'context', block_id: ACCOUNT_BLOCKS.historyHeader, elements: [{ type: 'mrkdwn', text: `*${title}*` }] }];
  if (texts.length === 0) blocks.push(section(undefined, mrkdwnEscape(st(opts.locale, 'modal_history_none'))));
  for (const text of texts.slice(0, LIMITS.blocks - 2)) blocks.push(section(undefined, text));
  const value = next ? accountHistoryValue(next) : '';
  if (next && value.length <= LIMITS.buttonValue) {
    blocks.push({
      type: 'actions',
      block_id: ACCOUNT_BLOCKS.historyMore,
      elements: [button(st(opts.locale, 'modal_btn_more'), ACTIONS.accountMoreHistory, value)],
    });
  }
  return finish(title, blocks);
}

/** Several companies, or companies and people, match: each with its own button (an account card, a contact card). */
export function accountPickerBlocks(companies: readonly AccountBrief[], people: readonly ContactSummary[], query: string, locale: Locale): SlackMessage {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const shownCompanies = companies.slice(0, PICKER_MAX);
  const shownPeople = people.slice(0, PICKER_MAX - Math.min(shownCompanies.length, PICKER_MAX / 2));
  const summary = m('account_picker_summary', { count: shownCompanies.length + shownPeople.length, query: truncate(oneLine(query), 200) });
  const blocks: KnownBlock[] = [section(ACCOUNT_BLOCKS.pickerSummary, summary)];
  if (shownCompanies.length) blocks.push(section(undefined, `*${m('account_picker_companies')}*`));
  for (const c of shownCompanies) {
    const text = `*${escapeTruncate(oneLine(c.name), 300)}*${c.domain ? ` · ${escapeTruncate(c.domain, 253)}` : ''}`;
    blocks.push(section(undefined, text, button(st(locale, 'account_btn_pick'), ACCOUNT_ACTIONS.pickAccount, c.id)));
  }
  if (shownPeople.length) blocks.push(section(undefined, `*${m('account_picker_people')}*`));
  for (const p of shownPeople) {
    const parts = [p.title, p.company?.name].map((s) => escapeTruncate(oneLine(s ?? ''), 300)).filter(Boolean);
    const text = `*${escapeTruncate(oneLine(p.name), 300)}*${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
    blocks.push(section(undefined, text, button(st(locale, 'btn_pick'), ACTIONS.pickContact, p.id)));
  }
  return finish(summary, blocks);
}

/** No company matches /crm company <query>. */
export function accountNoMatchBlocks(query: string, locale: Locale): SlackMessage {
  const text = mrkdwnEscape(st(locale, 'account_no_match', { query: truncate(oneLine(query), 200) }));
  return finish(text, [section(ACCOUNT_BLOCKS.noMatch, text)]);
}

function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text, blocks };
}

function section(blockId: string | undefined, mrkdwn: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

function button(text: string, actionId: string, value: string, style?: 'primary'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}
