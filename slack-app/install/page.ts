import type { Context } from 'hono';
import { escapeHtml } from '../../backend/html.js';
import { fill, pickLocale } from '../../backend/i18n/messages.js';
import { st, type Locale, type SlackMessageKey } from '../i18n/index.js';

export { escapeHtml };

/** The page a person sees after "Add to Slack": a title and one sentence, in their language. */
export function installPage(locale: Locale, title: SlackMessageKey, body: SlackMessageKey, params: Record<string, unknown> = {}): string {
  const safe = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, escapeHtml(String(v ?? ''))]));
  const heading = escapeHtml(st(locale, title));
  // the catalogue's sentence escaped with its {placeholders} left open, then filled with escaped values
  const html = fill(escapeHtml(st(locale, body)), safe);
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f3a5f}</style></head>
<body><h1>${heading}</h1><p>${html}</p></body>
</html>
`;
}

/** Answers with an install page: never cached, never referring the OAuth code onwards, no script. */
export function sendPage(c: Context, status: 200 | 400, title: SlackMessageKey, body: SlackMessageKey, params: Record<string, unknown> = {}) {
  const locale = pickLocale(c.req.header('accept-language'));
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  c.header('x-content-type-options', 'nosniff');
  return c.html(installPage(locale, title, body, params), status);
}
