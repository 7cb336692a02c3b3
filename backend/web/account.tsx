/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { formatDate } from '../i18n/dates.js';
import { t, type MessageKey } from '../i18n/messages.js';
import { call } from '../http.js';
import { requireSession } from './guard.js';
import { CsrfField, csrfOf, page } from './layout.js';
import { clearSessionCookie, type WebEnv } from './session.js';

type SessionRow = { id: string; via: 'link' | 'slack' | 'google'; createdAt: string; lastSeenAt: string };

/** The account page: who you are signed in as, where, and sign out everywhere. */
export const accountRoutes = new Hono<WebEnv>()
  .get('/account', requireSession, async (c) => {
    const user = c.get('user');
    const { locale, timezone } = user;
    const sessions = await call<SessionRow[]>(c as never, 'web_sessions_list', {});
    const when = (iso: string) => formatDate(iso, locale, timezone);
    return page(c, {
      title: t(locale, 'web_account_title'),
      body: (
        <>
          <h1>{t(locale, 'web_account_title')}</h1>
          <p>{t(locale, 'web_account_who', { name: user.name, email: user.email, role: t(locale, `role_${user.role}` as MessageKey) })}</p>
          <h2>{t(locale, 'web_sessions_title')}</h2>
          <ul class="plain">
            {sessions.map((s) => (
              <li>
                {t(locale, 'web_session_row', { created: when(s.createdAt), via: t(locale, `web_via_${s.via}`), seen: when(s.lastSeenAt) })}{' '}
                {s.id === user.sessionId ? <strong>{t(locale, 'web_session_this')}</strong> : null}
              </li>
            ))}
          </ul>
          <form method="post" action="/account/signout-everywhere">
            <CsrfField token={csrfOf(c)} />
            <p>
              <button type="submit" class="secondary">
                {t(locale, 'web_sign_out_everywhere')}
              </button>
            </p>
          </form>
        </>
      ),
    });
  })
  .post('/account/signout-everywhere', requireSession, async (c) => {
    await call(c as never, 'web_sessions_end_all', {});
    clearSessionCookie(c);
    return c.redirect('/signin', 303);
  });
