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
