/**
 * An import's file is read in a worker thread: parsing 50 MB of CSV takes
 * seconds of CPU, which on the main thread would stall every other request
 * (measured before this: the event loop blocked for 9.5 s). The worker has a
 * heap of its own with a ceiling, and at most MAX_RUNNING imports prepare or
 * write at once in this process; others wait their turn. A small file (up to
 * INLINE_BYTES, a few thousand rows: milliseconds of parsing) is prepared
 * where it is, since starting a worker costs more (~0.3 s) than it saves.
 */
import { threadId, Worker } from 'node:worker_threads';
import type { Locale } from '../i18n/vocabulary.js';
import { type CsvRecord, ImportFileError } from './csv.js';
import type { PreparePhase } from './prepare.js';
import { prepareSource } from './prepare-source.js';
import type { ImportRow } from './rows.js';
import { UploadError } from './upload.js';
import { type ImportSource, type PreparedSummary, recordsAt, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/** Imports under way at once in one server process. */
const MAX_RUNNING = 2;
/** The worker's old-generation heap: a 200,000-row, 50 MB file takes about a quarter of it. */
export const IMPORT_WORKER_HEAP_MB = 768;
/** Files up to this size are prepared on the calling thread. */
export const INLINE_BYTES = 256 * 1024;

let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running -= 1;
    waiting.shift()?.();
  };
}

export interface PreparedFile {
  summary: PreparedSummary;
  /** rows [from, from + count) in file order */
  rows(from: number, count: number): Promise<ImportRow[]>;
  /** the file's records of these lines as read (only when prepared with skipInvalid) */
  records(lines: number[]): Promise<CsvRecord[]>;
  /** ends the worker and gives the turn to the next import */
  close(): Promise<void>;
}

/** An error a source's reply carries, as what the caller throws. */
function thrown(reply: Extract<WorkerReply, { type: 'file-error' | 'upload-error' }>): Error {
  if (reply.type === 'upload-error') return new UploadError(reply.key as UploadError['key'], reply.params, reply.details);
  return new ImportFileError(reply.key, reply.params);
}

/**
 * Prepares a file (or the request body holding one) in a worker; its rows
 * are then fetched slice by slice. Throws UploadError for a body that holds
 * no file, ImportFileError for a file that is not contacts, has too many rows
 * (import_too_many_rows) or needs more memory than the worker has (import_too_big).
 */
export async function prepareInWorker(
  source: ImportSource,
  opts: {
    map: string[];
    maxRows: number;
    /** the importer's locale (readings computed from names; en by default) */
    locale?: Locale;
    /** keep the records, for the rejected rows' CSV */
    skipInvalid?: boolean;
    heapMb?: number;
    /** files up to this many bytes are prepared on this thread (INLINE_BYTES by default; 0: always a worker) */
    inlineBytes?: number;
    onProgress?: (phase: PreparePhase, done: number, total: number) => void;
  },
): Promise<PreparedFile> {
  const release = await turn();
  const size = 'csv' in source ? source.csv.byteLength : source.chunks.reduce((n, c) => n + c.byteLength, 0);
  if (size <= (opts.inlineBytes ?? INLINE_BYTES)) {
    try {
      const reply = await prepareSource(source, {
        map: opts.map,
        maxRows: opts.maxRows,
        locale: opts.locale ?? 'en',
        skipInvalid: opts.skipInvalid ?? false,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      if (reply.type !== 'prepared') throw thrown(reply);
      const { rows, source: kept } = reply;
      return {
        summary: { ...reply.summary, threadId },
        rows: async (from, count) => rows.slice(from, from + count),
        records: async (lines) => recordsAt(kept, lines),
        close: async () => release(),
      };
    } catch (e) {
      release();
      throw e;
    }
  }
  const heapMb = opts.heapMb ?? IMPORT_WORKER_HEAP_MB;
  const worker = new Worker(new URL('./prepare-worker.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
  let failure: Error | undefined;
  // replies come in the order of the requests
  const pending: { resolve: (m: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.splice(0)) p.reject(failure);
  };
  worker.on('message', (m: WorkerReply) => {
    if (m.type === 'progress') {
      opts.onProgress?.(m.phase, m.done, m.total);
      return;
    }
    const p = pending.shift();
    if (!p) return;
    if (m.type === 'file-error' || m.type === 'upload-error') p.reject(thrown(m));
    else p.resolve(m);
  });
  worker.on('error', (e: Error & { code?: string }) =>
    fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ImportFileError('import_too_big', { limit: heapMb }) : e),
  );
  worker.on('exit', (code) => fail(new Error(`the import worker stopped (exit code ${code})`)));
  const ask = <T extends WorkerReply['type']>(request: WorkerRequest, _answer: T, transfer: ArrayBuffer[] = []) =>
    new Promise<Extract<WorkerReply, { type: T }>>((resolve, reject) => {
      if (failure) return reject(failure);
      pending.push({ resolve: resolve as (m: WorkerReply) => void, reject });
      worker.postMessage(request, transfer);
    });
  const close = async () => {
    release();
    failure ??= new Error('the import is finished');
    await worker.terminate().catch(() => undefined);
  };
  try {
    // the bytes move to the worker rather than being copied
    const own = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice());
    const moved: ImportSource = 'csv' in source ? { csv: own(source.csv) } : { chunks: source.chunks.map(own), contentType: source.contentType };
    const buffers = ('csv' in moved ? [moved.csv] : moved.chunks).map((b) => b.buffer as ArrayBuffer);
    const { summary } = await ask(
      { type: 'prepare', source: moved, map: opts.map, maxRows: opts.maxRows, locale: opts.locale ?? 'en', skipInvalid: opts.skipInvalid ?? false },
      'prepared',
      buffers,
    );
    return {
      summary,
      rows: async (from, count) => (await ask({ type: 'rows', from, count }, 'rows')).rows,
      records: async (lines) => (await ask({ type: 'records', lines }, 'records')).records,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
