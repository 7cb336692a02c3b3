import type { Env } from '../env.js';
import type { GoogleEndpoints } from '../google/oauth.js';

/**
 * "Sign in with Slack" and "Sign in with Google" (issue 20), as the
 * environment configures them: the Slack app's OAuth client (the one "Add to
 * Slack" uses) and Google's (the one "Connect Gmail" uses), each offered only
 * when set. The server key signs the short-lived state cookie and the
 * workspace chooser.
 */
export interface SigninSettings {
  /** RAPPORT_SECRET_KEY */
  serverKey: Buffer;
  slack?: {
    clientId: string;
    clientSecret: string;
    /** SLACK_API_URL: the Web API base for openid.connect.token (https://slack.com/api/ by default) */
    apiUrl?: string;
    /** SLACK_OAUTH_URL: the root of the authorize page (https://slack.com by default) */
    oauthUrl?: string;
  };
  google?: { clientId: string; clientSecret: string } & GoogleEndpoints;
}

/** deps.signin from the environment, or nothing when neither provider is configured. */
export function signinDeps(env: Env): { signin?: SigninSettings } {
  if (!env.RAPPORT_SECRET_KEY) return {};
  const slack =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET
      ? {
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          ...(env.SLACK_OAUTH_URL ? { oauthUrl: env.SLACK_OAUTH_URL } : {}),
        }
      : undefined;
  const google =
    env.GOOGLE_OAUTH_CLIENT_ID && env.GOOGLE_OAUTH_CLIENT_SECRET
      ? {
          clientId: env.GOOGLE_OAUTH_CLIENT_ID,
          clientSecret: env.GOOGLE_OAUTH_CLIENT_SECRET,
          ...(env.GOOGLE_OAUTH_URL ? { oauthUrl: env.GOOGLE_OAUTH_URL } : {}),
        }
      : undefined;
  if (!slack && !google) return {};
  return { signin: { serverKey: env.RAPPORT_SECRET_KEY, ...(slack ? { slack } : {}), ...(google ? { google } : {}) } };
}
