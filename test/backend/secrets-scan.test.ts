import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAddon } from '../../gmail-addon/build/build.js';

/**
 * No secret is committed, and none is baked into the Gmail add-on bundle (the
 * add-on holds no secret: DESIGN.md). build.test.ts checks a few words in the
 * bundle; this scans every tracked file and the bundle for the shapes of real
 * credentials.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

const PATTERNS: Record<string, RegExp> = {
  'Slack token': /\bxox[abposr]-[A-Za-z0-9-]{6,}|\bxapp-\d-[A-Za-z0-9-]{6,}/g,
  'Rapport API token': /\brpt_[A-Za-z0-9_-]{16,}/g,
  'private key': /-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----/g,
  JWT: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}/g,
  'AWS access key': /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  'AWS secret key': /aws_secret_access_key\s*[=:]\s*['"]?[A-Za-z0-9/+]{40}/gi,
  'Slack webhook': /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{20,}/g,
  'Google API key': /\bAIza[0-9A-Za-z_-]{35}\b/g,
  'Supabase secret key': /\bsb_secret_[A-Za-z0-9_-]{20,}/g,
};

/**
 * Matches that are fake by construction, by file; each says why. A new match
 * anywhere else fails the test.
 */
const ALLOWED: { file: RegExp; match: RegExp; why: string }[] = [
  // the msw stand-in for slack.com answers only this bot token (test/support/slack.ts BOT_TOKEN)
  { file: /^test\/support\/slack\.ts$/, match: /^xox[b]-test-token$/, why: 'fake bot token of the Slack stand-in' },
  // a second team's bot token in the OAuth install tests, and app-level tokens whose only job is to not be printed
  {
    file: /^test\/slack-app\/oauth\.test\.ts$/,
    match: /^xox[b]-other-team-token$|^xap[p]-1-A0APP-1-(?:abc|secretish)$/,
    why: 'fake OAuth and Socket Mode tokens',
  },
  // any other test or bench file: a Slack-shaped token that says in its own text it is fake
  {
    file: /^(?:test|bench)\//,
    match: /^xox[abp]-[a-z0-9-]*(?:test|fake|not-a-real|demo|example)[a-z0-9-]*$/i,
    why: 'self-declared fake tokens',
  },
];

const allowed = (file: string, match: string) => ALLOWED.some((a) => a.file.test(file) && a.match.test(match));

function scan(file: string, text: string): string[] {
  const found: string[] = [];
  for (const [kind, re] of Object.entries(PATTERNS)) {
    for (const m of text.matchAll(re)) if (!allowed(file, m[0])) found.push(`${file}: ${kind}: ${m[0].slice(0, 24)}…`);
  }
  return found;
}

describe('no secret in the repository or the add-on bundle', () => {
  let dir = '';
  let bundle = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-secrets-'));
    await buildAddon({ publicUrl: 'https://crm.example.com/', outDir: dir });
    bundle = await readFile(path.join(dir, 'Code.js'), 'utf8');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds each pattern in a planted sample (the scanner works)', () => {
    // assembled at run time, so that this file holds no match itself
    const planted = [
      ['xo', 'xb-1234567890-abcdefghij'],
      ['xa', 'pp-1-A0123-456-abcdef'],
      ['rp', `t_${'a'.repeat(40)}`],
      ['-----BEGIN ', 'PRIVATE KEY-----'],
      ['ey', `JhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.${'s'.repeat(43)}`],
      ['AK', 'IAABCDEFGHIJKLMNOP'],
      ['sb_', 'secret_abcdefghijklmnopqrstuv'],
    ]
      .map(([x, y]) => x! + y!)
      .join('\n');
    expect(scan('src/planted.ts', planted)).toHaveLength(7);
  });

  it('finds none in any file git tracks or would add', async () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        const buf = await readFile(path.join(ROOT, file));
        if (buf.includes(0)) continue; // binary
        text = buf.toString('utf8');
      } catch {
        continue; // listed but removed in the work tree
      }
      found.push(...scan(file, text));
    }
    expect(found).toEqual([]);
  });

  it('finds none in the built add-on, which also names no server-side secret variable', () => {
    expect(bundle.length).toBeGreaterThan(1000);
    expect(scan('Code.js', bundle)).toEqual([]);
    expect(bundle).not.toMatch(/SUPABASE_SERVICE_ROLE_KEY|RAPPORT_SERVICE_SECRET|SLACK_SIGNING_SECRET|SLACK_CLIENT_SECRET|RAPPORT_SECRET_KEY|DATABASE_URL/);
  });
});
