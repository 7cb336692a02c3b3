import type { Entry } from './index.js';

/** The sentences of the admin's team controls on the Home tab and their modals (en, ja, zh). Titles and buttons stay under 24 characters. */
export const teamAdminMessages = {
  team_btn_add: { en: 'Add people', ja: 'メンバーを追加', zh: '添加成员' },
  team_pick_edit: { en: 'Edit a member…', ja: 'メンバーを編集…', zh: '编辑成员…' },
  team_pick_deactivate: { en: 'Deactivate a member…', ja: 'メンバーを無効化…', zh: '停用成员…' },
  team_btn_policy: { en: 'Change who may join', ja: '参加ルールを変更', zh: '更改加入规则' },
  team_btn_deactivate: { en: 'Deactivate', ja: '無効化', zh: '停用' },
  view_team_reactivate: { en: 'Reactivate member', ja: 'メンバーを再び有効化', zh: '重新启用成员' },
  team_label_reactivate: { en: 'Who comes back', ja: '再び有効にする人', zh: '重新启用谁' },
  team_reactivate_about: {
    en: 'They can use Rapport again with their old role; the contacts and follow-ups that moved when they left stay where they went.',
    ja: '以前の役割で再び Rapport を使えるようになります。無効化のときに移した連絡先とフォローアップは移した先のままです。',
    zh: '他们将以原角色重新使用 Rapport；停用时转出的联系人和跟进事项保留在接手人名下。',
  },
  team_btn_reactivate: { en: 'Reactivate', ja: '有効にする', zh: '重新启用' },

  view_team_add: { en: 'Add people', ja: 'メンバーを追加', zh: '添加成员' },
  view_team_edit: { en: 'Edit member', ja: 'メンバーを編集', zh: '编辑成员' },
  view_team_deactivate: { en: 'Deactivate member', ja: 'メンバーを無効化', zh: '停用成员' },
  view_team_policy: { en: 'Who may join', ja: '参加ルール', zh: '加入规则' },

  team_label_people: { en: 'People to add', ja: '追加する人', zh: '要添加的人' },
  team_hint_people: {
    en: 'Each joins as a rep with their Slack name, email, time zone and language; their Slack account is linked the first time they use Rapport. Bots, guests and people without an email are skipped.',
    ja: '各メンバーは Slack の名前・メール・タイムゾーン・言語で営業担当として追加され、初めて Rapport を使うときに Slack アカウントが紐づけられます。ボット、ゲスト、メールのない人は追加されません。',
    zh: '每人将以其 Slack 姓名、邮箱、时区和语言作为销售代表加入；首次使用 Rapport 时关联其 Slack 账号。机器人、访客和没有邮箱的人会被跳过。',
  },
  team_label_role: { en: 'Role', ja: '役割', zh: '角色' },
  team_label_manager: { en: 'Manager', ja: '上長', zh: '上级' },
  team_label_timezone: { en: 'Time zone', ja: 'タイムゾーン', zh: '时区' },
  team_hint_timezone: {
    en: 'An IANA name such as Asia/Tokyo, America/New_York or Europe/London.',
    ja: 'Asia/Tokyo、America/New_York、Europe/London のような IANA 名。',
    zh: 'IANA 名称，例如 Asia/Shanghai、America/New_York 或 Europe/London。',
  },
  team_edit_about: { en: '*{name}* ({email})', ja: '*{name}*（{email}）', zh: '*{name}*（{email}）' },
  team_deactivate_about: {
    en: '{name} will be deactivated: their contacts and open follow-ups move to the person you choose below, the people who report to them will report to their manager, their API tokens stop working and their Slack and Google links are removed. An admin can reactivate them later.',
    ja: '{name} を無効化します。担当の連絡先と未完了のフォローアップは下で選ぶ人に移り、部下はその上長の部下になります。API トークンは使えなくなり、Slack と Google の紐づけは解除されます。後で管理者が再び有効にできます。',
    zh: '将停用 {name}：其联系人和未完成的跟进事项将转给你在下方选择的人，其下属将改为向其上级汇报，其 API 令牌失效，Slack 和 Google 关联将被移除。管理员之后可以重新启用。',
  },
  team_label_reassign: {
    en: 'Who takes over their contacts and follow-ups',
    ja: '連絡先とフォローアップの引き継ぎ先',
    zh: '由谁接手其联系人和跟进事项',
  },
  team_label_policy: { en: 'Who may join by themselves', ja: '自分で参加できる人', zh: '谁可以自行加入' },
  team_policy_invite: { en: 'Only people an admin adds', ja: '管理者が追加した人のみ', zh: '仅限管理员添加的人' },
  team_policy_slack: {
    en: 'Every full member of this Slack workspace',
    ja: 'この Slack ワークスペースの正規メンバー全員',
    zh: '此 Slack 工作区的所有正式成员',
  },
  team_policy_domains: {
    en: 'Full members with an address at these domains',
    ja: '次のドメインのアドレスを持つ正規メンバー',
    zh: '邮箱属于以下域名的正式成员',
  },
  team_label_domains: { en: 'Domains', ja: 'ドメイン', zh: '域名' },
  team_hint_domains: {
    en: 'For the last choice: e.g. example.com, example.co.jp (separated by commas or spaces).',
    ja: '最後の選択肢の場合: 例 example.com, example.co.jp（カンマまたはスペース区切り）。',
    zh: '用于最后一项：例如 example.com, example.cn（用逗号或空格分隔）。',
  },

  // what happened, told privately to the admin
  team_add_report: { en: 'Adding people to Rapport:', ja: 'Rapport へのメンバー追加:', zh: '向 Rapport 添加成员：' },
  team_add_added: {
    en: 'Added {name} ({email}) as a rep.',
    ja: '{name}（{email}）を営業担当として追加しました。',
    zh: '已将 {name}（{email}）添加为销售代表。',
  },
  team_add_exists: { en: 'Already a member: {reason}', ja: 'すでにメンバーです: {reason}', zh: '已是成员：{reason}' },
  team_add_failed: { en: 'Not added {name}: {reason}', ja: '{name} を追加できませんでした: {reason}', zh: '未能添加 {name}：{reason}' },
  team_skip_bot: { en: 'Skipped {name}: a bot or app.', ja: '{name} は追加しません: ボットまたはアプリです。', zh: '已跳过 {name}：机器人或应用。' },
  team_skip_guest: {
    en: 'Skipped {name}: a guest of this Slack workspace.',
    ja: '{name} は追加しません: この Slack ワークスペースのゲストです。',
    zh: '已跳过 {name}：此 Slack 工作区的访客。',
  },
  team_skip_deleted: {
    en: 'Skipped {name}: deactivated in Slack.',
    ja: '{name} は追加しません: Slack で無効化されています。',
    zh: '已跳过 {name}：已在 Slack 中停用。',
  },
  team_skip_no_email: {
    en: 'Skipped {name}: Slack shows no email address for them.',
    ja: '{name} は追加しません: Slack にメールアドレスがありません。',
    zh: '已跳过 {name}：Slack 中没有其邮箱地址。',
  },
  team_skip_other_team: {
    en: "Skipped {name}: a member of another company's Slack.",
    ja: '{name} は追加しません: 他社の Slack のメンバーです。',
    zh: '已跳过 {name}：其他公司 Slack 的成员。',
  },
  team_skip_unknown: {
    en: 'Skipped {name}: Slack could not find this person.',
    ja: '{name} は追加しません: Slack でこの人が見つかりません。',
    zh: '已跳过 {name}：Slack 找不到此人。',
  },
  team_saved: { en: 'Saved the changes to {name}.', ja: '{name} の変更を保存しました。', zh: '已保存对 {name} 的更改。' },
  team_deactivated: {
    en: '{name} is deactivated. {to} now owns {contacts} of their contacts and {followUps} open follow-ups; {reports} people who reported to them now report to their manager; {tokens} API tokens were revoked.',
    ja: '{name} を無効化しました。連絡先 {contacts} 件と未完了のフォローアップ {followUps} 件を {to} に移しました。部下 {reports} 人は上長の部下になり、API トークン {tokens} 件を無効にしました。',
    zh: '已停用 {name}。{to} 现在负责其 {contacts} 个联系人和 {followUps} 项未完成的跟进事项；{reports} 名下属改为向其上级汇报；已吊销 {tokens} 个 API 令牌。',
  },
  team_reactivated: {
    en: '{name} is active again.',
    ja: '{name} を再び有効にしました。',
    zh: '{name} 已重新启用。',
  },
  team_policy_saved: { en: 'Saved who may join.', ja: '参加ルールを保存しました。', zh: '已保存加入规则。' },
  team_admin_only: {
    en: 'Only a Rapport admin can change the team; nothing was changed.',
    ja: 'チームを変更できるのは Rapport の管理者だけです。何も変更されていません。',
    zh: '只有 Rapport 管理员可以更改团队；未做任何更改。',
  },
  team_member_gone: {
    en: 'That member is no longer active in Rapport.',
    ja: 'そのメンバーはすでに Rapport で無効になっています。',
    zh: '该成员在 Rapport 中已不再在职。',
  },
} as const satisfies Record<string, Entry>;
