/**
 * The account line's text, pure (no Apps Script global), so the add-on and its
 * tests share it.
 *   accountLine('en', { name: 'Acme', openDealsCount: 2, openDealTotals: [{ currency: 'USD', amount: 152500 }] })
 *     = 'Acme · 2 open deals · $1,525.00'
 */
import type { GmailPerson } from '../../backend/api-types.js';
import { formatMoney } from '../../backend/i18n/money.js';
import { type Locale, t } from './i18n.js';

export type AccountLineInput = Pick<NonNullable<GmailPerson['account']>, 'name' | 'openDealsCount' | 'openDealTotals'>;

/** 'Acme Corp · 2 open deals · $1,525.00 + ￥1,200,000', in the reader's language (each currency summed on its own). */
export function accountLine(locale: Locale, account: AccountLineInput): string {
  const n = account.openDealsCount;
  const head = t(locale, n === 0 ? 'account_no_deals' : n === 1 ? 'account_deal' : 'account_deals', { name: account.name, count: n });
  const totals = account.openDealTotals.map((x) => formatMoney(x.amount, x.currency, locale)).join(' + ');
  return totals ? `${head} · ${totals}` : head;
}
