import type { Env } from '../env.js';
import type { GoogleEndpoints, OAuthApp } from './oauth.js';

/** Gmail sync as the environment configures it (deps.gmail); absent when neither an OAuth client nor delegation is set. */
export interface GmailSettings {
  /** RAPPORT_SECRET_KEY: seals refresh tokens, signs consent states and reconnect links */
  serverKey: Buffer;
  /** where Google sends the member back, and reconnect links lead (RAPPORT_PUBLIC_URL) */
  publicUrl?: string;
  /** "Connect Gmail": the member's own consent (GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET) */
  oauth?: OAuthApp;
  /** a Google Workspace admin's domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_KEY_FILE) */
  delegation?: { keyFile: string };
  endpoints: GoogleEndpoints;
  importDays: number;
  pollSeconds: number;
  quotaUnitsPerSecond: number;
}

export function gmailSettings(env: Env): GmailSettings | undefined {
  if (!env.RAPPORT_SECRET_KEY || !(env.GOOGLE_OAUTH_CLIENT_ID || env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE)) return undefined;
  const endpoints: GoogleEndpoints = {
    ...(env.GOOGLE_API_URL ? { apiUrl: env.GOOGLE_API_URL } : {}),
    ...(env.GOOGLE_OAUTH_URL ? { oauthUrl: env.GOOGLE_OAUTH_URL } : {}),
  };
  const publicUrl = env.RAPPORT_PUBLIC_URL?.replace(/\/+$/, '');
  return {
    serverKey: env.RAPPORT_SECRET_KEY,
    ...(publicUrl ? { publicUrl } : {}),
    ...(env.GOOGLE_OAUTH_CLIENT_ID && env.GOOGLE_OAUTH_CLIENT_SECRET && publicUrl
      ? {
          oauth: {
            clientId: env.GOOGLE_OAUTH_CLIENT_ID,
            clientSecret: env.GOOGLE_OAUTH_CLIENT_SECRET,
            redirectUri: `${publicUrl}/google/oauth_callback`,
            ...endpoints,
          },
        }
      : {}),
    ...(env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE ? { delegation: { keyFile: env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE } } : {}),
    endpoints,
    importDays: env.RAPPORT_GMAIL_IMPORT_DAYS,
    pollSeconds: env.RAPPORT_GMAIL_POLL_SECONDS,
    quotaUnitsPerSecond: env.RAPPORT_GMAIL_QUOTA_UNITS,
  };
}
