import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { ActivityItem as ApiActivityItem, ChannelLink as ApiChannelLink, Member, Workspace } from '../../backend/api-types.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, BLOCKS, followUpBlockId } from '../ids.js';
import { digestHomeBlocks } from '../digest/status-blocks.js';
import type { DigestStatus } from '../digest/types.js';
import type { FollowUpData } from '../contacts/contact-card.js';
import { LIMITS, assertMessageLimits, record, str } from '../limits.js';
import { label, link, oneLine, when } from '../block-text.js';
import { teamSections } from '../team/team-command.js';
import { teamControls } from '../team/team-modals.js';
import { emailCaptureBlocks, mailboxesBlocks } from '../mailbox/home-blocks.js';
import type { CapturePart, MailboxRow } from '../mailbox/types.js';

/**
 * Block Kit for the App Home tab, built from the API's plain JSON. No I/O; every builder checks Slack's limits before it returns.
 * All stored text is escaped, so a subject like '<!channel>' cannot ping.
 */

/** Slack's ceiling for a Home tab (a message has 50). */
export const HOME_MAX_BLOCKS = 100;
/** Follow-ups listed at most, however much room is left; the rest are counted. */
export const HOME_FOLLOW_UPS_MAX = 20;
const ACTIVITY_MAX = 10;
const CHANNELS_MAX = 15;
/** sections of member lines in the Team part (about 30 members each) */
const TEAM_SECTIONS = 3;
/** A capture error older than this is history, not news. */
const RECENT_ERROR_MS = 7 * 86_400_000;

/** One entry of GET /api/me/activity. */
export type ActivityItem = ApiActivityItem;

/** One entry of GET /api/channel-links. */
export type ChannelLink = ApiChannelLink;

/** A part of the Home tab: what the backend answered, or why it could not (already in the reader's words). */
export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** GET /api/me/digest/status, with the member it is about (their own failures are listed under their name). */
export type DigestPart = { status: DigestStatus; self: { id: string; name: string } };

export type HomeData = {
  followUps: Loaded<readonly FollowUpData[]>;
  activity: Loaded<readonly ActivityItem[]>;
  links: Loaded<readonly ChannelLink[]>;
  /** failed digest deliveries (the member's and, for a manager, the team's); left out when not given */
  digest?: Loaded<DigestPart>;
  /** the capture address and Gmail sync (GET /api/me/capture, /api/me/mailbox); left out when not given */
  capture?: Loaded<CapturePart>;
  /** every member's mailbox (GET /api/mailboxes), for an admin; left out for everyone else */
  mailboxes?: Loaded<readonly MailboxRow[]>;
  /** the team and who may join, for an admin; left out for everyone else */
  team?: Loaded<TeamPart>;
};

/** GET /api/members and the join policy of GET /api/workspace. */
export type TeamPart = { members: readonly Member[]; joinPolicy: Workspace['joinPolicy']; joinDomains: readonly string[] };

export type HomeOptions = {
  locale: Locale;
  timeZone: string;
  /** ISO time the view is built at */
  now: string;
  /** e.g. https://rapport.example.com; contact names link to `${publicUrl}/c/${id}` */
  publicUrl?: string;
  /** a sentence shown first, e.g. that a button press failed (plain text, not yet escaped) */
  notice?: string;
};

const KIND_ICONS: Record<string, string> = {
  email: ':email:',
  slack: ':speech_balloon:',
  call: ':telephone_receiver:',
  meeting: ':handshake:',
  note: ':memo:',
};

/**
 * The Home tab: my open follow-ups (overdue first, with Done and Snooze
 * buttons), failed daily digests (mine, my team's), recent activity on my contacts, and how capture in linked
 * channels is going, failures first; my capture address and Gmail sync; for
 * an admin, every mailbox (those needing someone first) and the team (role, manager,
 * how each joined) and who may join. A part the backend could not give says
 * why; a part with nothing in it says so in one line. Follow-ups get whatever
 * room the other parts leave under 100 blocks, and "and K more" beyond it.
 */
export function homeView(data: HomeData, opts: HomeOptions): HomeView {
  const m = msg(opts.locale);
  const top: KnownBlock[] = [header(st(opts.locale, 'home_title'))];
  if (opts.notice) top.push(section(`:warning: ${escapeTruncate(opts.notice, LIMITS.sectionText - 12)}`));
  top.push(context(m('home_updated', { when: formatDate(opts.now, opts.locale, opts.timeZone) })));
  // the web pages, signed in by a link made when pressed (a link lives 10 minutes: none is baked into the tab)
  if (opts.publicUrl) {
    top.push({ ...section(m('home_open_browser_hint')), accessory: button(st(opts.locale, 'home_open_browser'), ACTIONS.homeOpenBrowser, 'open') });
  }

  const activity = [header(st(opts.locale, 'home_activity_header')), ...loaded(data.activity, opts, activityBlocks)];
  const capture = [header(st(opts.locale, 'home_capture_header')), ...loaded(data.links, opts, captureBlocks)];
  const digest = data.digest ? loaded(data.digest, opts, (d) => digestHomeBlocks(d.status, d.self, opts)) : [];
  const email = data.capture
    ? [divider(), ...(data.capture.ok ? [] : [header(st(opts.locale, 'capture_header'))]), ...loaded(data.capture, opts, emailCaptureBlocks)]
    : [];
  const mailboxes = data.mailboxes
    ? [divider(), ...(data.mailboxes.ok ? [] : [header(st(opts.locale, 'mailboxes_title'))]), ...loaded(data.mailboxes, opts, mailboxesBlocks)]
    : [];
  const team = data.team ? [divider(), ...(data.team.ok ? [] : [header(st(opts.locale, 'home_team_header'))]), ...loaded(data.team, opts, teamBlocks)] : [];
  const room = HOME_MAX_BLOCKS - top.length - digest.length - activity.length - capture.length - email.length - mailboxes.length - team.length - 2;
  const followUps = loaded(data.followUps, opts, (items) => followUpBlocks(items, room, opts));

  const blocks = [...top, ...followUps, ...digest, divider(), ...activity, divider(), ...capture, ...email, ...mailboxes, ...team];
  assertMessageLimits(blocks, HOME_MAX_BLOCKS);
  return { type: 'home', blocks };
}

/** The Home tab when nothing could be built: what went wrong, never a blank tab. */
export function homeErrorView(locale: Locale, reason: string): HomeView {
  const blocks = [
    header(st(locale, 'home_title')),
    section(`:warning: ${escapeTruncate(st(locale, 'home_load_failed', { reason: truncate(reason, 2000) }), 2900)}`),
  ];
  assertMessageLimits(blocks, HOME_MAX_BLOCKS);
  return { type: 'home', blocks };
}

// ---------------------------------------------------------------- parts

/** The admin's Team part: a header with the count, who may join, the controls (add, edit, deactivate, change who may join), each active member. */
function teamBlocks(team: TeamPart, opts: HomeOptions): KnownBlock[] {
  const m = msg(opts.locale);
  const { count, blocks } = teamSections(team.members, opts.locale, { sections: TEAM_SECTIONS });
  const policy =
    team.joinPolicy === 'domains'
      ? m('join_policy_domains', { domains: team.joinDomains.join(opts.locale === 'en' ? ', ' : '、') })
      : m(`join_policy_${team.joinPolicy}`);
  return [header(st(opts.locale, 'team_header', { count })), context(policy), teamControls(team.members, opts.locale), ...blocks];
}

function loaded<T>(part: Loaded<T>, opts: HomeOptions, build: (value: T, opts: HomeOptions) => KnownBlock[]): KnownBlock[] {
  if (part.ok) return build(part.value, opts);
  const text = escapeTruncate(st(opts.locale, 'home_load_failed', { reason: truncate(part.reason, 2000) }), LIMITS.sectionText - 12);
  return [section(`:warning: ${text}`)];
}

/** header + (section, actions) per follow-up + "and K more", in at most room blocks. */
function followUpBlocks(items: readonly FollowUpData[], room: number, opts: HomeOptions): KnownBlock[] {
  const m = msg(opts.locale);
  const now = Date.parse(opts.now);
  const open = overdueFirst(
    items.filter((f) => f.status === 'open'),
    now,
  );
  if (open.length === 0) return [header(st(opts.locale, 'home_follow_ups_header', { count: 0 })), section(m('home_follow_ups_none'))];

  const overdue = open.filter((f) => Date.parse(f.dueAt) < now).length;
  const blocks: KnownBlock[] = [header(st(opts.locale, 'home_follow_ups_header', { count: open.length }))];
  if (overdue > 0) blocks.push(context(`:warning: *${m('home_follow_ups_overdue', { count: overdue })}*`));
  // what is left after the header(s) and the "more" line, two blocks a follow-up
  const fits = Math.max(0, Math.floor((room - blocks.length - 1) / 2));
  const shown = open.slice(0, Math.min(HOME_FOLLOW_UPS_MAX, fits));
  for (const f of shown) {
    const company = f.contact.company ? ` · ${escapeTruncate(oneLine(f.contact.company), 300)}` : '';
    const late = Date.parse(f.dueAt) < now ? `:warning: *${m('overdue')}* · ` : '';
    const note = f.note ? `\n${escapeTruncate(oneLine(f.note), 500)}` : '';
    const name = contactName(f.contact.id, f.contact.name, opts.publicUrl);
    const text = `*${name}*${company}\n${late}${m('due', { when: when(f.dueAt, opts) })}${note}`;
    blocks.push({
      type: 'section',
      block_id: followUpBlockId(BLOCKS.followUpItem, f.id),
      text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) },
    });
    blocks.push(followUpButtons(f.id, opts.locale));
  }
  if (open.length > shown.length) blocks.push(context(m('home_follow_ups_more', { count: open.length - shown.length })));
  return blocks;
}

/** Overdue first, then by due time; an unparsable due time last. */
function overdueFirst(items: readonly FollowUpData[], now: number): FollowUpData[] {
  return items
    .map((f) => ({ f, due: Date.parse(f.dueAt) }))
    .sort((a, b) => {
      const overdue = Number(b.due < now) - Number(a.due < now);
      if (overdue !== 0) return overdue;
      if (Number.isNaN(a.due) !== Number.isNaN(b.due)) return Number.isNaN(a.due) ? 1 : -1;
      return a.due - b.due || (a.f.id < b.f.id ? -1 : a.f.id > b.f.id ? 1 : 0);
    })
    .map(({ f }) => f);
}

function followUpButtons(id: string, locale: Locale): ActionsBlock {
  return {
    type: 'actions',
    block_id: followUpBlockId(BLOCKS.followUpActions, id),
    elements: [
      button(st(locale, 'btn_done'), ACTIONS.followUpDone, id, 'primary'),
      button(st(locale, 'btn_snooze_1d'), ACTIONS.followUpSnooze1d, id),
      button(st(locale, 'btn_snooze_1w'), ACTIONS.followUpSnooze1w, id),
    ],
  };
}

/** One section per interaction: who, what, when, by whom. */
function activityBlocks(items: readonly ActivityItem[], opts: HomeOptions): KnownBlock[] {
  const m = msg(opts.locale);
  if (items.length === 0) return [section(m('home_activity_none'))];
  return items.slice(0, ACTIVITY_MAX).map(({ interaction: i, contact: c }) => {
    const company = c.company?.name ? ` · ${escapeTruncate(oneLine(c.company.name), 300)}` : '';
    const subject = oneLine(i.subject ?? '');
    const snippet = oneLine(i.snippet ?? '');
    const title = subject ? escapeTruncate(subject, 300) : snippet ? escapeTruncate(snippet, 300) : m('no_subject');
    const author = oneLine(str(record(i.author)?.name) ?? str(i.author) ?? '');
    const meta = [
      mrkdwnEscape(when(i.occurredAt, opts)),
      label(opts.locale, `kind_${i.kind}`, i.kind),
      i.direction ? label(opts.locale, `direction_${i.direction}`, i.direction) : '',
      author ? m('home_activity_by', { name: truncate(author, 200) }) : '',
    ].filter(Boolean);
    const body = subject && snippet ? `\n${escapeTruncate(snippet, 300)}` : '';
    const text = `${KIND_ICONS[i.kind] ?? ':small_blue_diamond:'} *${contactName(c.id, c.name, opts.publicUrl)}*${company}\n*${i.url ? link(i.url, title) : title}*${body}\n${meta.join(' · ')}`;
    return section(text);
  });
}

/** A line on failures first (recent ones only), then one section per channel, failing channels first. */
function captureBlocks(links: readonly ChannelLink[], opts: HomeOptions): KnownBlock[] {
  const m = msg(opts.locale);
  if (links.length === 0) return [section(m('home_capture_none'))];
  const now = Date.parse(opts.now);
  const failing = (l: ChannelLink) => !!l.lastError && !!l.lastErrorAt && now - Date.parse(l.lastErrorAt) <= RECENT_ERROR_MS;
  const sorted = [...links].sort(
    (a, b) => Number(failing(b)) - Number(failing(a)) || (a.channelName ?? a.channelId).localeCompare(b.channelName ?? b.channelId),
  );
  const failures = sorted.filter(failing).length;

  const blocks: KnownBlock[] = [];
  if (failures > 0) blocks.push(section(`:rotating_light: *${m('home_capture_failing', { count: failures })}*`));
  for (const l of sorted.slice(0, CHANNELS_MAX)) {
    const shared = l.isExtShared ? ` · :link: ${m('home_capture_shared')}` : '';
    const targetKey = l.target.type === 'contact' ? 'home_capture_contact' : 'home_capture_company';
    const target = m(targetKey, { name: truncate(oneLine(l.target.name), 300) });
    const last = l.lastCapturedAt ? m('home_capture_last', { when: when(l.lastCapturedAt, opts) }) : m('home_capture_never');
    const error = failing(l)
      ? `\n:warning: *${m('home_capture_failed', { when: when(l.lastErrorAt!, opts), error: truncate(oneLine(l.lastError!), 500) })}*`
      : '';
    blocks.push(section(`${channelRef(l)}${shared}\n${target}\n${last}${error}`));
  }
  if (sorted.length > CHANNELS_MAX) blocks.push(context(m('and_more', { count: sorted.length - CHANNELS_MAX })));
  return blocks;
}

// ---------------------------------------------------------------- pieces

const msg = (locale: Locale) => (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));

/** '<#C0123>' for a real channel id, else its name, escaped: never a ping or a link from stored text. */
function channelRef(l: ChannelLink): string {
  if (/^[CG][A-Z0-9]{2,20}$/.test(l.channelId)) return `<#${l.channelId}>`;
  return `#${escapeTruncate(oneLine(l.channelName ?? l.channelId), 200)}`;
}

/** A contact's escaped name, linking to it in Rapport when there is a public URL. */
function contactName(id: string, name: string, publicUrl: string | undefined): string {
  const text = escapeTruncate(oneLine(name), 300) || '—';
  return publicUrl ? link(`${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(id)}`, text) : text;
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) } };
}

function context(mrkdwn: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }] };
}

function divider(): DividerBlock {
  return { type: 'divider' };
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
