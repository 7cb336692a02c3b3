import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from '../env.js';
import { type CliArgs, cliActor, cliError, cliLocale, parseImportArgs } from '../imports/cli-kit.js';
import { progressBar } from '../imports/progress.js';
import { t } from '../i18n/messages.js';
import { importCsv, localizeReport } from '../imports/service.js';
import { openRuntime } from '../runtime.js';

const USAGE = `usage: npm run import -- <file.csv> [--workspace <id>] [--as <member email>] [--dry-run] [--skip-invalid]
                         [--map field=Header ...] [--locale en|ja|zh] [--json]
  Reads Google Contacts, HubSpot, or any CSV with a header row (UTF-8 or Shift_JIS).
  All or nothing by default: one rejected row and nothing is written.
  --as            the member the import acts as (default: the workspace's first admin)
  --dry-run       check every row and print the report; write nothing
  --skip-invalid  import the valid rows; write the rejected ones, each with its reason,
                  to <file>.rejected.csv beside the file (fix it and import it again)
  --map           read a field from a column: name, firstName, lastName, email, phone, title, company,
                  companyDomain, stage, owner, tags, timezone, lastInteraction, reading, companyReading,
                  note, custom.<key>; stage=Header:VIP=customer,Partner=prospect names the stage of a value
  --json          print the report as JSON`;

async function main() {
  let args: CliArgs;
  try {
    args = parseImportArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.file === undefined || args.flags.help) {
    console.error(USAGE);
    process.exit(args.flags.help ? 0 : 2);
  }
  let locale = cliLocale(args.flags.locale, null);
  const bytes = await readFile(args.file).catch((e: NodeJS.ErrnoException) => {
    console.error(`cannot read ${args.file}: ${e.code ?? e.message}`);
    process.exit(2);
  });
  const env = parseEnv({ ...process.env, RAPPORT_DEMO: process.env.RAPPORT_DEMO ?? 'off' });
  const runtime = await openRuntime(env, () => {}, { holder: 'npm run import' });
  try {
    const actor = await cliActor(runtime.deps.db, args.flags);
    locale = cliLocale(args.flags.locale, actor.locale);
    console.error(
      `${path.basename(args.file)} -> workspace ${actor.workspaceId}, as ${actor.name} <${actor.email}>${args.flags['dry-run'] ? ' (dry run)' : ''}`,
    );
    const bar = progressBar();
    const skipInvalid = args.flags['skip-invalid'] === true;
    // <name>.rejected.csv beside the file: "contacts.csv" -> "contacts.rejected.csv"
    const rejectedPath = path.join(path.dirname(args.file), `${path.basename(args.file).replace(/\.csv$/i, '')}.rejected.csv`);
    const report = localizeReport(
      await importCsv(
        runtime.deps.db,
        { workspaceId: actor.workspaceId, memberId: actor.memberId, source: 'cli', now: new Date().toISOString() },
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        {
          dryRun: args.flags['dry-run'] === true,
          skipInvalid,
          locale: cliLocale(undefined, actor.locale),
          map: args.map,
          fileName: path.basename(args.file),
          maxRows: env.RAPPORT_IMPORT_MAX_ROWS,
          onProgress: bar.update,
        },
      ).finally(bar.done),
      locale,
      { ...(env.RAPPORT_PUBLIC_URL ? { publicUrl: env.RAPPORT_PUBLIC_URL.replace(/\/+$/, '') } : {}), rejectedTo: rejectedPath },
    );
    if (report.rejectedCsv !== undefined && !report.dryRun) await writeFile(rejectedPath, report.rejectedCsv);
    if (args.flags.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      if (report.ignored.length) console.log(t(locale, 'import_ignored_columns', { columns: report.ignored.join(', ') }));
      const values = Object.entries(report.stageValues);
      if (values.length) console.log(t(locale, 'import_stage_values', { values: values.map(([v, s]) => `${v}=${s}`).join(', ') }));
      for (const r of report.rejected) console.log(r.message);
      // rows already held need no action: the first few, then a count (--json lists them all)
      for (const r of report.existing.slice(0, 20)) console.log(r.message);
      if (report.existing.length > 20) console.log(`... ${report.existing.length - 20} more already in Rapport (--json lists them all)`);
      console.log(report.summary);
      if (report.rejectedCsv !== undefined && !report.dryRun) console.log(t(locale, 'import_rejected_written', { count: report.skipped, path: rejectedPath }));
    }
    // skipping: the rejected rows are the file's to fix, not a failure of the import
    if (report.rejectedRows > 0 && !(skipInvalid && report.written)) process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

main().catch((e) => {
  console.error(cliError(e, cliLocale(undefined, null)));
  process.exit(1);
});
