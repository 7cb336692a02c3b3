import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Locale } from '../i18n/vocabulary.js';
import type { AppEnv, Principal } from '../types.js';

/**
 * Browser sessions of the web companion (issue 20). The cookie holds 32
 * random bytes; the database holds their SHA-256 only (crm.web_sessions).
 * Every page and form is behind a session but the sign-in pages.
 */

/** Who a page is for: the principal every api.* call takes, and what a page shows of them. */
export interface WebUser extends Principal {
  source: 'web';
  memberId: string;
  locale: Locale;
  role: 'rep' | 'manager' | 'admin';
  name: string;
  email: string;
  timezone: string;
  sessionId: string;
}

export type WebEnv = {
  Variables: AppEnv['Variables'] & {
    user: WebUser;
    /** the raw session token (from the cookie), for the CSRF token and sign-out */
    sessionToken: string;
  };
};

/** A random token for a cookie or a link, and the hash the database keeps. */
export function newWebToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashWebToken(token) };
}

/** hashWebToken(t) = the SHA-256 of t in hex, as crm.web_sessions and crm.signin_links store it */
export function hashWebToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 43 base64url characters: what newWebToken makes; anything else is not ours and is never looked up. */
export function looksLikeWebToken(token: string | undefined): token is string {
  return !!token && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * The cookie's name: with the __Host- prefix when the server is served over
 * https (the browser then refuses it from anywhere but this host, on any path
 * but /, or without Secure); plain on http://localhost, where Secure cookies
 * are not kept by every browser.
 */
export function sessionCookieName(publicUrl: string | undefined): string {
  return isHttps(publicUrl) ? '__Host-rapport_session' : 'rapport_session';
}

function isHttps(publicUrl: string | undefined): boolean {
  return !!publicUrl && publicUrl.startsWith('https://');
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure on https, for 14 days (renewed as it is used). */
export function setSessionCookie(c: Context, token: string): void {
  const publicUrl = (c.get('deps') as AppEnv['Variables']['deps']).publicUrl;
  setCookie(c, sessionCookieName(publicUrl), token, {
    httpOnly: true,
    secure: isHttps(publicUrl),
    sameSite: 'Lax',
    path: '/',
    maxAge: 14 * 24 * 3600,
  });
}

export function clearSessionCookie(c: Context): void {
  const publicUrl = (c.get('deps') as AppEnv['Variables']['deps']).publicUrl;
  deleteCookie(c, sessionCookieName(publicUrl), { path: '/', secure: isHttps(publicUrl) });
}

/** The session token the browser sent, when it looks like one. */
export function sessionToken(c: Context): string | undefined {
  const publicUrl = (c.get('deps') as AppEnv['Variables']['deps']).publicUrl;
  const token = getCookie(c, sessionCookieName(publicUrl));
  return looksLikeWebToken(token) ? token : undefined;
}

/**
 * The CSRF token of a session: an HMAC of the session token, which only
 * the HttpOnly cookie carries, so a page of another site can neither read
 * nor compute it. Every form carries it in `_csrf`; checkCsrf compares.
 */
export function csrfToken(session: string): string {
  return createHmac('sha256', session).update('rapport-csrf').digest('base64url');
}

export function csrfMatches(session: string, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const want = Buffer.from(csrfToken(session));
  const got = Buffer.from(sent);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * A path on this server to go to after signing in, or '/'. Never another
 * host: '//evil.example', '/\\evil.example' and 'https://…' become '/'.
 *   safeNext('/c/42?x=1') = '/c/42?x=1';  safeNext('//evil.example') = '/'
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500) return '/';
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u001f]/.test(next)) return '/';
  return next;
}

/** A form's fields (urlencoded or multipart), read once: later reads get the same object. */
export async function formOf(c: Context): Promise<Record<string, string | File>> {
  const cached = c.get('form' as never) as Record<string, string | File> | undefined;
  if (cached) return cached;
  const type = c.req.header('content-type') ?? '';
  let form: Record<string, string | File> = {};
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    const body = await c.req.parseBody();
    form = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v])) as Record<string, string | File>;
  }
  c.set('form' as never, form as never);
  return form;
}
