import type { App } from '@slack/bolt';
import { registerMention } from '../contacts/mention.js';

/** Every Events API subscription; manifest.yml must list the same events (a test checks). */
export const SUBSCRIBED_EVENTS = [
  'app_home_opened',
  'app_mention',
  'app_uninstalled',
  'link_shared',
  'message.channels',
  'message.groups',
  'message.im',
  'tokens_revoked',
] as const;

export function registerEvents(bolt: App) {
  registerMention(bolt);
}
