import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

/** A request body went past its route's limit while it was being read. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: string) {
    super(`request body over ${limit}`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A cap on a request body that reads nothing itself: a declared
 * Content-Length over the cap is a 413 at once; otherwise the body is passed
 * on through a counter that fails the read (BodyTooLargeError, answered 413
 * by the app) as soon as more than maxBytes arrive. So a handler that refuses
 * a request on its headers (an unsigned Slack request) never reads its body,
 * and one that reads it never holds more than maxBytes of it.
 *   streamingBodyLimit(1024 * 1024, '1 MB')
 */
export function streamingBodyLimit(maxBytes: number, limit: string) {
  return createMiddleware(async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.raw.headers.has('transfer-encoding') && Number(declared) > maxBytes) {
      throw new ApiError(413, 'payload_too_large', { limit });
    }
    let seen = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new BodyTooLargeError(limit));
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
  });
}

/** Whether an error is (or was caused by) a body read past its limit. */
export function bodyTooLarge(e: unknown): BodyTooLargeError | undefined {
  for (let cur = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof BodyTooLargeError) return cur;
  }
  return undefined;
}

/** An inbound email with its attachments (Postmark sends them inline in base64 and takes messages up to 35 MB). */
export const MAX_INBOUND_BYTES = 50 * 1024 * 1024;
