/**
 * Reading a member's mailbox for the sync worker, one page at a time: first
 * the import (messages newer than a date, newest first), then the increments
 * (Gmail's history since the import began). Through `googleapis`, imported only
 * when a reader is made (it takes 1.5 s to load), with our own quota (quota.ts)
 * and backoff (retry.ts).
 *
 *   const reader = await gmailReader({ kind: 'oauth', app, refreshToken })
 *   let cursor: GmailCursor = { phase: 'import', importAfter: '2026-09-01T00:00:00Z' }
 *   for (;;) { const page = await fetchPage(reader, cursor, { metadataOnly: false }); capture(page.messages); cursor = page.next; if (page.next.phase === 'incremental' && !page.next.pageToken) break }
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { gmail_v1 } from 'googleapis';
import { JWT, type OAuth2Client } from 'google-auth-library';
import { HistoryExpired } from './errors.js';
import { type BatchAnswer, BATCH_MAX, batchBody, parseBatch } from './gmail-batch.js';
import { type Converted, convert, METADATA_HEADERS, type SkipReason, type SyncedMessage } from './gmail-message.js';
import { type GoogleEndpoints, googleTransport, type OAuthApp, oauthClient } from './oauth.js';
import { GMAIL_UNITS, type GmailCall, quota } from './quota.js';
import { backoffMs, NotFound, realSleep, withRetries } from './retry.js';

export { GoogleAccessLost, GoogleUnavailable, HistoryExpired } from './errors.js';
export type { SkipReason, SyncedMessage } from './gmail-message.js';

export type GmailAuth =
  | { kind: 'oauth'; app: OAuthApp; refreshToken: string }
  /** domain-wide delegation: a service account's JSON key file, acting as `subject` */
  | { kind: 'delegated'; keyFile: string; subject: string; scopes: string[]; endpoints: GoogleEndpoints };

export interface GmailReaderOptions {
  /** Gmail's per-user limit is 250 (default) */
  quotaUnitsPerSecond?: number;
  /** messages.get calls (or batches of them) in flight at once, within the quota (default 10) */
  concurrency?: number;
  /** messages.get calls per request to Gmail's batch endpoint (default 50, as Google advises; 1 = a request per message) */
  batchSize?: number;
  /** attempts per call, the first included (default 5) */
  maxAttempts?: number;
  /** the wait between attempts (tests) */
  sleep?: (ms: number) => Promise<void>;
  /** one request's limit, after which it is a network error and retried (default 60 s): a hung connection must not hold a worker's lease */
  timeoutMs?: number;
}

export interface GmailReader {
  /** the mailbox's address (getProfile.emailAddress) */
  address(): Promise<string>;
  /** the mailbox's newest history id (getProfile.historyId) */
  historyId(): Promise<string>;
}

export interface GmailCursor {
  phase: 'import' | 'incremental';
  pageToken?: string;
  historyId?: string;
  /** ISO; the import takes mail newer than this */
  importAfter?: string;
}

export interface SyncPage {
  messages: SyncedMessage[];
  skipped: Record<SkipReason, number>;
  next: GmailCursor;
  importDone: boolean;
  /** the newest history id known after this page */
  historyId?: string;
}

/** Per-call options for googleapis: our bearer token, no retries of its own (each attempt is one of ours), a time limit. */
interface CallOptions {
  headers: Record<string, string>;
  retry: false;
  timeout: number;
}

/** What fetchPage needs of a reader, kept off its public face. */
interface Internals {
  call<T>(name: GmailCall, run: (gmail: gmail_v1.Gmail, options: CallOptions) => Promise<{ data: T }>): Promise<T>;
  /** the GETs of paths (each /gmail/v1/...) in one batch request, each answered with its own status */
  batch(paths: string[]): Promise<BatchAnswer[]>;
  concurrency: number;
  batchSize: number;
  sleep: (ms: number) => Promise<void>;
}

const internals = new WeakMap<GmailReader, Internals>();

/**
 * A token source that can start over: a new client has no cached token, so
 * its next token is fresh. A service account's key file is read here, not by
 * google-auth-library: given only keyFile, its JWT (10.9) signs with no `iss`
 * (gtoken takes the issuer from the client email before it has read the
 * file), and Google refuses such an assertion.
 */
export async function tokenSource(auth: GmailAuth): Promise<() => OAuth2Client> {
  if (auth.kind === 'oauth') {
    return () => {
      const client = oauthClient(auth.app);
      client.setCredentials({ refresh_token: auth.refreshToken });
      return client;
    };
  }
  const { email, key } = await serviceAccountKey(auth.keyFile);
  return () => new JWT({ email, key, subject: auth.subject, scopes: auth.scopes, transporter: googleTransport(auth.endpoints.oauthUrl) });
}

/** The client_email and private_key of a service account's JSON key file; an error naming what is wrong (never the key). */
async function serviceAccountKey(path: string): Promise<{ email: string; key: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(
      `the service account key file ${path} is not readable JSON (${e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'unreadable')})`,
    );
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const email = record.client_email;
  const key = record.private_key;
  if (typeof email !== 'string' || typeof key !== 'string') {
    throw new Error(
      `the service account key file ${path} has no client_email and private_key: download a JSON key of the service account from the Google Cloud console`,
    );
  }
  return { email, key };
}

/** A reader of one mailbox. Nothing is fetched until it is asked. */
export async function gmailReader(auth: GmailAuth, o: GmailReaderOptions = {}): Promise<GmailReader> {
  const { google } = await import('googleapis');
  const apiUrl = auth.kind === 'oauth' ? auth.app.apiUrl : auth.endpoints.apiUrl;
  const gmail = google.gmail({ version: 'v1', ...(apiUrl ? { rootUrl: apiUrl.replace(/\/?$/, '/') } : {}) });
  const newClient = await tokenSource(auth);
  let client = newClient();
  const limit = quota(o.quotaUnitsPerSecond ?? 250);
  const timeout = o.timeoutMs ?? 60_000;
  const retry = { ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}), ...(o.sleep ? { sleep: o.sleep } : {}) };
  const retryOptions = {
    ...retry,
    renew: () => {
      client = newClient();
    },
  };
  /** one attempt's access token and quota, around the request itself */
  const attempt = async <T>(units: number, request: (token: string) => Promise<T>): Promise<T> => {
    const { token } = await client.getAccessToken();
    if (!token) throw new Error('google-auth-library gave no access token');
    const spent = await limit.take(units);
    try {
      return await request(token);
    } finally {
      spent();
    }
  };
  const root = (apiUrl ?? 'https://gmail.googleapis.com/').replace(/\/?$/, '/');
  const transport = googleTransport();
  const own: Internals = {
    concurrency: Math.max(1, o.concurrency ?? 10),
    // a batch is as many calls as a second's quota holds: a dearer one would overrun it
    batchSize: Math.max(1, Math.min(BATCH_MAX, o.batchSize ?? 50, Math.floor((o.quotaUnitsPerSecond ?? 250) / GMAIL_UNITS['messages.get']))),
    sleep: o.sleep ?? realSleep,
    call: (name, run) =>
      withRetries(
        `Gmail ${name}`,
        () => attempt(GMAIL_UNITS[name], async (token) => (await run(gmail, { headers: { authorization: `Bearer ${token}` }, retry: false, timeout })).data),
        retryOptions,
      ),
    batch: (paths) =>
      withRetries(
        `Gmail batch of ${paths.length}`,
        () =>
          attempt(GMAIL_UNITS['messages.get'] * paths.length, async (token) => {
            const boundary = `rapport_${randomUUID()}`;
            const res = await transport.request<string>({
              url: `${root}batch/gmail/v1`,
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
              data: batchBody(boundary, paths),
              responseType: 'text',
              timeout,
            });
            return parseBatch(res.headers.get('content-type'), res.data, paths.length);
          }),
        retryOptions,
      ),
  };
  const profile = () => own.call<gmail_v1.Schema$Profile>('getProfile', (g, opts) => g.users.getProfile({ userId: 'me' }, opts));
  const reader: GmailReader = {
    async address() {
      const p = await profile();
      if (!p.emailAddress) throw new Error("Gmail's profile has no emailAddress");
      return p.emailAddress.toLowerCase();
    },
    async historyId() {
      const p = await profile();
      if (!p.historyId) throw new Error("Gmail's profile has no historyId");
      return p.historyId;
    },
  };
  internals.set(reader, own);
  return reader;
}

/**
 * The Gmail search of the import: mail received after `importAfter`, less
 * chats, spam and trash.
 *   importQuery('2026-09-01T00:00:00Z') = 'after:1788220800 -in:chats -in:spam -in:trash'
 */
export function importQuery(importAfter: string | undefined): string {
  const at = importAfter ? Date.parse(importAfter) : Number.NaN;
  const after = Number.isNaN(at) ? '' : `after:${Math.floor(at / 1000)} `;
  return `${after}-in:chats -in:spam -in:trash`;
}

/**
 * One page of the mailbox from `cursor`. The import's first page records the
 * mailbox's history id first, so the increments start where the import
 * began (a message arriving during the import is read twice at worst, and
 * captured once: the capture is keyed by Message-ID). HistoryExpired when the
 * incremental cursor's history is gone.
 */
export async function fetchPage(reader: GmailReader, cursor: GmailCursor, o: { metadataOnly: boolean; pageSize?: number }): Promise<SyncPage> {
  const own = internals.get(reader);
  if (!own) throw new Error('fetchPage takes a reader made by gmailReader()');
  const pageSize = Math.min(500, Math.max(1, o.pageSize ?? 100));
  if (cursor.phase === 'import') {
    const historyId = cursor.historyId ?? (cursor.pageToken ? undefined : await reader.historyId());
    // Gmail refuses `q` under the metadata scope: a metadata-only import lists everything (newest first) and stops at the first older message
    const after = cursor.importAfter ? Date.parse(cursor.importAfter) : Number.NaN;
    const search = o.metadataOnly ? {} : { q: importQuery(cursor.importAfter) };
    const list = await own.call<gmail_v1.Schema$ListMessagesResponse>('messages.list', (g, opts) =>
      g.users.messages.list(
        { userId: 'me', ...search, maxResults: pageSize, includeSpamTrash: false, ...(cursor.pageToken ? { pageToken: cursor.pageToken } : {}) },
        opts,
      ),
    );
    const page = await fetchMessages(
      own,
      (list.messages ?? []).map((m) => m.id ?? ''),
      o.metadataOnly,
      o.metadataOnly ? after : Number.NaN,
    );
    const importDone = !list.nextPageToken || page.reachedOlder;
    const keep = { ...(historyId ? { historyId } : {}), ...(cursor.importAfter ? { importAfter: cursor.importAfter } : {}) };
    const next: GmailCursor = importDone
      ? { phase: 'incremental', ...(historyId ? { historyId } : {}) }
      : { phase: 'import', ...keep, pageToken: list.nextPageToken! };
    return { messages: page.messages, skipped: page.skipped, next, importDone, ...(historyId ? { historyId } : {}) };
  }
  const start = cursor.historyId;
  if (!start) throw new Error('an incremental cursor needs the historyId to read from');
  let history: gmail_v1.Schema$ListHistoryResponse;
  try {
    history = await own.call<gmail_v1.Schema$ListHistoryResponse>('history.list', (g, opts) =>
      g.users.history.list(
        {
          userId: 'me',
          startHistoryId: start,
          historyTypes: ['messageAdded'],
          maxResults: pageSize,
          ...(cursor.pageToken ? { pageToken: cursor.pageToken } : {}),
        },
        opts,
      ),
    );
  } catch (e) {
    if (e instanceof NotFound) throw new HistoryExpired(start);
    throw e;
  }
  const ids = (history.history ?? []).flatMap((h) => (h.messagesAdded ?? []).map((a) => a.message?.id ?? ''));
  const page = await fetchMessages(own, ids, o.metadataOnly, Number.NaN);
  // within a history listing, every page reads from the same startHistoryId; the new one is the last page's historyId
  const newest = history.historyId ?? start;
  const next: GmailCursor = history.nextPageToken
    ? { phase: 'incremental', historyId: start, pageToken: history.nextPageToken }
    : { phase: 'incremental', historyId: newest };
  return { messages: page.messages, skipped: page.skipped, next, importDone: true, historyId: newest };
}

/**
 * The messages of ids (duplicates and empties dropped), fetched with bounded
 * concurrency, in the order listed; a message deleted since is skipped. With
 * `after` (ms), a message Gmail received at or before it is left out and
 * reachedOlder says one was seen.
 */
async function fetchMessages(
  own: Internals,
  ids: string[],
  metadataOnly: boolean,
  after: number,
): Promise<Pick<SyncPage, 'messages' | 'skipped'> & { reachedOlder: boolean }> {
  const unique = [...new Set(ids.filter(Boolean))];
  const results: (Fetched | undefined)[] = new Array(unique.length);
  // the work: one message, or a batch of them (Gmail's batch endpoint)
  const size = own.batchSize;
  const tasks = size > 1 ? Array.from({ length: Math.ceil(unique.length / size) }, (_, k) => k) : unique.map((_, i) => i);
  const run =
    size > 1
      ? (k: number) => fetchBatch(own, unique, k * size, Math.min(unique.length, (k + 1) * size), metadataOnly, results)
      : async (i: number) => {
          results[i] = await fetchOne(own, unique[i]!, metadataOnly);
        };
  let next = 0;
  let failed = false;
  const worker = async () => {
    // once one fetch has failed the page fails: the others stop taking work
    while (next < tasks.length && !failed) {
      const task = tasks[next++]!;
      try {
        await run(task);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(own.concurrency, tasks.length) }, worker));
  const messages: SyncedMessage[] = [];
  const skipped: Record<SkipReason, number> = { bulk: 0, category: 0 };
  let reachedOlder = false;
  for (const r of results) {
    if (!r) continue;
    if (r.receivedAt <= after) {
      reachedOlder = true;
      continue;
    }
    if (r.converted.kind === 'message') messages.push(r.converted.message);
    else if (r.converted.kind === 'skip') skipped[r.converted.reason]++;
  }
  return { messages, skipped, reachedOlder };
}

type Fetched = { converted: Converted; receivedAt: number };

const getPath = (id: string, metadataOnly: boolean) =>
  `/gmail/v1/users/me/messages/${encodeURIComponent(id)}?${
    metadataOnly ? `format=metadata&${METADATA_HEADERS.map((h) => `metadataHeaders=${encodeURIComponent(h)}`).join('&')}` : 'format=raw'
  }`;

/**
 * unique[from..to) in one batch request into results. A message the batch
 * answers 404 for is gone (left out). A call in the batch that failed on its
 * own (429 or 403 rate limits and 5xx after a wait, at least its
 * Retry-After; 401 at once) is that message fetched again alone, with the
 * retries and verdicts of a single call.
 */
async function fetchBatch(own: Internals, unique: string[], from: number, to: number, metadataOnly: boolean, results: (Fetched | undefined)[]) {
  const ids = unique.slice(from, to);
  const answers = await own.batch(ids.map((id) => getPath(id, metadataOnly)));
  const again: number[] = [];
  await Promise.all(
    answers.map(async (a, j) => {
      if (a.status === 200) {
        const m = a.body as gmail_v1.Schema$Message;
        results[from + j] = { converted: await convert(m, metadataOnly), receivedAt: Number(m.internalDate ?? Number.NaN) };
      } else if (a.status !== 404) again.push(j);
    }),
  );
  if (again.length === 0) return;
  const limited = again.map((j) => answers[j]!).filter((a) => a.status === 429 || a.status === 403 || a.status >= 500);
  if (limited.length > 0) {
    const retryAfter = Math.max(0, ...limited.map((a) => Number(a.retryAfter ?? 0)).filter(Number.isFinite));
    await own.sleep(backoffMs(1, 1000, retryAfter || undefined));
  }
  for (const j of again) results[from + j] = await fetchOne(own, ids[j]!, metadataOnly);
}

async function fetchOne(own: Internals, id: string, metadataOnly: boolean): Promise<Fetched | undefined> {
  try {
    const m = await own.call<gmail_v1.Schema$Message>('messages.get', (g, opts) =>
      g.users.messages.get(
        metadataOnly ? { userId: 'me', id, format: 'metadata', metadataHeaders: METADATA_HEADERS } : { userId: 'me', id, format: 'raw' },
        opts,
      ),
    );
    return { converted: await convert(m, metadataOnly), receivedAt: Number(m.internalDate ?? Number.NaN) };
  } catch (e) {
    if (e instanceof NotFound) return undefined;
    throw e;
  }
}
