import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshots, seriousViolations, serveWebApp, collectConsoleErrors } from '../support/browser.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.js';
import { slackOidcStandIn } from '../support/slack-oidc-stand-in.js';

const SLACK = { clientId: '1234567890.1111111111', clientSecret: 'abcdef0123456789abcdef0123456789' };
const GOOGLE = { clientId: 'rapport-web.apps.googleusercontent.com', clientSecret: 'web-secret' };
const TEAM = 'T0BROWSER';

/**
 * Sign in with Slack and with Google in headless Chromium, through
 * stand-ins on loopback (the browser reaches nothing else): the sign-in
 * page's buttons, Slack's authorize page redirecting back with a code, the
 * workspace chooser of an address in two workspaces, a refusal; no console
 * error (a CSP refusal shows there), no serious accessibility violation.
 */
describe('Sign in with Slack and Google in Chromium', () => {
  let t: TestDb;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let slackServer: Awaited<ReturnType<ReturnType<typeof slackOidcStandIn>['serve']>>;
  let google: GoogleStandIn;
  let ws: TestWorkspace;
  const slack = slackOidcStandIn(SLACK);

  beforeAll(async () => {
    t = await openTestDb('postgres');
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    await t.sql.query('insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)', [TEAM, ws.id]);
    slackServer = await slack.serve();
    google = await startGoogleStandIn(GOOGLE);
    browser = await launchChromium();
    server = await serveWebApp({
      db: t.db,
      signin: {
        serverKey: Buffer.alloc(32, 3),
        slack: { ...SLACK, apiUrl: `${slackServer.url}/api/`, oauthUrl: slackServer.url },
        google: { ...GOOGLE, oauthUrl: google.url },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await slackServer?.close();
    await google?.close();
    await t?.close();
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' } });
    const page = await context.newPage();
    return { page, errors: collectConsoleErrors(page) };
  }

  it('signs in with Slack from the sign-in page, to where the page was going', async () => {
    const id = (await t.sql.query<{ s: string }>('select slack_user_id s from crm.members where id = $1', [ws.rep.id]))[0]!.s;
    slack.signInAs({ userId: id, teamId: TEAM, email: ws.rep.email, locale: 'ja-JP' });
    const { page, errors } = await newPage();
    await page.goto(`${server.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'signin-providers');
    await page.getByRole('link', { name: 'Slack でサインイン' }).click();
    await page.waitForURL(`${server.url}/account`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('アカウント');
    await expect(page.getByText(ws.rep.email).count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signs in with Google, choosing between two workspaces', async () => {
    const other = randomUUID();
    await t.sql.query(`insert into crm.workspaces (id, name) values ($1, '第二営業部')`, [other]);
    await t.sql.query(`insert into crm.members (workspace_id, email, display_name, role, locale) values ($1, $2, '浅田 管理', 'admin', 'ja')`, [
      other,
      ws.admin.email,
    ]);
    google.consentAs(ws.admin.email);
    const { page, errors } = await newPage();
    await page.goto(`${server.url}/signin`);
    await page.getByRole('link', { name: 'Google でサインイン' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('ワークスペースを選択');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'signin-choose-workspace');
    await page.getByRole('button', { name: '第二営業部 を開く' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/account`);
    await expect(page.getByText('浅田 管理').count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses a stranger with a page saying whom to ask', async () => {
    slack.signInAs({ userId: 'U0STRANGER', teamId: TEAM, email: `stranger@${ws.domain}` });
    const { page, errors } = await newPage();
    await page.goto(`${server.url}/signin`);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/signin/slack/callback'),
      page.getByRole('link', { name: 'Slack でサインイン' }).click(),
    ]);
    expect(answer.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('サインインできませんでした');
    await expect(page.getByText('Ada Admin').count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'signin-refused');
    // a 403 page is not a console error of ours: only what the page itself logged counts
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    await page.context().close();
  });
});
