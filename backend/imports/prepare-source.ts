/**
 * An import's source (a file, or the request body holding one) read and
 * prepared, with what went wrong as a reply rather than a throw: the same
 * on the server's thread (a small upload) and in the worker (a large one).
 */
import { type CsvRecord, ImportFileError } from './csv.js';
import { type PrepareOptions, prepareImport } from './prepare.js';
import type { ImportRow } from './rows.js';
import { parseUpload, type Upload, UploadError } from './upload.js';
import { type ImportSource, joinChunks, type PreparedSummary, type WorkerReply } from './worker-protocol.js';

export type Prepared = { type: 'prepared'; summary: Omit<PreparedSummary, 'threadId'>; rows: ImportRow[]; source?: CsvRecord[] };

export async function prepareSource(
  source: ImportSource,
  opts: Required<Pick<PrepareOptions, 'map' | 'maxRows' | 'locale'>> & Pick<PrepareOptions, 'onProgress'> & { skipInvalid: boolean },
): Promise<Prepared | Extract<WorkerReply, { type: 'file-error' | 'upload-error' }>> {
  try {
    const upload: Upload | undefined = 'chunks' in source ? await parseUpload(joinChunks(source.chunks), source.contentType) : undefined;
    const bytes = upload ? upload.bytes : (source as { csv: Uint8Array }).csv;
    const skipInvalid = upload ? upload.skipInvalid : opts.skipInvalid;
    const {
      rows,
      source: records,
      ...summary
    } = prepareImport(bytes, {
      map: upload ? upload.map : opts.map,
      maxRows: opts.maxRows,
      locale: opts.locale,
      keepRecords: skipInvalid,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    const options = upload
      ? { dryRun: upload.dryRun, skipInvalid: upload.skipInvalid, map: upload.map, ...(upload.fileName ? { fileName: upload.fileName } : {}) }
      : undefined;
    return {
      type: 'prepared',
      summary: { ...summary, rowCount: rows.length, ...(options ? { upload: options } : {}) },
      rows,
      ...(records ? { source: records } : {}),
    };
  } catch (e) {
    if (e instanceof ImportFileError) return { type: 'file-error', key: e.key, params: e.params };
    if (e instanceof UploadError) return { type: 'upload-error', key: e.key, params: e.params, ...(e.details !== undefined ? { details: e.details } : {}) };
    throw e;
  }
}
