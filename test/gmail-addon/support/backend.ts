/**
 * The real backend (`npm start`'s command) for add-on tests, on a port the
 * kernel picks, a fresh PGlite data dir with the demo workspace (a copy of
 * the one test/global-setup.ts prepared as `npm start` does), Google ID
 * tokens checked against a test issuer, and Slack pointed at a stand-in.
 * The certs and the Slack stand-in are served by the sync-fetch worker, so the
 * backend reaches them even while the test's main thread is blocked inside a
 * UrlFetchApp.fetch.
 *
 * Example:
 *   const backend = await startBackend({ clientId: TEST_CLIENT_ID })
 *   const addon = loadAddon({ fetcher: backend.fetcher, identityToken: backend.idToken('sam.carter@rapport-demo.com'), … })
 *   await backend.stop()
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createTestGoogleIssuer, TEST_CLIENT_ID, type TestGoogleClaims, type TestGoogleIssuer } from '../../support/google-tokens.js';
import { startSyncFetcher, type SyncFetcher } from './sync-fetch.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface StartedBackend {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** the demo admin's API token, from <dataDir>/demo-token */
  demoToken: string;
  /** SLACK_SIGNING_SECRET the backend was started with */
  slackSecret: string;
  /** the OAuth client id the backend accepts as the ID tokens' audience */
  clientId: string;
  dataDir: string;
  issuer: TestGoogleIssuer;
  /** the synchronous HTTP client for UrlFetchApp, and the certs/Slack stand-in (fetcher.standInUrl) */
  fetcher: SyncFetcher;
  /** A Google ID token for `email`, as ScriptApp.getIdentityToken() would return it for that user. */
  idToken(email: string, claims?: Partial<TestGoogleClaims>): string;
  /** stdout and stderr so far */
  output(): string;
  stop(): Promise<void>;
}

export async function startBackend(opts: { clientId?: string; env?: Record<string, string> } = {}): Promise<StartedBackend> {
  const clientId = opts.clientId ?? TEST_CLIENT_ID;
  const issuer = createTestGoogleIssuer();
  const fetcher = await startSyncFetcher({ certs: { [issuer.kid]: issuer.publicKeyPem } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-addon-'));
  await cp(inject('embeddedDataDir'), dataDir, { recursive: true });
  const slackSecret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'slack-app/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
      GOOGLE_CLIENT_IDS: clientId,
      GOOGLE_CERTS_URL: `${fetcher.standInUrl}/certs`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: slackSecret,
      SLACK_API_URL: `${fetcher.standInUrl}/api/`,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));

  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await fetcher.stop();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the backend printed no "listening on" line in 60 s:\n${out}`)), 60_000);
      const check = () => {
        const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
        if (m) clearTimeout(timer), child.off('exit', early), resolve(m[1]!);
      };
      const early = (code: number | null) => (clearTimeout(timer), reject(new Error(`the backend exited with ${code} before listening:\n${out}`)));
      child.stdout.on('data', check);
      child.once('exit', early);
    });
    const demoToken = (await readFile(path.join(dataDir, 'demo-token'), 'utf8')).trim();
    return {
      url,
      demoToken,
      slackSecret,
      clientId,
      dataDir,
      issuer,
      fetcher,
      idToken: (email, claims = {}) =>
        issuer.sign({
          aud: clientId,
          email,
          email_verified: true,
          sub: `sub-${email}`,
          name: email.split('@')[0],
          hd: email.split('@')[1],
          ...claims,
        }),
      output: () => out,
      stop: cleanUp,
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
