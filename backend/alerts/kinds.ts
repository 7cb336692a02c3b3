import type { Entry } from '../i18n/vocabulary.js';

/**
 * What can alert (issue 19), named as the API names them; shared by the
 * backend, the Slack app and the add-on. `already_answered` is a line on the
 * add-on's card ("<colleague> replied 10 minutes ago"), never a message; the
 * others are messages a member turns on ('dm') or off, and kinds a channel
 * rule may carry. The defaults are crm.alert_default's (SQL), restated here
 * for the modal: every message kind is on until its member turns it off.
 */
export const ALERT_KINDS = [
  'waiting_reply',
  'already_answered',
  'follow_up_due',
  'follow_up_overdue',
  'deal_created',
  'deal_stage_changed',
  'deal_won',
  'deal_lost',
  'deal_close_passed',
  'tagged_inbound',
  'capture_failed',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The kinds that are messages: a member's DM choice, a channel rule's kinds. */
export const MESSAGE_ALERT_KINDS = ALERT_KINDS.filter((k): k is Exclude<AlertKind, 'already_answered'> => k !== 'already_answered');
export type MessageAlertKind = (typeof MESSAGE_ALERT_KINDS)[number];

export const ALERT_DELIVERY = ['dm', 'off'] as const;
export type AlertDelivery = (typeof ALERT_DELIVERY)[number];

export const ALERT_DEFAULTS: Record<MessageAlertKind, AlertDelivery> = Object.fromEntries(MESSAGE_ALERT_KINDS.map((k) => [k, 'dm'])) as Record<
  MessageAlertKind,
  AlertDelivery
>;

/** The tags whose inbound mail a member hears about unless they chose others. */
export const DEFAULT_ALERT_TAGS = ['vip'];

/** Batching: what follows a channel rule's first alert within this is folded into one further message. */
export const RULE_FOLD_MINUTES = 5;
/** At most one DM per member and kind within this (the first waiting-for-reply alert of a thread excepted). */
export const DM_FOLD_MINUTES = 10;

/** Each kind's name, as the modal, the rule list and the README show it. */
export const ALERT_KIND_NAMES: Record<AlertKind, Entry> = {
  waiting_reply: { en: 'A customer is waiting for a reply', ja: '顧客が返信を待っています', zh: '客户正在等待回复' },
  already_answered: { en: 'Someone else is already on it', ja: '他のメンバーが対応済み', zh: '其他同事已在处理' },
  follow_up_due: { en: 'A follow-up is due', ja: 'フォローアップの期限です', zh: '跟进到期' },
  follow_up_overdue: { en: 'A follow-up is overdue', ja: 'フォローアップが期限切れです', zh: '跟进已逾期' },
  deal_created: { en: 'A deal was created', ja: '案件が作成されました', zh: '新建了商机' },
  deal_stage_changed: { en: 'A deal changed stage', ja: '案件のステージが変わりました', zh: '商机阶段已变更' },
  deal_won: { en: 'A deal was won', ja: '案件を受注しました', zh: '商机已赢单' },
  deal_lost: { en: 'A deal was lost', ja: '案件を失注しました', zh: '商机已丢单' },
  deal_close_passed: { en: "A deal's expected close date passed", ja: '案件の受注予定日を過ぎました', zh: '商机的预计成交日期已过' },
  tagged_inbound: { en: 'A message from a tagged contact or company', ja: 'タグ付きの連絡先・会社からのメッセージ', zh: '来自带标签的联系人或公司的消息' },
  capture_failed: {
    en: 'Capture stopped (a channel or a mailbox)',
    ja: '取り込みが止まりました（チャンネルまたはメールボックス）',
    zh: '采集已停止（频道或邮箱）',
  },
};
