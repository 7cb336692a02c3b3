/**
 * CSV in and out: the bytes a spreadsheet wrote, decoded; RFC 4180 records
 * with the line each starts on; and cells written back so that Excel opens
 * them and the import reads them unchanged.
 */

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

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The delimiter of the header line: the most frequent of comma, tab and
 * semicolon outside quotes (comma when none appears).
 *   guessDelimiter('Name;Email\nJane;j@x.com') = ';'
 */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0]]);
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
 * RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and
 * line breaks (CRLF, LF or CR); blank lines are skipped; each record keeps the
 * line it starts on, so a report can point at the line a spreadsheet shows.
 * A quote inside an unquoted field, or text after a closing quote, is kept as
 * text (as Excel does); a quote left open at the end of the file is an error.
 *   parseCsv('Name,Note\r\n"Doe, Jane","said ""hi""\nthen left"\r\nBob,x')
 *     = [{ line: 1, fields: ['Name', 'Note'] },
 *        { line: 2, fields: ['Doe, Jane', 'said "hi"\nthen left'] },
 *        { line: 4, fields: ['Bob', 'x'] }]
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
  const delim = (opts.delimiter ?? guessDelimiter(text)).charCodeAt(0);
  const n = text.length;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let atFieldStart = true;
  let line = 1;
  let recordLine = 1;
  let nextProgress = 1 << 18;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // a blank line is no record
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    if (records.length > maxRecords) throw new ImportFileError('import_too_many_rows', { limit: maxRecords - 1 });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  while (i < n) {
    if (i >= nextProgress) {
      opts.onProgress?.(i, n);
      nextProgress += 1 << 18;
    }
    const ch = text.charCodeAt(i);
    if (ch === QUOTE && atFieldStart) {
      const startLine = line;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new ImportFileError('import_csv_unclosed_quote', { line: startLine });
        const chunk = text.slice(i, q);
        line += countLineBreaks(chunk);
        field += chunk.includes('\r') ? chunk.replace(/\r\n?/g, '\n') : chunk;
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      atFieldStart = false;
      continue;
    }
    if (ch === delim) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (ch === CR || ch === LF) {
      endRecord();
      i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === delim || c === CR || c === LF) break;
      j++;
    }
    field += text.slice(i, j);
    atFieldStart = false;
    i = j;
  }
  if (field !== '' || fields.length > 0 || !atFieldStart) endRecord();
  opts.onProgress?.(n, n);
  return records;
}

function countLineBreaks(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) k++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) k++;
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
  const body = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return opts.bom ? `\uFEFF${body}` : body;
}
