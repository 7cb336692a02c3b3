import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { ApiError, localeOf } from '../errors.js';
import { callerOf, invalidRequest, validate } from '../http.js';
import type { MessageKey } from '../i18n/messages.js';
import type { AppEnv } from '../types.js';
import { ImportFileError } from './csv.js';
import { exportContacts, renderExport } from './export.js';
import { importCsv, localizeReport } from './service.js';

export const MAX_IMPORT_CHARS = 50 * 1024 * 1024;

/** The JSON form of an import, for programs that hold the CSV as text. */
export const ImportJsonBody = z.strictObject({
  csv: z.string().min(1).max(MAX_IMPORT_CHARS),
  dryRun: z.boolean().optional(),
  map: z.array(z.string().max(400)).max(100).optional(),
  fileName: z.string().max(255).optional(),
});

export const ExportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('csv') });

const FORM_FIELDS = new Set(['file', 'dryRun', 'map']);
/** a file over what one import takes: more rows than the limit, or more than the worker's memory */
const TOO_LARGE = new Set(['import_too_many_rows', 'import_too_big']);

function flag(v: unknown, field: string): boolean {
  if (v === undefined) return false;
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (['true', '1', 'on', 'yes'].includes(s)) return true;
  if (['false', '0', 'off', 'no', ''].includes(s)) return false;
  throw new ApiError(400, 'invalid_request', { fields: field });
}

/** What an upload holds: the file's bytes and the options beside it (multipart form or JSON). */
async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; dryRun: boolean; map: string[]; fileName?: string }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new ApiError(400, 'malformed_json');
    }
    const body = ImportJsonBody.safeParse(raw);
    if (!body.success) {
      throw invalidRequest(body.error, 'json');
    }
    const { csv, dryRun, map, fileName } = body.data;
    return { bytes: new TextEncoder().encode(csv), dryRun: dryRun ?? false, map: map ?? [], ...(fileName ? { fileName } : {}) };
  }
  if (!type.startsWith('multipart/form-data')) throw new ApiError(400, 'import_file_missing');
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new ApiError(400, 'import_file_missing');
  }
  const unknown = Object.keys(form).filter((k) => !FORM_FIELDS.has(k));
  if (unknown.length) throw new ApiError(400, 'invalid_request', { fields: unknown.join(', ') });
  const file = form.file;
  if (!(file instanceof File)) throw new ApiError(400, 'import_file_missing');
  const dryRun = flag(Array.isArray(form.dryRun) ? form.dryRun.at(-1) : form.dryRun, 'dryRun');
  const maps = form.map === undefined ? [] : Array.isArray(form.map) ? form.map : [form.map];
  if (maps.some((m) => typeof m !== 'string')) throw new ApiError(400, 'invalid_request', { fields: 'map' });
  const map = (maps as string[]).flatMap((m) => m.split(/\r?\n/)).map((m) => m.trim()).filter(Boolean);
  return { bytes: new Uint8Array(await file.arrayBuffer()), dryRun, map, ...(file.name ? { fileName: file.name.slice(0, 255) } : {}) };
}

/**
 * POST /api/imports: a CSV (multipart/form-data `file`, optional `dryRun`
 * and `map` fields, or JSON {csv, dryRun?, map?}). 201 when contacts were
 * written, 200 for a dry run or a file with nothing new, 422 (nothing written,
 * the report in details) when a row was rejected.
 */
export const importRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const upload = await readUpload(c);
  const locale = localeOf(c);
  let report;
  try {
    const { db, imports } = c.get('deps');
    report = await importCsv(db, callerOf(c), upload.bytes, {
      dryRun: upload.dryRun,
      map: upload.map,
      ...(imports?.maxRows ? { maxRows: imports.maxRows } : {}),
      ...(imports?.partRows ? { partRows: imports.partRows } : {}),
      ...(upload.fileName ? { fileName: upload.fileName } : {}),
    });
  } catch (e) {
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
