import type { Entry } from './index.js';

/** The sentences of /crm team, /crm tz and the Home tab's Team section. */
export const teamMessages = {
  help_team: {
    en: '`{command} team`: who is on your team: role, manager and how each joined',
    ja: '`{command} team`: チームのメンバーと、役割・上長・参加方法を表示します',
    zh: '`{command} team`：查看团队成员及其角色、上级和加入方式',
  },
  help_tz: {
    en: '`{command} tz <zone>`: set your time zone, e.g. `{command} tz Asia/Tokyo`',
    ja: '`{command} tz <タイムゾーン>`: 自分のタイムゾーンを設定します（例: `{command} tz Asia/Tokyo`）',
    zh: '`{command} tz <时区>`：设置你的时区，例如 `{command} tz Asia/Shanghai`',
  },
  team_header: { en: 'Team ({count})', ja: 'チーム（{count} 人）', zh: '团队（{count} 人）' },
  team_none: {
    en: 'Nobody is on the team yet.',
    ja: 'チームにはまだ誰もいません。',
    zh: '团队中还没有成员。',
  },
  team_you: { en: '(you)', ja: '（あなた）', zh: '（你）' },
  team_manager: { en: 'reports to {manager}', ja: '上長: {manager}', zh: '上级：{manager}' },
  team_no_manager: { en: 'no manager', ja: '上長なし', zh: '无上级' },
  team_more: { en: '…and {count} more', ja: 'ほか {count} 人', zh: '另有 {count} 人' },
  joined_setup: { en: 'set up Rapport', ja: 'Rapport を設定', zh: '设置了 Rapport' },
  joined_invite: { en: 'added by an admin', ja: '管理者が追加', zh: '由管理员添加' },
  joined_slack: { en: 'joined from Slack', ja: 'Slack から参加', zh: '通过 Slack 加入' },
  joined_google: { en: 'joined from Google', ja: 'Google から参加', zh: '通过 Google 加入' },
  join_policy_invite: {
    en: 'Who may join: only people an admin adds.',
    ja: '参加できる人: 管理者が追加した人のみ。',
    zh: '谁可以加入：仅限管理员添加的人。',
  },
  join_policy_slack: {
    en: 'Who may join: every full member of this Slack workspace, by using Rapport (as a rep).',
    ja: '参加できる人: この Slack ワークスペースの正規メンバー全員（Rapport を使うと営業担当として参加）。',
    zh: '谁可以加入：此 Slack 工作区的所有正式成员（使用 Rapport 即以销售代表身份加入）。',
  },
  join_policy_domains: {
    en: 'Who may join: full members of this Slack workspace with an address at {domains} (as a rep).',
    ja: '参加できる人: {domains} のアドレスを持つこの Slack ワークスペースの正規メンバー（営業担当として参加）。',
    zh: '谁可以加入：此 Slack 工作区中邮箱属于 {domains} 的正式成员（以销售代表身份加入）。',
  },
  tz_set: {
    en: 'Your time zone is now {timezone} (it is {time} there). Your Slack profile no longer changes it.',
    ja: 'タイムゾーンを {timezone} に設定しました（現地時刻 {time}）。今後は Slack のプロフィールで変わりません。',
    zh: '你的时区已设置为 {timezone}（当地时间 {time}）。此后 Slack 个人资料不会再更改它。',
  },
  tz_current: {
    en: 'Your time zone is {timezone}. To change it: `{command} tz Asia/Tokyo`.',
    ja: '現在のタイムゾーンは {timezone} です。変更するには: `{command} tz Asia/Tokyo`',
    zh: '你当前的时区是 {timezone}。如需更改：`{command} tz Asia/Shanghai`',
  },
  tz_unknown: {
    en: '“{timezone}” is not a time zone Rapport knows: use an IANA name such as Asia/Tokyo, America/New_York or Europe/London.',
    ja: '「{timezone}」はタイムゾーンとして認識できません。Asia/Tokyo、America/New_York、Europe/London のような IANA 名を指定してください。',
    zh: '“{timezone}”不是可识别的时区。请使用 IANA 名称，例如 Asia/Shanghai、America/New_York 或 Europe/London。',
  },
} as const satisfies Record<string, Entry>;
