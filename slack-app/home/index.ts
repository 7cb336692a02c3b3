import type { App } from '@slack/bolt';
import { registerTeamAdmin } from '../team/team-admin.js';
import { registerMailboxActions } from '../mailbox/actions.js';
import { registerAppHomeOpened } from './app-home-opened.js';
import { registerOpenInBrowser } from './open-browser.js';

/** The App Home tab (app_home_opened); its buttons are those of the features it shows. */
export function registerHome(bolt: App) {
  registerAppHomeOpened(bolt);
  registerOpenInBrowser(bolt);
  registerTeamAdmin(bolt);
  registerMailboxActions(bolt);
}
