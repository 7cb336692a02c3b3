import type { Entry } from './index.js';

/** The sentences of deals in Slack: /crm deal, /crm deals, New deal, Move stage, Mark won and Mark lost. */
export const dealMessages = {
  help_deal: {
    en: '`{command} deal`: start a new deal',
    ja: '`{command} deal`: 新しい案件を登録します',
    zh: '`{command} deal`：新建商机',
  },
  help_deals: {
    en: '`{command} deals`: your open deals by stage, to move, win or lose',
    ja: '`{command} deals`: 進行中の自分の案件をステージ別に表示し、移動・受注・失注できます',
    zh: '`{command} deals`：按阶段查看你进行中的商机，可移动阶段、标记赢单或输单',
  },
  view_deal_new: { en: 'New deal', ja: '新しい案件', zh: '新建商机' },
  view_deal_move: { en: 'Move stage', ja: 'ステージを移動', zh: '移动阶段' },
  view_deal_won: { en: 'Mark won', ja: '受注にする', zh: '标记赢单' },
  view_deal_lost: { en: 'Mark lost', ja: '失注にする', zh: '标记输单' },
  btn_deal_new: { en: 'New deal', ja: '新しい案件', zh: '新建商机' },
  btn_deal_move: { en: 'Move stage', ja: 'ステージを移動', zh: '移动阶段' },
  btn_deal_won: { en: 'Mark won', ja: '受注', zh: '赢单' },
  btn_deal_lost: { en: 'Mark lost', ja: '失注', zh: '输单' },
  deal_label_name: { en: 'Deal name', ja: '案件名', zh: '商机名称' },
  deal_label_company: { en: 'Company', ja: '会社', zh: '公司' },
  deal_label_contacts: { en: 'Contacts', ja: '連絡先', zh: '联系人' },
  deal_label_amount: { en: 'Amount', ja: '金額', zh: '金额' },
  deal_label_currency: { en: 'Currency', ja: '通貨', zh: '币种' },
  deal_label_stage: { en: 'Stage', ja: 'ステージ', zh: '阶段' },
  deal_label_close_date: { en: 'Expected close', ja: '受注予定日', zh: '预计成交日期' },
  deal_label_owner: { en: 'Owner', ja: '担当者', zh: '负责人' },
  deal_label_reason: { en: 'Reason', ja: '理由', zh: '原因' },
  deal_hint_amount: {
    en: 'As you would write it: 1,200.50 or 5000',
    ja: '普段どおりに入力してください（例: 1,200.50、5000）',
    zh: '按平常写法输入，例如 1,200.50 或 5000',
  },
  deal_hint_contacts: {
    en: 'Type a name or an email to find a contact',
    ja: '名前またはメールアドレスを入力して連絡先を検索します',
    zh: '输入姓名或邮箱查找联系人',
  },
  deal_err_amount: {
    en: 'Write an amount like 1,200.50: a positive number with at most {digits} digits after the point in {currency}.',
    ja: '1,200.50 のように金額を入力してください（{currency} は小数点以下 {digits} 桁まで、0 以上）。',
    zh: '请输入金额，例如 1,200.50：不能为负数，{currency} 小数点后最多 {digits} 位。',
  },
  deal_err_missing: {
    en: 'This deal could not be found. Open it again from `{command} deals`.',
    ja: 'この案件が見つかりません。`{command} deals` からもう一度開いてください。',
    zh: '找不到此商机。请从 `{command} deals` 重新打开。',
  },
  deal_err_reason: {
    en: 'Say why it was lost: the team learns from it.',
    ja: '失注の理由を入力してください。チームの学びになります。',
    zh: '请填写输单原因，团队可以从中总结经验。',
  },
  deal_about: { en: 'Deal: *{name}*', ja: '案件: *{name}*', zh: '商机：*{name}*' },
  deal_created: {
    en: 'Deal “{name}” created at {stage}.',
    ja: '案件「{name}」を「{stage}」で登録しました。',
    zh: '已创建商机“{name}”，阶段为“{stage}”。',
  },
  deal_moved: { en: '“{name}” moved to {stage}.', ja: '「{name}」を「{stage}」に移動しました。', zh: '已将“{name}”移至“{stage}”。' },
  deal_marked_won: {
    en: '“{name}” marked won. Its people are customers now.',
    ja: '「{name}」を受注にしました。関係する連絡先は顧客になりました。',
    zh: '已将“{name}”标记为赢单，相关联系人已成为客户。',
  },
  deal_marked_lost: { en: '“{name}” marked lost.', ja: '「{name}」を失注にしました。', zh: '已将“{name}”标记为输单。' },
  deals_header: { en: 'Your open deals: {count}', ja: '進行中の案件: {count} 件', zh: '你进行中的商机：{count} 个' },
  deals_none: {
    en: 'You have no open deals. Start one with `{command} deal`.',
    ja: '進行中の案件はありません。`{command} deal` で登録できます。',
    zh: '你没有进行中的商机。可用 `{command} deal` 新建。',
  },
  deals_stage_line: { en: '*{stage}* · {count} · {totals}', ja: '*{stage}* · {count} 件 · {totals}', zh: '*{stage}* · {count} 个 · {totals}' },
  deals_no_amount: { en: 'no amount', ja: '金額なし', zh: '无金额' },
  deals_closing: { en: 'closing {date}', ja: '受注予定 {date}', zh: '预计 {date} 成交' },
  deals_more: {
    en: '…and {count} more open deals not shown here.',
    ja: 'ほかに {count} 件の進行中の案件があります。',
    zh: '另有 {count} 个进行中的商机未显示。',
  },
} as const satisfies Record<string, Entry>;
