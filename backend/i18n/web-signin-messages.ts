import type { Entry } from './messages.js';

/** "Sign in with Slack" and "Sign in with Google" on the web pages: the buttons, the workspace chooser, the refusals (en, ja, zh). */
export const webSigninMessages = {
  web_signin_with_slack: { en: 'Sign in with Slack', ja: 'Slack でサインイン', zh: '使用 Slack 登录' },
  web_signin_with_google: { en: 'Sign in with Google', ja: 'Google でサインイン', zh: '使用 Google 登录' },
  web_signin_refused_title: { en: 'You are not signed in', ja: 'サインインできませんでした', zh: '未能登录' },
  web_signin_state_mismatch: {
    en: 'This sign-in did not start in this browser, or took more than 10 minutes. Start again from the sign-in page.',
    ja: 'このサインインはこのブラウザで始まったものではないか、10 分以上かかりました。サインインページからやり直してください。',
    zh: '此次登录不是在此浏览器中发起的，或耗时超过 10 分钟。请从登录页面重新开始。',
  },
  web_signin_provider_error: {
    en: '{provider} did not sign you in ({error}). Try again, or ask for a one-time sign-in link.',
    ja: '{provider} でサインインできませんでした（{error}）。もう一度試すか、1 回限りのサインイン用リンクを依頼してください。',
    zh: '{provider} 未能让你登录（{error}）。请重试，或索取一次性登录链接。',
  },
  web_signin_email_unverified: {
    en: '{provider} has not verified your email address, so Rapport cannot tell which member you are. Verify it in {provider}, then sign in again.',
    ja: '{provider} でメールアドレスが確認されていないため、どのメンバーか判断できません。{provider} で確認してから、もう一度サインインしてください。',
    zh: '{provider} 尚未验证你的邮箱地址，Rapport 无法确定你是哪位成员。请先在 {provider} 完成验证，然后重新登录。',
  },
  web_signin_team_unknown: {
    en: 'This Slack workspace is not connected to Rapport. Sign in to the Slack workspace where Rapport is installed.',
    ja: 'この Slack ワークスペースは Rapport に接続されていません。Rapport がインストールされている Slack ワークスペースでサインインしてください。',
    zh: '此 Slack 工作区未连接 Rapport。请登录已安装 Rapport 的 Slack 工作区。',
  },
  web_signin_failed: {
    en: 'Rapport could not sign you in. Start again from the sign-in page.',
    ja: 'サインインできませんでした。サインインページからやり直してください。',
    zh: 'Rapport 未能让你登录。请从登录页面重新开始。',
  },
  web_signin_not_configured: {
    en: 'Sign in with {provider} is not set up on this server. Ask for a one-time sign-in link instead.',
    ja: 'このサーバーでは {provider} でのサインインが設定されていません。代わりに 1 回限りのサインイン用リンクを依頼してください。',
    zh: '此服务器未设置使用 {provider} 登录。请改为索取一次性登录链接。',
  },
  web_choose_title: { en: 'Choose a workspace', ja: 'ワークスペースを選択', zh: '选择工作区' },
  web_choose_intro: {
    en: '{email} is a member of several Rapport workspaces. Which one do you want to open?',
    ja: '{email} は複数の Rapport ワークスペースのメンバーです。どのワークスペースを開きますか？',
    zh: '{email} 是多个 Rapport 工作区的成员。你要打开哪一个？',
  },
  web_choose_open: { en: 'Open {workspace}', ja: '{workspace} を開く', zh: '打开 {workspace}' },
  web_start_again: { en: 'Back to sign-in', ja: 'サインインページへ戻る', zh: '返回登录页面' },
} satisfies Record<string, Entry>;
