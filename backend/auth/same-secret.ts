import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of two secrets: digests first, so neither the
 * length nor the content leaks through timing.
 *   sameSecret('abc', 'abc') = true
 */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
