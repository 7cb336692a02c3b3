import type { Entry } from './index.js';

/** The sentences of the modals (edit contact, add note, add follow-up, log call or meeting, create contact) and More history, in English, Japanese and Chinese. */
export const modalMessages = {
  // input labels (Slack allows 2,000 characters) and hints
  modal_label_name: { en: 'Name', ja: '名前', zh: '姓名' },
  modal_label_email: { en: 'Email', ja: 'メールアドレス', zh: '邮箱' },
  modal_label_tags: { en: 'Tags', ja: 'タグ', zh: '标签' },
  modal_hint_tags: { en: 'Separate tags with commas.', ja: 'タグはカンマで区切ってください。', zh: '多个标签请用逗号分隔。' },
  modal_hint_owner_now: {
    en: 'Now: {name}. Leave empty to keep.',
    ja: '現在: {name}。変更しない場合は空欄のままにしてください。',
    zh: '当前：{name}。留空则保持不变。',
  },
  modal_label_note: { en: 'Note', ja: 'メモ', zh: '备注' },
  modal_label_due_date: { en: 'Due date', ja: '期限日', zh: '截止日期' },
  modal_label_time: { en: 'Time', ja: '時刻', zh: '时间' },
  modal_label_date: { en: 'Date', ja: '日付', zh: '日期' },
  modal_label_kind: { en: 'Type', ja: '種類', zh: '类型' },
  modal_label_direction: { en: 'Who reached out', ja: 'どちらから連絡したか', zh: '由谁发起' },
  modal_label_summary: { en: 'Summary', ja: '要約', zh: '摘要' },
  modal_about: { en: 'About *{name}*', ja: '*{name}* について', zh: '关于 *{name}*' },
  modal_time_zone: { en: 'Times are in {timeZone}.', ja: '時刻は {timeZone} の時間です。', zh: '时间按 {timeZone} 时区计算。' },

  // field errors, shown under the input
  modal_err_required: { en: 'Please fill this in.', ja: '入力してください。', zh: '请填写此项。' },
  modal_err_email: {
    en: 'Enter an email address like jane@acme.com.',
    ja: 'jane@acme.com のような形式でメールアドレスを入力してください。',
    zh: '请输入邮箱地址，例如 jane@acme.com。',
  },
  modal_err_date: { en: 'Pick a valid date.', ja: '正しい日付を選んでください。', zh: '请选择有效的日期。' },
  modal_err_time: { en: 'Pick a valid time.', ja: '正しい時刻を選んでください。', zh: '请选择有效的时间。' },
  modal_err_past: {
    en: 'This time has already passed; pick a later one.',
    ja: 'この日時はすでに過ぎています。これより後を選んでください。',
    zh: '该时间已经过去，请选择更晚的时间。',
  },
  modal_err_future: {
    en: 'This is in the future; log calls and meetings that have happened.',
    ja: '未来の日時です。実施済みの通話や打ち合わせを記録してください。',
    zh: '该时间在未来。请记录已经发生的通话或会议。',
  },
  modal_err_too_long: {
    en: 'Keep this under {max} characters.',
    ja: '{max} 文字以内で入力してください。',
    zh: '请控制在 {max} 个字符以内。',
  },
  modal_err_tags: {
    en: 'Up to {count} tags of at most {max} characters each.',
    ja: 'タグは {count} 個まで、各 {max} 文字以内です。',
    zh: '最多 {count} 个标签，每个不超过 {max} 个字符。',
  },
  modal_err_owner: {
    en: 'Rapport cannot read this Slack user’s email; pick a Rapport member.',
    ja: 'この Slack ユーザーのメールアドレスを取得できません。Rapport のメンバーを選んでください。',
    zh: '无法读取该 Slack 用户的邮箱，请选择一位 Rapport 成员。',
  },
  modal_err_choice: { en: 'Pick one of the options.', ja: '選択肢から選んでください。', zh: '请从选项中选择一项。' },

  // what was saved, told privately after a submit
  modal_saved_contact: {
    en: 'Saved {name}: {fields}.',
    ja: '{name} を更新しました: {fields}。',
    zh: '已更新 {name}：{fields}。',
  },
  modal_no_changes: { en: 'Nothing changed for {name}.', ja: '{name} に変更はありません。', zh: '{name} 没有任何更改。' },
  modal_saved_note: {
    en: "Note saved to {name}'s history.",
    ja: '{name} の履歴にメモを保存しました。',
    zh: '备注已保存到 {name} 的记录中。',
  },
  modal_saved_follow_up: {
    en: 'Follow-up on {name} set for {when}.',
    ja: '{name} のフォローアップを {when} に設定しました。',
    zh: '已为 {name} 设置跟进事项，时间为 {when}。',
  },
  modal_saved_interaction: {
    en: '{kind} with {name} logged ({when}).',
    ja: '{name} との{kind}を記録しました（{when}）。',
    zh: '已记录与 {name} 的{kind}（{when}）。',
  },
  modal_created_contact: { en: 'Contact {name} created.', ja: '連絡先 {name} を作成しました。', zh: '已创建联系人 {name}。' },

  // More history
  modal_history_header: { en: 'Earlier history', ja: 'それ以前の履歴', zh: '更早的记录' },
  modal_history_none: { en: 'No earlier history.', ja: 'これより前の履歴はありません。', zh: '没有更早的记录。' },
  modal_btn_more: { en: 'More', ja: 'さらに表示', zh: '显示更多' },
} as const satisfies Record<string, Entry>;
