import type { JSONValue } from 'hono/utils/types';
import * as z from 'zod';

/**
 * Building blocks shared by the route schemas. Text never holds NUL (PostgreSQL
 * cannot store it) and is bounded; ids are 8-4-4-4-12 hex.
 */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(max)
    .refine((s) => !s.includes('\u0000'), {
      message: 'must not contain NUL characters',
    });

export const Id = z.guid({ message: 'must be an id (8-4-4-4-12 hex)' });

/** 'Jane@Acme.co.jp' and 'jane+x@例え.jp' pass; 'jane', 'a@b', 'a b@c.d' do not. */
export const Email = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>()[\]\\,;:"\u0000-\u001f]+@[^\s@<>()[\]\\,;:"\u0000-\u001f]+\.[^\s@<>()[\]\\,;:"\u0000-\u001f.]+$/, {
    message: 'must be an email address',
  });

/** 'acme.co.jp', '例え.jp'; lower-cased */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u, {
    message: 'must be a domain like acme.com',
  });

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);
/** ISO 8601 with an offset, between 1970 and 2200. */
export const Timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, like 2026-11-24T09:00:00+09:00' }).refine(
  (s) => {
    const t = Date.parse(s);
    return t >= MIN_TIME && t < MAX_TIME;
  },
  { message: 'must be between 1970 and 2200' },
);

export const TimeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone like Asia/Tokyo' },
  );

export const Stage = z.enum(['lead', 'prospect', 'customer', 'churned']);

export const Limit = (max: number) => z.coerce.number().int().min(1).max(max);

/** Custom fields: up to 50 keys of scalar values. */
export const Custom = z
  .record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^\u0000]+$/),
    z.union([text(2000), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((o) => Object.keys(o).length <= 50, { message: 'at most 50 custom fields' });

export const Tags = z.array(requiredText(64)).max(50);

// --- what answers are made of (each object closed: a field the document does not name is a bug) ---

/** Any JSON value: what an audit entry recorded of a row, an error's details (typed as Hono's, so a typed client reads it unchanged). */
export const JsonValue: z.ZodType<JSONValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]))
  .meta({ id: 'JsonValue' });
/** A JSON object of any fields (a snapshot of a row as it was). */
export const JsonObject = z.record(z.string(), JsonValue);

/** An id as the database writes it. */
export const Uuid = z.string().meta({ format: 'uuid' });
/** A time as the database writes it: '2026-11-24T09:00:00.123456+00:00'. */
export const Time = z.string().meta({ format: 'date-time' });
/** A day: '2026-11-24'. */
export const Day = z.string().meta({ format: 'date' });
export const LocaleCode = z.enum(['en', 'ja', 'zh']);
export const Role = z.enum(['rep', 'manager', 'admin']);

/** A member as other records name them. */
export const MemberBrief = z.strictObject({ id: Uuid, name: z.string(), email: z.string() }).meta({ id: 'MemberBrief' });
export type MemberBrief = z.infer<typeof MemberBrief>;
/** Custom fields as stored: scalars by key. */
export const CustomValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const ErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('a stable key, e.g. invalid_request, contact_not_found'),
      message: z.string().describe("a sentence in the reader's language (en, ja, zh)"),
      details: JsonValue.optional().describe('what the code needs said: the wrong fields, a report, a reference to the log'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
