import type { Entry } from './messages.js';

/** The backend's sentences for the personal capture address and the mail relay that delivers to it (en, ja, zh). */
export const captureMessages = {
  inbound_auth_invalid: {
    en: 'This mail relay is not authorised: send the secret RAPPORT_INBOUND_SECRET names (Bearer for /inbound/mime, the Basic password for /inbound/postmark).',
    ja: 'このメール中継は認可されていません。RAPPORT_INBOUND_SECRET のシークレットを送ってください（/inbound/mime は Bearer、/inbound/postmark は Basic 認証のパスワード）。',
    zh: '此邮件中继未获授权：请发送 RAPPORT_INBOUND_SECRET 指定的密钥（/inbound/mime 用 Bearer，/inbound/postmark 用 Basic 认证的密码）。',
  },
  inbound_mail_invalid: {
    en: 'This mail cannot be captured: {reason}.',
    ja: 'このメールは記録できません：{reason}。',
    zh: '无法记录此邮件：{reason}。',
  },
  capture_address_unknown: {
    en: '{recipient} is not a Rapport capture address. Each member finds theirs with GET /api/me/capture.',
    ja: '{recipient} は Rapport の記録用アドレスではありません。各メンバーは GET /api/me/capture で自分のアドレスを確認できます。',
    zh: '{recipient} 不是 Rapport 的记录地址。每位成员可通过 GET /api/me/capture 查看自己的地址。',
  },
  capture_address_retired: {
    en: 'This capture address was replaced by a new one; nothing was captured. Use the address GET /api/me/capture shows now.',
    ja: 'この記録用アドレスは新しいものに置き換えられたため、何も記録していません。GET /api/me/capture に表示される現在のアドレスを使ってください。',
    zh: '此记录地址已被新地址取代，未记录任何内容。请使用 GET /api/me/capture 当前显示的地址。',
  },
  capture_sender_not_member: {
    en: 'Only the member whose capture address this is may send to it; {sender} is not them, so nothing was captured.',
    ja: 'この記録用アドレスに送れるのは、アドレスの持ち主のメンバーだけです。{sender} は本人ではないため、何も記録していません。',
    zh: '只有此记录地址所属的成员可以向其发送邮件；{sender} 不是该成员，因此未记录任何内容。',
  },
  capture_authentication_failed: {
    en: 'This mail failed both DKIM and SPF, so it may not come from its sender; nothing was captured.',
    ja: 'このメールは DKIM と SPF の両方で検証に失敗したため、送信者本人からのものとは限りません。何も記録していません。',
    zh: '此邮件的 DKIM 和 SPF 验证均未通过，可能并非来自其发件人，因此未记录任何内容。',
  },
} as const satisfies Record<string, Entry>;
