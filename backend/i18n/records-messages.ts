import type { Entry } from './messages.js';

/** The backend's sentences for segments, stats and tidy, duplicates and merges, and imports and exports (en, ja, zh). */
export const recordMessages = {
  // segments, stats and tidy
  segment_not_found: {
    en: 'No saved segment “{segment}” in this workspace. GET /api/segments lists the ones there are.',
    ja: 'このワークスペースに保存済みのセグメント「{segment}」はありません。一覧は GET /api/segments で確認できます。',
    zh: '此工作区中没有已保存的分组“{segment}”。可通过 GET /api/segments 查看现有分组。',
  },
  segment_name_taken: {
    en: 'A segment named “{name}” already exists in this workspace. Choose another name.',
    ja: '「{name}」という名前のセグメントはこのワークスペースにすでにあります。別の名前を付けてください。',
    zh: '此工作区中已有名为“{name}”的分组，请换一个名称。',
  },
  segment_delete_forbidden: {
    en: 'Only whoever saved the segment “{name}”, or an admin, can delete it.',
    ja: 'セグメント「{name}」を削除できるのは、保存した人か管理者だけです。',
    zh: '只有保存分组“{name}”的人或管理员可以删除它。',
  },
  segment_company_unknown: {
    en: 'No company “{company}” in this workspace ({field}): give its id, name or domain.',
    ja: 'このワークスペースに会社「{company}」はありません（{field}）。会社の ID、名前、ドメインのいずれかを指定してください。',
    zh: '此工作区中没有公司“{company}”（{field}）。请提供公司的 ID、名称或域名。',
  },
  tidy_already_fixed: {
    en: '{contactName} no longer needs this fix: someone has already set it.',
    ja: '{contactName} はすでに修正されています（他の人が設定しました）。',
    zh: '{contactName} 已无需此修复：已有人设置过。',
  },
  tidy_fix_unavailable: {
    en: "No company can be found from {contactName}'s addresses: they are free mail, internal, or missing.",
    ja: '{contactName} のメールアドレスから会社を特定できません（フリーメールか社内のアドレス、またはアドレスがありません）。',
    zh: '无法根据 {contactName} 的邮箱确定公司：邮箱为免费邮箱或内部邮箱，或者没有邮箱。',
  },
  stats_period_week: { en: 'Last 7 days', ja: '過去 7 日間', zh: '最近 7 天' },
  stats_period_month: { en: 'Last month', ja: '過去 1 か月', zh: '最近一个月' },
  timezone_unset: { en: 'No time zone', ja: 'タイムゾーン未設定', zh: '未设置时区' },
  tidy_no_company: { en: 'No company', ja: '会社が未設定', zh: '未设置公司' },
  tidy_no_owner: { en: 'No owner', ja: '担当者が未設定', zh: '未设置负责人' },
  tidy_no_recent_interaction: { en: 'No interaction in 90 days', ja: '90 日間やり取りなし', zh: '90 天内没有互动' },
  tidy_fix_company: {
    en: 'Set the company to {company} ({domain})',
    ja: '会社を {company}（{domain}）に設定',
    zh: '将公司设为 {company}（{domain}）',
  },
  tidy_fix_owner_me: { en: 'Make me the owner', ja: '自分を担当者にする', zh: '设我为负责人' },
  // duplicates and merges
  duplicate_same_contact: {
    en: '{name} cannot be a duplicate of itself.',
    ja: '{name} を自分自身の重複にすることはできません。',
    zh: '{name} 不能标记为与自身重复。',
  },
  merge_from_count: {
    en: 'Merge between 1 and {max} contacts at a time.',
    ja: '一度に統合できる連絡先は 1〜{max} 件です。',
    zh: '每次可合并 1 到 {max} 个联系人。',
  },
  merge_from_repeated: {
    en: 'A contact is listed more than once in “from”. Name each contact once.',
    ja: '「from」に同じ連絡先が複数回含まれています。各連絡先は 1 回だけ指定してください。',
    zh: '“from”中有重复的联系人，每个联系人只能列出一次。',
  },
  merge_into_itself: {
    en: '{name} cannot be merged into itself: leave its own id out of “from”.',
    ja: '{name} を自分自身に統合することはできません。「from」から自身の ID を外してください。',
    zh: '不能将 {name} 合并到其自身：请从“from”中去掉它自己的 ID。',
  },
  merge_contact_merged: {
    en: '{name} was already merged into {intoName}. Use {intoName} instead.',
    ja: '{name} はすでに {intoName} に統合されています。{intoName} を使ってください。',
    zh: '{name} 已合并到 {intoName}，请改用 {intoName}。',
  },
  merge_not_found: {
    en: 'No merge {id} in this workspace.',
    ja: 'このワークスペースに統合 {id} はありません。',
    zh: '此工作区中没有合并记录 {id}。',
  },
  merge_already_undone: {
    en: 'This merge was already undone; there is nothing left to undo.',
    ja: 'この統合はすでに取り消されています。取り消すものはありません。',
    zh: '此合并已被撤销，无需再次撤销。',
  },
  merge_undo_expired: {
    en: 'This merge can no longer be undone: undo is possible for 30 days, until {until}.',
    ja: 'この統合はもう取り消せません。取り消しは 30 日間（{until} まで）可能です。',
    zh: '此合并已无法撤销：撤销仅在 30 天内（{until} 之前）有效。',
  },
  merge_undo_blocked: {
    en: '{name} has since been merged into {intoName}. Undo that merge first.',
    ja: '{name} はその後 {intoName} に統合されています。先にそちらの統合を取り消してください。',
    zh: '{name} 之后已合并到 {intoName}，请先撤销那次合并。',
  },
  import_line: {
    en: 'Line {line}: {text}',
    ja: '{line} 行目: {text}',
    zh: '第 {line} 行：{text}',
  },
  import_name_missing: {
    en: 'no name: fill in the name, or the first and last name.',
    ja: '名前がありません。氏名、または姓と名を入力してください。',
    zh: '没有姓名：请填写姓名，或姓和名。',
  },
  import_email_invalid: {
    en: '{email} is not an email address.',
    ja: '{email} はメールアドレスではありません。',
    zh: '{email} 不是有效的邮箱地址。',
  },
  import_email_internal: {
    en: "{email} is a colleague's address (an internal domain of this workspace), never a contact.",
    ja: '{email} は同僚のアドレス（このワークスペースの社内ドメイン）なので連絡先にはできません。',
    zh: '{email} 是同事的地址（本工作区的内部域名），不能作为联系人。',
  },
  import_stage_unknown: {
    en: 'the stage "{stage}" is not one Rapport knows (lead, prospect, customer or churned).',
    ja: 'ステージ「{stage}」は使えません（リード・見込み客・顧客・解約のいずれか）。',
    zh: '阶段“{stage}”无法识别（可用：线索、意向客户、客户、流失）。',
  },
  import_owner_unknown: {
    en: "the owner {owner} is no member of this workspace (give a member's email).",
    ja: '担当者 {owner} はこのワークスペースのメンバーではありません（メンバーのメールアドレスを指定してください）。',
    zh: '负责人 {owner} 不是本工作区的成员（请填写成员的邮箱）。',
  },
  import_duplicate_row: {
    en: '{email} is also on line {first}: this row is a duplicate of line {first}.',
    ja: '{email} は {first} 行目にもあります。この行は {first} 行目の重複です。',
    zh: '{email} 也出现在第 {first} 行：此行与第 {first} 行重复。',
  },
  import_existing: {
    en: '{email} is already in Rapport as {contactName}; merge offered: review it with /crm duplicates in Slack, or at {url}.',
    ja: '{email} はすでに {contactName} として Rapport にあります。統合できます。Slack の /crm duplicates、または {url} で確認してください。',
    zh: '{email} 已作为 {contactName} 存在于 Rapport 中，可以合并：请在 Slack 中用 /crm duplicates 或在 {url} 查看。',
  },
  import_too_long: {
    en: '{field} is longer than {max} characters.',
    ja: '{field} が {max} 文字を超えています。',
    zh: '{field} 超过了 {max} 个字符。',
  },
  import_too_many: {
    en: 'more than {max} values in {field}.',
    ja: '{field} の値が {max} 個を超えています。',
    zh: '{field} 的值超过了 {max} 个。',
  },
  import_timezone_invalid: {
    en: '{timezone} is not a time zone (like Asia/Tokyo).',
    ja: '{timezone} はタイムゾーンではありません（例: Asia/Tokyo）。',
    zh: '{timezone} 不是时区（例如 Asia/Tokyo）。',
  },
  import_date_invalid: {
    en: '{value} is not a date and time (like 2026-11-24T09:00:00+09:00).',
    ja: '{value} は日時ではありません（例: 2026-11-24T09:00:00+09:00）。',
    zh: '{value} 不是日期时间（例如 2026-11-24T09:00:00+09:00）。',
  },
  import_domain_invalid: {
    en: '{domain} is not a domain (like acme.com).',
    ja: '{domain} はドメインではありません（例: acme.co.jp）。',
    zh: '{domain} 不是域名（例如 acme.cn）。',
  },
  import_row_columns: {
    en: 'the row has {count} columns but the header has {expected} (a comma inside a value needs quotes).',
    ja: 'この行は {count} 列ですが、見出しは {expected} 列です（値にカンマを含む場合は引用符で囲んでください）。',
    zh: '此行有 {count} 列，但表头只有 {expected} 列（值中含逗号时需加引号）。',
  },
  import_not_csv: {
    en: 'This file is not a CSV file (an Excel workbook must first be saved as CSV).',
    ja: 'このファイルは CSV ではありません（Excel ブックは「CSV」形式で保存してから取り込んでください）。',
    zh: '此文件不是 CSV 文件（Excel 工作簿请先另存为 CSV）。',
  },
  import_csv_unclosed_quote: {
    en: 'The CSV is broken: a quote opened on line {line} is never closed.',
    ja: 'CSV が壊れています。{line} 行目で開いた引用符が閉じられていません。',
    zh: 'CSV 文件已损坏：第 {line} 行的引号没有闭合。',
  },
  import_no_name_column: {
    en: 'No column holds names (the headers are: {headers}). Name one with map name=<header>.',
    ja: '名前の列が見つかりません（見出し: {headers}）。map name=<見出し> で指定してください。',
    zh: '找不到姓名列（表头：{headers}）。请用 map name=<表头> 指定。',
  },
  import_map_invalid: {
    en: '"{map}" is not a mapping: write field=Header, with a field among {fields} or custom.<key>.',
    ja: '「{map}」は指定として正しくありません。項目=見出し の形で、項目は {fields} または custom.<キー> です。',
    zh: '“{map}”不是有效的映射：请写成 字段=表头，字段为 {fields} 或 custom.<键>。',
  },
  import_map_header_unknown: {
    en: 'No column is headed "{header}" (the headers are: {headers}).',
    ja: '「{header}」という見出しの列はありません（見出し: {headers}）。',
    zh: '没有表头为“{header}”的列（表头：{headers}）。',
  },
  import_file_missing: {
    en: 'Send the CSV as multipart/form-data in a field named file (or as JSON {"csv": "..."}).',
    ja: 'CSV は multipart/form-data の file 項目で送ってください（または JSON {"csv": "..."}）。',
    zh: '请以 multipart/form-data 的 file 字段发送 CSV（或 JSON {"csv": "..."}）。',
  },
  import_rejected: {
    en: '{count} row(s) were rejected, so nothing was imported. Fix them and import the file again; the report lists each line.',
    ja: '{count} 行を取り込めなかったため、何も取り込んでいません。該当行を直してもう一度取り込んでください（各行の理由はレポートにあります）。',
    zh: '有 {count} 行被拒绝，因此未导入任何内容。请修正后重新导入；报告中列出了每一行的原因。',
  },
  import_summary_done: {
    en: '{rows} rows read: {contacts} new contact(s) and {companies} new company(ies) created; {existing} already in Rapport.',
    ja: '{rows} 行: 連絡先 {contacts} 件と会社 {companies} 件を作成しました。{existing} 件はすでに Rapport にあります。',
    zh: '{rows} 行：已创建 {contacts} 个联系人和 {companies} 家公司，{existing} 个已在 Rapport 中。',
  },
  import_summary_dry_run: {
    en: 'Dry run, nothing written. {rows} rows read: {contacts} new contact(s) and {companies} new company(ies) would be created; {existing} already in Rapport.',
    ja: '試行のみで、何も書き込んでいません。{rows} 行: 連絡先 {contacts} 件と会社 {companies} 件が作成されます。{existing} 件はすでに Rapport にあります。',
    zh: '试运行，未写入任何内容。{rows} 行：将创建 {contacts} 个联系人和 {companies} 家公司，{existing} 个已在 Rapport 中。',
  },
  import_summary_rejected: {
    en: '{rows} rows read, {rejected} rejected: nothing was written. Once they are fixed, {contacts} new contact(s) and {companies} new company(ies) will be created; {existing} already in Rapport.',
    ja: '{rows} 行のうち {rejected} 行を取り込めないため、何も書き込んでいません。直せば連絡先 {contacts} 件と会社 {companies} 件が作成されます（{existing} 件はすでに Rapport にあります）。',
    zh: '{rows} 行中有 {rejected} 行被拒绝，未写入任何内容。修正后将创建 {contacts} 个联系人和 {companies} 家公司（{existing} 个已在 Rapport 中）。',
  },
  workspace_unknown: {
    en: 'No workspace has the id {id}.',
    ja: 'ID {id} のワークスペースはありません。',
    zh: '没有 ID 为 {id} 的工作区。',
  },
  workspace_ambiguous: {
    en: 'Rapport holds {count} workspaces: name one with --workspace <id>.',
    ja: 'Rapport には {count} 個のワークスペースがあります。--workspace <ID> で指定してください。',
    zh: 'Rapport 中有 {count} 个工作区：请用 --workspace <ID> 指定。',
  },
} as const satisfies Record<string, Entry>;
