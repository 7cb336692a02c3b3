import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  ms: number;
}

/** `npm start`'s command, on a fresh data dir, on a port the kernel picks. */
async function start(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Started> {
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', RAPPORT_DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, url, output: () => out, ms: Date.now() - began };
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((resolve) => s.child.on('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  return exited;
}

describe('npm start on the embedded database', () => {
  const running: Started[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const s of running) await stop(s);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the demo workspace with a demo token, and keeps data across a restart', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-start-'));
    const first = await start(dataDir);
    running.push(first);
    const health = await (await fetch(`${first.url}/healthz`)).json();
    expect(health).toEqual({ ok: true, db: 'pglite' });

    const token = (await readFile(path.join(dataDir, 'demo-token'), 'utf8')).trim();
    expect(token).toMatch(/^rpt_/);
    expect(first.output()).toContain(token); // printed once, on the first start
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const acme: any = await (await fetch(`${first.url}/api/contacts?q=acme`, { headers: auth })).json();
    expect(acme.items.length).toBeGreaterThan(0);
    const tanaka: any = await (await fetch(`${first.url}/api/contacts?q=${encodeURIComponent('田中')}`, { headers: auth })).json();
    expect(tanaka.items.length).toBeGreaterThan(0);

    const created = await fetch(`${first.url}/api/contacts`, {
      method: 'POST', headers: auth, body: JSON.stringify({ name: 'Survives Restart', emails: ['survivor@restart.example'] }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first)).toBe(0);

    // npm run token, on the same embedded database while the server is down
    const minted = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'backend/cli/token.ts', '--email', 'sam.carter@rapport-demo.com'], {
        cwd: ROOT, env: { PATH: process.env.PATH ?? '', RAPPORT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(minted.code).toBe(0);
    const samToken = minted.out.trim();
    expect(samToken).toMatch(/^rpt_/);

    const second = await start(dataDir);
    running.push(second);
    expect(second.output()).not.toContain(token);
    const found = await fetch(`${second.url}/api/contacts/lookup?email=survivor@restart.example`, { headers: auth });
    expect(found.status).toBe(200);
    expect(((await found.json()) as any).name).toBe('Survives Restart');
    const sam: any = await (await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${samToken}` } })).json();
    expect(sam.member.email).toBe('sam.carter@rapport-demo.com');
    expect(await stop(second)).toBe(0);
  });

  it('refuses to start with a sentence naming a wrong variable', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', SUPABASE_URL: 'https://x.supabase.co' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PORT');
    expect(err).toContain('SUPABASE_SERVICE_ROLE_KEY');
  });
});
