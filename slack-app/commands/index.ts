import type { App } from '@slack/bolt';
import { registerCrmCommand } from './crm.js';
import { registerDuplicateActions } from './duplicates.js';
import { registerLinkActions } from './link.js';
import { registerSegmentActions } from './segments.js';

/** Every slash command; manifest.yml must list the same ones (a test checks). */
export function registerCommands(bolt: App) {
  registerCrmCommand(bolt);
  registerLinkActions(bolt);
  registerDuplicateActions(bolt);
  registerSegmentActions(bolt);
}
