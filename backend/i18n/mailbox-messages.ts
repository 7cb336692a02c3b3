import type { Entry } from './vocabulary.js';

/** The backend's sentences about Gmail sync: its errors in plain words, the consent pages (en, ja, zh). */
export const mailboxMessages = {
  mailbox_not_available: {
    en: 'This Rapport server cannot connect Gmail: its admin has not set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET (see the README, "Gmail sync").',
    ja: 'この Rapport サーバーは Gmail に接続できません。管理者が GOOGLE_OAUTH_CLIENT_ID と GOOGLE_OAUTH_CLIENT_SECRET を設定していません（README の「Gmail sync」を参照）。',
    zh: '此 Rapport 服务器无法连接 Gmail：管理员尚未设置 GOOGLE_OAUTH_CLIENT_ID 和 GOOGLE_OAUTH_CLIENT_SECRET（见 README 的“Gmail sync”）。',
  },
  mailbox_delegation_not_configured: {
    en: 'Domain-wide delegation is not configured on this server: set GOOGLE_SERVICE_ACCOUNT_KEY_FILE to the service account key first.',
    ja: 'このサーバーではドメイン全体の委任が設定されていません。先に GOOGLE_SERVICE_ACCOUNT_KEY_FILE にサービス アカウントの鍵を指定してください。',
    zh: '此服务器未配置全域委派：请先将 GOOGLE_SERVICE_ACCOUNT_KEY_FILE 设为服务账号密钥文件。',
  },
  mailbox_error_invalid_grant: {
    en: 'Google no longer accepts Rapport\u2019s access to this mailbox (the password changed, or access was removed). Connect Gmail again.',
    ja: 'Google がこのメールボックスへの Rapport のアクセスを受け付けなくなりました（パスワードの変更、またはアクセスの削除）。Gmail をもう一度接続してください。',
    zh: 'Google 不再接受 Rapport 对此邮箱的访问（密码已更改或访问权限已被移除）。请重新连接 Gmail。',
  },
  mailbox_error_revoked: {
    en: 'Rapport\u2019s access to this mailbox was revoked in the Google account. Connect Gmail again to resume.',
    ja: 'Google アカウントでこのメールボックスへの Rapport のアクセスが取り消されました。再開するには Gmail をもう一度接続してください。',
    zh: '已在 Google 账号中撤销 Rapport 对此邮箱的访问。请重新连接 Gmail 以继续同步。',
  },
  mailbox_error_domain_policy: {
    en: 'Your Google Workspace administrator does not allow Rapport to read this mailbox. Ask them to allow it, then connect again.',
    ja: 'Google Workspace の管理者が Rapport によるこのメールボックスの読み取りを許可していません。許可を依頼してから、もう一度接続してください。',
    zh: '您的 Google Workspace 管理员不允许 Rapport 读取此邮箱。请让管理员允许后再重新连接。',
  },
  mailbox_error_insufficient_scope: {
    en: 'Rapport was not given permission to read mail. Connect again and leave "Read your email" ticked.',
    ja: 'Rapport にメールの読み取り権限が付与されていません。もう一度接続し、「メールの閲覧」にチェックを入れたままにしてください。',
    zh: 'Rapport 未获得读取邮件的权限。请重新连接，并保持勾选“查看您的电子邮件”。',
  },
  calendar_error_insufficient_scope: {
    en: 'Rapport was not given permission to read your calendar. Connect again and leave "View events on all your calendars" ticked.',
    ja: 'Rapport にカレンダーの読み取り権限が付与されていません。もう一度接続し、「すべてのカレンダーの予定の表示」にチェックを入れたままにしてください。',
    zh: 'Rapport 未获得读取日历的权限。请重新连接，并保持勾选“查看您所有日历中的活动”。',
  },
  mailbox_error_no_refresh_token: {
    en: 'Google did not give Rapport lasting access. Remove Rapport under "Third-party apps" in your Google account, then connect again.',
    ja: 'Google が Rapport に継続的なアクセスを与えませんでした。Google アカウントの「サードパーティ製アプリ」から Rapport を削除してから、もう一度接続してください。',
    zh: 'Google 未授予 Rapport 持续访问权限。请在 Google 账号的“第三方应用”中移除 Rapport，然后重新连接。',
  },
  mailbox_error_google_unavailable: {
    en: 'Google did not answer (busy or down). Rapport keeps trying; nothing is lost.',
    ja: 'Google が応答しませんでした（混雑または停止中）。Rapport は再試行を続けます。データは失われません。',
    zh: 'Google 没有响应（繁忙或故障）。Rapport 会继续重试，不会丢失任何内容。',
  },
  mailbox_error_key_changed: {
    en: 'The server\u2019s key changed and the stored Google access cannot be read. Connect Gmail again.',
    ja: 'サーバーの鍵が変更されたため、保存された Google のアクセス情報を読み取れません。Gmail をもう一度接続してください。',
    zh: '服务器密钥已更改，无法读取已保存的 Google 访问凭据。请重新连接 Gmail。',
  },
  mailbox_error_unknown: {
    en: 'Sync stopped on an unexpected error. Rapport keeps trying; your admin can see the server log.',
    ja: '予期しないエラーで同期が止まりました。Rapport は再試行を続けます。管理者はサーバーのログを確認できます。',
    zh: '同步因意外错误而停止。Rapport 会继续重试；管理员可以查看服务器日志。',
  },
  mailbox_link_invalid: {
    en: 'This link was not made by this Rapport server. Start again from Rapport in Slack or Gmail.',
    ja: 'このリンクはこの Rapport サーバーが作成したものではありません。Slack または Gmail の Rapport からやり直してください。',
    zh: '此链接不是由此 Rapport 服务器生成的。请从 Slack 或 Gmail 中的 Rapport 重新开始。',
  },
  mailbox_link_expired: {
    en: 'This link has expired. Start again from Rapport in Slack or Gmail.',
    ja: 'このリンクは有効期限が切れています。Slack または Gmail の Rapport からやり直してください。',
    zh: '此链接已过期。请从 Slack 或 Gmail 中的 Rapport 重新开始。',
  },
  mailbox_page_connected: { en: 'Gmail connected', ja: 'Gmail を接続しました', zh: '已连接 Gmail' },
  mailbox_page_connected_body: {
    en: 'Rapport now captures the mail of {address} with your customers. The newest emails appear within a minute; older ones follow in the background. You can close this page.',
    ja: 'Rapport は {address} の顧客とのメールを記録します。最新のメールは 1 分以内に表示され、古いメールはバックグラウンドで続けて取り込まれます。このページは閉じてかまいません。',
    zh: 'Rapport 现在会记录 {address} 与客户的往来邮件。最新邮件一分钟内出现，较早的邮件在后台继续导入。您可以关闭此页面。',
  },
  mailbox_page_declined: { en: 'Gmail not connected', ja: 'Gmail は接続されていません', zh: '未连接 Gmail' },
  mailbox_page_declined_body: {
    en: 'You did not allow Rapport to read your mail, so nothing changed. You can connect later from Slack or Gmail.',
    ja: 'メールの読み取りを許可しなかったため、何も変更されていません。後から Slack または Gmail で接続できます。',
    zh: '您未允许 Rapport 读取邮件，因此没有任何更改。您可以稍后在 Slack 或 Gmail 中连接。',
  },
  mailbox_page_failed: { en: 'Gmail could not be connected', ja: 'Gmail を接続できませんでした', zh: '无法连接 Gmail' },
} as const satisfies Record<string, Entry>;
