import { LOCALES } from '../i18n/vocabulary.js';
import { Email } from '../schemas.js';
import { readArgs } from './args.js';

export const SETUP_USAGE = `usage: npm run setup -- --workspace <name> --admin-email <email> --admin-name <name>
                        [--timezone <IANA zone, e.g. Asia/Tokyo>] [--locale en|ja|zh] [--domain <your email domain> ...]
  Makes your team's workspace and its first admin, and prints the admin's API token once.`;

/** What setup asks the database for (api.workspace_setup, without the token's hash). */
export interface SetupRequest {
  workspace: string;
  adminEmail: string;
  adminName: string;
  timezone?: string;
  locale?: string;
  domains?: string[];
}

// the host names api.workspace_setup stores (crm.domain_list): lower case, ASCII (punycode for others)
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** The zone's IANA name as Intl spells it, or null ('asia/tokyo' -> 'Asia/Tokyo'; '+09:00', 'Mars/Base' -> null). */
function timeZoneName(zone: string): string | null {
  // offsets and POSIX strings mean other things to PostgreSQL than to Intl: names only
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The flags as a request, or the sentences saying what is wrong with them.
 *   readSetupArgs(['--workspace', 'Acme', '--admin-email', 'a@acme.com', '--admin-name', 'A', '--domain', 'Acme.com'])
 *     = { request: { workspace: 'Acme', adminEmail: 'a@acme.com', adminName: 'A', domains: ['acme.com'] } }
 */
export function readSetupArgs(argv: string[]): { request: SetupRequest } | { problems: string[] } | { help: true } {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = readArgs(argv, {
      workspace: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      timezone: { type: 'string' },
      locale: { type: 'string' },
      domain: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    }).values;
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  if (values.help) return { help: true };
  const problems: string[] = [];
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).trim() : undefined);
  const workspace = str('workspace');
  const adminEmail = str('admin-email');
  const adminName = str('admin-name');
  if (!workspace) problems.push('--workspace is missing: the name of your team\'s workspace, e.g. --workspace "Example Trading".');
  else if (workspace.length > 200) problems.push('--workspace is too long: at most 200 characters.');
  if (!adminEmail) problems.push('--admin-email is missing: the email address of the first admin (you), e.g. --admin-email you@company.com.');
  else if (!Email.safeParse(adminEmail).success) problems.push(`--admin-email ${JSON.stringify(adminEmail)} is not an email address.`);
  if (!adminName) problems.push('--admin-name is missing: the first admin\'s name as colleagues know it, e.g. --admin-name "Aiko Tanaka".');
  else if (adminName.length > 200) problems.push('--admin-name is too long: at most 200 characters.');
  const zone = str('timezone');
  const timezone = zone === undefined ? undefined : timeZoneName(zone);
  if (zone !== undefined && !timezone)
    problems.push(`--timezone ${JSON.stringify(zone)} is not a time zone Rapport knows: give an IANA name such as Asia/Tokyo, Europe/London or UTC.`);
  const locale = str('locale');
  if (locale !== undefined && !(LOCALES as readonly string[]).includes(locale)) {
    problems.push(`--locale ${JSON.stringify(locale)} is not one Rapport speaks: en (English), ja (Japanese) or zh (Chinese).`);
  }
  const domains: string[] = [];
  for (const given of (values.domain as string[] | undefined) ?? []) {
    for (const part of given.split(',')) {
      const d = part.trim().replace(/^@/, '').toLowerCase();
      if (!d) continue;
      if (!DOMAIN.test(d) || d.length > 253)
        problems.push(`--domain ${JSON.stringify(part.trim())} is not a domain like example.com (an international name in its xn-- form).`);
      else if (!domains.includes(d)) domains.push(d);
    }
  }
  if (problems.length) return { problems };
  return {
    request: {
      workspace: workspace!,
      adminEmail: adminEmail!,
      adminName: adminName!,
      ...(timezone ? { timezone } : {}),
      ...(locale ? { locale } : {}),
      ...(domains.length ? { domains } : {}),
    },
  };
}
