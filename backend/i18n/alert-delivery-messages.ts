import type { Entry } from './vocabulary.js';

/** The backend's sentences about acting on an alert (issue 19: Done, Snooze, Assign to me), in en, ja, zh. */
export const alertDeliveryMessages = {
  alert_not_found: {
    en: 'There is no such alert in this workspace.',
    ja: 'このワークスペースにそのアラートはありません。',
    zh: '此工作区中没有该提醒。',
  },
  alert_forbidden: {
    en: 'Only the person this alert was sent to can act on it.',
    ja: 'このアラートを操作できるのは、送信先の本人だけです。',
    zh: '只有收到此提醒的人才能处理它。',
  },
  alert_not_assignable: {
    en: 'This alert is not about something you can take on.',
    ja: 'このアラートには担当できる対象がありません。',
    zh: '此提醒没有可以由你接手的对象。',
  },
} satisfies Record<string, Entry>;
