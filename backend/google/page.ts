import type { Context } from 'hono';
import { escapeHtml } from '../html.js';
import { fill, type Locale, type MessageKey, pickLocale, t } from '../i18n/messages.js';

/** The page a member sees coming back from Google: a title and one sentence, in their browser's language. */
export function mailboxHtml(locale: Locale, title: MessageKey, body: MessageKey, params: Record<string, unknown> = {}): string {
  const safe = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, escapeHtml(String(v ?? ''))]));
  const heading = escapeHtml(t(locale, title));
  // the sentence escaped with its {placeholders} left open, then filled with escaped values
  const text = fill(escapeHtml(t(locale, body)), safe);
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f3a5f}</style></head>
<body><h1>${heading}</h1><p>${text}</p></body>
</html>
`;
}

/** Answers with that page: never cached, never referring Google's code onwards, no script. */
export function mailboxPage(c: Context, status: 200 | 400, title: MessageKey, body: MessageKey, params: Record<string, unknown> = {}) {
  const locale = pickLocale(c.req.header('accept-language'));
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  c.header('x-content-type-options', 'nosniff');
  return c.html(mailboxHtml(locale, title, body, params), status);
}
