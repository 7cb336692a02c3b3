import type { Entry } from './index.js';

/** The sentences of installing Rapport in a Slack workspace ("Add to Slack") and Socket Mode, in English, Japanese and Chinese. */
export const installMessages = {
  install_title_done: {
    en: 'Rapport is installed',
    ja: 'Rapport をインストールしました',
    zh: 'Rapport 已安装',
  },
  install_title_failed: {
    en: 'Rapport could not be installed',
    ja: 'Rapport をインストールできませんでした',
    zh: '无法安装 Rapport',
  },
  install_done: {
    en: 'Rapport is installed in {team}. Go back to Slack and type /crm help to start.',
    ja: 'Rapport を {team} にインストールしました。Slack に戻り、/crm help と入力して始めてください。',
    zh: 'Rapport 已安装到 {team}。请返回 Slack，输入 /crm help 开始使用。',
  },
  install_state_invalid: {
    en: 'This install request is not valid (it was changed or did not come from this Rapport server). Start again from the install link.',
    ja: 'このインストール要求は無効です（改変されたか、この Rapport サーバーから発行されたものではありません）。インストール用リンクからやり直してください。',
    zh: '此安装请求无效（已被修改，或并非由此 Rapport 服务器发出）。请从安装链接重新开始。',
  },
  install_state_expired: {
    en: 'This install request is more than 10 minutes old. Start again from the install link.',
    ja: 'このインストール要求は発行から 10 分以上経過しています。インストール用リンクからやり直してください。',
    zh: '此安装请求已超过 10 分钟。请从安装链接重新开始。',
  },
  install_cookie_missing: {
    en: 'Your browser did not send back the cookie Rapport set when the install started. Open the install link and finish in the same browser, with cookies allowed.',
    ja: 'インストール開始時に Rapport が設定した Cookie がブラウザから送られてきませんでした。Cookie を許可した同じブラウザで、インストール用リンクを開いて最後まで進めてください。',
    zh: '浏览器没有发回安装开始时 Rapport 设置的 Cookie。请在允许 Cookie 的同一浏览器中打开安装链接并完成安装。',
  },
  install_cancelled: {
    en: 'The installation was cancelled in Slack ({error}). Nothing was saved.',
    ja: 'Slack でインストールがキャンセルされました（{error}）。何も保存されていません。',
    zh: '已在 Slack 中取消安装（{error}）。未保存任何内容。',
  },
  install_slack_refused: {
    en: 'Slack refused the installation ({error}). Nothing was saved; start again from the install link.',
    ja: 'Slack がインストールを拒否しました（{error}）。何も保存されていません。インストール用リンクからやり直してください。',
    zh: 'Slack 拒绝了安装（{error}）。未保存任何内容，请从安装链接重新开始。',
  },
  install_team_taken: {
    en: 'The Slack workspace {team} is already connected to another Rapport workspace. Nothing was changed; uninstall Rapport there first.',
    ja: 'Slack ワークスペース {team} はすでに別の Rapport ワークスペースに接続されています。何も変更されていません。先にそちらで Rapport をアンインストールしてください。',
    zh: 'Slack 工作区 {team} 已连接到另一个 Rapport 工作区。未做任何更改，请先在那里卸载 Rapport。',
  },
  install_enterprise: {
    en: 'Rapport installs in one Slack workspace at a time, not across an Enterprise Grid organization. Install it in a workspace instead.',
    ja: 'Rapport は Enterprise Grid の組織全体ではなく、ワークスペースごとにインストールします。ワークスペースを選んでインストールしてください。',
    zh: 'Rapport 只能逐个安装到 Slack 工作区，不能安装到整个 Enterprise Grid 组织。请改为安装到某个工作区。',
  },
  install_link_required: {
    en: 'Installing Rapport in Slack needs an install link from your Rapport admin (npm run slack:install-link). Ask them for one; it connects your Slack workspace to your Rapport workspace.',
    ja: 'Slack に Rapport をインストールするには、Rapport の管理者が発行するインストールリンク（npm run slack:install-link）が必要です。管理者に依頼してください。このリンクで Slack ワークスペースがあなたの Rapport ワークスペースに接続されます。',
    zh: '在 Slack 中安装 Rapport 需要 Rapport 管理员提供的安装链接（npm run slack:install-link）。请向管理员索取；该链接会将你的 Slack 工作区连接到你的 Rapport 工作区。',
  },
  install_link_invalid: {
    en: 'This install link is not valid. Ask your Rapport admin for a new one.',
    ja: 'このインストールリンクは無効です。Rapport の管理者に新しいリンクを依頼してください。',
    zh: '此安装链接无效。请向 Rapport 管理员索取新的链接。',
  },
  install_link_expired: {
    en: 'This install link has expired. Ask your Rapport admin for a new one.',
    ja: 'このインストールリンクは有効期限が切れています。Rapport の管理者に新しいリンクを依頼してください。',
    zh: '此安装链接已过期。请向 Rapport 管理员索取新的链接。',
  },
  install_failed: {
    en: 'Rapport could not finish the installation ({reason}). Nothing was saved; try again in a moment.',
    ja: 'インストールを完了できませんでした（{reason}）。何も保存されていません。しばらくしてからもう一度お試しください。',
    zh: '无法完成安装（{reason}）。未保存任何内容，请稍后重试。',
  },
} as const satisfies Record<string, Entry>;
