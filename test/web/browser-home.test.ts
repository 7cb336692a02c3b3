import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../backend/app.js';
import { launchChromium, screenshots, seriousViolations, serveWebApp, VIEWPORTS, collectConsoleErrors } from '../support/browser.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { linkFor } from '../support/web.js';

/**
 * The home page and the pipeline in headless Chromium: results follow the
 * search box as you type with no page load, a follow-up is marked done,
 * /deals shows its stages as columns (stacked on a phone); no console error
 * (a CSP refusal shows there) and no serious accessibility violation.
 */
describe('web home and pipeline in Chromium', () => {
  let t: TestDb;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let page: Page;
  const errors: string[] = [];
  const ids = { jane: '', tanaka: '', globex: '', followUp: '', deal: '' };

  beforeAll(async () => {
    t = await openTestDb('postgres');
    ws = await makeWorkspace(t.sql, t.db);
    browser = await launchChromium();
    server = await serveWebApp({ db: t.db });
    app = server.app;
    const as = caller(app, ws.rep.token);
    const made = async (path: string, body: object) => {
      const res = await as('POST', path, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body.id as string;
    };
    ids.jane = await made('/api/contacts', {
      name: 'Jane Latimer',
      emails: ['jane@acme-widgets.example'],
      title: 'Head of Purchasing',
      company: { name: 'Acme Widgets', domain: 'acme-widgets.example' },
    });
    ids.tanaka = await made('/api/contacts', { name: '田中 太郎', emails: ['taro@kaisha.example'], title: '部長' });
    ids.globex = await made('/api/companies', { name: 'Globex Corporation', domains: ['globex.example'] });
    const now = Date.now();
    ids.followUp = await made('/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now - 3 * 3600_000).toISOString(), note: 'Send the quote' });
    await made('/api/follow-ups', { contactId: ids.tanaka, dueAt: new Date(now + 3 * 86_400_000).toISOString(), note: '見積もりの確認' });
    ids.deal = await made('/api/deals', {
      name: 'Acme renewal',
      company: { name: 'Acme Widgets', domain: 'acme-widgets.example' },
      amount: 1_250_000,
      currency: 'USD',
      stage: 'proposal',
      closeDate: '2026-12-31',
    });
    await made('/api/deals', { name: 'Kaisha pilot', amount: 800_000, currency: 'JPY', stage: 'qualified' });
    await made('/api/deals', { name: 'Globex expansion', amount: 4_000_000, currency: 'USD', stage: 'negotiation' });
    page = await browser.newPage({ viewport: VIEWPORTS.desktop });
    collectConsoleErrors(page, errors);
    await page.goto(await linkFor(app, ws.rep.token));
    await page.getByRole('button', { name: /Ren Rep/ }).click();
    await page.waitForURL(`${server.url}/`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('updates the results as you type, without loading a page', async () => {
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Search contacts and companies');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'home');
    // a mark on this document: a page load would lose it
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    const box = page.getByLabel('Name, email, company or domain');
    await box.pressSequentially('jan', { delay: 40 });
    await page.locator(`#search-live a[href="/c/${ids.jane}"]`).waitFor();
    expect(await page.locator('#search-live h2').textContent()).toBe('Results for “jan”');
    expect(new URL(page.url()).search).toBe('?q=jan');

    await box.fill('globex');
    await page.locator(`#search-live a[href="/companies/${ids.globex}"]`).waitFor();
    expect(await page.locator(`#search-live a[href="/c/${ids.jane}"]`).count()).toBe(0);

    await box.fill('田中');
    await page.locator(`#search-live a[href="/c/${ids.tanaka}"]`).waitFor();
    expect(await page.locator('#search-live').textContent()).toContain('部長');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'home-search');

    await box.fill('');
    await page.locator('#search-live h2').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('marks a follow-up done', async () => {
    const item = page.locator('li.followup', { hasText: 'Send the quote' });
    await item.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.locator('li.followup', { hasText: '見積もりの確認' }).waitFor();
    expect(await page.locator('li.followup', { hasText: 'Send the quote' }).count()).toBe(0);
    const [row] = await t.sql.query<{ status: string }>('select status from crm.follow_ups where id = $1', [ids.followUp]);
    expect(row?.status).toBe('done');
    expect(errors).toEqual([]);
  });

  it('shows the pipeline as columns by stage, stacked on a phone, and moves a deal', async () => {
    await page.getByRole('link', { name: 'Deals' }).click();
    await page.waitForURL(`${server.url}/deals`);
    const names = await page.locator('.stage h2').evaluateAll((hs) => hs.map((h) => h.firstChild?.textContent?.trim()));
    expect(names).toEqual(['Qualified', 'Meeting held', 'Proposal sent', 'Negotiation', 'Verbal yes']);
    const boxes = async () => Promise.all((await page.locator('.stage').all()).slice(0, 3).map(async (s) => (await s.boundingBox())!));
    const wide = await boxes();
    expect(wide[1]!.x).toBeGreaterThan(wide[0]!.x);
    expect(wide[1]!.y).toBe(wide[0]!.y);
    expect(await page.locator('section[aria-labelledby="stage-proposal"] .totals').textContent()).toContain('$12,500.00');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'deals');
    await page.setViewportSize(VIEWPORTS.phone);
    const narrow = await boxes();
    expect(narrow[1]!.x).toBe(narrow[0]!.x);
    expect(narrow[1]!.y).toBeGreaterThan(narrow[0]!.y);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);

    const card = page.locator('li.deal', { hasText: 'Acme renewal' });
    await card.getByLabel('Stage of Acme renewal').selectOption('negotiation');
    await card.getByRole('button', { name: 'Move' }).click();
    await page.waitForURL(`${server.url}/deals`);
    await page.locator('section[aria-labelledby="stage-negotiation"] li.deal', { hasText: 'Acme renewal' }).waitFor();
    expect(await page.locator('section[aria-labelledby="stage-negotiation"] .totals').textContent()).toContain('$52,500.00');
    expect(errors).toEqual([]);
  });
});
