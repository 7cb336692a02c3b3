import type { Entry } from './index.js';

/** The sentences of the App Home tab and link unfurls, in English, Japanese and Chinese. */
export const homeMessages = {
  home_title: { en: 'Your Rapport', ja: 'あなたの Rapport', zh: '我的 Rapport' },
  home_open_browser: { en: 'Open in browser', ja: 'ブラウザで開く', zh: '在浏览器中打开' },
  home_open_browser_hint: {
    en: 'A contact, an account or your team in full: Rapport’s web pages.',
    ja: '連絡先、取引先、チームの全体は Rapport の Web ページで確認できます。',
    zh: '完整查看联系人、客户公司或你的团队：Rapport 网页。',
  },
  home_open_browser_title: { en: 'Open in browser', ja: 'ブラウザで開く', zh: '在浏览器中打开' },
  home_open_browser_body: {
    en: 'This link signs you in to Rapport’s web pages in your browser. It works once, within 10 minutes; keep it to yourself.',
    ja: 'このリンクでブラウザから Rapport の Web ページにサインインできます。10 分以内に 1 回だけ使えます。他の人には共有しないでください。',
    zh: '此链接可在浏览器中登录 Rapport 网页。10 分钟内仅可使用一次；请勿分享给他人。',
  },
  home_open_browser_button: { en: 'Open Rapport', ja: 'Rapport を開く', zh: '打开 Rapport' },
  home_open_browser_close: { en: 'Close', ja: '閉じる', zh: '关闭' },
  home_team_header: { en: 'Team', ja: 'チーム', zh: '团队' },
  home_updated: {
    en: 'Updated {when}. Buttons below change Rapport right away.',
    ja: '{when} 時点の内容です。下のボタンを押すとすぐに Rapport に反映されます。',
    zh: '更新于 {when}。点击下方按钮会立即更新 Rapport。',
  },
  home_load_failed: {
    en: 'Rapport could not load this part: {reason}. Open the Home tab again to retry.',
    ja: 'この部分を読み込めませんでした: {reason}。Home タブを開き直すと再試行します。',
    zh: '无法加载此部分：{reason}。重新打开主页标签即可重试。',
  },
  home_unexpected: { en: 'an unexpected error', ja: '予期しないエラー', zh: '意外错误' },

  // my follow-ups
  home_follow_ups_header: {
    en: 'My open follow-ups ({count})',
    ja: '未完了のフォローアップ（{count} 件）',
    zh: '我未完成的跟进事项（{count} 项）',
  },
  home_follow_ups_overdue: {
    en: '{count} overdue',
    ja: '{count} 件が期限切れ',
    zh: '{count} 项已逾期',
  },
  home_follow_ups_none: {
    en: 'You have no open follow-ups.',
    ja: '未完了のフォローアップはありません。',
    zh: '你没有未完成的跟进事项。',
  },
  home_follow_ups_more: {
    en: '…and {count} more: `{command} follow-ups` lists them',
    ja: 'ほか {count} 件: `{command} follow-ups` で一覧を表示できます',
    zh: '另有 {count} 项：使用 `{command} follow-ups` 查看全部',
  },

  // recent activity on my contacts
  home_activity_header: {
    en: 'Recent activity on my contacts',
    ja: '担当連絡先の最近の動き',
    zh: '我的联系人的最近动态',
  },
  home_activity_none: {
    en: 'No recent activity on your contacts.',
    ja: '担当している連絡先に最近の動きはありません。',
    zh: '你的联系人最近没有动态。',
  },
  home_activity_by: { en: 'by {name}', ja: '{name} が記録', zh: '由 {name} 记录' },

  // capture health of linked channels
  home_capture_header: {
    en: 'Linked channels',
    ja: '紐づけたチャンネル',
    zh: '已关联的频道',
  },
  home_capture_none: {
    en: 'No channel is linked yet: in a channel, type `{command} link <company or contact>` to capture its conversation.',
    ja: 'まだ紐づけたチャンネルはありません。チャンネルで `{command} link <会社名または連絡先>` と入力すると会話を記録できます。',
    zh: '还没有关联任何频道：在频道中输入 `{command} link <公司或联系人>` 即可记录其对话。',
  },
  home_capture_failing: {
    en: 'Linked channels with capture failures in the last 7 days: {count}',
    ja: '直近 7 日間に記録に失敗したチャンネル: {count} 件',
    zh: '最近 7 天内记录失败的已关联频道：{count} 个',
  },
  home_capture_company: { en: 'Company: {name}', ja: '会社: {name}', zh: '公司：{name}' },
  home_capture_contact: { en: 'Contact: {name}', ja: '連絡先: {name}', zh: '联系人：{name}' },
  home_capture_shared: {
    en: 'shared with another company',
    ja: '社外と共有',
    zh: '与外部公司共享',
  },
  home_capture_last: { en: 'Last captured {when}', ja: '最終記録 {when}', zh: '最近记录 {when}' },
  home_capture_never: { en: 'Nothing captured yet', ja: 'まだ記録はありません', zh: '尚未记录任何内容' },
  home_capture_failed: {
    en: 'Capture failed {when}: {error}',
    ja: '{when}に記録に失敗しました: {error}',
    zh: '{when}记录失败：{error}',
  },
} as const satisfies Record<string, Entry>;
