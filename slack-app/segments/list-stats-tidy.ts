import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { INTL_LOCALE, STAGES, type Locale } from '../../backend/i18n/vocabulary.js';
import type { Stats, Tidy } from '../../backend/segments/schemas.js';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks, type SlackMessage } from '../contacts/contact-card.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import { clipMrkdwn, escapeTruncate, mrkdwnEscape, relativeDay, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { oneLine } from '../block-text.js';
import { dealStatsBlocks } from './deal-stats.js';

/**
 * /crm list, /crm stats and /crm tidy, and the Fix buttons of /crm tidy.
 * Their action and block ids live here beside the only code that renders and
 * handles them (values: the contact id).
 */
export const TIDY_ACTIONS = { company: 'tidy_fix_company', owner: 'tidy_fix_owner' } as const;
export const SEGMENT_BLOCKS = {
  summary: 'segment_summary',
  more: 'segment_more',
  unknown: 'segment_unknown',
  statsHeader: 'stats_header',
  tidyNotice: 'tidy_notice',
  tidyHeader: 'tidy_header',
  tidyMore: 'tidy_more',
} as const;
/** 'tidy_item:<contact id>', 'tidy_actions:<contact id>' */
export const tidyBlockId = (kind: 'item' | 'actions', contactId: string) => `tidy_${kind}:${contactId}`;

const LIST_SHOWN = 10;
/** contacts fetched for /crm list: exact counts up to here, "more than" beyond */
const LIST_FETCH = 100;
const TIDY_SHOWN = 10;
const BAR_WIDTH = 12;
const REPS_SHOWN = 10;
const ZONES_SHOWN = 6;
const MOVES_SHOWN = 8;
const KIND_ICONS = {
  email: ':email:',
  slack: ':speech_balloon:',
  call: ':telephone_receiver:',
  meeting: ':handshake:',
  note: ':memo:',
} as const;

type Summary = { id: string; name: string; title: string | null; emails: string[]; company: { name: string } | null; stage: string };

// ---------------------------------------------------------------- /crm list

/** /crm list <segment>: the segment's contacts, 10 with Pick buttons, then "and N more". */
export async function segmentListCommand(r: RapportContext, name: string): Promise<SlackMessage> {
  let page;
  try {
    page = await json(r.api.contacts.$get({ query: { segment: name, limit: String(LIST_FETCH) } }));
  } catch (e) {
    if (e instanceof BackendError && e.code === 'segment_not_found') return unknownSegment(r, name);
    throw e;
  }
  return segmentListBlocks(name, page.items as Summary[], page.nextCursor !== null, r.locale);
}

/** Pure: the list of a segment's contacts (more: there were more than those given). */
export function segmentListBlocks(name: string, contacts: readonly Summary[], more: boolean, locale: Locale): SlackMessage {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const shownName = truncate(oneLine(name), 200);
  if (contacts.length === 0) {
    const text = m('segment_empty', { name: shownName });
    return finish(text, [section(SEGMENT_BLOCKS.summary, text)]);
  }
  const summary = m(more ? 'segment_summary_over' : 'segment_summary', { name: shownName, count: contacts.length });
  const blocks: KnownBlock[] = [section(SEGMENT_BLOCKS.summary, `*${summary}*`)];
  for (const c of contacts.slice(0, LIST_SHOWN)) {
    const parts = [c.title, c.company?.name].map((s) => escapeTruncate(oneLine(s ?? ''), 300)).filter(Boolean);
    parts.push(m(`stage_${c.stage}` as SlackMessageKey));
    const email = c.emails[0] ? `\n${escapeTruncate(c.emails[0], 320)}` : '';
    blocks.push(
      section(undefined, `*${escapeTruncate(oneLine(c.name), 300)}* · ${parts.join(' · ')}${email}`, button(st(locale, 'btn_pick'), ACTIONS.pickContact, c.id)),
    );
  }
  const rest = contacts.length - Math.min(contacts.length, LIST_SHOWN);
  if (rest > 0) blocks.push(context(SEGMENT_BLOCKS.more, m(more ? 'segment_more_over' : 'and_more', { count: rest })));
  return finish(summary, blocks);
}

/** The segment is not there: say so, and name the ones there are. */
async function unknownSegment(r: RapportContext, name: string): Promise<SlackMessage> {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(r.locale, key, params));
  const list = await json(r.api.segments.$get());
  const names = list.items.map((s) => `\`${escapeTruncate(oneLine(s.name), 100)}\``);
  const first = m('segment_unknown', { name: truncate(oneLine(name), 200) });
  const known = names.length ? m('segment_available', { names: '{names}' }).replace('{names}', names.join(', ')) : m('segment_none_saved');
  return finish(first, [section(SEGMENT_BLOCKS.unknown, `:mag: ${first}\n${known}`)]);
}

// ---------------------------------------------------------------- /crm stats

/** /crm stats [week|month]: the reader's numbers, with bars. */
export async function statsCommand(r: RapportContext, period: 'week' | 'month'): Promise<SlackMessage> {
  const stats = await json(r.api.stats.$get({ query: { period } }));
  return statsBlocks(stats, r.locale, r.timeZone);
}

/**
 * A run of '█' as long as n is against max (at most 12; at least one for any n > 0).
 *   bar(3, 12) = '███', bar(1, 1000) = '█', bar(0, 5) = ''
 */
export function bar(n: number, max: number): string {
  if (n <= 0 || max <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((n / max) * BAR_WIDTH)));
}

/**
 * Minutes as the reader says a duration.
 *   duration(45, 'en') = '45 min', duration(125, 'en') = '2 h 5 min', duration(1500, 'ja') = '1 日 1 時間'
 */
export function duration(minutes: number, locale: Locale): string {
  const total = Math.round(minutes);
  if (total < 60) return st(locale, 'duration_minutes', { m: total });
  if (total < 24 * 60) return st(locale, 'duration_hours', { h: Math.floor(total / 60), m: total % 60 });
  return st(locale, 'duration_days', { d: Math.floor(total / 1440), h: Math.floor((total % 1440) / 60) });
}

/** Pure: the stats as compact Block Kit. */
export function statsBlocks(s: Stats, locale: Locale, timeZone: string): SlackMessage {
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const n = (x: number) => new Intl.NumberFormat(INTL_LOCALE[locale]).format(x);
  const title = st(locale, 'stats_header', { period: st(locale, s.period === 'month' ? 'stats_period_month' : 'stats_period_week') });
  const scope = s.scope === 'own' ? m('stats_scope_own') : m(s.scope === 'team' ? 'stats_scope_team' : 'stats_scope_workspace', { count: s.members });
  const blocks: KnownBlock[] = [
    header(SEGMENT_BLOCKS.statsHeader, title),
    context(undefined, m('stats_range', { scope: '{scope}', from: day(s.from, locale, timeZone), to: day(s.to, locale, timeZone) }).replace('{scope}', scope)),
  ];

  const stageMax = Math.max(...s.contacts.byStage.map((x) => x.count), 0);
  blocks.push(
    fields(
      `*${m('stats_stages', { count: n(s.contacts.total) })}*`,
      s.contacts.byStage.map((x) => `*${m(`stage_${x.stage}` as SlackMessageKey)}* · ${n(x.count)}\n${bar(x.count, stageMax) || ' '}`),
    ),
  );

  const moves = s.stageMoves.slice(0, MOVES_SHOWN);
  const moveMax = Math.max(...moves.map((x) => x.count), 0);
  const stageName = (v: string | null) => (v && (STAGES as readonly string[]).includes(v) ? m(`stage_${v}` as SlackMessageKey) : mrkdwnEscape(v ?? '—'));
  blocks.push(
    section(
      undefined,
      moves.length
        ? `*${m('stats_moves')}*\n${moves.map((x) => `${stageName(x.from)} → ${stageName(x.to)}  \`${bar(x.count, moveMax)}\` ${n(x.count)}`).join('\n')}`
        : `*${m('stats_moves')}*\n${m('stats_moves_none')}`,
    ),
  );

  const reps = s.interactions.byRep.slice(0, REPS_SHOWN);
  const repMax = Math.max(...reps.map((x) => x.total), 0);
  const repField = (x: Stats['interactions']['byRep'][number]) => {
    const kinds = (Object.keys(KIND_ICONS) as (keyof typeof KIND_ICONS)[]).filter((k) => x.byKind[k] > 0).map((k) => `${KIND_ICONS[k]} ${n(x.byKind[k])}`);
    return `*${escapeTruncate(oneLine(x.rep.name), 200)}* · ${n(x.total)}\n${bar(x.total, repMax)} ${kinds.join(' ')}`.trimEnd();
  };
  const repsTitle = `*${m('stats_interactions', { count: n(s.interactions.total) })}*`;
  blocks.push(reps.length ? fields(repsTitle, reps.map(repField)) : section(undefined, `${repsTitle}\n${m('stats_interactions_none')}`));
  if (s.interactions.byRep.length > REPS_SHOWN) blocks.push(context(undefined, m('and_more', { count: s.interactions.byRep.length - REPS_SHOWN })));

  blocks.push(...dealStatsBlocks(s.deals, locale));

  const reply =
    s.replies.medianMinutes === null
      ? m('stats_reply_none', { total: n(s.replies.inboundEmails) })
      : m('stats_reply', {
          duration: duration(s.replies.medianMinutes, locale),
          answered: n(s.replies.answered),
          total: n(s.replies.inboundEmails),
        });
  blocks.push(
    section(
      undefined,
      `:alarm_clock: ${m('stats_follow_ups', { created: n(s.followUps.created), done: n(s.followUps.done), overdue: n(s.followUps.overdue) })}\n:incoming_envelope: ${reply}`,
    ),
  );

  const zones = s.contacts.byTimezone.slice(0, ZONES_SHOWN);
  const zoneMax = Math.max(...zones.map((x) => x.count), 0);
  if (zones.length) {
    blocks.push(
      fields(
        `*${m('stats_timezones')}*`,
        zones.map((x) => `*${x.timezone ? mrkdwnEscape(x.timezone) : m('stats_timezone_unset')}* · ${n(x.count)}\n${bar(x.count, zoneMax)}`),
      ),
    );
    if (s.contacts.byTimezone.length > ZONES_SHOWN) blocks.push(context(undefined, m('and_more', { count: s.contacts.byTimezone.length - ZONES_SHOWN })));
  }
  return finish(mrkdwnEscape(title), blocks);
}

// ---------------------------------------------------------------- /crm tidy

/** /crm tidy: the worst 10 incomplete records, each with its Fix buttons. */
export async function tidyCommand(r: RapportContext, notice?: { ok: boolean; text: string }): Promise<SlackMessage> {
  const list = await json(r.api.tidy.$get({ query: { limit: String(TIDY_SHOWN) } }));
  return tidyBlocks(list, { locale: r.locale, timeZone: r.timeZone, now: r.now().toISOString(), ...(notice ? { notice } : {}) });
}

/** Pure: the tidy list; notice (what a Fix just did) goes on top. */
export function tidyBlocks(list: Tidy, opts: { locale: Locale; timeZone: string; now: string; notice?: { ok: boolean; text: string } }): SlackMessage {
  const { locale } = opts;
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const blocks: KnownBlock[] = [];
  if (opts.notice)
    blocks.push(context(SEGMENT_BLOCKS.tidyNotice, `${opts.notice.ok ? ':white_check_mark:' : ':warning:'} ${escapeTruncate(opts.notice.text, 2000)}`));
  if (list.total === 0) {
    const none = m('tidy_none');
    blocks.push(section(SEGMENT_BLOCKS.tidyHeader, `:sparkles: ${none}`));
    return finish(none, blocks);
  }
  const title = st(locale, 'tidy_header', { count: list.total });
  blocks.push(header(SEGMENT_BLOCKS.tidyHeader, title));
  blocks.push(context(undefined, m('tidy_counts', { noCompany: list.counts.noCompany, noOwner: list.counts.noOwner, stale: list.counts.noRecentInteraction })));
  for (const item of list.items.slice(0, TIDY_SHOWN)) {
    const c = item.contact;
    const problems = item.problems.map((p) => {
      if (p.code === 'no_company') return m('tidy_no_company');
      if (p.code === 'no_owner') return m('tidy_no_owner');
      const last = c.lastInteractionAt ? relativeDay(c.lastInteractionAt, opts.now, locale, opts.timeZone) : '';
      return last ? `${m('tidy_stale')} (${m('tidy_stale_since', { when: last })})` : m('tidy_stale');
    });
    const about = [c.company?.name, c.owner?.name, c.email].map((x) => escapeTruncate(oneLine(x ?? ''), 300)).filter(Boolean);
    const line = `*${escapeTruncate(oneLine(c.name), 300)}*${about.length ? ` · ${about.join(' · ')}` : ''}\n:warning: ${problems.join(' · ')}`;
    blocks.push(section(tidyBlockId('item', c.id), line));
    const buttons = item.fixes.map((f) =>
      f.fix === 'owner_me'
        ? button(st(locale, 'btn_tidy_owner'), TIDY_ACTIONS.owner, c.id)
        : button(st(locale, 'btn_tidy_company', { company: oneLine(f.company ?? f.domain ?? '') }), TIDY_ACTIONS.company, c.id, 'primary'),
    );
    if (buttons.length) blocks.push({ type: 'actions', block_id: tidyBlockId('actions', c.id), elements: buttons } satisfies ActionsBlock);
  }
  const rest = list.total - Math.min(list.items.length, TIDY_SHOWN);
  if (rest > 0) blocks.push(context(SEGMENT_BLOCKS.tidyMore, m('and_more', { count: rest })));
  return finish(mrkdwnEscape(title), blocks);
}

/**
 * The Fix buttons: apply the fix as whoever pressed, then redraw the list in
 * place with what happened on top (someone else's fix first is said, not an error).
 */
export function registerSegmentActions(bolt: App) {
  const handle =
    (fix: 'company_from_domain' | 'owner_me') =>
    async ({
      ack,
      action,
      respond,
      context: ctx,
    }: {
      ack: () => Promise<void>;
      action: BlockButtonAction['actions'][number];
      respond: RespondFn;
      context: Record<string, unknown>;
    }) => {
      await ack();
      const r = rapportOf(ctx);
      if (!r || !action.value) return;
      let notice: { ok: boolean; text: string };
      try {
        const done = await json(r.api.tidy.fix.$post({ json: { contactId: action.value, fix } }));
        notice = {
          ok: true,
          text:
            fix === 'owner_me'
              ? st(r.locale, 'tidy_fixed_owner', { name: done.contact.name })
              : st(r.locale, 'tidy_fixed_company', { name: done.contact.name, company: done.contact.company?.name ?? '' }),
        };
      } catch (e) {
        if (!(e instanceof BackendError && e.status < 500)) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            ...errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error'),
          });
          throw e;
        }
        notice = { ok: false, text: e.message };
      }
      const redrawn = await tidyCommand(r, notice);
      await respond({ replace_original: true, response_type: 'ephemeral', text: redrawn.text, blocks: redrawn.blocks });
    };
  bolt.action<BlockButtonAction>(TIDY_ACTIONS.company, handle('company_from_domain') as never);
  bolt.action<BlockButtonAction>(TIDY_ACTIONS.owner, handle('owner_me') as never);
}

// ---------------------------------------------------------------- pieces

function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text: clipMrkdwn(text, 3000), blocks };
}

/** 'Nov 17' / '11月17日' in the reader's time zone */
function day(iso: string, locale: Locale, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, month: 'short', day: 'numeric' }).format(Date.parse(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

function header(blockId: string, text: string): HeaderBlock {
  return { type: 'header', block_id: blockId, text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

function section(blockId: string | undefined, mrkdwn: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

/** A title and up to 10 fields (Slack's limit), each within 2,000 characters. */
function fields(title: string, items: string[]): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clipMrkdwn(title, LIMITS.sectionText) },
    fields: items.slice(0, LIMITS.sectionFields).map((text) => ({ type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionField) })),
  };
}

function context(blockId: string | undefined, mrkdwn: string): ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }],
  };
}

function button(text: string, actionId: string, value: string, style?: 'primary'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}
