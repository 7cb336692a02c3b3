import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../slack-app/signature.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  ms: number;
}

/** `npm start`'s command (or another entry), on a fresh data dir, on a port the kernel picks. */
async function start(dataDir: string, extraEnv: Record<string, string> = {}, entry = 'slack-app/server.ts'): Promise<Started> {
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
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
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Survives Restart', emails: ['survivor@restart.example'] }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first)).toBe(0);

    // npm run token, on the same embedded database while the server is down
    const minted = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'backend/cli/token.ts', '--email', 'sam.carter@rapport-demo.com'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', RAPPORT_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
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

  it('answers /crm from the demo workspace with Slack set up by two variables, and sends the demo manager one digest DM', {
    timeout: 120_000,
  }, async () => {
    // a Slack stand-in on loopback: the Web API and the response_url
    const received: { path: string; body: string }[] = [];
    const standIn = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        const method = (req.url ?? '').replace(/^\/api\//, '');
        const answers: Record<string, object> = {
          'auth.test': { ok: true, team_id: 'T0DEMO', user_id: 'U0BOT', bot_id: 'B0BOT' },
          'conversations.info': { ok: true, channel: { id: 'C0GENERAL', is_ext_shared: false } },
          'chat.postMessage': { ok: true, channel: 'D0DM', ts: `${Date.now() / 1000}` },
        };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answers[method] ?? { ok: true }));
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const slackUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    const secret = 'abcdef0123456789abcdef0123456789';
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-slack-start-'));
    try {
      const serviceSecret = 'cron-secret-'.padEnd(40, 'c');
      const s = await start(dir, {
        SLACK_BOT_TOKEN: 'xoxb-demo',
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: `${slackUrl}/api/`,
        RAPPORT_SERVICE_SECRET: serviceSecret,
      });
      running.push(s);
      const form = new URLSearchParams({
        team_id: 'T0DEMO',
        channel_id: 'C0GENERAL',
        user_id: 'U0DEMOSAM',
        command: '/crm',
        text: 'acme',
        response_url: `${slackUrl}/respond`,
        trigger_id: '1.2.3',
      }).toString();
      const res = await fetch(`${s.url}/slack/events`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(secret, form, Math.floor(Date.now() / 1000)) },
      });
      expect(res.status).toBe(200);
      const deadline = Date.now() + 15_000;
      while (!received.some((r) => r.path === '/respond') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const answer = JSON.parse(received.find((r) => r.path === '/respond')!.body);
      expect(answer.response_type).toBe('ephemeral');
      expect(JSON.stringify(answer.blocks)).toMatch(/Acme/i);
      const unsigned = await fetch(`${s.url}/slack/events`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(unsigned.status).toBe(401);
      // the demo manager's digest: due now once the workspace's time is this minute where they are, every day; one DM
      // (a time already passed today would wait for tomorrow: test/backend/digest-reachable.test.ts)
      const admin = {
        authorization: `Bearer ${(await readFile(path.join(dir, 'demo-token'), 'utf8')).trim()}`,
        'content-type': 'application/json',
      };
      const members = (await (await fetch(`${s.url}/api/members`, { headers: admin })).json()) as { items: { slackUserId: string | null; timezone: string }[] };
      const hana = members.items.find((m) => m.slackUserId === 'U0DEMOHANA')!;
      const minuteThere = () =>
        new Intl.DateTimeFormat('en-GB', { timeZone: hana.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
      for (let tries = 0; tries < 3; tries++) {
        const time = minuteThere();
        const defaults = await fetch(`${s.url}/api/workspace/digest`, { method: 'PATCH', headers: admin, body: JSON.stringify({ time, weekends: true }) });
        expect(defaults.status).toBe(200);
        // set within the minute it names (else the minute turned meanwhile: set it again)
        if (minuteThere() === time) break;
      }
      const pass = await fetch(`${s.url}/api/jobs/digests`, {
        method: 'POST',
        headers: { authorization: `Rapport-Service ${serviceSecret}` },
      });
      expect(pass.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      // her digest, once (the demo's follow-ups falling due may also send her alerts: rapport_alert, not counted here)
      const toHana = received.filter(
        (r) =>
          r.path === '/api/chat.postMessage' &&
          new URLSearchParams(r.body).get('channel') === 'U0DEMOHANA' &&
          !String(new URLSearchParams(r.body).get('metadata')).includes('rapport_alert'),
      );
      expect(toHana).toHaveLength(1);
      expect(new URLSearchParams(toHana[0]!.body).get('metadata')).toContain('rapport_digest');
      expect(s.output()).toContain('Slack request URL: ');
      expect(s.output()).not.toContain('xoxb-demo');
      expect(s.output()).not.toContain(secret);
      expect(await stop(s)).toBe(0);
    } finally {
      standIn.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('backend/server.ts on its own serves the API and mounts nothing of Slack, whatever Slack variables are set', {
    timeout: 120_000,
  }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-backend-only-'));
    try {
      const s = await start(dir, { SLACK_BOT_TOKEN: 'xoxb-demo', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789' }, 'backend/server.ts');
      running.push(s);
      expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true, db: 'pglite' });
      const events = await fetch(`${s.url}/slack/events`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(events.status).toBe(404);
      expect(s.output()).not.toMatch(/Slack/);
      expect(await stop(s)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a sentence naming a wrong variable', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'slack-app/server.ts'], {
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
