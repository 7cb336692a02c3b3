/**
 * CSV records to the rows api.contacts_import takes, each checked on its own
 * (a name, valid addresses, a known stage, lengths the database accepts); a
 * row that fails is reported with its line and the reason, never sent.
 * What needs the database (owners, addresses already held, repeats across
 * the file) is checked by the SQL.
 */
import { readingFor } from '../contacts/reading.js';
import type { Locale } from '../i18n/vocabulary.js';
import { Domain, Email } from '../schemas.js';
import { composeName, composeReading, domainOf, readOwnTags, splitEmails, splitTags } from './cells.js';
import { type CsvRecord, unescapeCell } from './csv.js';
import type { Field, Mapping } from './mapping.js';
import { type Stage, stageOf } from './stages.js';

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
  /** how the name is said (kana, pinyin): the file's phonetic columns, else readingFor(name, null, importer's locale) */
  reading?: string;
  companyReading?: string;
  /** the file's notes about the person: one note interaction on the new contact */
  note?: string;
}

/** A rejected row: its line in the file and a catalogue key with parameters. */
export interface RowProblem {
  line: number;
  reason: string;
  details: Record<string, unknown>;
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

/** The notes Rapport keeps of a row (an interaction's body holds 200,000). */
const NOTE_MAX = 100_000;
const READING_MAX = 200;

/**
 * The rows to send and the ones rejected, with their reasons; one reason per
 * bad cell. `locale`: the importer's, for the readings computed from names
 * (pinyin for zh; see readingFor).
 *   toRows([{ line: 2, fields: ['田中', '太郎', 'taro@acme.co.jp'] }], ['姓', '名', 'メール'], guessMapping(['姓', '名', 'メール']))
 *     = { rows: [{ line: 2, name: '田中太郎', emails: ['taro@acme.co.jp'], tags: [], custom: {} }], rejected: [] }
 */
export function toRows(
  records: CsvRecord[],
  header: string[],
  m: Mapping,
  onProgress?: (done: number, total: number) => void,
  locale: Locale = 'en',
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
        if (v) return v;
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
    for (const f of ['title', 'company'] as const) {
      const v = first(f);
      if (v) row[f] = v;
    }
    // the first phone is the contact's; the others (Google's "a ::: b" too) are kept under their column's header
    for (const c of m.columns.phone ?? []) {
      const cell = clean(fields[c]);
      if (!cell) continue;
      const values = google ? cell.split(/\s*:::\s*/).filter(Boolean) : [cell];
      if (!row.phone) row.phone = values.shift();
      if (values.length) row.custom[(header[c] ?? 'phone').slice(0, 64)] = values.join(', ');
    }
    if (m.columns.owner) row.owner = first('owner');
    for (const f of ['name', 'phone', 'title', 'company', 'owner'] as const) {
      if ((row[f]?.length ?? 0) > MAX[f]!) reject('import_too_long', { field: f, max: MAX[f] });
    }
    const seen = new Set<string>();
    for (const cell of all('email')) {
      // a cell that is not a list of addresses is one problem, named whole
      let bad = false;
      for (const e of splitEmails(cell)) {
        if (seen.has(e.toLowerCase())) continue;
        seen.add(e.toLowerCase());
        if (Email.safeParse(e).success) row.emails.push(e);
        else bad = true;
      }
      if (bad) reject('import_email_invalid', { email: cell });
    }
    if (row.emails.length > 50) reject('import_too_many', { field: 'email', max: 50 });
    const domain = first('companyDomain');
    if (domain) {
      const d = Domain.safeParse(domainOf(domain));
      if (d.success) row.companyDomain = d.data;
      else reject('import_domain_invalid', { domain });
    }
    // labels that name a stage set it (the first one, unless a stage column says) and are no tags
    const tagsOf = m.ownExport ? readOwnTags : splitTags;
    let labelStage: Stage | undefined;
    for (const cell of all('tags')) {
      for (const t of tagsOf(cell)) {
        const s = m.ownExport ? null : stageOf(t, m.stageValues);
        if (s) labelStage ??= s;
        else if (!row.tags.includes(t)) row.tags.push(t);
      }
    }
    const stage = first('stage');
    if (stage) {
      const s = stageOf(stage, m.stageValues);
      if (s) row.stage = s;
      else reject('import_stage_unmapped', { stage, header: header[m.columns.stage![0]!] ?? 'stage' });
    } else if (labelStage) row.stage = labelStage;
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
    const said = first('reading') || composeReading(first('readingFirst'), first('readingMiddle'), first('readingLast'), name);
    if (said.length > READING_MAX) reject('import_too_long', { field: 'reading', max: READING_MAX });
    else if (name) {
      const reading = readingFor(name, said, locale);
      if (reading) row.reading = reading;
    }
    if (row.company) {
      const said = first('companyReading');
      if (said.length > READING_MAX) reject('import_too_long', { field: 'companyReading', max: READING_MAX });
      const reading = readingFor(row.company, said, locale);
      if (reading) row.companyReading = reading;
    }
    const note = all('note').join('\n\n');
    if (note.length > NOTE_MAX) reject('import_too_long', { field: 'note', max: NOTE_MAX });
    else if (note) row.note = note;
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
