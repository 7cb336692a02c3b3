import type { App } from '@slack/bolt';
import { registerContactActions } from '../contacts/card-actions.js';
import { registerFollowUpActions } from '../follow-ups/done-snooze.js';
import { registerDigestActions } from '../digest/actions.js';

/** Every block action; their ids live in ids.ts. */
export function registerActions(bolt: App) {
  registerContactActions(bolt);
  registerFollowUpActions(bolt);
  registerDigestActions(bolt);
}
