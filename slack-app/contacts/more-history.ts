import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import { BackendError, json } from '../backend-client.js';
import { TIMELINE_DEFAULT, errorBlocks } from './contact-card.js';
import { historyPageBlocks } from './modals.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { reasonOf } from './modal-kit.js';
import { VIEW_ACTIONS, parseHistoryPage } from './modal-ids.js';

/** Timeline entries per page of More history. */
export const HISTORY_PAGE = 10;

/**
 * More history: the card's button shows the 10 entries after the ones the card
 * shows; each page's More button carries the contact and the cursor to the
 * next. Every page is a new private message, so earlier ones stay readable.
 */
export function registerMoreHistory(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.moreHistory, async ({ ack, action, respond, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r || !action.value) return;
    // the card showed the first TIMELINE_DEFAULT entries: fetch them too, once, and skip them
    await showPage(r, respond, action.value, { limit: String(TIMELINE_DEFAULT + HISTORY_PAGE) }, TIMELINE_DEFAULT);
  });

  bolt.action<BlockButtonAction>(VIEW_ACTIONS.moreHistoryPage, async ({ ack, action, respond, context }) => {
    await ack();
    const r = rapportOf(context);
    const page = parseHistoryPage(action.value);
    if (!r || !page) return;
    await showPage(r, respond, page.contactId, { limit: String(HISTORY_PAGE), cursor: page.cursor }, 0);
  });
}

async function showPage(r: RapportContext, respond: RespondFn, contactId: string, query: { limit: string; cursor?: string }, skip: number) {
  try {
    const page = await json(r.api.contacts[':id'].timeline.$get({ param: { id: contactId }, query }));
    const next = page.nextCursor ? { contactId, cursor: page.nextCursor } : null;
    const blocks = historyPageBlocks(page.items.slice(skip), { locale: r.locale, timeZone: r.timeZone, now: r.now().toISOString() }, next);
    await respond({ response_type: 'ephemeral', replace_original: false, text: blocks.text, blocks: blocks.blocks });
  } catch (e) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(r.locale, reasonOf(e)) });
    if (!(e instanceof BackendError && e.status < 500)) throw e;
  }
}
