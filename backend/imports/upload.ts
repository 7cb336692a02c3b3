/**
 * What an import upload holds: the file's bytes and the options beside it,
 * from a multipart form (`file`, `dryRun`, `map`) or JSON ({csv, dryRun?,
 * map?, fileName?}). Decoded where the import is prepared (the worker, for
 * a large upload): parsing a 50 MB form or JSON body takes the better part
 * of a second, which the server's thread would spend holding every request.
 */
import * as z from 'zod';
import { describeIssues } from '../issues.js';

export const MAX_IMPORT_CHARS = 50 * 1024 * 1024;

/** The JSON form of an import, for programs that hold the CSV as text. */
export const ImportJsonBody = z.strictObject({
  csv: z.string().min(1).max(MAX_IMPORT_CHARS),
  dryRun: z.boolean().optional(),
  skipInvalid: z.boolean().optional().describe('import the valid rows; the rejected ones come back as rejectedCsv'),
  map: z.array(z.string().max(400)).max(100).optional(),
  fileName: z.string().max(255).optional(),
});

export interface Upload {
  bytes: Uint8Array;
  dryRun: boolean;
  skipInvalid: boolean;
  map: string[];
  fileName?: string;
}

/** An upload that is not one: a 400 with a catalogue key, its parameters and details. */
export class UploadError extends Error {
  constructor(
    readonly key: 'malformed_json' | 'invalid_request' | 'import_file_missing',
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(key);
    this.name = 'UploadError';
  }
}

const FORM_FIELDS = new Set(['file', 'dryRun', 'skipInvalid', 'map']);

function flag(v: unknown, field: string): boolean {
  if (v === undefined) return false;
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (['true', '1', 'on', 'yes'].includes(s)) return true;
  if (['false', '0', 'off', 'no', ''].includes(s)) return false;
  throw new UploadError('invalid_request', { fields: field });
}

/**
 * The upload in a request body of the given content type.
 *   await parseUpload(utf8('{"csv":"Name\\nJane\\n","dryRun":true}'), 'application/json')
 *     = { bytes: utf8('Name\nJane\n'), dryRun: true, map: [] }
 */
export async function parseUpload(body: Uint8Array, contentType: string): Promise<Upload> {
  const type = contentType.toLowerCase();
  if (type.startsWith('application/json')) {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      throw new UploadError('malformed_json');
    }
    const parsed = ImportJsonBody.safeParse(raw);
    if (!parsed.success) {
      const { fields, details } = describeIssues(parsed.error, 'json');
      throw new UploadError('invalid_request', { fields }, details);
    }
    const { csv, dryRun, skipInvalid, map, fileName } = parsed.data;
    return {
      bytes: new TextEncoder().encode(csv),
      dryRun: dryRun ?? false,
      skipInvalid: skipInvalid ?? false,
      map: map ?? [],
      ...(fileName ? { fileName } : {}),
    };
  }
  if (!type.startsWith('multipart/form-data')) throw new UploadError('import_file_missing');
  let form: FormData;
  try {
    form = await new Request('http://upload.invalid/', { method: 'POST', body, headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new UploadError('import_file_missing');
  }
  const unknown = [...new Set([...form.keys()].filter((k) => !FORM_FIELDS.has(k)))];
  if (unknown.length) throw new UploadError('invalid_request', { fields: unknown.join(', ') });
  const file = form.getAll('file').at(-1);
  if (!(file instanceof File)) throw new UploadError('import_file_missing');
  const dryRun = flag(form.getAll('dryRun').at(-1), 'dryRun');
  const skipInvalid = flag(form.getAll('skipInvalid').at(-1), 'skipInvalid');
  const maps = form.getAll('map');
  if (maps.some((m) => typeof m !== 'string')) throw new UploadError('invalid_request', { fields: 'map' });
  const map = (maps as string[])
    .flatMap((m) => m.split(/\r?\n/))
    .map((m) => m.trim())
    .filter(Boolean);
  return { bytes: new Uint8Array(await file.arrayBuffer()), dryRun, skipInvalid, map, ...(file.name ? { fileName: file.name.slice(0, 255) } : {}) };
}
