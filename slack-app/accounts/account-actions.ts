import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../contacts/contact-card.js';
import { reasonOf } from '../contacts/modal-kit.js';
import { isExternal } from '../contacts/show-contact.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { accountHistoryBlocks } from './account-card.js';
import { ACCOUNT_ACTIONS, parseAccountHistory } from './ids.js';
import { accountCard } from './show-account.js';

/** Timeline entries per page of the account's More history. */
export const ACCOUNT_HISTORY_PAGE = 10;

/**
 * The account card's buttons: a company picked from a list (its card replaces
 * the list) and More history (a new private message per page, so earlier ones
 * stay readable; each page's More carries the cursor to the next). The deal
 * buttons on the card (New deal, Move stage) are the deals' own listeners.
 */
export function registerAccountActions(bolt: App) {
  bolt.action<BlockButtonAction>(ACCOUNT_ACTIONS.pickAccount, async ({ ack, action, body, respond, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r) return;
    try {
      const card = await accountCard(r, action.value ?? '', { external: await isExternal(client, body.channel?.id) });
      await respond({ replace_original: true, response_type: 'ephemeral', text: card.text, blocks: card.blocks as never });
    } catch (e) {
      const failed = errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error');
      await respond({ response_type: 'ephemeral', replace_original: false, text: failed.text, blocks: failed.blocks as never });
      if (!(e instanceof BackendError)) throw e;
    }
  });

  bolt.action<BlockButtonAction>(ACTIONS.accountMoreHistory, async ({ ack, action, respond, context }) => {
    await ack();
    const r = rapportOf(context);
    const page = parseAccountHistory(action.value);
    if (!r || !page) return;
    await showPage(r, respond, page.companyId, page.cursor);
  });
}

async function showPage(r: RapportContext, respond: RespondFn, companyId: string, cursor: string | undefined) {
  try {
    const query = { limit: String(ACCOUNT_HISTORY_PAGE), ...(cursor ? { cursor } : {}) };
    const page = await json(r.api.companies[':id'].timeline.$get({ param: { id: companyId }, query }));
    const next = page.nextCursor ? { companyId, cursor: page.nextCursor } : null;
    const blocks = accountHistoryBlocks(page.items, { locale: r.locale, timeZone: r.timeZone, now: r.now().toISOString() }, next);
    await respond({ response_type: 'ephemeral', replace_original: false, text: blocks.text, blocks: blocks.blocks as never });
  } catch (e) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(r.locale, reasonOf(e)) } as never);
    if (!(e instanceof BackendError && e.status < 500)) throw e;
  }
}
