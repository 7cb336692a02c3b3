import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import type { Member } from '../../backend/api-types.js';
import { json } from '../backend-client.js';
import type { SlackMessage } from '../contacts/contact-card.js';
import { clipMrkdwn, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st } from '../i18n/index.js';
import type { RapportContext } from '../identity.js';
import { LIMITS, assertMessageLimits } from '../limits.js';
import { oneLine } from '../block-text.js';

/** /crm team and /crm tz. Their block ids live here, beside the only code that renders them. */
export const TEAM_BLOCKS = { header: 'team_header', members: 'team_members', more: 'team_more', policy: 'team_policy' } as const;

/** sections of member lines a message or the Home tab gives the team, at most */
const TEAM_SECTIONS = 10;
const NAME_MAX = 80;

type TeamMember = Pick<Member, 'id' | 'name' | 'role' | 'manager' | 'joinedVia' | 'active'>;

/**
 * One member as a line of the team list, escaped:
 *   memberLine({ name: 'Ren Rep', role: 'rep', manager: { name: 'Mia Manager' }, joinedVia: 'slack', ... }, 'en')
 *     = '• *Ren Rep* · Rep · reports to Mia Manager · joined from Slack'
 */
export function memberLine(m: TeamMember, locale: Locale, meId?: string): string {
  const name = mrkdwnEscape(truncate(oneLine(m.name), NAME_MAX));
  const you = m.id === meId ? ` ${st(locale, 'team_you')}` : '';
  const manager = m.manager
    ? mrkdwnEscape(st(locale, 'team_manager', { manager: truncate(oneLine(m.manager.name), NAME_MAX) }))
    : st(locale, 'team_no_manager');
  return `• *${name}*${you} · ${st(locale, `role_${m.role}`)} · ${manager} · ${st(locale, `joined_${m.joinedVia}`)}`;
}

/**
 * The active members as sections of lines (each under Slack's 3,000
 * characters), at most `sections` of them; the members left out are counted.
 */
export function teamSections(members: readonly TeamMember[], locale: Locale, opts: { meId?: string; sections?: number } = {}) {
  const active = members.filter((m) => m.active);
  const chunks: string[] = [];
  let shown = 0;
  for (const m of active) {
    const line = memberLine(m, locale, opts.meId);
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= LIMITS.sectionText) chunks[chunks.length - 1] = `${last}\n${line}`;
    else if (chunks.length < (opts.sections ?? TEAM_SECTIONS)) chunks.push(line);
    else break;
    shown += 1;
  }
  const blocks: KnownBlock[] = chunks.map(
    (text, i): SectionBlock => ({
      type: 'section',
      block_id: `${TEAM_BLOCKS.members}:${i}`,
      text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) },
    }),
  );
  if (shown < active.length) blocks.push(context(TEAM_BLOCKS.more, st(locale, 'team_more', { count: active.length - shown })));
  return { count: active.length, blocks };
}

/** The team as /crm team shows it: a header with the count, then each active member. */
export function teamBlocks(members: readonly TeamMember[], locale: Locale, meId?: string): SlackMessage {
  const { count, blocks } = teamSections(members, locale, { meId });
  const title = st(locale, 'team_header', { count });
  const all: KnownBlock[] = [header(TEAM_BLOCKS.header, title), ...(count ? blocks : [context(TEAM_BLOCKS.more, st(locale, 'team_none'))])];
  assertMessageLimits(all);
  return { text: title, blocks: all };
}

/** /crm team: anyone sees the active members of their workspace. */
export async function teamCommand(r: RapportContext): Promise<SlackMessage> {
  const list = await json(r.api.members.$get({ query: {} }));
  return teamBlocks(list.items, r.locale, r.memberId);
}

/**
 * A time zone as typed, in its canonical IANA spelling, or null when it is none.
 *   canonicalTimeZone('asia/tokyo') = 'Asia/Tokyo'
 *   canonicalTimeZone('Mars/Base') = null
 */
export function canonicalTimeZone(typed: string): string | null {
  if (!typed || typed.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: typed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** /crm tz <zone>: sets one's own time zone (then the Slack profile no longer moves it); /crm tz alone tells the current one. */
export async function timeZoneCommand(r: RapportContext, typed: string | null): Promise<SlackMessage> {
  const say = (text: string): SlackMessage => ({ text: mrkdwnEscape(text), blocks: [] });
  if (typed === null) return say(st(r.locale, 'tz_current', { timezone: r.timeZone }));
  const timezone = canonicalTimeZone(typed);
  if (!timezone) return say(st(r.locale, 'tz_unknown', { timezone: truncate(typed, 64) }));
  const member = await json(r.api.members[':id'].$patch({ param: { id: r.memberId }, json: { timezone } }));
  return say(st(r.locale, 'tz_set', { timezone: member.timezone, time: formatDate(r.now().toISOString(), r.locale, member.timezone) }));
}

function header(blockId: string, text: string): HeaderBlock {
  return { type: 'header', block_id: blockId, text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

function context(blockId: string, mrkdwn: string): ContextBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }] };
}
