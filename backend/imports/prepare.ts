/**
 * Bytes to checked rows, without the database: decode, parse, map, check
 * each row on its own, and reject an address repeated within the file (the
 * later row is the duplicate). Runs in a worker thread (prepare-worker.ts), so
 * a large file never holds up the server's other requests.
 */
import type { Locale } from '../i18n/vocabulary.js';
import { type CsvRecord, decodeCsv, type Encoding, ImportFileError, parseCsv } from './csv.js';
import { type Format, applyOverrides, describeIgnored, describeMapping, describeStageValues, guessMapping, hasNameColumns } from './mapping.js';
import type { Stage } from './stages.js';
import { type ImportRow, type RowProblem, toRows } from './rows.js';

/** Data rows an import takes unless RAPPORT_IMPORT_MAX_ROWS says otherwise. */
export const DEFAULT_MAX_IMPORT_ROWS = 200_000;

export type PreparePhase = 'parse' | 'validate';

export interface PreparedImport {
  format: Format;
  encoding: Encoding;
  mapping: Record<string, string[]>;
  /** the headers of the columns nothing reads */
  ignored: string[];
  /** the values a `stage=Header:VIP=customer` mapping gave a stage */
  stageValues: Record<string, Stage>;
  /** the header row as the file has it */
  header: string[];
  /** the file's records as read (kept with keepRecords: a skipping import writes its rejected ones back out) */
  source?: CsvRecord[];
  /** data rows in the file (the header not counted) */
  records: number;
  /** the rows to send to the database, in file order */
  rows: ImportRow[];
  rejected: RowProblem[];
}

export interface PrepareOptions {
  /** `field=Header` overrides of the guessed mapping */
  map?: string[];
  /** more data rows than this: ImportFileError('import_too_many_rows') */
  maxRows?: number;
  /** the importer's locale: readings computed from names (pinyin for zh) */
  locale?: Locale;
  /** keep the records as read (source), to write the rejected ones back out */
  keepRecords?: boolean;
  onProgress?: (phase: PreparePhase, done: number, total: number) => void;
}

/** Throws ImportFileError for a file that cannot be read as contacts, or has more rows than maxRows. */
export function prepareImport(bytes: Uint8Array, opts: PrepareOptions = {}): PreparedImport {
  const { text, encoding } = decodeCsv(bytes);
  const records = parseCsv(text, {
    onProgress: (d, n) => opts.onProgress?.('parse', d, n),
    maxRecords: (opts.maxRows ?? DEFAULT_MAX_IMPORT_ROWS) + 1,
  });
  const headerRecord = records.shift();
  if (!headerRecord) throw new ImportFileError('import_not_csv');
  const header = headerRecord.fields.map((h) => h.trim());
  const mapping = applyOverrides(guessMapping(header), header, opts.map ?? []);
  if (!hasNameColumns(mapping)) {
    throw new ImportFileError('import_no_name_column', { headers: header.join(', ').slice(0, 500) });
  }
  const { rows, rejected } = toRows(records, header, mapping, (d, n) => opts.onProgress?.('validate', d, n), opts.locale ?? 'en');
  const repeats = repeatedAddresses(rows);
  const repeatedLines = new Set(repeats.map((p) => p.line));
  return {
    format: mapping.format,
    encoding,
    mapping: describeMapping(mapping, header),
    ignored: describeIgnored(mapping, header),
    stageValues: describeStageValues(mapping),
    header,
    ...(opts.keepRecords ? { source: records } : {}),
    records: records.length,
    rows: repeats.length ? rows.filter((r) => !repeatedLines.has(r.line)) : rows,
    rejected: repeats.length ? [...rejected, ...repeats].sort((a, b) => a.line - b.line) : rejected,
  };
}

/**
 * Rows whose address (any case) an earlier row of the file already has: one
 * problem per such row, naming the earliest line it repeats.
 *   repeatedAddresses([{ line: 2, emails: ['a@x.jp'] }, { line: 5, emails: ['A@x.jp'] }])
 *     = [{ line: 5, reason: 'import_duplicate_row', details: { email: 'A@x.jp', first: 2 } }]
 */
export function repeatedAddresses(rows: Pick<ImportRow, 'line' | 'emails'>[]): RowProblem[] {
  const firstLine = new Map<string, number>();
  const problems: RowProblem[] = [];
  for (const row of rows) {
    let hit: { email: string; first: number } | undefined;
    for (const email of row.emails) {
      const key = email.trim().toLowerCase();
      const first = firstLine.get(key);
      if (first !== undefined && first < row.line && (!hit || first < hit.first)) hit = { email: email.trim(), first };
    }
    for (const email of row.emails) {
      const key = email.trim().toLowerCase();
      if (!firstLine.has(key)) firstLine.set(key, row.line);
    }
    if (hit) problems.push({ line: row.line, reason: 'import_duplicate_row', details: hit });
  }
  return problems;
}
