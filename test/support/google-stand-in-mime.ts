/**
 * Gmail's `full` payload tree of a raw RFC 822 message, as the stand-in
 * answers messages.get?format=full: headers in order, multipart parts with
 * partIds ('' for the root, then '0', '1', '1.0', …), each leaf's body as its
 * decoded bytes in its own charset, base64url, as Gmail does (a Shift_JIS part
 * stays Shift_JIS); a part with a filename carries an attachmentId instead.
 *   payloadOf(Buffer.from('Content-Type: text/plain\r\n\r\nHi')).body = { size: 2, data: 'SGk' }
 */

export interface PayloadHeader {
  name: string;
  value: string;
}

export interface Payload {
  partId: string;
  mimeType: string;
  filename: string;
  headers: PayloadHeader[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: Payload[];
}

/** The header block (unfolded) and the body of a MIME entity. */
export function splitEntity(raw: Buffer): { headers: PayloadHeader[]; body: Buffer } {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? raw.subarray(m.index + m[0].length) : Buffer.alloc(0);
  const headers: PayloadHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1]!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  // header bytes are kept as sent (8-bit UTF-8 is read as UTF-8, as Gmail shows it)
  for (const h of headers) h.value = Buffer.from(h.value, 'latin1').toString('utf8');
  return { headers, body };
}

const headerOf = (headers: PayloadHeader[], name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';

/** A parameter of a structured header: param('multipart/mixed; boundary="b1"', 'boundary') = 'b1'. */
export function param(value: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(value);
  const v = m ? (m[1] ?? m[2]) : undefined;
  // RFC 2231: utf-8''%E8%A6%8B%E7%A9%8D.pdf
  const ext = v && /^([\w-]+)'[^']*'(.*)$/.exec(v);
  return ext ? decodeURIComponent(ext[2]!) : v;
}

function decodeTransfer(body: Buffer, encoding: string): Buffer {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (e === 'quoted-printable') {
    const text = body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(
      text.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
  }
  return body;
}

export function payloadOf(raw: Buffer, partId = '', attachmentIds: Map<string, Buffer> = new Map()): Payload {
  const { headers, body } = splitEntity(raw);
  const contentType = headerOf(headers, 'content-type') || 'text/plain';
  const mimeType = (contentType.split(';')[0] ?? 'text/plain').trim().toLowerCase();
  const filename = param(headerOf(headers, 'content-disposition'), 'filename') ?? param(contentType, 'name') ?? '';
  const boundary = mimeType.startsWith('multipart/') ? param(contentType, 'boundary') : undefined;
  if (boundary) {
    const text = body.toString('latin1');
    const delimiter = `--${boundary}`;
    const pieces = text.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const parts: Payload[] = [];
    // pieces[0] is the preamble; the one starting with '--' closes the multipart
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      const child = Buffer.from(piece.replace(/^[ \t]*\r?\n/, ''), 'latin1');
      parts.push(payloadOf(child, partId === '' ? String(parts.length) : `${partId}.${parts.length}`, attachmentIds));
    }
    return { partId, mimeType, filename, headers, body: { size: 0 }, parts };
  }
  const bytes = decodeTransfer(body, headerOf(headers, 'content-transfer-encoding'));
  if (filename) {
    const attachmentId = `ANGjdJ${attachmentIds.size}${partId.replace(/\./g, '_')}`;
    attachmentIds.set(attachmentId, bytes);
    return { partId, mimeType, filename, headers, body: { size: bytes.length, attachmentId } };
  }
  return { partId, mimeType, filename, headers, body: { size: bytes.length, ...(bytes.length ? { data: bytes.toString('base64url') } : {}) } };
}
