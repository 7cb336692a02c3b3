import type { App } from '@slack/bolt';
import { registerAddFollowUp } from './add-follow-up.js';
import { registerAddNote } from './add-note.js';
import { registerCreateContact } from './create-contact.js';
import { registerEditContact } from './edit-contact.js';
import { registerLogCall } from './log-call.js';
import { registerMoreHistory } from './more-history.js';

/**
 * The modals: the buttons that open them (Edit, Add note, Add follow-up, Log
 * call, Create contact), their submissions, and More history.
 */
export function registerViews(bolt: App) {
  registerEditContact(bolt);
  registerAddNote(bolt);
  registerAddFollowUp(bolt);
  registerLogCall(bolt);
  registerCreateContact(bolt);
  registerMoreHistory(bolt);
}
