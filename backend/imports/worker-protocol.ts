import type { Locale } from '../i18n/vocabulary.js';
import type { CsvRecord } from './csv.js';
import type { PreparedImport, PreparePhase } from './prepare.js';
import type { ImportRow } from './rows.js';
import type { Upload } from './upload.js';

/**
 * What an import reads: a CSV file's bytes, or a request body holding one (a
 * form or JSON) in the chunks it arrived in: joining 50 MB is a ~0.2 s copy,
 * made by whoever reads it (the worker, for a large one).
 */
export type ImportSource = { csv: Uint8Array } | { chunks: Uint8Array[]; contentType: string };

/** The chunks as one array. */
export function joinChunks(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** What the server asks of the import worker. */
export type WorkerRequest =
  | { type: 'prepare'; source: ImportSource; map: string[]; maxRows: number; locale: Locale; skipInvalid: boolean }
  | { type: 'rows'; from: number; count: number }
  | { type: 'records'; lines: number[] }
  | { type: 'close' };

/**
 * A prepared file without its rows, which stay in the worker; threadId: the
 * thread that read it; upload: the options that came with a request body.
 */
export type PreparedSummary = Omit<PreparedImport, 'rows' | 'source'> & {
  rowCount: number;
  threadId: number;
  upload?: Omit<Upload, 'bytes'>;
};

/** What the worker answers. */
export type WorkerReply =
  | { type: 'progress'; phase: PreparePhase; done: number; total: number }
  | { type: 'prepared'; summary: PreparedSummary }
  | { type: 'file-error'; key: string; params: Record<string, unknown> }
  | { type: 'upload-error'; key: string; params: Record<string, unknown>; details?: unknown }
  | { type: 'rows'; rows: ImportRow[] }
  | { type: 'records'; records: CsvRecord[] };

/**
 * The records of the given lines, as the file had them (for the rejected rows' CSV).
 *   recordsAt([{ line: 2, fields: ['a'] }, { line: 3, fields: ['b'] }], [3]) = [{ line: 3, fields: ['b'] }]
 */
export function recordsAt(source: CsvRecord[] | undefined, lines: number[]): CsvRecord[] {
  const wanted = new Set(lines);
  return (source ?? []).filter((r) => wanted.has(r.line));
}
