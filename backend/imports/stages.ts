/**
 * Stage names as files write them: Rapport's own, HubSpot's lifecycle stages,
 * Google labels ("Customers"), and Japanese and Chinese names.
 */
export type Stage = 'lead' | 'prospect' | 'customer' | 'churned';

const STAGES: Record<string, Stage> = {
  lead: 'lead',
  leads: 'lead',
  prospects: 'prospect',
  customers: 'customer',
  clients: 'customer',
  見込み顧客: 'prospect',
  subscriber: 'lead',
  marketingqualifiedlead: 'lead',
  mql: 'lead',
  other: 'lead',
  new: 'lead',
  prospect: 'prospect',
  salesqualifiedlead: 'prospect',
  sql: 'prospect',
  opportunity: 'prospect',
  qualified: 'prospect',
  customer: 'customer',
  evangelist: 'customer',
  client: 'customer',
  churned: 'churned',
  churn: 'churned',
  formercustomer: 'churned',
  lost: 'churned',
  リード: 'lead',
  新規: 'lead',
  潜在顧客: 'lead',
  見込み: 'prospect',
  見込み客: 'prospect',
  見込客: 'prospect',
  プロスペクト: 'prospect',
  商談中: 'prospect',
  有望: 'prospect',
  案件化: 'prospect',
  顧客: 'customer',
  既存顧客: 'customer',
  カスタマー: 'customer',
  取引中: 'customer',
  受注: 'customer',
  成約: 'customer',
  解約: 'churned',
  解約済み: 'churned',
  失注: 'churned',
  離反: 'churned',
  休眠: 'churned',
  元顧客: 'churned',
  チャーン: 'churned',
  线索: 'lead',
  潜在客户: 'lead',
  意向客户: 'prospect',
  商机: 'prospect',
  跟进中: 'prospect',
  客户: 'customer',
  成交客户: 'customer',
  已成交: 'customer',
  流失: 'churned',
  流失客户: 'churned',
};

/**
 * A stage from what the file says: Rapport's own, HubSpot's lifecycle stages,
 * Japanese and Chinese names; null when unknown.
 *   mapStage('Sales Qualified Lead') = 'prospect'   mapStage('商談中') = 'prospect'   mapStage('既存顧客') = 'customer'
 */
export function mapStage(value: string): Stage | null {
  return STAGES[stageKey(value)] ?? null;
}

/** A stage's name as mapStage and a `--map stage=Header:VIP=customer` mapping compare it: 'Sales Qualified-Lead ' -> 'salesqualifiedlead' */
export function stageKey(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * The stage a value stands for: the file's own mapping first, then the names
 * mapStage knows; null when neither says.
 *   stageOf('VIP', { vip: 'customer' }) = 'customer'   stageOf('Customers') = 'customer'
 */
export function stageOf(value: string, own?: Record<string, Stage>): Stage | null {
  return own?.[stageKey(value)] ?? mapStage(value);
}
