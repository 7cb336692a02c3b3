import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { sameSecret } from '../../backend/auth/same-secret.js';

/**
 * One server key (RAPPORT_SECRET_KEY), one sub-key per use, so a signature
 * made for one purpose can never pass for another: HKDF-SHA256 with the
 * purpose as its info.
 */
export type KeyPurpose = 'slack-bot-token' | 'slack-oauth-state' | 'slack-install-link';

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
 * A bot token encrypted with AES-256-GCM (random 12-byte IV), bound to its
 * Slack team (the team id is the additional authenticated data, so a
 * ciphertext copied to another team's row does not decrypt).
 *   encryptToken(key, 'T012', 'xoxb-…') = 'v1:<iv>:<tag>:<ciphertext>' (each base64)
 */
export function encryptToken(serverKey: Buffer, teamId: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(serverKey, 'slack-bot-token'), iv);
  cipher.setAAD(Buffer.from(teamId, 'utf8'));
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export class TokenDecryptError extends Error {
  constructor(teamId: string) {
    // never the ciphertext or the key
    super(`the bot token of Slack team ${teamId} does not decrypt: RAPPORT_SECRET_KEY is not the key it was stored with (install Rapport in that team again)`);
    this.name = 'TokenDecryptError';
  }
}

/** The token encryptToken() sealed, or TokenDecryptError (wrong key, wrong team, altered text). */
export function decryptToken(serverKey: Buffer, teamId: string, sealed: string): string {
  const [version, iv, tag, data, ...rest] = sealed.split(':');
  const ivBytes = Buffer.from(iv ?? '', 'base64');
  const tagBytes = Buffer.from(tag ?? '', 'base64');
  // a full 16-byte tag only: GCM would accept a shortened one, and a weaker check
  if (version !== 'v1' || ivBytes.length !== 12 || tagBytes.length !== 16 || data === undefined || rest.length) throw new TokenDecryptError(teamId);
  try {
    const decipher = createDecipheriv('aes-256-gcm', subKey(serverKey, 'slack-bot-token'), ivBytes, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(teamId, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenDecryptError(teamId);
  }
}
