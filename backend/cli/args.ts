/**
 * The few flags our CLIs take: `--name value` or `--name=value`, and bare `--flag`.
 *   parseFlags(['--email', 'a@b.c', '--dry-run']) = { email: 'a@b.c', 'dry-run': true }
 */
export function parseFlags(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
      out[arg.slice(2)] = argv[++i]!;
    } else {
      out[arg.slice(2)] = true;
    }
  }
  return out;
}
