import { openPayload, signPayload, signQuery, verifyQuery } from '../crypto.js';

/** How long Google's consent round trip may take (the App Home renders its link ahead of the click). */
export const CONSENT_TTL_SECONDS = 60 * 60;
/** How long a reconnect link in a DM stays good. */
export const RECONNECT_LINK_DAYS = 7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MemberRef {
  workspaceId: string;
  memberId: string;
}
export type StateCheck = ({ ok: true } & MemberRef) | { ok: false; reason: 'invalid' | 'expired' };

/**
 * The OAuth state of one member's consent: workspace, member, expiry and a
 * nonce, signed with the server key under its own purpose (a Slack install
 * state never passes here).
 *   signConsentState(key, { workspaceId: 'a1…', memberId: 'b2…' }, 1800000000) = '<base64url payload>.<hmac>'
 */
export function signConsentState(serverKey: Buffer, who: MemberRef, expiresAt: number): string {
  return signPayload(serverKey, 'google-oauth-state', { w: who.workspaceId, m: who.memberId }, expiresAt);
}

export function verifyConsentState(serverKey: Buffer, state: string, nowSeconds: number): StateCheck {
  const opened = openPayload(serverKey, 'google-oauth-state', state, nowSeconds);
  if (!opened.ok) return opened;
  const { w, m } = opened.value;
  if (typeof w !== 'string' || !UUID.test(w) || typeof m !== 'string' || !UUID.test(m)) return { ok: false, reason: 'invalid' };
  return { ok: true, workspaceId: w, memberId: m };
}

/**
 * The query of a reconnect link (the DM's button): it leads to a fresh
 * consent for that member, and is good for RECONNECT_LINK_DAYS.
 *   reconnectQuery(key, { workspaceId: 'a1…', memberId: 'b2…' }, 1800000000) = 'workspace=a1…&member=b2…&expires=1800000000&sig=<hmac>'
 */
export function reconnectQuery(serverKey: Buffer, who: MemberRef, expiresAt: number): string {
  return signQuery(serverKey, 'google-reconnect-link', { workspace: who.workspaceId, member: who.memberId }, expiresAt);
}

export function verifyReconnect(
  serverKey: Buffer,
  q: { workspace?: string | undefined; member?: string | undefined; expires?: string | undefined; sig?: string | undefined },
  nowSeconds: number,
): StateCheck {
  const checked = verifyQuery(serverKey, 'google-reconnect-link', q, ['workspace', 'member'], UUID, nowSeconds);
  return checked.ok ? { ok: true, workspaceId: checked.value.workspace, memberId: checked.value.member } : checked;
}
