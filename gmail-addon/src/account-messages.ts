import type { Entry } from '../../backend/i18n/vocabulary.js';

/** The sentences of the person card's account line (account.ts), in English, Japanese and Chinese. */
export const accountMessages = {
  label_account: { en: 'Account', ja: 'アカウント', zh: '客户' },
  account_no_deals: { en: '{name} · no open deals', ja: '{name}・進行中の商談なし', zh: '{name} · 暂无进行中的商机' },
  account_deals: { en: '{name} · {count} open deals', ja: '{name}・進行中の商談 {count} 件', zh: '{name} · {count} 个进行中的商机' },
  account_deal: { en: '{name} · 1 open deal', ja: '{name}・進行中の商談 1 件', zh: '{name} · 1 个进行中的商机' },
} as const satisfies Record<string, Entry>;
