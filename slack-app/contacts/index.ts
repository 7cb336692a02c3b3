import type { App } from '@slack/bolt';
import { registerAddNote } from './add-note.js';
import { registerContactActions } from './card-actions.js';
import { registerCreateContact } from './create-contact.js';
import { registerEditContact } from './edit-contact.js';
import { registerLogCall } from './log-call.js';
import { registerMention } from './mention.js';
import { registerMoreHistory } from './more-history.js';
import { registerLinkShared } from './unfurl.js';

/**
 * Contacts: the card's buttons (Pick, Share, Open in Rapport), the modals they
 * open (Edit, Add note, Log call, Create contact) and More history, questions
 * to @Rapport, and contact links unfurled. `/crm <name>` itself is parsed in
 * crm-command.ts.
 */
export function registerContacts(bolt: App) {
  registerContactActions(bolt);
  registerEditContact(bolt);
  registerAddNote(bolt);
  registerLogCall(bolt);
  registerCreateContact(bolt);
  registerMoreHistory(bolt);
  registerMention(bolt);
  registerLinkShared(bolt);
}
