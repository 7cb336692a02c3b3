/**
 * One import, shared by POST /api/imports and `npm run import`: decode, parse,
 * map and check the rows here, then one call of api.contacts_import, which
 * checks what needs the database and writes everything or nothing.
 */
import type { CallerContext, Db } from '../db/port.js';
import { type Locale, type MessageKey, t } from '../i18n/messages.js';
import { type Encoding, ImportFileError, decodeCsv, parseCsv } from './csv.js';
import { type Format, applyOverrides, describeMapping, guessMapping, hasNameColumns } from './mapping.js';
import { type ImportRow, type RowProblem, toRows } from './rows.js';

export type Phase = 'parse' | 'validate' | 'write';

export interface ImportOptions {
  dryRun?: boolean;
  /** `field=Header` overrides of the guessed mapping */
  map?: string[];
  fileName?: string;
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export interface ExistingRow {
  line: number;
  email: string;
  contact: { id: string; name: string };
  message?: string;
}

export interface RejectedRow extends RowProblem {
  message?: string;
}

/** What an import did, or a dry run would do; the same report either way. */
export interface ImportReport {
  dryRun: boolean;
  /** true when the new contacts were written */
  written: boolean;
  format: Format;
  encoding: Encoding;
  mapping: Record<string, string[]>;
  /** data rows in the file (the header not counted) */
  rows: number;
  /** contacts this import made (or, when nothing was written, would make) */
  newContacts: number;
  newCompanies: number;
  rejectedRows: number;
  rejected: RejectedRow[];
  existing: ExistingRow[];
  importId: string | null;
  summary?: string;
}

interface SqlReport {
  dryRun: boolean;
  written: boolean;
  rows: number;
  newContacts: number;
  newCompanies: number;
  rejectedRows: number;
  rejected: RowProblem[];
  existing: ExistingRow[];
  importId: string | null;
}

export interface PreparedImport {
  format: Format;
  encoding: Encoding;
  mapping: Record<string, string[]>;
  records: number;
  rows: ImportRow[];
  rejected: RowProblem[];
}

/** Bytes to checked rows, without the database. Throws ImportFileError for a file that cannot be read as contacts. */
export function prepareImport(bytes: Uint8Array, opts: Pick<ImportOptions, 'map' | 'onProgress'> = {}): PreparedImport {
  const { text, encoding } = decodeCsv(bytes);
  const records = parseCsv(text, { onProgress: (d, n) => opts.onProgress?.('parse', d, n) });
  const headerRecord = records.shift();
  if (!headerRecord) throw new ImportFileError('import_not_csv');
  const header = headerRecord.fields.map((h) => h.trim());
  const mapping = applyOverrides(guessMapping(header), header, opts.map ?? []);
  if (!hasNameColumns(mapping)) {
    throw new ImportFileError('import_no_name_column', { headers: header.join(', ').slice(0, 500) });
  }
  const { rows, rejected } = toRows(records, header, mapping, (d, n) => opts.onProgress?.('validate', d, n));
  return { format: mapping.format, encoding, mapping: describeMapping(mapping, header), records: records.length, rows, rejected };
}

/**
 * The whole import. Rows rejected here are reported beside those the SQL
 * rejects; when there are any, the SQL runs as a dry run so the report is
 * complete and nothing is written.
 */
export async function importCsv(db: Db, ctx: CallerContext, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportReport> {
  const p = prepareImport(bytes, opts);
  const dryRun = opts.dryRun ?? false;
  opts.onProgress?.('write', 0, 1);
  const sql = await db.call<SqlReport>('contacts_import', ctx, {
    rows: p.rows,
    dryRun: dryRun || p.rejected.length > 0,
    fileName: opts.fileName ?? null,
    format: p.format,
  });
  opts.onProgress?.('write', 1, 1);
  const rejected = [...p.rejected, ...sql.rejected].sort((a, b) => a.line - b.line);
  return {
    dryRun,
    written: sql.written,
    format: p.format,
    encoding: p.encoding,
    mapping: p.mapping,
    rows: p.records,
    newContacts: sql.newContacts,
    newCompanies: sql.newCompanies,
    rejectedRows: new Set(rejected.map((r) => r.line)).size,
    rejected,
    existing: sql.existing,
    importId: sql.importId,
  };
}

/** The report with a sentence per row and a summary, in the reader's language. */
export function localizeReport(r: ImportReport, locale: Locale): ImportReport {
  const line = (n: number, text: string) => t(locale, 'import_line', { line: n, text });
  return {
    ...r,
    summary: t(locale, summaryKey(r), {
      rows: r.rows, contacts: r.newContacts, companies: r.newCompanies, existing: r.existing.length, rejected: r.rejectedRows,
    }),
    rejected: r.rejected.map((x) => ({ ...x, message: line(x.line, t(locale, x.reason as MessageKey, x.details)) })),
    existing: r.existing.map((x) => ({
      ...x,
      message: line(x.line, t(locale, 'import_existing', { email: x.email, contactName: x.contact.name })),
    })),
  };
}

function summaryKey(r: ImportReport): MessageKey {
  if (r.rejectedRows > 0) return 'import_summary_rejected';
  if (r.dryRun) return 'import_summary_dry_run';
  return 'import_summary_done';
}

