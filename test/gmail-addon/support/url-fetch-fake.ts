/**
 * UrlFetchApp as Apps Script has it: synchronous, throwing `Exception: Request
 * failed for <origin> returned code <n>. …` on a status of 400 or more unless
 * muteHttpExceptions, following redirects unless followRedirects is false. The
 * requests are real (sync-fetch.ts) and may reach loopback only: any other URL
 * is recorded as a violation, which fails the add-on call even if the add-on
 * catches the error.
 *
 * Example (in the add-on):
 *   UrlFetchApp.fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${t}` }, muteHttpExceptions: true })
 *     .getResponseCode() → 200
 */
import { exception, toRealm, type RealmRef } from './realm.js';
import { contract } from '../../support/contract.js';
import type { SyncFetcher, SyncRequest, SyncResult } from './sync-fetch.js';

export interface FetchCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** the body as text (undefined without a payload) */
  payload?: string;
  /** null when no response came back */
  status: number | null;
  error?: string;
  ms: number;
}

export interface UrlFetchRecord {
  fetches: FetchCall[];
  /** things the add-on did that the harness does not allow (non-loopback fetches) */
  violations: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const USER_AGENT = 'Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: UAEmdDd-harness)';
const signedBytes = (bytes: Uint8Array) => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));

/** A Blob as Apps Script's (the subset an add-on reads). */
export function fakeBlob(realm: RealmRef, bytes: Uint8Array, contentType: string | null = null, name: string | null = null) {
  let type = contentType;
  let blobName = name;
  const blob: Record<string, unknown> = {
    getBytes: () => toRealm(realm.current, signedBytes(bytes)),
    getDataAsString: (charset?: string) => new TextDecoder(charset ?? 'utf-8').decode(bytes),
    getContentType: () => type,
    setContentType: (t: string) => ((type = t), blob),
    getName: () => blobName,
    setName: (n: string) => ((blobName = n), blob),
    copyBlob: () => fakeBlob(realm, bytes, type, blobName),
    isGoogleType: () => false,
  };
  return blob;
}

const asBytes = (v: unknown): Uint8Array | null => {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Uint8Array.from(v, (b) => b & 0xff);
  const blob = v as { getBytes?: () => number[] } | null;
  if (blob && typeof blob.getBytes === 'function') return Uint8Array.from(blob.getBytes(), (b) => b & 0xff);
  return null;
};

export function createUrlFetchApp(realm: RealmRef, opts: { fetcher?: SyncFetcher; timeoutMs: number }, record: UrlFetchRecord) {
  const fail = (message: string) => exception(realm.current, message);

  /** Checks the URL and turns Apps Script params into the request sent; what getRequest returns. */
  function prepare(url: unknown, params: Record<string, any> = {}) {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      throw fail(`Invalid argument: ${String(url)}`);
    }
    if (parsed.protocol !== 'http:' || !LOOPBACK.has(parsed.hostname)) {
      const message = `harness: UrlFetchApp may only reach http://127.0.0.1 or localhost in tests; the add-on fetched ${parsed.href}`;
      record.violations.push(message);
      throw new Error(message);
    }
    const method = String(params.method ?? 'get').toUpperCase();
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
    let body: Uint8Array | null = null;
    const payload = params.payload;
    if (payload !== undefined && payload !== null) {
      if (method === 'GET' || method === 'HEAD') throw fail(`Invalid argument: payload (a ${method} request carries no payload; set method)`);
      let defaultType = 'application/x-www-form-urlencoded';
      body = asBytes(payload);
      if (body && typeof (payload as any).getContentType === 'function') defaultType = (payload as any).getContentType() ?? defaultType;
      if (!body && typeof payload === 'object') {
        // an object payload is sent as a form, as Apps Script does (blobs in it would make multipart: not faked)
        const entries = Object.entries(payload as Record<string, unknown>);
        if (entries.some(([, v]) => v !== null && typeof v === 'object')) throw fail('harness: multipart payloads are not faked');
        body = new TextEncoder().encode(entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&'));
      }
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type' && params.contentType) delete headers[k];
      if (params.contentType || !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = String(params.contentType ?? defaultType);
      }
    }
    return { url: parsed.href, method, headers, body, params };
  }

  function response(status: number, headerList: [string, string][], body: Uint8Array) {
    const headers: Record<string, string> = {};
    const all: Record<string, string | string[]> = {};
    for (const [k, v] of headerList) {
      headers[k] = v;
      const had = all[k];
      all[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
    }
    const contentType = headerList.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
    return {
      getResponseCode: () => status,
      getContentText: (charset?: string) => new TextDecoder(charset ?? 'utf-8').decode(body),
      getContent: () => toRealm(realm.current, signedBytes(body)),
      getHeaders: () => toRealm(realm.current, headers),
      getAllHeaders: () => toRealm(realm.current, all),
      getBlob: () => fakeBlob(realm, body, contentType),
      getAs: (type: string) => fakeBlob(realm, body, type),
    };
  }

  /** Sends prepared requests together; redirects and errors are then handled one by one, in order. */
  function send(prepared: ReturnType<typeof prepare>[]) {
    if (!opts.fetcher) throw new Error('harness: UrlFetchApp has no fetcher; pass loadAddon({ fetcher: backend.fetcher })');
    const toSync = (p: ReturnType<typeof prepare>): SyncRequest => ({
      url: p.url,
      method: p.method,
      headers: p.headers,
      body: p.body,
      timeoutMs: opts.timeoutMs,
    });
    const first = opts.fetcher.fetchAllSync(prepared.map(toSync));
    return prepared.map((p, i) => {
      let current = p;
      let result: SyncResult = first[i]!;
      for (let hops = 0; ; hops++) {
        const text = current.body ? new TextDecoder().decode(current.body) : undefined;
        record.fetches.push({
          url: current.url,
          method: current.method,
          headers: current.headers,
          payload: text,
          status: result.ok ? result.status : null,
          ...(result.ok ? {} : { error: result.message }),
          ms: result.ms,
        });
        if (!result.ok) throw fail(result.error === 'timeout' ? `Timeout: ${current.url}` : `Address unavailable: ${current.url}`);
        const location = result.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
        if (current.params.followRedirects === false || !location || ![301, 302, 303, 307, 308].includes(result.status) || hops >= 5) break;
        const keepBody = result.status === 307 || result.status === 308;
        current = prepare(new URL(location, current.url).href, {
          ...current.params,
          method: keepBody ? current.method : 'get',
          payload: keepBody ? current.params.payload : undefined,
        });
        result = opts.fetcher!.fetchSync(toSync(current));
      }
      const body = result.body;
      // what the backend answers the add-on is held to the API contract (the stand-in's answers are not the backend's)
      if (new URL(current.url).origin !== new URL(opts.fetcher!.standInUrl).origin) {
        const header = (name: string) => result.headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
        const problems = contract().check(current.method.toUpperCase(), current.url, {
          status: result.status,
          contentType: header('content-type') ?? '',
          text: new TextDecoder().decode(body),
          allow: header('allow'),
        });
        record.violations.push(...problems.map((p) => `harness: the backend's answer breaks the API contract: ${p}`));
      }
      if (result.status >= 400 && !current.params.muteHttpExceptions) {
        const text = new TextDecoder().decode(body.subarray(0, 400));
        const truncated = text.length > 100 ? `${text.slice(0, 100)}...` : text;
        throw fail(
          `Request failed for ${new URL(current.url).origin} returned code ${result.status}. Truncated server response: ${truncated} (use muteHttpExceptions option to examine full response)`,
        );
      }
      return response(result.status, result.headers, body);
    });
  }

  const split = (r: unknown): [unknown, Record<string, any>] =>
    typeof r === 'string' ? [r, {}] : [(r as { url?: unknown })?.url, (r ?? {}) as Record<string, any>];

  return {
    fetch: (url: string, params?: Record<string, any>) => send([prepare(url, params ?? {})])[0],
    fetchAll: (requests: unknown[]) => toRealm(realm.current, send(Array.from(requests, (r) => prepare(...split(r))))),
    getRequest: (url: string, params?: Record<string, any>) => {
      const p = prepare(url, params ?? {});
      return toRealm(realm.current, {
        url: p.url,
        method: p.method.toLowerCase(),
        headers: p.headers,
        payload: p.body ? new TextDecoder().decode(p.body) : '',
      });
    },
  };
}
