import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { sameSecret } from './auth/same-secret.js';

/**
 * One server key (RAPPORT_SECRET_KEY), one sub-key per use, so a signature
 * or a ciphertext made for one purpose can never pass for another:
 * HKDF-SHA256 with the purpose as its info.
 */
export type KeyPurpose =
  | 'slack-bot-token'
  | 'slack-oauth-state'
  | 'slack-install-link'
  | 'google-refresh-token'
  | 'google-oauth-state'
  | 'google-reconnect-link';

export function subKey(serverKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `rapport/${purpose}/v1`, 32));
}

/** base64url HMAC-SHA256 of text under the purpose's sub-key. */
export function hmac(serverKey: Buffer, purpose: KeyPurpose, text: string): string {
  return createHmac('sha256', subKey(serverKey, purpose)).update(text).digest('base64url');
}

/** Constant-time check of an hmac() signature. */
export function hmacMatches(serverKey: Buffer, purpose: KeyPurpose, text: string, signature: string): boolean {
  return sameSecret(hmac(serverKey, purpose, text), signature);
}

/**
 * A secret encrypted with AES-256-GCM (random 12-byte IV) under the purpose's
 * sub-key, bound to its owner (the additional authenticated data: a Slack
 * team id, a member id), so a ciphertext copied to another row does not open.
 *   seal(key, 'slack-bot-token', 'T012', 'xoxb-…') = 'v1:<iv>:<tag>:<ciphertext>' (each base64)
 */
export function seal(serverKey: Buffer, purpose: KeyPurpose, owner: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(serverKey, purpose), iv);
  cipher.setAAD(Buffer.from(owner, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** The secret seal() sealed, or null (wrong key, wrong owner, altered text): never says which. */
export function unseal(serverKey: Buffer, purpose: KeyPurpose, owner: string, sealed: string): string | null {
  const [version, iv, tag, data, ...rest] = sealed.split(':');
  const ivBytes = Buffer.from(iv ?? '', 'base64');
  const tagBytes = Buffer.from(tag ?? '', 'base64');
  // a full 16-byte tag only: GCM would accept a shortened one, and a weaker check
  if (version !== 'v1' || ivBytes.length !== 12 || tagBytes.length !== 16 || data === undefined || rest.length) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', subKey(serverKey, purpose), ivBytes, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(owner, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export type SignedCheck<T> = { ok: true; value: T } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * A small JSON payload with an expiry (`e`, seconds) and a nonce, signed:
 * an OAuth state that comes back through the browser.
 *   signPayload(key, 'slack-oauth-state', { w: 'a1…' }, 1800000000) = '<base64url {"w":…,"e":1800000000,"n":…}>.<hmac>'
 */
export function signPayload(serverKey: Buffer, purpose: KeyPurpose, fields: Record<string, string>, expiresAt: number): string {
  const payload = Buffer.from(JSON.stringify({ ...fields, e: expiresAt, n: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${hmac(serverKey, purpose, payload)}`;
}

/** The fields signPayload() signed (each a string), if this server signed them for this purpose and they have not expired. */
export function openPayload(serverKey: Buffer, purpose: KeyPurpose, token: string, nowSeconds: number): SignedCheck<Record<string, unknown>> {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length || !hmacMatches(serverKey, purpose, payload, signature)) return { ok: false, reason: 'invalid' };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof parsed.e !== 'number') return { ok: false, reason: 'invalid' };
  if (parsed.e < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, value: parsed };
}

/**
 * A link's query, signed: its fields in order, an expiry and the signature of
 * `<field>.<field>….<expires>` (lower-cased ids), for a link sent by DM or chat.
 *   signQuery(key, 'slack-install-link', { workspace: 'a1…' }, 1800000000) = 'workspace=a1…&expires=1800000000&sig=<hmac>'
 */
export function signQuery(serverKey: Buffer, purpose: KeyPurpose, fields: Record<string, string>, expiresAt: number): string {
  const values = Object.values(fields).map((v) => v.toLowerCase());
  const sig = hmac(serverKey, purpose, [...values, expiresAt].join('.'));
  return new URLSearchParams({
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.toLowerCase()])),
    expires: String(expiresAt),
    sig,
  }).toString();
}

/** The named fields of a signQuery() link, if each matches `valid`, this server signed them and they have not expired. */
export function verifyQuery<const N extends string>(
  serverKey: Buffer,
  purpose: KeyPurpose,
  q: Partial<Record<N | 'expires' | 'sig', string | undefined>>,
  names: readonly N[],
  valid: RegExp,
  nowSeconds: number,
): SignedCheck<Record<N, string>> {
  const values = names.map((n) => q[n]?.toLowerCase() ?? '');
  if (values.some((v) => !valid.test(v)) || !/^\d{1,12}$/.test(q.expires ?? '') || !q.sig) return { ok: false, reason: 'invalid' };
  if (!hmacMatches(serverKey, purpose, [...values, q.expires].join('.'), q.sig)) return { ok: false, reason: 'invalid' };
  if (Number(q.expires) < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, value: Object.fromEntries(names.map((n, i) => [n, values[i]!])) as Record<N, string> };
}
