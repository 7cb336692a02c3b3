/**
 * A member's consent to Rapport reading their Google data: the authorize URL,
 * the code exchange (a refresh token, the address it belongs to and the scopes
 * granted), the revoke. Through google-auth-library's OAuth2Client, pointed at
 * Google, or at a stand-in when oauthUrl is set (GOOGLE_OAUTH_URL). Its
 * transport retries nothing: the backoff is ours (retry.ts).
 */
import { gaxios, OAuth2Client } from 'google-auth-library';
import { GoogleAccessLost } from './errors.js';
import { type RetryOptions, withRetries } from './retry.js';

export interface GoogleEndpoints {
  /** GOOGLE_API_URL: the root of the Gmail and Calendar APIs, e.g. http://127.0.0.1:PORT/ (default https://gmail.googleapis.com/) */
  apiUrl?: string;
  /** GOOGLE_OAUTH_URL: the root of authorize (/o/oauth2/v2/auth), token (/token), revoke (/revoke) and certs (/oauth2/v1/certs), e.g. http://127.0.0.1:PORT */
  oauthUrl?: string;
}

export interface OAuthApp extends GoogleEndpoints {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export const GMAIL_SCOPE = {
  readonly: 'https://www.googleapis.com/auth/gmail.readonly',
  metadata: 'https://www.googleapis.com/auth/gmail.metadata',
} as const;
export const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar.readonly';
/** What Calendar sync asks for: the events only, read only (the narrowest scope events.list takes); calendar.readonly works as well. */
export const CALENDAR_EVENTS_SCOPE = 'https://www.googleapis.com/auth/calendar.events.readonly';

/** What every consent asks for besides the data scopes: the address, so the callback learns whose mailbox it is. */
const IDENTITY_SCOPES = ['openid', 'email'];

/** The token URL google-auth-library's service-account (JWT) flow posts to whatever the client's endpoints say. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * The endpoints under a stand-in's root, or none (Google's own).
 *   oauthEndpoints('http://127.0.0.1:4000').oauth2TokenUrl = 'http://127.0.0.1:4000/token'
 */
export function oauthEndpoints(oauthUrl: string | undefined) {
  if (!oauthUrl) return undefined;
  const root = oauthUrl.replace(/\/+$/, '');
  return {
    oauth2AuthBaseUrl: `${root}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${root}/token`,
    oauth2RevokeUrl: `${root}/revoke`,
    tokenInfoUrl: `${root}/tokeninfo`,
    oauth2FederatedSignonPemCertsUrl: `${root}/oauth2/v1/certs`,
  };
}

/**
 * A gaxios transport that never retries by itself, and sends the
 * service-account token request (whose URL google-auth-library 10 fixes at
 * Google's: gtoken ignores the key file's token_uri) to oauthUrl's /token.
 */
export function googleTransport(oauthUrl?: string): gaxios.Gaxios {
  const transport = new gaxios.Gaxios();
  const tokenUrl = oauthEndpoints(oauthUrl)?.oauth2TokenUrl;
  transport.interceptors.request.add({
    resolved: async (config) => {
      config.retry = false;
      config.retryConfig = { retry: 0, noResponseRetries: 0 };
      if (tokenUrl && config.url.toString() === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
      return config;
    },
  });
  return transport;
}

/** An OAuth2Client for the app, on Google's endpoints or the stand-in's, that retries nothing by itself. */
export function oauthClient(app: OAuthApp): OAuth2Client {
  const endpoints = oauthEndpoints(app.oauthUrl);
  return new OAuth2Client({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    transporter: googleTransport(app.oauthUrl),
    ...(endpoints ? { endpoints } : {}),
  });
}

/**
 * Where to send the member to consent: offline access (a refresh token),
 * consent asked again (so Google gives one even to a returning member),
 * earlier grants kept, and 'openid email' added.
 *   authorizeUrl(app, { scopes: [GMAIL_SCOPE.readonly], state: 's1' })
 *     = 'https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly%20openid%20email&…&state=s1'
 */
export function authorizeUrl(app: OAuthApp, o: { scopes: string[]; state: string; loginHint?: string }): string {
  const scope = [...new Set([...o.scopes, ...IDENTITY_SCOPES])];
  return oauthClient(app).generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    include_granted_scopes: true,
    response_type: 'code',
    scope,
    state: o.state,
    ...(o.loginHint ? { login_hint: o.loginHint } : {}),
  });
}

/**
 * The code from the consent redirect, exchanged: the refresh token to store
 * (encrypted, by the caller), the member's Google address (from the ID token,
 * verified against Google's certificates as google-auth-library does, so it
 * needs no Gmail scope) and the scopes granted. GoogleAccessLost
 * ('no_refresh_token') when Google gave none.
 */
export async function exchangeCode(app: OAuthApp, code: string, o: RetryOptions = {}): Promise<{ refreshToken: string; email: string; scopes: string[] }> {
  const client = oauthClient(app);
  // a code is good once: a second POST after a lost answer would be refused as invalid_grant, so one attempt only
  const { tokens } = await withRetries('the OAuth code exchange', () => client.getToken(code), { ...o, maxAttempts: 1 });
  if (!tokens.refresh_token) throw new GoogleAccessLost('no_refresh_token');
  if (!tokens.id_token) throw new Error("Google's token answer has no ID token: the consent must include the 'openid email' scopes");
  const ticket = await withRetries('verifying the ID token', () => client.verifyIdToken({ idToken: tokens.id_token!, audience: app.clientId }), o);
  const email = ticket.getPayload()?.email;
  if (!email) throw new Error("Google's ID token has no email claim: the consent must include the 'email' scope");
  const scopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
  return { refreshToken: tokens.refresh_token, email: email.toLowerCase(), scopes };
}

/**
 * Revokes a refresh token (and every access token made from it). A token
 * Google no longer knows counts as revoked: its 400 invalid_token is success.
 */
export async function revokeToken(app: OAuthApp, refreshToken: string, o: RetryOptions = {}): Promise<void> {
  const client = oauthClient(app);
  try {
    await withRetries('revoking the Google token', () => client.revokeToken(refreshToken), o);
  } catch (e) {
    if (e instanceof Error && /failed: HTTP 400\b/.test(e.message)) return;
    if (e instanceof GoogleAccessLost) return;
    throw e;
  }
}
