/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { DbError } from '../db/port.js';
import { ApiError, fromDb } from '../errors.js';
import { decodeCursor } from '../http.js';
import { type MessageKey, t } from '../i18n/messages.js';
import type { Locale } from '../i18n/vocabulary.js';
import { page } from './layout.js';
import type { WebUser } from './session.js';

/**
 * What the record pages (a contact, an account) share: the not-found page,
 * a refusal from the SQL shown as its catalogue sentence with its status,
 * and the timeline's cursor in a link.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string | undefined): s is string => !!s && UUID.test(s);

type PageStatus = 400 | 401 | 403 | 404 | 409 | 422;
const PAGE_STATUSES = [400, 401, 403, 404, 409, 422] as const;

/** A 4xx a page can answer with; any other (a 413, a 429) is shown as a 400. */
export const pageStatusOf = (status: number): PageStatus => PAGE_STATUSES.find((s) => s === status) ?? 400;

/** A refusal a person reads: its status for the page, and the sentence in their language. */
export interface Refusal {
  status: PageStatus;
  message: string;
}

/**
 * A DbError (a refusal the SQL raised: crm.fail) or an ApiError as a refusal
 * in the reader's language; anything else (a fault, the database down) is
 * thrown on, to the error handler.
 */
export function refusalOf(e: unknown, locale: Locale): Refusal {
  const err = e instanceof DbError && e.status < 500 ? fromDb(e.status, e.key, e.details) : e instanceof ApiError ? e : undefined;
  if (!err) throw e;
  return { status: pageStatusOf(err.status), message: t(locale, err.key as MessageKey, err.params) };
}

/** The not-found page: nothing of the record, whether it is missing, another workspace's, or not for this reader. */
export function notFoundPage(c: Context) {
  const { locale } = c.get('user') as WebUser;
  return page(c, {
    title: t(locale, 'web_not_found_title'),
    status: 404,
    body: (
      <>
        <h1>{t(locale, 'web_not_found_title')}</h1>
        <p>{t(locale, 'web_not_found')}</p>
        <p>
          <a href="/">{t(locale, 'web_nav_home')}</a>
        </p>
      </>
    ),
  });
}

/**
 * A refusal as a page of its own: the sentence under a title, with its
 * status, and a way back when there is one. Without a title (a record's
 * page) a 404 is the not-found page, whatever the SQL said of the record.
 * The way back is a link to `back`, named `backLabel` or else the title.
 *   refusalPage(c, refusalOf(e, locale), { title: 'Pipeline', back: '/deals' })
 */
export function refusalPage(c: Context, r: Refusal, opts?: { title: string; back?: string | undefined; backLabel?: string | undefined }) {
  if (!opts && r.status === 404) return notFoundPage(c);
  const { locale } = c.get('user') as WebUser;
  const title = opts?.title ?? t(locale, 'web_error_title');
  return page(c, {
    title,
    status: r.status,
    body: (
      <>
        <h1>{title}</h1>
        <p class="error" role="alert">
          {r.message}
        </p>
        {opts?.back ? (
          <p>
            <a href={opts.back}>{opts.backLabel ?? title}</a>
          </p>
        ) : null}
      </>
    ),
  });
}

/** A line saying what went wrong, announced to a screen reader, at the top of a page shown again. */
export function Problem(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="problem" role="alert">
      {props.message}
    </p>
  ) : null;
}

export type TimeCursor = { at: string; key: string };

/** A page link's cursor, as the API's cursors are (opaque base64url of the position); a bad one is a 400. */
export function cursorOf(raw: string | undefined, isCursor: (v: unknown) => v is TimeCursor): TimeCursor | undefined {
  return decodeCursor(raw, isCursor);
}

/** The query string of a page link: only the parameters that are set. */
export function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
