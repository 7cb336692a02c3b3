import type { App } from '@slack/bolt';
import { registerDealActions } from './actions.js';

/**
 * Deals in Slack: `/crm deal` (New deal) and `/crm deals` (my open deals by
 * stage) are parsed in crm-command.ts; the buttons and modals here serve
 * every place that shows a deal (the contact and account cards, /crm deals,
 * the digest).
 */
export function registerDeals(bolt: App) {
  registerDealActions(bolt);
}
