import { LOCALES, fill, vocabulary, type Entry, type Locale } from '../../backend/i18n/vocabulary.js';
import { COMMAND } from '../ids.js';
import { captureMessages } from './capture.js';
import { dealMessages } from './deals.js';
import { digestMessages } from './digest.js';
import { dealNumberMessages } from './deal-numbers.js';
import { duplicateMessages } from './duplicates.js';
import { segmentMessages } from './segments.js';
import { homeMessages } from './home.js';
import { installMessages } from './install.js';
import { mailboxMessages } from './mailbox.js';
import { modalMessages } from './modals.js';
import { teamMessages } from './team.js';
import { teamAdminMessages } from './team-admin.js';
import { accountMessages } from './accounts.js';
import { alertSettingsMessages } from './alert-settings.js';
import { alertMessages } from './alerts.js';

/**
 * Every sentence the Slack app shows a person, in English, Japanese and
 * Chinese. Placeholders are {name}; each locale uses the same ones (a test
 * checks). Strings may carry Slack mrkdwn (`code`, *bold*); the builders escape
 * the filled-in result, so a placeholder value can never add a link or a ping.
 * The message shortcut keeps its English name in every locale: Slack shows the
 * manifest's name, not ours.
 */
export { LOCALES, type Entry, type Locale };

const coreMessages = {
  // help
  help_header: {
    en: 'Rapport in Slack',
    ja: 'Slack で Rapport を使う',
    zh: '在 Slack 中使用 Rapport',
  },
  help_lookup: {
    en: '`{command} <name|email|company|phone>`: find a contact and show its card',
    ja: '`{command} <名前|メール|会社名|電話番号>`: 連絡先を検索してカードを表示します',
    zh: '`{command} <姓名|邮箱|公司|电话>`：查找联系人并显示名片',
  },
  help_help: {
    en: '`{command} help`: show this list',
    ja: '`{command} help`: この一覧を表示します',
    zh: '`{command} help`：显示此列表',
  },
  help_follow_ups: {
    en: '`{command} follow-ups`: your open follow-ups, overdue first',
    ja: '`{command} follow-ups`: 未完了のフォローアップを期限切れのものから表示します',
    zh: '`{command} follow-ups`：查看你未完成的跟进事项，已逾期的排在前面',
  },
  help_link: {
    en: '`{command} link <company or contact>`: link this channel to a company or contact',
    ja: '`{command} link <会社名または連絡先>`: このチャンネルを会社または連絡先に紐づけます',
    zh: '`{command} link <公司或联系人>`：将此频道关联到公司或联系人',
  },
  help_unlink: {
    en: "`{command} unlink`: remove this channel's link",
    ja: '`{command} unlink`: このチャンネルの紐づけを解除します',
    zh: '`{command} unlink`：解除此频道的关联',
  },
  help_lang: {
    en: '`{command} lang en|ja|zh`: choose the language Rapport uses with you',
    ja: '`{command} lang en|ja|zh`: Rapport の表示言語を切り替えます',
    zh: '`{command} lang en|ja|zh`：切换 Rapport 的显示语言',
  },
  help_mention: {
    en: 'Mention @Rapport or send it a DM: “history of Jane Tanaka”, “who is jane@acme.co.jp”, “田中さんの履歴”',
    ja: '@Rapport にメンションするか DM で話しかけてください: 「田中さんの履歴」「who is jane@acme.co.jp」「history of Jane Tanaka」',
    zh: '在频道中 @Rapport 或给它发私信：“history of Jane Tanaka”、“who is jane@acme.co.jp”、“田中さんの履歴”',
  },
  help_shortcut: {
    en: "On any message, open the ⋯ menu and choose *Log to Rapport* to save it to a contact's history",
    ja: 'メッセージの ⋯ メニューから *Log to Rapport* を選ぶと、そのメッセージを連絡先の履歴に記録できます',
    zh: '在任意消息的 ⋯ 菜单中选择 *Log to Rapport*，即可将该消息记录到联系人的历史中',
  },
  help_unknown: {
    en: 'Rapport did not understand “{text}”. Here is what it can do:',
    ja: '「{text}」は認識できませんでした。使えるコマンドは次のとおりです:',
    zh: '无法识别“{text}”。可用的命令如下：',
  },

  // card labels
  label_title: { en: 'Title', ja: '役職', zh: '职位' },
  label_reading: { en: 'Reading of the name', ja: '読み（ふりがな）', zh: '读音（拼音）' },
  modal_hint_reading: {
    en: 'How the name is said, in kana or pinyin: lists sort by it and search finds it (たなか, tanaka).',
    ja: '名前の読みをかなかピンインで。一覧はこの読みの順に並び、検索でも見つかります（たなか、tanaka）。',
    zh: '名字的读音（假名或拼音）：列表按它排序，搜索也能找到（wang wei、wangwei）。',
  },
  label_company: { en: 'Company', ja: '会社', zh: '公司' },
  label_phone: { en: 'Phone', ja: '電話番号', zh: '电话' },
  label_stage: { en: 'Stage', ja: 'ステージ', zh: '阶段' },
  label_owner: { en: 'Owner', ja: '担当者', zh: '负责人' },
  label_emails: { en: 'Emails', ja: 'メールアドレス', zh: '邮箱' },
  label_last_interaction: { en: 'Last interaction', ja: '最終接点', zh: '最近互动' },
  label_open_follow_ups: { en: 'Open follow-ups', ja: '未完了のフォローアップ', zh: '未完成的跟进事项' },
  label_history: { en: 'Latest history', ja: '最近の履歴', zh: '最近记录' },
  label_upcoming_meetings: { en: 'Upcoming meetings', ja: '今後のミーティング', zh: '即将举行的会议' },
  meeting_minutes: { en: '{count} min', ja: '{count}分', zh: '{count} 分钟' },
  meeting_video_call: { en: 'video call', ja: 'ビデオ会議', zh: '视频会议' },
  meeting_with_team: { en: 'with {names}', ja: '参加: {names}', zh: '参加者：{names}' },
  help_brief: {
    en: '`{command} brief off|on|<minutes>`: a brief in a DM before each meeting with a customer, or none',
    ja: '`{command} brief off|on|<分>`: 顧客とのミーティングの前に DM でブリーフを受け取る（off で停止）',
    zh: '`{command} brief off|on|<分钟>`：在每次客户会议前通过私信接收会前简报（off 为关闭）',
  },
  nudge_header: { en: 'How did “{title}” go?', ja: '「{title}」はいかがでしたか？', zh: '“{title}”进展如何？' },
  btn_log_outcome: { en: 'Log outcome', ja: '結果を記録', zh: '记录结果' },
  // what Add note and Add follow-up after a meeting start with (the person edits or replaces it)
  // who brought an interaction into Rapport, on timeline entries
  captured_by: { en: 'logged by {names}', ja: '記録: {names}', zh: '记录人：{names}' },
  nudge_note_prefill: { en: 'After “{title}”: ', ja: '「{title}」の後で: ', zh: '“{title}”之后：' },
  nudge_follow_up_prefill: { en: 'Follow up on “{title}”', ja: '「{title}」のフォローアップ', zh: '跟进“{title}”' },
  brief_header: { en: 'Brief: {title}', ja: 'ブリーフ: {title}', zh: '会前简报：{title}' },
  brief_not_contact: { en: 'not a contact yet', ja: 'まだ連絡先にありません', zh: '尚未成为联系人' },
  brief_last_spoke: { en: 'Last spoke to them: {name}, {when}', ja: '最後に話した人: {name}（{when}）', zh: '最近联系人：{name}（{when}）' },
  brief_set: {
    en: 'Briefs now come {minutes} minutes before each meeting with a customer.',
    ja: '顧客とのミーティングの {minutes} 分前にブリーフを送ります。',
    zh: '将在每次客户会议前 {minutes} 分钟发送会前简报。',
  },
  brief_off: {
    en: 'No more briefs before meetings. `/crm brief on` brings them back.',
    ja: 'ミーティング前のブリーフを停止しました。`/crm brief on` で再開できます。',
    zh: '已停止会前简报。使用 `/crm brief on` 可重新开启。',
  },
  hours_now: {
    en: 'Your working hours: {start} to {end} ({timezone}). Nudges after meetings come within them. `/crm hours 09:00-18:00` changes them.',
    ja: 'あなたの勤務時間: {start}〜{end}（{timezone}）。会議後のリマインドはこの時間内に届きます。変更は `/crm hours 09:00-18:00`。',
    zh: '你的工作时间：{start} 至 {end}（{timezone}）。会后提醒会在此时间内发送。使用 `/crm hours 09:00-18:00` 修改。',
  },
  hours_set: {
    en: 'Working hours set: {start} to {end} ({timezone}). A nudge due outside them waits for {start}.',
    ja: '勤務時間を {start}〜{end}（{timezone}）に設定しました。時間外のリマインドは {start} まで待ちます。',
    zh: '工作时间已设为 {start} 至 {end}（{timezone}）。超出时间的提醒将等到 {start} 再发送。',
  },
  hours_usage: {
    en: 'Use `/crm hours 09:00-18:00` (start before end), `/crm hours` to see them, or `/crm hours default` for 08:00 to 20:00.',
    ja: '`/crm hours 09:00-18:00`（開始は終了より前）、確認は `/crm hours`、08:00〜20:00 に戻すには `/crm hours default` と入力してください。',
    zh: '请使用 `/crm hours 09:00-18:00`（开始早于结束）、`/crm hours` 查看，或 `/crm hours default` 恢复为 08:00 至 20:00。',
  },
  brief_usage: {
    en: 'Use `/crm brief off`, `/crm brief on`, or `/crm brief 30` for 30 minutes before (at most 120).',
    ja: '`/crm brief off`、`/crm brief on`、または 30 分前なら `/crm brief 30`（最大 120）と入力してください。',
    zh: '请使用 `/crm brief off`、`/crm brief on`，或 `/crm brief 30` 表示提前 30 分钟（最多 120）。',
  },
  none_yet: { en: 'none yet', ja: 'まだありません', zh: '暂无' },
  unassigned: { en: 'unassigned', ja: '未設定', zh: '未分配' },
  no_subject: { en: '(no subject)', ja: '（件名なし）', zh: '（无主题）' },

  // other timeline entries
  timeline_follow_up: {
    en: 'Follow-up, due {when}',
    ja: 'フォローアップ（期限 {when}）',
    zh: '跟进事项（截止 {when}）',
  },
  timeline_created: {
    en: '{actor} created this contact',
    ja: '{actor} がこの連絡先を作成しました',
    zh: '{actor} 创建了此联系人',
  },
  timeline_changed: {
    en: '{actor} changed this contact',
    ja: '{actor} がこの連絡先を更新しました',
    zh: '{actor} 更新了此联系人',
  },
  actor_automatic: { en: 'Rapport (automatic)', ja: 'Rapport（自動）', zh: 'Rapport（自动）' },

  // buttons (Slack allows 75 characters)
  btn_edit: { en: 'Edit', ja: '編集', zh: '编辑' },
  btn_add_note: { en: 'Add note', ja: 'メモを追加', zh: '添加备注' },
  btn_add_follow_up: { en: 'Add follow-up', ja: 'フォローアップを追加', zh: '添加跟进' },
  btn_log_call: { en: 'Log call', ja: '通話を記録', zh: '记录通话' },
  btn_more_history: { en: 'More history', ja: '履歴をもっと見る', zh: '查看更多记录' },
  btn_share: { en: 'Share', ja: '共有', zh: '分享' },
  btn_open_in_rapport: { en: 'Open in Rapport', ja: 'Rapport で開く', zh: '在 Rapport 中打开' },
  btn_create_contact: { en: 'Create contact', ja: '連絡先を作成', zh: '创建联系人' },
  btn_done: { en: 'Done', ja: '完了', zh: '完成' },
  btn_snooze_1d: { en: 'Snooze 1 day', ja: '1日延期', zh: '推迟 1 天' },
  btn_snooze_1w: { en: 'Snooze 1 week', ja: '1週間延期', zh: '推迟 1 周' },
  btn_pick: { en: 'Pick', ja: '選択', zh: '选择' },

  // modal titles (Slack allows 24 characters)
  view_edit_contact: { en: 'Edit contact', ja: '連絡先を編集', zh: '编辑联系人' },
  view_add_note: { en: 'Add note', ja: 'メモを追加', zh: '添加备注' },
  view_add_follow_up: { en: 'Add follow-up', ja: 'フォローアップを追加', zh: '添加跟进' },
  view_log_call: { en: 'Log call', ja: '通話を記録', zh: '记录通话' },
  view_log_message: { en: 'Log to Rapport', ja: 'Rapport に記録', zh: '记录到 Rapport' },
  view_create_contact: { en: 'Create contact', ja: '連絡先を作成', zh: '创建联系人' },
  view_save: { en: 'Save', ja: '保存', zh: '保存' },
  view_cancel: { en: 'Cancel', ja: 'キャンセル', zh: '取消' },

  // search
  no_match: {
    en: 'No contact matches “{query}”.',
    ja: '「{query}」に一致する連絡先はありません。',
    zh: '没有与“{query}”匹配的联系人。',
  },
  picker_summary: {
    en: '{count} contacts match “{query}”; pick one.',
    ja: '「{query}」に一致する連絡先が {count} 件あります。1 件選んでください。',
    zh: '有 {count} 个联系人与“{query}”匹配，请选择一个。',
  },
  and_more: { en: '…and {count} more', ja: 'ほか {count} 件', zh: '另有 {count} 项' },

  // follow-ups
  follow_ups_header: {
    en: 'Open follow-ups ({count})',
    ja: '未完了のフォローアップ（{count} 件）',
    zh: '未完成的跟进事项（{count} 项）',
  },
  follow_ups_none: {
    en: 'Follow-ups: none open.',
    ja: '未完了のフォローアップはありません。',
    zh: '没有未完成的跟进事项。',
  },
  overdue: { en: 'overdue', ja: '期限切れ', zh: '已逾期' },
  due: { en: 'due {when}', ja: '期限 {when}', zh: '截止 {when}' },
  // a date with how far it is: 'tomorrow (Wed, Nov 25, 2026, 9:00 AM)'
  when: { en: '{relative} ({date})', ja: '{relative}（{date}）', zh: '{relative}（{date}）' },

  // members, languages, outcomes
  unknown_user: {
    en: "You're not a Rapport member yet: ask your Rapport admin to add {email} to your workspace, then try again.",
    ja: 'まだ Rapport のメンバーではありません。Rapport の管理者に {email} をワークスペースへ追加するよう依頼してから、もう一度お試しください。',
    zh: '你还不是 Rapport 成员。请联系 Rapport 管理员将 {email} 添加到工作区，然后重试。',
  },
  unknown_user_admins: {
    en: "You're not a Rapport member yet: ask your Rapport admin ({admins}) to add {email} to your workspace, then try again.",
    ja: 'まだ Rapport のメンバーではありません。Rapport の管理者（{admins}）に {email} をワークスペースへ追加するよう依頼してから、もう一度お試しください。',
    zh: '你还不是 Rapport 成员。请联系 Rapport 管理员（{admins}）将 {email} 添加到工作区，然后重试。',
  },
  welcome_joined: {
    en: 'Welcome to Rapport: you joined {workspace} as a rep. Try `{command} help` to see what Rapport can do in Slack.',
    ja: 'Rapport へようこそ。営業担当として {workspace} に参加しました。`{command} help` で Slack での使い方を確認できます。',
    zh: '欢迎使用 Rapport：你已作为销售代表加入 {workspace}。输入 `{command} help` 查看 Rapport 在 Slack 中的用法。',
  },
  unknown_team: {
    en: 'Rapport is not connected to this Slack workspace yet: ask your Rapport admin to install it, then try again.',
    ja: 'この Slack ワークスペースはまだ Rapport に接続されていません。Rapport の管理者にインストールを依頼してから、もう一度お試しください。',
    zh: '此 Slack 工作区尚未连接 Rapport。请联系 Rapport 管理员完成安装，然后重试。',
  },
  language_set: {
    en: 'Language set to {language}.',
    ja: '表示言語を{language}に設定しました。',
    zh: '显示语言已设置为{language}。',
  },
  language_unknown: {
    en: 'Rapport speaks en, ja and zh: try `{command} lang ja`.',
    ja: '選べる言語は en、ja、zh です。例: `{command} lang ja`',
    zh: '可选语言为 en、ja、zh。例如：`{command} lang zh`',
  },
  lang_en: { en: 'English', ja: '英語', zh: '英语' },
  lang_ja: { en: 'Japanese', ja: '日本語', zh: '日语' },
  lang_zh: { en: 'Chinese', ja: '中国語', zh: '中文' },
  failure: {
    en: 'Something went wrong: {reason}. Nothing was saved.',
    ja: '問題が発生しました: {reason}。何も保存されていません。',
    zh: '出错了：{reason}。未保存任何内容。',
  },
  external_channel: {
    en: 'This channel has people outside your company, so Rapport shows only a link here.',
    ja: 'このチャンネルには社外の方が参加しているため、Rapport ではリンクのみを表示します。',
    zh: '此频道中有公司外部的成员，因此 Rapport 在这里只显示链接。',
  },
  already_logged: {
    en: 'This message is already logged in Rapport.',
    ja: 'このメッセージはすでに Rapport に記録されています。',
    zh: '此消息已记录在 Rapport 中。',
  },
  logged: {
    en: 'Logged to Rapport.',
    ja: 'Rapport に記録しました。',
    zh: '已记录到 Rapport。',
  },
} as const satisfies Record<string, Entry>;

/**
 * The whole catalogue: the names of stages, kinds and directions are the
 * three surfaces' own (vocabulary.ts); each area keeps its part beside this
 * file. A test checks that no two parts define the same key.
 */
export const slackMessageParts = {
  vocabulary,
  core: coreMessages,
  modals: modalMessages,
  home: homeMessages,
  install: installMessages,
  capture: captureMessages,
  digest: digestMessages,
  duplicates: duplicateMessages,
  segments: segmentMessages,
  team: teamMessages,
  teamAdmin: teamAdminMessages,
  mailbox: mailboxMessages,
  deals: dealMessages,
  alertSettings: alertSettingsMessages,
};
export const slackMessages = {
  ...vocabulary,
  ...coreMessages,
  ...modalMessages,
  ...homeMessages,
  ...installMessages,
  ...captureMessages,
  ...digestMessages,
  ...dealNumberMessages,
  ...duplicateMessages,
  ...segmentMessages,
  ...teamMessages,
  ...teamAdminMessages,
  ...mailboxMessages,
  ...dealMessages,
  ...accountMessages,
  ...alertSettingsMessages,
  ...alertMessages,
};

export type SlackMessageKey = keyof typeof slackMessages;

export function isSlackMessageKey(key: string): key is SlackMessageKey {
  return Object.hasOwn(slackMessages, key);
}

/**
 * The Slack message for key in locale, with {placeholders} filled; {command}
 * is the slash command unless params say otherwise. The result is not
 * escaped: pass it through mrkdwnEscape before it goes into mrkdwn.
 *   st('ja', 'no_match', { query: '田中' }) = '「田中」に一致する連絡先はありません。'
 *   st('en', 'help_help') = '`/crm help`: show this list'
 */
export function st(locale: Locale, key: SlackMessageKey, params: Record<string, unknown> = {}): string {
  return fill(slackMessages[key][locale], { command: COMMAND, ...params });
}
