import type { ActionsBlock, Button, KnownBlock, UsersSelect } from '@slack/types';
import { escapeTruncate, truncate } from '../format.js';
import { isSlackMessageKey, st, type SlackMessageKey } from '../i18n/index.js';
import { ACTIONS, BLOCKS, digestBlockId } from '../ids.js';
import { LIMITS, assertMessageLimits, record, str } from '../limits.js';
import type { SlackMessage } from '../contacts/contact-card.js';
import { contactLink, context, header, listText, localDateLabel, msg, name, oneLine, section, shortWhen, when, type Reader } from './pieces.js';
import { meetingsTodayText } from './meetings.js';
import { dealSectionBlocks } from './deals.js';
import type { Digest, FollowUpItem } from './types.js';

/**
 * The daily digest as Block Kit, in the reader's language and time zone: a
 * header with the date, then overdue follow-ups (by rep, oldest first), due
 * today, customer meetings today, waiting for a reply, going cold, deals
 * closing this week, stalled deals (deals.ts) and yesterday by rep (meetings held counted apart from calls); a section with
 * nothing in it is left out, and a digest with nothing at all is one line.
 * Listed follow-ups get Done, Snooze 1 day, Snooze 1 week and Reassign, as
 * many as fit in Slack's 50 blocks (each rep's oldest first); the others are
 * listed as text lines, and every count is exact ("…and N more").
 */
export type DigestOptions = { now: string; publicUrl?: string };

const KIND_ICONS: Record<string, string> = { email: ':email:', slack: ':speech_balloon:' };
const NOTE_MAX = 300;

export function digestBlocks(d: Digest, opts: DigestOptions): SlackMessage {
  const r: Reader = {
    locale: d.reader.locale,
    timeZone: d.reader.timezone,
    now: opts.now,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  };
  const m = msg(r.locale);
  const date = localDateLabel(d.localDate, r.locale);
  if (d.empty) {
    const line = m('digest_empty', { date });
    return finish(line, [section(`:sunny: ${line}`, BLOCKS.digestHeader)]);
  }

  // with a very busy team, fewer reps get groups of their own, then fewer follow-ups get buttons
  const reps = d.overdue.byRep;
  let repsShown = reps.length;
  while (repsShown > 0 && compose(d, r, new Set(), repsShown).length > LIMITS.blocks) repsShown -= 1;
  const priority: string[] = [];
  const depth = Math.max(0, ...reps.map((g) => g.items.length));
  for (let i = 0; i < depth; i++) for (const g of reps.slice(0, repsShown)) if (g.items[i]) priority.push(g.items[i]!.id);
  for (const f of d.dueToday.items) priority.push(f.id);
  let blocks: KnownBlock[] = [];
  for (let k = priority.length; k >= 0; k--) {
    blocks = compose(d, r, new Set(priority.slice(0, k)), repsShown);
    if (blocks.length <= LIMITS.blocks) break;
  }
  const fallback = st(r.locale, 'digest_fallback', {
    date,
    overdue: d.overdue.total,
    today: d.dueToday.total,
    waiting: d.waiting.total,
    cold: d.goingCold.total,
  });
  return finish(escapeTruncate(fallback, 3000), blocks);
}

/**
 * The blocks of a digest message after a button did something to one of its
 * follow-ups: that follow-up's buttons become a context line saying what was
 * done and by whom (line: mrkdwn, escaped); every other block stays as it was.
 */
export function markFollowUp(blocks: readonly unknown[], followUpId: string, line: string): KnownBlock[] {
  const id = digestBlockId(BLOCKS.digestActions, followUpId);
  return blocks.map((b) => (str(record(b)?.block_id) === id ? context(line, id) : (b as KnownBlock)));
}

/** The follow-up a digest action is about: a button's value, or the id in its block's id (the Reassign select has no value). */
export function followUpIdOf(action: { value?: string | undefined; block_id?: string | undefined }): string | undefined {
  if (action.value) return action.value;
  const prefix = `${BLOCKS.digestActions}:`;
  return action.block_id?.startsWith(prefix) ? action.block_id.slice(prefix.length) : undefined;
}

function compose(d: Digest, r: Reader, buttoned: ReadonlySet<string>, repsShown: number): KnownBlock[] {
  const m = msg(r.locale);
  const blocks: KnownBlock[] = [header(st(r.locale, 'digest_header', { date: localDateLabel(d.localDate, r.locale) }), BLOCKS.digestHeader)];

  if (d.overdue.total > 0) {
    const title = `:warning: *${m('digest_overdue', { count: d.overdue.total })}*`;
    const reps = d.overdue.byRep;
    if (!d.isManager && reps.length <= 1) {
      // one's own digest: no need to say whose they are
      group(blocks, title, reps[0]?.items ?? [], d.overdue.total, buttoned, r, { today: false, owner: false });
    } else {
      blocks.push(section(title));
      for (const g of reps.slice(0, repsShown)) {
        const repTitle = `*${m('digest_rep_overdue', { name: truncate(oneLine(g.rep.name), 200), count: g.total })}*`;
        group(blocks, repTitle, g.items, g.total, buttoned, r, { today: false, owner: false });
      }
      const hidden = reps.slice(repsShown);
      if (hidden.length) blocks.push(context(m('digest_more_reps', { count: hidden.length, items: hidden.reduce((n, g) => n + g.total, 0) })));
    }
  }

  if (d.dueToday.total > 0) {
    const title = `:alarm_clock: *${m('digest_due_today', { count: d.dueToday.total })}*`;
    group(blocks, title, d.dueToday.items, d.dueToday.total, buttoned, r, { today: true, owner: d.isManager });
  }

  if (d.meetingsToday.total > 0) blocks.push(section(meetingsTodayText(d, r)));

  if (d.waiting.total > 0) {
    const lines = d.waiting.items.map(({ contact, owner, interaction: i }) => {
      const about = oneLine(i.subject ?? '') || oneLine(i.snippet ?? '');
      const what = about ? ` · ${KIND_ICONS[i.kind] ?? ''} “${escapeTruncate(about, 120)}”` : '';
      const who = d.isManager && owner ? ` · ${m('digest_owner', { name: truncate(oneLine(owner.name), 200) })}` : '';
      return `• *${contactLink(contact, r.publicUrl, r.locale)}*${company(contact.company)}${what} · ${m('digest_waiting_since', { when: shortWhen(i.occurredAt, r) })}${who}`;
    });
    blocks.push(section(listText(`:hourglass_flowing_sand: *${m('digest_waiting', { count: d.waiting.total })}*`, lines, d.waiting.total, r.locale)));
  }

  if (d.goingCold.total > 0) {
    const lines = d.goingCold.items.map(({ contact, owner, stage, lastInteractionAt }) => {
      const stageKey = `stage_${stage}`;
      const stageLabel = isSlackMessageKey(stageKey) ? m(stageKey as SlackMessageKey) : name(stage, 50);
      const silent = lastInteractionAt ? ` · ${m('digest_silent_since', { when: shortWhen(lastInteractionAt, r) })}` : '';
      const who = d.isManager && owner ? ` · ${m('digest_owner', { name: truncate(oneLine(owner.name), 200) })}` : '';
      return `• *${contactLink(contact, r.publicUrl, r.locale)}*${company(contact.company)} · ${stageLabel}${silent}${who}`;
    });
    blocks.push(section(listText(`:snowflake: *${m('digest_going_cold', { count: d.goingCold.total })}*`, lines, d.goingCold.total, r.locale)));
  }

  blocks.push(...dealSectionBlocks(d, r, d.isManager));

  if (d.yesterday.length > 0) {
    const lines = d.yesterday.map((y) => {
      const counts = (
        [
          ['digest_emails', y.emails],
          ['digest_slack', y.slack],
          ['digest_notes', y.notes],
          ['digest_calls', y.calls],
          ['digest_meetings', y.meetings],
          ['digest_done', y.followUpsDone],
          ['digest_created', y.followUpsCreated],
        ] as const
      )
        .filter(([, n]) => n > 0)
        .map(([key, n]) => m(n === 1 ? (`${key}_one` as SlackMessageKey) : key, { count: n }));
      return `• *${name(y.rep.name)}*: ${counts.join(', ')}`;
    });
    blocks.push(section(listText(`:bar_chart: *${m('digest_yesterday')}*`, lines, d.yesterday.length, r.locale)));
  }
  return blocks;
}

/**
 * A titled list of follow-ups: those in buttoned as a section and buttons
 * each (they are the oldest of the list), the rest as lines, then "…and N more"
 * for what the backend counted but did not list.
 */
function group(
  blocks: KnownBlock[],
  title: string,
  items: readonly FollowUpItem[],
  total: number,
  buttoned: ReadonlySet<string>,
  r: Reader,
  opts: { today: boolean; owner: boolean },
) {
  const withButtons = items.filter((f) => buttoned.has(f.id));
  const rest = items.filter((f) => !buttoned.has(f.id)).map((f) => itemLine(f, r, opts));
  if (withButtons.length === 0) {
    blocks.push(section(listText(title, rest, total, r.locale)));
    return;
  }
  blocks.push(section(title));
  for (const f of withButtons) {
    blocks.push(section(itemText(f, r, opts), digestBlockId(BLOCKS.digestItem, f.id)));
    blocks.push(followUpActions(f.id, r));
  }
  if (rest.length > 0 || total > items.length) blocks.push(section(listText('', rest, total, r.locale, withButtons.length)));
}

function itemText(f: FollowUpItem, r: Reader, opts: { today: boolean; owner: boolean }): string {
  const m = msg(r.locale);
  const who = opts.owner ? ` · ${m('digest_owner', { name: truncate(oneLine(f.owner.name), 200) })}` : '';
  const note = f.note ? ` · ${escapeTruncate(oneLine(f.note), NOTE_MAX)}` : '';
  const icon = opts.today ? ':alarm_clock:' : ':warning:';
  return `*${contactLink(f.contact, r.publicUrl, r.locale)}*${company(f.contact.company)}${who}\n${icon} ${m('due', { when: when(f.dueAt, r) })}${note}`;
}

function itemLine(f: FollowUpItem, r: Reader, opts: { today: boolean; owner: boolean }): string {
  const m = msg(r.locale);
  const who = opts.owner ? ` · ${m('digest_owner', { name: truncate(oneLine(f.owner.name), 200) })}` : '';
  const note = f.note ? ` · ${escapeTruncate(oneLine(f.note), 100)}` : '';
  return `• *${contactLink(f.contact, r.publicUrl, r.locale)}*${company(f.contact.company)} · ${m('due', { when: shortWhen(f.dueAt, r) })}${who}${note}`;
}

function followUpActions(id: string, r: Reader): ActionsBlock {
  const button = (key: SlackMessageKey, actionId: string, style?: 'primary'): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(st(r.locale, key), LIMITS.buttonText), emoji: true },
    value: id,
    ...(style ? { style } : {}),
  });
  const reassign: UsersSelect = {
    type: 'users_select',
    action_id: ACTIONS.digestReassign,
    placeholder: { type: 'plain_text', text: truncate(st(r.locale, 'digest_reassign'), 150), emoji: true },
  };
  return {
    type: 'actions',
    block_id: digestBlockId(BLOCKS.digestActions, id),
    elements: [
      button('btn_done', ACTIONS.digestDone, 'primary'),
      button('btn_snooze_1d', ACTIONS.digestSnooze1d),
      button('btn_snooze_1w', ACTIONS.digestSnooze1w),
      reassign,
    ],
  };
}

function company(c: string | null): string {
  const text = name(c, 200);
  return text ? ` · ${text}` : '';
}

function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text, blocks };
}
