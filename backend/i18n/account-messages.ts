import type { Entry } from './vocabulary.js';

/** The backend's sentences about companies as accounts: not found, domains, merges (en, ja, zh). */
export const accountMessages = {
  company_not_found: {
    en: 'There is no company {id} in this workspace.',
    ja: 'このワークスペースに会社 {id} はありません。',
    zh: '此工作区中没有公司 {id}。',
  },
  company_domain_taken: {
    en: '{domain} already belongs to {companyName}: merge the two companies instead.',
    ja: '{domain} はすでに {companyName} のドメインです。2 つの会社を統合してください。',
    zh: '{domain} 已属于 {companyName}：请改为合并这两家公司。',
  },
  company_domain_free_mail: {
    en: '{domain} is a free email provider: it cannot be a company domain.',
    ja: '{domain} はフリーメールのドメインのため、会社のドメインにできません。',
    zh: '{domain} 是免费邮箱域名，不能作为公司域名。',
  },
  company_merged: {
    en: 'This company has been merged into another one: change that one instead.',
    ja: 'この会社は別の会社に統合されています。統合先を変更してください。',
    zh: '此公司已合并到另一家公司：请修改那一家。',
  },
  company_merge_merged: {
    en: '{name} has already been merged into another company.',
    ja: '{name} はすでに別の会社に統合されています。',
    zh: '{name} 已合并到另一家公司。',
  },
} as const satisfies Record<string, Entry>;
