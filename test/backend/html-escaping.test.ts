import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { parseEnv } from '../../backend/env.js';
import { escapeHtml } from '../../backend/html.js';
import { connectSlack } from '../../slack-app/connect.js';
import { installPage } from '../../slack-app/install/page.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { SIGNING_SECRET } from '../support/slack.js';

const SCRIPT = '<script>alert(1)</script>';
const HOSTILE = `${SCRIPT}"'><img src=x onerror=alert(1)>&amp;\u202e`;

/** no element or attribute that came from the hostile value: only the page's own tags remain */
function expectInert(html: string) {
  expect(html).not.toContain('<script');
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/onerror=alert\(1\)>/);
  const tags = [...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase());
  for (const tag of tags) expect(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'p']).toContain(tag);
}

describe('HTML pages echo nothing raw', () => {
  let t: TestDb;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    app = createApp({ db: t.db, serviceSecret: 'service-secret-'.padEnd(40, 'x') });
    const env = parseEnv({
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef0123456789',
      RAPPORT_SECRET_KEY: randomBytes(32).toString('base64'),
      RAPPORT_PUBLIC_URL: 'https://rapport.example.com',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    const backend = {
      baseUrl: 'http://rapport.internal',
      serviceSecret: 'service-secret-'.padEnd(40, 'x'),
      fetch: ((i: string | URL | Request, init?: RequestInit) => app.fetch(new Request(i, init))) as typeof fetch,
    };
    connectSlack(app, env, backend, { logError: () => {} });
  });
  afterAll(async () => {
    await t.close();
  });

  it('escapeHtml turns every markup character into an entity', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;\u202e');
  });

  it.each([`/c/${encodeURIComponent(SCRIPT)}`, `/c/${encodeURIComponent(HOSTILE)}`, `/c/%3Cscript%3Ealert(1)%3C%2Fscript%3E?x=${encodeURIComponent(HOSTILE)}`])(
    'GET %s answers the contact-link page without echoing the path',
    async (path) => {
      for (const lang of ['en', 'ja', 'zh']) {
        const res = await app.request(path, { headers: { 'accept-language': lang } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
        const html = await res.text();
        expectInert(html);
        expect(html).not.toContain('alert(1)');
      }
    },
  );

  it.each(['en', 'ja', 'zh'])('/slack/oauth_redirect?error=<script>… shows the error escaped (%s)', async (lang) => {
    const res = await app.request(`/slack/oauth_redirect?error=${encodeURIComponent(HOSTILE)}`, { headers: { 'accept-language': lang } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const html = await res.text();
    expectInert(html);
    // the value is shown, as text
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('/slack/oauth_redirect with a hostile state or code shows no part of them raw', async () => {
    const res = await app.request(`/slack/oauth_redirect?state=${encodeURIComponent(HOSTILE)}&code=${encodeURIComponent(HOSTILE)}`);
    expect(res.status).toBe(400);
    expectInert(await res.text());
  });

  it.each([
    ['install_title_done', 'install_done'],
    ['install_title_failed', 'install_team_taken'],
    ['install_title_failed', 'install_slack_refused'],
    ['install_title_failed', 'install_failed'],
  ] as const)('the install page %s / %s escapes a team name or reason', (title, body) => {
    for (const locale of ['en', 'ja', 'zh'] as const) {
      const html = installPage(locale, title, body, { team: HOSTILE, error: HOSTILE, reason: HOSTILE });
      expectInert(html);
    }
    expect(installPage('en', title, body, { team: HOSTILE, error: HOSTILE, reason: HOSTILE })).toContain('&lt;script&gt;');
  });
});
