import type { App } from '@slack/bolt';
import { registerCrmCommand } from '../crm-command.js';
import { registerDuplicateActions } from '../duplicates/review.js';
import { registerLinkActions } from '../capture/link-channel.js';
import { registerSegmentActions } from '../segments/list-stats-tidy.js';

/** Every slash command; manifest.yml must list the same ones (a test checks). */
export function registerCommands(bolt: App) {
  registerCrmCommand(bolt);
  registerLinkActions(bolt);
  registerDuplicateActions(bolt);
  registerSegmentActions(bolt);
}
