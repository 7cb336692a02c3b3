import type { Entry } from './messages.js';

/** The backend's sentences for rate limits and for a person's export and erasure (en, ja, zh). */
export const trustMessages = {
  rate_limited: {
    en: 'Too many requests this minute. Try again in {seconds} s.',
    ja: 'この 1 分間のリクエストが多すぎます。{seconds} 秒後にもう一度お試しください。',
    zh: '本分钟内的请求过多，请在 {seconds} 秒后重试。',
  },
  contact_erase_forbidden: {
    en: 'Only an admin can export or erase everything Rapport holds about a person.',
    ja: '人物について Rapport が保持するすべての情報をエクスポートまたは消去できるのは管理者だけです。',
    zh: '只有管理员可以导出或删除 Rapport 保存的某个人的全部信息。',
  },
  contact_erase_confirm: {
    en: 'Deleting a contact erases everything Rapport holds about the person and cannot be undone: send DELETE /api/contacts/{id}?erase=true.',
    ja: '連絡先の削除は、その人物について Rapport が保持するすべての情報を消去し、元に戻せません。DELETE /api/contacts/{id}?erase=true を送ってください。',
    zh: '删除联系人会清除 Rapport 保存的此人的全部信息，且无法撤销：请发送 DELETE /api/contacts/{id}?erase=true。',
  },
} as const satisfies Record<string, Entry>;
