import type { Entry } from './index.js';

/** The sentences of /crm duplicates (Merge / Not a duplicate). */
export const duplicateMessages = {
  help_duplicates: {
    en: '`{command} duplicates`: contacts that look like the same person, with Merge / Not a duplicate, and companies that look like one account, with Merge',
    ja: '`{command} duplicates`: 同一人物と思われる連絡先（統合または「重複ではない」）と、同じ会社と思われる取引先（統合）を表示します',
    zh: '`{command} duplicates`：列出疑似同一人的联系人（可合并或标记为“不是重复”），以及疑似同一客户的公司（可合并）',
  },
  dup_header: {
    en: 'Contacts that may be the same person ({count})',
    ja: '同一人物の可能性がある連絡先（{count} 組）',
    zh: '可能是同一人的联系人（{count} 组）',
  },
  dup_none: {
    en: 'No likely duplicates: every contact looks like a different person.',
    ja: '重複の可能性がある連絡先はありません。',
    zh: '没有疑似重复的联系人。',
  },
  dup_reason_email: {
    en: 'Same email address (ignoring case and +tags)',
    ja: '同じメールアドレス（大文字小文字と +タグを無視）',
    zh: '相同的邮箱地址（忽略大小写和 +标签）',
  },
  dup_reason_phone: {
    en: 'Same phone number',
    ja: '同じ電話番号',
    zh: '相同的电话号码',
  },
  dup_reason_name: {
    en: 'Similar name at the same company ({percent}% alike)',
    ja: '同じ会社で似た名前（類似度 {percent}%）',
    zh: '同一公司中相似的姓名（相似度 {percent}%）',
  },
  dup_keeps: {
    en: 'Merge keeps {name}, the older record, and moves everything of {other} into it.',
    ja: '統合すると古い方の {name} を残し、{other} の情報をすべて移します。',
    zh: '合并将保留较早创建的 {name}，并将 {other} 的所有信息移入其中。',
  },
  dup_merged: {
    en: 'Merged {merged} into {survivor}. You can undo this until {until}.',
    ja: '{merged} を {survivor} に統合しました。{until} まで取り消せます。',
    zh: '已将 {merged} 合并到 {survivor}。可在 {until} 之前撤销。',
  },
  dup_dismissed: {
    en: '{a} and {b} are marked as different people; this pair will not be suggested again.',
    ja: '{a} と {b} を別人として記録しました。この組み合わせは今後表示されません。',
    zh: '已将 {a} 和 {b} 标记为不同的人，此组合将不再提示。',
  },
  dup_undone: {
    en: 'Merge undone: {names} are separate contacts again.',
    ja: '統合を取り消しました。{names} は再び別々の連絡先です。',
    zh: '已撤销合并：{names} 重新成为独立的联系人。',
  },
  dup_company_header: {
    en: 'Companies that may be one account ({count})',
    ja: '同じ会社の可能性がある取引先（{count} 組）',
    zh: '可能是同一客户的公司（{count} 组）',
  },
  dup_company_reason_domain: {
    en: 'One domain is under the other',
    ja: '一方のドメインがもう一方のサブドメイン',
    zh: '一个域名是另一个的子域名',
  },
  dup_company_reason_name: {
    en: 'Same name once Inc., 株式会社 and letter width are set aside',
    ja: 'Inc. や 株式会社、全角・半角を除くと同じ名前',
    zh: '去掉 Inc.、有限公司 及全角/半角差异后名称相同',
  },
  dup_keeps_company: {
    en: 'Merge keeps {name}, the older, and moves the other’s people, deals, domains and channels into it.',
    ja: '統合すると古い方の {name} を残し、もう一方の担当者・案件・ドメイン・チャンネルを移します。',
    zh: '合并将保留较早的 {name}，并将另一家的联系人、商机、域名和频道移入其中。',
  },
  dup_company_people: { en: 'contacts: {count}', ja: '連絡先 {count} 人', zh: '联系人 {count} 位' },
  dup_company_merged: {
    en: 'Merged {merged} into {survivor}: its people, deals and domains are there now. You can undo this until {until}.',
    ja: '{merged} を {survivor} に統合しました。担当者・案件・ドメインは移されています。{until} まで取り消せます。',
    zh: '已将 {merged} 合并到 {survivor}：其联系人、商机和域名已移入。可在 {until} 之前撤销。',
  },
  dup_company_undone: {
    en: 'Merge undone: {names} are separate companies again.',
    ja: '統合を取り消しました。{names} は再び別々の会社です。',
    zh: '已撤销合并：{names} 重新成为独立的公司。',
  },
  btn_merge: { en: 'Merge', ja: '統合', zh: '合并' },
  btn_not_duplicate: { en: 'Not a duplicate', ja: '重複ではない', zh: '不是重复' },
  btn_undo_merge: { en: 'Undo merge', ja: '統合を取り消す', zh: '撤销合并' },
} as const satisfies Record<string, Entry>;
