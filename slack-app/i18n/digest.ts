import type { Entry } from './index.js';

/** The sentences of the daily follow-up digest, its buttons, /crm digest and its Home line, in English, Japanese and Chinese. */
export const digestMessages = {
  help_digest: {
    en: '`{command} digest`: preview your daily digest; `{command} digest on|off`, `time 08:30`, `weekends on|off`, `status`',
    ja: '`{command} digest`: デイリーダイジェストをプレビューします。`{command} digest on|off`、`time 08:30`、`weekends on|off`、`status` で設定できます',
    zh: '`{command} digest`：预览每日摘要；`{command} digest on|off`、`time 08:30`、`weekends on|off`、`status` 可进行设置',
  },

  // the digest message
  digest_header: { en: 'Daily digest · {date}', ja: 'デイリーダイジェスト · {date}', zh: '每日摘要 · {date}' },
  digest_empty: {
    en: '{date}: nothing overdue, nothing due today, nobody waiting for a reply.',
    ja: '{date}: 期限切れ・今日が期限のフォローアップも、返信待ちもありません。',
    zh: '{date}：没有逾期或今天到期的跟进事项，也没有等待回复的客户。',
  },
  digest_fallback: {
    en: 'Daily digest for {date}: {overdue} overdue, {today} due today, {waiting} waiting for a reply, {cold} going cold',
    ja: '{date} のデイリーダイジェスト: 期限切れ {overdue} 件、今日が期限 {today} 件、返信待ち {waiting} 件、疎遠 {cold} 件',
    zh: '{date} 的每日摘要：逾期 {overdue} 项，今天到期 {today} 项，等待回复 {waiting} 位，逐渐冷淡 {cold} 位',
  },
  digest_overdue: { en: 'Overdue ({count})', ja: '期限切れ（{count} 件）', zh: '已逾期（{count} 项）' },
  digest_rep_overdue: { en: '{name}: {count} overdue', ja: '{name}: 期限切れ {count} 件', zh: '{name}：逾期 {count} 项' },
  digest_more_reps: {
    en: '…and {count} more people with {items} overdue',
    ja: 'ほか {count} 人（期限切れ {items} 件）',
    zh: '另有 {count} 人（逾期 {items} 项）',
  },
  digest_due_today: { en: 'Due today ({count})', ja: '今日が期限（{count} 件）', zh: '今天到期（{count} 项）' },
  digest_waiting: { en: 'Waiting for a reply ({count})', ja: '返信待ち（{count} 件）', zh: '等待回复（{count} 位）' },
  digest_going_cold: { en: 'Going cold ({count})', ja: '疎遠になりつつある顧客（{count} 件）', zh: '逐渐冷淡的客户（{count} 位）' },
  digest_yesterday: { en: 'Yesterday', ja: '昨日の活動', zh: '昨天的动态' },
  digest_waiting_since: { en: 'waiting since {when}', ja: '{when}から返信待ち', zh: '自{when}起等待回复' },
  digest_silent_since: { en: 'last contact {when}', ja: '最終接点 {when}', zh: '最近联系 {when}' },
  digest_owner: { en: 'owner {name}', ja: '担当 {name}', zh: '负责人 {name}' },
  digest_reassign: { en: 'Reassign…', ja: '担当を変更…', zh: '转交给…' },
  digest_emails: { en: '{count} emails', ja: 'メール {count} 件', zh: '邮件 {count} 封' },
  digest_emails_one: { en: '{count} email', ja: 'メール {count} 件', zh: '邮件 {count} 封' },
  digest_slack: { en: '{count} Slack messages', ja: 'Slack {count} 件', zh: 'Slack 消息 {count} 条' },
  digest_slack_one: { en: '{count} Slack message', ja: 'Slack {count} 件', zh: 'Slack 消息 {count} 条' },
  digest_notes: { en: '{count} notes', ja: 'メモ {count} 件', zh: '备注 {count} 条' },
  digest_notes_one: { en: '{count} note', ja: 'メモ {count} 件', zh: '备注 {count} 条' },
  digest_calls: { en: '{count} calls and meetings', ja: '通話・打ち合わせ {count} 件', zh: '通话和会议 {count} 次' },
  digest_calls_one: { en: '{count} call or meeting', ja: '通話・打ち合わせ {count} 件', zh: '通话和会议 {count} 次' },
  digest_done: { en: '{count} follow-ups done', ja: 'フォローアップ完了 {count} 件', zh: '完成跟进 {count} 项' },
  digest_done_one: { en: '{count} follow-up done', ja: 'フォローアップ完了 {count} 件', zh: '完成跟进 {count} 项' },
  digest_created: { en: '{count} follow-ups added', ja: 'フォローアップ追加 {count} 件', zh: '新增跟进 {count} 项' },
  digest_created_one: { en: '{count} follow-up added', ja: 'フォローアップ追加 {count} 件', zh: '新增跟进 {count} 项' },
  digest_meetings: { en: '{count} customer meetings held', ja: '顧客ミーティング {count} 件', zh: '客户会议 {count} 场' },
  digest_meetings_one: { en: '{count} customer meeting held', ja: '顧客ミーティング {count} 件', zh: '客户会议 {count} 场' },
  digest_meetings_today: { en: 'Customer meetings today ({count})', ja: '今日の顧客ミーティング（{count} 件）', zh: '今天的客户会议（{count} 场）' },

  // what a button did, in place of its buttons
  digest_done_by: { en: '✅ Done by {name}', ja: '✅ {name} が完了にしました', zh: '✅ {name} 已标记为完成' },
  digest_snoozed_by: { en: '⏰ Snoozed to {when} by {name}', ja: '⏰ {name} が {when} に延期しました', zh: '⏰ {name} 已推迟到 {when}' },
  digest_reassigned_by: {
    en: '👤 Reassigned to {owner} by {name}',
    ja: '👤 {name} が担当を {owner} に変更しました',
    zh: '👤 {name} 已转交给 {owner}',
  },
  digest_reassign_no_email: {
    en: 'Rapport cannot see an email address for that Slack user, so it cannot tell which member they are',
    ja: 'その Slack ユーザーのメールアドレスを取得できないため、どのメンバーか判別できません',
    zh: '无法获取该 Slack 用户的邮箱地址，因此无法确定对应的成员',
  },

  // /crm digest settings
  digest_settings_on: {
    en: 'Your daily digest is on: {days} at {time} ({timezone}).',
    ja: 'デイリーダイジェストはオンです: {days} {time}（{timezone}）に届きます。',
    zh: '每日摘要已开启：{days} {time}（{timezone}）发送。',
  },
  digest_settings_off: {
    en: 'Your daily digest is off. `{command} digest on` turns it on.',
    ja: 'デイリーダイジェストはオフです。`{command} digest on` でオンにできます。',
    zh: '每日摘要已关闭。使用 `{command} digest on` 开启。',
  },
  digest_days_weekdays: { en: 'every weekday', ja: '平日の毎日', zh: '每个工作日' },
  digest_days_all: { en: 'every day', ja: '毎日', zh: '每天' },
  digest_default_note: {
    en: 'What you have not chosen yourself follows your workspace: on for managers, off for others.',
    ja: '自分で選んでいない設定はワークスペースの既定に従います（マネージャーはオン、それ以外はオフ）。',
    zh: '未自行设置的项目沿用工作区的默认设置（经理默认开启，其他人默认关闭）。',
  },
  digest_bad_time: {
    en: '“{value}” is not a time: give hours and minutes, 00:00 to 23:59, e.g. `{command} digest time 08:30`.',
    ja: '「{value}」は時刻として認識できません。00:00〜23:59 の形式で指定してください（例: `{command} digest time 08:30`）。',
    zh: '“{value}”不是有效时间：请使用 00:00 到 23:59 的格式，例如 `{command} digest time 08:30`。',
  },
  digest_bad_weekends: {
    en: 'Weekends takes on or off, not “{value}”: e.g. `{command} digest weekends on`.',
    ja: 'weekends には on か off を指定してください（「{value}」は指定できません）。例: `{command} digest weekends on`',
    zh: 'weekends 只能设为 on 或 off，不能是“{value}”。例如：`{command} digest weekends on`。',
  },
  digest_bad_command: {
    en: 'Rapport did not understand “digest {value}”. Here is what it can do:',
    ja: '「digest {value}」は認識できませんでした。使えるコマンドは次のとおりです:',
    zh: '无法识别“digest {value}”。可用的命令如下：',
  },
  digest_usage_preview: {
    en: '`{command} digest`: what your digest says now, only to you',
    ja: '`{command} digest`: 今のダイジェストを自分だけに表示します',
    zh: '`{command} digest`：仅向你显示当前的摘要',
  },
  digest_usage_on_off: {
    en: '`{command} digest on|off`: turn your daily digest on or off',
    ja: '`{command} digest on|off`: デイリーダイジェストをオン/オフにします',
    zh: '`{command} digest on|off`：开启或关闭每日摘要',
  },
  digest_usage_time: {
    en: '`{command} digest time 08:30`: when it arrives, in your time zone',
    ja: '`{command} digest time 08:30`: 届く時刻（自分のタイムゾーン）を設定します',
    zh: '`{command} digest time 08:30`：设置发送时间（你的时区）',
  },
  digest_usage_weekends: {
    en: '`{command} digest weekends on|off`: on Saturdays and Sundays too, or not',
    ja: '`{command} digest weekends on|off`: 土日にも届けるかどうかを設定します',
    zh: '`{command} digest weekends on|off`：周末是否也发送',
  },
  digest_usage_segment: {
    en: '`{command} digest segment <segment>|off`: only a saved segment’s contacts in your digest',
    ja: '`{command} digest segment <セグメント>|off`: ダイジェストを保存したセグメントの連絡先に絞ります',
    zh: '`{command} digest segment <分组>|off`：摘要只包含已保存分组的联系人',
  },
  digest_segment_set: {
    en: 'Your digest now covers the segment “{segment}” only.',
    ja: 'ダイジェストはセグメント「{segment}」の連絡先だけになりました。',
    zh: '你的摘要现在只包含分组“{segment}”。',
  },
  digest_segment_cleared: {
    en: 'Your digest covers your whole team again.',
    ja: 'ダイジェストはチーム全体に戻りました。',
    zh: '你的摘要已恢复为整个团队。',
  },
  digest_usage_status: {
    en: '`{command} digest status`: settings and recent deliveries',
    ja: '`{command} digest status`: 設定と最近の配信状況を表示します',
    zh: '`{command} digest status`：查看设置和最近的发送情况',
  },

  // /crm digest status and the Home tab
  digest_status_header: { en: 'Daily digest', ja: 'デイリーダイジェスト', zh: '每日摘要' },
  digest_status_recent: { en: 'Recent deliveries', ja: '最近の配信', zh: '最近的发送' },
  digest_status_none: {
    en: 'No digest has been sent to you yet.',
    ja: 'まだダイジェストは配信されていません。',
    zh: '尚未向你发送过摘要。',
  },
  digest_status_sent: { en: 'sent', ja: '配信済み', zh: '已发送' },
  digest_status_failed: { en: 'failed', ja: '失敗', zh: '失败' },
  digest_status_skipped: { en: 'skipped (nothing to report)', ja: 'スキップ（報告なし）', zh: '已跳过（无内容）' },
  digest_status_pending: { en: 'in progress', ja: '処理中', zh: '处理中' },
  digest_attempts: { en: '{count} attempts', ja: '{count} 回試行', zh: '尝试 {count} 次' },
  digest_team_failures: {
    en: "Your team's failed deliveries (last 14 days): {count}",
    ja: 'チームの配信失敗（直近 14 日）: {count} 件',
    zh: '团队发送失败（最近 14 天）：{count} 次',
  },
  digest_home_failed: {
    en: 'Daily digest: {count} failed deliveries in the last 14 days',
    ja: 'デイリーダイジェスト: 直近 14 日の配信失敗 {count} 件',
    zh: '每日摘要：最近 14 天有 {count} 次发送失败',
  },
  digest_home_status: {
    en: '`{command} digest status` shows the details',
    ja: '詳細は `{command} digest status` で確認できます',
    zh: '使用 `{command} digest status` 查看详情',
  },
} as const satisfies Record<string, Entry>;
