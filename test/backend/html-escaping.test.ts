import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { parseEnv } from '../../backend/env.js';
import { escapeHtml } from '../../backend/html.js';
import { connectSlack } from '../../slack-app/connect.js';
import { installPage } from '../../slack-app/install/page.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { SIGNING_SECRET } from '../support/slack.js';
import { linkFor, webClient } from '../support/web.js';

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

/** A web companion page: only its own elements, its one script from /assets, no attribute or element from stored text. */
const PAGE_TAGS = new Set(
  '!doctype html head meta title link script body a header nav ul ol li form input button main div h1 h2 p section dl dt dd details summary label select option span strong time'.split(
    ' ',
  ),
);
function expectInertPage(html: string) {
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<script(?! src="\/assets\/app-[0-9a-f]{12}\.js" defer="">)/);
  // attribute names only (quoted values, whose quotes are escaped inside them, left out)
  const attributes = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
  expect(attributes.filter((tag) => /\son[a-z]+=/i.test(tag))).toEqual([]);
  const tags = [...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase());
  expect(tags.filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
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
    'GET %s signed out goes to sign in, the path only URL-encoded in where it goes next',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(303);
      expect(await res.text()).toBe('');
      const location = res.headers.get('location') ?? '';
      expect(location.startsWith('/signin?next=%2Fc%2F')).toBe(true);
      expect(location).not.toMatch(/[<>" ]/);
    },
  );

  it.each(['en', 'ja', 'zh'] as const)('the contact and account pages show stored hostile text in every field as text (%s)', async (locale) => {
    const ws = await makeWorkspace(t.sql, t.db, { locale });
    const as = caller(app, ws.rep.token);
    const contact = await as('POST', '/api/contacts', {
      name: HOSTILE,
      title: HOSTILE,
      phone: SCRIPT,
      emails: ['hostile@acme.example'],
      company: { name: HOSTILE, domain: 'acme.example' },
      tags: [HOSTILE],
      custom: { [HOSTILE]: HOSTILE },
      ownerEmail: ws.rep.email,
    });
    expect(contact.status).toBe(201);
    const id = contact.body.id as string;
    const companyId = contact.body.company.id as string;
    await t.sql.query('update crm.members set display_name = $1 where id = $2', [HOSTILE, ws.rep.id]);
    await t.sql.query('update crm.companies set industry = $1 where id = $2', [HOSTILE, companyId]);
    // a duplicate whose name is in the Merge button's label and its confirmation
    expect((await as('POST', '/api/contacts', { name: `${HOSTILE} 2`, phone: SCRIPT, company: { domain: 'acme.example' } })).status).toBe(201);
    const made = await as('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      subject: HOSTILE,
      body: HOSTILE,
      source: 'gmail',
      direction: 'inbound',
      externalId: `<hostile-${locale}@acme.example>`,
      participants: [
        { role: 'from', email: 'hostile@acme.example', name: HOSTILE },
        { role: 'to', email: ws.rep.email, name: HOSTILE },
      ],
    });
    expect(made.status).toBe(201);
    expect((await as('POST', '/api/follow-ups', { contactId: id, dueAt: new Date(Date.now() + 86_400_000).toISOString(), note: HOSTILE })).status).toBe(201);
    expect((await as('POST', '/api/deals', { name: HOSTILE, companyId, contacts: [{ id }] })).status).toBe(201);
    const web = webClient(app);
    await web.signIn(await linkFor(app, ws.rep.token));
    for (const path of [`/c/${id}`, `/companies/${companyId}`]) {
      const res = await web.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expectInertPage(res.text);
      // the values are there, as text
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    // and shown again in a refused edit's form
    const page = await web.get(`/c/${id}`);
    const refused = await web.post(`/c/${id}/edit`, {
      _csrf: web.csrfIn(page.text),
      name: '',
      stage: 'lead',
      owner: '',
      company: HOSTILE,
      company_was: HOSTILE,
      tags: HOSTILE,
    });
    expect(refused.status).toBe(400);
    expectInertPage(refused.text);
  });

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
