import { installLinkQuery, INSTALL_LINK_DAYS } from './state.js';
import { EnvError, parseEnv } from '../../backend/env.js';
import { openRuntime } from '../../backend/runtime.js';
import { readArgs } from '../../backend/cli/args.js';

/**
 * `npm run slack:install-link [-- --workspace <id>] [--days <n>]`: prints the
 * "Add to Slack" link that binds a Slack team to one Rapport workspace; the
 * only way to install (GET /slack/install refuses a request without one).
 * --workspace may be left out when the server holds one workspace. The link
 * is signed with RAPPORT_SECRET_KEY and expires after --days (7 by default).
 */
async function main() {
  const usage = 'usage: npm run slack:install-link -- [--workspace <workspace id>] [--days <1-365, default 7>]';
  let flags: { workspace?: string; days?: string };
  try {
    flags = readArgs(process.argv.slice(2), { workspace: { type: 'string' }, days: { type: 'string' } }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  const days = flags.days === undefined ? INSTALL_LINK_DAYS : Number(flags.days);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    console.error(usage);
    process.exit(2);
  }
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: process.env.RAPPORT_DEMO ?? 'off' });
  if (!env.RAPPORT_SECRET_KEY || !env.RAPPORT_PUBLIC_URL || !env.SLACK_CLIENT_ID) {
    console.error(
      '"Add to Slack" is not configured: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, RAPPORT_SECRET_KEY and RAPPORT_PUBLIC_URL as the server has them',
    );
    process.exit(2);
  }
  if (flags.workspace !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(flags.workspace)) {
    console.error(`--workspace must be a workspace id (a uuid), not ${JSON.stringify(flags.workspace)}`);
    process.exit(2);
  }
  const runtime = await openRuntime(env, () => {}, { holder: 'npm run slack:install-link' });
  try {
    const { workspace, workspaces } = await runtime.deps.db.callAnonymous<{
      workspace: { id: string; name: string } | null;
      workspaces: number;
    }>('slack_install_target', flags.workspace !== undefined ? { workspaceId: flags.workspace } : {});
    if (!workspace) {
      console.error(
        flags.workspace !== undefined
          ? `no workspace has the id ${flags.workspace}`
          : workspaces === 0
            ? 'this server holds no workspace yet: make one first with npm run setup (README: "Set up your team")'
            : `this server holds ${workspaces} workspaces: name one with --workspace <id>`,
      );
      process.exitCode = 1;
      return;
    }
    const expires = Math.floor(Date.now() / 1000) + days * 86_400;
    console.error(`"Add to Slack" link for ${workspace.name} (${workspace.id}), good for ${days} day(s):`);
    console.log(`${env.RAPPORT_PUBLIC_URL.replace(/\/+$/, '')}/slack/install?${installLinkQuery(env.RAPPORT_SECRET_KEY, workspace.id, expires)}`);
  } finally {
    await runtime.close();
  }
}

main().catch((e) => {
  console.error(e instanceof EnvError ? e.message : `could not make an install link: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
