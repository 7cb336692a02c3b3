import type { Entry } from './messages.js';

/** The web companion's frame and sign-in: navigation, the sign-in pages, one-time links, sessions (en, ja, zh). */
export const webMessages = {
  web_nav_home: { en: 'Home', ja: 'ホーム', zh: '首页' },
  web_nav_deals: { en: 'Deals', ja: '商談', zh: '商机' },
  web_nav_admin: { en: 'Admin', ja: '管理', zh: '管理' },
  web_nav_account: { en: 'Account', ja: 'アカウント', zh: '账户' },
  web_skip_to_content: { en: 'Skip to content', ja: '本文へ移動', zh: '跳到正文' },
  web_sign_out: { en: 'Sign out', ja: 'サインアウト', zh: '退出登录' },
  web_signin_title: { en: 'Sign in to Rapport', ja: 'Rapport にサインイン', zh: '登录 Rapport' },
  web_signin_intro: {
    en: 'Rapport lives in Slack and Gmail; these pages show a contact, an account or your team in full. Sign in with the account you use there.',
    ja: 'Rapport は Slack と Gmail で使う CRM です。このページでは連絡先、取引先、チームの全体を確認できます。そちらで使っているアカウントでサインインしてください。',
    zh: 'Rapport 在 Slack 和 Gmail 中使用；这些页面可以完整查看联系人、客户公司或你的团队。请使用你在那里使用的账号登录。',
  },
  web_signin_link_hint: {
    en: 'No Slack or Google sign-in here? In Slack, open Rapport’s App Home and choose “Open in browser”, or ask an admin for a sign-in link (npm run token -- --email you@example.com --link).',
    ja: 'Slack や Google でサインインできない場合は、Slack で Rapport のアプリホームを開き「ブラウザで開く」を選ぶか、管理者にサインイン用リンク（npm run token -- --email you@example.com --link）を依頼してください。',
    zh: '无法用 Slack 或 Google 登录？在 Slack 中打开 Rapport 的应用主页并选择“在浏览器中打开”，或请管理员发送登录链接（npm run token -- --email you@example.com --link）。',
  },
  web_link_title: { en: 'Continue to Rapport', ja: 'Rapport に進む', zh: '继续进入 Rapport' },
  web_link_body: {
    en: 'This link signs you in as {name} ({email}) in {workspace}.',
    ja: 'このリンクで {workspace} に {name}（{email}）としてサインインします。',
    zh: '此链接将以 {name}（{email}）的身份登录 {workspace}。',
  },
  web_link_continue: { en: 'Continue as {name}', ja: '{name} として続ける', zh: '以 {name} 的身份继续' },
  signin_link_invalid: {
    en: 'This sign-in link is not one Rapport made. Ask for a new one: “Open in browser” in Rapport’s App Home in Slack.',
    ja: 'このサインイン用リンクは Rapport が発行したものではありません。Slack の Rapport アプリホームの「ブラウザで開く」から新しいリンクを取得してください。',
    zh: '此登录链接不是 Rapport 生成的。请在 Slack 的 Rapport 应用主页中点“在浏览器中打开”获取新链接。',
  },
  signin_link_used: {
    en: 'This sign-in link has already been used; each link works once. Ask for a new one: “Open in browser” in Rapport’s App Home in Slack.',
    ja: 'このサインイン用リンクは使用済みです（各リンクは 1 回だけ使えます）。Slack の Rapport アプリホームの「ブラウザで開く」から新しいリンクを取得してください。',
    zh: '此登录链接已被使用（每个链接只能使用一次）。请在 Slack 的 Rapport 应用主页中点“在浏览器中打开”获取新链接。',
  },
  signin_link_expired: {
    en: 'This sign-in link has expired; links work for 10 minutes. Ask for a new one: “Open in browser” in Rapport’s App Home in Slack.',
    ja: 'このサインイン用リンクは期限切れです（有効期間は 10 分）。Slack の Rapport アプリホームの「ブラウザで開く」から新しいリンクを取得してください。',
    zh: '此登录链接已过期（有效期为 10 分钟）。请在 Slack 的 Rapport 应用主页中点“在浏览器中打开”获取新链接。',
  },
  web_link_refused_title: { en: 'This link cannot sign you in', ja: 'このリンクではサインインできません', zh: '无法使用此链接登录' },
  web_signin_required: {
    en: 'Your session has ended. Sign in again, then send the form once more.',
    ja: 'セッションが終了しました。もう一度サインインしてから、フォームを送信し直してください。',
    zh: '你的会话已结束。请重新登录后再次提交表单。',
  },
  web_csrf_refused_title: { en: 'This form could not be sent', ja: 'このフォームは送信できませんでした', zh: '无法提交此表单' },
  web_csrf_refused: {
    en: 'The form is out of date or did not come from Rapport, so nothing was changed. Go back, reload the page and try again.',
    ja: 'フォームが古いか Rapport 以外から送信されたため、何も変更されていません。前のページに戻り、再読み込みしてからもう一度お試しください。',
    zh: '表单已过期或并非来自 Rapport，因此没有做任何更改。请返回、刷新页面后重试。',
  },
  web_signed_out_title: { en: 'Signed out', ja: 'サインアウトしました', zh: '已退出登录' },
  web_signed_out: {
    en: 'You are signed out of Rapport in this browser.',
    ja: 'このブラウザで Rapport からサインアウトしました。',
    zh: '你已在此浏览器中退出 Rapport。',
  },
  web_sign_in_again: { en: 'Sign in again', ja: 'もう一度サインイン', zh: '重新登录' },
  web_account_title: { en: 'Your account', ja: 'アカウント', zh: '你的账户' },
  web_account_who: {
    en: 'Signed in as {name} ({email}), {role}.',
    ja: '{name}（{email}、{role}）としてサインインしています。',
    zh: '当前登录身份：{name}（{email}，{role}）。',
  },
  web_sessions_title: { en: 'Where you are signed in', ja: 'サインイン中の場所', zh: '已登录的位置' },
  web_session_row: {
    en: 'Signed in {created} by {via}; last used {seen}',
    ja: '{created} に{via}でサインイン、最終利用 {seen}',
    zh: '{created} 通过{via}登录；最近使用 {seen}',
  },
  web_session_this: { en: '(this browser)', ja: '（このブラウザ）', zh: '（此浏览器）' },
  web_via_link: { en: 'a one-time link', ja: 'ワンタイムリンク', zh: '一次性链接' },
  web_via_slack: { en: 'Slack', ja: 'Slack アカウント', zh: 'Slack 账号' },
  web_via_google: { en: 'Google', ja: 'Google アカウント', zh: 'Google 账号' },
  web_sign_out_everywhere: { en: 'Sign out everywhere', ja: 'すべての場所でサインアウト', zh: '在所有位置退出登录' },
  web_not_found_title: { en: 'Not found', ja: '見つかりません', zh: '未找到' },
  web_not_found: {
    en: 'There is nothing here in your workspace, or you may not see it.',
    ja: 'あなたのワークスペースにはここに表示できるものがないか、閲覧する権限がありません。',
    zh: '你的工作区中此处没有内容，或你无权查看。',
  },
  web_error_title: { en: 'Something went wrong', ja: '問題が発生しました', zh: '出现问题' },
  web_no_page: {
    en: 'Rapport has no page at {path}. The link may be mistyped or out of date.',
    ja: 'Rapport に {path} というページはありません。リンクが間違っているか、古くなっている可能性があります。',
    zh: 'Rapport 没有 {path} 这个页面。链接可能有误或已过期。',
  },
  web_go_home: { en: 'Go to Rapport', ja: 'Rapport のホームへ', zh: '前往 Rapport 首页' },
} as const satisfies Record<string, Entry>;
