import type { Context } from 'hono';
import { MESSAGE_PAGE_HEADERS, messagePage } from '../html.js';
import { type Locale, type MessageKey, messages, pickLocale, t } from '../i18n/messages.js';

/** The page a member sees coming back from Google: a title and one sentence, in their browser's language. */
export function mailboxHtml(locale: Locale, title: MessageKey, body: MessageKey, params: Record<string, unknown> = {}): string {
  return messagePage(locale, t(locale, title), messages[body][locale], params);
}

/** Answers with that page (backend/html.ts: no cache, no referrer, no script). */
export function mailboxPage(c: Context, status: 200 | 400, title: MessageKey, body: MessageKey, params: Record<string, unknown> = {}) {
  const locale = pickLocale(c.req.header('accept-language'));
  for (const [k, v] of Object.entries(MESSAGE_PAGE_HEADERS)) c.header(k, v);
  return c.html(mailboxHtml(locale, title, body, params), status);
}
