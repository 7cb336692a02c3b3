/**
 * The backend, over UrlFetchApp, as the rep: every call carries the rep's
 * Google ID token (ScriptApp.getIdentityToken), which the backend verifies.
 * The add-on holds no secret. Failures become typed errors the cards turn
 * into an error card (unreachable, no access) or a field message (invalid).
 */

/** Set at build time from RAPPORT_PUBLIC_URL (esbuild define); a Script Property overrides it. */
declare const RAPPORT_BUILD_URL: string;

export class ApiError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'access' | 'invalid' | 'not_found' | 'conflict' | 'config',
    message: string,
    readonly status = 0,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function baseUrl(): string {
  const prop = PropertiesService.getScriptProperties().getProperty('RAPPORT_PUBLIC_URL');
  const url = (prop || (typeof RAPPORT_BUILD_URL === 'string' ? RAPPORT_BUILD_URL : '') || '').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new ApiError('config', 'RAPPORT_PUBLIC_URL is not set');
  return url;
}

export interface Caller {
  locale: string;
}

/**
 * One backend call: JSON in, JSON out.
 *   api<{ items: unknown[] }>('GET', '/api/contacts?q=acme', undefined, caller)
 */
export function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, caller: Caller): T {
  const url = baseUrl() + path;
  let res: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    res = UrlFetchApp.fetch(url, {
      method: method.toLowerCase() as GoogleAppsScript.URL_Fetch.HttpMethod,
      headers: { authorization: `Bearer ${ScriptApp.getIdentityToken()}`, 'accept-language': caller.locale },
      ...(body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(body) }),
      muteHttpExceptions: true,
      followRedirects: false,
    });
  } catch (e) {
    // DNS, refused connection, Apps Script's own time limit on the fetch
    throw new ApiError('unavailable', String((e as Error).message ?? e).slice(0, 200));
  }
  const status = res.getResponseCode();
  let data: unknown = null;
  try {
    data = JSON.parse(res.getContentText() || 'null');
  } catch {
    data = null;
  }
  if (status >= 200 && status < 300) return data as T;
  const err = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
  const message = err?.message ?? `HTTP ${status}`;
  const details = { ...(err?.details ?? {}), code: err?.code ?? '' };
  if (status === 401 || status === 403) throw new ApiError('access', message, status, details);
  if (status === 404) throw new ApiError('not_found', message, status, details);
  if (status === 409) throw new ApiError('conflict', message, status, details);
  if (status >= 400 && status < 500) throw new ApiError('invalid', message, status, details);
  throw new ApiError('unavailable', message, status, details);
}
