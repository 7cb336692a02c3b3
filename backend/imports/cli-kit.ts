/** What `npm run import` and `npm run export` share: arguments, the reader's language, who they act as, errors as sentences. */
import { DbError } from '../db/port.js';
import { EnvError } from '../env.js';
import { type Locale, LOCALES, type MessageKey, isMessageKey, t } from '../i18n/messages.js';
import { readArgs } from '../cli/args.js';
import { ImportFileError } from './csv.js';

export interface CliArgs {
  file?: string;
  flags: { workspace?: string; as?: string; locale?: string; format?: string; 'dry-run'?: boolean; 'skip-invalid'?: boolean; json?: boolean; help?: boolean };
  map: string[];
}

/**
 * The import's and export's arguments (node:util parseArgs): at most one file,
 * options with or without a value, and every --map (which may repeat).
 *   parseImportArgs(['a.csv', '--dry-run', '--map', 'name=氏名']) = { file: 'a.csv', flags: { 'dry-run': true }, map: ['name=氏名'] }
 */
export function parseImportArgs(argv: string[]): CliArgs {
  const { values, positionals } = readArgs(
    argv,
    {
      workspace: { type: 'string' },
      as: { type: 'string' },
      map: { type: 'string', multiple: true },
      locale: { type: 'string' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: true },
  );
  if (positionals.length > 1) throw new Error(`one file at a time (got ${positionals.join(' and ')})`);
  const { map = [], ...flags } = values;
  return { ...(positionals[0] !== undefined ? { file: positionals[0] } : {}), flags, map };
}

/** The reader's language: --locale, else LANG / LC_ALL (ja_JP.UTF-8 -> ja), else the member's. */
export function cliLocale(flag: string | undefined, memberLocale: string | null | undefined): Locale {
  if (typeof flag === 'string' && (LOCALES as readonly string[]).includes(flag)) return flag as Locale;
  const env = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').slice(0, 2).toLowerCase();
  if ((LOCALES as readonly string[]).includes(env)) return env as Locale;
  return (LOCALES as readonly string[]).includes(memberLocale ?? '') ? (memberLocale as Locale) : 'en';
}

/** Who the CLI acts as: api.cli_actor with --workspace and --as. */
export async function cliActor(db: { callAnonymous<T>(fn: string, args: object): Promise<T> }, flags: { workspace?: string; as?: string }) {
  const ws = flags.workspace;
  if (ws !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ws)) {
    throw new Error(`--workspace must be a workspace id (a uuid), not ${JSON.stringify(ws)}`);
  }
  return db.callAnonymous<{ workspaceId: string; memberId: string; locale: string; email: string; name: string }>('cli_actor', {
    ...(typeof ws === 'string' ? { workspaceId: ws } : {}),
    ...(typeof flags.as === 'string' ? { email: flags.as } : {}),
  });
}

/** A database or file error as a sentence. */
export function cliError(e: unknown, locale: Locale): string {
  if (e instanceof EnvError) return e.message;
  if ((e instanceof DbError || e instanceof ImportFileError) && isMessageKey(e.key)) {
    return t(locale, e.key as MessageKey, e instanceof DbError ? e.details : e.params);
  }
  return e instanceof Error ? e.message : String(e);
}
