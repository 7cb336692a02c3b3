import type { Entry } from './index.js';

/**
 * /crm alerts (a member's own alerts) and /crm alerts channel (channel rules,
 * managers and admins), and the DM that tells a rule's creator it stopped, in
 * English, Japanese and Chinese. The kinds' names are ALERT_KIND_NAMES
 * (backend/alerts/kinds.ts), shared with the backend and the add-on.
 */
export const alertSettingsMessages = {
  help_alerts: {
    en: '`{command} alerts`: choose which alerts you get by DM, the tags you hear about, your working hours and days',
    ja: '`{command} alerts`: DM で受け取る通知、通知するタグ、勤務時間と勤務日を選びます',
    zh: '`{command} alerts`：选择通过私信接收哪些提醒、关注的标签、工作时间和工作日',
  },
  help_alerts_channel: {
    en: '`{command} alerts channel`: (managers and admins) post chosen alerts to a channel',
    ja: '`{command} alerts channel`: （マネージャーと管理者）選んだ通知をチャンネルに投稿します',
    zh: '`{command} alerts channel`：（经理和管理员）将所选提醒发布到频道',
  },
  alerts_title_prefs: { en: 'Your alerts', ja: '通知の設定', zh: '提醒设置' },
  alerts_title_rule: { en: 'Channel alerts', ja: 'チャンネル通知', zh: '频道提醒' },
  alerts_label_kinds: { en: 'Send me a DM when', ja: '次のときに DM で知らせる', zh: '在以下情况私信我' },
  alerts_hint_kinds: {
    en: 'Untick what you do not want to hear about.',
    ja: '不要な通知はチェックを外してください。',
    zh: '取消勾选不想接收的提醒。',
  },
  alerts_label_tags: { en: 'Tags to hear about', ja: '通知するタグ', zh: '关注的标签' },
  alerts_hint_tags: {
    en: 'Separated by commas. A message from a contact or company with one of these tags alerts you; vip when left empty.',
    ja: 'カンマ区切り。これらのタグが付いた連絡先・会社からのメッセージを通知します。空欄なら vip です。',
    zh: '用逗号分隔。来自带有这些标签的联系人或公司的消息会提醒你；留空则为 vip。',
  },
  alerts_label_start: { en: 'Working hours: from', ja: '勤務時間: 開始', zh: '工作时间：开始' },
  alerts_label_end: { en: 'Working hours: to', ja: '勤務時間: 終了', zh: '工作时间：结束' },
  alerts_label_days: { en: 'Working days', ja: '勤務日', zh: '工作日' },
  alerts_hours_zone: {
    en: 'Hours and days are in your time zone, {zone} (`{command} tz` changes it). Outside them your DMs wait for the start of your next working period.',
    ja: '時間と曜日はあなたのタイムゾーン {zone} のものです（`{command} tz` で変更）。それ以外の時間の DM は次の勤務開始まで待ちます。',
    zh: '时间和日期按你的时区 {zone} 计算（用 `{command} tz` 修改）。其他时间的私信会等到下一个工作时段开始时发送。',
  },
  alerts_day_1: { en: 'Monday', ja: '月曜日', zh: '周一' },
  alerts_day_2: { en: 'Tuesday', ja: '火曜日', zh: '周二' },
  alerts_day_3: { en: 'Wednesday', ja: '水曜日', zh: '周三' },
  alerts_day_4: { en: 'Thursday', ja: '木曜日', zh: '周四' },
  alerts_day_5: { en: 'Friday', ja: '金曜日', zh: '周五' },
  alerts_day_6: { en: 'Saturday', ja: '土曜日', zh: '周六' },
  alerts_day_7: { en: 'Sunday', ja: '日曜日', zh: '周日' },
  alerts_err_hours: { en: 'Choose a start before the end.', ja: '開始は終了より前にしてください。', zh: '开始时间须早于结束时间。' },
  alerts_err_days: { en: 'Choose at least one working day.', ja: '勤務日を 1 日以上選んでください。', zh: '请至少选择一个工作日。' },
  alerts_saved: {
    en: 'Your alert settings are saved.',
    ja: '通知の設定を保存しました。',
    zh: '提醒设置已保存。',
  },
  alerts_label_channel: { en: 'Channel', ja: 'チャンネル', zh: '频道' },
  alerts_label_rule_kinds: { en: 'Post these alerts', ja: '投稿する通知', zh: '发布以下提醒' },
  alerts_label_owner: { en: 'Only what this person owns', ja: 'この人が担当するものだけ', zh: '仅此人负责的' },
  alerts_label_team: { en: "Only what this manager's team owns", ja: 'このマネージャーのチームが担当するものだけ', zh: '仅此经理团队负责的' },
  alerts_label_tag: { en: 'Only contacts or companies with this tag', ja: 'このタグが付いた連絡先・会社だけ', zh: '仅带有此标签的联系人或公司' },
  alerts_label_segment: { en: 'Only contacts in this segment', ja: 'このセグメントの連絡先だけ', zh: '仅此分组中的联系人' },
  alerts_label_stage: { en: 'Only at this stage', ja: 'このステージのものだけ', zh: '仅此阶段' },
  alerts_stage_contact: { en: '{stage} (contact)', ja: '{stage}（連絡先）', zh: '{stage}（联系人）' },
  alerts_stage_deal: { en: '{stage} (deal)', ja: '{stage}（案件）', zh: '{stage}（商机）' },
  alerts_rules_header: { en: 'Channel alerts now', ja: '現在のチャンネル通知', zh: '当前的频道提醒' },
  alerts_rules_none: {
    en: 'No channel gets alerts yet. Choose one below.',
    ja: 'まだ通知を受け取るチャンネルはありません。下で選んでください。',
    zh: '还没有频道接收提醒。请在下方选择。',
  },
  alerts_rule_line: {
    en: '{channel}: {kinds} (added by {creator})',
    ja: '{channel}: {kinds}（追加: {creator}）',
    zh: '{channel}：{kinds}（添加者：{creator}）',
  },
  alerts_rule_stopped_line: {
    en: '{channel}: stopped, {reason} (added by {creator})',
    ja: '{channel}: 停止中、{reason}（追加: {creator}）',
    zh: '{channel}：已停止，{reason}（添加者：{creator}）',
  },
  alerts_rule_remove: { en: 'Remove', ja: '削除', zh: '删除' },
  alerts_reason_shared: {
    en: 'the channel is now shared with another organisation (Slack Connect), where Rapport never posts CRM data',
    ja: 'チャンネルが他の組織と共有された（Slack コネクト）ため。Rapport はそこに CRM のデータを投稿しません',
    zh: '该频道已与其他组织共享（Slack Connect），Rapport 不会在此发布 CRM 数据',
  },
  alerts_reason_channel_gone: {
    en: 'the channel was archived or deleted',
    ja: 'チャンネルがアーカイブまたは削除されたため',
    zh: '该频道已被归档或删除',
  },
  alerts_reason_not_in_channel: {
    en: 'Rapport was removed from the channel',
    ja: 'Rapport がチャンネルから外されたため',
    zh: 'Rapport 已被移出该频道',
  },
  alerts_rule_saved: {
    en: 'Alerts will be posted in {channel}.',
    ja: '{channel} に通知を投稿します。',
    zh: '提醒将发布到 {channel}。',
  },
  alerts_rule_stopped_dm: {
    en: 'Your channel alert for {channel} stopped: {reason}. Nothing more is posted there. `{command} alerts channel` adds another.',
    ja: '{channel} のチャンネル通知を停止しました。理由: {reason}。今後そこには投稿しません。`{command} alerts channel` で別のチャンネルを追加できます。',
    zh: '你为 {channel} 设置的频道提醒已停止：{reason}。今后不会再在此发布。可用 `{command} alerts channel` 添加其他频道。',
  },
  alerts_channel_shared: {
    en: '{channel} is shared with another organisation (Slack Connect). Rapport never posts CRM alerts there: choose an internal channel.',
    ja: '{channel} は他の組織と共有されています（Slack コネクト）。Rapport はそこに CRM の通知を投稿しません。社内のチャンネルを選んでください。',
    zh: '{channel} 与其他组织共享（Slack Connect）。Rapport 不会在此发布 CRM 提醒：请选择内部频道。',
  },
  alerts_channel_unverified: {
    en: 'Rapport could not check this channel with Slack. Invite @Rapport to it and try again.',
    ja: 'このチャンネルを Slack で確認できませんでした。@Rapport を招待してからもう一度お試しください。',
    zh: '无法通过 Slack 确认此频道。请邀请 @Rapport 加入后重试。',
  },
  alerts_not_member: {
    en: 'This person is not in Rapport yet.',
    ja: 'この人はまだ Rapport のメンバーではありません。',
    zh: '此人还不是 Rapport 成员。',
  },
  alerts_rules_reps: {
    en: 'Channel alerts are set by managers and admins: ask one of them. Your own alerts: `{command} alerts`.',
    ja: 'チャンネル通知はマネージャーと管理者が設定します。どちらかに依頼してください。自分の通知は `{command} alerts` で設定できます。',
    zh: '频道提醒由经理和管理员设置，请联系他们。你自己的提醒：`{command} alerts`。',
  },
} satisfies Record<string, Entry>;
