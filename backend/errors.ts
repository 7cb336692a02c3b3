import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Locale, type MessageKey, isMessageKey, pickLocale, t } from './i18n/messages.js';

/** An answer the caller should read: a status, a catalogue key, parameters. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly key: MessageKey,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(key);
    this.name = 'ApiError';
  }
}

/** The reader's locale: their member setting once known, else Accept-Language. */
export function localeOf(c: Context): Locale {
  return (c.get('principal' as never) as { locale?: Locale } | undefined)?.locale ?? pickLocale(c.req.header('accept-language'));
}

/** {"error": {"code", "message", "details"?}} in the reader's language. */
export function errorResponse(c: Context, err: ApiError) {
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: err.key, message: t(localeOf(c), err.key, err.params) },
  };
  if (err.details !== undefined) body.error.details = err.details;
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(body, err.status);
}

/** A DbError's key and details as an ApiError; unknown keys fall back to a generic one. */
export function fromDb(status: number, key: string, details: Record<string, unknown>): ApiError {
  const contact = details.contact as { name?: string } | undefined;
  const params = { ...details, contactName: contact?.name };
  const code = (isMessageKey(key) ? key : status === 404 ? 'route_not_found' : 'invalid_value') as MessageKey;
  const allowed = [400, 401, 403, 404, 409, 413, 422, 429];
  return new ApiError((allowed.includes(status) ? status : 400) as ContentfulStatusCode, code, params, Object.keys(details).length ? details : undefined);
}
