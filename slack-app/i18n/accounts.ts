import type { Entry } from './index.js';

/** The sentences of the account card, /crm company and the account picker (issue 18). */
export const accountMessages = {
  help_company: {
    en: "`{command} company <name|domain>`: a company's account card: its people, open deals, follow-ups and one history",
    ja: '`{command} company <会社名|ドメイン>`: 会社のアカウントカード（担当者、進行中の商談、フォローアップ、履歴）を表示します',
    zh: '`{command} company <公司名|域名>`：显示公司的客户卡片（联系人、进行中的商机、跟进和往来记录）',
  },
  account_label_domains: { en: 'Domains', ja: 'ドメイン', zh: '域名' },
  account_label_industry: { en: 'Industry', ja: '業種', zh: '行业' },
  account_label_size: { en: 'Employees', ja: '従業員数', zh: '员工人数' },
  account_label_owner: { en: 'Owner', ja: '担当者', zh: '负责人' },
  account_label_people: { en: 'People ({count})', ja: '担当者（{count} 人）', zh: '联系人（{count} 人）' },
  account_label_deals: { en: 'Open deals ({count})', ja: '進行中の商談（{count} 件）', zh: '进行中的商机（{count} 个）' },
  account_label_follow_ups: { en: 'Open follow-ups', ja: '未完了のフォローアップ', zh: '未完成的跟进' },
  account_label_last: { en: 'Last interaction', ja: '最後のやり取り', zh: '最近往来' },
  account_deal_line: { en: '{stage} · closes {date}', ja: '{stage} · 完了予定 {date}', zh: '{stage} · 预计 {date} 成交' },
  account_btn_open_person: { en: 'Open', ja: '開く', zh: '打开' },
  account_btn_move_stage: { en: 'Move stage', ja: 'ステージ変更', zh: '变更阶段' },
  account_btn_new_deal: { en: 'New deal', ja: '新しい商談', zh: '新建商机' },
  account_btn_more_history: { en: 'More history', ja: '履歴をもっと見る', zh: '更多记录' },
  account_btn_pick: { en: 'Show account', ja: 'アカウントを表示', zh: '查看客户' },
  account_picker_summary: {
    en: '{count} companies and people match "{query}":',
    ja: '「{query}」に一致する会社と人: {count} 件',
    zh: '与“{query}”匹配的公司和联系人：{count} 个',
  },
  account_picker_companies: { en: 'Companies', ja: '会社', zh: '公司' },
  account_picker_people: { en: 'People', ja: '人', zh: '联系人' },
  account_no_match: {
    en: 'No company matches "{query}".',
    ja: '「{query}」に一致する会社はありません。',
    zh: '没有与“{query}”匹配的公司。',
  },
  account_people_line: { en: '{count} people', ja: '{count} 人', zh: '{count} 人' },
  account_history_header: { en: 'Account history', ja: 'アカウントの履歴', zh: '客户往来记录' },
} as const satisfies Record<string, Entry>;
