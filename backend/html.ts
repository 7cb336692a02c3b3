/**
 * Escaping shared by the three surfaces: the backend's and the Slack app's
 * HTML pages, the add-on's card text (Gmail renders it as simple HTML) and
 * Slack's mrkdwn, which escapes the same three characters. Pure: the add-on's
 * bundle imports it too.
 */

/**
 * Text between tags, shown as typed: &, < and > become entities, so it forms
 * no tag, no entity and (in Slack's mrkdwn) no link or mention.
 *   escapeText('<b>Q&A</b>') = '&lt;b&gt;Q&amp;A&lt;/b&gt;'
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
}

/**
 * HTML text escaped for an element or a quoted attribute.
 *   escapeHtml('<b>"A&B"</b>') = '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return escapeText(text).replace(/["']/g, (ch) => (ch === '"' ? '&quot;' : '&#39;'));
}

/**
 * A page a person's browser lands on (after "Add to Slack", after Google's
 * consent): a title and one sentence, no script. The sentence is a catalogue
 * template escaped with its {placeholders} left open, then filled with
 * escaped values, so a value never forms markup.
 *   messagePage('en', 'Done', 'Connected {address}.', { address: '<a@b>' }) = '<!doctype html>…<h1>Done</h1><p>Connected &lt;a@b&gt;.</p>…'
 */
export function messagePage(lang: string, title: string, template: string, params: Record<string, unknown> = {}): string {
  const safe = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, escapeHtml(String(v ?? ''))]));
  const heading = escapeHtml(title);
  const text = escapeHtml(template).replace(/\{(\w+)\}/g, (m, name: string) => safe[name] ?? m);
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f3a5f}</style></head>
<body><h1>${heading}</h1><p>${text}</p></body>
</html>
`;
}

/** The headers of such a page: never cached, never referring the query (an OAuth code) onwards, no script. */
export const MESSAGE_PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
} as const;
