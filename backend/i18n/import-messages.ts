import type { Entry } from './messages.js';

/** The backend's sentences for imports that skip invalid rows, read phonetic and stage columns, and say where each row went (en, ja, zh). */
export const importMessages = {
  import_rejected_reason_header: {
    en: 'Rejected because',
    ja: '取り込めなかった理由',
    zh: '未导入原因',
  },
  import_stage_unmapped: {
    en: 'the stage "{stage}" is not one Rapport knows (lead, prospect, customer or churned): say which it is with map stage={header}:{stage}=customer.',
    ja: 'ステージ「{stage}」は使えません（リード・見込み客・顧客・解約のいずれか）。map stage={header}:{stage}=customer のように対応を指定してください。',
    zh: '阶段“{stage}”无法识别（可用：线索、意向客户、客户、流失）。请用 map stage={header}:{stage}=customer 指定对应阶段。',
  },
  import_summary_skipped: {
    en: '{rows} rows read: {imported} imported ({companies} new company(ies)); {skipped} skipped, written with their reasons to {where}; {existing} already in Rapport, left as they are (review them with /crm duplicates).',
    ja: '{rows} 行: {imported} 件を取り込みました（新しい会社 {companies} 件）。{skipped} 件は取り込まず、理由とともに {where} に書き出しました。{existing} 件はすでに Rapport にあるためそのままです（/crm duplicates で確認できます）。',
    zh: '{rows} 行：已导入 {imported} 个（新公司 {companies} 家）；跳过 {skipped} 个，已连同原因写入 {where}；{existing} 个已在 Rapport 中，保持不变（可用 /crm duplicates 查看）。',
  },
  import_summary_skip_dry_run: {
    en: 'Dry run, nothing written. {rows} rows read: {contacts} would be imported ({companies} new company(ies)); {skipped} would be skipped and written to {where}; {existing} already in Rapport.',
    ja: '試行のみで、何も書き込んでいません。{rows} 行: {contacts} 件が取り込まれ（新しい会社 {companies} 件）、{skipped} 件は取り込まれず {where} に書き出されます。{existing} 件はすでに Rapport にあります。',
    zh: '试运行，未写入任何内容。{rows} 行：将导入 {contacts} 个（新公司 {companies} 家）；将跳过 {skipped} 个并写入 {where}；{existing} 个已在 Rapport 中。',
  },
  import_rejected_written: {
    en: 'The {count} rejected row(s) are in {path}, each with its reason: fix them there and import that file again.',
    ja: '取り込めなかった {count} 行は理由とともに {path} にあります。そこで直して、そのファイルをもう一度取り込んでください。',
    zh: '被拒绝的 {count} 行已连同原因写入 {path}：请在该文件中修正后再次导入。',
  },
  import_ignored_columns: {
    en: 'Columns not imported: {columns}.',
    ja: '取り込まなかった列: {columns}。',
    zh: '未导入的列：{columns}。',
  },
  import_stage_values: {
    en: 'Stages from values: {values}.',
    ja: '値から決めたステージ: {values}。',
    zh: '按值设定的阶段：{values}。',
  },
} as const satisfies Record<string, Entry>;
