/**
 * CSV in and out: the bytes a spreadsheet wrote, decoded; RFC 4180 records
 * with the line each starts on; and cells written back so that Excel opens
 * them and the import reads them unchanged.
 */
import { parse } from 'csv-parse/sync';

/** A problem with the file as a whole (not one row): a catalogue key and its parameters. */
export class ImportFileError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = 'ImportFileError';
  }
}

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'shift_jis';

/**
 * Text from a file's bytes: a BOM says UTF-8 or UTF-16; bytes that are valid
 * UTF-8 are UTF-8; anything else is read as Shift_JIS (Windows-31J, as Excel
 * in Japan saves "CSV"). NUL bytes or an undecodable file are not CSV (an
 * .xlsx workbook is a zip).
 *   decodeCsv(Uint8Array.of(0x96, 0xbc, 0x91, 0x4f)) = { text: '名前', encoding: 'shift_jis' }
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  if (bytes.length === 0 || bytes.includes(0)) throw new ImportFileError('import_not_csv');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: Shift_JIS, or not text at all
  }
  try {
    return { text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'shift_jis' };
  } catch {
    throw new ImportFileError('import_not_csv');
  }
}

export interface CsvRecord {
  /** the line of the file the record starts on (1 = the first line) */
  line: number;
  fields: string[];
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The delimiter of the header line: the most frequent of comma, tab and
 * semicolon outside quotes (comma when none appears).
 *   guessDelimiter('Name;Email\nJane;j@x.com') = ';'
 */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * RFC 4180 records, read by csv-parse: quoted fields may hold the delimiter,
 * doubled quotes and line breaks (CRLF, LF or CR, any mix; a CRLF inside a
 * field becomes LF); blank lines are skipped; each record keeps the line it
 * starts on, so a report can point at the line a spreadsheet shows. A quote
 * inside an unquoted field, or text after a closing quote, is kept as written
 * (relax_quotes); a quote left open at the end of the file is an error naming
 * the line it opened on.
 *   parseCsv('Name,Note\r\n"Doe, Jane","said ""hi""\nthen left"\r\nBob,x')
 *     = [{ line: 1, fields: ['Name', 'Note'] },
 *        { line: 2, fields: ['Doe, Jane', 'said "hi"\nthen left'] },
 *        { line: 4, fields: ['Bob', 'x'] }]
 * Measured on 200,000 rows (19 MB, quoted CJK fields): ~2.3-2.8 s here against
 * ~1 s for the hand-written reader it replaced; importing those rows takes
 * ~110 s (npm run bench, import-readers), so reading is not the bottleneck.
 */
export function parseCsv(
  text: string,
  opts: {
    delimiter?: string;
    onProgress?: (done: number, total: number) => void;
    /** stop with import_too_many_rows once more records than this are read (the header counts) */
    maxRecords?: number;
  } = {},
): CsvRecord[] {
  const maxRecords = opts.maxRecords ?? Infinity;
  // csv-parse counts in bytes, and miscounts lines for a CRLF inside quotes:
  // lines are counted here, from the bytes between one record's end and the next
  const buf = Buffer.from(text, 'utf8');
  const records: CsvRecord[] = [];
  let end = 0;
  let line = 1;
  let nextProgress = 1 << 18;
  try {
    parse(buf, {
      delimiter: opts.delimiter ?? guessDelimiter(text),
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (fields: string[], ctx: { bytes: number }) => {
        const breaks = countLineBreaks(buf, end, ctx.bytes);
        const last = buf[ctx.bytes - 1];
        let inside = 0;
        for (let k = 0; k < fields.length; k++) {
          const f = fields[k]!;
          if (f.includes('\r')) fields[k] = f.replace(/\r\n?/g, '\n');
          if (f.includes('\n') || f.includes('\r')) inside += countLineBreaks(Buffer.from(f), 0, Buffer.byteLength(f));
        }
        // breaks before the record are blank lines; after it, its own end
        const trailing = last === LF || last === CR ? 1 : 0;
        records.push({ line: line + breaks - inside - trailing, fields });
        if (records.length > maxRecords) throw new ImportFileError('import_too_many_rows', { limit: maxRecords - 1 });
        line += breaks;
        end = ctx.bytes;
        if (end >= nextProgress) {
          opts.onProgress?.(end, buf.length);
          nextProgress = end + (1 << 18);
        }
        return null;
      },
    });
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    if ((e as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') {
      // the record it opened in starts after the last one read and any blank lines
      let at = end;
      while (buf[at] === CR || buf[at] === LF) at++;
      throw new ImportFileError('import_csv_unclosed_quote', { line: line + countLineBreaks(buf, end, at) });
    }
    throw e;
  }
  opts.onProgress?.(buf.length, buf.length);
  return records;
}

/** Line breaks in bytes [from, to): CRLF, LF and a lone CR count one each. */
function countLineBreaks(b: Uint8Array, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === LF) k++;
    else if (c === CR && b[i + 1] !== LF) k++;
  }
  return k;
}

/**
 * Cells a spreadsheet would run as a formula; written with a leading
 * apostrophe: a formula character (half- or full-width, which Excel in Japan
 * and China reads as the same), also after leading spaces, which spreadsheets
 * skip; and a leading tab or carriage return.
 */
const FORMULA_START = /^(?:[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

/**
 * One cell: quoted when it holds a comma, a quote, a line break or edge
 * spaces; a value that a spreadsheet would take for a formula gets a leading
 * apostrophe (OWASP's advice against CSV injection), which unescapeCell
 * removes on import.
 *   csvCell('Doe, "JD"') = '"Doe, ""JD"""'     csvCell('=1+2') = "'=1+2"
 */
export function csvCell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The value behind a cell csvCell escaped: "'=1+2" -> '=1+2', "' ＝1" -> ' ＝1' (other apostrophes stay). */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Rows as CSV: CRLF line ends (RFC 4180), optionally with a UTF-8 BOM so that Excel reads UTF-8. */
export function toCsv(rows: string[][], opts: { bom?: boolean } = {}): string {
  const body = `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
  return opts.bom ? `\uFEFF${body}` : body;
}
