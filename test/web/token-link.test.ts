import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { postgresDb, postgresPool, postgresRunner } from '../../backend/db/postgres.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { webClient } from '../support/web.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run token -- …` as a person runs it, with only the environment given. */
function token(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/cli/token.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/**
 * `npm run token -- --email <member> --link` prints a one-time link that signs
 * the member in to the web pages (no API token made), on a PostgreSQL
 * database the CLI reaches by DATABASE_URL; its --help says so.
 */
describe('npm run token -- --link', () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  let pool: ReturnType<typeof postgresPool>;
  let ws: TestWorkspace;
  const env = { DATABASE_URL: url, RAPPORT_PUBLIC_URL: 'https://rapport.example.com' };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template rapport_template`);
    await admin.end();
    pool = postgresPool(url, { max: 4 });
    ws = await makeWorkspace(postgresRunner(pool), postgresDb(pool), { locale: 'ja' });
  });
  afterAll(async () => {
    await pool?.end();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });

  it('documents --link in --help', async () => {
    const help = await token(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toContain('--link');
    expect(help.out).toContain('valid 10 minutes, once');
  });

  it('prints a link that signs the member in once, to --next, and makes no API token', { timeout: 60_000 }, async () => {
    const sql = postgresRunner(pool);
    const tokensBefore = (await sql.query('select 1 from crm.api_tokens')).length;
    const ran = await token(['--email', ws.rep.email.toUpperCase(), '--link', '--next', '/account'], env);
    expect(ran.err).toContain(`Sign-in link for Ren Rep <${ws.rep.email}>`);
    expect(ran.code).toBe(0);
    const link = ran.out.trim();
    expect(link).toMatch(/^https:\/\/rapport\.example\.com\/signin\/link\/[\w-]{43}$/);
    expect((await sql.query('select 1 from crm.api_tokens')).length).toBe(tokensBefore);

    const app = createApp({ db: postgresDb(pool), publicUrl: 'https://rapport.example.com' });
    const web = webClient(app);
    const done = await web.signIn(link);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account');
    expect((await web.get('/account')).text).toContain(ws.rep.email);
    expect((await webClient(app).signIn(link)).status).toBe(410);
  });

  it('refuses an unknown member, another host as --next, and an API token’s flags', { timeout: 60_000 }, async () => {
    const unknown = await token(['--email', 'nobody@nowhere.example', '--link'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no active member has the email nobody@nowhere.example');
    const away = await token(['--email', ws.rep.email, '--link', '--next', '//evil.example'], env);
    expect(away.code).toBe(2);
    expect(away.err).toContain('is not a path on this server');
    const mixed = await token(['--email', ws.rep.email, '--link', '--expires-in-days', '3'], env);
    expect(mixed.code).toBe(2);
  });
});
