/**
 * What can go wrong talking to Google, as the sync worker acts on it: access
 * lost (stop syncing this mailbox and ask the member to connect again), Google
 * unavailable (try this mailbox later), history expired (import again). The
 * classification of a failed call is one pure function, so every call site
 * agrees on which failures are retried. No message here carries a token.
 */

export type AccessLostReason = 'invalid_grant' | 'revoked' | 'domain_policy' | 'insufficient_scope' | 'no_refresh_token';

const LOST_MESSAGES: Record<AccessLostReason, string> = {
  invalid_grant:
    'Google refused the stored refresh token (invalid_grant): the member revoked Rapport, changed their password, or the token expired; connect Google again',
  revoked: "Google answered 401 to a fresh access token: the member's grant was revoked; connect Google again",
  domain_policy:
    "Google refused access by the Workspace domain's policy (delegation not allowed for this client, or the user's mail service is off); an admin must allow Rapport",
  insufficient_scope: 'Google answered that the grant lacks the scope this call needs; connect Google again with the Gmail scope',
  no_refresh_token: 'Google gave no refresh token: remove Rapport at https://myaccount.google.com/permissions and connect again so Google asks for consent',
};

/** The member's Google access is gone until they (or their admin) act; retrying will not help. */
export class GoogleAccessLost extends Error {
  override readonly name = 'GoogleAccessLost';
  constructor(
    readonly reason: AccessLostReason,
    message?: string,
  ) {
    super(message ?? LOST_MESSAGES[reason]);
  }
}

/** Google kept failing (rate limits, 5xx, network) after every attempt; retryAfterSeconds is what it last asked for, if anything. */
export class GoogleUnavailable extends Error {
  override readonly name = 'GoogleUnavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** history.list answered 404 for the stored startHistoryId: Gmail keeps history about a week; the mailbox must be imported again. */
export class HistoryExpired extends Error {
  override readonly name = 'HistoryExpired';
  constructor(readonly startHistoryId: string) {
    super(`Gmail no longer has history from ${startHistoryId} (404 on history.list); import the mailbox again`);
  }
}

/** What to do with a failed call. */
export type Verdict =
  | { kind: 'retry'; retryAfterSeconds?: number; what: string }
  | { kind: 'lost'; reason: AccessLostReason }
  | { kind: 'unauthorized' }
  | { kind: 'not_found' }
  | { kind: 'fail'; what: string };

/** The parts of a gaxios error (or a network error) the verdict reads. */
export interface FailedCall {
  status?: number;
  /** the parsed JSON body: `{ error: { code, message, errors: [{ reason }] } }` from an API, `{ error: 'invalid_grant' }` from the token endpoint */
  data?: unknown;
  retryAfter?: string | null;
  /** a network error's code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, …) */
  code?: string;
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'concurrentLimitExceeded', 'backendError']);
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
const POLICY_REASONS = new Set(['domainPolicy', 'failedPrecondition']);

/**
 * The verdict on a failed call, from its status and body.
 *   verdict({ status: 429, retryAfter: '2' }) = { kind: 'retry', retryAfterSeconds: 2, what: 'HTTP 429' }
 *   verdict({ status: 400, data: { error: 'invalid_grant' } }) = { kind: 'lost', reason: 'invalid_grant' }
 *   verdict({ status: 403, data: { error: { errors: [{ reason: 'userRateLimitExceeded' }] } } }) = { kind: 'retry', what: 'HTTP 403 userRateLimitExceeded' }
 */
export function verdict(f: FailedCall, now = Date.now()): Verdict {
  const retryAfterSeconds = parseRetryAfter(f.retryAfter, now);
  const after = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (f.status === undefined) return { kind: 'retry', what: `network error ${f.code ?? 'without a code'}`, ...after };
  const tokenError = oauthError(f.data);
  if (tokenError === 'invalid_grant') return { kind: 'lost', reason: 'invalid_grant' };
  if (tokenError === 'unauthorized_client' || tokenError === 'access_denied') return { kind: 'lost', reason: 'domain_policy' };
  if (tokenError === 'invalid_scope') return { kind: 'lost', reason: 'insufficient_scope' };
  const reasons = apiReasons(f.data);
  if (f.status === 429 || f.status >= 500) return { kind: 'retry', what: `HTTP ${f.status}`, ...after };
  if (f.status === 403) {
    const reason = reasons.find((r) => RATE_LIMIT_REASONS.has(r));
    if (reason) return { kind: 'retry', what: `HTTP 403 ${reason}`, ...after };
    if (reasons.some((r) => SCOPE_REASONS.has(r))) return { kind: 'lost', reason: 'insufficient_scope' };
    if (reasons.some((r) => POLICY_REASONS.has(r)) || /domain|policy|not enabled|delegation/i.test(apiMessage(f.data)))
      return { kind: 'lost', reason: 'domain_policy' };
  }
  if (f.status === 401) return { kind: 'unauthorized' };
  if (f.status === 404) return { kind: 'not_found' };
  const reason = reasons[0] ? ` ${reasons[0]}` : '';
  return { kind: 'fail', what: `HTTP ${f.status}${reason}${apiMessage(f.data) ? `: ${apiMessage(f.data).slice(0, 200)}` : ''}` };
}

/**
 * Retry-After in seconds, from seconds or an HTTP date; undefined when absent or unreadable.
 *   parseRetryAfter('2') = 2
 *   parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:50 GMT')) = 10
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The token endpoint's `{ error: 'invalid_grant', error_description }`, as its error code. */
function oauthError(data: unknown): string | undefined {
  const error = isRecord(data) ? data.error : undefined;
  return typeof error === 'string' ? error : undefined;
}

/** An API error's reasons: `{ error: { errors: [{ reason }], details: [{ reason }] } }`. */
function apiReasons(data: unknown): string[] {
  const error = isRecord(data) && isRecord(data.error) ? data.error : undefined;
  if (!error) return [];
  const out: string[] = [];
  for (const list of [error.errors, error.details]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) if (isRecord(e) && typeof e.reason === 'string') out.push(e.reason);
  }
  if (typeof error.status === 'string') out.push(error.status);
  return out;
}

function apiMessage(data: unknown): string {
  const error = isRecord(data) ? data.error : undefined;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  const description = isRecord(data) ? data.error_description : undefined;
  return typeof description === 'string' ? description : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The FailedCall of whatever a gaxios call threw (a GaxiosError with its response, or a network error). */
export function failedCall(e: unknown): FailedCall {
  if (!isRecord(e)) return {};
  const response = isRecord(e.response) ? e.response : undefined;
  const headers = response?.headers;
  const retryAfter =
    headers instanceof Headers ? headers.get('retry-after') : isRecord(headers) && typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  return { ...(status === undefined ? {} : { status }), data: response?.data, retryAfter, ...(code ? { code } : {}) };
}
