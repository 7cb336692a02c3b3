/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { type ApiError, localeOf } from '../errors.js';
import { t } from '../i18n/messages.js';
import { publicPage } from './layout.js';
import type { WebUser } from './session.js';

/**
 * Paths a browser never opens as a page: the JSON API, Slack's and Google's
 * callbacks into the server, mail relays, the jobs and the machine-readable
 * documents. Their errors stay JSON whatever the request accepts.
 */
const NOT_PAGES = /^\/(api|slack|inbound|openapi\.json|healthz|assets)(\/|$)/;

/**
 * An error as a page, for a person's browser: a request that asks for HTML
 * (every navigation does) on a path outside NOT_PAGES gets the sentence in
 * its reader's language with a way home, the same status and headers (a 503
 * keeps its Retry-After), instead of the JSON the API answers. Anything else
 * gets null, and the JSON error.
 */
export function htmlErrorPage(c: Context, err: ApiError): Response | null {
  if (NOT_PAGES.test(c.req.path) || !/\btext\/html\b/.test(c.req.header('accept') ?? '')) return null;
  // a signed-in page's member (their setting), else the principal's or Accept-Language
  const locale = (c.get('user' as never) as WebUser | undefined)?.locale ?? localeOf(c);
  const notFound = err.key === 'route_not_found';
  const title = t(locale, notFound ? 'web_not_found_title' : 'web_error_title');
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return publicPage(c, locale, {
    title,
    status: err.status,
    body: (
      <>
        <h1>{title}</h1>
        <p role="alert">{notFound ? t(locale, 'web_no_page', { path: c.req.path }) : t(locale, err.key, err.params)}</p>
        <p>
          <a class="button" href="/">
            {t(locale, 'web_go_home')}
          </a>
        </p>
      </>
    ),
  });
}
