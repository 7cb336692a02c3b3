import type { Entry } from './index.js';

/** The sentences of /crm list (segments), /crm stats and /crm tidy. */
export const segmentMessages = {
  help_list: {
    en: '`{command} list <segment>`: the contacts of a saved segment',
    ja: '`{command} list <セグメント>`: 保存したセグメントの連絡先を表示します',
    zh: '`{command} list <分组>`：列出已保存分组中的联系人',
  },
  help_stats: {
    en: '`{command} stats [week|month]`: the team’s numbers',
    ja: '`{command} stats [week|month]`: チームの数字を表示します',
    zh: '`{command} stats [week|month]`：查看团队数据',
  },
  help_tidy: {
    en: '`{command} tidy`: contacts missing a company, an owner or recent contact, with fixes',
    ja: '`{command} tidy`: 会社・担当者が未設定、または最近接点のない連絡先と、その修正',
    zh: '`{command} tidy`：缺少公司、负责人或近期互动的联系人及修复建议',
  },

  // /crm list <segment>
  segment_summary: {
    en: 'Segment “{name}”: {count} contacts',
    ja: 'セグメント「{name}」: {count} 件の連絡先',
    zh: '分组“{name}”：{count} 个联系人',
  },
  segment_summary_over: {
    en: 'Segment “{name}”: more than {count} contacts',
    ja: 'セグメント「{name}」: {count} 件を超える連絡先',
    zh: '分组“{name}”：超过 {count} 个联系人',
  },
  segment_more_over: { en: '…and more than {count} more', ja: 'ほか {count} 件以上', zh: '另有超过 {count} 项' },
  segment_empty: {
    en: 'No contact is in the segment “{name}” right now.',
    ja: 'セグメント「{name}」に該当する連絡先は今はありません。',
    zh: '分组“{name}”中目前没有联系人。',
  },
  segment_unknown: {
    en: 'There is no saved segment “{name}”.',
    ja: '保存済みのセグメント「{name}」はありません。',
    zh: '没有名为“{name}”的已保存分组。',
  },
  segment_available: {
    en: 'Saved segments: {names}',
    ja: '保存済みのセグメント: {names}',
    zh: '已保存的分组：{names}',
  },
  segment_none_saved: {
    en: 'This workspace has no saved segments yet. Save one through the API: POST /api/segments.',
    ja: 'このワークスペースにはまだ保存済みのセグメントがありません。API（POST /api/segments）で保存できます。',
    zh: '此工作区还没有已保存的分组。可通过 API（POST /api/segments）保存。',
  },

  // /crm stats
  stats_header: { en: 'Numbers · {period}', ja: '数字 · {period}', zh: '数据 · {period}' },
  stats_period_week: { en: 'last 7 days', ja: '過去 7 日間', zh: '最近 7 天' },
  stats_period_month: { en: 'last month', ja: '過去 1 か月', zh: '最近一个月' },
  stats_scope_own: { en: 'Your own numbers', ja: 'あなた自身の数字', zh: '你自己的数据' },
  stats_scope_team: { en: 'Your team ({count} people)', ja: 'あなたのチーム（{count} 人）', zh: '你的团队（{count} 人）' },
  stats_scope_workspace: {
    en: 'The whole workspace ({count} people)',
    ja: 'ワークスペース全体（{count} 人）',
    zh: '整个工作区（{count} 人）',
  },
  stats_range: { en: '{scope} · {from} – {to}', ja: '{scope} · {from} ～ {to}', zh: '{scope} · {from} 至 {to}' },
  stats_stages: { en: 'Contacts by stage ({count})', ja: 'ステージ別の連絡先（{count} 件）', zh: '按阶段统计的联系人（{count} 个）' },
  stats_moves: { en: 'Stage changes', ja: 'ステージの変化', zh: '阶段变化' },
  stats_moves_none: { en: 'No stage changed in this period.', ja: 'この期間にステージの変化はありません。', zh: '此期间没有阶段变化。' },
  stats_interactions: { en: 'Interactions by rep ({count})', ja: '担当者別のやり取り（{count} 件）', zh: '按成员统计的互动（{count} 次）' },
  stats_interactions_none: { en: 'No interactions in this period.', ja: 'この期間のやり取りはありません。', zh: '此期间没有互动。' },
  stats_follow_ups: {
    en: 'Follow-ups: {created} created · {done} done · {overdue} overdue now',
    ja: 'フォローアップ: 作成 {created} 件 · 完了 {done} 件 · 現在期限切れ {overdue} 件',
    zh: '跟进事项：新建 {created} 项 · 完成 {done} 项 · 当前逾期 {overdue} 项',
  },
  stats_reply: {
    en: 'Median time to reply to an inbound email: {duration} ({answered} of {total} answered)',
    ja: '受信メールへの返信までの時間（中央値）: {duration}（{total} 件中 {answered} 件に返信）',
    zh: '回复收到邮件的时间（中位数）：{duration}（{total} 封中已回复 {answered} 封）',
  },
  stats_reply_none: {
    en: 'Median time to reply to an inbound email: none answered yet ({total} received)',
    ja: '受信メールへの返信までの時間（中央値）: まだ返信がありません（受信 {total} 件）',
    zh: '回复收到邮件的时间（中位数）：尚无回复（收到 {total} 封）',
  },
  stats_timezones: { en: 'Contacts by time zone', ja: 'タイムゾーン別の連絡先', zh: '按时区统计的联系人' },
  stats_timezone_unset: { en: 'not set', ja: '未設定', zh: '未设置' },
  duration_minutes: { en: '{m} min', ja: '{m} 分', zh: '{m} 分钟' },
  duration_hours: { en: '{h} h {m} min', ja: '{h} 時間 {m} 分', zh: '{h} 小时 {m} 分钟' },
  duration_days: { en: '{d} d {h} h', ja: '{d} 日 {h} 時間', zh: '{d} 天 {h} 小时' },

  // /crm tidy
  tidy_header: { en: 'Contacts to tidy ({count})', ja: '整理が必要な連絡先（{count} 件）', zh: '需要整理的联系人（{count} 个）' },
  tidy_counts: {
    en: '{noCompany} without a company · {noOwner} without an owner · {stale} without an interaction in 90 days',
    ja: '会社未設定 {noCompany} 件 · 担当者未設定 {noOwner} 件 · 90 日間やり取りなし {stale} 件',
    zh: '未设置公司 {noCompany} 个 · 未设置负责人 {noOwner} 个 · 90 天内无互动 {stale} 个',
  },
  tidy_none: {
    en: 'Nothing to tidy: every contact has a company, an owner and a recent interaction.',
    ja: '整理が必要な連絡先はありません。すべての連絡先に会社・担当者・最近のやり取りがあります。',
    zh: '没有需要整理的联系人：每个联系人都有公司、负责人和近期互动。',
  },
  tidy_no_company: { en: 'no company', ja: '会社が未設定', zh: '未设置公司' },
  tidy_no_owner: { en: 'no owner', ja: '担当者が未設定', zh: '未设置负责人' },
  tidy_stale: { en: 'no interaction in 90 days', ja: '90 日間やり取りなし', zh: '90 天内没有互动' },
  tidy_stale_since: { en: 'last interaction {when}', ja: '最終接点 {when}', zh: '最近互动 {when}' },
  tidy_fixed_company: {
    en: '{name}: company set to {company}.',
    ja: '{name}: 会社を {company} に設定しました。',
    zh: '{name}：公司已设为 {company}。',
  },
  tidy_fixed_owner: { en: 'You now own {name}.', ja: '{name} の担当者をあなたにしました。', zh: '你现在是 {name} 的负责人。' },
  btn_tidy_company: { en: 'Set company: {company}', ja: '会社を設定: {company}', zh: '设置公司：{company}' },
  btn_tidy_owner: { en: 'Make me the owner', ja: '自分を担当者にする', zh: '设我为负责人' },
} as const satisfies Record<string, Entry>;
