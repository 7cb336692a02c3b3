/**
 * Ids the modals and More history add to slack-app/ids.ts: the renderer
 * (modals.ts) and their listeners beside it both import them from here.
 */

/** action_id of buttons rendered by the views' own messages. */
export const VIEW_ACTIONS = {
  /** "More" under a page of history; value: historyPageValue({ contactId, cursor }) */
  moreHistoryPage: 'contact_more_history_page',
} as const;

/** block_id of the blocks in the modals and history pages that are not inputs. */
export const VIEW_BLOCKS = {
  about: 'modal_about',
  timeZone: 'modal_time_zone',
  historyHeader: 'history_header',
  historyMore: 'history_more',
  created: 'contact_created',
} as const;

/** What the "More" button of a history page carries. */
export interface HistoryPage {
  contactId: string;
  cursor: string;
}

/**
 * The More button's value, short JSON (Slack allows 2,000 characters; a cursor
 * is about 100).
 *   historyPageValue({ contactId: 'c1', cursor: 'eyJ9' }) = '{"c":"c1","k":"eyJ9"}'
 */
export function historyPageValue(page: HistoryPage): string {
  return JSON.stringify({ c: page.contactId, k: page.cursor });
}

/** historyPageValue read back; null for anything else. */
export function parseHistoryPage(value: string | undefined): HistoryPage | null {
  try {
    const v = JSON.parse(value ?? '') as { c?: unknown; k?: unknown };
    return typeof v.c === 'string' && typeof v.k === 'string' ? { contactId: v.c, cursor: v.k } : null;
  } catch {
    return null;
  }
}
