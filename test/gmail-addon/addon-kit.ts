import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildAddon } from '../../gmail-addon/build/build.js';
import { TEST_CLIENT_ID } from '../support/google-tokens.js';
import { fakeGmail, type FixtureMessage } from './support/apps-script-fakes.js';
import { startBackend, type StartedBackend } from './support/backend.js';
import { loadAddon, tzOffsetMs } from './support/run-addon.js';

export const SAM = 'sam.carter@rapport-demo.com';
export const KENJI = 'kenji.ito@rapport-demo.com';

/** Every string in a card tree: what the rep reads (and ids, which tests never look for). */
export function texts(data: unknown): string[] {
  if (typeof data === 'string') return [data];
  if (Array.isArray(data)) return data.flatMap(texts);
  if (data && typeof data === 'object') return Object.values(data).flatMap(texts);
  return [];
}

/** Every action in a card tree: its function and parameters. */
export function actionsOf(data: unknown): { functionName: string; parameters: Record<string, string> }[] {
  if (Array.isArray(data)) return data.flatMap(actionsOf);
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  const own = d.type === 'Action' ? [{ functionName: String(d.functionName), parameters: (d.parameters ?? {}) as Record<string, string> }] : [];
  return [...own, ...Object.values(d).flatMap(actionsOf)];
}

/** The card an action response shows: the last updateCard/pushCard of its navigation. */
export function shownCard(response: any): any {
  const steps = response?.navigation?.steps ?? [];
  return [...steps].reverse().find((s: any) => s.card)?.card;
}

let seq = 0;
/** A Gmail message as GmailApp returns it; from/to/cc are header strings. */
export function mail(over: Partial<FixtureMessage> & { from: string }): FixtureMessage {
  const n = ++seq;
  return {
    id: `msg${n}-${Date.now().toString(36)}`,
    threadId: `thr${n}`,
    headers: { 'Message-ID': `<m${n}.${Date.now()}@mail.example>` },
    to: SAM,
    cc: '',
    date: new Date('2026-11-20T01:00:00Z'),
    subject: `Subject ${n}`,
    plainBody: 'Hello',
    ...over,
  };
}

/** A homepage event (no message open). */
export function homeEvent(opts: { userLocale?: string; timeZone?: string; parameters?: Record<string, string>; formInputs?: Record<string, string> } = {}) {
  const tz = opts.timeZone ?? 'Asia/Tokyo';
  const common: Record<string, unknown> = {
    hostApp: 'GMAIL',
    platform: 'WEB',
    userLocale: opts.userLocale ?? 'en',
    timeZone: { id: tz, offset: String(tzOffsetMs(tz)) },
  };
  if (opts.parameters) common.parameters = opts.parameters;
  if (opts.formInputs) common.formInputs = Object.fromEntries(Object.entries(opts.formInputs).map(([k, v]) => [k, { stringInputs: { value: [v] } }]));
  return { commonEventObject: common };
}

/**
 * The built add-on (npm run addon:build, into a temp dir) against the real
 * backend (npm start on a fresh embedded database with the demo workspace),
 * with env added to the backend's environment.
 */
export async function addonAgainstBackend(opts: { env?: Record<string, string> } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-addon-dist-'));
  const { codePath } = await buildAddon({ publicUrl: 'https://rapport.example.com', outDir: dir });
  const backend: StartedBackend = await startBackend({ clientId: TEST_CLIENT_ID, ...(opts.env ? { env: opts.env } : {}) });
  return {
    backend,
    /** the add-on as one rep, with these Gmail messages */
    as(email: string, messages: FixtureMessage[] = [], extra: Partial<Parameters<typeof loadAddon>[0]> = {}) {
      const gmail = fakeGmail({ messages });
      return {
        gmail,
        addon: loadAddon({
          codePath,
          gmail,
          fetcher: backend.fetcher,
          userEmail: email,
          identityToken: backend.idToken(email),
          scriptProperties: { RAPPORT_PUBLIC_URL: backend.url },
          ...extra,
        }),
      };
    },
    /** the backend's API as the demo admin */
    async api(pathname: string, init: RequestInit = {}) {
      const res = await fetch(`${backend.url}${pathname}`, {
        ...init,
        headers: { authorization: `Bearer ${backend.demoToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async stop() {
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
