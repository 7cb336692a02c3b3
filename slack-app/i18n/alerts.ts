import type { Entry } from './index.js';

/**
 * Alert messages (issue 19) and their buttons, in English, Japanese and
 * Chinese. The kinds' own names are ALERT_KIND_NAMES (backend/alerts/kinds.ts).
 */
export const alertMessages = {
  alert_more: { en: 'and {count} more', ja: 'ほか {count} 件', zh: '另有 {count} 条' },
  alert_escalation: {
    en: 'Still unanswered after {minutes} working minutes: you are told as the owner’s manager.',
    ja: '{minutes} 分（勤務時間）経っても未返信です。担当者の上長としてお知らせしています。',
    zh: '已超过 {minutes} 个工作分钟仍未回复：作为负责人的上级通知你。',
  },
  alert_window: { en: 'Waiting for {minutes} working minutes.', ja: '{minutes} 分（勤務時間）返信待ちです。', zh: '已等待 {minutes} 个工作分钟。' },
  alert_private_email: { en: 'A private email', ja: '非公開のメール', zh: '一封私密邮件' },
  alert_owner: { en: 'Owner: {name}', ja: '担当: {name}', zh: '负责人：{name}' },
  alert_due: { en: 'Due {when}', ja: '期限 {when}', zh: '截止 {when}' },
  alert_stage_change: { en: '{from} → {to}', ja: '{from} → {to}', zh: '{from} → {to}' },
  alert_close_date: { en: 'Expected to close on {date}', ja: '受注予定日 {date}', zh: '预计成交日期 {date}' },
  alert_reason: { en: 'Reason: {reason}', ja: '理由: {reason}', zh: '原因：{reason}' },
  alert_tags: { en: 'Tags: {tags}', ja: 'タグ: {tags}', zh: '标签：{tags}' },
  alert_capture_channel: {
    en: 'Capturing #{channel} stopped: {error}',
    ja: '#{channel} の取り込みが止まりました: {error}',
    zh: '#{channel} 的采集已停止：{error}',
  },
  alert_capture_mailbox: {
    en: 'Syncing the mailbox {address} stopped: {error}',
    ja: 'メールボックス {address} の同期が止まりました: {error}',
    zh: '邮箱 {address} 的同步已停止：{error}',
  },
  alert_assigned_to: { en: '{name} is on it', ja: '{name} が対応中です', zh: '{name} 正在处理' },
  alert_by: { en: 'by {name}', ja: '{name}', zh: '由 {name}' },
  btn_alert_open: { en: 'Open card', ja: 'カードを開く', zh: '打开名片' },
  btn_alert_done: { en: 'Done', ja: '完了', zh: '完成' },
  btn_alert_snooze: { en: 'Snooze 1 hour', ja: '1 時間スヌーズ', zh: '稍后 1 小时' },
  btn_alert_assign: { en: 'Assign to me', ja: '自分が担当', zh: '分配给我' },
  alert_done_by: { en: ':white_check_mark: Done by {name}', ja: ':white_check_mark: {name} が完了しました', zh: ':white_check_mark: {name} 已完成' },
  alert_snoozed_by: {
    en: ':zzz: Snoozed by {name} until {when}',
    ja: ':zzz: {name} が {when} までスヌーズしました',
    zh: ':zzz: {name} 已推迟到 {when}',
  },
  alert_assigned_by: { en: ':raising_hand: {name} took it', ja: ':raising_hand: {name} が担当します', zh: ':raising_hand: {name} 已接手' },
  alert_nothing_to_open: {
    en: 'There is no card for this alert any more.',
    ja: 'このアラートのカードはもうありません。',
    zh: '此提醒已没有对应的名片。',
  },
  alert_rule_shared: {
    en: 'Rapport stopped posting alerts to #{channel}: it is now shared with another organisation (Slack Connect), and customer details never go there. Choose another channel with `/crm alerts channel`.',
    ja: '#{channel} は他の組織と共有された（Slack コネクト）ため、Rapport はこのチャンネルへのアラート投稿を停止しました。顧客情報は共有チャンネルには送りません。`/crm alerts channel` で別のチャンネルを選んでください。',
    zh: '#{channel} 现已与其他组织共享（Slack Connect），Rapport 已停止向其发送提醒，客户信息不会发往共享频道。请用 `/crm alerts channel` 选择其他频道。',
  },
  alert_rule_gone: {
    en: 'Rapport stopped posting alerts to #{channel}: the channel was archived or deleted. Choose another channel with `/crm alerts channel`.',
    ja: '#{channel} はアーカイブまたは削除されたため、Rapport はアラート投稿を停止しました。`/crm alerts channel` で別のチャンネルを選んでください。',
    zh: '#{channel} 已归档或删除，Rapport 已停止向其发送提醒。请用 `/crm alerts channel` 选择其他频道。',
  },
} satisfies Record<string, Entry>;
