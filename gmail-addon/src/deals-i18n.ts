/** The add-on's sentences about deals (en, ja, zh); i18n.ts adds them to its catalogue. */
import type { Entry } from '../../backend/i18n/vocabulary.js';

export const dealAddonMessages = {
  label_deals: { en: 'Open deals', ja: '進行中の案件', zh: '进行中的商机' },
  no_deals: { en: 'No open deal with them.', ja: '進行中の案件はありません。', zh: '没有与其相关的进行中商机。' },
  deal_top: { en: '{stage} · {amount}', ja: '{stage}・{amount}', zh: '{stage} · {amount}' },
  deal_no_amount: { en: 'no amount', ja: '金額なし', zh: '无金额' },
  label_move_to: { en: 'Move to', ja: '移動先', zh: '移至' },
  btn_move_stage: { en: 'Move stage', ja: 'ステージを移動', zh: '移动阶段' },
  btn_new_deal: { en: 'New deal', ja: '新しい案件', zh: '新建商机' },
  deal_form_title: { en: 'New deal with {name}', ja: '{name} との新しい案件', zh: '与 {name} 的新商机' },
  label_deal_name: { en: 'Deal name', ja: '案件名', zh: '商机名称' },
  label_amount: { en: 'Amount (e.g. 1,200.50)', ja: '金額（例: 1,200.50）', zh: '金额（例如 1,200.50）' },
  label_currency: { en: 'Currency', ja: '通貨', zh: '币种' },
  label_deal_stage: { en: 'Stage', ja: 'ステージ', zh: '阶段' },
  label_close_date: { en: 'Expected close', ja: '受注予定日', zh: '预计成交日期' },
  deal_company_line: { en: 'Company: {company}', ja: '会社: {company}', zh: '公司：{company}' },
  deal_amount_invalid: {
    en: 'Write an amount like 1,200.50: not negative, at most {digits} digits after the point in {currency}.',
    ja: '1,200.50 のように金額を入力してください（0 以上、{currency} は小数点以下 {digits} 桁まで）。',
    zh: '请输入金额，例如 1,200.50：不能为负数，{currency} 小数点后最多 {digits} 位。',
  },
  deal_moved: { en: '“{name}” moved to {stage}.', ja: '「{name}」を「{stage}」に移動しました。', zh: '已将“{name}”移至“{stage}”。' },
  deal_created: { en: 'Deal “{name}” created.', ja: '案件「{name}」を登録しました。', zh: '已创建商机“{name}”。' },
} as const satisfies Record<string, Entry>;
