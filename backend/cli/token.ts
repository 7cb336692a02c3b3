import { newApiToken } from '../auth/api-tokens.js';
import { DbError } from '../db/port.js';
import { EnvError, parseEnv } from '../env.js';
import { openRuntime } from '../runtime.js';
import { readArgs } from './args.js';

/**
 * `npm run token -- --email <member> [--workspace <id>] [--label <text>]`:
 * prints a new personal API token for a member. The token is shown once; only
 * its hash is stored.
 */
async function main() {
  const usage = 'usage: npm run token -- --email <member email> [--workspace <workspace id>] [--label <text>]';
  let flags: { email?: string; workspace?: string; label?: string };
  try {
    flags = readArgs(process.argv.slice(2), { email: { type: 'string' }, workspace: { type: 'string' }, label: { type: 'string' } }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (flags.email === undefined) {
    console.error(usage);
    process.exit(2);
  }
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: process.env.RAPPORT_DEMO ?? 'off' });
  const runtime = await openRuntime(env);
  try {
    const { token, hash } = newApiToken();
    const res = await runtime.deps.db.callAnonymous<{ member: { email: string; name: string }; workspaceId: string }>('token_create', {
      email: flags.email,
      tokenHash: hash,
      ...(flags.workspace !== undefined ? { workspaceId: flags.workspace } : {}),
      ...(flags.label !== undefined ? { label: flags.label } : {}),
    });
    console.error(`API token for ${res.member.name} <${res.member.email}> in workspace ${res.workspaceId} (shown once):`);
    console.log(token);
  } finally {
    await runtime.close();
  }
}

main().catch((e) => {
  if (e instanceof EnvError) console.error(e.message);
  else if (e instanceof DbError && e.key === 'member_unknown') console.error(`no active member has the email ${e.details.email}`);
  else if (e instanceof DbError && e.key === 'member_ambiguous') console.error(`${e.details.email} is a member of several workspaces: add --workspace <id>`);
  else console.error(`could not create a token: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
