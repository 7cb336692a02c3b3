/** @jsxImportSource hono/jsx */
import { createMiddleware } from 'hono/factory';
import { pickLocale, t } from '../i18n/messages.js';
import { publicPage } from './layout.js';
import { csrfMatches, formOf, hashWebToken, sessionToken, type WebEnv, type WebUser } from './session.js';

/**
 * Every page behind sign-in: the session's member becomes the principal
 * (source 'web') and `user`. Without a live session a GET goes to the
 * sign-in page with where it was going; anything else gets a 401 page. A
 * form (any method but GET and HEAD) must carry the session's CSRF token in
 * `_csrf` (the form's field, or its action's query) or X-CSRF-Token, else a
 * 403 page and nothing is changed.
 */
export const requireSession = createMiddleware<WebEnv>(async (c, next) => {
  const { db } = c.get('deps');
  const token = sessionToken(c);
  const found = token ? await db.callAnonymous<Omit<WebUser, 'source'> | null>('web_session', { sessionHash: hashWebToken(token) }) : null;
  if (!token || !found) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const url = new URL(c.req.url);
      return c.redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    const locale = pickLocale(c.req.header('accept-language'));
    return publicPage(c, locale, {
      title: t(locale, 'web_signin_title'),
      status: 401,
      body: (
        <>
          <h1>{t(locale, 'web_signin_title')}</h1>
          <p>{t(locale, 'web_signin_required')}</p>
          <a class="button" href="/signin">
            {t(locale, 'web_sign_in_again')}
          </a>
        </>
      ),
    });
  }
  const user: WebUser = { ...found, source: 'web', credentialKey: `member:${found.memberId}` };
  c.set('user', user);
  c.set('principal', user);
  c.set('sessionToken', token);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    // a file upload carries its token in the form's action (?_csrf=), so
    // that its body goes unread to the code that takes it (the CSV import)
    const sent = c.req.query('_csrf') ?? c.req.header('x-csrf-token') ?? (await formOf(c))._csrf;
    if (!csrfMatches(token, sent)) {
      return publicPage(c, user.locale, {
        title: t(user.locale, 'web_csrf_refused_title'),
        status: 403,
        body: (
          <>
            <h1>{t(user.locale, 'web_csrf_refused_title')}</h1>
            <p>{t(user.locale, 'web_csrf_refused')}</p>
          </>
        ),
      });
    }
  }
  await next();
});
