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
