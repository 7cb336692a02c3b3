/**
 * What the backend, the Slack app and the Gmail add-on say alike, defined
 * once: the locales, how a {placeholder} is filled, and the names of stages,
 * interaction kinds and directions in each language. Each catalogue spreads
 * `vocabulary` into its own, so the three cannot name a call differently.
 * Pure (no Node API, no package): the add-on's Apps Script bundle imports it
 * too (a test checks).
 */

export const LOCALES = ['en', 'ja', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** One sentence in every locale. */
export type Entry = Record<Locale, string>;

/** The BCP 47 tag Intl formats each locale with. */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };

/**
 * Our locale for a language tag, whatever its region or script; undefined for another language.
 *   localeOf('ja-JP') = 'ja'   localeOf('zh-Hant-TW') = 'zh'   localeOf('fr') = undefined
 */
export function localeOf(tag: string | null | undefined): Locale | undefined {
  const language = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : undefined;
}

/**
 * A template with its {placeholders} filled; an unknown one stays visible.
 *   fill('Hi {name} {x}', { name: 'Jane' }) = 'Hi Jane {x}'
 */
export function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === undefined || params[name] === null ? `{${name}}` : String(params[name])));
}

/** A contact's lifecycle stage, an interaction's kind and direction: the API's values, in order. */
export const STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
export type Stage = (typeof STAGES)[number];
export const KINDS = ['email', 'slack', 'call', 'meeting', 'note'] as const;
export type Kind = (typeof KINDS)[number];
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const ROLES = ['rep', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

/** The name of each stage, kind, direction and role, as every surface shows it. */
export const vocabulary = {
  stage_lead: { en: 'Lead', ja: 'リード', zh: '线索' },
  stage_prospect: { en: 'Prospect', ja: '見込み客', zh: '潜在客户' },
  stage_customer: { en: 'Customer', ja: '顧客', zh: '客户' },
  stage_churned: { en: 'Churned', ja: '解約済み', zh: '已流失' },
  kind_email: { en: 'Email', ja: 'メール', zh: '邮件' },
  kind_slack: { en: 'Slack message', ja: 'Slack メッセージ', zh: 'Slack 消息' },
  kind_call: { en: 'Call', ja: '電話', zh: '通话' },
  kind_meeting: { en: 'Meeting', ja: '打ち合わせ', zh: '会议' },
  kind_note: { en: 'Note', ja: 'メモ', zh: '备注' },
  direction_inbound: { en: 'inbound', ja: '受信', zh: '收到' },
  direction_outbound: { en: 'outbound', ja: '送信', zh: '发出' },
  direction_internal: { en: 'internal', ja: '社内', zh: '内部' },
  role_rep: { en: 'Rep', ja: '営業担当', zh: '销售代表' },
  role_manager: { en: 'Manager', ja: 'マネージャー', zh: '经理' },
  role_admin: { en: 'Admin', ja: '管理者', zh: '管理员' },
} as const satisfies Record<`stage_${Stage}` | `kind_${Kind}` | `direction_${Direction}` | `role_${RoleName}`, Entry>;

export type VocabularyKey = keyof typeof vocabulary;
