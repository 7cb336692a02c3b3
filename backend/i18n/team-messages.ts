import type { Entry } from './vocabulary.js';

/** The backend's sentences about the team: members, roles, joining, leaving, the workspace and tokens (en, ja, zh). */
export const teamMessages = {
  not_a_member_ask: {
    en: '{email} is not a member of this Rapport workspace yet. Ask one of its admins to add this address: {admins}.',
    ja: '{email} はまだこの Rapport ワークスペースのメンバーではありません。管理者（{admins}）にこのアドレスの追加を依頼してください。',
    zh: '{email} 还不是此 Rapport 工作区的成员。请联系其管理员（{admins}）添加此邮箱。',
  },
  member_exists: {
    en: '{email} is already a member: {name}.',
    ja: '{email} はすでにメンバーです（{name}）。',
    zh: '{email} 已是成员：{name}。',
  },
  manager_inactive: {
    en: 'The manager must be an active member of this workspace.',
    ja: 'マネージャーにはこのワークスペースの有効なメンバーを指定してください。',
    zh: '经理必须是此工作区的在职成员。',
  },
  manager_cycle: {
    en: 'That manager would end up managing themselves: choose someone outside their reporting line.',
    ja: 'そのマネージャーを設定すると、報告ラインが循環します。報告ラインの外の人を選んでください。',
    zh: '这样设置会使汇报关系形成循环：请选择其汇报线之外的人。',
  },
  last_admin: {
    en: '{name} is the last admin of this workspace: make someone else an admin first.',
    ja: '{name} はこのワークスペースの最後の管理者です。先に別の人を管理者にしてください。',
    zh: '{name} 是此工作区的最后一位管理员：请先将其他人设为管理员。',
  },
  member_inactive: {
    en: '{name} is deactivated already.',
    ja: '{name} はすでに無効化されています。',
    zh: '{name} 已被停用。',
  },
  reassign_invalid: {
    en: 'Choose an active member other than the person leaving to take over their contacts and follow-ups (reassignTo).',
    ja: '連絡先とフォローアップを引き継ぐ人（reassignTo）には、退出する人以外の有効なメンバーを指定してください。',
    zh: '请指定离开者以外的一位在职成员来接手其联系人和跟进事项（reassignTo）。',
  },
  invalid_domain: {
    en: '"{domain}" is not a domain like example.com.',
    ja: '「{domain}」は example.com のようなドメインではありません。',
    zh: '“{domain}”不是类似 example.com 的域名。',
  },
  join_domains_required: {
    en: 'Name at least one domain (joinDomains) before letting people join by their email domain.',
    ja: 'メールのドメインで参加できるようにするには、ドメイン（joinDomains）を 1 つ以上指定してください。',
    zh: '按邮箱域名允许加入前，请至少指定一个域名（joinDomains）。',
  },
  workspace_exists: {
    en: 'A workspace named "{name}" exists already ({id}); nothing was changed. Add people to it with POST /api/members, or choose another name.',
    ja: '「{name}」という名前のワークスペースはすでにあります（{id}）。何も変更していません。POST /api/members で人を追加するか、別の名前を選んでください。',
    zh: '名为“{name}”的工作区已存在（{id}），未做任何更改。请用 POST /api/members 添加成员，或换一个名称。',
  },
  token_not_found: {
    en: 'No token of yours has the id {id}.',
    ja: 'ID が {id} のトークンは見つかりません。',
    zh: '找不到 ID 为 {id} 的令牌。',
  },
  token_expired: {
    en: 'This API token has expired. Create a new one with POST /api/tokens, or ask an admin of your workspace.',
    ja: 'この API トークンは有効期限が切れています。POST /api/tokens で新しく作成するか、ワークスペースの管理者に依頼してください。',
    zh: '此 API 令牌已过期。请用 POST /api/tokens 创建新令牌，或联系工作区管理员。',
  },
  member_deactivated: {
    en: 'Your access to this Rapport workspace has ended. If that is a mistake, ask one of its admins to reactivate you.',
    ja: 'この Rapport ワークスペースへのアクセスは終了しています。誤りであれば、管理者に再有効化を依頼してください。',
    zh: '你对此 Rapport 工作区的访问已结束。如有误，请联系其管理员重新启用。',
  },
  export_forbidden: {
    en: "Exporting the whole workspace is for managers and admins. Export one person's data from their card, or ask a manager.",
    ja: 'ワークスペース全体のエクスポートはマネージャーと管理者だけが行えます。個人のデータはその人のカードからエクスポートするか、マネージャーに依頼してください。',
    zh: '导出整个工作区仅限经理和管理员。可在某人的卡片上导出其数据，或联系经理。',
  },
  member_address_taken: {
    en: "{email} is already the address of another member, so it cannot be one of this member's addresses.",
    ja: '{email} はすでに別のメンバーのアドレスのため、このメンバーのアドレスにはできません。',
    zh: '{email} 已是另一位成员的地址，不能作为此成员的地址。',
  },
} satisfies Record<string, Entry>;
