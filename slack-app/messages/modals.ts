import type { Entry } from '../i18n.js';

/** The sentences of the modals (edit contact, add note, add follow-up, log call or meeting, create contact) and More history, in English, Japanese and Chinese. */
export const modalMessages = {
} as const satisfies Record<string, Entry>;
