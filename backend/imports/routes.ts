import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError, localeOf } from '../errors.js';
import { callerOf, validate } from '../http.js';
import type { MessageKey } from '../i18n/messages.js';
import type { AppEnv } from '../types.js';
import { ImportFileError } from './csv.js';
import { exportContacts, renderExport } from './export.js';
import { importUpload, localizeReport } from './service.js';
import { UploadError } from './upload.js';

export { ImportJsonBody, MAX_IMPORT_CHARS } from './upload.js';

export const ExportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('csv') });

/** a file over what one import takes: more rows than the limit, or more than the worker's memory */
const TOO_LARGE = new Set(['import_too_many_rows', 'import_too_big']);

/**
 * POST /api/imports: a CSV (multipart/form-data `file`, optional `dryRun`
 * and `map` fields, or JSON {csv, dryRun?, map?}). 201 when contacts were
 * written, 200 for a dry run or a file with nothing new, 422 (nothing written,
 * the report in details) when a row was rejected.
 */
export const importRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const locale = localeOf(c);
  const { db, imports } = c.get('deps');
  // the body as it came, each chunk copied as it arrives (its form or JSON
  // read, and the chunks joined, where the file is prepared: for a large
  // one, off this thread)
  const chunks: Uint8Array[] = [];
  if (c.req.raw.body) for await (const chunk of c.req.raw.body) chunks.push(chunk.slice());
  let report;
  try {
    report = await importUpload(db, callerOf(c), chunks, c.req.header('content-type') ?? '', {
      ...(imports?.maxRows ? { maxRows: imports.maxRows } : {}),
      ...(imports?.partRows ? { partRows: imports.partRows } : {}),
    });
  } catch (e) {
    if (e instanceof UploadError) throw new ApiError(400, e.key, e.params, e.details);
    if (e instanceof ImportFileError) throw new ApiError(TOO_LARGE.has(e.key) ? 413 : 400, e.key as MessageKey, e.params);
    throw e;
  }
  const out = localizeReport(report, locale);
  if (report.rejectedRows > 0 && !report.dryRun) {
    throw new ApiError(422, 'import_rejected', { count: report.rejectedRows }, out);
  }
  return c.json(out, report.written ? 201 : 200);
});

/** GET /api/contacts/export?format=csv|json (mounted before the contact routes, so 'export' is never taken for an id) */
export const exportRoutes = new Hono<AppEnv>().get('/', validate('query', ExportQuery), async (c) => {
  const { format } = c.req.valid('query');
  const caller = callerOf(c);
  const out = renderExport(await exportContacts(c.get('deps').db, caller), format, new Date(caller.now));
  return c.body(out.body, 200, { 'content-type': out.contentType, 'content-disposition': `attachment; filename="${out.fileName}"` });
});
