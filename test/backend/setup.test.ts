import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getResponse } from 'msw';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { readSetupArgs } from '../../backend/cli/setup-args.js';
import { lockDataDir, PID_FILE } from '../../backend/db/data-dir-lock.js';
import { openPglite, pgliteDb, pgliteRunner } from '../../backend/db/pglite.js';
import type { Db } from '../../backend/db/port.js';
import { postgresDb, postgresPool } from '../../backend/db/postgres.js';
import { migrate } from '../../backend/db/migrate.js';
import { SUPABASE_TEST_KEY, SUPABASE_TEST_URL, supabaseRpcHandler } from '../support/databases.js';
import { caller } from '../support/http.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SETUP = ['--workspace', 'Example Trading', '--admin-email', 'admin@example.com', '--admin-name', 'Admin Name'];

interface Ran {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** A CLI as `npm run <script>` runs it, with only the environment given (no DATABASE_URL of the caller's). */
function cli(file: string, args: string[], env: Record<string, string>): Promise<Ran> {
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err, ms: Date.now() - began }));
  });
}
const setup = (args: string[], env: Record<string, string>) => cli('backend/cli/setup.ts', args, env);
const token = (args: string[], env: Record<string, string>) => cli('backend/cli/token.ts', args, env);

/** What setup may have written, counted: a second run must leave every number as it was. */
async function counts(db: Db, sql: (q: string) => Promise<number>) {
  return {
    state: await db.callAnonymous<{ workspaces: number; members: number }>('setup_state', {}),
    tokens: await sql('select count(*)::int as n from crm.api_tokens'),
    audit: await sql('select count(*)::int as n from crm.audit_log'),
  };
}

/** The admin's token against the API on that database: GET /api/me answers the admin of the new workspace. */
async function expectAdmin(db: Db, tokenText: string) {
  const as = caller(createApp({ db }), tokenText);
  const me = await as('GET', '/api/me');
  expect(me.status).toBe(200);
  expect(me.body.member).toMatchObject({ email: 'admin@example.com', name: 'Admin Name', role: 'admin', joinedVia: 'setup' });
  expect(me.body.workspace.name).toBe('Example Trading');
  return as;
}

describe('npm run setup: its flags', () => {
  it.each([
    [[], /--workspace is missing.*\n--admin-email is missing.*\n--admin-name is missing/],
    [['--workspace', 'W', '--admin-email', 'not-an-address', '--admin-name', 'A'], /^--admin-email "not-an-address" is not an email address\.$/],
    [[...SETUP, '--timezone', 'Mars/Olympus'], /^--timezone "Mars\/Olympus" is not a time zone Rapport knows: give an IANA name such as Asia\/Tokyo/],
    [[...SETUP, '--timezone', '+09:00'], /^--timezone "\+09:00" is not a time zone/],
    [[...SETUP, '--locale', 'fr'], /^--locale "fr" is not one Rapport speaks: en \(English\), ja \(Japanese\) or zh \(Chinese\)\.$/],
    [[...SETUP, '--domain', 'not a domain'], /^--domain "not a domain" is not a domain like example\.com/],
    [[...SETUP, '--admin'], /Option '--admin' is ambiguous|Unknown option '--admin'/],
  ])('%j is refused with a sentence per mistake', (args, said) => {
    const read = readSetupArgs(args);
    expect('problems' in read && read.problems.join('\n')).toMatch(said);
  });

  it('reads a team as the database stores it: zone spelled by IANA, domains lower case without @, once each', () => {
    expect(
      readSetupArgs([...SETUP, '--timezone', 'asia/tokyo', '--locale', 'ja', '--domain', '@Example.com', '--domain', 'example.co.jp,example.com']),
    ).toEqual({
      request: {
        workspace: 'Example Trading',
        adminEmail: 'admin@example.com',
        adminName: 'Admin Name',
        timezone: 'Asia/Tokyo',
        locale: 'ja',
        domains: ['example.com', 'example.co.jp'],
      },
    });
  });

  it('points at a README section that exists and shows the same command', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Set up your team\n'), readme.indexOf('\n## ', readme.indexOf('\n## Set up your team\n') + 1));
    expect(section).toContain('npm run setup -- --workspace "Example Trading" --admin-email admin@example.com --admin-name "Admin Name"');
    for (const route of ['POST /api/members', 'PATCH /api/workspace', 'POST /api/members/{id}/deactivate', 'DELETE /api/tokens/{id}', 'expiresInDays']) {
      expect(section).toContain(route);
    }
    expect(readme).not.toMatch(/workspace and members with SQL/);
  });

  it('exits 2 with the sentences and the usage, before opening any database', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-setup-flags-'));
    try {
      const ran = await setup(['--workspace', 'W', '--admin-email', 'nope', '--locale', 'fr'], { RAPPORT_DATA_DIR: dir });
      expect(ran.code).toBe(2);
      expect(ran.out).toBe('');
      expect(ran.err).toContain('--admin-email "nope" is not an email address.');
      expect(ran.err).toContain('--admin-name is missing');
      expect(ran.err).toContain('--locale "fr" is not one Rapport speaks');
      expect(ran.err).toContain('usage: npm run setup -- --workspace <name>');
      expect(existsSync(path.join(dir, 'pgdata'))).toBe(false);
      const days = await token(['--email', 'a@example.com', '--expires-in-days', '0'], { RAPPORT_DATA_DIR: dir });
      expect(days.code).toBe(2);
      expect(days.err).toContain('--expires-in-days "0" is not a whole number of days from 1 to 3650.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run setup on the embedded database', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const newDir = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'rapport-setup-'));
    dirs.push(d);
    return d;
  };

  it('makes the workspace and its admin with a working token, refuses a second run with one sentence, and never loads the demo', {
    timeout: 120_000,
  }, async () => {
    const dir = await newDir();
    const env = { RAPPORT_DATA_DIR: dir, RAPPORT_DEMO: 'on' }; // forced off by setup
    const first = await setup([...SETUP, '--timezone', 'Asia/Tokyo', '--locale', 'ja', '--domain', 'example.com'], env);
    console.log(`npm run setup, embedded, new data directory: ${first.ms} ms`);
    expect(first.err).toContain('Made workspace "Example Trading"');
    expect(first.code).toBe(0);
    const tokenText = first.out.trim();
    expect(tokenText).toMatch(/^rpt_[A-Za-z0-9_-]{43}$/);
    expect(first.err).not.toContain(tokenText);
    expect(first.err).toContain('npm start');
    expect(first.err).toContain('POST /api/members');
    expect(first.err).toContain('Set up your team');
    expect(existsSync(path.join(dir, PID_FILE))).toBe(false);
    expect(existsSync(path.join(dir, 'demo-token'))).toBe(false);

    // a pid file left by a process that died is no reason to refuse
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(path.join(dir, PID_FILE), `${dead.pid}\nnpm start\n`);

    const again = await setup(['--workspace', 'example trading', '--admin-email', 'other@example.com', '--admin-name', 'Other'], { RAPPORT_DATA_DIR: dir });
    console.log(`npm run setup, embedded, existing workspace: ${again.ms} ms`);
    expect(again.code).toBe(1);
    expect(again.out).toBe('');
    expect(again.err.trim()).toMatch(/^A workspace named "Example Trading" exists already \([0-9a-f-]{36}\); nothing was changed\. [^\n]*$/);

    // npm run token with an expiry, on the same directory
    const minted = await token(['--email', 'admin@example.com', '--expires-in-days', '30'], { RAPPORT_DATA_DIR: dir });
    expect(minted.code).toBe(0);
    const expiresAt = /expires (\S+);/.exec(minted.err)?.[1];
    expect(Date.parse(expiresAt!) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(Date.parse(expiresAt!) - Date.now()).toBeLessThan(30.1 * 86_400_000);

    const pgdb = await openPglite({ dataDir: path.join(dir, 'pgdata') });
    const lock = lockDataDir(dir, 'npm run test');
    try {
      const db = embeddedDb(pgdb);
      const sql = async (q: string) => (await pgdb.query<{ n: number }>(q)).rows[0]!.n;
      const as = await expectAdmin(db, tokenText);
      expect((await as('GET', '/api/me')).body.workspace).toMatchObject({
        defaultTimezone: 'Asia/Tokyo',
        defaultLocale: 'ja',
        internalDomains: ['example.com'],
      });
      // one workspace, one member: no demo, nothing from the refused second run; the setup token and the 30-day one
      expect(await counts(db, sql)).toMatchObject({ state: { workspaces: 1, members: 1 }, tokens: 2 });
      const tokens = await as('GET', '/api/tokens');
      expect(tokens.body.items.map((t: { label: string; expiresAt: string | null }) => [t.label, t.expiresAt === null])).toEqual([
        ['personal token', false],
        ['setup', true],
      ]);
      const fresh = (await as('GET', '/api/tokens')).body.items[0];
      expect(Date.parse(fresh.expiresAt)).toBe(Date.parse(expiresAt!));
    } finally {
      lock.release();
      await pgdb.close();
    }
  });

  it('is refused while npm start holds the data directory, changing nothing; npm start on an empty database names the setup command', {
    timeout: 120_000,
  }, async () => {
    const dir = await newDir();
    const server = spawn(process.execPath, ['--import', 'tsx', 'slack-app/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', RAPPORT_DATA_DIR: dir, RAPPORT_DEMO: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line in 60 s:\n${out}`)), 60_000);
      server.stdout!.on('data', () => {
        if (/listening on/.test(out) && /npm run setup -- /.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    expect(out).toContain('[rapport] no workspace yet. Stop Rapport (Ctrl-C), run this once, then npm start again:');
    expect(out).toContain('[rapport]   npm run setup -- --workspace "Your Team" --admin-email you@company.com --admin-name "Your Name"');
    expect(out).not.toContain('demo workspace loaded');
    expect((await readFile(path.join(dir, PID_FILE), 'utf8')).split('\n')[0]).toBe(String(server.pid));

    const refused = await setup(SETUP, { RAPPORT_DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err.trim()).toBe(
      `Rapport is running on this data directory (pid ${server.pid}): stop it first, or do this through its API while it runs (README: "Set up your team"); if no Rapport is running, delete ${path.join(dir, PID_FILE)}.`,
    );
    const refusedToken = await token(['--email', 'admin@example.com'], { RAPPORT_DATA_DIR: dir });
    expect(refusedToken.code).toBe(1);
    expect(refusedToken.err).toContain(`Rapport is running on this data directory (pid ${server.pid})`);

    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dir, PID_FILE))).toBe(false);

    const pgdb = await openPglite({ dataDir: path.join(dir, 'pgdata') });
    try {
      expect(await embeddedDb(pgdb).callAnonymous('setup_state', {})).toEqual({ workspaces: 0, members: 0 });
    } finally {
      await pgdb.close();
    }
  });
});

function embeddedDb(pgdb: Awaited<ReturnType<typeof openPglite>>): Db {
  return pgliteDb(pgdb, { closeWith: false });
}

describe('npm run setup on PostgreSQL (DATABASE_URL)', () => {
  let admin: pg.Client | undefined;
  let name = '';
  let pool: pg.Pool | undefined;
  afterAll(async () => {
    await pool?.end();
    if (admin && name) await admin.query(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  it('makes the workspace and its admin with a working token; a second run exits 1 and adds no row', { timeout: 60_000 }, async () => {
    const adminUrl = inject('pgAdminUrl');
    name = `t_${randomBytes(6).toString('hex')}`;
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template rapport_template`);
    const url = adminUrl.replace(/\/postgres$/, `/${name}`);
    const env = { DATABASE_URL: url };

    const first = await setup([...SETUP, '--domain', 'example.com'], env);
    console.log(`npm run setup, PostgreSQL: ${first.ms} ms`);
    expect(first.err).toContain('Made workspace "Example Trading"');
    expect(first.code).toBe(0);
    const tokenText = first.out.trim();
    expect(tokenText).toMatch(/^rpt_/);
    expect(first.err).toContain('npm start (with the same database settings)');

    pool = postgresPool(url, { max: 2 });
    const db = postgresDb(pool);
    const sql = async (q: string) => Number((await pool!.query<{ n: number }>(q)).rows[0]!.n);
    await expectAdmin(db, tokenText);
    const before = await counts(db, sql);
    expect(before.state).toEqual({ workspaces: 1, members: 1 });

    const again = await setup(SETUP, env);
    expect(again.code).toBe(1);
    expect(again.out).toBe('');
    expect(again.err.trim()).toMatch(/^A workspace named "Example Trading" exists already \([0-9a-f-]{36}\); nothing was changed\./);
    expect(await counts(db, sql)).toEqual(before);

    const minted = await token(['--email', 'admin@example.com', '--expires-in-days', '7', '--label', 'laptop'], env);
    expect(minted.code).toBe(0);
    expect(minted.err).toMatch(/\(expires \d{4}-\d\d-\d\dT[\d:.]+Z; shown once\)/);
    const as = caller(createApp({ db }), minted.out.trim());
    const mine = await as('GET', '/api/tokens');
    expect(mine.status).toBe(200);
    const laptop = mine.body.items.find((t: { label: string }) => t.label === 'laptop');
    expect(Math.round((Date.parse(laptop.expiresAt) - Date.now()) / 86_400_000)).toBe(7);
  });
});

describe('npm run setup on Supabase (SUPABASE_URL)', () => {
  it('makes the workspace through PostgREST RPC, and a second run exits 1 with the same sentence', { timeout: 60_000 }, async () => {
    // the child process reaches a PostgREST stand-in on loopback: the same RPC handler the in-process tests use, over PGlite
    const pgdb = await openPglite();
    await migrate(pgliteRunner(pgdb));
    const handlers = [supabaseRpcHandler(pgdb)];
    const standIn = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const request = new Request(`${SUPABASE_TEST_URL}${req.url}`, {
          method: req.method!,
          headers: req.headers as Record<string, string>,
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        });
        const answer = (await getResponse(handlers, request)) ?? new Response('no handler', { status: 404 });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    try {
      const env = { SUPABASE_URL: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`, SUPABASE_SERVICE_ROLE_KEY: SUPABASE_TEST_KEY };
      const first = await setup(SETUP, env);
      expect(first.err).toContain('Made workspace "Example Trading"');
      expect(first.code).toBe(0);
      await expectAdmin(embeddedDb(pgdb), first.out.trim());
      const again = await setup(SETUP, env);
      expect(again.code).toBe(1);
      expect(again.err.trim()).toMatch(/^A workspace named "Example Trading" exists already \([0-9a-f-]{36}\); nothing was changed\./);
      expect(await embeddedDb(pgdb).callAnonymous('setup_state', {})).toEqual({ workspaces: 1, members: 1 });
    } finally {
      standIn.close();
      await pgdb.close();
    }
  });
});
