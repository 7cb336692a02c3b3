import type { App } from '@slack/bolt';
import { registerMention } from './mention.js';

/** Every Events API subscription; manifest.yml must list the same events (a test checks). */
export const SUBSCRIBED_EVENTS = ['app_mention', 'message.im'] as const;

export function registerEvents(bolt: App) {
  registerMention(bolt);
}
