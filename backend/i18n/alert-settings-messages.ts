import type { Entry } from './vocabulary.js';

/** The backend's sentences about choosing alerts and channel rules (issue 19), in en, ja, zh. */
export const alertSettingsMessages = {
  alert_kind_unknown: {
    en: 'There is no alert kind “{kind}”. The kinds are: waiting_reply, follow_up_due, follow_up_overdue, deal_created, deal_stage_changed, deal_won, deal_lost, deal_close_passed, tagged_inbound, capture_failed.',
    ja: '通知の種類「{kind}」はありません。種類は waiting_reply, follow_up_due, follow_up_overdue, deal_created, deal_stage_changed, deal_won, deal_lost, deal_close_passed, tagged_inbound, capture_failed です。',
    zh: '没有“{kind}”这种提醒类型。可用类型为：waiting_reply、follow_up_due、follow_up_overdue、deal_created、deal_stage_changed、deal_won、deal_lost、deal_close_passed、tagged_inbound、capture_failed。',
  },
  alert_kinds_required: {
    en: 'Name at least one kind of alert.',
    ja: '通知の種類を 1 つ以上指定してください。',
    zh: '请至少指定一种提醒类型。',
  },
  alert_delivery_invalid: {
    en: 'Alerts of kind {kind} are either "dm" (a direct message) or "off".',
    ja: '{kind} の通知は "dm"（ダイレクトメッセージ）か "off" のどちらかです。',
    zh: '{kind} 类提醒只能是 "dm"（私信）或 "off"。',
  },
  alert_tags_invalid: {
    en: 'Tags are a list of up to 20 words of 1 to 100 characters each.',
    ja: 'タグは 1〜100 文字の語を 20 個までのリストで指定してください。',
    zh: '标签是最多 20 个、每个 1 到 100 个字符的列表。',
  },
  alert_days_invalid: {
    en: 'Working days are a list of at least one day, 1 (Monday) to 7 (Sunday).',
    ja: '勤務日は 1（月曜）〜7（日曜）の日を 1 つ以上のリストで指定してください。',
    zh: '工作日是至少包含一天的列表，取值 1（周一）到 7（周日）。',
  },
  alert_reply_minutes_invalid: {
    en: 'The reply window is a whole number of working minutes from 0 to 10080 (a week).',
    ja: '返信期限は 0〜10080（1 週間）の整数の勤務分で指定してください。',
    zh: '回复时限须为 0 到 10080（一周）之间的整数工作分钟数。',
  },
  alert_rules_managers_only: {
    en: 'Only managers and admins can see and add channel alerts.',
    ja: 'チャンネル通知を確認・追加できるのはマネージャーと管理者だけです。',
    zh: '只有经理和管理员可以查看和添加频道提醒。',
  },
  alert_rule_no_slack: {
    en: 'This workspace has no Slack team connected, so there is no channel to send alerts to. Add Rapport to Slack first.',
    ja: 'このワークスペースには Slack チームが接続されていないため、通知を送るチャンネルがありません。先に Rapport を Slack に追加してください。',
    zh: '此工作区未连接 Slack 团队，没有可发送提醒的频道。请先将 Rapport 添加到 Slack。',
  },
  alert_rule_channel_shared: {
    en: 'Channel {channel} is shared with another organisation (Slack Connect): Rapport never posts CRM alerts there. Choose an internal channel.',
    ja: 'チャンネル {channel} は他の組織と共有されています（Slack コネクト）。Rapport はそこに CRM の通知を投稿しません。社内のチャンネルを選んでください。',
    zh: '频道 {channel} 与其他组织共享（Slack Connect）：Rapport 不会在此发布 CRM 提醒。请选择内部频道。',
  },
  alert_rule_channel_unverified: {
    en: 'Rapport could not check with Slack whether channel {channel} is shared with another organisation, so it was not added. Invite @Rapport to the channel and try again.',
    ja: 'チャンネル {channel} が他の組織と共有されているかを Slack で確認できなかったため、追加しませんでした。@Rapport をチャンネルに招待してからもう一度お試しください。',
    zh: '无法通过 Slack 确认频道 {channel} 是否与其他组织共享，因此未添加。请将 @Rapport 邀请到该频道后重试。',
  },
  alert_rule_not_in_channel: {
    en: 'Rapport is not in channel {channel}, so it could not post there. Invite @Rapport to the channel first.',
    ja: 'Rapport はチャンネル {channel} に参加していないため、投稿できません。先に @Rapport をチャンネルに招待してください。',
    zh: 'Rapport 不在频道 {channel} 中，无法在此发布。请先将 @Rapport 邀请到该频道。',
  },
  alert_rule_not_a_manager: {
    en: 'Member {id} has no team: choose a manager for a team filter.',
    ja: 'メンバー {id} にはチームがありません。チームで絞り込むにはマネージャーを選んでください。',
    zh: '成员 {id} 没有团队：团队筛选请选择一位经理。',
  },
  alert_rule_stage_unknown: {
    en: 'There is no stage “{stage}”: use a contact stage (lead, prospect, customer, churned) or a stage key of the pipeline (GET /api/pipeline).',
    ja: 'ステージ「{stage}」はありません。連絡先のステージ（lead, prospect, customer, churned）かパイプラインのステージキー（GET /api/pipeline）を指定してください。',
    zh: '没有“{stage}”这个阶段：请使用联系人阶段（lead、prospect、customer、churned）或销售管道的阶段键（GET /api/pipeline）。',
  },
  alert_rule_not_found: {
    en: 'There is no channel alert {id} in this workspace.',
    ja: 'このワークスペースにチャンネル通知 {id} はありません。',
    zh: '此工作区中没有频道提醒 {id}。',
  },
  alert_rule_delete_forbidden: {
    en: 'Only whoever added this channel alert, or an admin, can remove it.',
    ja: 'このチャンネル通知を削除できるのは、追加した人か管理者だけです。',
    zh: '只有添加此频道提醒的人或管理员可以删除它。',
  },
} satisfies Record<string, Entry>;
