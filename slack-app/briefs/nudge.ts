import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import type { NudgeClaimResult } from '../../backend/meetings/brief-schemas.js';
import { json } from '../backend-client.js';
import { oneLine } from '../block-text.js';
import { type SlackMessage, assertMessageLimits } from '../contacts/contact-card.js';
import { findPosted } from '../digest/scheduler.js';
import { clipMrkdwn, escapeTruncate, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st } from '../i18n/index.js';
import { ACTIONS } from '../ids.js';
import { LIMITS } from '../limits.js';
import type { BriefDeps } from './scheduler.js';

export type NudgeData = NudgeClaimResult['claimed'][number];
export const NUDGE_EVENT_TYPE = 'rapport_nudge';

/**
 * The nudge after a meeting: how did it go, and for each of its contacts (3
 * at most) Add note, Add follow-up and Log outcome, the card's own buttons,
 * so they open the modals the card opens for that contact; Log outcome's as
 * a meeting at the meeting's start.
 */
export function nudgeBlocks(n: Pick<NudgeData, 'meeting' | 'contacts'>, o: { locale: Locale; timeZone: string }): SlackMessage {
  const title = oneLine(n.meeting.title ?? '') || st(o.locale, 'no_subject');
  const header = st(o.locale, 'nudge_header', { title: truncate(title, 100) });
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clipMrkdwn(`*${mrkdwnEscape(header)}*\n${mrkdwnEscape(formatDate(n.meeting.start, o.locale, o.timeZone))}`, LIMITS.sectionText),
      },
    },
  ];
  for (const c of n.contacts.slice(0, 3)) {
    const button = (key: 'btn_add_note' | 'btn_add_follow_up' | 'btn_log_outcome', actionId: string) => ({
      type: 'button' as const,
      action_id: actionId,
      text: { type: 'plain_text' as const, text: truncate(st(o.locale, key), LIMITS.buttonText), emoji: true },
      // the card's own actions, told which meeting: its modals open prefilled with it (contacts/modal-kit.ts buttonTarget)
      value: `${c.id}|${n.meeting.start}${n.meeting.interactionId ? `|${n.meeting.interactionId}` : ''}`,
    });
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `*${escapeTruncate(oneLine(c.name), 200)}*` }] });
    const row: ActionsBlock = {
      type: 'actions',
      block_id: `nudge_actions:${c.id}`,
      elements: [button('btn_add_note', ACTIONS.addNote), button('btn_add_follow_up', ACTIONS.addFollowUp), button('btn_log_outcome', ACTIONS.logCall)],
    };
    blocks.push(row);
  }
  assertMessageLimits(blocks);
  return { text: escapeTruncate(header, 3000), blocks };
}

/** Sends the nudges that are due, one DM each, exactly once (as briefs are: a lease, and the metadata key looked for on a takeover). */
export async function runNudgeStep(deps: BriefDeps): Promise<{ claimed: number; sent: number; retried: number; failed: number }> {
  const { claimed } = await json(deps.service.briefs.nudges.claim.$post({ json: { workerId: deps.workerId } }));
  const result = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  for (const n of claimed) {
    const finish = (outcome: 'sent' | 'retry' | 'failed', extra: { channel?: string; ts?: string; error?: string } = {}) =>
      json(deps.service.briefs.finish.$post({ json: { id: n.id, workerId: deps.workerId, outcome, ...extra } }));
    let posted = false;
    try {
      const client: WebClient = await deps.clientFor(n.teamId ?? '');
      if (n.attempts > 1) {
        const channel = (await client.conversations.open({ users: n.slackUserId })).channel?.id;
        const found = channel ? await findPosted(client, channel, n.id, deps.now().getTime() - 40 * 3_600_000, NUDGE_EVENT_TYPE) : undefined;
        if (found) {
          await finish('sent', { channel: channel!, ts: found });
          result.sent += 1;
          continue;
        }
      }
      const message = nudgeBlocks(n, { locale: n.locale, timeZone: n.timezone });
      const res = await client.chat.postMessage({
        channel: n.slackUserId,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: NUDGE_EVENT_TYPE, event_payload: { key: n.id } },
        unfurl_links: false,
        unfurl_media: false,
      });
      posted = true;
      await finish('sent', { channel: String(res.channel ?? n.slackUserId).slice(0, 50), ts: String(res.ts).slice(0, 50) });
      result.sent += 1;
    } catch (e) {
      if (posted) {
        (deps.logError ?? console.error)(e);
        continue;
      }
      const error = String((e as { data?: { error?: string }; message?: string })?.data?.error ?? (e as Error)?.message ?? e).slice(0, 500);
      const last = n.attempts >= 5;
      await finish(last ? 'failed' : 'retry', { error }).catch((x: unknown) => (deps.logError ?? console.error)(x));
      result[last ? 'failed' : 'retried'] += 1;
    }
  }
  return result;
}
