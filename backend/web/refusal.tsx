/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { DbError } from '../db/port.js';
import { isMessageKey, t } from '../i18n/messages.js';
import { page } from './layout.js';
import type { WebEnv } from './session.js';

const PAGE_STATUSES = [400, 403, 404, 409, 422] as const;
type RefusalStatus = (typeof PAGE_STATUSES)[number];

/**
 * What a page shows when the SQL refused (a DbError with a 4xx status and a
 * catalogue key): the sentence in the member's language, with that status,
 * and a way back. Anything else is not a refusal and is thrown on.
 *   try { … } catch (e) { return refusalPage(c, e, { title, back: '/' }) }
 */
export function refusalPage(c: Context<WebEnv>, err: unknown, opts: { title: string; back: string }) {
  if (!(err instanceof DbError) || err.status < 400 || err.status >= 500) throw err;
  return refusedWith(
    c,
    err.status,
    isMessageKey(err.key) ? t(c.get('user').locale, err.key, err.details) : t(c.get('user').locale, 'invalid_request', { fields: '-' }),
    opts,
  );
}

/** The same page for a refusal the handler decided itself (a field it read from the form). */
export function refusedWith(c: Context<WebEnv>, status: number, sentence: string, opts: { title: string; back: string }) {
  const code: RefusalStatus = (PAGE_STATUSES as readonly number[]).includes(status) ? (status as RefusalStatus) : 400;
  return page(c, {
    title: opts.title,
    status: code,
    body: (
      <>
        <h1>{opts.title}</h1>
        <p class="error" role="alert">
          {sentence}
        </p>
        <p>
          <a href={opts.back}>{opts.title}</a>
        </p>
      </>
    ),
  });
}
