import { openPayload, signPayload, signQuery, verifyQuery } from '../../backend/crypto.js';

/** How long an "Add to Slack" round trip may take. */
export const STATE_TTL_SECONDS = 10 * 60;
/** How long a link from `npm run slack:install-link` stays good, unless told otherwise. */
export const INSTALL_LINK_DAYS = 7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OAuth state: which Rapport workspace the install binds to, until when,
 * and a nonce, signed with the server key (backend/crypto.ts signPayload).
 *   signState(key, 'a1b2…', 1800000000) = 'eyJ3IjoiYTFiMi4uLiIsImUiOjE4MDAwMDAwMDAsIm4iOiIuLi4ifQ.<hmac>'
 */
export function signState(serverKey: Buffer, workspaceId: string, expiresAt: number): string {
  return signPayload(serverKey, 'slack-oauth-state', { w: workspaceId }, expiresAt);
}

export type StateCheck = { ok: true; workspaceId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** The workspace a state names, if the server signed it and it has not expired. */
export function verifyState(serverKey: Buffer, state: string, nowSeconds: number): StateCheck {
  const opened = openPayload(serverKey, 'slack-oauth-state', state, nowSeconds);
  if (!opened.ok) return opened;
  const w = opened.value.w;
  return typeof w === 'string' && UUID.test(w) ? { ok: true, workspaceId: w } : { ok: false, reason: 'invalid' };
}

/**
 * The query of an install link for one workspace, for servers holding several:
 *   installLinkQuery(key, 'a1b2…', 1800000000) = 'workspace=a1b2…&expires=1800000000&sig=<hmac>'
 */
export function installLinkQuery(serverKey: Buffer, workspaceId: string, expiresAt: number): string {
  return signQuery(serverKey, 'slack-install-link', { workspace: workspaceId }, expiresAt);
}

/** The workspace an install link names, if the server signed it and it has not expired. */
export function verifyInstallLink(
  serverKey: Buffer,
  q: { workspace?: string | undefined; expires?: string | undefined; sig?: string | undefined },
  nowSeconds: number,
): StateCheck {
  const checked = verifyQuery(serverKey, 'slack-install-link', q, ['workspace'], UUID, nowSeconds);
  return checked.ok ? { ok: true, workspaceId: checked.value.workspace } : checked;
}
