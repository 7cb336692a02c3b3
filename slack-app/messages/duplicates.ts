import type { Entry } from '../i18n.js';

/** The sentences of /crm duplicates (Merge / Not a duplicate). */
export const duplicateMessages = {
  help_duplicates: {
    en: '`{command} duplicates`: contacts that look like the same person, with Merge / Not a duplicate',
    ja: '`{command} duplicates`: 同一人物と思われる連絡先を表示し、統合または「重複ではない」を選べます',
    zh: '`{command} duplicates`：列出疑似同一人的联系人，可合并或标记为“不是重复”',
  },
} as const satisfies Record<string, Entry>;
