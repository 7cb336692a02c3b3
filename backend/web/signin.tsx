/** @jsxImportSource hono/jsx */
import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { pickLocale, t, type MessageKey } from '../i18n/messages.js';
import { type Locale, localeOf } from '../i18n/vocabulary.js';
import { ASSETS } from './assets.js';
import { requireSession } from './guard.js';
import { publicPage } from './layout.js';
import { clearSessionCookie, formOf, hashWebToken, looksLikeWebToken, newWebToken, safeNext, sessionToken, setSessionCookie, type WebEnv } from './session.js';

type Refusal = 'signin_link_invalid' | 'signin_link_used' | 'signin_link_expired' | 'member_deactivated';
type Peek = { name: string; email: string; locale: string; workspace: string } | { refused: Refusal; locale?: string };
type Redeemed = { workspaceId: string; memberId: string; next: string } | { refused: Refusal; locale?: string };

/** The cookie that ties a link's Continue button to the browser that opened the link (no login CSRF). */
const LINK_COOKIE = 'rapport_link';
function linkProof(token: string): string {
  return createHmac('sha256', token).update('rapport-link').digest('base64url');
}

function readerLocale(c: { req: { header(name: string): string | undefined } }): Locale {
  return pickLocale(c.req.header('accept-language'));
}

function refusedPage(c: Parameters<typeof publicPage>[0], locale: Locale, key: MessageKey, status: 400 | 401 | 403 | 410) {
  return publicPage(c, locale, {
    title: t(locale, 'web_link_refused_title'),
    status,
    body: (
      <>
        <h1>{t(locale, 'web_link_refused_title')}</h1>
        <p>{t(locale, key)}</p>
        <a class="button secondary" href="/signin">
          {t(locale, 'web_signin_title')}
        </a>
      </>
    ),
  });
}

const REFUSED_STATUS = { signin_link_invalid: 400, signin_link_used: 410, signin_link_expired: 410, member_deactivated: 403 } as const;

/**
 * The pages a person reaches before signing in: the sign-in page, a
 * one-time link (shown first, used only by its Continue button, which a
 * link scanner never presses), sign-out, and the assets.
 */
export const signinRoutes = new Hono<WebEnv>()
  .get(ASSETS.css.path, (c) => c.body(ASSETS.css.body, 200, { 'content-type': ASSETS.css.type, 'cache-control': 'public, max-age=31536000, immutable' }))
  .get(ASSETS.js.path, (c) => c.body(ASSETS.js.body, 200, { 'content-type': ASSETS.js.type, 'cache-control': 'public, max-age=31536000, immutable' }))
  .get('/signin', (c) => {
    const locale = readerLocale(c);
    const providers = c.get('deps').signin;
    const next = safeNext(c.req.query('next'));
    const carry = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return publicPage(c, locale, {
      title: t(locale, 'web_signin_title'),
      body: (
        <>
          <h1>{t(locale, 'web_signin_title')}</h1>
          <p>{t(locale, 'web_signin_intro')}</p>
          {providers?.slack ? (
            <a class="button" href={`/signin/slack${carry}`}>
              {t(locale, 'web_signin_with_slack')}
            </a>
          ) : null}
          {providers?.google ? (
            <a class="button" href={`/signin/google${carry}`}>
              {t(locale, 'web_signin_with_google')}
            </a>
          ) : null}
          <p class="muted">{t(locale, 'web_signin_link_hint')}</p>
        </>
      ),
    });
  })
  .get('/signin/link/:token', async (c) => {
    const token = c.req.param('token');
    let locale = readerLocale(c);
    if (!looksLikeWebToken(token)) return refusedPage(c, locale, 'signin_link_invalid', 400);
    const peek = await c.get('deps').db.callAnonymous<Peek>('signin_link_peek', { tokenHash: hashWebToken(token) });
    if ('refused' in peek) return refusedPage(c, localeOf(peek.locale) ?? locale, peek.refused, REFUSED_STATUS[peek.refused]);
    locale = localeOf(peek.locale) ?? locale;
    setCookie(c, LINK_COOKIE, linkProof(token), { httpOnly: true, sameSite: 'Lax', path: '/signin/link', maxAge: 600 });
    return publicPage(c, locale, {
      title: t(locale, 'web_link_title'),
      body: (
        <>
          <h1>{t(locale, 'web_link_title')}</h1>
          <p>{t(locale, 'web_link_body', peek)}</p>
          <form method="post" action={`/signin/link/${token}`}>
            <button type="submit">{t(locale, 'web_link_continue', { name: peek.name })}</button>
          </form>
        </>
      ),
    });
  })
  .post('/signin/link/:token', async (c) => {
    const token = c.req.param('token');
    const locale = readerLocale(c);
    if (!looksLikeWebToken(token)) return refusedPage(c, locale, 'signin_link_invalid', 400);
    // the Continue button of the page this browser was shown, not a form of another site
    if (getCookie(c, LINK_COOKIE) !== linkProof(token)) return refusedPage(c, locale, 'web_csrf_refused', 403);
    const session = newWebToken();
    const done = await c.get('deps').db.callAnonymous<Redeemed>('signin_link_redeem', { tokenHash: hashWebToken(token), sessionHash: session.hash });
    if ('refused' in done) return refusedPage(c, localeOf(done.locale) ?? locale, done.refused, REFUSED_STATUS[done.refused]);
    setSessionCookie(c, session.token);
    return c.redirect(safeNext(done.next), 303);
  })
  .post('/signout', async (c) => {
    const token = sessionToken(c);
    let locale = readerLocale(c);
    // signing out needs no CSRF token: the worst a forged one does is sign you out
    await formOf(c);
    if (token) {
      const ended = await c.get('deps').db.callAnonymous<{ locale: string | null }>('web_session_end', { sessionHash: hashWebToken(token) });
      locale = localeOf(ended.locale) ?? locale;
    }
    clearSessionCookie(c);
    return publicPage(c, locale, {
      title: t(locale, 'web_signed_out_title'),
      body: (
        <>
          <h1>{t(locale, 'web_signed_out_title')}</h1>
          <p>{t(locale, 'web_signed_out')}</p>
          <a class="button" href="/signin">
            {t(locale, 'web_sign_in_again')}
          </a>
        </>
      ),
    });
  });

export { requireSession };
