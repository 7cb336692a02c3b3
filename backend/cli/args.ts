import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Our CLIs' arguments, read by node:util parseArgs in strict mode: an unknown
 * option or a missing value is an error whose message names it (so a typo such
 * as --dryrun stops the command instead of being ignored).
 *   readArgs(['--email', 'a@b.c'], { email: { type: 'string' } }).values = { email: 'a@b.c' }
 */
export function readArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, opts: { positionals?: boolean } = {}) {
  return parseArgs({ args: argv, options, strict: true, allowPositionals: opts.positionals ?? false });
}
