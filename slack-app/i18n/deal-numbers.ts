import type { Entry } from './index.js';

/** The deal numbers in /crm stats and the digest's deal sections with their buttons, in English, Japanese and Chinese. */
export const dealNumberMessages = {
  // /crm stats
  stats_deals_pipeline: { en: 'Open pipeline ({count} deals)', ja: '進行中のパイプライン（{count} 件）', zh: '进行中的销售管道（{count} 个商机）' },
  stats_deals_none: { en: 'No open deals.', ja: '進行中の案件はありません。', zh: '没有进行中的商机。' },
  stats_deals_weighted: { en: '{amount} (weighted {weighted})', ja: '{amount}（確度加重 {weighted}）', zh: '{amount}（加权 {weighted}）' },
  stats_deals_stage: { en: '{stage} · {probability}% · {count}', ja: '{stage} · {probability}% · {count} 件', zh: '{stage} · {probability}% · {count} 个' },
  stats_deals_closed: {
    en: 'Won {won} · Lost {lost} · Win rate {rate} · {days} days to close on average',
    ja: '受注 {won} 件 · 失注 {lost} 件 · 受注率 {rate} · 平均 {days} 日で受注',
    zh: '赢单 {won} 个 · 输单 {lost} 个 · 赢率 {rate} · 平均 {days} 天成交',
  },
  stats_deals_won_amounts: { en: 'Won: {amounts}', ja: '受注額: {amounts}', zh: '赢单金额：{amounts}' },
  stats_deals_by_rep: { en: 'Deals by rep', ja: '担当者別の案件', zh: '按成员统计的商机' },
  stats_deals_rep: {
    en: '{open} open · won {won} · lost {lost} · win rate {rate}',
    ja: '進行中 {open} 件 · 受注 {won} · 失注 {lost} · 受注率 {rate}',
    zh: '进行中 {open} 个 · 赢单 {won} · 输单 {lost} · 赢率 {rate}',
  },
  stats_deals_no_value: { en: '—', ja: '—', zh: '—' },

  // the digest
  digest_deals_closing: { en: 'Deals closing this week ({count})', ja: '今週クローズ予定の案件（{count} 件）', zh: '本周预计成交的商机（{count} 个）' },
  digest_deals_stalled: {
    en: 'Stalled deals: no contact for {days}+ days ({count})',
    ja: '停滞中の案件: {days} 日以上接点なし（{count} 件）',
    zh: '停滞的商机：{days} 天以上未联系（{count} 个）',
  },
  digest_deal_close_date: { en: 'closes {date}', ja: '{date} クローズ予定', zh: '预计 {date} 成交' },
  digest_deal_last_activity: { en: 'last activity {when}', ja: '最終活動 {when}', zh: '最近活动 {when}' },
  btn_deal_move_stage: { en: 'Move stage', ja: 'ステージを変更', zh: '更改阶段' },
  btn_deal_snooze: { en: 'Snooze a week', ja: '1 週間スヌーズ', zh: '暂缓一周' },
  digest_deal_snoozed_by: { en: '⏰ Snoozed until {when} by {name}', ja: '⏰ {name} が {when} までスヌーズしました', zh: '⏰ {name} 已暂缓至 {when}' },
} satisfies Record<string, Entry>;
