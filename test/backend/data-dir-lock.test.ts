import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir, lockEmbeddedDataDir, PID_FILE } from '../../backend/db/data-dir-lock.js';

/** A pid that ran and is gone: a child that exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the embedded data directory, one process at a time (rapport.pid)', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const newDir = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'rapport-lock-'));
    dirs.push(d);
    return d;
  };

  it('writes its pid and what it is, refuses anyone else while held, and removes the file when released', async () => {
    const dir = await newDir();
    const lock = lockDataDir(dir, 'npm start');
    expect(await readFile(path.join(dir, PID_FILE), 'utf8')).toBe(`${process.pid}\nnpm start\n`);
    const refused = (() => {
      try {
        lockDataDir(dir, 'npm run setup');
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DataDirBusyError);
    expect((refused as Error).message).toBe(
      `Rapport is running on this data directory (pid ${process.pid}): stop it first, or do this through its API while it runs (README: "Set up your team"); if no Rapport is running, delete ${path.join(dir, PID_FILE)}.`,
    );
    lock.release();
    lock.release();
    expect(existsSync(path.join(dir, PID_FILE))).toBe(false);
    lockDataDir(dir, 'npm run setup').release();
  });

  it('names a CLI that holds it, so a server started meanwhile says what to wait for', async () => {
    const dir = await newDir();
    const lock = lockDataDir(dir, 'npm run import');
    expect(() => lockDataDir(dir, 'npm start')).toThrow(`npm run import is using this data directory (pid ${process.pid}): wait for it to finish`);
    lock.release();
  });

  it('ignores a file whose process is gone, or that holds no pid, and takes it over', async () => {
    const dir = await newDir();
    for (const stale of [`${await deadPid()}\nnpm start\n`, 'not a pid\n', '']) {
      await writeFile(path.join(dir, PID_FILE), stale);
      const lock = lockDataDir(dir, 'npm run token');
      expect(await readFile(path.join(dir, PID_FILE), 'utf8')).toBe(`${process.pid}\nnpm run token\n`);
      lock.release();
    }
  });

  it('leaves a file that is no longer its own (taken over after it went stale) in place on release', async () => {
    const dir = await newDir();
    const lock = lockDataDir(dir, 'npm start');
    await writeFile(path.join(dir, PID_FILE), '1\nnpm start\n');
    lock.release();
    expect(await readFile(path.join(dir, PID_FILE), 'utf8')).toBe('1\nnpm start\n');
  });

  it('takes nothing for PostgreSQL or Supabase, and creates a new embedded directory before taking it', async () => {
    const dir = await newDir();
    expect(lockEmbeddedDataDir({ RAPPORT_DATA_DIR: dir, DATABASE_URL: 'postgres://x/y' }, 'npm start')).toBeUndefined();
    expect(lockEmbeddedDataDir({ RAPPORT_DATA_DIR: dir, SUPABASE_URL: 'https://x.supabase.co' }, 'npm start')).toBeUndefined();
    expect(existsSync(path.join(dir, PID_FILE))).toBe(false);
    const fresh = path.join(dir, 'new', 'data');
    const lock = lockEmbeddedDataDir({ RAPPORT_DATA_DIR: fresh }, 'npm start');
    expect(existsSync(path.join(fresh, PID_FILE))).toBe(true);
    lock!.release();
  });
});
