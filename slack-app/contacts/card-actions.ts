import type { App, BlockButtonAction } from '@slack/bolt';
import { BackendError } from '../backend-client.js';
import { errorBlocks } from './contact-card.js';
import { rapportOf } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { contactCard, isExternal } from './show-contact.js';

export function registerContactActions(bolt: App) {
  // a contact picked from a list: replace the list with its card
  bolt.action<BlockButtonAction>(ACTIONS.pickContact, async ({ ack, action, body, respond, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r) return;
    const channel = body.channel?.id;
    const external = await isExternal(client, channel);
    try {
      // answered privately to whoever picked: their own view, private entries they may see included
      const card = await contactCard(r, action.value ?? '', { external, shareable: !external && !channel?.startsWith('D'), shared: false });
      await respond({ replace_original: true, response_type: 'ephemeral', text: card.text, blocks: card.blocks as never });
    } catch (e) {
      const failed = errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error');
      await respond({ response_type: 'ephemeral', text: failed.text, blocks: failed.blocks as never });
      if (!(e instanceof BackendError)) throw e;
    }
  });

  // Share: post the card for the channel to read, never where outsiders are
  bolt.action<BlockButtonAction>(ACTIONS.share, async ({ ack, action, body, respond, client, context }) => {
    await ack();
    const r = rapportOf(context);
    const channel = body.channel?.id;
    if (!r || !channel) return;
    try {
      const external = await isExternal(client, channel);
      // the channel reads it: no private entry, whoever pressed Share
      const card = await contactCard(r, action.value ?? '', { external, shareable: false, shared: true });
      // posted once: the Web API client never retries (app.ts), so a 5xx
      // that may still have posted is reported, not repeated
      await client.chat.postMessage({ channel, text: card.text, blocks: card.blocks as never, unfurl_links: false });
      await respond({ delete_original: true });
    } catch (e) {
      const failed = errorBlocks(r.locale, e instanceof BackendError ? e.message : String((e as Error).message ?? e));
      await respond({ response_type: 'ephemeral', replace_original: false, text: failed.text, blocks: failed.blocks as never });
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });

  // a link button: Slack opens the URL; the click still arrives and must be acked
  bolt.action(ACTIONS.openInRapport, async ({ ack }) => {
    await ack();
  });
}
