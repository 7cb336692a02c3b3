import { randomBytes } from 'node:crypto';
import { hmac, hmacMatches } from './crypto.js';

/** How long an "Add to Slack" round trip may take. */
export const STATE_TTL_SECONDS = 10 * 60;
/** How long a link from `npm run slack:install-link` stays good, unless told otherwise. */
export const INSTALL_LINK_DAYS = 7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OAuth state: which Rapport workspace the install binds to, until when,
 * and a nonce, signed with the server key.
 *   signState(key, 'a1b2…', 1800000000) = 'eyJ3IjoiYTFiMi4uLiIsImUiOjE4MDAwMDAwMDAsIm4iOiIuLi4ifQ.<hmac>'
 */
export function signState(serverKey: Buffer, workspaceId: string, expiresAt: number): string {
  const payload = Buffer.from(JSON.stringify({ w: workspaceId, e: expiresAt, n: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${hmac(serverKey, 'slack-oauth-state', payload)}`;
}

export type StateCheck = { ok: true; workspaceId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** The workspace a state names, if the server signed it and it has not expired. */
export function verifyState(serverKey: Buffer, state: string, nowSeconds: number): StateCheck {
  const [payload, signature, ...rest] = state.split('.');
  if (!payload || !signature || rest.length || !hmacMatches(serverKey, 'slack-oauth-state', payload, signature)) return { ok: false, reason: 'invalid' };
  let parsed: { w?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { w?: unknown; e?: unknown };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof parsed.w !== 'string' || !UUID.test(parsed.w) || typeof parsed.e !== 'number') return { ok: false, reason: 'invalid' };
  if (parsed.e < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, workspaceId: parsed.w };
}

/**
 * The query of an install link for one workspace, for servers holding several:
 *   installLinkQuery(key, 'a1b2…', 1800000000) = 'workspace=a1b2…&expires=1800000000&sig=<hmac>'
 */
export function installLinkQuery(serverKey: Buffer, workspaceId: string, expiresAt: number): string {
  const sig = hmac(serverKey, 'slack-install-link', `${workspaceId.toLowerCase()}.${expiresAt}`);
  return new URLSearchParams({ workspace: workspaceId.toLowerCase(), expires: String(expiresAt), sig }).toString();
}

/** The workspace an install link names, if the server signed it and it has not expired. */
export function verifyInstallLink(
  serverKey: Buffer,
  q: { workspace?: string | undefined; expires?: string | undefined; sig?: string | undefined },
  nowSeconds: number,
): StateCheck {
  const workspace = q.workspace?.toLowerCase() ?? '';
  if (!UUID.test(workspace) || !/^\d{1,12}$/.test(q.expires ?? '') || !q.sig) return { ok: false, reason: 'invalid' };
  if (!hmacMatches(serverKey, 'slack-install-link', `${workspace}.${q.expires}`, q.sig)) return { ok: false, reason: 'invalid' };
  if (Number(q.expires) < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, workspaceId: workspace };
}
