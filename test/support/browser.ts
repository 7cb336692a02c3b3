import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createApp } from '../../backend/app.js';
import type { AppDeps } from '../../backend/types.js';

/**
 * The web companion in a real browser: Debian's Chromium (installed by
 * .ci/run when missing; never a downloaded one) driven by playwright-core,
 * against the app served on loopback. Screenshots go to
 * test-results/screenshots (not committed) for a reviewer to look at.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'test-results/screenshots';

/** Chromium as root, on a machine whose network is closed: no sandbox, no background traffic. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The app on a loopback port, as `npm start` serves it. */
export async function serveApp(app: Hono<any>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * createApp(deps) served on loopback, its public URL the address it listens
 * on (known only once it listens, so that links in pages and mails lead back
 * to it).
 */
export async function serveWebApp(
  deps: Omit<Partial<AppDeps>, 'publicUrl'>,
): Promise<{ app: ReturnType<typeof createApp>; url: string; close(): Promise<void> }> {
  let base = '';
  const app = createApp({
    ...deps,
    get publicUrl() {
      return base;
    },
  } as AppDeps);
  const server = await serveApp(app);
  base = server.url;
  return { app, ...server };
}

/**
 * The console errors of a page (a CSP refusal shows there), collected into
 * `into` as they come; answers a test asks for on purpose (a 400, a 404) are
 * left out by `expected`.
 */
export function collectConsoleErrors(page: Page, into: string[] = [], expected?: RegExp): string[] {
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected?.test(m.text())) into.push(`${page.url()}: ${m.text()}`);
  });
  return into;
}

export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Screenshots of the page at desktop and phone width, named `<name>-desktop.png` and `<name>-phone.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const was = page.viewportSize();
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size}.png`, fullPage: true });
  }
  if (was) await page.setViewportSize(was);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now
 * (evaluated through the DevTools protocol, so the page's CSP, which allows
 * no inline script, stays as it is).
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run(
      (globalThis as unknown as { document: unknown }).document,
      {
        resultTypes: ['violations'],
      },
    );
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
