import { WebClient } from '@slack/web-api';
import { Hono } from 'hono';
import { safeNext, type WebEnv } from './session.js';
import { PROVIDER_NAMES, type Verified, callbackUrl, finishSignin, providerError, readerLocale, refusedPage } from './signin-finish.js';
import type { SigninSettings } from './signin-settings.js';
import { beginSignin, takeSignin } from './signin-state.js';

const SLACK_TIMEOUT_MS = 10_000;

/** The claims of Slack's ID token Rapport reads (Sign in with Slack's OpenID Connect). */
interface SlackClaims {
  iss?: string;
  aud?: string | string[];
  exp?: number;
  nonce?: string;
  sub?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  locale?: string;
  'https://slack.com/team_id'?: string;
}

/**
 * The ID token's claims, when it is for this app, from Slack, unexpired and
 * carries this browser's nonce; else why not. Its signature is not checked:
 * it came straight from Slack over TLS in the code exchange, which OpenID
 * Connect Core (3.1.3.7, 6) accepts in its place.
 *   checkIdToken(token, { clientId: '1.2', nonce: 'n' }) = { sub: 'U1', email: 'a@b.c', … } | 'nonce'
 */
export function checkIdToken(idToken: string | undefined, o: { clientId: string; nonce: string; now?: number }): SlackClaims | string {
  const payload = idToken?.split('.')[1];
  if (!payload) return 'no_id_token';
  let claims: SlackClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SlackClaims;
  } catch {
    return 'bad_id_token';
  }
  const now = o.now ?? Date.now() / 1000;
  if (claims.iss !== 'https://slack.com') return 'issuer';
  if (!(Array.isArray(claims.aud) ? claims.aud.includes(o.clientId) : claims.aud === o.clientId)) return 'audience';
  if (typeof claims.exp !== 'number' || claims.exp <= now) return 'expired';
  if (claims.nonce !== o.nonce) return 'nonce';
  if (!/^[UW][A-Z0-9]{2,20}$/.test(claims.sub ?? '') || !/^[TE][A-Z0-9]{2,20}$/.test(claims['https://slack.com/team_id'] ?? '')) return 'subject';
  return claims;
}

function settingsOf(c: { get(key: 'deps'): { signin?: SigninSettings } }) {
  const s = c.get('deps').signin;
  return s?.slack ? { key: s.serverKey, slack: s.slack } : undefined;
}

/**
 * "Sign in with Slack" (Slack's OpenID Connect, scopes openid email
 * profile, with the app's own client): GET /signin/slack sends the browser
 * to Slack with a state and nonce bound to it; the callback exchanges the
 * code (openid.connect.token), checks the ID token, and signs in the member
 * of the workspace installed for that Slack team whose verified address it
 * is, or lets them join as that workspace's policy says.
 */
export const slackSigninRoutes = new Hono<WebEnv>()
  .get('/signin/slack', (c) => {
    const s = settingsOf(c);
    if (!s) return refusedPage(c, readerLocale(c), 'web_signin_not_configured', { provider: PROVIDER_NAMES.slack }, 404);
    const pending = beginSignin(c, s.key, 'slack', safeNext(c.req.query('next')));
    const authorize = new URL('/openid/connect/authorize', s.slack.oauthUrl ?? 'https://slack.com');
    authorize.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid email profile',
      client_id: s.slack.clientId,
      redirect_uri: callbackUrl(c, 'slack'),
      state: pending.state,
      nonce: pending.nonce,
    }).toString();
    c.header('cache-control', 'no-store');
    return c.redirect(authorize.toString(), 302);
  })
  .get('/signin/slack/callback', async (c) => {
    const s = settingsOf(c);
    const locale = readerLocale(c);
    if (!s) return refusedPage(c, locale, 'web_signin_not_configured', { provider: PROVIDER_NAMES.slack }, 404);
    const q = c.req.query();
    const pending = takeSignin(c, s.key, 'slack', q.state);
    const failed = (error: unknown) =>
      refusedPage(c, locale, 'web_signin_provider_error', { provider: PROVIDER_NAMES.slack, error: providerError(error) }, 400);
    if (q.error) return failed(q.error);
    if (!pending) return refusedPage(c, locale, 'web_signin_state_mismatch', {}, 400);
    if (!q.code) return failed('no_code');
    let claims: SlackClaims | string;
    try {
      const client = new WebClient(undefined, {
        ...(s.slack.apiUrl ? { slackApiUrl: s.slack.apiUrl } : {}),
        retryConfig: { retries: 0 },
        timeout: SLACK_TIMEOUT_MS,
      });
      const answer = await client.openid.connect.token({
        client_id: s.slack.clientId,
        client_secret: s.slack.clientSecret,
        code: q.code,
        redirect_uri: callbackUrl(c, 'slack'),
      });
      claims = checkIdToken(answer.id_token, { clientId: s.slack.clientId, nonce: pending.nonce });
    } catch (e) {
      return failed(e);
    }
    if (typeof claims === 'string') return failed(claims);
    if (!claims.email || claims.email_verified !== true) {
      return refusedPage(c, readerLocale(c, claims.locale), 'web_signin_email_unverified', { provider: PROVIDER_NAMES.slack }, 403);
    }
    const teamId = claims['https://slack.com/team_id']!;
    // may a newcomer join: a full member of the team, never a guest (the Slack app asks users.info)
    const ask = c.get('deps').jobs?.slackProfile;
    const profile = ask ? await ask(teamId, claims.sub!).catch(() => undefined) : undefined;
    const who: Verified = {
      via: 'slack',
      sub: claims.sub!,
      email: claims.email,
      teamId,
      ...(claims.name ? { name: claims.name.slice(0, 200) } : {}),
      ...(claims.locale ? { locale: claims.locale } : {}),
      ...(profile ? { profile } : {}),
    };
    const done = await finishSignin(c, who, pending.next);
    // a Slack team is one workspace: there is never a choice to make
    return done instanceof Response ? done : refusedPage(c, locale, 'web_signin_failed', {}, 400);
  });
