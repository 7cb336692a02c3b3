import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { createApp } from '../../backend/app.js';
import { launchChromium, screenshots, seriousViolations, serveWebApp, collectConsoleErrors } from '../support/browser.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { linkFor } from '../support/web.js';

/**
 * Signing in and out in headless Chromium: a one-time link, the account page
 * in the member's language, sign out; no console error (a CSP refusal shows
 * there) and no serious accessibility violation on the pages seen.
 */
describe('web sign-in in Chromium', () => {
  let t: TestDb;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb('postgres');
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    browser = await launchChromium();
    server = await serveWebApp({ db: t.db });
    app = server.app;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('signs in by a one-time link, shows the account page, and signs out', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    collectConsoleErrors(page, errors);
    await page.goto(`${server.url}/signin`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'signin');

    await page.goto(await linkFor(app, ws.rep.token, '/account'));
    await page.getByRole('button', { name: /Ren Rep/ }).click();
    await page.waitForURL(`${server.url}/account`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('アカウント');
    await expect(page.getByText('（このブラウザ）').count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'account');

    await page.getByRole('button', { name: 'サインアウト', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('サインアウトしました');
    await page.goto(`${server.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(errors).toEqual([]);
    await page.close();
  });
});
