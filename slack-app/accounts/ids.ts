/**
 * Ids the account card adds to slack-app/ids.ts (whose ACTIONS.accountMoreHistory,
 * dealNew and dealMoveStage it uses as fixed there).
 */
export const ACCOUNT_ACTIONS = {
  /** a company picked from a list; value: the company id */
  pickAccount: 'account_pick',
} as const;

export const ACCOUNT_BLOCKS = {
  header: 'account_header',
  fields: 'account_fields',
  people: 'account_people',
  deals: 'account_deals',
  followUps: 'account_follow_ups',
  last: 'account_last',
  actions: 'account_actions',
  external: 'account_external',
  pickerSummary: 'account_picker_summary',
  noMatch: 'account_no_match',
  historyHeader: 'account_history_header',
  historyMore: 'account_history_more',
} as const;

/** What the account's More history button carries: the company and, past the first page, the cursor. */
export interface AccountHistoryPage {
  companyId: string;
  cursor?: string;
}

/**
 * The button's value, short JSON.
 *   accountHistoryValue({ companyId: 'c1' }) = '{"c":"c1"}'
 *   accountHistoryValue({ companyId: 'c1', cursor: 'eyJ9' }) = '{"c":"c1","k":"eyJ9"}'
 */
export function accountHistoryValue(page: AccountHistoryPage): string {
  return JSON.stringify(page.cursor ? { c: page.companyId, k: page.cursor } : { c: page.companyId });
}

/** accountHistoryValue read back; null for anything else. */
export function parseAccountHistory(value: string | undefined): AccountHistoryPage | null {
  try {
    const v = JSON.parse(value ?? '') as { c?: unknown; k?: unknown };
    if (typeof v.c !== 'string' || (v.k !== undefined && typeof v.k !== 'string')) return null;
    return typeof v.k === 'string' ? { companyId: v.c, cursor: v.k } : { companyId: v.c };
  } catch {
    return null;
  }
}
