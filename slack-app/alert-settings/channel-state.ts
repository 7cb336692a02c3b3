import type { WebClient } from '@slack/web-api';
import type { SlackChannelState } from '../../backend/types.js';

/**
 * What Slack says of a channel (conversations.info): whether Rapport can see
 * it, whether it is shared with another organisation (Slack Connect, or an
 * invitation to be shared still pending), its name, and whether the bot is in
 * it (when Slack says). A channel Slack does not show is not found; any other
 * failure is thrown, so that the caller refuses rather than guesses.
 *   channelState(client, 'C1') = { found: true, shared: false, name: 'sales', isMember: true }
 */
export async function channelState(client: WebClient, channel: string): Promise<SlackChannelState> {
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel as { name?: string; is_ext_shared?: boolean; is_pending_ext_shared?: boolean; is_member?: boolean } | undefined;
    if (!c) return { found: false, shared: false };
    return {
      found: true,
      shared: Boolean(c.is_ext_shared || c.is_pending_ext_shared),
      name: c.name ?? null,
      ...(typeof c.is_member === 'boolean' ? { isMember: c.is_member } : {}),
    };
  } catch (e) {
    const error = (e as { data?: { error?: string } }).data?.error;
    if (error === 'channel_not_found' || error === 'not_in_channel') return { found: false, shared: false };
    throw e;
  }
}
