import type { App } from '@slack/bolt';
import { registerAddFollowUp } from '../follow-ups/add-follow-up.js';
import { registerAddNote } from '../contacts/add-note.js';
import { registerCreateContact } from '../contacts/create-contact.js';
import { registerEditContact } from '../contacts/edit-contact.js';
import { registerLogCall } from '../contacts/log-call.js';
import { registerMoreHistory } from '../contacts/more-history.js';

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
