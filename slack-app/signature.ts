import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now, either way (replay window). */
export const MAX_SKEW_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with
 * the signing secret, compared in constant time; the timestamp must be within
 * 300 s of now in either direction (Bolt's own check only looks back).
 *   verifySlackSignature({ secret: '8f742231b10e8888abcd99yyyzzz85a5', timestamp: '1531420618',
 *     body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&...', signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
 *     nowSeconds: 1531420618 }) = { ok: true }
 */
export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | null | undefined;
  body: string;
  signature: string | null | undefined;
  nowSeconds: number;
}): SignatureCheck {
  const { secret, timestamp, body, signature, nowSeconds } = input;
  const early = slackHeadersCheck(timestamp, signature, nowSeconds);
  if (!early.ok) return early;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`, 'utf8');
  const given = Buffer.from(signature!, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/**
 * What can be told from the headers alone, before the body is read: both
 * are there, in their shape, and the timestamp is within the replay window.
 *   slackHeadersCheck('1531420618', 'v0=a2114d…', 1531420618 + 301) = { ok: false, reason: 'stale' }
 */
export function slackHeadersCheck(timestamp: string | null | undefined, signature: string | null | undefined, nowSeconds: number): SignatureCheck {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** The headers a signed request carries; for tests and the local Slack stand-in. */
export function signSlackRequest(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  const ts = String(timestampSeconds);
  return {
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`, 'utf8').digest('hex')}`,
  };
}
