import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../backend/app.js';
import { launchChromium, screenshots, seriousViolations, serveWebApp, collectConsoleErrors } from '../support/browser.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { linkFor } from '../support/web.js';

/**
 * The admin pages in headless Chromium, in Japanese: deactivate a member
 * with reassignment, import a CSV with a bad row and read the report (the
 * page following the import by its script), the connections page and the
 * export; screenshots of each page at both widths, no serious accessibility
 * violation, no console error (a CSP refusal shows there).
 */
describe('web admin pages in Chromium', () => {
  let t: TestDb;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let page: Page;
  const errors: string[] = [];

  async function checked(name: string) {
    expect(await seriousViolations(page), name).toEqual([]);
    await screenshots(page, name);
  }

  beforeAll(async () => {
    t = await openTestDb('postgres');
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    browser = await launchChromium();
    server = await serveWebApp({ db: t.db });
    app = server.app;
    // something to show on the connections page: a Slack team, two mailboxes (one failing), a linked channel
    const team = `T${ws.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id, team_name) values ($1, $2, 'Acme 営業部')`, [team, ws.id]);
    await t.sql.query(
      `insert into crm.mailboxes (workspace_id, member_id, address, mode, status, captured, last_sync_at, last_error)
       values ($1, $2, $3, 'oauth', 'active', 128, now() - interval '5 minutes', null),
              ($1, $4, $5, 'oauth', 'reconnect', 12, now() - interval '2 days', 'mailbox_error_revoked')`,
      [ws.id, ws.rep.id, ws.rep.email, ws.manager.id, ws.manager.email],
    );
    const contact = await caller(app, ws.rep.token)('POST', '/api/contacts', { name: '田中太郎', emails: ['taro@sample.co.jp'] });
    await t.sql.query(
      `insert into crm.slack_channel_links (workspace_id, team_id, channel_id, channel_name, contact_id, is_ext_shared, linked_by, last_captured_at)
       values ($1, $2, 'C0123ABCD', 'sample-shared', $3, true, $4, now() - interval '1 hour')`,
      [ws.id, team, contact.body.id, ws.rep.id],
    );
    const fu = await caller(app, ws.rep2.token)('POST', '/api/contacts', { name: 'Carla Customer', emails: ['carla@customer.example'] });
    expect(fu.status).toBe(201);

    page = await browser.newPage();
    collectConsoleErrors(page, errors);
    // the deactivate form asks first (data-confirm): say yes
    page.on('dialog', (d) => void d.accept());
    await page.goto(await linkFor(app, ws.admin.token, '/admin'));
    await page.getByRole('button', { name: /Ada Admin/ }).click();
    await page.waitForURL(`${server.url}/admin`);
  }, 90_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('shows the team and deactivates a member, handing their contacts to another', async () => {
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('チーム');
    await checked('admin-team');
    await page.getByRole('link', { name: 'Rae Rep を管理' }).click();
    await page.waitForURL(`${server.url}/admin/members/${ws.rep2.id}`);
    await checked('admin-member');
    await page.getByLabel('引き継ぐ人').selectOption(ws.rep.id);
    await page.getByRole('button', { name: 'Rae Rep を無効にする' }).click();
    await page.waitForURL(/deactivated=1/);
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Rae Rep を無効にしました。連絡先 1 件と未完了のフォローアップ 0 件を Ren Rep に引き継ぎました。',
    );
    await checked('admin-member-deactivated');
    const [row] = await t.sql.query<{ owner: string }>(`select owner_id as owner from crm.contacts where workspace_id = $1 and name = 'Carla Customer'`, [
      ws.id,
    ]);
    expect(row!.owner).toBe(ws.rep.id);
  });

  it('shows the connections and their capture health', async () => {
    await page.getByRole('link', { name: '連携', exact: true }).click();
    await page.waitForURL(`${server.url}/admin/connections`);
    await expect(page.getByText('Slack チーム Acme 営業部 と連携しています', { exact: false }).count()).resolves.toBe(1);
    await expect(page.getByText('再接続が必要').count()).resolves.toBe(1);
    await expect(page.getByText('#sample-shared').count()).resolves.toBe(1);
    await checked('admin-connections');
  });

  it('imports a CSV with a bad row and reads the report, then downloads the export', async () => {
    await page.getByRole('link', { name: 'インポートとエクスポート' }).click();
    await page.waitForURL(`${server.url}/admin/import`);
    await checked('admin-import');
    const csv = 'Name,Email\n佐藤花子,hanako@sample.co.jp\nBob,bob-at-example\n';
    await page.getByLabel('CSV ファイル').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'インポート', exact: true }).click();
    await page.waitForURL(/\/admin\/imports\/[0-9a-f-]{36}$/);
    // the page's script follows the import until the report is in place
    await page.getByText('3 行目: bob-at-example', { exact: false }).waitFor({ timeout: 15_000 });
    await expect(page.getByRole('heading', { name: '拒否された行' }).count()).resolves.toBe(1);
    await checked('admin-import-report');

    // a long import: the bar, then the report put in place by the page's script, with no reload
    const [done] = await t.sql.query<{ report: unknown }>(`select report from crm.web_imports where workspace_id = $1 and status = 'done'`, [ws.id]);
    const [run] = await t.sql.query<{ id: string }>(
      `insert into crm.web_imports (workspace_id, member_id, file_name, phase, done, total) values ($1, $2, 'big.csv', 'write', 1, 4) returning id`,
      [ws.id, ws.admin.id],
    );
    await page.goto(`${server.url}/admin/imports/${run!.id}`);
    await expect(page.getByRole('progressbar').getAttribute('value')).resolves.toBe('70');
    await checked('admin-import-progress');
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await t.sql.query(`update crm.web_imports set status = 'done', report = $2 where id = $1`, [run!.id, JSON.stringify(done!.report)]);
    await page.getByText('3 行目: bob-at-example', { exact: false }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await page.goto(`${server.url}/admin/import`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV をダウンロード' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rapport-contacts-.*\.csv$/);
    expect(errors).toEqual([]);
  });
});
