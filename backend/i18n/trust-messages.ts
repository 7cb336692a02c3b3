import type { Entry } from './messages.js';

/** The backend's sentences for rate limits, identities, a person's export and erasure, and the limits of an import (en, ja, zh). */
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
  google_account_mismatch: {
    en: '{email} is linked to another Google account in Rapport. Sign in with that account, or ask an admin to unlink it.',
    ja: '{email} は Rapport で別の Google アカウントに関連付けられています。そのアカウントでサインインするか、管理者に関連付けの解除を依頼してください。',
    zh: '{email} 在 Rapport 中已关联到另一个 Google 账号。请使用该账号登录，或请管理员解除关联。',
  },
  member_not_found: {
    en: 'There is no member {id} in this workspace.',
    ja: 'このワークスペースにメンバー {id} はいません。',
    zh: '此工作区中没有成员 {id}。',
  },
  import_too_many_rows: {
    en: 'The file has more than {limit} rows; Rapport imports at most {limit} at once. Split it into smaller files.',
    ja: 'ファイルの行数が {limit} を超えています。一度にインポートできるのは {limit} 行までです。ファイルを分けてください。',
    zh: '文件超过 {limit} 行；Rapport 一次最多导入 {limit} 行。请将文件拆分成更小的文件。',
  },
  import_too_big: {
    en: 'The file could not be read within the memory an import may use ({limit} MB). Split it into smaller files.',
    ja: 'インポートに使えるメモリ（{limit} MB）の範囲でファイルを読み込めませんでした。ファイルを分けてください。',
    zh: '无法在导入可用的内存（{limit} MB）内读取该文件。请将文件拆分成更小的文件。',
  },
} as const satisfies Record<string, Entry>;
