/**
 * Recording fakes of the Apps Script globals the Gmail add-on uses, to be the
 * only globals of the vm context that runs the bundle (see run-addon.ts):
 * CardService, GmailApp, UrlFetchApp, ScriptApp, PropertiesService, Session,
 * Logger, console, Utilities, LockService, CacheService.
 *
 * Example:
 *   const fakes = createAppsScriptFakes({ userEmail: 'sam.carter@rapport-demo.com', identityToken: 'eyJ…', fetcher })
 *   vm.createContext({ ...fakes.globals })
 *   fakes.recorded.fetches // → [{ url: 'http://127.0.0.1:…/api/me', method: 'GET', status: 200, … }]
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createCardService } from './card-service-fake.js';
import { createGmailApp, fakeGmail, type GmailFixtures } from './gmail-fake.js';
import { exception, hostRealm, toRealm, type RealmRef } from './realm.js';
import type { SyncFetcher } from './sync-fetch.js';
import { createUrlFetchApp, fakeBlob, type FetchCall } from './url-fetch-fake.js';

export { cardServiceApi, MAX_WIDGETS_PER_SECTION } from './card-service-fake.js';
export { fakeGmail, type FixtureMessage, type GmailFixtures } from './gmail-fake.js';
export type { FetchCall } from './url-fetch-fake.js';

export interface AppsScriptFakeOptions {
  gmail?: GmailFixtures;
  /** what ScriptApp.getIdentityToken() returns (a Google ID token from the test issuer) */
  identityToken?: string | null;
  oauthToken?: string;
  /** Session.getActiveUser().getEmail() and getEffectiveUser().getEmail() */
  userEmail?: string;
  /** Session.getActiveUserLocale(); default 'en' */
  userLocale?: string;
  /** Session.getScriptTimeZone(); default 'Asia/Tokyo' */
  scriptTimeZone?: string;
  scriptProperties?: Record<string, string>;
  userProperties?: Record<string, string>;
  /** the synchronous HTTP client behind UrlFetchApp (startBackend's fetcher) */
  fetcher?: SyncFetcher;
  /** per UrlFetchApp request; default 20 s */
  fetchTimeoutMs?: number;
  /** GmailApp needs setCurrentMessageAccessToken first, as with the current-message scopes; default true */
  requireGmailAccessToken?: boolean;
}

export interface LogEntry {
  source: 'Logger' | 'console';
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  message: string;
}

export interface Recorded {
  fetches: FetchCall[];
  logs: LogEntry[];
  sleeps: number[];
  gmailAccessTokens: string[];
  gmailReads: string[];
  /** names given to Action.setFunctionName, in order */
  functionNames: string[];
  violations: string[];
}

export interface AppsScriptFakes {
  /** the globals to put in the vm context, and nothing else */
  globals: Record<string, unknown>;
  recorded: Recorded;
  /** the vm realm the fakes make their errors, dates and arrays in; run-addon sets it */
  realm: RealmRef;
  /** changeable between calls: e.g. fakes.state.identityToken = null */
  state: { identityToken: string | null; oauthToken: string; userEmail: string };
  scriptProperties: Map<string, string>;
  userProperties: Map<string, string>;
  /** builders and built cards → plain data */
  toData(value: unknown): any;
  /** what a new Apps Script execution forgets (the Gmail per-message token) */
  startExecution(): void;
}

const PROPERTY_VALUE_MAX = 9 * 1024;
const CACHE_VALUE_MAX = 100 * 1024;

/** Java-style %s/%d formatting, as Utilities.formatString and Logger.log(format, …values). */
function formatString(format: unknown, ...values: unknown[]): string {
  let i = 0;
  const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (!values.length) return show(format);
  return String(format).replace(/%(\.\d+)?([sdfj%])/g, (_all, precision: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const v = values[i++];
    if (kind === 'f' && precision) return Number(v).toFixed(Number(precision.slice(1)));
    return kind === 'd' ? String(Math.trunc(Number(v))) : show(v);
  });
}

/**
 * Utilities.formatDate with SimpleDateFormat's common letters (y M d H h m s S E a Z X and 'quoted').
 *   formatDate(new Date('2026-11-20T01:02:03Z'), 'Asia/Tokyo', "yyyy-MM-dd'T'HH:mm:ssZ") = '2026-11-20T10:02:03+0900'
 */
export function formatDate(date: Date, timeZone: string, format: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const n = (k: string) => Number(parts[k]);
  const offsetMin = Math.round(
    (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second')) - Math.floor(date.getTime() / 1000) * 1000) / 60000,
  );
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const offset = (colon: boolean) =>
    `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMin) / 60), 2)}${colon ? ':' : ''}${pad(Math.abs(offsetMin) % 60, 2)}`;
  return format.replace(/'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|E+|a|Z+|X+/g, (t, quoted: string | undefined) => {
    if (quoted !== undefined) return quoted === '' ? "'" : quoted;
    const c = t[0]!;
    const w = t.length;
    if (c === 'y') return w === 2 ? pad(n('year') % 100, 2) : pad(n('year'), w);
    if (c === 'M') return w >= 4 ? months[n('month') - 1]! : w === 3 ? months[n('month') - 1]!.slice(0, 3) : pad(n('month'), w);
    if (c === 'd') return pad(n('day'), w);
    if (c === 'H') return pad(n('hour') % 24, w);
    if (c === 'h') return pad(n('hour') % 12 || 12, w);
    if (c === 'm') return pad(n('minute'), w);
    if (c === 's') return pad(n('second'), w);
    if (c === 'S') return pad(date.getTime() % 1000, w);
    if (c === 'E') return parts.weekday!;
    if (c === 'a') return n('hour') < 12 ? 'AM' : 'PM';
    if (c === 'Z') return offset(false);
    return offsetMin === 0 ? 'Z' : offset(w >= 3);
  });
}

export function createAppsScriptFakes(options: AppsScriptFakeOptions = {}): AppsScriptFakes {
  const realm: RealmRef = { current: hostRealm };
  const recorded: Recorded = {
    fetches: [],
    logs: [],
    sleeps: [],
    gmailAccessTokens: [],
    gmailReads: [],
    functionNames: [],
    violations: [],
  };
  const state = {
    identityToken: options.identityToken ?? null,
    oauthToken: options.oauthToken ?? 'ya29.harness-oauth-token',
    userEmail: options.userEmail ?? 'sam.carter@rapport-demo.com',
  };
  const locale = options.userLocale ?? 'en';
  const timeZone = options.scriptTimeZone ?? 'Asia/Tokyo';

  const cards = createCardService(realm);
  recorded.functionNames = cards.functionNames;
  const gmail = createGmailApp(
    options.gmail ?? fakeGmail({ messages: [] }),
    realm,
    { requireAccessToken: options.requireGmailAccessToken ?? true },
    { accessTokens: recorded.gmailAccessTokens, reads: recorded.gmailReads },
  );
  const UrlFetchApp = createUrlFetchApp(realm, { fetcher: options.fetcher, timeoutMs: options.fetchTimeoutMs ?? 20_000 }, recorded);

  const scriptProperties = new Map(Object.entries(options.scriptProperties ?? {}));
  const userProperties = new Map(Object.entries(options.userProperties ?? {}));
  function properties(store: Map<string, string>) {
    const self: Record<string, unknown> = {
      getProperty: (key: string) => store.get(String(key)) ?? null,
      setProperty: (key: string, value: unknown) => {
        if (String(value).length > PROPERTY_VALUE_MAX) throw exception(realm.current, 'Argument too large: value');
        store.set(String(key), String(value));
        return self;
      },
      setProperties: (values: Record<string, unknown>, deleteAllOthers?: boolean) => {
        if (deleteAllOthers) store.clear();
        for (const [k, v] of Object.entries(values)) (self.setProperty as (k: string, v: unknown) => void)(k, v);
        return self;
      },
      deleteProperty: (key: string) => (store.delete(String(key)), self),
      deleteAllProperties: () => (store.clear(), self),
      getProperties: () => toRealm(realm.current, Object.fromEntries(store)),
      getKeys: () => toRealm(realm.current, [...store.keys()]),
    };
    return self;
  }

  const caches = new Map<string, Map<string, { value: string; until: number }>>();
  function cache(name: string) {
    const store = caches.get(name) ?? new Map<string, { value: string; until: number }>();
    caches.set(name, store);
    const get = (key: string) => {
      const hit = store.get(String(key));
      if (hit && hit.until > Date.now()) return hit.value;
      store.delete(String(key));
      return null;
    };
    const put = (key: string, value: unknown, seconds = 600) => {
      if (String(key).length > 250) throw exception(realm.current, 'Argument too large: key');
      if (String(value).length > CACHE_VALUE_MAX) throw exception(realm.current, 'Argument too large: value');
      store.set(String(key), { value: String(value), until: Date.now() + Math.min(Number(seconds), 21600) * 1000 });
    };
    return {
      get,
      put,
      getAll: (keys: string[]) => toRealm(realm.current, Object.fromEntries(Array.from(keys).flatMap((k) => (get(k) === null ? [] : [[k, get(k)]])))),
      putAll: (values: Record<string, unknown>, seconds?: number) => {
        for (const [k, v] of Object.entries(values)) put(k, v, seconds);
      },
      remove: (key: string) => void store.delete(String(key)),
      removeAll: (keys: string[]) => {
        for (const k of Array.from(keys)) store.delete(String(k));
      },
    };
  }

  const lock = () => {
    let held = false;
    return {
      tryLock: () => (held = true),
      waitLock: () => void (held = true),
      releaseLock: () => void (held = false),
      hasLock: () => held,
    };
  };

  const log =
    (source: LogEntry['source'], level: LogEntry['level']) =>
    (...args: unknown[]) => {
      recorded.logs.push({
        source,
        level,
        message: source === 'Logger' ? formatString(args[0], ...args.slice(1)) : args.map((a) => formatString(a)).join(' '),
      });
    };
  let executionLog: string[] = [];
  const Logger: Record<string, unknown> = {
    log: (...args: unknown[]) => {
      log('Logger', 'log')(...args);
      executionLog.push(recorded.logs.at(-1)!.message);
      return Logger;
    },
    getLog: () => executionLog.join('\n'),
    clear: () => void (executionLog = []),
  };
  const console = Object.fromEntries((['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => [level, log('console', level)]));

  const bytesOf = (v: unknown, charset?: string) =>
    typeof v === 'string' ? Buffer.from(v, charset === 'US_ASCII' ? 'latin1' : 'utf8') : Buffer.from(Array.from(v as number[], (b) => b & 0xff));
  const signed = (buf: Buffer) =>
    toRealm(
      realm.current,
      Array.from(buf, (b) => (b > 127 ? b - 256 : b)),
    );
  const decode64 = (s: string, webSafe: boolean) => {
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(String(s).trim())) throw exception(realm.current, 'Could not decode string.');
    return signed(Buffer.from(String(s).trim(), webSafe ? 'base64url' : 'base64'));
  };
  const digestNames: Record<string, string> = {
    MD2: 'md2',
    MD5: 'md5',
    SHA_1: 'sha1',
    SHA_256: 'sha256',
    SHA_384: 'sha384',
    SHA_512: 'sha512',
  };
  const Utilities = {
    Charset: Object.freeze({ US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' }),
    DigestAlgorithm: Object.freeze(Object.fromEntries(Object.keys(digestNames).map((k) => [k, k]))),
    sleep: (ms: number) => void recorded.sleeps.push(Number(ms)),
    formatDate: (date: Date, tz: string, format: string) => formatDate(new Date(date.getTime()), String(tz), String(format)),
    formatString,
    base64Encode: (data: unknown, charset?: string) => bytesOf(data, charset).toString('base64'),
    base64EncodeWebSafe: (data: unknown, charset?: string) => bytesOf(data, charset).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64Decode: (s: string) => decode64(s, false),
    base64DecodeWebSafe: (s: string) => decode64(s, true),
    computeDigest: (algorithm: string, value: unknown, charset?: string) =>
      signed(
        createHash(digestNames[algorithm] ?? 'sha256')
          .update(bytesOf(value, charset))
          .digest(),
      ),
    computeHmacSha256Signature: (value: unknown, key: unknown, charset?: string) =>
      signed(createHmac('sha256', bytesOf(key, charset)).update(bytesOf(value, charset)).digest()),
    getUuid: () => randomUUID(),
    newBlob: (data: unknown, contentType?: string, name?: string) => fakeBlob(realm, bytesOf(data ?? ''), contentType ?? null, name ?? null),
    jsonParse: (s: string) => toRealm(realm.current, JSON.parse(s)),
    jsonStringify: (v: unknown) => JSON.stringify(v),
  };

  const user = (email: () => string) => ({ getEmail: email, getUserLoginId: email, toString: email });
  const globals: Record<string, unknown> = {
    CardService: cards.CardService,
    GmailApp: gmail.GmailApp,
    UrlFetchApp,
    ScriptApp: {
      getIdentityToken: () => state.identityToken,
      getOAuthToken: () => state.oauthToken,
      getScriptId: () => '1harness-script-id',
      AuthMode: Object.freeze({ NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' }),
    },
    PropertiesService: {
      getScriptProperties: () => properties(scriptProperties),
      getUserProperties: () => properties(userProperties),
      getDocumentProperties: () => null, // Gmail has no document
    },
    Session: {
      getActiveUser: () => user(() => state.userEmail),
      getEffectiveUser: () => user(() => state.userEmail),
      getActiveUserLocale: () => locale,
      getScriptTimeZone: () => timeZone,
      getTemporaryActiveUserKey: () => 'harness-temporary-user-key',
    },
    Logger,
    console,
    Utilities,
    LockService: { getUserLock: lock, getScriptLock: lock, getDocumentLock: () => null },
    CacheService: { getUserCache: () => cache('user'), getScriptCache: () => cache('script'), getDocumentCache: () => null },
  };

  return {
    globals,
    recorded,
    realm,
    state,
    scriptProperties,
    userProperties,
    toData: cards.toData,
    startExecution() {
      gmail.startExecution();
      executionLog = [];
    },
  };
}
