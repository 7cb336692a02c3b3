import type { Entry } from './index.js';

/** The sentences of the "Log to Rapport" message shortcut and of linked-channel capture (/crm link, /crm unlink). */
export const captureMessages = {
  log_title: { en: 'Log to Rapport', ja: 'Rapport に記録', zh: '记录到 Rapport' },
  log_submit: { en: 'Log', ja: '記録する', zh: '记录' },
  log_cancel: { en: 'Cancel', ja: 'キャンセル', zh: '取消' },
  log_preview: {
    en: 'Message from {author}, {date}:',
    ja: '{author} さんのメッセージ ({date}):',
    zh: '{author} 的消息（{date}）：',
  },
  log_contact_label: { en: 'Contact', ja: '連絡先', zh: '联系人' },
  log_contact_placeholder: { en: 'Type a name, email or company', ja: '名前・メール・会社名を入力', zh: '输入姓名、邮箱或公司' },
  log_kind_label: { en: 'Kind', ja: '種類', zh: '类型' },
  log_note_label: { en: 'Note (optional)', ja: 'メモ (任意)', zh: '备注（可选）' },
  log_needs_contact: {
    en: 'Pick the contact this message is about.',
    ja: 'このメッセージに関係する連絡先を選んでください。',
    zh: '请选择这条消息相关的联系人。',
  },
  log_done: {
    en: 'Logged to {contact}’s history: {link}',
    ja: '{contact} さんの履歴に記録しました: {link}',
    zh: '已记录到 {contact} 的历史：{link}',
  },
  log_already: {
    en: 'This message is already logged in Rapport (by {name}, {date}).',
    ja: 'このメッセージはすでに Rapport に記録されています ({name}、{date})。',
    zh: '此消息已记录在 Rapport 中（{name}，{date}）。',
  },
  log_cut: {
    en: '(The message was longer; the rest is at the link.)',
    ja: '(メッセージの続きはリンク先にあります。)',
    zh: '（消息较长，其余部分请见链接。）',
  },
  someone: { en: 'someone', ja: '不明なユーザー', zh: '某人' },
  link_usage: {
    en: 'Say what to link this channel to, for example `{command} link Acme`.',
    ja: '紐づける会社または連絡先を指定してください。例: `{command} link Acme`',
    zh: '请指定要关联的公司或联系人，例如 `{command} link Acme`。',
  },
  link_not_in_dm: {
    en: 'Only channels can be linked, not direct messages.',
    ja: '紐づけできるのはチャンネルだけです。DM は紐づけできません。',
    zh: '只能关联频道，不能关联私信。',
  },
  link_done: {
    en: 'This channel is now captured into Rapport under {target}: every message from now on is logged. `{command} unlink` stops it.',
    ja: 'このチャンネルを {target} に紐づけました。これ以降のメッセージはすべて Rapport に記録されます。`{command} unlink` で解除できます。',
    zh: '此频道已关联到 {target}：今后的每条消息都会记录到 Rapport。使用 `{command} unlink` 可解除。',
  },
  link_invite: {
    en: 'Invite Rapport to this channel (`/invite @Rapport`) so it can read the messages.',
    ja: 'メッセージを読めるように Rapport をこのチャンネルに招待してください (`/invite @Rapport`)。',
    zh: '请邀请 Rapport 加入此频道（`/invite @Rapport`），以便读取消息。',
  },
  link_external: {
    en: 'This channel is shared with another company: its messages are logged, and Rapport never posts CRM data here.',
    ja: 'このチャンネルは社外と共有されています。メッセージは記録されますが、Rapport がここに CRM の情報を投稿することはありません。',
    zh: '此频道与其他公司共享：消息会被记录，但 Rapport 不会在这里发布任何 CRM 数据。',
  },
  link_pick: {
    en: 'Several matches for “{query}”. Which one should this channel be linked to?',
    ja: '「{query}」に複数が一致しました。どれに紐づけますか?',
    zh: '“{query}”有多个匹配项。要将此频道关联到哪一个？',
  },
  link_no_match: {
    en: 'No company or contact matches “{query}”.',
    ja: '「{query}」に一致する会社・連絡先はありません。',
    zh: '没有与“{query}”匹配的公司或联系人。',
  },
  link_target_company: { en: 'the company {name}', ja: '会社「{name}」', zh: '公司“{name}”' },
  link_target_contact: { en: '{name}', ja: '{name} さん', zh: '{name}' },
  btn_link: { en: 'Link', ja: '紐づける', zh: '关联' },
  unlink_done: {
    en: 'This channel is no longer captured (it was linked to {target}). What was logged stays in Rapport.',
    ja: 'このチャンネルの紐づけ ({target}) を解除しました。記録済みの内容は Rapport に残ります。',
    zh: '已解除此频道与 {target} 的关联。已记录的内容仍保留在 Rapport 中。',
  },
  unlink_none: {
    en: 'This channel is not linked to anything.',
    ja: 'このチャンネルは何にも紐づいていません。',
    zh: '此频道未关联任何对象。',
  },
} as const satisfies Record<string, Entry>;
