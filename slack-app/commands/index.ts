import type { App } from '@slack/bolt';
import { registerCrmCommand } from './crm.js';
import { registerLinkActions } from './link.js';

/** Every slash command; manifest.yml must list the same ones (a test checks). */
export function registerCommands(bolt: App) {
  registerCrmCommand(bolt);
  registerLinkActions(bolt);
}
