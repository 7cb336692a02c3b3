/**
 * `npm run api:lint`: the OpenAPI document the server serves, written to a
 * temporary file and checked by Redocly (recommended rules, redocly.yaml) and
 * Spectral (spectral:oas, .spectral.yaml). Exits non-zero when either finds
 * an error; warnings are printed and pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

async function main() {
  // the document reads no data: no database is opened
  const res = await createApp({ db: null as never }).request('/openapi.json');
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rapport-openapi-'));
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, await res.text());
  try {
    const runs = [
      ['redocly', [bin('redocly'), 'lint', '--config', path.join(root, 'redocly.yaml'), file]],
      ['spectral', [bin('spectral'), 'lint', '--ruleset', path.join(root, '.spectral.yaml'), '--fail-severity', 'error', file]],
    ] as const;
    let failed = false;
    for (const [name, [cmd, ...args]] of runs) {
      console.log(`==> ${name} lint`);
      const run = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
      if (run.status !== 0) {
        console.error(`${name} lint failed (exit ${run.status ?? run.signal})`);
        failed = true;
      }
    }
    if (failed) process.exit(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
