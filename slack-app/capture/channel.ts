import type { App } from '@slack/bolt';
import { json, type ServiceClient } from '../backend-client.js';
import { authorOf } from './authors.js';
import { captureOfMessage, messageKey, plainText, type SlackMessage } from './message.js';

/** Message subtypes that are a person saying something; joins, topic changes and the like are not. */
const HUMAN_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

interface ChannelMessageEvent extends SlackMessage {
  type: 'message';
  channel: string;
  channel_type?: string;
  message?: SlackMessage & { edited?: { ts: string } };
  previous_message?: SlackMessage;
  deleted_ts?: string;
}

/**
 * Linked channels (/crm link), Slack Connect ones included: every human
 * message becomes an interaction under the linked company or contact as it
 * arrives, a thread's replies share its thread key, an edit updates the
 * interaction, a deletion takes it out of the timeline (the audit log keeps
 * it). Bot messages, Rapport's own among them, are never captured. Whether a
 * channel is linked is the backend's answer: a message in any other channel
 * is dropped there. A failure is recorded on the link (the App Home shows it)
 * and rethrown, so the event is released and Slack's retry captures it.
 */
export function registerChannelCapture(bolt: App, service: ServiceClient) {
  bolt.event('message', async ({ event, body, client, context }) => {
    const e = event as unknown as ChannelMessageEvent;
    if (e.channel_type !== 'channel' && e.channel_type !== 'group') return;
    const teamId = String(context.teamId ?? (body as { team_id?: string }).team_id ?? '');
    if (!teamId) return;
    const ours = (m: SlackMessage | undefined) => !m || Boolean(m.bot_id) || m.subtype === 'bot_message' || m.user === context.botUserId;
    try {
      if (e.subtype === 'message_changed') {
        if (ours(e.message) || !e.message) return;
        await json(
          service.messages.edit.$post({
            json: {
              teamId,
              externalId: messageKey(teamId, e.channel, e.message.ts),
              body: plainText(e.message.text ?? ''),
              ...(e.message.edited?.ts ? { editedAt: new Date(Number(e.message.edited.ts) * 1000).toISOString() } : {}),
            },
          }),
        );
        return;
      }
      if (e.subtype === 'message_deleted') {
        const ts = e.deleted_ts ?? e.previous_message?.ts;
        if (!ts) return;
        await json(service.messages.delete.$post({ json: { teamId, externalId: messageKey(teamId, e.channel, ts) } }));
        return;
      }
      if (!HUMAN_SUBTYPES.has(e.subtype) || ours(e)) return;
      const author = await authorOf(client, teamId, e.user);
      const capture = captureOfMessage(e, {
        teamId,
        channelId: e.channel,
        author,
        ...(context.botUserId ? { botUserId: context.botUserId } : {}),
      });
      await json(service.messages.$post({ json: { teamId, channelId: e.channel, ...(e.user ? { authorSlackId: e.user } : {}), capture } }));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await service.channels.failed.$post({ json: { teamId, channelId: e.channel, error: reason.slice(0, 500) } }).catch(() => undefined);
      throw err;
    }
  });
}
