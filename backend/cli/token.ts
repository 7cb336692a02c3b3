import { newApiToken } from '../auth/api-tokens.js';
import { DataDirBusyError } from '../db/data-dir-lock.js';
import { DbError } from '../db/port.js';
import { EnvError, localUrl, parseEnv } from '../env.js';
import { openRuntime } from '../runtime.js';
import { signinLinkUrl } from '../web/link-route.js';
import { newWebToken, safeNext } from '../web/session.js';
import { readArgs } from './args.js';

/**
 * `npm run token -- --email <member> [--workspace <id>] [--label <text>] [--expires-in-days <n>]`:
 * prints a new personal API token for a member. The token is shown once; only
 * its hash is stored. With --expires-in-days it is refused after that many days.
 * With --link it prints instead a one-time link that signs the member in to
 * the web pages (10 minutes, once; --next <path> is where it leads).
 */
async function main() {
  const usage = [
    'usage: npm run token -- --email <member email> [--workspace <workspace id>] [--label <text>] [--expires-in-days <1-3650>]',
    '       npm run token -- --email <member email> [--workspace <workspace id>] --link [--next </path>]',
    '  --link   print a one-time link that signs the member in to the web pages (valid 10 minutes, once),',
    "           at RAPPORT_PUBLIC_URL (or this server's local address); no API token is made",
    '  --next   where the link leads once signed in: a path on this server, such as /c/<contact id> (default /)',
  ].join('\n');
  let flags: { email?: string; workspace?: string; label?: string; 'expires-in-days'?: string; link?: boolean; next?: string; help?: boolean };
  try {
    flags = readArgs(process.argv.slice(2), {
      email: { type: 'string' },
      workspace: { type: 'string' },
      label: { type: 'string' },
      'expires-in-days': { type: 'string' },
      link: { type: 'boolean' },
      next: { type: 'string' },
      help: { type: 'boolean' },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (flags.help) {
    console.log(usage);
    return;
  }
  if (flags.email === undefined) {
    console.error(usage);
    process.exit(2);
  }
  if (!flags.link && flags.next !== undefined) {
    console.error(`--next goes with --link.\n${usage}`);
    process.exit(2);
  }
  if (flags.link && (flags.label !== undefined || flags['expires-in-days'] !== undefined)) {
    console.error(`--label and --expires-in-days are an API token's; a link lives 10 minutes.\n${usage}`);
    process.exit(2);
  }
  if (flags.next !== undefined && safeNext(flags.next) !== flags.next) {
    console.error(`--next ${JSON.stringify(flags.next)} is not a path on this server (such as /c/<id>).\n${usage}`);
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
    if (flags.link) {
      const { token, hash } = newWebToken();
      const made = await runtime.deps.db.callAnonymous<{ member: { email: string; name: string }; workspaceId: string; expiresAt: string }>('signin_link_cli', {
        email: flags.email,
        tokenHash: hash,
        next: safeNext(flags.next),
        ...(flags.workspace !== undefined ? { workspaceId: flags.workspace } : {}),
      });
      const base = env.RAPPORT_PUBLIC_URL ?? localUrl(env.HOST, env.PORT);
      console.error(
        `Sign-in link for ${made.member.name} <${made.member.email}> in workspace ${made.workspaceId} (works once, until ${new Date(made.expiresAt).toISOString()}):`,
      );
      console.log(signinLinkUrl(base, token));
      return;
    }
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
  else console.error(`could not create a token or link: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
