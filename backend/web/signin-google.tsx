/** @jsxImportSource hono/jsx */
import { createHmac } from 'node:crypto';
import type { GenerateAuthUrlOpts } from 'google-auth-library';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../auth/same-secret.js';
import { oauthClient } from '../google/oauth.js';
import { t } from '../i18n/messages.js';
import { publicPage } from './layout.js';
import { formOf, safeNext, type WebEnv } from './session.js';
import { type Choice, PROVIDER_NAMES, type Verified, callbackUrl, finishSignin, providerError, readerLocale, refusedPage } from './signin-finish.js';
import { beginSignin, cookieOptions, seal, takeSignin, unseal } from './signin-state.js';

/** The verified identity and the workspaces it may open, between the callback and the choice (5 minutes). */
type Choosing = { who: Verified; choices: string[]; next: string };
const CHOOSE_COOKIE = 'rapport_choose';
const CHOOSE_PATH = '/signin/google';
const CHOOSE_SECONDS = 300;

function settingsOf(c: Context<WebEnv>) {
  const s = c.get('deps').signin;
  return s?.google ? { key: s.serverKey, google: s.google } : undefined;
}

/** google-auth-library's client for this app, on Google's endpoints or GOOGLE_OAUTH_URL's (the Gmail consent's own builder). */
function clientFor(c: Context<WebEnv>, google: NonNullable<ReturnType<typeof settingsOf>>['google']) {
  return oauthClient({ ...google, redirectUri: callbackUrl(c, 'google') });
}

/** The chooser form's token: only the page that this browser's cookie goes with can post it. */
function chooserProof(key: Buffer, sealed: string): string {
  return createHmac('sha256', key).update(`rapport-choose:${sealed}`).digest('base64url');
}

function chooserPage(c: Context<WebEnv>, who: Verified, choices: Choice[], proof: string) {
  const locale = readerLocale(c, who.locale);
  return publicPage(c, locale, {
    title: t(locale, 'web_choose_title'),
    body: (
      <>
        <h1>{t(locale, 'web_choose_title')}</h1>
        <p>{t(locale, 'web_choose_intro', { email: who.email })}</p>
        {choices.map((w) => (
          <form method="post" action="/signin/google/choose">
            <input type="hidden" name="_csrf" value={proof} />
            <input type="hidden" name="workspace" value={w.workspaceId} />
            <button type="submit" class="button">
              {t(locale, 'web_choose_open', { workspace: w.name })}
            </button>
          </form>
        ))}
      </>
    ),
  });
}

/**
 * "Sign in with Google" (OpenID Connect, scopes openid email profile, with
 * the OAuth client "Connect Gmail" uses): GET /signin/google sends the
 * browser to Google with a state and nonce bound to it; the callback
 * exchanges the code, verifies the ID token against Google's certificates
 * (audience, issuer, expiry, this nonce, a verified address) and signs in
 * the member whose address it is, or lets them join as the workspace's
 * policy says. An address in several workspaces chooses one first: the
 * choices are kept signed in a cookie, so a posted workspace id counts only
 * if it is one of them.
 */
export const googleSigninRoutes = new Hono<WebEnv>()
  .get('/signin/google', (c) => {
    const s = settingsOf(c);
    if (!s) return refusedPage(c, readerLocale(c), 'web_signin_not_configured', { provider: PROVIDER_NAMES.google }, 404);
    const pending = beginSignin(c, s.key, 'google', safeNext(c.req.query('next')));
    const opts = {
      response_type: 'code',
      scope: ['openid', 'email', 'profile'],
      state: pending.state,
      nonce: pending.nonce,
      prompt: 'select_account',
    } as GenerateAuthUrlOpts;
    c.header('cache-control', 'no-store');
    return c.redirect(clientFor(c, s.google).generateAuthUrl(opts), 302);
  })
  .get('/signin/google/callback', async (c) => {
    const s = settingsOf(c);
    const locale = readerLocale(c);
    if (!s) return refusedPage(c, locale, 'web_signin_not_configured', { provider: PROVIDER_NAMES.google }, 404);
    const q = c.req.query();
    const pending = takeSignin(c, s.key, 'google', q.state);
    const failed = (error: unknown) =>
      refusedPage(c, locale, 'web_signin_provider_error', { provider: PROVIDER_NAMES.google, error: providerError(error) }, 400);
    if (q.error) return failed(q.error);
    if (!pending) return refusedPage(c, locale, 'web_signin_state_mismatch', {}, 400);
    if (!q.code) return failed('no_code');
    let claims: { sub?: string; email?: string; email_verified?: boolean; name?: string; locale?: string; nonce?: string } | undefined;
    try {
      const client = clientFor(c, s.google);
      const { tokens } = await client.getToken(q.code);
      if (!tokens.id_token) return failed('no_id_token');
      claims = (await client.verifyIdToken({ idToken: tokens.id_token, audience: s.google.clientId })).getPayload();
    } catch (e) {
      const code = (e as { response?: { data?: { error?: unknown } } }).response?.data?.error;
      return failed(typeof code === 'string' ? code : 'id_token_invalid');
    }
    if (!claims?.sub || !claims.nonce || !sameSecret(claims.nonce, pending.nonce)) return failed('nonce');
    if (!claims.email || claims.email_verified !== true) {
      return refusedPage(c, readerLocale(c, claims.locale), 'web_signin_email_unverified', { provider: PROVIDER_NAMES.google }, 403);
    }
    const who: Verified = {
      via: 'google',
      sub: claims.sub,
      email: claims.email.toLowerCase(),
      ...(claims.name ? { name: claims.name.slice(0, 200) } : {}),
      ...(claims.locale ? { locale: claims.locale } : {}),
    };
    const done = await finishSignin(c, who, pending.next);
    if (done instanceof Response) return done;
    const sealed = seal(s.key, { who, choices: done.choose.map((w) => w.workspaceId), next: pending.next } satisfies Choosing, CHOOSE_SECONDS);
    setCookie(c, CHOOSE_COOKIE, sealed, { ...cookieOptions(c, CHOOSE_PATH), maxAge: CHOOSE_SECONDS });
    c.header('cache-control', 'no-store');
    return chooserPage(c, who, done.choose, chooserProof(s.key, sealed));
  })
  .post('/signin/google/choose', async (c) => {
    const s = settingsOf(c);
    const locale = readerLocale(c);
    if (!s) return refusedPage(c, locale, 'web_signin_not_configured', { provider: PROVIDER_NAMES.google }, 404);
    const sealed = getCookie(c, CHOOSE_COOKIE);
    const choosing = unseal<Choosing>(s.key, sealed);
    const form = await formOf(c);
    const proof = typeof form._csrf === 'string' ? form._csrf : '';
    const workspaceId = typeof form.workspace === 'string' ? form.workspace : '';
    if (!choosing || !sealed || !sameSecret(proof, chooserProof(s.key, sealed)) || !choosing.choices.includes(workspaceId)) {
      return refusedPage(c, locale, 'web_signin_state_mismatch', {}, 400);
    }
    deleteCookie(c, CHOOSE_COOKIE, cookieOptions(c, CHOOSE_PATH));
    const done = await finishSignin(c, { ...choosing.who, workspaceId }, choosing.next);
    return done instanceof Response ? done : refusedPage(c, locale, 'web_signin_failed', {}, 400);
  });
