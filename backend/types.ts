import type { Db } from './db/port.js';
import type { Locale } from './i18n/messages.js';
import type { GoogleVerifyResult } from './auth/google-id-token.js';
import type { RateLimitConfig } from './auth/rate-limit.js';
import type { MailboxNotice, MailboxPass } from './google/schemas.js';
import type { GmailSettings } from './google/settings.js';
import type { SigninSettings } from './web/signin-settings.js';

/** A Slack channel as Slack describes it: found (the bot can see it), shared with another organisation, its name, whether the bot is in it. */
export interface SlackChannelState {
  found: boolean;
  shared: boolean;
  name?: string | null;
  isMember?: boolean;
}

export interface Principal {
  workspaceId: string;
  memberId: string | null;
  locale?: Locale;
  role?: 'rep' | 'manager' | 'admin';
  source: 'api' | 'gmail' | 'slack' | 'scheduler' | 'web';
  /** what the per-credential rate limit counts: 'token:<hash prefix>', or 'member:<id>' for a Google ID token and for the Slack app acting for a member; none for the scheduler */
  credentialKey?: string;
}

/** What createApp needs; tests pass their own. */
export interface AppDeps {
  db: Db;
  /** the time the SQL treats as now (due today, overdue) */
  clock?: () => Date;
  google?: { verify(idToken: string): Promise<GoogleVerifyResult> };
  /** the Slack app's and the scheduler's credential; never sent to a browser or the add-on */
  serviceSecret?: string;
  /** work the server runs on request (POST /api/jobs/...); filled in by the Slack app when it is connected */
  jobs?: {
    digests?: () => Promise<{ claimed: number; sent: number; skipped: number; retried: number; failed: number }>;
    /** one Gmail sync pass (set by the server when Gmail sync is configured) */
    mailboxes?: () => Promise<MailboxPass>;
    /** tells a member their mailbox needs reconnecting (the Slack app's DM); once per failure */
    mailboxNotice?: (notice: MailboxNotice) => Promise<void>;
    /**
     * what Slack says of a channel (conversations.info with the team's bot token), asked before a
     * channel rule is accepted (POST /api/alert-rules); filled in by the Slack app when it is connected.
     * Absent: no rule can be checked, so none is accepted.
     */
    slackChannel?: (teamId: string, channelId: string) => Promise<SlackChannelState>;
    /**
     * what Slack says of a user (users.info with the team's bot token), asked when someone signs in to the
     * web pages with Slack and is not a member yet: whether they are a full member of the team, who may
     * join under the workspace's policy. Absent: nobody joins through "Sign in with Slack" (members still sign in).
     */
    slackProfile?: (teamId: string, slackUserId: string) => Promise<{ full: boolean; name?: string; timezone?: string }>;
  };
  /** Gmail sync (GOOGLE_OAUTH_CLIENT_ID…, GOOGLE_SERVICE_ACCOUNT_KEY_FILE); absent = not offered */
  gmail?: GmailSettings;
  /** "Sign in with Slack" and "Sign in with Google" on the web pages (the apps' OAuth clients); absent = one-time links only */
  signin?: SigninSettings;
  /** data rows one import may have (RAPPORT_IMPORT_MAX_ROWS; 200,000 when absent), and rows per database call (tests; chosen per database when absent) */
  imports?: { maxRows?: number; partRows?: number };
  /** requests a minute per credential and per workspace (RAPPORT_*RATE_LIMIT_PER_MINUTE); absent = no limit */
  rateLimit?: RateLimitConfig;
  /** the server's public address (RAPPORT_PUBLIC_URL): the document's server; '/' (where it is served) when absent */
  publicUrl?: string;
  /** mail capture (RAPPORT_INBOUND_ADDRESS, RAPPORT_INBOUND_SECRET): the base address (log@in.example.com; a member's is log+<secret>@in.example.com) and the secret of /inbound/* */
  inbound?: { address: string; secret: string };
  /** how long this copy trusts an API token's check (RAPPORT_TOKEN_TRUST_MS); absent or 0 = every request asks the database */
  tokenTrustMs?: number;
  /** where unexpected errors go; never given secrets or request bodies */
  logError?: (ref: string, err: unknown) => void;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    principal: Principal;
  };
};
