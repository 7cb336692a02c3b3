import type { Entry } from './index.js';

/**
 * The sentences of email capture: the Home tab's "Email capture" part (the
 * capture address, Gmail sync), an admin's "Mailboxes" part and the reconnect
 * DM, in English, Japanese and Chinese. Buttons stay under 75 characters,
 * confirm dialog titles under 100.
 */
export const mailboxMessages = {
  capture_header: { en: 'Email capture', ja: 'メールの自動記録', zh: '邮件自动记录' },
  capture_address: {
    en: 'Your capture address: `{address}`',
    ja: 'あなたの記録用アドレス: `{address}`',
    zh: '你的记录地址：`{address}`',
  },
  capture_how: {
    en: 'BCC it on mail you send to a customer, or forward a customer’s email to it: Rapport logs the email without anyone clicking Log. Only mail from your own address is accepted.',
    ja: '顧客へ送るメールの BCC に入れるか、顧客からのメールをこのアドレスへ転送すると、「記録」を押さなくても Rapport に記録されます。受け付けるのはあなた自身のアドレスから送られたメールだけです。',
    zh: '给客户发邮件时把它加入密送，或把客户的邮件转发到这个地址：无需点击“记录”，Rapport 就会记下这封邮件。只接受从你本人地址发出的邮件。',
  },
  capture_unset: {
    en: 'This Rapport server has no capture address set up (RAPPORT_INBOUND_ADDRESS): ask your Rapport admin.',
    ja: 'この Rapport サーバーには記録用アドレスが設定されていません（RAPPORT_INBOUND_ADDRESS）。Rapport の管理者にお問い合わせください。',
    zh: '此 Rapport 服务器尚未设置记录地址（RAPPORT_INBOUND_ADDRESS），请联系 Rapport 管理员。',
  },
  capture_rotated: { en: 'Address changed {when}.', ja: '{when}にアドレスを変更しました。', zh: '地址已于{when}更换。' },
  capture_btn_rotate: { en: 'New address', ja: '新しいアドレス', zh: '换新地址' },
  capture_rotate_title: { en: 'Get a new capture address?', ja: '記録用アドレスを新しくしますか？', zh: '要换一个新的记录地址吗？' },
  capture_rotate_text: {
    en: 'Mail sent to your present address will be refused from now on. Do this if the address was shared by mistake.',
    ja: '今のアドレスに送られたメールは、今後受け付けられなくなります。アドレスを誤って共有してしまったときにお使いください。',
    zh: '此后发到当前地址的邮件将被拒收。地址被误传给他人时请使用此操作。',
  },
  capture_rotate_yes: { en: 'New address', ja: '新しくする', zh: '换新地址' },
  capture_refusals: { en: 'Recently refused at your address:', ja: '最近受け付けなかったメール:', zh: '最近被拒收的邮件：' },
  capture_refusal: {
    en: '{when}: from {from}, “{subject}”: {reason}',
    ja: '{when}: {from} から「{subject}」: {reason}',
    zh: '{when}：来自 {from}，“{subject}”：{reason}',
  },
  capture_refused_sender_not_member: {
    en: 'not sent from one of your addresses',
    ja: 'あなたのアドレスから送られていません',
    zh: '不是从你的地址发出的',
  },
  capture_refused_authentication_failed: {
    en: 'the sender could not be verified (DKIM and SPF failed)',
    ja: '送信元を確認できませんでした（DKIM と SPF がともに失敗）',
    zh: '无法验证发件人（DKIM 和 SPF 均失败）',
  },
  capture_refused_address_retired: {
    en: 'sent to an address you have since replaced',
    ja: '変更前のアドレスに送られました',
    zh: '发到了已更换的旧地址',
  },
  capture_unknown_sender: { en: 'unknown sender', ja: '差出人不明', zh: '发件人不明' },

  // Gmail sync
  gmail_status_off: { en: 'not connected', ja: '未接続', zh: '未连接' },
  gmail_status_importing: { en: 'importing your recent mail', ja: '最近のメールを取り込み中', zh: '正在导入近期邮件' },
  gmail_status_active: { en: 'syncing', ja: '同期中', zh: '同步中' },
  gmail_status_paused: { en: 'paused', ja: '一時停止中', zh: '已暂停' },
  gmail_status_reconnect: { en: 'needs reconnecting', ja: '再接続が必要です', zh: '需要重新连接' },
  gmail_status_failed: { en: 'failed', ja: '失敗しました', zh: '失败' },
  gmail_line: { en: '*Gmail sync*: {status}', ja: '*Gmail 同期*: {status}', zh: '*Gmail 同步*：{status}' },
  gmail_line_address: { en: '*Gmail sync* ({address}): {status}', ja: '*Gmail 同期*（{address}）: {status}', zh: '*Gmail 同步*（{address}）：{status}' },
  gmail_off_about: {
    en: 'Connect Gmail and Rapport captures your mail with customers by itself: {policy}',
    ja: 'Gmail を接続すると、顧客とのメールを Rapport が自動で記録します: {policy}',
    zh: '连接 Gmail 后，Rapport 会自动记录你与客户的邮件：{policy}',
  },
  gmail_policy_known: {
    en: 'only threads with people already in Rapport; newsletters, promotions and mail among colleagues never.',
    ja: 'Rapport に登録済みの人とのスレッドだけ。メールマガジン・プロモーション・社内だけのメールは記録しません。',
    zh: '仅限与 Rapport 中已有联系人的会话；群发邮件、推广邮件和同事之间的邮件一律不记录。',
  },
  gmail_policy_external: {
    en: 'every thread with someone outside your company; newsletters, promotions and mail among colleagues never.',
    ja: '社外の人とのすべてのスレッド。メールマガジン・プロモーション・社内だけのメールは記録しません。',
    zh: '与公司外部人员的所有会话；群发邮件、推广邮件和同事之间的邮件一律不记录。',
  },
  gmail_last_sync: { en: 'Last synced {when}', ja: '最終同期 {when}', zh: '最近同步 {when}' },
  gmail_never_synced: { en: 'Not synced yet', ja: 'まだ同期していません', zh: '尚未同步' },
  gmail_counts: {
    en: '{captured} captured, {skipped} skipped',
    ja: '記録 {captured} 件、対象外 {skipped} 件',
    zh: '已记录 {captured} 封，跳过 {skipped} 封',
  },
  gmail_skipped: {
    en: 'Skipped: newsletters {bulk}, Gmail categories {category}, blocked {blocked}, unknown senders {unknown}, colleagues only {internal}',
    ja: '対象外の内訳: 一斉配信 {bulk}、Gmail のカテゴリ {category}、ブロック {blocked}、未登録の相手 {unknown}、社内のみ {internal}',
    zh: '跳过明细：群发 {bulk}，Gmail 分类 {category}，已屏蔽 {blocked}，未知发件人 {unknown}，仅同事 {internal}',
  },
  gmail_error: { en: 'Last problem: {error}', ja: '直近の問題: {error}', zh: '最近的问题：{error}' },
  gmail_reconnect_about: {
    en: 'Google stopped letting Rapport read this mailbox, so nothing new is captured. Reconnect to pick up where it stopped.',
    ja: 'Google がこのメールボックスへのアクセスを止めたため、新しいメールは記録されていません。再接続すると、止まったところから再開します。',
    zh: 'Google 已停止允许 Rapport 读取此邮箱，因此不再记录新邮件。重新连接后会从中断处继续。',
  },
  gmail_btn_connect: { en: 'Connect Gmail', ja: 'Gmail を接続', zh: '连接 Gmail' },
  calendar_btn_on: { en: 'Sync my calendar too', ja: 'カレンダーも同期', zh: '同时同步日历' },
  calendar_btn_off: { en: 'Stop calendar sync', ja: 'カレンダーの同期を停止', zh: '停止同步日历' },
  calendar_btn_connect: { en: 'Connect Google Calendar', ja: 'Google カレンダーを接続', zh: '连接 Google 日历' },
  calendar_with_gmail: {
    en: 'Google Calendar too: meetings with customers come in with your mail.',
    ja: 'Google カレンダーも同期します。顧客との会議がメールと一緒に記録されます。',
    zh: '同时同步 Google 日历：与客户的会议会随邮件一起记录。',
  },
  calendar_off: {
    en: 'Google Calendar: not synced. Turn it on to capture meetings with customers and get a brief before each.',
    ja: 'Google カレンダー: 同期していません。オンにすると顧客との会議を記録し、会議前にブリーフを受け取れます。',
    zh: 'Google 日历：未同步。开启后会记录与客户的会议，并在每次会议前收到简报。',
  },
  calendar_needs_consent: {
    en: 'Google Calendar: waiting for your consent at Google (Connect Google Calendar).',
    ja: 'Google カレンダー: Google での同意を待っています（「Google カレンダーを接続」）。',
    zh: 'Google 日历：等待你在 Google 上授权（“连接 Google 日历”）。',
  },
  calendar_line: {
    en: 'Google Calendar: {status} · {captured} meetings captured',
    ja: 'Google カレンダー: {status} · 会議 {captured} 件を記録',
    zh: 'Google 日历：{status} · 已记录 {captured} 场会议',
  },
  gmail_btn_reconnect: { en: 'Reconnect', ja: '再接続', zh: '重新连接' },
  gmail_btn_disconnect: { en: 'Disconnect Gmail', ja: 'Gmail の接続を解除', zh: '断开 Gmail' },
  gmail_disconnect_title: { en: 'Disconnect Gmail?', ja: 'Gmail の接続を解除しますか？', zh: '要断开 Gmail 吗？' },
  gmail_disconnect_text: {
    en: 'Rapport stops reading {address} and gives its access back to Google. The mail already captured stays in Rapport.',
    ja: 'Rapport は {address} の読み取りをやめ、Google へのアクセス権を返します。記録済みのメールは Rapport に残ります。',
    zh: 'Rapport 将停止读取 {address}，并撤销在 Google 的访问权限。已记录的邮件仍保留在 Rapport 中。',
  },
  gmail_disconnect_yes: { en: 'Disconnect', ja: '解除する', zh: '断开' },
  gmail_this_mailbox: { en: 'your mailbox', ja: 'あなたのメールボックス', zh: '你的邮箱' },

  // an admin's view of every mailbox
  mailboxes_title: { en: 'Mailboxes', ja: 'メールボックス', zh: '邮箱' },
  mailboxes_header: { en: 'Mailboxes ({count})', ja: 'メールボックス（{count} 件）', zh: '邮箱（{count} 个）' },
  mailboxes_none: {
    en: 'Nobody has connected Gmail yet.',
    ja: 'まだ誰も Gmail を接続していません。',
    zh: '还没有人连接 Gmail。',
  },
  mailboxes_attention: {
    en: 'Mailboxes that need attention: {count}',
    ja: '対応が必要なメールボックス: {count} 件',
    zh: '需要处理的邮箱：{count} 个',
  },
  mailboxes_delegated: { en: 'set up by your Google admin', ja: 'Google 管理者が設定', zh: '由 Google 管理员设置' },

  // the reconnect DM
  notice_text: {
    en: 'Rapport stopped syncing {address}: {reason} Press Reconnect Gmail to let it read your mail again; nothing already captured is lost.',
    ja: 'Rapport は {address} の同期を停止しました: {reason}「Gmail を再接続」を押すと再び読み取れるようになります。記録済みのメールは失われていません。',
    zh: 'Rapport 已停止同步 {address}：{reason}点击“重新连接 Gmail”即可恢复读取；已记录的邮件不会丢失。',
  },
  notice_reason_invalid_grant: {
    en: 'Google no longer accepts Rapport’s access (the password was changed, or access expired).',
    ja: 'Google が Rapport のアクセスを受け付けなくなりました（パスワードの変更、またはアクセスの期限切れ）。',
    zh: 'Google 不再接受 Rapport 的访问（密码已更改或授权已过期）。',
  },
  notice_reason_revoked: {
    en: 'Rapport’s access was removed from your Google account.',
    ja: 'あなたの Google アカウントから Rapport のアクセス権が削除されました。',
    zh: '你的 Google 账号已移除 Rapport 的访问权限。',
  },
  notice_reason_domain_policy: {
    en: 'your Google Workspace admin does not allow Rapport to read mail.',
    ja: 'Google Workspace の管理者が Rapport によるメールの読み取りを許可していません。',
    zh: '你的 Google Workspace 管理员不允许 Rapport 读取邮件。',
  },
  notice_reason_insufficient_scope: {
    en: 'Rapport was not given permission to read mail when Gmail was connected.',
    ja: 'Gmail の接続時に、メールを読み取る権限が Rapport に与えられませんでした。',
    zh: '连接 Gmail 时未授予 Rapport 读取邮件的权限。',
  },
  notice_btn: { en: 'Reconnect Gmail', ja: 'Gmail を再接続', zh: '重新连接 Gmail' },
  notice_expires: {
    en: 'The button works for 7 days; after that, use Connect Gmail on Rapport’s Home tab.',
    ja: 'このボタンは 7 日間有効です。その後は Rapport の Home タブの「Gmail を接続」をお使いください。',
    zh: '此按钮 7 天内有效；之后请在 Rapport 主页标签中使用“连接 Gmail”。',
  },
} as const satisfies Record<string, Entry>;
