/**
 * The embedded default: `npm start` with nothing configured (PGlite in
 * RAPPORT_DATA_DIR, the demo workspace loaded on first start), timed from the
 * spawn to the first 200 on /healthz, and the server's resident memory then
 * and after 200 API requests on the demo data. Linux (/proc) for memory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface EmbeddedRun {
  startMs: number;
  /** resident memory of the process serving HTTP (the node running slack-app/server.ts) */
  rssMb: number;
  /** the same after 200 requests (search, card, timeline) on the demo data */
  rssAfterRequestsMb: number;
  /** npm, the shell and tsx's launcher included */
  treeRssMb: number;
}

/**
 * `cold`: the first start after `npm install` (tsx has not transpiled the
 * sources yet: its cache is in a fresh TMPDIR); `warm`: the next start on a
 * new data directory. The target is held to the cold one.
 */
export interface EmbeddedResult {
  cold: EmbeddedRun;
  warm: EmbeddedRun;
  target: { met: boolean; text: string };
}

export async function measureEmbedded(log: (line: string) => void): Promise<EmbeddedResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rapport-embedded-tmp-'));
  try {
    const cold = await measureOnce(log, 'cold', tmp);
    const warm = await measureOnce(log, 'warm', tmp);
    return { cold, warm, target: { met: cold.startMs <= 5000 && cold.rssMb <= 300, text: 'start <= 5 s, RSS <= 300 MB (first start)' } };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function procStat(pid: number): Promise<{ ppid: number; rssKb: number; cmd: string } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    return { ppid: Number(/PPid:\s+(\d+)/.exec(status)?.[1]), rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0), cmd };
  } catch {
    return null;
  }
}

/** the process tree under root: pid -> stat */
async function tree(root: number) {
  const all = new Map<number, NonNullable<Awaited<ReturnType<typeof procStat>>>>();
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = await procStat(Number(d));
    if (s) all.set(Number(d), s);
  }
  const out = new Map<number, NonNullable<Awaited<ReturnType<typeof procStat>>>>();
  const add = (pid: number) => {
    const s = all.get(pid);
    if (!s) return;
    out.set(pid, s);
    for (const [p, c] of all) if (c.ppid === pid) add(p);
  };
  add(root);
  return out;
}

async function memory(root: number) {
  const t = await tree(root);
  const server = [...t.values()].filter((s) => s.cmd.includes('slack-app/server.ts') && s.cmd.includes('node')).sort((a, b) => b.rssKb - a.rssKb)[0];
  const sum = [...t.values()].reduce((a, s) => a + s.rssKb, 0);
  return { server: Math.round((server?.rssKb ?? Number.NaN) / 102.4) / 10, tree: Math.round(sum / 102.4) / 10 };
}

async function measureOnce(log: (line: string) => void, label: string, tmpDir: string): Promise<EmbeddedRun> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-embedded-'));
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      TMPDIR: tmpDir,
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    let out = '';
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen in 60 s:\n${out}`)), 60_000);
      const on = (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', on);
      child.stderr!.on('data', on);
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
    });
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (performance.now() - t0 > 60_000) throw new Error('no 200 from /healthz in 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const startMs = Math.round(performance.now() - t0);
    const token = (await readFile(path.join(dataDir, 'demo-token'), 'utf8')).trim();
    const m1 = await memory(child.pid!);
    const auth = { authorization: `Bearer ${token}` };
    const list = (await (await fetch(`${base}/api/contacts?q=a`, { headers: auth })).json()) as { items: { id: string }[] };
    for (let i = 0; i < 200; i++) {
      const id = list.items[i % list.items.length]!.id;
      const path = [`/api/contacts?q=${['acme', '田中', 'sa', 'li'][i % 4]}`, `/api/contacts/${id}`, `/api/contacts/${id}/timeline`][i % 3]!;
      const r = await fetch(base + encodeURI(path), { headers: auth });
      await r.text();
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    }
    const m2 = await memory(child.pid!);
    log(
      `  embedded (${label}): npm start -> /healthz 200 in ${startMs} ms; server RSS ${m1.server} MB, after 200 requests ${m2.server} MB (process tree ${m2.tree} MB)`,
    );
    return {
      startMs,
      rssMb: m1.server,
      rssAfterRequestsMb: m2.server,
      treeRssMb: m2.tree,
    };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}
