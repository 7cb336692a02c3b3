// The worker behind the harness's synchronous UrlFetchApp (see sync-fetch.ts).
// Plain ESM JavaScript so that it needs no TypeScript loader inside the thread.
//
// Two jobs, both on this thread's own event loop, which keeps turning while
// the test's main thread sits in Atomics.wait:
//  1. perform HTTP requests for the main thread (loopback only, node:http, no
//     redirects followed here) and post each answer on `responses`, then flip
//     the shared signal and notify;
//  2. serve the stand-ins the backend must reach during such a call: Google's
//     ID-token certs and a tiny Slack Web API, recording every request.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ signalBuffer: SharedArrayBuffer, responses: import('node:worker_threads').MessagePort, certs: Record<string, string> }} */
const { signalBuffer, responses, certs } = workerData;
const signal = new Int32Array(signalBuffer);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function answer(message) {
  responses.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** One request: { id, url, method, headers, body (Uint8Array | null), timeoutMs } → posts { id, status, headers, body } or { id, error }. */
function perform(req) {
  const began = Date.now();
  let url;
  try {
    url = new URL(req.url);
  } catch {
    answer({ id: req.id, error: 'invalid', message: `Invalid argument: ${req.url}` });
    return;
  }
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    answer({ id: req.id, error: 'refused', message: `not a loopback URL: ${req.url}` });
    return;
  }
  const headers = { ...req.headers };
  if (req.body?.length && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(req.body.length);
  const outgoing = http.request(
    {
      host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 80,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers,
      timeout: req.timeoutMs,
      agent: false, // one connection per fetch, as UrlFetchApp; nothing lingers to keep the backend from closing
    },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        // a fresh ArrayBuffer that can be transferred, not a slice of Node's pool
        const bytes = new Uint8Array(body.length);
        bytes.set(body);
        const headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        responses.postMessage({ id: req.id, status: res.statusCode, headers, body: bytes, ms: Date.now() - began }, [bytes.buffer]);
        Atomics.store(signal, 0, 1);
        Atomics.notify(signal, 0);
      });
      res.on('error', (e) => answer({ id: req.id, error: 'network', message: String(e?.message) }));
    },
  );
  outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
  outgoing.on('error', (e) => answer({ id: req.id, error: e.code === 'TIMEOUT' ? 'timeout' : 'network', message: String(e.message) }));
  if (req.body?.length) outgoing.write(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length));
  outgoing.end();
}

responses.on('message', (req) => perform(req));

// ---- stand-ins ---------------------------------------------------------------

/** @type {{ method: string, path: string, headers: Record<string, string|string[]|undefined>, body: string, at: number }[]} */
let recorded = [];

const slackAnswers = {
  'auth.test': () => ({
    ok: true,
    url: 'https://rapport-demo.slack.com/',
    team: 'Rapport Demo',
    user: 'rapport',
    team_id: 'T0DEMO',
    user_id: 'U0BOT',
    bot_id: 'B0BOT',
  }),
  'conversations.info': (params) => ({ ok: true, channel: { id: params.channel ?? 'C0GENERAL', is_ext_shared: false } }),
  'users.info': () => ({ ok: false, error: 'user_not_found' }),
  'chat.postMessage': (params) => ({ ok: true, channel: params.channel ?? 'C0GENERAL', ts: `${Math.floor(Date.now() / 1000)}.000100` }),
};

function parseParams(contentType, body) {
  try {
    if ((contentType ?? '').includes('application/json')) return JSON.parse(body || '{}');
    return Object.fromEntries(new URLSearchParams(body));
  } catch {
    return {};
  }
}

const standIn = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const path = req.url ?? '/';
    const json = (status, value, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && path === '/certs') {
      // google-auth-library caches the certs for this max-age, as it does Google's
      return json(200, certs, { 'cache-control': 'public, max-age=21600, must-revalidate, no-transform' });
    }
    // echo and sized bodies: for checking that large bodies cross the thread boundary whole
    if (path === '/echo') {
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'x-echo-method': req.method });
      return res.end(raw);
    }
    const sized = path.match(/^\/bytes\/(\d+)$/);
    if (sized) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(Buffer.alloc(Number(sized[1]), 'x'));
    }
    const delay = path.match(/^\/delay\/(\d+)$/);
    if (delay) return void setTimeout(() => json(200, { ok: true }), Number(delay[1]));
    const status = path.match(/^\/status\/(\d{3})$/);
    if (status) return json(Number(status[1]), { ok: false, status: Number(status[1]) });
    const body = raw.toString('utf8');
    recorded.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });
    const api = path.match(/^\/api\/([\w.]+)/);
    if (req.method === 'POST' && api) {
      const make = slackAnswers[api[1]];
      return json(200, make ? make(parseParams(req.headers['content-type'], body)) : { ok: true });
    }
    if (req.method === 'POST' && path === '/respond') return json(200, { ok: true });
    return json(404, { ok: false, error: 'unknown_route' });
  });
});

standIn.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ type: 'ready', url: `http://127.0.0.1:${standIn.address().port}` });
});

parentPort.on('message', (msg) => {
  if (msg.type === 'records') parentPort.postMessage({ type: 'records', id: msg.id, records: recorded });
  else if (msg.type === 'clear') {
    recorded = [];
    parentPort.postMessage({ type: 'cleared', id: msg.id });
  } else if (msg.type === 'close') {
    standIn.closeAllConnections?.();
    standIn.close(() => parentPort.postMessage({ type: 'closed', id: msg.id }));
  }
});
