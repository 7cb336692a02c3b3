import type { App } from '@slack/bolt';
import { BackendError } from '../backend-client.js';
import { errorBlocks, helpBlocks } from './contact-card.js';
import { rapportOf } from '../identity.js';
import { isExternal } from './show-contact.js';
import { lookupAnswer } from '../accounts/show-account.js';

/**
 * The person or company a plain-words question is about, or null.
 *   questionSubject('<@U0BOT> history of Jane Tanaka') = 'Jane Tanaka'
 *   questionSubject('who is jane@acme.co.jp?') = 'jane@acme.co.jp'
 *   questionSubject('田中さんの履歴') = '田中'
 *   questionSubject('王芳的记录') = '王芳'
 */
export function questionSubject(text: string): string | null {
  const t = text
    .replace(/<@[UW][A-Z0-9]+>/g, ' ')
    .replace(/<mailto:([^|>]+)\|[^>]*>/g, '$1')
    .replace(/[?？!！。.]+\s*$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return null;
  const patterns = [
    /^(?:show me |show |tell me about |what about )?(?:the )?(?:history|timeline) (?:of|for|with) (.+)$/i,
    /^(?:who is|who's|whois|look ?up|find|about) (.+)$/i,
    /^(.+?)(?:さん|様|さま|氏)?(?:の(?:履歴|記録|やり取り|情報))(?:を(?:見せて|教えて))?(?:ください)?$/u,
    /^(.+?)(?:さん|様)?(?:って誰|とは)$/u,
    /^(.+?)(?:的)?(?:历史|记录|往来|信息)$/u,
    /^(?:查询|查找|查看)(.+)$/u,
  ];
  for (const p of patterns) {
    const m = t.match(p);
    if (m?.[1]?.trim()) return m[1].trim().slice(0, 200);
  }
  // a bare name, address or company ("@Rapport Acme") is a question too
  return t.split(' ').length <= 4 ? t.slice(0, 200) : null;
}

/**
 * @Rapport in a channel, or a DM to it: answer in the thread with the same card
 * as /crm. In a channel with people from outside the company the answer is
 * private to the asker.
 */
export function registerMention(bolt: App) {
  const answer = async ({
    event,
    client,
    context,
  }: {
    event: { channel: string; ts: string; thread_ts?: string; text?: string; user?: string };
    // biome-ignore lint/suspicious/noExplicitAny: Bolt's WebClient and the test's stand-in both fit
    client: any;
    context: Record<string, unknown>;
  }) => {
    const r = rapportOf(context);
    if (!r || !event.user) return;
    const subject = questionSubject(event.text ?? '');
    const isDm = event.channel.startsWith('D');
    const external = await isExternal(client, event.channel);
    let message: { text: string; blocks: unknown[] };
    try {
      // a thread (or a group DM) is read by everyone in it; only the asker's own DM with Rapport, or an ephemeral answer, is theirs alone
      message = subject ? await lookupAnswer(r, subject, { external, shareable: false, shared: !isDm && !external }) : helpBlocks(r.locale);
    } catch (e) {
      message = errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error');
      if (!(e instanceof BackendError)) context.failure = e;
    }
    const thread = event.thread_ts ?? event.ts;
    if (external) {
      await client.chat.postEphemeral({
        channel: event.channel,
        user: event.user,
        thread_ts: thread,
        text: message.text,
        blocks: message.blocks,
      });
    } else {
      await client.chat.postMessage({
        channel: event.channel,
        ...(isDm ? {} : { thread_ts: thread }),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    }
    if (context.failure) throw context.failure;
  };
  bolt.event('app_mention', async (args) => answer(args as never));
  // direct messages to the bot (message.im); edits, joins and bots are not questions
  bolt.message(async (args) => {
    const m = args.message as { channel_type?: string; subtype?: string; bot_id?: string };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id) return;
    await answer({ ...args, event: args.message } as never);
  });
}
