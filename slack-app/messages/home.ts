import type { Entry } from '../i18n.js';

/** The sentences of the App Home tab and link unfurls, in English, Japanese and Chinese. */
export const homeMessages = {
} as const satisfies Record<string, Entry>;
