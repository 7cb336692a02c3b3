/**
 * Test issuer of Google-style ID tokens (RS256) plus an msw handler serving its
 * public key the way https://www.googleapis.com/oauth2/v1/certs does: a JSON
 * object `{ [kid]: PEM }` with `cache-control: public, max-age=…`.
 *
 * The key is served as an SPKI "BEGIN PUBLIC KEY" PEM: google-auth-library
 * (Node path) verifies with crypto.createVerify('RSA-SHA256').verify(pem, …),
 * which accepts it just like Google's X.509 certificates.
 *
 * Example:
 *   const issuer = createTestGoogleIssuer()
 *   const server = setupServer(issuer.certsHandler())
 *   const token = issuer.sign({ aud: 'my-client.apps.googleusercontent.com' })
 */
import { generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { http, HttpResponse, type HttpHandler } from 'msw';

/** Google's real default PEM certificate URL (google-auth-library's oauth2FederatedSignonPemCertsUrl). */
export const TEST_CERTS_URL = 'https://www.googleapis.com/oauth2/v1/certs';

export const TEST_CLIENT_ID = 'test-client.apps.googleusercontent.com';

export type TestGoogleClaims = {
  iss: string;
  aud: string;
  sub: string;
  email: string;
  email_verified: boolean;
  iat: number;
  exp: number;
  name: string;
  hd: string;
};

export type TestGoogleIssuer = {
  kid: string;
  /** SPKI PEM of the issuer's own public key. */
  publicKeyPem: string;
  /** Number of requests the certs handler(s) of this issuer have answered. */
  readonly certsRequests: number;
  /** msw handler answering GET `url` (default TEST_CERTS_URL) with `{ [kid]: PEM }`. */
  certsHandler(opts?: { url?: string; maxAgeSeconds?: number }): HttpHandler;
  /** Signs an RS256 JWT. Claims set to `undefined` are omitted. `key: 'other'` signs with a second key under the same kid. */
  sign(claims?: Partial<TestGoogleClaims>, opts?: { kid?: string; key?: 'own' | 'other' }): string;
};

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function createTestGoogleIssuer(): TestGoogleIssuer {
  const own = newKeyPair();
  const other = newKeyPair();
  const kid = randomBytes(20).toString('hex');
  const publicKeyPem = own.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let certsRequests = 0;

  return {
    kid,
    publicKeyPem,
    get certsRequests() {
      return certsRequests;
    },
    certsHandler(opts = {}) {
      const maxAge = opts.maxAgeSeconds ?? 21600;
      return http.get(opts.url ?? TEST_CERTS_URL, () => {
        certsRequests += 1;
        return HttpResponse.json({ [kid]: publicKeyPem }, { headers: { 'cache-control': `public, max-age=${maxAge}, must-revalidate, no-transform` } });
      });
    },
    sign(claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Partial<TestGoogleClaims> = {
        iss: 'https://accounts.google.com',
        aud: TEST_CLIENT_ID,
        sub: '1000000000001',
        email: 'rep@example.com',
        email_verified: true,
        iat: now,
        exp: now + 3600,
        ...claims,
      };
      const header = { alg: 'RS256', kid: opts.kid ?? kid, typ: 'JWT' };
      const signingInput = `${b64url(header)}.${b64url(payload)}`;
      const key = opts.key === 'other' ? other.privateKey : own.privateKey;
      const signature = cryptoSign('sha256', Buffer.from(signingInput), key).toString('base64url');
      return `${signingInput}.${signature}`;
    },
  };
}
