import { newApiToken } from '../auth/api-tokens.js';
import { DataDirBusyError } from '../db/data-dir-lock.js';
import { DbError } from '../db/port.js';
import { EnvError, parseEnv } from '../env.js';
import { openRuntime } from '../runtime.js';
import { readArgs } from './args.js';

/**
 * `npm run token -- --email <member> [--workspace <id>] [--label <text>] [--expires-in-days <n>]`:
 * prints a new personal API token for a member. The token is shown once; only
 * its hash is stored. With --expires-in-days it is refused after that many days.
 */
async function main() {
  const usage = 'usage: npm run token -- --email <member email> [--workspace <workspace id>] [--label <text>] [--expires-in-days <1-3650>]';
  let flags: { email?: string; workspace?: string; label?: string; 'expires-in-days'?: string };
  try {
    flags = readArgs(process.argv.slice(2), {
      email: { type: 'string' },
      workspace: { type: 'string' },
      label: { type: 'string' },
      'expires-in-days': { type: 'string' },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (flags.email === undefined) {
    console.error(usage);
    process.exit(2);
  }
  const days = flags['expires-in-days'];
  const expiresInDays = days === undefined ? undefined : /^\d+$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  if (expiresInDays !== undefined && !(expiresInDays >= 1 && expiresInDays <= 3650)) {
    console.error(`--expires-in-days ${JSON.stringify(days)} is not a whole number of days from 1 to 3650.\n${usage}`);
    process.exit(2);
  }
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: process.env.RAPPORT_DEMO ?? 'off' });
  const runtime = await openRuntime(env, () => {}, { holder: 'npm run token' });
  try {
    const { token, hash } = newApiToken();
    const res = await runtime.deps.db.callAnonymous<{ member: { email: string; name: string }; workspaceId: string; expiresAt: string | null }>(
      'token_create',
      {
        email: flags.email,
        tokenHash: hash,
        ...(flags.workspace !== undefined ? { workspaceId: flags.workspace } : {}),
        ...(flags.label !== undefined ? { label: flags.label } : {}),
        ...(expiresInDays !== undefined ? { expiresInDays } : {}),
      },
    );
    const expiry = res.expiresAt ? `expires ${new Date(res.expiresAt).toISOString()}` : 'does not expire';
    console.error(`API token for ${res.member.name} <${res.member.email}> in workspace ${res.workspaceId} (${expiry}; shown once):`);
    console.log(token);
  } finally {
    await runtime.close();
  }
}

main().catch((e) => {
  if (e instanceof EnvError || e instanceof DataDirBusyError) console.error(e.message);
  else if (e instanceof DbError && e.key === 'member_unknown') console.error(`no active member has the email ${e.details.email}`);
  else if (e instanceof DbError && e.key === 'member_ambiguous') console.error(`${e.details.email} is a member of several workspaces: add --workspace <id>`);
  else console.error(`could not create a token: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
