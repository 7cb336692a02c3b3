import { randomBytes } from 'node:crypto';
import { hmac, hmacMatches } from '../crypto.js';

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
 * nonce, signed with the server key (its own purpose: a Slack install state
 * never passes here).
 *   signConsentState(key, { workspaceId: 'a1…', memberId: 'b2…' }, 1800000000) = '<base64url payload>.<hmac>'
 */
export function signConsentState(serverKey: Buffer, who: MemberRef, expiresAt: number): string {
  const payload = Buffer.from(JSON.stringify({ w: who.workspaceId, m: who.memberId, e: expiresAt, n: randomBytes(12).toString('base64url') })).toString(
    'base64url',
  );
  return `${payload}.${hmac(serverKey, 'google-oauth-state', payload)}`;
}

export function verifyConsentState(serverKey: Buffer, state: string, nowSeconds: number): StateCheck {
  const [payload, signature, ...rest] = state.split('.');
  if (!payload || !signature || rest.length || !hmacMatches(serverKey, 'google-oauth-state', payload, signature)) return { ok: false, reason: 'invalid' };
  let parsed: { w?: unknown; m?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof parsed.w !== 'string' || !UUID.test(parsed.w) || typeof parsed.m !== 'string' || !UUID.test(parsed.m) || typeof parsed.e !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  if (parsed.e < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, workspaceId: parsed.w, memberId: parsed.m };
}

/**
 * The query of a reconnect link (the DM's button): it leads to a fresh
 * consent for that member, and is good for RECONNECT_LINK_DAYS.
 *   reconnectQuery(key, { workspaceId: 'a1…', memberId: 'b2…' }, 1800000000) = 'workspace=a1…&member=b2…&expires=1800000000&sig=<hmac>'
 */
export function reconnectQuery(serverKey: Buffer, who: MemberRef, expiresAt: number): string {
  const workspace = who.workspaceId.toLowerCase();
  const member = who.memberId.toLowerCase();
  const sig = hmac(serverKey, 'google-reconnect-link', `${workspace}.${member}.${expiresAt}`);
  return new URLSearchParams({ workspace, member, expires: String(expiresAt), sig }).toString();
}

export function verifyReconnect(
  serverKey: Buffer,
  q: { workspace?: string | undefined; member?: string | undefined; expires?: string | undefined; sig?: string | undefined },
  nowSeconds: number,
): StateCheck {
  const workspace = q.workspace?.toLowerCase() ?? '';
  const member = q.member?.toLowerCase() ?? '';
  if (!UUID.test(workspace) || !UUID.test(member) || !/^\d{1,12}$/.test(q.expires ?? '') || !q.sig) return { ok: false, reason: 'invalid' };
  if (!hmacMatches(serverKey, 'google-reconnect-link', `${workspace}.${member}.${q.expires}`, q.sig)) return { ok: false, reason: 'invalid' };
  if (Number(q.expires) < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, workspaceId: workspace, memberId: member };
}
