import type { Entry } from './vocabulary.js';

/** The backend's sentences about the numbers of deals: snoozing a stalled deal (en, ja, zh). */
export const dealNumberMessages = {
  deal_not_found: {
    en: 'No deal {id} in this workspace.',
    ja: 'このワークスペースに案件 {id} はありません。',
    zh: '此工作区中没有商机 {id}。',
  },
  deal_snooze_forbidden: {
    en: 'Only its owner, whoever created it, their managers and admins can snooze this deal.',
    ja: 'この案件をスヌーズできるのは、担当者、作成者、その上長、管理者だけです。',
    zh: '只有负责人、创建者、其上级和管理员可以暂缓此商机。',
  },
} satisfies Record<string, Entry>;
