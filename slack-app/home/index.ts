import type { App } from '@slack/bolt';
import { registerAppHomeOpened } from './app-home-opened.js';
import { registerLinkShared } from '../contacts/unfurl.js';

/** The App Home tab (app_home_opened) and link unfurls (link_shared). */
export function registerHome(bolt: App) {
  registerAppHomeOpened(bolt);
  registerLinkShared(bolt);
}
