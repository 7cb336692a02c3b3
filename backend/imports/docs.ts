import * as z from 'zod';
import { errors, type RouteDoc } from '../openapi-kit.js';
import { ErrorBody } from '../schemas.js';
import { ExportQuery, ImportJsonBody } from './routes.js';

const Line = z.object({ line: z.number().int(), message: z.string() });

export const ImportReport = z.object({
  dryRun: z.boolean(),
  written: z.boolean().describe('true when the new contacts were written'),
  format: z.enum(['google', 'google-legacy', 'hubspot', 'plain']),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'shift_jis']),
  mapping: z.record(z.string(), z.array(z.string())).describe('each field and the header(s) it was read from'),
  rows: z.number().int(),
  newContacts: z.number().int().describe('made, or that a dry run would make'),
  newCompanies: z.number().int(),
  rejectedRows: z.number().int(),
  rejected: z.array(Line.extend({ reason: z.string(), details: z.record(z.string(), z.unknown()) })),
  existing: z.array(Line.extend({ email: z.string(), contact: z.object({ id: z.string(), name: z.string() }) })),
  importId: z.string().nullable(),
  summary: z.string(),
});

const ExportedContact = z.object({
  id: z.string(),
  name: z.string(),
  emails: z.array(z.string()),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  company: z.object({ name: z.string(), domain: z.string().nullable() }).nullable(),
  stage: z.string(),
  owner: z.string().nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  timezone: z.string().nullable(),
  lastInteractionAt: z.string().nullable(),
  createdAt: z.string(),
});

/** The OpenAPI entries of imports and exports. */
export const importDocs: RouteDoc[] = [
  {
    method: 'post', path: '/api/imports',
    summary:
      'Import contacts from a CSV: Google Contacts, HubSpot, or any CSV with a header row (English or Japanese headers; UTF-8 with or without BOM, ' +
      'or Shift_JIS). Send multipart/form-data with a `file` field (optional `dryRun`=true and `map` fields of `field=Header`), or the JSON below. ' +
      'All or nothing: a rejected row writes nothing and answers 422 with the report; an address Rapport already holds is reported as existing and skipped.',
    body: ImportJsonBody,
    responses: {
      201: { description: 'Contacts written; the report', schema: ImportReport },
      200: { description: 'A dry run, or a file with nothing new; the same report', schema: ImportReport },
      ...errors(400, 401, 403),
      413: { description: 'File over 50 MB', schema: ErrorBody },
      422: { description: 'Rows rejected, nothing written; error.details is the report, each rejected row with its line and reason', schema: ErrorBody },
    },
  },
  {
    method: 'get', path: '/api/contacts/export',
    summary: "Everything the workspace holds about its contacts, as CSV (UTF-8 with BOM, readable by the import) or JSON",
    query: ExportQuery,
    responses: {
      200: { description: 'text/csv, or JSON {count, items}', schema: z.object({ count: z.number().int(), items: z.array(ExportedContact) }) },
      ...errors(400, 401, 403),
    },
  },
];
