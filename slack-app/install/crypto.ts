import { seal, unseal } from '../../backend/crypto.js';

/**
 * A bot token encrypted under RAPPORT_SECRET_KEY (backend/crypto.ts), bound
 * to its Slack team, so a ciphertext copied to another team's row does not decrypt.
 *   encryptToken(key, 'T012', 'xoxb-…') = 'v1:<iv>:<tag>:<ciphertext>' (each base64)
 */
export function encryptToken(serverKey: Buffer, teamId: string, token: string): string {
  return seal(serverKey, 'slack-bot-token', teamId, token);
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
  const token = unseal(serverKey, 'slack-bot-token', teamId, sealed);
  if (token === null) throw new TokenDecryptError(teamId);
  return token;
}
