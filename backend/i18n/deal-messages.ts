import type { Entry } from './messages.js';

/** The backend's sentences about deals and the pipeline (en, ja, zh). */
export const dealMessages = {
  deal_not_found: {
    en: 'No deal {id} in this workspace.',
    ja: 'このワークスペースに案件 {id} はありません。',
    zh: '此工作区中没有商机 {id}。',
  },
  deal_stage_unknown: {
    en: 'The pipeline has no stage “{stage}”; its stages are {stages}.',
    ja: 'パイプラインにステージ「{stage}」はありません。ステージは {stages} です。',
    zh: '销售管道中没有阶段“{stage}”；现有阶段为 {stages}。',
  },
  deal_closed: {
    en: 'This deal is {status}: reopen it (status open) to move it to another stage.',
    ja: 'この案件は {status} です。別のステージに移すには、先に再開（status を open に）してください。',
    zh: '此商机已是 {status} 状态：请先重新打开（status 设为 open）再移动到其他阶段。',
  },
  deal_currency_required: {
    en: 'An amount needs its currency (ISO 4217, like USD or JPY).',
    ja: '金額には通貨（USD や JPY などの ISO 4217 コード）が必要です。',
    zh: '金额需要指定币种（ISO 4217 代码，如 USD 或 JPY）。',
  },
  deal_currency_invalid: {
    en: '{currency} is not a currency code: use three capital letters (ISO 4217), like USD or JPY.',
    ja: '{currency} は通貨コードではありません。USD や JPY のような 3 文字の大文字（ISO 4217）で指定してください。',
    zh: '{currency} 不是币种代码：请使用三个大写字母（ISO 4217），如 USD 或 JPY。',
  },
  deal_amount_invalid: {
    en: 'The amount must be a whole number of minor units (cents, yen) from 0 below 10^15.',
    ja: '金額は最小単位（セント、円）の 0 以上 10^15 未満の整数で指定してください。',
    zh: '金额必须是以最小单位（分、日元）计的整数，范围为 0 到 10^15 以下。',
  },
  deal_owner_unknown: {
    en: '{id} ({field}) is not a member of this workspace.',
    ja: '{id}（{field}）はこのワークスペースのメンバーではありません。',
    zh: '{id}（{field}）不是此工作区的成员。',
  },
  pipeline_stage_count: {
    en: 'A pipeline has 1 to {max} stages.',
    ja: 'パイプラインのステージは 1〜{max} 個です。',
    zh: '销售管道须有 1 到 {max} 个阶段。',
  },
  pipeline_names_repeated: {
    en: 'Two stages have the same name; each stage needs its own.',
    ja: '同じ名前のステージが 2 つあります。ステージごとに別の名前を付けてください。',
    zh: '有两个阶段同名；每个阶段须有不同的名称。',
  },
  pipeline_keys_repeated: {
    en: 'The stage key “{stage}” is given twice.',
    ja: 'ステージのキー「{stage}」が 2 回指定されています。',
    zh: '阶段键“{stage}”出现了两次。',
  },
  pipeline_key_invalid: {
    en: '“{stage}” is not a stage key: use 1 to 40 lower-case letters, digits or _.',
    ja: '「{stage}」はステージのキーとして使えません。小文字・数字・_ の 1〜40 文字にしてください。',
    zh: '“{stage}”不是有效的阶段键：请使用 1 到 40 个小写字母、数字或 _。',
  },
  pipeline_stage_in_use: {
    en: '{deals} open deals are at the stage “{name}” ({stage}): say where they go with moves, e.g. {"{stage}": "<another stage>"}.',
    ja: 'ステージ「{name}」（{stage}）には進行中の案件が {deals} 件あります。moves で移動先を指定してください（例: {"{stage}": "<別のステージ>"}）。',
    zh: '阶段“{name}”（{stage}）中有 {deals} 个进行中的商机：请用 moves 指定它们的去向，例如 {"{stage}": "<其他阶段>"}。',
  },
  pipeline_move_unknown: {
    en: 'The deals of “{stage}” cannot move to “{to}”: it is not a stage of the new pipeline.',
    ja: '「{stage}」の案件を「{to}」に移せません。新しいパイプラインにそのステージはありません。',
    zh: '无法将“{stage}”的商机移至“{to}”：新的销售管道中没有该阶段。',
  },
} as const satisfies Record<string, Entry>;
