import type { Entry } from '../i18n.js';

/** The sentences of /crm list (segments), /crm stats and /crm tidy. */
export const segmentMessages = {
  help_list: {
    en: '`{command} list <segment>`: the contacts of a saved segment',
    ja: '`{command} list <セグメント>`: 保存したセグメントの連絡先を表示します',
    zh: '`{command} list <分组>`：列出已保存分组中的联系人',
  },
  help_stats: {
    en: '`{command} stats [week|month]`: the team’s numbers',
    ja: '`{command} stats [week|month]`: チームの数字を表示します',
    zh: '`{command} stats [week|month]`：查看团队数据',
  },
  help_tidy: {
    en: '`{command} tidy`: contacts missing a company, an owner or recent contact, with fixes',
    ja: '`{command} tidy`: 会社・担当者が未設定、または最近接点のない連絡先と、その修正',
    zh: '`{command} tidy`：缺少公司、负责人或近期互动的联系人及修复建议',
  },
} as const satisfies Record<string, Entry>;
