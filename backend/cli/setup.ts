import { existsSync } from 'node:fs';
import path from 'node:path';
import { newApiToken } from '../auth/api-tokens.js';
import { DataDirBusyError } from '../db/data-dir-lock.js';
import { DbError } from '../db/port.js';
import { databaseKind, EnvError, localUrl, parseEnv } from '../env.js';
import { cliError, cliLocale } from '../imports/cli-kit.js';
import { openRuntime } from '../runtime.js';
import { readSetupArgs, SETUP_USAGE as USAGE } from './setup-args.js';

interface SetupAnswer {
  workspace: { id: string; name: string; defaultTimezone: string; defaultLocale: string; internalDomains: string[] };
  member: { id: string; email: string; name: string };
}

/**
 * `npm run setup -- --workspace <name> --admin-email <email> --admin-name <name> [--timezone] [--locale] [--domain ...]`:
 * a team's workspace and its first admin, on whatever database the
 * environment names (never the demo: RAPPORT_DEMO is off here). The admin's
 * API token goes to stdout, once; what was made and what to do next, to stderr.
 * Usage mistakes exit 2; a workspace of that name already there exits 1 and
 * changes nothing.
 */
async function main() {
  const read = readSetupArgs(process.argv.slice(2));
  if ('help' in read) {
    console.error(USAGE);
    return;
  }
  if ('problems' in read) {
    console.error(`${read.problems.join('\n')}\n${USAGE}`);
    process.exit(2);
  }
  const { request } = read;
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: 'off' });
  const runtime = await openRuntime(env, () => {}, { holder: 'npm run setup', createInProcess: true });
  let made: SetupAnswer;
  const { token, hash } = newApiToken();
  try {
    made = await runtime.deps.db.callAnonymous<SetupAnswer>('workspace_setup', { ...request, tokenHash: hash });
  } finally {
    await runtime.close();
  }
  const w = made.workspace;
  const lines = [
    `Made workspace "${w.name}" (${w.id}; time zone ${w.defaultTimezone}, language ${w.defaultLocale}${w.internalDomains.length ? `, your domains ${w.internalDomains.join(', ')}` : ''})`,
    `and its first admin ${made.member.name} <${made.member.email}>. Their API token, shown once (only its hash is stored), is on stdout:`,
  ];
  console.error(lines.join('\n'));
  console.log(token);
  const embedded = databaseKind(env) === 'pglite';
  const url = localUrl(env.HOST, env.PORT || 8787);
  const next = [
    'Next:',
    `  1. npm start${embedded ? ` (same RAPPORT_DATA_DIR: ${env.RAPPORT_DATA_DIR})` : ' (with the same database settings)'}`,
    '  2. Add people: POST /api/members with this token, e.g.',
    '       curl -H "Authorization: Bearer rpt_..." -H "content-type: application/json" \\',
    `         -d '{"email":"jane@company.com","name":"Jane Doe","role":"rep"}' ${url}/api/members`,
    '     or let them join by themselves from Slack or Google: PATCH /api/workspace {"joinPolicy":"slack"} or {"joinPolicy":"domains","joinDomains":[...]}.',
    '  3. README.md, "Set up your team": roles, joining, people who leave, tokens.',
  ];
  if (embedded && existsSync(path.join(path.resolve(env.RAPPORT_DATA_DIR), 'demo-token'))) {
    next.push(
      `Note: ${env.RAPPORT_DATA_DIR} also holds the demo workspace from an earlier npm start; to begin without it, run setup with a new RAPPORT_DATA_DIR.`,
    );
  }
  console.error(next.join('\n'));
}

main().catch((e) => {
  if (e instanceof DbError && (e.key === 'invalid_timezone' || e.key === 'invalid_domain')) {
    // the database knows fewer zones than Intl: still a usage mistake
    console.error(`${cliError(e, cliLocale(undefined, null))}\n${USAGE}`);
    process.exit(2);
  }
  if (e instanceof DbError || e instanceof DataDirBusyError || e instanceof EnvError) console.error(cliError(e, cliLocale(undefined, null)));
  else console.error(`could not set up the workspace: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
