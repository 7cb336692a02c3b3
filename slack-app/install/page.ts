import type { Context } from 'hono';
import { escapeHtml, MESSAGE_PAGE_HEADERS, messagePage } from '../../backend/html.js';
import { pickLocale } from '../../backend/i18n/messages.js';
import { st, type Locale, type SlackMessageKey } from '../i18n/index.js';

export { escapeHtml };

/** The page a person sees after "Add to Slack": a title and one sentence, in their language (backend/html.ts builds it). */
export function installPage(locale: Locale, title: SlackMessageKey, body: SlackMessageKey, params: Record<string, unknown> = {}): string {
  return messagePage(locale, st(locale, title), st(locale, body), params);
}

/** Answers with an install page: never cached, never referring the OAuth code onwards, no script. */
export function sendPage(c: Context, status: 200 | 400, title: SlackMessageKey, body: SlackMessageKey, params: Record<string, unknown> = {}) {
  const locale = pickLocale(c.req.header('accept-language'));
  for (const [k, v] of Object.entries(MESSAGE_PAGE_HEADERS)) c.header(k, v);
  return c.html(installPage(locale, title, body, params), status);
}
