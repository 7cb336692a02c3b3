import type { Entry } from '../i18n.js';

/** The sentences of the "Log to Rapport" message shortcut and linked-channel capture (/crm link, /crm unlink), in English, Japanese and Chinese. */
export const captureMessages = {
} as const satisfies Record<string, Entry>;
