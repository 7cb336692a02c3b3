import { randomUUID } from 'node:crypto';
import type { CallerContext, Db } from '../../db/port.js';
import { DbError } from '../../db/port.js';
import { type Locale, LOCALES } from '../../i18n/messages.js';
import { ImportFileError } from '../../imports/csv.js';
import { type ImportReport, importUpload, localizeReport, type Phase } from '../../imports/service.js';
import { UploadError } from '../../imports/upload.js';
import type { AppDeps } from '../../types.js';

/**
 * An import from the admin page: the upload's body is read as POST
 * /api/imports reads it (chunks as they arrive, within the same 50 MB), its
 * row made (api.web_import_start), and the browser answered at once; the
 * import then runs through the same importUpload as the API's, writing its
 * progress and, at the end, its report or its refusal into that row, which
 * the import's page shows (from any copy of the server).
 */

/** The lists of a stored report are cut here; the counts and the summary say the whole. */
export const STORED_ROWS = 1000;

/** A report as stored: the lists cut to STORED_ROWS, the summary in each language. */
export type StoredReport = ImportReport & { rejectedTotal: number; existingTotal: number; summaries: Record<string, string> };

/** A file that could not be read, as the page says it. */
export interface StoredError {
  status: number;
  key: string;
  params: Record<string, unknown>;
}

/**
 * The file's name in a multipart body, read from its first part's headers
 * (the form puts the file first), for the page's title only.
 *   fileNameIn(utf8('--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n')) = 'a.csv'
 */
export function fileNameIn(first: Uint8Array | undefined): string | undefined {
  if (!first) return undefined;
  const head = new TextDecoder('utf-8').decode(first.subarray(0, 4096));
  const name = /name="file"; filename="([^"\r\n]{1,255})"/.exec(head)?.[1];
  return name ? name.replace(/%22/g, '"') : undefined;
}

/** At most one progress write in flight, and one each quarter second: the import's own calls come first. */
function progressWriter(db: Db, ctx: CallerContext, id: string) {
  let last = 0;
  let busy = false;
  return (phase: Phase, done: number, total: number) => {
    const now = performance.now();
    if (busy || now - last < 250) return;
    busy = true;
    last = now;
    db.call('web_import_progress', ctx, { id, phase, done, total })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };
}

function stored(report: ImportReport): StoredReport {
  const summaries: Record<string, string> = {};
  for (const locale of LOCALES) {
    const { rejectedFile: _file, ...counts } = report;
    summaries[locale] = localizeReport({ ...counts, rejected: [] }, locale).summary ?? '';
  }
  const rejected = report.rejected.slice(0, STORED_ROWS);
  const kept = new Set(rejected.map((r) => r.line));
  return {
    ...report,
    // the rejected rows' CSV holds the rows the page lists
    ...(report.rejectedFile
      ? { rejectedFile: { header: report.rejectedFile.header, records: report.rejectedFile.records.filter((r) => kept.has(r.line)) } }
      : {}),
    rejected,
    existing: report.existing.slice(0, STORED_ROWS),
    rejectedTotal: report.rejected.length,
    existingTotal: report.existing.length,
    summaries,
  };
}

function refusal(e: unknown, deps: AppDeps): StoredError {
  if (e instanceof UploadError) return { status: 400, key: e.key, params: e.params };
  if (e instanceof ImportFileError) return { status: e.key === 'import_too_many_rows' || e.key === 'import_too_big' ? 413 : 400, key: e.key, params: e.params };
  if (e instanceof DbError) return { status: e.status, key: e.key, params: e.details };
  const ref = randomUUID().slice(0, 8);
  (deps.logError ?? ((r: string, err: unknown) => console.error(`[rapport] error ${r}:`, err instanceof Error ? err.stack : err)))(ref, e);
  return { status: 500, key: 'internal_error', params: { ref } };
}

/**
 * Reads the upload, starts its import, and answers the import's id once the
 * body is read; `finished` settles when the import has ended (tests wait on it).
 */
export async function startWebImport(
  deps: AppDeps,
  ctx: CallerContext,
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
  /** the importer's locale: readings computed from names (pinyin for zh) */
  locale: Locale = 'en',
): Promise<{ id: string; finished: Promise<void> }> {
  const chunks: Uint8Array[] = [];
  if (body) for await (const chunk of body) chunks.push(chunk.slice());
  const { db, imports } = deps;
  const { id } = await db.call<{ id: string }>('web_import_start', ctx, { fileName: fileNameIn(chunks[0]) ?? '' });
  const finished = importUpload(db, ctx, chunks, contentType, {
    locale,
    ...(imports?.maxRows ? { maxRows: imports.maxRows } : {}),
    ...(imports?.partRows ? { partRows: imports.partRows } : {}),
    onProgress: progressWriter(db, ctx, id),
  })
    .then(
      (report) => db.call('web_import_finish', ctx, { id, report: stored(report) }),
      (e: unknown) => db.call('web_import_finish', ctx, { id, error: refusal(e, deps) }),
    )
    .then(() => undefined)
    .catch((e: unknown) => {
      refusal(e, deps);
    });
  return { id, finished };
}
