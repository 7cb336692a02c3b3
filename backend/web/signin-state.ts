import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../auth/same-secret.js';
import type { AppEnv } from '../types.js';

/**
 * What ties a provider's answer to the browser that asked: an HttpOnly
 * cookie, signed with the server key, holding the OAuth `state`, the OpenID
 * `nonce` and where to go after, for 10 minutes. A callback whose state is
 * not the cookie's (a login forced on someone by another site, a replay, an
 * old tab) is refused.
 *   seal(key, { a: 1 }, 60) = 'eyJhIjoxLCJleHAiOi4uLn0.<hmac>'; unseal(key, that) = { a: 1, exp: … }
 */
export function seal(key: Buffer, payload: object, lifeSeconds: number): string {
  const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) + lifeSeconds })).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

export function unseal<T>(key: Buffer, value: string | undefined): T | null {
  if (!value || value.length > 4000) return null;
  const [body = '', sig = ''] = value.split('.');
  if (!body || !sameSecret(sig, mac(key, body))) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp?: number };
    return typeof payload.exp === 'number' && payload.exp > Date.now() / 1000 ? payload : null;
  } catch {
    return null;
  }
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(`rapport-signin:${text}`).digest('base64url');
}

export type Provider = 'slack' | 'google';
export interface Pending {
  provider: Provider;
  state: string;
  nonce: string;
  next: string;
}

const STATE_COOKIE = 'rapport_oidc';
const LIFE_SECONDS = 600;

function cookieOptions(c: Context, path: string) {
  const publicUrl = (c.get('deps') as AppEnv['Variables']['deps']).publicUrl;
  return { path, httpOnly: true, secure: !!publicUrl?.startsWith('https://'), sameSite: 'Lax' as const };
}

/** A new state and nonce for this browser, kept in the cookie; the provider's authorize URL carries both. */
export function beginSignin(c: Context, key: Buffer, provider: Provider, next: string): Pending {
  const pending: Pending = { provider, state: randomBytes(24).toString('base64url'), nonce: randomBytes(24).toString('base64url'), next };
  setCookie(c, STATE_COOKIE, seal(key, pending, LIFE_SECONDS), { ...cookieOptions(c, '/signin'), maxAge: LIFE_SECONDS });
  return pending;
}

/** The pending sign-in whose state the callback carries (and the cookie is spent), or null. */
export function takeSignin(c: Context, key: Buffer, provider: Provider, state: string | undefined): Pending | null {
  const pending = unseal<Pending>(key, getCookie(c, STATE_COOKIE));
  deleteCookie(c, STATE_COOKIE, cookieOptions(c, '/signin'));
  if (!pending || pending.provider !== provider || !state || !sameSecret(state, pending.state)) return null;
  return pending;
}

export { cookieOptions };
