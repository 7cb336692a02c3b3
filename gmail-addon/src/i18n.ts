/**
 * Every sentence the add-on shows, in English, Japanese and Chinese, with
 * {placeholders} filled by t(). The rep's language is Gmail's
 * (commonEventObject.userLocale); dates are shown in Gmail's time zone. The
 * locales, fill and the names of stages and kinds are the three surfaces'
 * own (backend/i18n/vocabulary.ts, pure, bundled in).
 */
import { INTL_LOCALE, fill, localeOf, vocabulary, type Entry, type Locale } from '../../backend/i18n/vocabulary.js';
import { dealAddonMessages } from './deals-i18n.js';
import { accountMessages } from './account-messages.js';
import { answeredMessages } from './answered-messages.js';

export type { Locale };

const addonMessages = {
  app_name: { en: 'Rapport', ja: 'Rapport', zh: 'Rapport' },
  label_title: { en: 'Title', ja: '役職', zh: '职位' },
  label_reading: { en: 'Reading of the name (kana, pinyin)', ja: '読み（ふりがな）', zh: '读音（拼音）' },
  label_company: { en: 'Company', ja: '会社', zh: '公司' },
  label_stage: { en: 'Stage', ja: 'ステージ', zh: '阶段' },
  label_owner: { en: 'Owner', ja: '担当者', zh: '负责人' },
  label_last: { en: 'Last interaction', ja: '最終接点', zh: '最近互动' },
  label_follow_ups: { en: 'Open follow-ups', ja: '未完了のフォローアップ', zh: '未完成的跟进' },
  label_timeline: { en: 'Latest', ja: '最近の履歴', zh: '最近记录' },
  label_meetings: { en: 'Upcoming meetings', ja: '今後のミーティング', zh: '即将举行的会议' },
  meeting_when: { en: '{date} · {minutes} min', ja: '{date}・{minutes}分', zh: '{date} · {minutes} 分钟' },
  meeting_with: { en: '{title} · with {names}', ja: '{title}（参加: {names}）', zh: '{title}（参加者：{names}）' },
  label_name: { en: 'Name', ja: '名前', zh: '姓名' },
  label_email: { en: 'Email', ja: 'メール', zh: '邮箱' },
  label_phone: { en: 'Phone', ja: '電話番号', zh: '电话' },
  label_tags: { en: 'Tags (comma separated)', ja: 'タグ (カンマ区切り)', zh: '标签（用逗号分隔）' },
  label_note: { en: 'Note', ja: 'メモ', zh: '备注' },
  label_due: { en: 'Due', ja: '期限', zh: '截止' },
  label_search: { en: 'Name, email, company or phone', ja: '名前・メール・会社名・電話番号', zh: '姓名、邮箱、公司或电话' },
  change_entry: { en: 'Changed by {name}', ja: '{name} が変更', zh: '{name} 修改了' },
  follow_up_entry: { en: 'Follow-up: {note}', ja: 'フォローアップ: {note}', zh: '跟进：{note}' },
  nobody: { en: 'nobody', ja: 'なし', zh: '无' },
  never: { en: 'never', ja: 'なし', zh: '无' },
  no_subject: { en: '(no subject)', ja: '(件名なし)', zh: '（无主题）' },
  no_timeline: { en: 'Nothing in the history yet.', ja: '履歴はまだありません。', zh: '暂无记录。' },
  no_follow_ups: { en: 'No open follow-ups.', ja: '未完了のフォローアップはありません。', zh: '没有未完成的跟进。' },
  due_on: { en: 'due {date}', ja: '期限 {date}', zh: '截止 {date}' },
  overdue_since: { en: 'overdue since {date}', ja: '{date} から期限切れ', zh: '自 {date} 起逾期' },
  btn_log_email: { en: 'Log this email', ja: 'このメールを記録', zh: '记录此邮件' },
  btn_log_thread: { en: 'Log whole thread', ja: 'スレッド全体を記録', zh: '记录整个会话' },
  btn_edit: { en: 'Edit', ja: '編集', zh: '编辑' },
  btn_add_follow_up: { en: 'Add follow-up', ja: 'フォローアップを追加', zh: '添加跟进' },
  btn_add_note: { en: 'Add note', ja: 'メモを追加', zh: '添加备注' },
  btn_save: { en: 'Save', ja: '保存', zh: '保存' },
  btn_retry: { en: 'Retry', ja: '再試行', zh: '重试' },
  btn_done: { en: 'Done', ja: '完了', zh: '完成' },
  btn_search: { en: 'Search', ja: '検索', zh: '搜索' },
  btn_create_contact: { en: 'Create contact', ja: '連絡先を作成', zh: '创建联系人' },
  btn_open: { en: 'Open', ja: '開く', zh: '打开' },
  logged_by: { en: 'Logged by {name}, {date}', ja: '{name} が記録済み ({date})', zh: '已由 {name} 记录（{date}）' },
  not_logged: {
    en: 'This email is not in Rapport yet.',
    ja: 'このメールはまだ Rapport に記録されていません。',
    zh: '此邮件尚未记录到 Rapport。',
  },
  logged_one: { en: 'Logged to Rapport.', ja: 'Rapport に記録しました。', zh: '已记录到 Rapport。' },
  logged_already: {
    en: 'Already in Rapport (logged by {name}).',
    ja: 'すでに Rapport にあります ({name} が記録)。',
    zh: '已在 Rapport 中（由 {name} 记录）。',
  },
  logged_thread: {
    en: '{created} of {total} messages logged; the others were already in Rapport.',
    ja: '{total} 件中 {created} 件を記録しました。残りはすでに Rapport にありました。',
    zh: '已记录 {total} 封中的 {created} 封，其余已在 Rapport 中。',
  },
  thread_capped: {
    en: 'Only the latest {count} messages of this thread were logged.',
    ja: 'このスレッドの最新 {count} 件のみ記録しました。',
    zh: '仅记录了此会话中最新的 {count} 封邮件。',
  },
  unknown_person: { en: 'Not in Rapport yet', ja: 'まだ Rapport にいません', zh: '尚未在 Rapport 中' },
  create_title: { en: 'New contact', ja: '新しい連絡先', zh: '新联系人' },
  edit_title: { en: 'Edit {name}', ja: '{name} を編集', zh: '编辑 {name}' },
  follow_up_title: { en: 'Follow-up for {name}', ja: '{name} のフォローアップ', zh: '{name} 的跟进' },
  note_title: { en: 'Note on {name}', ja: '{name} へのメモ', zh: '关于 {name} 的备注' },
  no_sender: {
    en: 'This email has no sender Rapport can read, so it cannot be logged.',
    ja: 'このメールには読み取れる差出人がないため、記録できません。',
    zh: '此邮件没有可识别的发件人，因此无法记录。',
  },
  welcome_joined: {
    en: 'Welcome: you joined {workspace} in Rapport (role: {role}). Emails you log and contacts you add are shared with your team.',
    ja: 'ようこそ。Rapport の {workspace} に参加しました（役割: {role}）。記録したメールと追加した連絡先はチームと共有されます。',
    zh: '欢迎：你已加入 Rapport 的 {workspace}（角色：{role}）。你记录的邮件和添加的联系人会与团队共享。',
  },
  only_colleagues: {
    en: 'Everyone on this email is a colleague, so there is no customer to show.',
    ja: 'このメールの宛先はすべて社内の方なので、表示する顧客はいません。',
    zh: '此邮件的参与者都是同事，没有可显示的客户。',
  },
  more_people: {
    en: '{count} more people on this email are not shown.',
    ja: 'ほか {count} 名は表示していません。',
    zh: '另有 {count} 人未显示。',
  },
  saved_contact: { en: 'Contact saved.', ja: '連絡先を保存しました。', zh: '联系人已保存。' },
  saved_follow_up: { en: 'Follow-up set for {date}.', ja: '{date} にフォローアップを設定しました。', zh: '已设置跟进：{date}。' },
  saved_note: { en: 'Note added.', ja: 'メモを追加しました。', zh: '已添加备注。' },
  done_follow_up: { en: 'Follow-up done.', ja: 'フォローアップを完了しました。', zh: '跟进已完成。' },
  field_required: { en: 'Required.', ja: '入力してください。', zh: '此项必填。' },
  field_invalid: { en: '{message}', ja: '{message}', zh: '{message}' },
  form_problem: { en: 'Please fix the field marked below.', ja: '下の項目を確認してください。', zh: '请检查下面标出的字段。' },
  err_unavailable_title: { en: 'Rapport is not reachable', ja: 'Rapport に接続できません', zh: '无法连接 Rapport' },
  err_unavailable_body: {
    en: 'The Rapport server did not answer ({reason}). Nothing you logged is lost; try again.',
    ja: 'Rapport サーバーから応答がありません ({reason})。記録済みの内容は失われていません。もう一度お試しください。',
    zh: 'Rapport 服务器没有响应（{reason}）。已记录的内容不会丢失，请重试。',
  },
  err_access_title: { en: 'No access to Rapport', ja: 'Rapport へのアクセス権がありません', zh: '没有 Rapport 的访问权限' },
  err_access_body: {
    en: 'Rapport does not let {email} in ({reason}). Ask your Rapport admin to add this address as a member, then reopen the email.',
    ja: 'Rapport は {email} を受け付けませんでした ({reason})。Rapport の管理者にこのアドレスをメンバーとして追加してもらい、メールを開き直してください。',
    zh: 'Rapport 未允许 {email} 访问（{reason}）。请让 Rapport 管理员将此地址添加为成员，然后重新打开邮件。',
  },
  err_not_found: {
    en: 'That record is no longer in Rapport.',
    ja: 'そのレコードは Rapport にありません。',
    zh: '该记录已不在 Rapport 中。',
  },
  err_config: {
    en: 'The add-on does not know where Rapport runs: set the Script Property RAPPORT_PUBLIC_URL (see README).',
    ja: 'アドオンに Rapport サーバーのアドレスが設定されていません。スクリプト プロパティ RAPPORT_PUBLIC_URL を設定してください (README 参照)。',
    zh: '插件不知道 Rapport 服务器地址：请设置脚本属性 RAPPORT_PUBLIC_URL（见 README）。',
  },
  home_due: { en: 'Due today and overdue', ja: '今日まで・期限切れ', zh: '今天到期及已逾期' },
  home_nothing_due: { en: 'Nothing due today.', ja: '今日期限のものはありません。', zh: '今天没有到期事项。' },
  home_results: { en: 'Contacts matching “{query}”', ja: '「{query}」の検索結果', zh: '与“{query}”匹配的联系人' },
  home_no_results: {
    en: 'No contact matches “{query}”.',
    ja: '「{query}」に一致する連絡先はありません。',
    zh: '没有与“{query}”匹配的联系人。',
  },
  settings_title: { en: 'Settings', ja: '設定', zh: '设置' },
  settings_server: { en: 'Server: {url}', ja: 'サーバー: {url}', zh: '服务器：{url}' },
  settings_member: {
    en: 'Signed in as {name} ({email}), {role}. Language {locale}, time zone {timeZone}.',
    ja: '{name} ({email}、{role}) としてログイン中。言語 {locale}、タイムゾーン {timeZone}。',
    zh: '当前登录：{name}（{email}，{role}）。语言 {locale}，时区 {timeZone}。',
  },
  settings_capture_header: { en: 'Email capture', ja: 'メールの自動記録', zh: '邮件自动记录' },
  settings_capture_address: { en: 'Your capture address', ja: 'あなたの記録用アドレス', zh: '你的记录地址' },
  settings_capture_how: {
    en: 'BCC it on mail you send to a customer, or forward a customer’s email to it: Rapport logs the email without anyone clicking Log. Only mail from your own address is accepted.',
    ja: '顧客へ送るメールの BCC に入れるか、顧客からのメールをこのアドレスへ転送すると、「記録」を押さなくても Rapport に記録されます。受け付けるのはあなた自身のアドレスから送られたメールだけです。',
    zh: '给客户发邮件时把它加入密送，或把客户的邮件转发到这个地址：无需点击“记录”，Rapport 就会记下这封邮件。只接受从你本人地址发出的邮件。',
  },
  settings_capture_unset: {
    en: 'This Rapport server has no capture address set up (RAPPORT_INBOUND_ADDRESS): ask your Rapport admin.',
    ja: 'この Rapport サーバーには記録用アドレスが設定されていません（RAPPORT_INBOUND_ADDRESS）。Rapport の管理者にお問い合わせください。',
    zh: '此 Rapport 服务器尚未设置记录地址（RAPPORT_INBOUND_ADDRESS），请联系 Rapport 管理员。',
  },
  settings_gmail_header: { en: 'Gmail sync', ja: 'Gmail 同期', zh: 'Gmail 同步' },
  settings_gmail_off: {
    en: 'Connect Gmail and Rapport captures your mail with customers by itself. Newsletters, promotions and mail among colleagues are never captured.',
    ja: 'Gmail を接続すると、顧客とのメールを Rapport が自動で記録します。メールマガジン・プロモーション・社内だけのメールは記録しません。',
    zh: '连接 Gmail 后，Rapport 会自动记录你与客户的邮件。群发邮件、推广邮件和同事之间的邮件一律不记录。',
  },
  settings_gmail_status: { en: 'Status', ja: '状態', zh: '状态' },
  gmail_status_off: { en: 'Not connected', ja: '未接続', zh: '未连接' },
  gmail_status_importing: { en: 'Importing your recent mail', ja: '最近のメールを取り込み中', zh: '正在导入近期邮件' },
  gmail_status_active: { en: 'Syncing', ja: '同期中', zh: '同步中' },
  gmail_status_paused: { en: 'Paused', ja: '一時停止中', zh: '已暂停' },
  gmail_status_reconnect: { en: 'Needs reconnecting', ja: '再接続が必要です', zh: '需要重新连接' },
  gmail_status_failed: { en: 'Failed', ja: '失敗しました', zh: '失败' },
  gmail_last_sync: { en: 'Last synced {date}', ja: '最終同期 {date}', zh: '最近同步 {date}' },
  gmail_never_synced: { en: 'Not synced yet', ja: 'まだ同期していません', zh: '尚未同步' },
  gmail_counts: {
    en: '{captured} captured, {skipped} skipped',
    ja: '記録 {captured} 件、対象外 {skipped} 件',
    zh: '已记录 {captured} 封，跳过 {skipped} 封',
  },
  gmail_error: { en: 'Last problem: {error}', ja: '直近の問題: {error}', zh: '最近的问题：{error}' },
  gmail_reconnect_about: {
    en: 'Google stopped letting Rapport read this mailbox, so nothing new is captured. Reconnect to pick up where it stopped.',
    ja: 'Google がこのメールボックスへのアクセスを止めたため、新しいメールは記録されていません。再接続すると、止まったところから再開します。',
    zh: 'Google 已停止允许 Rapport 读取此邮箱，因此不再记录新邮件。重新连接后会从中断处继续。',
  },
  btn_connect_gmail: { en: 'Connect Gmail', ja: 'Gmail を接続', zh: '连接 Gmail' },
  btn_reconnect_gmail: { en: 'Reconnect', ja: '再接続', zh: '重新连接' },
  captured_by: { en: 'logged by {names}', ja: '記録: {names}', zh: '记录人：{names}' },
  calendar_line: {
    en: 'Google Calendar: {status} · {captured} meetings captured',
    ja: 'Google カレンダー: {status} · 会議 {captured} 件を記録',
    zh: 'Google 日历：{status} · 已记录 {captured} 场会议',
  },
  calendar_off: {
    en: 'Google Calendar: not synced. Turn it on to capture meetings with customers and get a brief in Slack before each.',
    ja: 'Google カレンダー: 同期していません。オンにすると顧客との会議を記録し、会議前に Slack でブリーフを受け取れます。',
    zh: 'Google 日历：未同步。开启后会记录与客户的会议，并在每次会议前在 Slack 收到简报。',
  },
  calendar_needs_consent: {
    en: 'Google Calendar: waiting for your consent at Google (Connect Google Calendar).',
    ja: 'Google カレンダー: Google での同意を待っています（「Google カレンダーを接続」）。',
    zh: 'Google 日历：等待你在 Google 上授权（“连接 Google 日历”）。',
  },
  btn_calendar_on: { en: 'Sync my calendar too', ja: 'カレンダーも同期', zh: '同时同步日历' },
  btn_calendar_off: { en: 'Stop calendar sync', ja: 'カレンダーの同期を停止', zh: '停止同步日历' },
  btn_calendar_connect: { en: 'Connect Google Calendar', ja: 'Google カレンダーを接続', zh: '连接 Google 日历' },
  calendar_turned_on: {
    en: 'Google Calendar will be synced with your mail.',
    ja: 'Google カレンダーをメールと一緒に同期します。',
    zh: '将与邮件一起同步 Google 日历。',
  },
  calendar_turned_off: {
    en: 'Calendar sync stopped; the meetings already captured stay in Rapport.',
    ja: 'カレンダーの同期を停止しました。記録済みの会議は Rapport に残ります。',
    zh: '已停止同步日历；已记录的会议仍保留在 Rapport 中。',
  },
  btn_disconnect_gmail: { en: 'Disconnect Gmail', ja: 'Gmail の接続を解除', zh: '断开 Gmail' },
  gmail_disconnected: {
    en: 'Gmail is disconnected; the mail already captured stays in Rapport.',
    ja: 'Gmail の接続を解除しました。記録済みのメールは Rapport に残ります。',
    zh: 'Gmail 已断开；已记录的邮件仍保留在 Rapport 中。',
  },
  help_title: { en: 'Help', ja: 'ヘルプ', zh: '帮助' },
  help_body: {
    en: 'Open an email to see who you are writing with. Log this email saves it to every participant’s history (once, however often it is logged); Log whole thread saves each message. Edit, Add follow-up and Add note change the contact for your whole team, in Slack too. With no email open: search contacts and finish your follow-ups.',
    ja: 'メールを開くと、やり取りしている相手が表示されます。「このメールを記録」で参加者全員の履歴に保存します (何度記録しても 1 件です)。「スレッド全体を記録」は各メッセージを保存します。編集・フォローアップ・メモはチーム全体 (Slack も含む) に反映されます。メールを開いていないときは、連絡先の検索とフォローアップの完了ができます。',
    zh: '打开邮件即可看到往来的联系人。“记录此邮件”会保存到每位参与者的历史中（无论记录多少次都只有一条）；“记录整个会话”会保存每封邮件。编辑、添加跟进和备注会同步给整个团队（包括 Slack）。未打开邮件时，可以搜索联系人并完成跟进。',
  },
  duplicates_line: {
    en: '⚠️ Possibly the same person as {names}. Merge them, or mark them as different people, with /crm duplicates in Slack.',
    ja: '⚠️ {names} と同一人物の可能性があります。Slack の /crm duplicates で統合するか、別人として記録できます。',
    zh: '⚠️ 可能与 {names} 是同一人。可在 Slack 中使用 /crm duplicates 合并，或标记为不同的人。',
  },
  duplicate_entry: { en: '{name} ({reason})', ja: '{name}（{reason}）', zh: '{name}（{reason}）' },
  duplicate_reason_email: { en: 'same email', ja: '同じメールアドレス', zh: '相同邮箱' },
  duplicate_reason_phone: { en: 'same phone', ja: '同じ電話番号', zh: '相同电话' },
  duplicate_reason_name: { en: 'similar name, same company', ja: '同じ会社で似た名前', zh: '同一公司、姓名相似' },
} as const satisfies Record<string, Entry>;

/** The add-on's catalogue: the shared names, then its own sentences (a test checks no key is defined twice). */
export const messageParts = { vocabulary, addon: addonMessages, deals: dealAddonMessages, account: accountMessages, answered: answeredMessages };
export const messages = { ...vocabulary, ...addonMessages, ...dealAddonMessages, ...accountMessages, ...answeredMessages };

export type MessageKey = keyof typeof messages;

/** The rep's language from Gmail's locale: 'ja', 'ja-JP' → ja; 'zh', 'zh-CN', 'zh-TW' → zh; else en. */
export function pickLocale(userLocale: string | undefined | null): Locale {
  return localeOf(userLocale) ?? 'en';
}

/**
 * The message for key in locale, with {placeholders} filled.
 *   t('ja', 'home_no_results', { query: '田中' }) = '「田中」に一致する連絡先はありません。'
 */
export function t(locale: Locale, key: MessageKey, params: Record<string, unknown> = {}): string {
  return fill(messages[key][locale], params);
}

function zone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** A moment as the rep would write it, in their time zone: formatDate('2026-11-24T00:00:00Z', 'ja', 'Asia/Tokyo') = '2026/11/24 9:00' */
export function formatDate(iso: string | null | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone: zone(timeZone),
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms);
}

/** The calendar date (YYYY-MM-DD) of ms in timeZone. */
export function dayOf(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone(timeZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
