import * as z from 'zod';

/**
 * Every setting, parsed once at start-up. A wrong or missing one stops the
 * process with a sentence naming the variable (see README's table).
 */
const csv = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));

const Env = z
  .object({
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
    SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{32}$/, { message: 'must be the 32 hex characters from Basic Information > App Credentials' }).optional(),
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, { message: 'must be a bot token (xoxb-...) from OAuth & Permissions' }).optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  });

/** Rules between variables, checked even when a single one is also wrong. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.DATABASE_URL && env.SUPABASE_URL) problems.push('SUPABASE_URL: set either DATABASE_URL or SUPABASE_URL, not both');
  if (env.SUPABASE_URL && !env.SUPABASE_SERVICE_ROLE_KEY) {
    problems.push('SUPABASE_SERVICE_ROLE_KEY: is required with SUPABASE_URL (Project settings > API > service_role key)');
  }
  if (Boolean(env.SLACK_SIGNING_SECRET) !== Boolean(env.SLACK_BOT_TOKEN)) {
    problems.push('SLACK_BOT_TOKEN: the Slack app needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or neither)');
  }
  return problems;
}

export type Env = z.infer<typeof Env>;

export class EnvError extends Error {}

/** parseEnv({ PORT: 'x' }) throws EnvError('PORT: Invalid input: expected number, received NaN') */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = Env.safeParse(cleaned);
  const lines = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossChecks(cleaned),
  ];
  if (result.success && lines.length === 0) return result.data;
  throw new EnvError(`Rapport cannot start; fix these environment variables:\n  ${lines.join('\n  ')}`);
}
