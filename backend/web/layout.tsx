/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type MessageKey, t } from '../i18n/messages.js';
import type { Locale } from '../i18n/vocabulary.js';
import { ASSETS, PAGE_HEADERS } from './assets.js';
import { csrfToken, type WebUser } from './session.js';

/**
 * The frame of every page of the web companion: the language of the reader,
 * the stylesheet and script from /assets (no inline code, so the CSP holds),
 * the navigation for a signed-in member, and a skip link. Text goes through
 * JSX, which escapes it: stored text is inert on every page.
 */
export function Layout(props: { locale: Locale; title: string; user?: WebUser | undefined; csrf?: string | undefined; children?: Child }) {
  const { locale, title, user } = props;
  const tr = (key: MessageKey) => t(locale, key);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Rapport`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ASSETS.css.path} />
        <script src={ASSETS.js.path} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {tr('web_skip_to_content')}
        </a>
        {user ? (
          <header class="top">
            <a class="brand" href="/">
              Rapport
            </a>
            <nav aria-label="Rapport">
              <ul>
                <li>
                  <a href="/">{tr('web_nav_home')}</a>
                </li>
                <li>
                  <a href="/deals">{tr('web_nav_deals')}</a>
                </li>
                {user.role === 'admin' ? (
                  <li>
                    <a href="/admin">{tr('web_nav_admin')}</a>
                  </li>
                ) : null}
                <li>
                  <a href="/account">{tr('web_nav_account')}</a>
                </li>
              </ul>
            </nav>
            <form method="post" action="/signout">
              <CsrfField token={props.csrf} />
              <button type="submit" class="link">
                {tr('web_sign_out')}
              </button>
            </form>
          </header>
        ) : null}
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** The hidden field every form of a signed-in page carries (see requireSession). */
export function CsrfField(props: { token?: string | undefined }) {
  return props.token ? <input type="hidden" name="_csrf" value={props.token} /> : null;
}

/**
 * A page for the signed-in member, in their language, with the page headers.
 *   return page(c, { title: 'Jane Tanaka', body: <Card …/> })
 */
export function page(c: Context, opts: { title: string; body: Child; status?: 200 | 400 | 401 | 403 | 404 | 409 | 422 }) {
  const user = c.get('user' as never) as WebUser | undefined;
  const session = c.get('sessionToken' as never) as string | undefined;
  const locale = user?.locale ?? 'en';
  const html = (
    <Layout locale={locale} title={opts.title} user={user} csrf={session ? csrfToken(session) : undefined}>
      {opts.body}
    </Layout>
  );
  return c.html(`<!doctype html>${html}`, opts.status ?? 200, PAGE_HEADERS);
}

/**
 * A page for someone not (yet) signed in: a title and a message, in the
 * language asked for, with the same headers and frame.
 */
export function publicPage(c: Context, locale: Locale, opts: { title: string; body: Child; status?: ContentfulStatusCode }) {
  const html = (
    <Layout locale={locale} title={opts.title}>
      <div class="signin card">{opts.body}</div>
    </Layout>
  );
  return c.html(`<!doctype html>${html}`, opts.status ?? 200, PAGE_HEADERS);
}

/** The CSRF token of the signed-in page being rendered, for its forms. */
export function csrfOf(c: Context): string | undefined {
  const session = c.get('sessionToken' as never) as string | undefined;
  return session ? csrfToken(session) : undefined;
}
