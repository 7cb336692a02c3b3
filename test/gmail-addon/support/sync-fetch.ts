/**
 * Synchronous HTTP for the fake UrlFetchApp, which must block like Apps Script's.
 *
 * The vm runs on the test's main thread, so a request is handed to a worker
 * (sync-fetch-worker.mjs) and the main thread parks in Atomics.wait on a shared
 * Int32 until the worker has posted the whole answer on a MessagePort and
 * flipped the Int32; the main thread then takes the message synchronously with
 * receiveMessageOnPort. The body travels as a transferred ArrayBuffer, so its
 * size is bounded by memory only (no fixed shared buffer to grow or chunk).
 *
 * Whatever the backend must reach while the main thread is parked cannot live
 * on the main thread either: the same worker serves Google-style certs and a
 * Slack Web API stand-in on its own loopback port (see the worker's routes).
 *
 * Example:
 *   const f = await startSyncFetcher({ certs: { [issuer.kid]: issuer.publicKeyPem } })
 *   f.fetchSync({ url: `${f.standInUrl}/bytes/3`, method: 'GET', headers: {}, timeoutMs: 5000 })
 *   // → { ok: true, status: 200, headers: [['Content-Type', 'text/plain; charset=utf-8'], …], body: Uint8Array [120, 120, 120], ms: 2 }
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface SyncRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array | null;
  timeoutMs: number;
}

export type SyncResult =
  | { ok: true; status: number; headers: [string, string][]; body: Uint8Array; ms: number }
  | { ok: false; error: 'timeout' | 'network' | 'refused' | 'invalid'; message: string; ms: number };

/** A request the stand-in (certs excluded) received from the backend or the add-on. */
export interface StandInRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

export interface SyncFetcher {
  /** Base URL of the worker's stand-in server: `/certs`, `/api/<slack method>`, `/respond`, `/echo`, `/bytes/<n>`, `/status/<code>`, `/delay/<ms>`. */
  standInUrl: string;
  fetchSync(request: SyncRequest): SyncResult;
  /** The requests run concurrently in the worker; results come back in request order. */
  fetchAllSync(requests: SyncRequest[]): SyncResult[];
  /** What the Slack stand-in received (async: call when the main thread is free). */
  standInRequests(): Promise<StandInRequest[]>;
  clearStandInRequests(): Promise<void>;
  stop(): Promise<void>;
}

/** Added to the longest timeout before the main thread gives up on the worker itself. */
const WORKER_MARGIN_MS = 2_000;

export async function startSyncFetcher(opts: { certs?: Record<string, string> } = {}): Promise<SyncFetcher> {
  const signalBuffer = new SharedArrayBuffer(4);
  const signal = new Int32Array(signalBuffer);
  const { port1: mine, port2: theirs } = new MessageChannel();
  const worker = new Worker(new URL('./sync-fetch-worker.mjs', import.meta.url), {
    workerData: { signalBuffer, responses: theirs, certs: opts.certs ?? {} },
    transferList: [theirs],
  });

  let nextAsk = 0;
  const asked = new Map<number, (message: any) => void>();
  const standInUrl = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: any) => {
      if (m.type === 'ready') resolve(m.url);
      else asked.get(m.id)?.(m);
    });
  });
  worker.unref();
  mine.unref();
  // unref'd so a forgotten stop() cannot hold the process open; ref'd while an answer is awaited
  const ask = (type: string) =>
    new Promise<any>((resolve) => {
      const id = ++nextAsk;
      worker.ref();
      asked.set(id, (m) => {
        asked.delete(id);
        if (asked.size === 0) worker.unref();
        resolve(m);
      });
      worker.postMessage({ type, id });
    });

  let nextRequest = 0;
  function fetchAllSync(requests: SyncRequest[]): SyncResult[] {
    const began = Date.now();
    const ids = requests.map(() => ++nextRequest);
    const results = new Map<number, SyncResult>();
    Atomics.store(signal, 0, 0);
    requests.forEach((r, i) => {
      const body = r.body ? new Uint8Array(r.body) : null; // a copy the worker can own
      mine.postMessage({ id: ids[i], url: r.url, method: r.method, headers: r.headers, body, timeoutMs: r.timeoutMs }, body ? [body.buffer] : []);
    });
    const deadline = began + Math.max(0, ...requests.map((r) => r.timeoutMs)) + WORKER_MARGIN_MS;
    while (results.size < ids.length) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(signal, 0, 0, left);
      Atomics.store(signal, 0, 0);
      // answers to requests that timed out earlier may still arrive: drop them
      for (let m = receiveMessageOnPort(mine); m; m = receiveMessageOnPort(mine)) {
        const a = m.message;
        if (!ids.includes(a.id)) continue;
        results.set(
          a.id,
          a.error
            ? { ok: false, error: a.error, message: a.message, ms: Date.now() - began }
            : { ok: true, status: a.status, headers: a.headers, body: a.body, ms: a.ms },
        );
      }
    }
    return ids.map((id, i) => results.get(id) ?? { ok: false, error: 'timeout', message: `no answer in ${requests[i]!.timeoutMs} ms`, ms: Date.now() - began });
  }

  return {
    standInUrl,
    fetchSync: (request) => fetchAllSync([request])[0]!,
    fetchAllSync,
    standInRequests: async () => (await ask('records')).records,
    clearStandInRequests: async () => void (await ask('clear')),
    async stop() {
      await Promise.race([ask('close'), new Promise((r) => setTimeout(r, 2_000))]);
      mine.close();
      await worker.terminate();
    },
  };
}
