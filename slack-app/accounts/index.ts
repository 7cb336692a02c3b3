import type { App } from '@slack/bolt';
import { registerAccountActions } from './account-actions.js';

/**
 * Companies as accounts (issue 18): the account card's Pick and More history.
 * `/crm <query>`, `/crm company <query>` and @Rapport questions reach it through
 * lookupAnswer and companyAnswer (show-account.ts).
 */
export function registerAccounts(bolt: App) {
  registerAccountActions(bolt);
}
