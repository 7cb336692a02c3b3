/**
 * The OAuth side of the Google stand-in: authorize (auto-consent as a chosen
 * user), token (authorization_code, refresh_token and the service account's
 * jwt-bearer grant, with Google's error bodies), revoke, and the certificates
 * an ID token is verified with. Its wire formats are Google's:
 *   POST /token grant_type=refresh_token&refresh_token=…  →  400 { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Answer } from './google-stand-in-mailbox.js';

interface Grant {
  email: string;
  scopes: string[];
  revoked: boolean;
}

interface Consent {
  email: string;
  refuseRefreshToken: boolean;
  scopes?: string[];
  /** the ID token's email_verified (true unless said) */
  emailVerified?: boolean;
  /** an ID token carrying this nonce instead of the one asked for */
  nonce?: string;
}

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const oauthError = (status: number, error: string, description: string): Answer => ({ status, body: { error, error_description: description } });
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export class StandInOAuth {
  private readonly codes = new Map<string, { consent: Consent; scopes: string[]; redirectUri: string; used: boolean; nonce: string | null }>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { grant: Grant; expires: number }>();
  private readonly grants: Grant[] = [];
  private consent: Consent | undefined;
  private readonly refused = new Set<string>();
  /** Google's ID-token signing key */
  private readonly signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = randomBytes(8).toString('hex');
  /** the service account's key pair, for domain-wide delegation */
  private readonly serviceAccount = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly serviceAccountEmail = 'rapport-sync@rapport-test.iam.gserviceaccount.com';

  constructor(
    private readonly client: { clientId: string; clientSecret: string },
    private readonly url: () => string,
  ) {}

  consentAs(email: string, o: { refuseRefreshToken?: boolean; scopes?: string[]; emailVerified?: boolean; nonce?: string }): void {
    this.consent = {
      email: email.toLowerCase(),
      refuseRefreshToken: o.refuseRefreshToken ?? false,
      ...(o.scopes ? { scopes: o.scopes } : {}),
      ...(o.emailVerified !== undefined ? { emailVerified: o.emailVerified } : {}),
      ...(o.nonce !== undefined ? { nonce: o.nonce } : {}),
    };
  }

  revokeAll(email: string): void {
    for (const g of this.grants) if (g.email === email.toLowerCase()) g.revoked = true;
  }

  refuseDelegation(email: string): void {
    this.refused.add(email.toLowerCase());
  }

  async delegationKeyFile(path: string): Promise<void> {
    const key = {
      type: 'service_account',
      project_id: 'rapport-test',
      private_key_id: this.kid,
      private_key: this.serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: this.serviceAccountEmail,
      client_id: '100000000000000000001',
      auth_uri: `${this.url()}/o/oauth2/auth`,
      token_uri: `${this.url()}/token`,
      universe_domain: 'googleapis.com',
    };
    await writeFile(path, JSON.stringify(key, null, 2));
  }

  /** The live grant an access token belongs to, if any. */
  grantOfAccessToken(token: string | undefined): Grant | undefined {
    const t = token ? this.accessTokens.get(token) : undefined;
    return t && !t.grant.revoked && t.expires > Date.now() ? t.grant : undefined;
  }

  handle(method: string, path: string, query: URLSearchParams, form: URLSearchParams): Answer {
    if (method === 'GET' && path === '/o/oauth2/v2/auth') return this.authorize(query);
    if (method === 'POST' && path === '/token') return this.token(form);
    if (method === 'POST' && path === '/revoke') return this.revoke(query.get('token') ?? form.get('token') ?? '');
    if (method === 'GET' && path === '/oauth2/v1/certs') {
      return { status: 200, body: { [this.kid]: this.signing.publicKey.export({ type: 'spki', format: 'pem' }).toString() } };
    }
    return { status: 404, body: { error: 'not_found', error_description: `the stand-in does not serve ${method} ${path}` } };
  }

  private authorize(q: URLSearchParams): Answer {
    if (q.get('client_id') !== this.client.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!/^https?:\/\//.test(redirectUri)) return oauthError(400, 'redirect_uri_mismatch', 'redirect_uri is missing or not a URL');
    const requested = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (!requested.length) return oauthError(400, 'invalid_request', 'Missing required parameter: scope');
    if (q.get('response_type') !== 'code') return oauthError(400, 'unsupported_response_type', 'response_type must be code');
    if (!this.consent) return oauthError(400, 'access_denied', 'the stand-in has no user to consent as: call consentAs(email) first');
    const code = `4/0A${randomBytes(16).toString('base64url')}`;
    const scopes = this.consent.scopes ?? requested;
    this.codes.set(code, { consent: this.consent, scopes, redirectUri, used: false, nonce: q.get('nonce') });
    const to = new URL(redirectUri);
    to.searchParams.set('code', code);
    if (q.get('state') !== null) to.searchParams.set('state', q.get('state')!);
    to.searchParams.set('scope', scopes.join(' '));
    return { status: 302, body: to.toString() };
  }

  private token(f: URLSearchParams): Answer {
    const grantType = f.get('grant_type');
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtBearer(f.get('assertion') ?? '');
    if (f.get('client_id') !== this.client.clientId || f.get('client_secret') !== this.client.clientSecret) {
      return oauthError(401, 'invalid_client', 'Unauthorized');
    }
    if (grantType === 'authorization_code') {
      const c = this.codes.get(f.get('code') ?? '');
      if (!c || c.used) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
      if (c.redirectUri !== f.get('redirect_uri')) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      c.used = true;
      const grant = this.newGrant(c.consent.email, c.scopes);
      const refresh = c.consent.refuseRefreshToken ? {} : { refresh_token: this.newRefreshToken(grant) };
      return { status: 200, body: { ...this.accessAnswer(grant), ...refresh, id_token: this.idToken(grant.email, c.consent, c.nonce) } };
    }
    if (grantType === 'refresh_token') {
      const grant = this.refreshTokens.get(f.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      return { status: 200, body: this.accessAnswer(grant) };
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  /** A service account's signed assertion, as Google checks it: signature, issuer, audience, expiry; then whether it may act as `sub`. */
  private jwtBearer(assertion: string): Answer {
    const [head, payload, signature] = assertion.split('.');
    if (!head || !payload || !signature) return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed');
    const ok = verify('sha256', Buffer.from(`${head}.${payload}`), this.serviceAccount.publicKey as KeyObject, Buffer.from(signature, 'base64url'));
    if (!ok) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; aud?: string; exp?: number; scope?: string; sub?: string };
    if (claims.iss !== this.serviceAccountEmail) return oauthError(400, 'invalid_grant', 'Invalid JWT: unknown issuer');
    if (claims.aud !== GOOGLE_TOKEN_URL && claims.aud !== `${this.url()}/token`) return oauthError(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
    if (!claims.exp || claims.exp * 1000 < Date.now())
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.');
    const subject = (claims.sub ?? claims.iss).toLowerCase();
    if (this.refused.has(subject)) {
      return oauthError(
        401,
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      );
    }
    return { status: 200, body: this.accessAnswer(this.newGrant(subject, (claims.scope ?? '').split(/\s+/).filter(Boolean))) };
  }

  private revoke(token: string): Answer {
    const grant = this.refreshTokens.get(token) ?? this.accessTokens.get(token)?.grant;
    if (!grant || grant.revoked) return oauthError(400, 'invalid_token', 'Token expired or revoked');
    grant.revoked = true;
    return { status: 200, body: {} };
  }

  private newGrant(email: string, scopes: string[]): Grant {
    const grant = { email, scopes, revoked: false };
    this.grants.push(grant);
    return grant;
  }

  private newRefreshToken(grant: Grant): string {
    const token = `1//0g${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(token, grant);
    return token;
  }

  private accessAnswer(grant: Grant) {
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { grant, expires: Date.now() + 3599_000 });
    return { access_token: token, expires_in: 3599, scope: grant.scopes.join(' '), token_type: 'Bearer' };
  }

  private idToken(email: string, consent: Consent, nonce: string | null): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'https://accounts.google.com',
      azp: this.client.clientId,
      aud: this.client.clientId,
      sub: BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 14)}`).toString(),
      email,
      email_verified: consent.emailVerified ?? true,
      iat: now,
      exp: now + 3600,
      ...((consent.nonce ?? nonce) !== null ? { nonce: consent.nonce ?? nonce } : {}),
    };
    const input = `${b64json({ alg: 'RS256', kid: this.kid, typ: 'JWT' })}.${b64json(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.signing.privateKey).toString('base64url')}`;
  }
}
