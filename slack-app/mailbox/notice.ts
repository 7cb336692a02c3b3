import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { context, msg, section } from '../digest/pieces.js';
import { st } from '../i18n/index.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { assertMessageLimits, LIMITS } from '../limits.js';
import { truncate } from '../format.js';
import { linkButton } from './home-blocks.js';
import type { MailboxNotice } from './types.js';

/**
 * The one DM a member gets when Google stops letting Rapport read their
 * mailbox (invalid_grant, a revoked token, a domain policy, a missing scope):
 * which address stopped syncing and why, in their language, and a Reconnect
 * Gmail button to the signed link the backend made. The sync worker calls
 * deps.jobs.mailboxNotice once per mailbox that needs reconnecting
 * (slack-app/connect.ts sets it); a member with no Slack account is not told
 * here (the Home tab and the add-on still show it).
 */

/** The metadata event type of the notice, with event_payload.key = '<memberId>:<address>'. */
export const NOTICE_EVENT_TYPE = 'rapport_mailbox_reconnect';

export interface NoticeDeps {
  /** the team's Web API client, as the digest has it (one call is one attempt) */
  clientFor(teamId: string): WebClient | Promise<WebClient>;
}

/** The DM's text and blocks: pure. */
export function noticeMessage(n: MailboxNotice): { text: string; blocks: KnownBlock[] } {
  const m = msg(n.locale);
  const address = truncate(n.address, 320);
  const reason = st(n.locale, `notice_reason_${n.reason}`);
  const text = st(n.locale, 'notice_text', { address, reason });
  const blocks: KnownBlock[] = [section(`:warning: ${m('notice_text', { address, reason })}`)];
  if (/^https?:\/\/\S+$/i.test(n.reconnectUrl) && n.reconnectUrl.length <= LIMITS.url) {
    blocks.push({
      type: 'actions',
      block_id: BLOCKS.gmailNotice,
      elements: [linkButton(st(n.locale, 'notice_btn'), ACTIONS.gmailReconnect, n.reconnectUrl, true)],
    });
  }
  blocks.push(context(m('notice_expires')));
  assertMessageLimits(blocks);
  return { text, blocks };
}

/**
 * Posts the notice to the member's DM through their team's bot token.
 * Returns false when there is nobody in Slack to tell; a Slack failure is
 * thrown, for the worker to log.
 */
export async function sendMailboxNotice(deps: NoticeDeps, n: MailboxNotice): Promise<boolean> {
  if (!n.slackUserId || !n.slackTeamId) return false;
  const client = await deps.clientFor(n.slackTeamId);
  const message = noticeMessage(n);
  await client.chat.postMessage({
    channel: n.slackUserId,
    text: message.text,
    blocks: message.blocks,
    metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { key: `${n.memberId}:${n.address}` } },
    unfurl_links: false,
    unfurl_media: false,
  });
  return true;
}
