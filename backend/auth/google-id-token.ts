/**
 * Verifies Google ID tokens sent by the Gmail add-on
 * (Apps Script `ScriptApp.getIdentityToken()`) as `Authorization: Bearer <token>`.
 *
 * Verification is done by google-auth-library's `OAuth2Client.verifyIdToken`
 * (the class googleapis exposes as `google.auth.OAuth2`): RS256 signature
 * against Google's published PEM certificates, issuer, iat/exp window and
 * audience. On top of that we require `email_verified === true`.
 *
 * Example:
 *   const verifier = createGoogleIdTokenVerifier({
 *     clientIds: ['123-abc.apps.googleusercontent.com'],          // env GOOGLE_CLIENT_IDS, split on ','
 *     certsUrl: process.env.GOOGLE_CERTS_URL,                    // optional; default is Google's PEM endpoint
 *   })
 *   await verifier.verify('eyJhbGciOiJSUzI1NiIsImtpZCI6...')
 *   // → { ok: true, identity: { sub: '1000000000001', email: 'rep@example.com', emailVerified: true, name: 'Rep', hostedDomain: 'example.com' } }
 *   await verifier.verify('abc')
 *   // → { ok: false, reason: 'malformed' }
 *   // when Google's certificate endpoint cannot be reached → { ok: false, reason: 'unavailable' } (route answers 503)
 *
 * The token itself is never logged nor included in any result: the library's
 * error messages embed the token / payload, so only a fixed reason is returned.
 */
import { OAuth2Client } from 'google-auth-library';

export type GoogleIdentity = {
  sub: string;
  email: string;
  emailVerified: boolean;
  name?: string;
  hostedDomain?: string;
  /** the locale claim, when the account has one (ja, zh-CN, en-GB) */
  locale?: string;
};

export type GoogleVerifyReason = 'malformed' | 'expired' | 'audience' | 'issuer' | 'signature' | 'unknown_key' | 'email_unverified' | 'unavailable';

export type GoogleVerifyResult = { ok: true; identity: GoogleIdentity } | { ok: false; reason: GoogleVerifyReason };

/** Issuers Google uses for ID tokens. Set explicitly: the library's default list also contains its universe domain ('googleapis.com'). */
const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/** Algorithms google-auth-library can verify (it always verifies with the certificate's key; ES256 is converted from JOSE form). */
const SUPPORTED_ALGS = new Set(['RS256', 'ES256']);

/** Real Google ID tokens are ~1 KB; refuse absurd inputs before doing any work. */
const MAX_TOKEN_LENGTH = 16 * 1024;

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeHeader(token: string): Record<string, unknown> | null {
  const segments = token.split('.');
  if (segments.length !== 3) return null;
  if (!segments.every((s) => BASE64URL_SEGMENT.test(s))) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(segments[0]!, 'base64url').toString('utf8'));
    if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
    const alg = (header as Record<string, unknown>).alg;
    if (typeof alg !== 'string' || alg.length === 0) return null;
    return header as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * True when `token` has the shape of a JWS compact JWT: three non-empty
 * base64url segments whose first decodes to a JSON object with a string `alg`.
 * Says nothing about validity. Example: looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.e30.c2ln') → true; looksLikeJwt('a.b.c') → false.
 */
export function looksLikeJwt(token: string): boolean {
  return typeof token === 'string' && decodeHeader(token) !== null;
}

/**
 * Maps google-auth-library 10.x errors (thrown by verifyIdTokenAsync /
 * verifySignedJwtWithCertsAsync / getFederatedSignonCertsAsync) to a reason.
 * Messages are matched by prefix; they contain the token, so never surface them.
 */
function reasonFromError(err: unknown): GoogleVerifyReason {
  const message = err instanceof Error ? err.message : '';
  const startsWith = (prefix: string) => message.startsWith(prefix);

  // getFederatedSignonCertsAsync wraps transport errors (network, non-2xx after retries, timeout).
  if (startsWith('Failed to retrieve verification certificates')) return 'unavailable';

  if (startsWith('No pem found for envelope')) return 'unknown_key';
  if (startsWith('Invalid token signature')) return 'signature';
  // Outside the iat/exp window (5 min clock skew) or a lifetime longer than maxExpiry (1 day).
  if (startsWith('Token used too late') || startsWith('Token used too early') || startsWith('Expiration time too far in future')) {
    return 'expired';
  }
  if (startsWith('Invalid issuer')) return 'issuer';
  if (startsWith('Wrong recipient')) return 'audience';
  if (
    startsWith('Wrong number of segments in token') ||
    startsWith("Can't parse token envelope") ||
    startsWith("Can't parse token payload") ||
    startsWith('No issue time in token') ||
    startsWith('No expiration time in token') ||
    startsWith('iat field using invalid format') ||
    startsWith('exp field using invalid format') ||
    startsWith('The verifyIdToken method requires an ID Token')
  ) {
    return 'malformed';
  }

  // The certificate map held something Node cannot load as a key (e.g. a misconfigured
  // GOOGLE_CERTS_URL serving garbage): a server-side problem, not the caller's.
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('ERR_OSSL') || code.startsWith('ERR_CRYPTO'))) return 'unavailable';
  if ((err as { name?: unknown } | null)?.name === 'GaxiosError') return 'unavailable';

  // Anything else: fail closed as an unverifiable token.
  return 'signature';
}

export function createGoogleIdTokenVerifier(opts: { clientIds: string[]; certsUrl?: string }): {
  verify(idToken: string): Promise<GoogleVerifyResult>;
} {
  const clientIds = opts.clientIds.map((id) => id.trim()).filter((id) => id.length > 0);
  const certsUrl = opts.certsUrl?.trim() || undefined;

  // One client per verifier: it caches the certificates for the response's cache-control max-age.
  const client = new OAuth2Client({
    issuers: GOOGLE_ISSUERS,
    ...(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {}),
    // Deep-merged by gaxios with the library's per-request retry config: bound the time a
    // request can wait on Google (default: no timeout, 3 retries with 0.1 s + 0.5 s + 1.5 s backoff).
    transporterOptions: { timeout: 5000, retryConfig: { retry: 1 } },
  });

  async function verify(idToken: string): Promise<GoogleVerifyResult> {
    if (clientIds.length === 0) return { ok: false, reason: 'audience' };
    if (typeof idToken !== 'string' || idToken.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    // Check the shape before the library fetches certificates, so garbage never costs a network call.
    const header = decodeHeader(idToken);
    if (!header) return { ok: false, reason: 'malformed' };
    if (!SUPPORTED_ALGS.has(header.alg as string)) return { ok: false, reason: 'signature' };

    let payload;
    try {
      const ticket = await client.verifyIdToken({ idToken, audience: clientIds });
      payload = ticket.getPayload();
    } catch (err) {
      return { ok: false, reason: reasonFromError(err) };
    }

    if (!payload || typeof payload.sub !== 'string' || payload.sub.length === 0) return { ok: false, reason: 'malformed' };
    if (payload.email_verified !== true || typeof payload.email !== 'string' || payload.email.length === 0) {
      return { ok: false, reason: 'email_unverified' };
    }

    const identity: GoogleIdentity = { sub: payload.sub, email: payload.email, emailVerified: true };
    if (typeof payload.name === 'string' && payload.name.length > 0) identity.name = payload.name;
    if (typeof payload.hd === 'string' && payload.hd.length > 0) identity.hostedDomain = payload.hd;
    if (typeof payload.locale === 'string' && payload.locale.length > 0) identity.locale = payload.locale;
    return { ok: true, identity };
  }

  return { verify };
}
