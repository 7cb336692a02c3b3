/**
 * Gmail's batch endpoint: up to 100 API calls in one HTTP request
 * (`POST {root}batch/gmail/v1`, multipart/mixed, one `application/http` part
 * per call), answered by one multipart/mixed response whose parts are the
 * calls' own HTTP responses, each with its own status. googleapis has no
 * batch support, so the request is made by google-auth-library's gaxios, as
 * googleapis itself makes its requests. Google asks for at most 50 calls per
 * batch; each call counts against the quota as if made alone.
 * https://developers.google.com/gmail/api/guides/batch
 *
 *   batchBody('b1', ['/gmail/v1/users/me/messages/a?format=raw'])
 *     = '--b1\r\nContent-Type: application/http\r\nContent-ID: <item-0>\r\n\r\nGET /gmail/v1/users/me/messages/a?format=raw\r\n\r\n--b1--\r\n'
 *   parseBatch('multipart/mixed; boundary=r1', text) = [{ status: 200, body: {...} }, { status: 404, body: {...} }]
 */

export const BATCH_MAX = 100;

export interface BatchAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** The request body: one GET per path (each starting /gmail/v1/...), in order, numbered by Content-ID. */
export function batchBody(boundary: string, paths: string[]): string {
  if (paths.length === 0 || paths.length > BATCH_MAX) throw new Error(`a Gmail batch holds 1 to ${BATCH_MAX} calls, not ${paths.length}`);
  const parts = paths.map((p, i) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item-${i}>\r\n\r\nGET ${p}\r\n\r\n`);
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** The boundary of a multipart content type, or null. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The parts of a multipart/mixed text, each split into its headers (lower-cased names) and its content. */
export function multipartParts(boundary: string, text: string): { headers: Map<string, string>; content: string }[] {
  const out: { headers: Map<string, string>; content: string }[] = [];
  const chunks = text.split(`--${boundary}`);
  // chunks[0] is the preamble; a chunk starting with '--' is the end
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const body = chunk.replace(/^\r?\n/, '');
    const { headers, rest } = splitHead(body);
    out.push({ headers, content: rest.replace(/\r?\n$/, '') });
  }
  return out;
}

/** Header lines up to the first blank line, and what follows it. */
export function splitHead(text: string): { first: string; headers: Map<string, string>; rest: string } {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const rest = end ? text.slice(end.index + end[0].length) : '';
  const lines = head.split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0 && !/^[A-Z]+ \S/.test(line) && !line.startsWith('HTTP/')) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { first: lines[0] ?? '', headers, rest };
}

/**
 * The answers of a batch response, in the order of the calls (by the
 * Content-ID `<response-item-N>` Google gives each part). A call the
 * response does not answer is a 500 of its own, to be retried alone.
 */
export function parseBatch(contentType: string | null | undefined, text: string, calls: number): BatchAnswer[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`Gmail's batch answer is not multipart (${contentType ?? 'no content type'})`);
  const answers: (BatchAnswer | undefined)[] = new Array(calls);
  for (const part of multipartParts(boundary, text)) {
    const id = /item-(\d+)/.exec(part.headers.get('content-id') ?? '');
    const n = id ? Number(id[1]) : Number.NaN;
    if (!(n >= 0 && n < calls)) continue;
    const inner = splitHead(part.content);
    const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(inner.first)?.[1] ?? Number.NaN);
    if (!Number.isFinite(status)) continue;
    let body: unknown = null;
    try {
      body = inner.rest.trim() ? JSON.parse(inner.rest) : null;
    } catch {
      body = inner.rest;
    }
    answers[n] = { status, body, retryAfter: inner.headers.get('retry-after') ?? null };
  }
  return Array.from(answers, (a) => a ?? { status: 500, body: { error: { message: 'no answer in the batch' } }, retryAfter: null });
}
