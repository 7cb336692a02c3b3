import type { RouteConfig } from '@hono/zod-openapi';
import * as z from 'zod';
import { CustomValues, JsonObject, Time, Uuid } from '../schemas.js';
import { ImportJsonBody, MAX_IMPORT_CHARS } from './upload.js';

export { ImportJsonBody, MAX_IMPORT_CHARS };

export const ExportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('csv') });

/**
 * The forms of an upload, as JSON Schema rather than zod: the body is read
 * where the import is prepared (a worker thread, for a large file), never
 * parsed on the server's thread by a validator.
 */
const { $schema: _dialect, ...importJson } = z.toJSONSchema(ImportJsonBody, { io: 'input' });
export const ImportBodies: NonNullable<NonNullable<RouteConfig['request']>['body']>['content'] = {
  'multipart/form-data': {
    schema: {
      type: 'object',
      properties: {
        file: {
          type: 'string',
          contentMediaType: 'text/csv',
          description: 'the CSV: UTF-8 with or without BOM, UTF-16 with BOM, or Shift_JIS',
        },
        dryRun: {
          type: 'string',
          enum: ['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'],
          description: 'true: report what would happen, write nothing',
        },
        map: {
          type: 'array',
          items: { type: 'string', maxLength: 400 },
          description: '`field=Header` overrides of the guessed mapping, one per field or line',
        },
      },
      required: ['file'],
      additionalProperties: false,
    },
  },
  'application/json': { schema: importJson as object },
};

const Line = {
  line: z.number().int().describe('the line of the file, the header being line 1'),
  message: z.string().describe("the row's problem as a sentence"),
};

export const ImportReport = z
  .strictObject({
    dryRun: z.boolean(),
    written: z.boolean().describe('true when the new contacts were written'),
    format: z.enum(['google', 'google-legacy', 'hubspot', 'plain']),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'shift_jis']),
    mapping: z.record(z.string(), z.array(z.string())).describe('each field and the header(s) it was read from'),
    rows: z.number().int().describe('data rows in the file (the header not counted)'),
    newContacts: z.number().int().describe('made, or that a dry run would make'),
    newCompanies: z.number().int(),
    rejectedRows: z.number().int(),
    rejected: z.array(z.strictObject({ ...Line, reason: z.string().describe('a message key'), details: JsonObject })),
    existing: z.array(z.strictObject({ ...Line, email: z.string(), contact: z.strictObject({ id: Uuid, name: z.string() }) })),
    importId: Uuid.nullable(),
    summary: z.string(),
  })
  .meta({ id: 'ImportReport' });

export const ExportedContact = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    emails: z.array(z.string()),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    company: z.strictObject({ name: z.string(), domain: z.string().nullable() }).nullable(),
    stage: z.enum(['lead', 'prospect', 'customer', 'churned']),
    owner: z.string().nullable().describe("the owner's email"),
    tags: z.array(z.string()),
    custom: CustomValues,
    timezone: z.string().nullable(),
    lastInteractionAt: Time.nullable(),
    createdAt: Time,
  })
  .meta({ id: 'ExportedContact' });
export const ContactExport = z.strictObject({ count: z.number().int(), items: z.array(ExportedContact) }).meta({ id: 'ContactExport' });

export type ImportReport = z.infer<typeof ImportReport>;
export type ContactExport = z.infer<typeof ContactExport>;
