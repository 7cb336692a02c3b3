import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens: 'rpt_' + 32 random bytes, base64url. Only the SHA-256 is stored. */
export const TOKEN_PREFIX = 'rpt_';

export function newApiToken(): { token: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token) };
}

/** hashApiToken('rpt_abc') = sha256 hex of the whole string */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 'rpt_' and 43 base64url characters; anything else is not ours. */
export function looksLikeApiToken(token: string): boolean {
  return /^rpt_[A-Za-z0-9_-]{43}$/.test(token);
}
