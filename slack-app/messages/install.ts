import type { Entry } from '../i18n.js';

/** The sentences of installing Rapport in a Slack workspace ("Add to Slack") and Socket Mode, in English, Japanese and Chinese. */
export const installMessages = {
} as const satisfies Record<string, Entry>;
