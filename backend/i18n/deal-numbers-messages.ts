import type { Entry } from './vocabulary.js';

/** The backend's sentences about the numbers of deals: snoozing a stalled deal (en, ja, zh). deal_not_found is deal-messages.ts's. */
export const dealNumberMessages = {
  deal_snooze_forbidden: {
    en: 'Only its owner, whoever created it, their managers and admins can snooze this deal.',
    ja: 'この案件をスヌーズできるのは、担当者、作成者、その上長、管理者だけです。',
    zh: '只有负责人、创建者、其上级和管理员可以暂缓此商机。',
  },
} satisfies Record<string, Entry>;
