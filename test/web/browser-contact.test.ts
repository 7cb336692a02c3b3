import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../backend/app.js';
import { launchChromium, screenshots, seriousViolations, serveWebApp, collectConsoleErrors } from '../support/browser.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { linkFor } from '../support/web.js';

/**
 * The contact and account pages in headless Chromium: a digest link opened
 * signed out leads to the contact after one sign-in by link; the timeline
 * pages and filters; a follow-up is marked done, a field edited, a
 * duplicate merged (its confirmation accepted). Another workspace's contact
 * and a rep's private interaction are not shown, a form without its CSRF
 * token changes nothing; no console error (a CSP refusal shows there), no
 * serious accessibility violation, screenshots at both widths.
 */
describe('web contact pages in Chromium', () => {
  let t: TestDb;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids = { jane: '', company: '', followUp: '', dup: '', theirs: '' };
  const errors: string[] = [];
  const DAY = 86_400_000;

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    // the refused edit (400) and the not-found page (404) are such answers on purpose; anything else is not
    collectConsoleErrors(page, errors, /the server responded with a status of (400|404)/);
    page.on('dialog', (d) => void d.accept());
    return page;
  }
  async function signIn(page: Page, token: string, next: string) {
    await page.goto(await linkFor(app, token, next));
    await page.getByRole('button').first().click();
    await page.waitForURL(`${server.url}${next}`);
  }

  beforeAll(async () => {
    t = await openTestDb('postgres');
    ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    other = await makeWorkspace(t.sql, t.db);
    browser = await launchChromium();
    server = await serveWebApp({ db: t.db });
    app = server.app;
    const asRep = caller(app, ws.rep.token);
    const jane = await asRep('POST', '/api/contacts', {
      name: '田中 花子',
      emails: ['hanako@acme.example'],
      phone: '+81 3 1234 5678',
      title: '営業部長',
      company: { name: 'Acme 株式会社', domain: 'acme.example' },
      stage: 'prospect',
      ownerEmail: ws.rep.email,
      tags: ['重要'],
      custom: { 地域: '関東' },
    });
    ids.jane = jane.body.id;
    ids.company = jane.body.company.id;
    const now = Date.now();
    for (let n = 0; n < 56; n++) {
      const kind = (['email', 'email', 'call', 'note'] as const)[n % 4]!;
      await asRep('POST', '/api/interactions', {
        kind,
        occurredAt: new Date(now - DAY - n * 3_600_000).toISOString(),
        subject: `件名 ${n}`,
        body: `本文 ${n}: 見積もりについてのご相談`,
        source: kind === 'email' ? 'gmail' : 'api',
        direction: kind === 'email' ? 'inbound' : 'outbound',
        externalId: kind === 'email' ? `<b${n}@acme.example>` : `x-${n}`,
        participants: [
          { role: 'from', email: 'hanako@acme.example', name: '田中 花子' },
          { role: 'to', email: ws.rep.email },
        ],
      });
    }
    await asRep('POST', '/api/interactions', {
      kind: 'note',
      occurredAt: new Date(now - 60_000).toISOString(),
      subject: 'Quetzal private note',
      body: 'Quetzal only for my team',
      source: 'api',
      direction: 'internal',
      externalId: 'private-1',
      visibility: 'private',
      participants: [{ role: 'about', email: 'hanako@acme.example' }],
    });
    ids.followUp = (await asRep('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now + DAY).toISOString(), note: '見積書を送る' })).body.id;
    await asRep('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now - DAY).toISOString(), note: '電話をかけ直す' });
    await asRep('POST', '/api/deals', { name: 'Acme 全社導入', companyId: ids.company, contacts: [{ id: ids.jane }], amount: 4800000, currency: 'JPY' });
    ids.dup = (await asRep('POST', '/api/contacts', { name: '田中 花子（重複）', phone: '+81312345678' })).body.id;
    ids.theirs = (await caller(app, other.rep.token)('POST', '/api/contacts', { name: 'Other Secret' })).body.id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('opens a digest link after one sign-in, pages and filters the timeline, and looks right at both widths', async () => {
    const page = await newPage();
    const digestLink = `${server.url}/c/${ids.jane}`;
    await page.goto(digestLink);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/c/${ids.jane}`);
    await signIn(page, ws.rep.token, `/c/${ids.jane}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('田中 花子');
    await expect(page.locator('ol.timeline > li').count()).resolves.toBe(50);
    await expect(page.getByText('Quetzal only for my team').count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'contact');

    await page.getByRole('link', { name: 'さらに古い項目' }).click();
    await page.waitForURL(/cursor=/);
    await expect(page.locator('ol.timeline > li').count()).resolves.toBeGreaterThan(5);
    await expect(page.getByText('件名 55', { exact: true }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: '最新に戻る' }).click();
    await page.waitForURL((u) => !u.search.includes('cursor'));

    await page.getByLabel('表示').selectOption('call');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/kind=call/);
    await expect(page.locator('ol.timeline > li').count()).resolves.toBe(14);
    await expect(page.locator('ol.timeline > li.kind-call').count()).resolves.toBe(14);
    await page.close();
  });

  it('marks a follow-up done, edits a field, merges a duplicate, and opens the account', async () => {
    const page = await newPage();
    await signIn(page, ws.rep.token, `/c/${ids.jane}`);
    const item = page.locator('li.follow-up', { hasText: '見積書を送る' });
    await item.getByRole('button', { name: '完了' }).click();
    await page.waitForLoadState();
    await expect(page.locator('li.follow-up', { hasText: '見積書を送る' }).count()).resolves.toBe(0);
    const [row] = await t.sql.query<{ status: string }>('select status from crm.follow_ups where id = $1', [ids.followUp]);
    expect(row?.status).toBe('done');

    await page.getByText('この連絡先を編集').click();
    await page.getByLabel('名前').fill('田中 花子（部長）');
    await page.getByLabel('ステージ').selectOption('customer');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('田中 花子（部長）');
    await expect(page.locator('dl.fields').textContent()).resolves.toContain('顧客');

    // a refused edit comes back in the form, with the reason, and changes nothing
    await page.getByText('この連絡先を編集').click();
    await page.getByLabel('名前').fill('');
    await page.getByLabel('名前').evaluate((el) => el.removeAttribute('required'));
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('保存されませんでした');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'contact-edit-refused');

    await page.goto(`${server.url}/c/${ids.jane}`);
    await page.getByRole('button', { name: /この連絡先に統合/ }).click();
    await page.waitForLoadState();
    const [dup] = await t.sql.query<{ merged_into_id: string }>('select merged_into_id from crm.contacts where id = $1', [ids.dup]);
    expect(dup?.merged_into_id).toBe(ids.jane);

    await page.getByRole('link', { name: 'Acme 株式会社' }).first().click();
    await page.waitForURL(`${server.url}/companies/${ids.company}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Acme 株式会社');
    await expect(page.getByText('Acme 全社導入').count()).resolves.toBe(1);
    await expect(page.locator('ol.timeline > li').count()).resolves.toBe(50);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'company');
    await page.close();
  });

  it("refuses another workspace's contact, a rep's private note to another rep, and a form without its CSRF token", async () => {
    const page = await newPage();
    await signIn(page, ws.rep2.token, `/c/${ids.jane}`);
    await expect(page.getByText('Quetzal').count()).resolves.toBe(0);
    await page.goto(`${server.url}/companies/${ids.company}`);
    await expect(page.getByText('Quetzal').count()).resolves.toBe(0);

    const theirs = await page.goto(`${server.url}/c/${ids.theirs}`);
    expect(theirs?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('見つかりません');
    await expect(page.getByText('Other Secret').count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'contact-not-found');

    // a form posted with this browser's cookie but no token: refused, nothing changed
    const forged = await page.request.post(`${server.url}/c/${ids.jane}/edit`, {
      form: { name: 'Forged', stage: 'lead', owner: '', company: '', company_was: '', tags: '' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const [row] = await t.sql.query<{ name: string }>('select name from crm.contacts where id = $1', [ids.jane]);
    expect(row?.name).not.toBe('Forged');
    await page.close();
    expect(errors).toEqual([]);
  });
});
