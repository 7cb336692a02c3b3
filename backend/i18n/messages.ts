/**
 * Every sentence the backend says to a person, in English, Japanese and
 * Chinese. Placeholders are {name}; each locale uses the same ones (a test
 * checks). Keys are what the SQL raises as its message, so the database never
 * holds prose.
 */
import { captureMessages } from './capture-messages.js';
import { dealMessages } from './deal-messages.js';
import { mailboxMessages } from './mailbox-messages.js';
import { recordMessages } from './records-messages.js';
import { importMessages } from './import-messages.js';
import { teamMessages } from './team-messages.js';
import { accountMessages } from './account-messages.js';
import { trustMessages } from './trust-messages.js';
import { dealNumberMessages } from './deal-numbers-messages.js';
import { alertSettingsMessages } from './alert-settings-messages.js';
import { alertDeliveryMessages } from './alert-delivery-messages.js';
import { webMessages } from './web-messages.js';
import { webSigninMessages } from './web-signin-messages.js';
import { webContactMessages } from './web-contact-messages.js';
import { webAdminMessages } from './web-admin-messages.js';
import { webHomeMessages } from './web-home-messages.js';
import { LOCALES, fill, localeOf, vocabulary, type Entry, type Locale } from './vocabulary.js';

// the locales and fill are the three surfaces' own (vocabulary.ts); the backend's modules import them from here
export { LOCALES, fill, type Entry, type Locale };

const coreMessages = {
  auth_required: {
    en: 'Sign in first: send an Authorization header with a Rapport API token or a Google ID token.',
    ja: '認証が必要です。Rapport の API トークンまたは Google ID トークンを Authorization ヘッダーで送ってください。',
    zh: '需要先登录：请在 Authorization 请求头中提供 Rapport API 令牌或 Google ID 令牌。',
  },
  token_invalid: {
    en: 'This API token is not valid or has been revoked. Create a new one with `npm run token -- --email <you>`.',
    ja: 'この API トークンは無効か、取り消されています。`npm run token -- --email <あなたのメール>` で新しく作成してください。',
    zh: '此 API 令牌无效或已被撤销。请使用 `npm run token -- --email <邮箱>` 创建新的令牌。',
  },
  google_token_invalid: {
    en: 'The Google ID token was not accepted ({reason}). Reload the add-on to sign in again.',
    ja: 'Google ID トークンを受け付けられませんでした（{reason}）。アドオンを再読み込みしてもう一度サインインしてください。',
    zh: 'Google ID 令牌未被接受（{reason}）。请重新加载插件后再次登录。',
  },
  google_unavailable: {
    en: "Google's sign-in keys could not be fetched just now. Try again in a moment.",
    ja: 'Google のサインイン用の鍵を取得できませんでした。しばらくしてからもう一度お試しください。',
    zh: '暂时无法获取 Google 登录密钥，请稍后重试。',
  },
  not_a_member: {
    en: '{email} is not a member of a Rapport workspace. Ask your Rapport admin to add this address.',
    ja: '{email} はどの Rapport ワークスペースのメンバーでもありません。Rapport の管理者にこのアドレスの追加を依頼してください。',
    zh: '{email} 不是任何 Rapport 工作区的成员。请联系 Rapport 管理员添加此邮箱。',
  },
  service_auth_invalid: {
    en: 'The service credential or the member it acts for is not valid.',
    ja: 'サービス認証情報、または代理するメンバーが無効です。',
    zh: '服务凭据或其代表的成员无效。',
  },
  invalid_request: {
    en: 'The request is not valid: {fields}.',
    ja: 'リクエストが正しくありません: {fields}。',
    zh: '请求无效：{fields}。',
  },
  unknown_fields: {
    en: 'unknown field(s) {names}',
    ja: '不明な項目 {names}',
    zh: '未知字段 {names}',
  },
  malformed_json: {
    en: 'The request body is not valid JSON.',
    ja: 'リクエスト本文が正しい JSON ではありません。',
    zh: '请求正文不是有效的 JSON。',
  },
  payload_too_large: {
    en: 'The request body is larger than {limit}.',
    ja: 'リクエスト本文が上限（{limit}）を超えています。',
    zh: '请求正文超过了上限（{limit}）。',
  },
  not_found: {
    en: 'Something this request names does not exist.',
    ja: 'このリクエストが指定したものは存在しません。',
    zh: '此请求所指定的对象不存在。',
  },
  method_not_allowed: {
    en: '{path} does not take {method}; it takes {allowed}.',
    ja: '{path} は {method} を受け付けません。使えるのは {allowed} です。',
    zh: '{path} 不接受 {method}，可用的方法为 {allowed}。',
  },
  unsupported_media_type: {
    en: 'The request body must be JSON (Content-Type: application/json), not {type}.',
    ja: 'リクエスト本文は JSON（Content-Type: application/json）で送ってください。{type} は受け付けません。',
    zh: '请求正文必须是 JSON（Content-Type: application/json），不接受 {type}。',
  },
  invalid_cursor: {
    en: 'The cursor is not one this API gave out. Start again without it.',
    ja: 'カーソルが正しくありません。カーソルなしで最初から取得してください。',
    zh: '游标无效。请不带游标重新开始获取。',
  },
  route_not_found: {
    en: 'There is no {method} {path}. See /openapi.json for the routes.',
    ja: '{method} {path} はありません。利用できるルートは /openapi.json を参照してください。',
    zh: '不存在 {method} {path}。可用路由请参阅 /openapi.json。',
  },
  contact_not_found: {
    en: 'No contact {id} in this workspace.',
    ja: 'このワークスペースに連絡先 {id} はありません。',
    zh: '此工作区中没有联系人 {id}。',
  },
  jobs_unavailable: {
    en: 'Slack is not connected to this server, so there are no digests to send.',
    ja: 'このサーバーには Slack が接続されていないため、送信するダイジェストはありません。',
    zh: '此服务器未连接 Slack，没有要发送的摘要。',
  },
  invalid_timezone: {
    en: '{timezone} is not a time zone: use an IANA name such as Asia/Tokyo.',
    ja: '{timezone} はタイムゾーンではありません。Asia/Tokyo のような IANA 名を指定してください。',
    zh: '{timezone} 不是时区：请使用 IANA 名称，例如 Asia/Tokyo。',
  },
  company_not_found: {
    en: 'No company {id} in this workspace.',
    ja: 'このワークスペースに会社 {id} はありません。',
    zh: '此工作区中没有公司 {id}。',
  },
  slack_team_not_linked: {
    en: 'Slack team {teamId} is not connected to this workspace.',
    ja: 'Slack チーム {teamId} はこのワークスペースに接続されていません。',
    zh: 'Slack 团队 {teamId} 未连接到此工作区。',
  },
  contact_email_not_found: {
    en: 'No contact has the address {email}.',
    ja: '{email} を持つ連絡先はありません。',
    zh: '没有使用 {email} 的联系人。',
  },
  email_taken: {
    en: '{email} already belongs to {contactName}.',
    ja: '{email} はすでに {contactName} のアドレスです。',
    zh: '{email} 已属于 {contactName}。',
  },
  member_unknown: {
    en: '{email} ({field}) is not a member of this workspace.',
    ja: '{email}（{field}）はこのワークスペースのメンバーではありません。',
    zh: '{email}（{field}）不是此工作区的成员。',
  },
  member_ambiguous: {
    en: '{email} is a member of several workspaces; name the workspace.',
    ja: '{email} は複数のワークスペースのメンバーです。ワークスペースを指定してください。',
    zh: '{email} 属于多个工作区，请指定工作区。',
  },
  interaction_not_found: {
    en: 'No interaction {id} in this workspace.',
    ja: 'このワークスペースにやり取り {id} はありません。',
    zh: '此工作区中没有互动记录 {id}。',
  },
  follow_up_not_found: {
    en: 'No follow-up {id} in this workspace.',
    ja: 'このワークスペースにフォローアップ {id} はありません。',
    zh: '此工作区中没有跟进事项 {id}。',
  },
  follow_up_forbidden: {
    en: 'Only its owner, whoever created it, their managers and admins can change this follow-up.',
    ja: 'このフォローアップを変更できるのは、担当者、作成者、その上長、管理者だけです。',
    zh: '只有负责人、创建者、其上级和管理员可以修改此跟进事项。',
  },
  admin_only: {
    en: 'Only an admin of this workspace can change this.',
    ja: 'これを変更できるのはこのワークスペースの管理者だけです。',
    zh: '只有此工作区的管理员可以修改此项。',
  },
  conflict: {
    en: 'This conflicts with a record that already exists.',
    ja: '既存のレコードと競合しています。',
    zh: '与已有记录冲突。',
  },
  invalid_value: {
    en: 'A value is out of range or of the wrong form.',
    ja: '値が範囲外か、形式が正しくありません。',
    zh: '某个值超出范围或格式不正确。',
  },
  working_hours_invalid: {
    en: 'Working hours need a start before their end, both as HH:MM (for example 09:00 and 18:00), or both null to go back to 08:00–20:00.',
    ja: '勤務時間は開始を終了より前にし、どちらも HH:MM 形式（例: 09:00 と 18:00）で指定してください。両方 null にすると 08:00〜20:00 に戻ります。',
    zh: '工作时间的开始必须早于结束，两者都用 HH:MM 格式（例如 09:00 和 18:00）；两者都设为 null 则恢复为 08:00–20:00。',
  },
  meeting_not_found: {
    en: 'No meeting {id} in your calendar: it was cancelled, is private, or is someone else’s.',
    ja: 'あなたのカレンダーに会議 {id} はありません。キャンセル済み、非公開、または他の人の会議です。',
    zh: '你的日历中没有会议 {id}：它已取消、为私人会议，或属于其他人。',
  },
  meetings_range_invalid: {
    en: 'The range of meetings asked for does not work: `to` must come after `from`, and at most 92 days after it.',
    ja: '指定された期間が正しくありません。`to` は `from` より後で、`from` から 92 日以内にしてください。',
    zh: '请求的会议时间范围无效：`to` 必须晚于 `from`，且不超过 `from` 之后 92 天。',
  },
  db_unavailable: {
    en: 'The database is not answering just now. Nothing was saved; try again in a few seconds.',
    ja: 'データベースが応答していません。何も保存されていません。数秒後にもう一度お試しください。',
    zh: '数据库暂时没有响应，未保存任何内容。请几秒后重试。',
  },
  internal_error: {
    en: 'Something went wrong on our side. Nothing was saved; the error has been logged as {ref}.',
    ja: 'サーバー側で問題が発生しました。何も保存されていません。エラーは {ref} として記録されました。',
    zh: '服务器出错，未保存任何内容。错误已记录，编号 {ref}。',
  },
  audit_append_only: {
    en: 'The audit log cannot be changed.',
    ja: '監査ログは変更できません。',
    zh: '审计日志不可修改。',
  },
} as const satisfies Record<string, Entry>;

/** The whole catalogue: the core's sentences, those of the contact-records features, and the shared names of stages, kinds and directions. */
export const messages = {
  ...coreMessages,
  ...recordMessages,
  ...importMessages,
  ...trustMessages,
  ...teamMessages,
  ...captureMessages,
  ...mailboxMessages,
  ...dealNumberMessages,
  ...alertDeliveryMessages,
  ...dealMessages,
  ...accountMessages,
  ...alertSettingsMessages,
  ...webMessages,
  ...webSigninMessages,
  ...webContactMessages,
  ...webAdminMessages,
  ...webHomeMessages,
  ...vocabulary,
};

export type MessageKey = keyof typeof messages;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

/**
 * The message for key in locale, with {placeholders} filled.
 *   t('ja', 'contact_not_found', { id: 'c1' }) = 'このワークスペースに連絡先 c1 はありません。'
 */
export function t(locale: Locale, key: MessageKey, params: Record<string, unknown> = {}): string {
  return fill(messages[key][locale], params);
}

/**
 * The best of our locales for an Accept-Language header.
 *   pickLocale('zh-CN,zh;q=0.9,en;q=0.8') = 'zh'
 */
export function pickLocale(header: string | undefined | null, fallback: Locale = 'en'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { locale: localeOf(tag), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => r.locale)?.locale ?? fallback;
}
