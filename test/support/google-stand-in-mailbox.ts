/**
 * One mailbox of the Google stand-in: messages, labels and history as the
 * Gmail API v1 shows them (users.messages.list, .get in every format,
 * users.history.list, users.getProfile). Each handler takes the request's
 * query and answers `{ status, body }`; the HTTP server is google-stand-in.ts.
 */
import { payloadOf, splitEntity } from './google-stand-in-mime.js';

export interface StandInMailbox {
  /** stores an RFC 822 message and returns its Gmail id; bumps the history id and records a messageAdded */
  add(raw: string | Buffer, o?: { labels?: string[]; internalDate?: Date; threadId?: string }): string;
  remove(gmailId: string): void;
  /** history.list from an older startHistoryId (default: the current one) now answers 404, as Gmail does when history expires */
  expireHistoryBefore(historyId?: string): void;
  historyId(): string;
  size(): number;
}

interface Stored {
  id: string;
  threadId: string;
  raw: Buffer;
  labelIds: string[];
  internalDate: number;
  historyId: number;
}

export type Answer = { status: number; body: unknown };

export const apiError = (code: number, status: string, reason: string, message: string): Answer => ({
  status: code,
  body: { error: { code, message, status, errors: [{ domain: 'global', reason, message }] } },
});

const notFound = () => apiError(404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.');
const badRequest = (message: string) => apiError(400, 'INVALID_ARGUMENT', 'invalidArgument', message);

/** Opaque page tokens, as Gmail's are: an offset in base64url. */
const pageToken = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function offsetOf(token: string | null): number | undefined {
  if (!token) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

let idCounter = 0x18c2f0a100000;

/**
 * The part of Gmail's search the sync uses: `after:<seconds>` and `-in:`
 * exclusions (chats, spam, trash); anything else is refused so a test cannot
 * rely on search the stand-in does not do.
 *   parseQuery('after:1764720000 -in:chats -in:spam') = { after: 1764720000000, excluded: ['CHAT', 'SPAM'] }
 */
export function parseQuery(q: string): { after?: number; excluded: string[] } | string {
  const out: { after?: number; excluded: string[] } = { excluded: [] };
  const labels: Record<string, string> = { chats: 'CHAT', chat: 'CHAT', spam: 'SPAM', trash: 'TRASH' };
  for (const term of q.split(/\s+/).filter(Boolean)) {
    const after = /^after:(\d+)$/.exec(term);
    const notIn = /^-in:(\w+)$/.exec(term);
    if (after) out.after = Number(after[1]) * 1000;
    else if (notIn && labels[notIn[1]!.toLowerCase()]) out.excluded.push(labels[notIn[1]!.toLowerCase()]!);
    else return `the stand-in does not understand the search term '${term}'`;
  }
  return out;
}

export class Mailbox implements StandInMailbox {
  private readonly messages = new Map<string, Stored>();
  private readonly history: { id: number; message: Stored }[] = [];
  private current = 1000;
  private expiredBefore = 0;

  constructor(readonly email: string) {}

  add(raw: string | Buffer, o: { labels?: string[]; internalDate?: Date; threadId?: string } = {}): string {
    const id = (idCounter++).toString(16);
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const dateHeader = splitEntity(bytes).headers.find((h) => h.name.toLowerCase() === 'date')?.value;
    const internalDate = o.internalDate?.getTime() ?? (dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? Date.parse(dateHeader) : Date.now());
    this.current += 1 + Math.floor(Math.random() * 3);
    const stored: Stored = { id, threadId: o.threadId ?? id, raw: bytes, labelIds: o.labels ?? ['INBOX', 'UNREAD'], internalDate, historyId: this.current };
    this.messages.set(id, stored);
    this.history.push({ id: this.current, message: stored });
    return id;
  }

  remove(gmailId: string): void {
    this.messages.delete(gmailId);
    this.current += 1;
  }

  expireHistoryBefore(historyId?: string): void {
    this.expiredBefore = historyId ? Number(historyId) : this.current;
  }

  historyId(): string {
    return String(this.current);
  }

  size(): number {
    return this.messages.size;
  }

  profile(): Answer {
    return {
      status: 200,
      body: { emailAddress: this.email, messagesTotal: this.messages.size, threadsTotal: this.messages.size, historyId: this.historyId() },
    };
  }

  /** users.messages.list: newest first (internalDate, then id), maxResults ≤ 500 (default 100). */
  list(query: URLSearchParams): Answer {
    const parsed = parseQuery(query.get('q') ?? '');
    if (typeof parsed === 'string') return badRequest(parsed);
    const includeSpamTrash = query.get('includeSpamTrash') === 'true';
    const excluded = new Set([...parsed.excluded, ...(includeSpamTrash ? [] : ['SPAM', 'TRASH'])]);
    const labelIds = query.getAll('labelIds');
    const all = [...this.messages.values()]
      .filter((m) => (parsed.after === undefined || m.internalDate > parsed.after) && !m.labelIds.some((l) => excluded.has(l)))
      .filter((m) => labelIds.every((l) => m.labelIds.includes(l)))
      .sort((a, b) => b.internalDate - a.internalDate || (b.id < a.id ? -1 : 1));
    const max = Math.min(500, Number(query.get('maxResults') ?? 100) || 100);
    const from = offsetOf(query.get('pageToken'));
    if (from === undefined) return badRequest('Invalid pageToken');
    const page = all.slice(from, from + max);
    return {
      status: 200,
      body: {
        ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(from + max < all.length ? { nextPageToken: pageToken(from + max) } : {}),
        resultSizeEstimate: all.length,
      },
    };
  }

  /** users.messages.get in format full (default), metadata (headers filtered by metadataHeaders), minimal or raw. */
  get(id: string, query: URLSearchParams, metadataScopeOnly: boolean): Answer {
    const m = this.messages.get(id);
    if (!m) return notFound();
    const format = (query.get('format') ?? 'full').toLowerCase();
    if (metadataScopeOnly && (format === 'full' || format === 'raw'))
      return apiError(403, 'PERMISSION_DENIED', 'forbidden', `Metadata scope doesn't allow format ${format.toUpperCase()}`);
    const base = {
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labelIds,
      snippet: '',
      historyId: String(m.historyId),
      internalDate: String(m.internalDate),
      sizeEstimate: m.raw.length,
    };
    if (format === 'minimal') return { status: 200, body: base };
    if (format === 'raw') return { status: 200, body: { ...base, raw: m.raw.toString('base64url') } };
    const full = payloadOf(m.raw);
    if (format === 'metadata') {
      const wanted = query.getAll('metadataHeaders').map((h) => h.toLowerCase());
      const headers = wanted.length ? full.headers.filter((h) => wanted.includes(h.name.toLowerCase())) : full.headers;
      return { status: 200, body: { ...base, payload: { partId: '', mimeType: full.mimeType, filename: '', headers, body: { size: 0 } } } };
    }
    if (format !== 'full') return badRequest(`Invalid format: ${format}`);
    return { status: 200, body: { ...base, payload: full } };
  }

  /** users.messages.attachments.get: a part's bytes by the attachmentId format=full gave it. */
  attachment(id: string, attachmentId: string): Answer {
    const m = this.messages.get(id);
    if (!m) return notFound();
    const ids = new Map<string, Buffer>();
    payloadOf(m.raw, '', ids);
    const bytes = ids.get(attachmentId);
    if (!bytes) return badRequest('Invalid attachment id');
    return { status: 200, body: { attachmentId, size: bytes.length, data: bytes.toString('base64url') } };
  }

  /** users.history.list: records after startHistoryId, messageAdded only as the sync asks; 404 once that history has expired. */
  historyList(query: URLSearchParams): Answer {
    const start = Number(query.get('startHistoryId'));
    if (!query.get('startHistoryId') || Number.isNaN(start)) return badRequest('Missing or invalid startHistoryId');
    if (start < this.expiredBefore) return notFound();
    const types = query.getAll('historyTypes');
    const records = this.history.filter((h) => h.id > start && (!types.length || types.includes('messageAdded')));
    const max = Math.min(500, Number(query.get('maxResults') ?? 100) || 100);
    const from = offsetOf(query.get('pageToken'));
    if (from === undefined) return badRequest('Invalid pageToken');
    const page = records.slice(from, from + max);
    return {
      status: 200,
      body: {
        ...(page.length
          ? {
              history: page.map((h) => {
                const message = { id: h.message.id, threadId: h.message.threadId, labelIds: h.message.labelIds };
                return { id: String(h.id), messages: [message], messagesAdded: [{ message }] };
              }),
            }
          : {}),
        ...(from + max < records.length ? { nextPageToken: pageToken(from + max) } : {}),
        historyId: this.historyId(),
      },
    };
  }
}
