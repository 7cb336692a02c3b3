import type { App } from '@slack/bolt';
import { registerAddFollowUp } from './add-follow-up.js';
import { registerFollowUpActions } from './done-snooze.js';

/** Follow-ups: the Add follow-up modal, and Done / Snooze wherever a follow-up is listed. */
export function registerFollowUps(bolt: App) {
  registerAddFollowUp(bolt);
  registerFollowUpActions(bolt);
}
