import * as z from 'zod';

/**
 * Every setting, parsed once at start-up. A wrong or missing one stops the
 * process with a sentence naming the variable (see README's table).
 */
const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/**
 * The server key that encrypts Slack bot tokens and signs install states: 32
 * or more random bytes, as 64 hex characters or as base64 (url-safe or not).
 *   secretKeyBytes('00'.repeat(32)) = <Buffer 00 … 00> (32 bytes)
 *   secretKeyBytes('c2hvcnQ=') = null (5 bytes)
 */
export function secretKeyBytes(text: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length >= 32 ? bytes : null;
}

const SecretKey = z.string().transform((text, ctx) => {
  const bytes = secretKeyBytes(text.trim());
  if (!bytes) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be 32 or more random bytes, as base64 or as 64 hex characters (openssl rand -base64 32)',
    });
    return z.NEVER;
  }
  return bytes;
});

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  RAPPORT_DATA_DIR: z.string().min(1).default('.rapport'),
  RAPPORT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  RAPPORT_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  SUPABASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional(),
  GOOGLE_CLIENT_IDS: csv,
  GOOGLE_CERTS_URL: z.url({ protocol: /^https?$/ }).optional(),
  RAPPORT_SERVICE_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9a-f]{32}$/, { message: 'must be the 32 hex characters from Basic Information > App Credentials' })
    .optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, { message: 'must be a bot token (xoxb-...) from OAuth & Permissions' })
    .optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** where "Sign in with Slack" sends the browser (<SLACK_OAUTH_URL>/openid/connect/authorize): https://slack.com unless a stand-in */
  SLACK_OAUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, { message: 'must be an app-level token (xapp-...) from Basic Information > App-Level Tokens, with connections:write' })
    .optional(),
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, { message: 'must be the Client ID from Basic Information > App Credentials (digits.digits)' })
    .optional(),
  SLACK_CLIENT_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z]{16,64}$/, { message: 'must be the Client Secret from Basic Information > App Credentials' })
    .optional(),
  RAPPORT_SECRET_KEY: SecretKey.optional(),
  RAPPORT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0, { message: 'must be a whole number of requests a minute (0 = no limit)' }).default(600),
  RAPPORT_WORKSPACE_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(0, { message: 'must be a whole number of requests a minute (0 = no limit)' })
    .default(6000),
  RAPPORT_INBOUND_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0, { message: 'must be a whole number of messages a minute (0 = no limit)' }).default(120),
  RAPPORT_TOKEN_TRUST_MS: z.coerce
    .number()
    .int()
    .min(0, { message: 'must be a whole number of milliseconds (0 = ask the database on every request)' })
    .max(60_000, { message: 'must be at most 60000 (a revoked token must stop working within a minute)' })
    .default(2000),
  RAPPORT_IMPORT_MAX_ROWS: z.coerce
    .number()
    .int()
    .min(1, { message: 'must be a whole number of rows, at least 1' })
    .max(2_000_000, { message: 'must be at most 2,000,000 rows' })
    .default(200_000),
  RAPPORT_INBOUND_ADDRESS: z
    .string()
    .regex(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/i, {
      message: 'must be an address such as log@in.example.com (each member gets log+<secret>@in.example.com)',
    })
    .optional(),
  RAPPORT_INBOUND_SECRET: z.string().min(32, { message: 'must be at least 32 characters (openssl rand -base64 32)' }).optional(),
  GOOGLE_OAUTH_CLIENT_ID: z.string().min(1).max(300).optional(),
  GOOGLE_OAUTH_CLIENT_SECRET: z.string().min(1).max(300).optional(),
  GOOGLE_SERVICE_ACCOUNT_KEY_FILE: z.string().min(1).optional(),
  GOOGLE_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  GOOGLE_OAUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  RAPPORT_GMAIL_IMPORT_DAYS: z.coerce
    .number()
    .int()
    .min(1, { message: 'must be a whole number of days, 1 to 3650' })
    .max(3650, { message: 'must be a whole number of days, 1 to 3650' })
    .default(90),
  RAPPORT_GMAIL_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(10, { message: 'must be a whole number of seconds, 10 to 86400' })
    .max(86400, { message: 'must be a whole number of seconds, 10 to 86400' })
    .default(120),
  RAPPORT_SCHEDULER_SECONDS: z.coerce
    .number()
    .int()
    .min(1, { message: 'must be a whole number of seconds, 1 to 3600' })
    .max(3600, { message: 'must be a whole number of seconds, 1 to 3600' })
    .default(60),
  RAPPORT_GMAIL_QUOTA_UNITS: z.coerce
    .number()
    .int()
    .min(1, { message: "must be a whole number of Gmail quota units a second per mailbox (Google's limit is 250)" })
    .default(250),
});

/** Rules between variables, checked even when a single one is also wrong. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.DATABASE_URL && env.SUPABASE_URL) problems.push('SUPABASE_URL: set either DATABASE_URL or SUPABASE_URL, not both');
  if (env.SUPABASE_URL && !env.SUPABASE_SERVICE_ROLE_KEY) {
    problems.push('SUPABASE_SERVICE_ROLE_KEY: is required with SUPABASE_URL (Project settings > API > service_role key)');
  }
  const oauth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET);
  if (Boolean(env.SLACK_CLIENT_ID) !== Boolean(env.SLACK_CLIENT_SECRET)) {
    problems.push('SLACK_CLIENT_SECRET: "Add to Slack" needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (or neither)');
  }
  if (oauth && !env.RAPPORT_SECRET_KEY) {
    problems.push('RAPPORT_SECRET_KEY: is required with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, to encrypt bot tokens (openssl rand -base64 32)');
  }
  if (oauth && !env.RAPPORT_PUBLIC_URL) {
    problems.push("RAPPORT_PUBLIC_URL: is required with SLACK_CLIENT_ID, for Slack's OAuth redirect (<RAPPORT_PUBLIC_URL>/slack/oauth_redirect)");
  }
  if (oauth && env.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one Slack workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (many), not both');
  }
  const slack = Boolean(env.SLACK_BOT_TOKEN) || oauth;
  if (!slack && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
    problems.push('SLACK_BOT_TOKEN: the Slack app needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (many workspaces)');
  }
  if (slack && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: is required to receive Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (Boolean(env.RAPPORT_INBOUND_ADDRESS) !== Boolean(env.RAPPORT_INBOUND_SECRET)) {
    problems.push('RAPPORT_INBOUND_SECRET: a capture address needs both RAPPORT_INBOUND_ADDRESS and RAPPORT_INBOUND_SECRET (or neither)');
  }
  const google = Boolean(env.GOOGLE_OAUTH_CLIENT_ID || env.GOOGLE_OAUTH_CLIENT_SECRET);
  if (Boolean(env.GOOGLE_OAUTH_CLIENT_ID) !== Boolean(env.GOOGLE_OAUTH_CLIENT_SECRET)) {
    problems.push('GOOGLE_OAUTH_CLIENT_SECRET: "Connect Gmail" needs both GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET (or neither)');
  }
  if ((google || env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE) && !env.RAPPORT_SECRET_KEY) {
    problems.push('RAPPORT_SECRET_KEY: is required for Gmail sync, to encrypt Google refresh tokens and sign consent links (openssl rand -base64 32)');
  }
  if (google && !env.RAPPORT_PUBLIC_URL) {
    problems.push("RAPPORT_PUBLIC_URL: is required with GOOGLE_OAUTH_CLIENT_ID, for Google's OAuth redirect (<RAPPORT_PUBLIC_URL>/google/oauth_callback)");
  }
  return problems;
}

export type Env = z.infer<typeof Env>;

export class EnvError extends Error {}

/** parseEnv({ PORT: 'x' }) throws EnvError('PORT: Invalid input: expected number, received NaN') */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = Env.safeParse(cleaned);
  const lines = [...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)), ...crossChecks(cleaned)];
  if (result.success && lines.length === 0) return result.data;
  throw new EnvError(`Rapport cannot start; fix these environment variables:\n  ${lines.join('\n  ')}`);
}

/**
 * How the Slack app runs: 'socket' (Socket Mode, SLACK_APP_TOKEN: no public
 * URL needed), 'http' (Slack posts to /slack/events), or 'off' (no Slack
 * credentials). parseEnv has already checked that the mode's variables are set.
 *   slackMode({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', ... }) = 'socket'
 */
export function slackMode(env: Pick<Env, 'SLACK_BOT_TOKEN' | 'SLACK_CLIENT_ID' | 'SLACK_APP_TOKEN'>): 'http' | 'socket' | 'off' {
  if (!env.SLACK_BOT_TOKEN && !env.SLACK_CLIENT_ID) return 'off';
  return env.SLACK_APP_TOKEN ? 'socket' : 'http';
}

/**
 * Which database the environment names: Supabase (SUPABASE_URL, with its key),
 * a PostgreSQL server (DATABASE_URL), or the embedded PGlite. parseEnv has
 * already refused both URLs at once and a Supabase URL without its key.
 *   databaseKind({ DATABASE_URL: 'postgres://…' }) = 'postgres'; databaseKind({}) = 'pglite'
 */
export function databaseKind(env: Pick<Env, 'SUPABASE_URL' | 'DATABASE_URL'>): 'supabase' | 'postgres' | 'pglite' {
  if (env.SUPABASE_URL) return 'supabase';
  return env.DATABASE_URL ? 'postgres' : 'pglite';
}

/** Where a server listening on host:port is reached from this machine (0.0.0.0 listens everywhere: localhost reaches it). */
export function localUrl(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
}
