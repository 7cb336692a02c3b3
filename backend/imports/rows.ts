/**
 * CSV records to the rows api.contacts_import takes, each checked on its own
 * (a name, valid addresses, a known stage, lengths the database accepts); a
 * row that fails is reported with its line and the reason, never sent.
 * What needs the database (owners, addresses already held, repeats across
 * the file) is checked by the SQL.
 */
import { Domain, Email } from '../schemas.js';
import { type CsvRecord, unescapeCell } from './csv.js';
import type { Field, Mapping } from './mapping.js';

export type Stage = 'lead' | 'prospect' | 'customer' | 'churned';

/** One row as the SQL reads it (absent keys are null). */
export interface ImportRow {
  line: number;
  name: string;
  emails: string[];
  phone?: string;
  title?: string;
  company?: string;
  companyDomain?: string;
  stage?: Stage;
  /** a member's email or name; '' when the file has an owner column left blank (no owner), absent without one (the importer) */
  owner?: string;
  tags: string[];
  custom: Record<string, string>;
  timezone?: string;
  lastInteractionAt?: string;
}

/** A rejected row: its line in the file and a catalogue key with parameters. */
export interface RowProblem {
  line: number;
  reason: string;
  details: Record<string, unknown>;
}

const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆ヶ]+$/u;

/**
 * A full name from its parts: family name first and no space when both given
 * and family names are CJK, as Japanese and Chinese write them.
 *   composeName('太郎', '', '田中') = '田中太郎'   composeName('Jane', 'Q', 'Doe') = 'Jane Q Doe'
 */
export function composeName(first: string, middle: string, last: string): string {
  if (first && last && CJK.test(first) && CJK.test(last)) return `${last}${middle}${first}`;
  return [first, middle, last].filter(Boolean).join(' ');
}

const STAGES: Record<string, Stage> = {
  lead: 'lead',
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
  return (
    STAGES[
      value
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[\s_-]+/g, '')
    ] ?? null
  );
}

/**
 * Tags from a cell: split on ; or , (also 、，；) or Google's " ::: ", trimmed,
 * each once; Google's system groups ("* myContacts") are left out.
 *   splitTags('vip; 展示会 ::: * starred,partner') = ['vip', '展示会', 'partner']
 */
export function splitTags(value: string): string[] {
  const out: string[] = [];
  for (const t of value.split(/\s+:::\s+|[;,、，；]/)) {
    const tag = t.trim();
    if (tag && !tag.startsWith('* ') && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Tags as Rapport's export writes them: separated by "; ", with a ";" or a
 * backslash inside a tag escaped by a backslash, so that a tag with a comma
 * (or a semicolon) comes back from the import as one tag.
 *   joinTags(['Acme, Inc.', 'a;b']) = 'Acme, Inc.; a\;b'   readOwnTags('Acme, Inc.; a\;b') = ['Acme, Inc.', 'a;b']
 */
export function joinTags(tags: string[]): string {
  return tags.map((t) => t.replace(/[\\;]/g, '\\$&')).join('; ');
}

export function readOwnTags(value: string): string[] {
  const out: string[] = [];
  for (const part of splitUnescaped(value)) {
    const tag = part.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** 'a\;b; c' -> ['a;b', ' c']: splits on each ";" no backslash escapes, and drops the escapes. */
function splitUnescaped(value: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) cur += value[++i];
    else if (ch === ';') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/**
 * Addresses from a cell: "Name <a@b>" forms, or a list split on ; , spaces or " ::: ".
 *   splitEmails('Jane <jane@acme.com>, bob@acme.com') = ['jane@acme.com', 'bob@acme.com']
 */
export function splitEmails(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length) return bracketed;
  return value.split(/\s*:::\s*|[;,\s]+/).filter(Boolean);
}

/** A domain from a domain or web address: 'https://www.Acme.co.jp/about' -> 'acme.co.jp' */
export function domainOf(value: string): string {
  const host =
    value
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split(/[/?#:]/)[0] ?? '';
  return host.toLowerCase().replace(/^www\./, '');
}

const zones = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let ok = zones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zones.set(tz, ok);
  }
  return ok;
}

const MAX: Partial<Record<Field, number>> = { name: 300, phone: 50, title: 300, company: 300, owner: 320 };
const clean = (s: string | undefined) => unescapeCell((s ?? '').replace(/\u0000/g, '').trim());

/**
 * The rows to send and the ones rejected, with their reasons.
 *   toRows([{ line: 2, fields: ['田中', '太郎', 'taro@acme.co.jp'] }], ['姓', '名', 'メール'], guessMapping(['姓', '名', 'メール']))
 *     = { rows: [{ line: 2, name: '田中太郎', emails: ['taro@acme.co.jp'], tags: [], custom: {} }], rejected: [] }
 */
export function toRows(
  records: CsvRecord[],
  header: string[],
  m: Mapping,
  onProgress?: (done: number, total: number) => void,
): { rows: ImportRow[]; rejected: RowProblem[] } {
  const rows: ImportRow[] = [];
  const rejected: RowProblem[] = [];
  const google = m.format === 'google' || m.format === 'google-legacy';
  for (let k = 0; k < records.length; k++) {
    if (onProgress && k % 5000 === 0) onProgress(k, records.length);
    const { line, fields } = records[k]!;
    const problems: RowProblem[] = [];
    const reject = (reason: string, details: Record<string, unknown> = {}) => problems.push({ line, reason, details });
    const first = (f: Field) => {
      for (const c of m.columns[f] ?? []) {
        const v = clean(fields[c]);
        if (v) return google && f === 'phone' ? v.split(/\s*:::\s*/)[0]! : v;
      }
      return '';
    };
    const all = (f: Field) => (m.columns[f] ?? []).map((c) => clean(fields[c])).filter(Boolean);

    if (fields.length > header.length && fields.slice(header.length).some((v) => v.trim())) {
      reject('import_row_columns', { count: fields.length, expected: header.length });
    }
    const name = first('name') || composeName(first('firstName'), first('middleName'), first('lastName'));
    if (!name) reject('import_name_missing');
    const row: ImportRow = { line, name, emails: [], tags: [], custom: {} };
    for (const f of ['phone', 'title', 'company'] as const) {
      const v = first(f);
      if (v) row[f] = v;
    }
    if (m.columns.owner) row.owner = first('owner');
    for (const f of ['name', 'phone', 'title', 'company', 'owner'] as const) {
      if ((row[f]?.length ?? 0) > MAX[f]!) reject('import_too_long', { field: f, max: MAX[f] });
    }
    const seen = new Set<string>();
    for (const cell of all('email')) {
      for (const e of splitEmails(cell)) {
        if (seen.has(e.toLowerCase())) continue;
        seen.add(e.toLowerCase());
        if (Email.safeParse(e).success) row.emails.push(e);
        else reject('import_email_invalid', { email: e });
      }
    }
    if (row.emails.length > 50) reject('import_too_many', { field: 'email', max: 50 });
    const domain = first('companyDomain');
    if (domain) {
      const d = Domain.safeParse(domainOf(domain));
      if (d.success) row.companyDomain = d.data;
      else reject('import_domain_invalid', { domain });
    }
    const stage = first('stage');
    if (stage) {
      const s = mapStage(stage);
      if (s) row.stage = s;
      else reject('import_stage_unknown', { stage });
    }
    const tagsOf = m.ownExport ? readOwnTags : splitTags;
    for (const cell of all('tags')) for (const t of tagsOf(cell)) if (!row.tags.includes(t)) row.tags.push(t);
    if (row.tags.length > 50) reject('import_too_many', { field: 'tags', max: 50 });
    if (row.tags.some((t) => t.length > 64)) reject('import_too_long', { field: 'tags', max: 64 });
    const tz = first('timezone');
    if (tz) {
      if (isTimeZone(tz)) row.timezone = tz;
      else reject('import_timezone_invalid', { timezone: tz });
    }
    const last = first('lastInteraction');
    if (last) {
      // a time without an offset is read as UTC
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(last) || !/\d:\d/.test(last) ? last : `${last}Z`);
      if (Number.isFinite(ms) && ms >= 0 && ms < Date.UTC(2200, 0, 1)) row.lastInteractionAt = new Date(ms).toISOString();
      else reject('import_date_invalid', { value: last });
    }
    for (const { key, col } of m.custom) {
      const v = clean(fields[col]);
      if (!v) continue;
      if (v.length > 2000) reject('import_too_long', { field: key, max: 2000 });
      row.custom[key] = v;
    }
    if (Object.keys(row.custom).length > 50) reject('import_too_many', { field: 'custom', max: 50 });
    if (problems.length) rejected.push(...problems);
    else rows.push(row);
  }
  onProgress?.(records.length, records.length);
  return { rows, rejected };
}
