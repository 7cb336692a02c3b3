import * as z from 'zod';
import { ApiError, localeOf } from '../errors.js';
import { callerOf } from '../http.js';
import type { MessageKey } from '../i18n/messages.js';
import { ERROR_TEXT, memberRoute, ok, router } from '../openapi/route.js';
import { ErrorBody } from '../schemas.js';
import { ImportFileError } from './csv.js';
import { exportContacts, renderExport } from './export.js';
import { ContactExport, ExportQuery, ImportBodies, ImportReport } from './schemas.js';
import { importUpload, localizeReport } from './service.js';
import { UploadError } from './upload.js';

/** a file over what one import takes: more rows than the limit, or more than the worker's memory */
const TOO_LARGE = new Set(['import_too_many_rows', 'import_too_big']);

const tags: ['imports'] = ['imports'];

/**
 * POST /api/imports: a CSV (multipart/form-data `file`, optional `dryRun`,
 * `skipInvalid` and `map` fields, or JSON {csv, dryRun?, skipInvalid?, map?}).
 * 201 when contacts were written, 200 for a dry run or a file with nothing
 * new, 422 (nothing written, the report in details) when a row was rejected
 * and the import was all or nothing; with skipInvalid the valid rows are
 * written and the rejected ones come back as rejectedCsv.
 */
export const importRoutes = router().openapi(
  memberRoute({
    method: 'post',
    path: '/',
    operationId: 'importContacts',
    tags,
    summary: 'Import contacts from a CSV: Google Contacts, HubSpot, or any CSV with a header row',
    description:
      'English or Japanese headers; UTF-8 with or without BOM, UTF-16 with BOM, or Shift_JIS. Send multipart/form-data with a `file` ' +
      'field (optional `dryRun`=true, `skipInvalid`=true and `map` fields of `field=Header`), or JSON {csv, dryRun?, skipInvalid?, map?, ' +
      'fileName?}; any other body answers 400 import_file_missing. All or nothing by default: a rejected row writes nothing and ' +
      'answers 422 with the report. With skipInvalid the valid rows are written (201) and the rejected ones come back in the ' +
      "answer's `rejectedCsv`: the file's columns and a reason column in the reader's language, ready to fix and import again " +
      '(the reason column is left out then). `imported`, `skipped` count the rows written and rejected; `existing` lists the rows ' +
      'whose address Rapport already holds (left as they are, merge offered: /crm duplicates, or the contact page /c/<id>). ' +
      '`stage=Header:VIP=customer` in `map` names the stage of a value; `ignored` lists the columns nothing reads.',
    // read as it arrives and prepared off the server's thread: the bodies are described, not validated here
    request: { body: { required: true, content: ImportBodies } },
    responses: {
      201: ok(ImportReport, 'Contacts written; the report'),
      200: ok(ImportReport, 'A dry run, or a file with nothing new; the same report'),
      400: {
        description: `${ERROR_TEXT[400]}; or no file, not a CSV, no name column, a mapping naming no header`,
        content: { 'application/json': { schema: ErrorBody } },
      },
      413: { description: 'File over 50 MB, or more rows than one import takes', content: { 'application/json': { schema: ErrorBody } } },
      422: {
        description: 'Rows rejected, nothing written; error.details is the report, each rejected row with its line and reason',
        content: { 'application/json': { schema: ErrorBody } },
      },
    },
  }),
  async (c) => {
    const locale = localeOf(c);
    const { db, imports, publicUrl } = c.get('deps');
    // the body as it came, each chunk copied as it arrives (its form or JSON
    // read, and the chunks joined, where the file is prepared: for a large
    // one, off this thread)
    const chunks: Uint8Array[] = [];
    if (c.req.raw.body) for await (const chunk of c.req.raw.body) chunks.push(chunk.slice());
    let report;
    try {
      report = await importUpload(db, callerOf(c), chunks, c.req.header('content-type') ?? '', {
        locale,
        ...(imports?.maxRows ? { maxRows: imports.maxRows } : {}),
        ...(imports?.partRows ? { partRows: imports.partRows } : {}),
      });
    } catch (e) {
      if (e instanceof UploadError) throw new ApiError(400, e.key, e.params, e.details);
      if (e instanceof ImportFileError) throw new ApiError(TOO_LARGE.has(e.key) ? 413 : 400, e.key as MessageKey, e.params);
      throw e;
    }
    // the localized report: its rows' details are the JSON the checks wrote
    const out = localizeReport(report, locale, publicUrl ? { publicUrl } : {}) as z.infer<typeof ImportReport>;
    if (report.rejectedRows > 0 && !report.dryRun && !report.skipInvalid) {
      throw new ApiError(422, 'import_rejected', { count: report.rejectedRows }, out);
    }
    return report.written ? c.json(out, 201) : c.json(out, 200);
  },
);

/** GET /api/contacts/export?format=csv|json (mounted before the contact routes, so 'export' is never taken for an id) */
export const exportRoutes = router().openapi(
  memberRoute({
    method: 'get',
    path: '/',
    operationId: 'exportContacts',
    tags,
    summary: 'Everything the workspace holds about its contacts, as CSV (UTF-8 with BOM, readable by the import) or JSON',
    request: { query: ExportQuery },
    responses: {
      200: {
        description: 'format=csv (the default): the CSV; format=json: {count, items}',
        headers: {
          'Content-Disposition': {
            description: 'attachment; filename="rapport-contacts-<date>.csv" (or .json)',
            schema: { type: 'string' },
          },
        },
        content: {
          'text/csv': { schema: z.string().describe('a header row, then one row per contact; custom fields as custom.<key> columns') },
          'application/json': { schema: ContactExport },
        },
      },
    },
  }),
  async (c) => {
    const { format } = c.req.valid('query');
    const caller = callerOf(c);
    const out = renderExport(await exportContacts(c.get('deps').db, caller), format, new Date(caller.now));
    return c.body(out.body, 200, { 'content-type': out.contentType, 'content-disposition': `attachment; filename="${out.fileName}"` });
  },
);
