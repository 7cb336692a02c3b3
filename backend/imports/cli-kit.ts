/** What `npm run import` and `npm run export` share: arguments, the reader's language, who they act as, errors as sentences. */
import { DbError } from '../db/port.js';
import { EnvError } from '../env.js';
import { type Locale, LOCALES, type MessageKey, isMessageKey, t } from '../i18n/messages.js';
import { ImportFileError } from './csv.js';

export interface CliArgs {
  file?: string;
  flags: Record<string, string | true>;
  map: string[];
}

/**
 * The import's arguments: one file, flags with or without a value, and
 * every --map (which may repeat).
 *   parseImportArgs(['a.csv', '--dry-run', '--map', 'name=氏名']) = { file: 'a.csv', flags: { 'dry-run': true }, map: ['name=氏名'] }
 */
export function parseImportArgs(argv: string[], valued = ['workspace', 'as', 'map', 'locale', 'format']): CliArgs {
  const out: CliArgs = { flags: {}, map: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      if (out.file !== undefined) throw new Error(`one file at a time (got ${out.file} and ${a})`);
      out.file = a;
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string | true = true;
    if (eq > 0) value = a.slice(eq + 1);
    else if (valued.includes(name)) {
      if (argv[i + 1] === undefined) throw new Error(`--${name} needs a value`);
      value = argv[++i]!;
    }
    if (name === 'map') {
      if (value === true) throw new Error('--map needs field=Header');
      out.map.push(value);
    } else out.flags[name] = value;
  }
  return out;
}

/** The reader's language: --locale, else LANG / LC_ALL (ja_JP.UTF-8 -> ja), else the member's. */
export function cliLocale(flag: string | true | undefined, memberLocale: string | null | undefined): Locale {
  if (typeof flag === 'string' && (LOCALES as readonly string[]).includes(flag)) return flag as Locale;
  const env = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').slice(0, 2).toLowerCase();
  if ((LOCALES as readonly string[]).includes(env)) return env as Locale;
  return (LOCALES as readonly string[]).includes(memberLocale ?? '') ? (memberLocale as Locale) : 'en';
}

/** Who the CLI acts as: api.cli_actor with --workspace and --as. */
export async function cliActor(db: { callAnonymous<T>(fn: string, args: object): Promise<T> }, flags: Record<string, string | true>) {
  const ws = flags.workspace;
  if (ws !== undefined && (typeof ws !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ws))) {
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
