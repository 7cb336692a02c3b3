import { parseEnv } from '../env.js';
import { type CliArgs, cliActor, cliError, cliLocale, parseImportArgs } from '../imports/cli-kit.js';
import { exportContacts, renderExport } from '../imports/export.js';
import { openRuntime } from '../runtime.js';

const USAGE = `usage: npm run export -- [--format csv|json] [--workspace <id>] [--as <member email>] > contacts.csv
  Writes every contact of the workspace to stdout: CSV (UTF-8 with BOM, the import reads it back) or JSON.`;

/**
 * `npm run export -- [--format csv|json] [--workspace <id>]`: everything the
 * workspace holds about its contacts, on stdout.
 */
async function main() {
  let args: CliArgs;
  try {
    args = parseImportArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const format = args.flags.format ?? 'csv';
  if (args.file !== undefined || args.flags.help || (format !== 'csv' && format !== 'json')) {
    console.error(USAGE);
    process.exit(args.flags.help ? 0 : 2);
  }
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: process.env.RAPPORT_DEMO ?? 'off' });
  const runtime = await openRuntime(env, () => {}, { holder: 'npm run export' });
  try {
    const actor = await cliActor(runtime.deps.db, args.flags);
    const items = await exportContacts(runtime.deps.db, {
      workspaceId: actor.workspaceId,
      memberId: actor.memberId,
      source: 'cli',
      now: new Date().toISOString(),
    });
    const out = renderExport(items, format);
    await new Promise<void>((resolve, reject) => process.stdout.write(out.body, (e) => (e ? reject(e) : resolve())));
    console.error(`${items.length} contact(s) of workspace ${actor.workspaceId} exported as ${format}`);
  } finally {
    await runtime.close();
  }
}

main().catch((e) => {
  console.error(cliError(e, cliLocale(undefined, null)));
  process.exit(1);
});
