import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAddon } from '../../gmail-addon/build/build.js';

describe('npm run addon:build', () => {
  let dir = '';
  let code = '';
  let manifest: any;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-addon-'));
    await buildAddon({ publicUrl: 'https://crm.example.co.jp/rapport/', outDir: dir });
    code = await readFile(path.join(dir, 'Code.js'), 'utf8');
    manifest = JSON.parse(await readFile(path.join(dir, 'appsscript.json'), 'utf8'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('asks for exactly the narrowest scopes, and lets UrlFetchApp reach only the backend', () => {
    expect([...manifest.oauthScopes].sort()).toEqual([
      'https://www.googleapis.com/auth/gmail.addons.current.message.readonly',
      'https://www.googleapis.com/auth/gmail.addons.execute',
      'https://www.googleapis.com/auth/script.external_request',
      'https://www.googleapis.com/auth/script.locale',
      'https://www.googleapis.com/auth/userinfo.email',
      'openid',
    ]);
    expect(manifest.urlFetchWhitelist).toEqual(['https://crm.example.co.jp/']);
    expect(manifest.runtimeVersion).toBe('V8');
  });

  it('has an unconditional Gmail trigger, a homepage and Settings/Help, each a top-level function of Code.js', () => {
    const { common, gmail } = manifest.addOns;
    expect(gmail.contextualTriggers).toEqual([{ unconditional: {}, onTriggerFunction: 'onGmailMessageOpen' }]);
    expect(common.homepageTrigger).toEqual({ runFunction: 'onHomepage', enabled: true });
    expect(common.universalActions.map((a: { runFunction: string }) => a.runFunction)).toEqual(['onSettings', 'onHelp']);
    // a script with nothing but the bundle: Apps Script sees these as global functions
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const globals = Object.keys(context).filter((k) => typeof context[k] === 'function');
    for (const fn of [
      'onGmailMessageOpen',
      'onHomepage',
      'onSettings',
      'onHelp',
      'logThisEmail',
      'logWholeThread',
      'saveContact',
      'saveFollowUp',
      'saveNote',
      'createContact',
      'completeFollowUp',
      'searchContacts',
    ]) {
      expect(globals).toContain(fn);
      expect(code).toMatch(new RegExp(`^function ${fn}\\(e\\) \\{`, 'm'));
    }
  });

  it('bakes in the backend URL and nothing secret', () => {
    expect(code).toContain('"https://crm.example.co.jp/rapport"');
    expect(code).not.toMatch(/xox[bpa]-|rpt_[A-Za-z0-9]|service_role|BEGIN (RSA )?PRIVATE KEY|RAPPORT_SERVICE_SECRET/);
  });

  it('refuses a backend URL Apps Script could not fetch', async () => {
    await expect(buildAddon({ publicUrl: 'http://rapport.example.com', outDir: dir })).rejects.toThrow(/must be https/);
  });
});
