import type { Entry } from '../../backend/i18n/vocabulary.js';

/** "Someone else is already on it" (issue 19, already_answered): the line on an open email's card, in English, Japanese and Chinese. */
export const answeredMessages = {
  answered_replied: { en: '{name} replied {ago}', ja: '{name} さんが{ago}に返信しました', zh: '{name} {ago}已回复' },
  answered_assigned: { en: '{name} is on it (assigned {ago})', ja: '{name} さんが対応中です（{ago}に担当）', zh: '{name} 正在处理（{ago}认领）' },
  ago_now: { en: 'just now', ja: 'たった今', zh: '刚刚' },
  ago_minute: { en: '1 minute ago', ja: '1分前', zh: '1分钟前' },
  ago_minutes: { en: '{count} minutes ago', ja: '{count}分前', zh: '{count}分钟前' },
  ago_hour: { en: '1 hour ago', ja: '1時間前', zh: '1小时前' },
  ago_hours: { en: '{count} hours ago', ja: '{count}時間前', zh: '{count}小时前' },
  ago_day: { en: '1 day ago', ja: '1日前', zh: '1天前' },
  ago_days: { en: '{count} days ago', ja: '{count}日前', zh: '{count}天前' },
} as const satisfies Record<string, Entry>;
