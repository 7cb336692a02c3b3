/**
 * A stand-in for Google on 127.0.0.1: the OAuth endpoints (authorize, token,
 * revoke, certs), the Gmail API v1 and the Calendar API v3 (events.list) a
 * sync reads, on a real socket, so the
 * real googleapis and google-auth-library clients reach it through their
 * rootUrl and endpoint options (and the bench can use it too). Not msw.
 *
 *   const google = await startGoogleStandIn({ clientId, clientSecret })
 *   google.consentAs('rep@acme.example')
 *   google.mailbox('rep@acme.example').add(rawMessage)
 *   const app = { clientId, clientSecret, redirectUri, apiUrl: google.url, oauthUrl: google.url }
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendarStore, type StandInCalendar } from './google-stand-in-calendar.js';
import { apiError, type Answer, Mailbox, type StandInMailbox } from './google-stand-in-mailbox.js';
import { StandInOAuth } from './google-stand-in-oauth.js';

export type { StandInCalendar } from './google-stand-in-calendar.js';
export type { StandInMailbox } from './google-stand-in-mailbox.js';

export interface GoogleStandIn {
  /** the root of both the API (GOOGLE_API_URL) and OAuth (GOOGLE_OAUTH_URL) */
  url: string;
  close(): Promise<void>;
  /** a user's mailbox, created on first use */
  mailbox(email: string): StandInMailbox;
  /** a user's primary calendar, created on first use */
  calendar(email: string): StandInCalendar;
  /** the next authorizations consent as this user: the redirect carries a code; refuseRefreshToken makes the token answer carry none; scopes replaces the requested ones */
  consentAs(email: string, o?: { refuseRefreshToken?: boolean; scopes?: string[]; emailVerified?: boolean; nonce?: string }): void;
  /** every token of that user is now invalid: invalid_grant on refresh, 401 on API calls */
  revokeAll(email: string): void;
  /** writes a service account's JSON key file whose token_uri is this stand-in's */
  delegationKeyFile(path: string): Promise<void>;
  /** the service account may no longer act as this user: 401 unauthorized_client, as Google answers */
  refuseDelegation(email: string): void;
  /** the next `times` requests whose path matches answer `status` in Gmail's error shape (401 authError, 403 userRateLimitExceeded, 429 with Retry-After, 500, 503), with `reason` if given; after `stallMs` when set */
  fail(o: { path: RegExp; status: number; times: number; retryAfter?: number; reason?: string; stallMs?: number }): void;
  /** every request, in order */
  requests: { method: string; path: string; query: string; at: number }[];
}

const FAULT_BODIES: Record<number, { status: string; reason: string; message: string }> = {
  401: { status: 'UNAUTHENTICATED', reason: 'authError', message: 'Invalid Credentials' },
  429: { status: 'RESOURCE_EXHAUSTED', reason: 'rateLimitExceeded', message: 'Too many concurrent requests for user.' },
  403: { status: 'PERMISSION_DENIED', reason: 'userRateLimitExceeded', message: 'User-rate limit exceeded.' },
  500: { status: 'INTERNAL', reason: 'backendError', message: 'Backend Error' },
  503: { status: 'UNAVAILABLE', reason: 'backendError', message: 'The service is currently unavailable.' },
};

const GMAIL_READ_SCOPES = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.modify', 'https://mail.google.com/'];
const GMAIL_METADATA_SCOPE = 'https://www.googleapis.com/auth/gmail.metadata';
const CALENDAR_READ_SCOPES = [
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events.readonly',
  'https://www.googleapis.com/auth/calendar',
  'https://www.googleapis.com/auth/calendar.events',
];

export async function startGoogleStandIn(o: { clientId?: string; clientSecret?: string } = {}): Promise<GoogleStandIn> {
  const mailboxes = new Map<string, Mailbox>();
  const mailboxOf = (email: string) => {
    const key = email.toLowerCase();
    let m = mailboxes.get(key);
    if (!m) mailboxes.set(key, (m = new Mailbox(key)));
    return m;
  };
  const calendars = new Map<string, CalendarStore>();
  const calendarOf = (email: string) => {
    const key = email.toLowerCase();
    let c = calendars.get(key);
    if (!c) calendars.set(key, (c = new CalendarStore(key)));
    return c;
  };
  const faults: Parameters<GoogleStandIn['fail']>[0][] = [];
  const requests: GoogleStandIn['requests'] = [];
  let url = '';
  const oauth = new StandInOAuth(
    { clientId: o.clientId ?? 'stand-in-client.apps.googleusercontent.com', clientSecret: o.clientSecret ?? 'stand-in-secret' },
    () => url,
  );

  function gmail(method: string, authorization: string | undefined, path: string, query: URLSearchParams): Answer {
    const m = /^\/gmail\/v1\/users\/([^/]+)\/(profile|messages|messages\/([^/]+)|messages\/([^/]+)\/attachments\/([^/]+)|history)$/.exec(path);
    if (!m || method !== 'GET') return apiError(404, 'NOT_FOUND', 'notFound', `the stand-in does not serve ${method} ${path}`);
    const grant = oauth.grantOfAccessToken(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1]);
    if (!grant) {
      return apiError(
        401,
        'UNAUTHENTICATED',
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const user = decodeURIComponent(m[1]!);
    if (user !== 'me' && user.toLowerCase() !== grant.email) return apiError(403, 'PERMISSION_DENIED', 'forbidden', `Delegation denied for ${grant.email}`);
    const full = grant.scopes.some((s) => GMAIL_READ_SCOPES.includes(s));
    if (!full && !grant.scopes.includes(GMAIL_METADATA_SCOPE)) {
      return apiError(403, 'PERMISSION_DENIED', 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    }
    const box = mailboxOf(grant.email);
    if (m[2] === 'profile') return box.profile();
    if (m[2] === 'history') return box.historyList(query);
    if (m[4] && m[5])
      return full
        ? box.attachment(decodeURIComponent(m[4]), decodeURIComponent(m[5]))
        : apiError(403, 'PERMISSION_DENIED', 'forbidden', 'Metadata scope does not allow attachments');
    if (m[3]) return box.get(decodeURIComponent(m[3]), query, !full);
    if (!full && query.get('q')) return apiError(403, 'PERMISSION_DENIED', 'forbidden', "Metadata scope does not support 'q' parameter");
    return box.list(query);
  }

  /** the next injected failure for a path, taken (a call inside a batch takes one as a request would) */
  function faultFor(path: string) {
    const fault = faults.find((f) => f.times > 0 && f.path.test(path));
    if (!fault) return null;
    fault.times--;
    const shape = FAULT_BODIES[fault.status] ?? FAULT_BODIES[500]!;
    return {
      answer: apiError(fault.status, shape.status, fault.reason ?? shape.reason, shape.message),
      headers: (fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }) as Record<string, string>,
      stallMs: fault.stallMs,
    };
  }

  /**
   * Gmail's batch endpoint: each application/http part is one GET, answered
   * as it would be alone (its own status, injected failures included) in a
   * multipart/mixed part with Content-ID <response-ID>; at most 100 calls.
   */
  function batch(contentType: string | undefined, authorization: string | undefined, body: string) {
    const boundary = /^multipart\/mixed;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    if (!boundary) return { ...apiError(400, 'INVALID_ARGUMENT', 'badRequest', 'Batch requests must be multipart/mixed'), boundary: '', text: '' };
    // the parts between the delimiters, before the closing one (not the client's parser: its own reading of RFC 2046)
    const parts = body
      .split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?`))
      .slice(1, -1)
      .map((chunk) => {
        const [head = '', ...rest] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
        const headers = new Map(head.split(/\r?\n/).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const request = rest.join('\r\n\r\n').split(/\r?\n/);
        const innerHeaders = new Map(
          request
            .slice(1)
            .filter((l) => l.includes(':'))
            .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        return { headers, first: request[0] ?? '', innerHeaders };
      });
    if (parts.length > 100) return { ...apiError(400, 'INVALID_ARGUMENT', 'badRequest', 'Too many requests in batch (max 100).'), boundary: '', text: '' };
    const out = `batch_${Math.random().toString(36).slice(2)}`;
    const answered = parts.map((p) => {
      const [method = '', target = ''] = p.first.split(' ');
      const at = new URL(target, url);
      requests.push({ method, path: at.pathname, query: at.search, at: Date.now() });
      const fault = faultFor(at.pathname);
      const a = fault ? fault.answer : gmail(method, p.innerHeaders.get('authorization') ?? authorization, at.pathname, at.searchParams);
      const json = JSON.stringify(a.body);
      const extra = fault?.headers['retry-after'] ? `Retry-After: ${fault.headers['retry-after']}\r\n` : '';
      const id = (p.headers.get('content-id') ?? '').replace(/^<|>$/g, '');
      return (
        `--${out}\r\nContent-Type: application/http\r\nContent-ID: <response-${id}>\r\n\r\n` +
        `HTTP/1.1 ${a.status} ${a.status === 200 ? 'OK' : 'Error'}\r\nContent-Type: application/json; charset=UTF-8\r\n${extra}Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}\r\n`
      );
    });
    return { status: 200, body: null, boundary: out, text: `${answered.join('')}--${out}--\r\n` };
  }

  function calendar(req: IncomingMessage, path: string, query: URLSearchParams): Answer {
    const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (!m || req.method !== 'GET') return apiError(404, 'NOT_FOUND', 'notFound', `the stand-in does not serve ${req.method} ${path}`);
    const grant = oauth.grantOfAccessToken(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]);
    if (!grant) return apiError(401, 'UNAUTHENTICATED', 'authError', 'Request had invalid authentication credentials.');
    if (!grant.scopes.some((s) => CALENDAR_READ_SCOPES.includes(s))) {
      return apiError(403, 'PERMISSION_DENIED', 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    }
    const id = decodeURIComponent(m[1]!).toLowerCase();
    if (id !== 'primary' && id !== grant.email) return apiError(404, 'NOT_FOUND', 'notFound', 'Not Found');
    return calendarOf(grant.email).list(query);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = new URL(req.url ?? '/', url);
    requests.push({ method: req.method ?? 'GET', path: at.pathname, query: at.search, at: Date.now() });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (a: Answer, headers: Record<string, string> = {}) => {
      if (a.status === 302) {
        res.writeHead(302, { location: String(a.body) }).end();
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(a.body));
    };
    const fault = faultFor(at.pathname);
    if (fault) {
      // a stalled answer: a client with a shorter timeout gives up first
      if (fault.stallMs) await new Promise((resolve) => setTimeout(resolve, fault.stallMs));
      if (res.destroyed) return;
      send(fault.answer, fault.headers);
      return;
    }
    if (at.pathname === '/batch/gmail/v1' && req.method === 'POST') {
      const answer = batch(req.headers['content-type'], req.headers.authorization, body);
      if (answer.status !== 200) send(answer);
      else res.writeHead(200, { 'content-type': `multipart/mixed; boundary=${answer.boundary}` }).end(answer.text);
      return;
    }
    if (at.pathname.startsWith('/gmail/v1/')) send(gmail(req.method ?? 'GET', req.headers.authorization, at.pathname, at.searchParams));
    else if (at.pathname.startsWith('/calendar/v3/')) send(calendar(req, at.pathname, at.searchParams));
    else send(oauth.handle(req.method ?? 'GET', at.pathname, at.searchParams, new URLSearchParams(body)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 500, message: String(e), status: 'INTERNAL' } }));
    });
  });
  // Node closes an idle kept-alive socket after 5 s, and a client reusing it at that moment gets ECONNRESET: on a loaded
  // machine a test pausing 5 s (googleapis takes that long to load) met it. Google keeps them open longer.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    mailbox: mailboxOf,
    calendar: calendarOf,
    consentAs: (email, opts = {}) => oauth.consentAs(email, opts),
    revokeAll: (email) => oauth.revokeAll(email),
    delegationKeyFile: (path) => oauth.delegationKeyFile(path),
    refuseDelegation: (email) => oauth.refuseDelegation(email),
    fail: (f) => {
      faults.push({ ...f });
    },
  };
}
