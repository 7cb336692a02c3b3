import type { Button, KnownBlock } from '@slack/types';
import { ALERT_KIND_NAMES, type AlertKind } from '../../backend/alerts/kinds.js';
import type { AlertItem, ClaimedAlertDelivery } from '../../backend/alerts/delivery-schemas.js';
import { formatMoney } from '../../backend/i18n/money.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { label, oneLine } from '../block-text.js';
import { assertMessageLimits, type SlackMessage } from '../contacts/contact-card.js';
import { contactLink, name } from '../digest/pieces.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS } from '../ids.js';
import { LIMITS } from '../limits.js';

/** The block_id of an alert's buttons: the handlers replace it with who did what. */
export const ALERT_ACTIONS_BLOCK = 'alert_actions:';
/** The kinds whose subject someone can take on (Assign to me). */
const ASSIGNABLE = new Set(['waiting_reply', 'tagged_inbound', 'follow_up_due', 'follow_up_overdue']);

type Options = { locale: Locale; timeZone: string; publicUrl?: string };

/** The kind's name in the reader's language. */
export function kindName(kind: string, locale: Locale): string {
  return ALERT_KIND_NAMES[kind as AlertKind]?.[locale] ?? kind;
}

/**
 * One alert message: the first alert in full (who, company, stage, owner; the
 * email's subject and the start of its text; the deal's name, amount and
 * stage; the follow-up's note and due time) with its buttons, then, when the
 * stream folded several, "and 7 more" with a line each (at most 9 lines).
 * Everything stored is escaped.
 *   alertBlocks({ total: 3, items: [...] }, { locale: 'en', timeZone: 'UTC' }).text = 'A deal was won: Acme renewal (and 2 more)'
 */
export function alertBlocks(d: Pick<ClaimedAlertDelivery, 'total' | 'items'>, o: Options): SlackMessage {
  const first = d.items[0];
  if (!first) throw new Error('an alert message needs at least one alert');
  const blocks: KnownBlock[] = [
    { type: 'section', ...subjectBlockId(first), text: { type: 'mrkdwn', text: clipMrkdwn(fullText(first, o), LIMITS.sectionText) } },
    actionsBlock(first, o.locale),
  ];
  const more = d.total - 1;
  if (more > 0) {
    const lines = d.items.slice(1, 10).map((i) => `• ${shortLine(i, o)}`);
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clipMrkdwn([`*${mrkdwnEscape(st(o.locale, 'alert_more', { count: more }))}*`, ...lines].join('\n'), LIMITS.sectionText) },
    });
  }
  assertMessageLimits(blocks);
  const subject = subjectName(first);
  const text = `${kindName(first.kind, o.locale)}${subject ? `: ${subject}` : ''}${more > 0 ? ` (${st(o.locale, 'alert_more', { count: more })})` : ''}`;
  return { text: escapeTruncate(text, 3000), blocks };
}

/** Where Open card finds the card to show: the first alert's section says what it is about (c: contact, a: account). */
export const ALERT_SUBJECT_BLOCK = 'alert_subject:';
function subjectBlockId(a: AlertItem): { block_id?: string } {
  // a deal's card is its account's (there is no deal card in Slack)
  const dealCompany = (a.deal?.company as { id?: string } | null | undefined)?.id;
  const subject = a.contact ? `c:${a.contact.id}` : dealCompany ? `a:${dealCompany}` : a.company ? `a:${a.company.id}` : '';
  return subject ? { block_id: `${ALERT_SUBJECT_BLOCK}${a.id}:${subject}` } : {};
}

/** What Open card on alert alertId shows, read from the message it is on. */
export function alertSubject(blocks: readonly unknown[] | undefined, alertId: string): { type: 'contact' | 'account'; id: string } | undefined {
  const prefix = `${ALERT_SUBJECT_BLOCK}${alertId}:`;
  const id = (blocks as { block_id?: string }[] | undefined)?.find((b) => b.block_id?.startsWith(prefix))?.block_id?.slice(prefix.length);
  const [t, subject] = id?.split(':') ?? [];
  const type = t === 'c' ? 'contact' : t === 'a' ? 'account' : undefined;
  return type && subject && /^[0-9a-f-]{36}$/.test(subject) ? { type, id: subject } : undefined;
}

/** The buttons of the message's first alert replaced by a line (Done by Ren, Snoozed until...). */
export function markAlert(blocks: readonly unknown[], alertId: string, line: string): KnownBlock[] {
  return (blocks as KnownBlock[]).map((b) =>
    b.block_id === `${ALERT_ACTIONS_BLOCK}${alertId}`
      ? { type: 'context', block_id: b.block_id, elements: [{ type: 'mrkdwn', text: clipMrkdwn(line, LIMITS.sectionText) }] }
      : b,
  );
}

function actionsBlock(a: AlertItem, locale: Locale): KnownBlock {
  const button = (key: SlackMessageKey, actionId: string): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(st(locale, key), LIMITS.buttonText), emoji: true },
    value: a.id,
  });
  const buttons: Button[] = [];
  if (subjectBlockId(a).block_id) buttons.push(button('btn_alert_open', ACTIONS.alertOpen));
  buttons.push({ ...button('btn_alert_done', ACTIONS.alertDone), style: 'primary' });
  buttons.push(button('btn_alert_snooze', ACTIONS.alertSnooze));
  if (ASSIGNABLE.has(a.kind) || (a.kind.startsWith('deal_') && a.deal)) buttons.push(button('btn_alert_assign', ACTIONS.alertAssign));
  return { type: 'actions', block_id: `${ALERT_ACTIONS_BLOCK}${a.id}`, elements: buttons };
}

function subjectName(a: AlertItem): string {
  return oneLine(a.contact?.name ?? (a.deal?.name as string | undefined) ?? a.company?.name ?? '');
}

function fullText(a: AlertItem, o: Options): string {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(o.locale, key, params));
  const lines = [`*${mrkdwnEscape(kindName(a.kind, o.locale))}*`];
  if (a.contact) {
    const c = a.contact;
    const facts = [
      `*${contactLink(c, o.publicUrl)}*`,
      c.company ? name(c.company.name) : '',
      c.stage ? label(o.locale, `stage_${c.stage}`, c.stage) : '',
      c.owner ? m('alert_owner', { name: oneLine(c.owner.name) }) : '',
    ];
    lines.push(facts.filter(Boolean).join(' · '));
  } else if (a.company) {
    lines.push(`*${name(a.company.name)}*`);
  }
  lines.push(...detailLines(a, o));
  if (a.interaction) {
    const i = a.interaction;
    const subject = i.subject === null ? m('alert_private_email') : name(i.subject, 200) || m('no_subject');
    lines.push(`:email: ${mrkdwnEscape(formatDate(i.occurredAt, o.locale, o.timeZone))} · *${subject}*`);
    if (i.snippet) lines.push(`> ${escapeTruncate(oneLine(i.snippet), 200)}`);
  }
  if (a.deal) lines.push(`:moneybag: ${dealLine(a.deal, o.locale)}`);
  if (a.followUp) {
    const f = a.followUp;
    lines.push(`:alarm_clock: ${m('alert_due', { when: formatDate(f.dueAt, o.locale, o.timeZone) })}${f.note ? ` · ${name(f.note, 300)}` : ''}`);
  }
  if (a.assignment?.member && a.assignment.state === 'assigned') lines.push(m('alert_assigned_to', { name: oneLine(a.assignment.member.name) }));
  return lines.join('\n');
}

/** What the producer recorded, as a line or two (the kind's detail keys). */
function detailLines(a: AlertItem, o: Options): string[] {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(o.locale, key, params));
  const d = a.detail as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? oneLine(v) : '');
  switch (a.kind) {
    case 'waiting_reply':
      if (a.escalation) return [m('alert_escalation', { minutes: Number(d.windowMinutes ?? 0) })];
      return typeof d.windowMinutes === 'number' && d.windowMinutes > 0 ? [m('alert_window', { minutes: d.windowMinutes })] : [];
    case 'deal_stage_changed':
      return d.fromStage || d.toStage ? [m('alert_stage_change', { from: s(d.fromStage).slice(0, 100), to: s(d.toStage).slice(0, 100) })] : [];
    case 'deal_won':
    case 'deal_lost':
      return d.reason ? [m('alert_reason', { reason: s(d.reason).slice(0, 300) })] : [];
    case 'deal_close_passed':
      return d.closeDate ? [m('alert_close_date', { date: s(d.closeDate).slice(0, 10) })] : [];
    case 'tagged_inbound':
      return Array.isArray(d.tags) && d.tags.length ? [m('alert_tags', { tags: d.tags.map(s).join(', ').slice(0, 300) })] : [];
    case 'capture_failed':
      return [
        d.what === 'mailbox'
          ? m('alert_capture_mailbox', { address: s(d.address).slice(0, 320), error: s(d.error).slice(0, 300) })
          : m('alert_capture_channel', { channel: s(d.channelName || d.channelId).slice(0, 100), error: s(d.error).slice(0, 300) }),
      ];
    default:
      return [];
  }
}

function dealLine(deal: Record<string, unknown>, locale: Locale): string {
  const parts = [`*${name(String(deal.name ?? ''), 200)}*`];
  if (typeof deal.amount === 'number' && typeof deal.currency === 'string') parts.push(name(formatMoney(deal.amount, deal.currency, locale), 60));
  if (typeof deal.stageName === 'string') parts.push(name(deal.stageName, 100));
  return parts.join(' · ');
}

/** One folded alert: its kind and what it is about, on one line. */
function shortLine(a: AlertItem, o: Options): string {
  const about: string[] = [];
  if (a.contact) about.push(contactLink(a.contact, o.publicUrl));
  else if (a.company) about.push(name(a.company.name));
  if (a.deal) about.push(name(String(a.deal.name ?? ''), 150));
  if (a.interaction) about.push(a.interaction.subject === null ? mrkdwnEscape(st(o.locale, 'alert_private_email')) : name(a.interaction.subject, 120));
  if (a.followUp?.note) about.push(name(a.followUp.note, 120));
  if (!about.length && a.kind === 'capture_failed') about.push(...detailLines(a, o));
  return [mrkdwnEscape(kindName(a.kind, o.locale)), ...about.filter(Boolean)].join(' · ');
}
