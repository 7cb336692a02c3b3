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
        skipInvalid: {
          type: 'string',
          enum: ['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'],
          description: 'true: write the valid rows; the rejected ones come back as rejectedCsv (default: all or nothing)',
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
    skipInvalid: z.boolean().describe('true: the valid rows were written and the rejected ones are in rejectedCsv'),
    format: z.enum(['google', 'google-legacy', 'hubspot', 'plain']),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'shift_jis']),
    mapping: z.record(z.string(), z.array(z.string())).describe('each field and the header(s) it was read from'),
    ignored: z.array(z.string()).describe('headers of the columns nothing reads (ids, photos, the type beside a value)'),
    stageValues: z.record(z.string(), z.enum(['lead', 'prospect', 'customer', 'churned'])).describe('values `stage=Header:VIP=customer` gave a stage'),
    rows: z.number().int().describe('data rows in the file (the header not counted)'),
    imported: z.number().int().describe('contacts written'),
    skipped: z.number().int().describe('rows rejected, so not written (with skipInvalid: in rejectedCsv)'),
    newContacts: z.number().int().describe('made, or that a dry run would make'),
    newCompanies: z.number().int(),
    rejectedRows: z.number().int(),
    rejected: z.array(z.strictObject({ ...Line, reason: z.string().describe('a message key'), details: JsonObject })),
    existing: z.array(z.strictObject({ ...Line, email: z.string(), contact: z.strictObject({ id: Uuid, name: z.string() }) })),
    importId: Uuid.nullable(),
    summary: z.string(),
    rejectedCsv: z
      .string()
      .optional()
      .describe("skipInvalid: the rejected rows as CSV (UTF-8 with BOM), the file's columns and a reason column; fix it and import it again"),
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
