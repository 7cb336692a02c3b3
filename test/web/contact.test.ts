import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { linkFor, webClient } from '../support/web.js';

/**
 * The contact page /c/:id and the account page /companies/:id on each
 * database: reached from a digest link after one sign-in, the card, the
 * timeline paged and filtered by kind, Done and Snooze, edit in place with
 * its errors shown again, merge; and what is refused: another workspace's
 * records, a rep's private interaction to another rep, a form without its
 * CSRF token.
 */
describe.each(['pglite', 'postgres'] as const)('web contact pages on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids = { jane: '', company: '', followUp: '', dup: '', theirs: '', theirCompany: '' };
  const DAY = 86_400_000;

  const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;
  const signedIn = async (token: string, next?: string) => {
    const web = webClient(app);
    const done = await web.signIn(await linkFor(app, token, next));
    expect(done.status).toBe(303);
    return web;
  };

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, publicUrl: 'https://rapport.example.com' });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
    const asRep = caller(app, ws.rep.token);
    const jane = await asRep('POST', '/api/contacts', {
      name: 'Jane Tanaka',
      emails: ['jane@acme.example'],
      phone: '+81 3 1234 5678',
      title: 'CTO',
      company: { name: 'Acme', domain: 'acme.example' },
      stage: 'prospect',
      ownerEmail: ws.rep.email,
      tags: ['vip'],
      custom: { region: 'Kanto' },
    });
    expect(jane.status).toBe(201);
    ids.jane = jane.body.id;
    ids.company = jane.body.company.id;
    // 60 interactions, newest first: 40 emails, 20 calls, a minute apart
    const now = Date.now();
    for (let n = 0; n < 60; n++) {
      const isCall = n % 3 === 2;
      const made = await asRep('POST', '/api/interactions', {
        kind: isCall ? 'call' : 'email',
        occurredAt: new Date(now - DAY - n * 60_000).toISOString(),
        subject: `${isCall ? 'Call' : 'Mail'} number ${n}`,
        body: `body ${n}`,
        source: isCall ? 'api' : 'gmail',
        direction: 'inbound',
        externalId: isCall ? `call-${n}` : `<m${n}@acme.example>`,
        participants: [
          { role: 'from', email: 'jane@acme.example' },
          { role: 'to', email: ws.rep.email },
        ],
      });
      expect(made.status).toBe(201);
    }
    const fu = await asRep('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(now + DAY).toISOString(), note: 'Send the quote' });
    ids.followUp = fu.body.id;
    const deal = await asRep('POST', '/api/deals', {
      name: 'Acme rollout',
      companyId: ids.company,
      contacts: [{ id: ids.jane }],
      amount: 1200000,
      currency: 'JPY',
    });
    expect(deal.status).toBe(201);
    // the same phone: a duplicate the API reports for Jane
    ids.dup = (await asRep('POST', '/api/contacts', { name: 'J. Tanaka', phone: '+81312345678' })).body.id;
    const theirs = await caller(app, other.rep.token)('POST', '/api/contacts', {
      name: 'Other Secret',
      company: { name: 'Othercorp', domain: 'other.example' },
    });
    ids.theirs = theirs.body.id;
    ids.theirCompany = theirs.body.company.id;
  }, 120_000);
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('opens a digest link after one sign-in, on the contact', async () => {
    const path = `/c/${ids.jane}`;
    const web = webClient(app);
    const out = await web.get(path);
    expect(out.status).toBe(303);
    expect(out.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    const done = await web.signIn(await linkFor(app, ws.manager.token, path));
    expect(done.location).toBe(path);
    const res = await web.get(done.location!);
    expect(res.status).toBe(200);
    const html = res.text;
    for (const text of [
      'Jane Tanaka',
      'jane@acme.example',
      'CTO',
      'Prospect',
      'Ren Rep',
      'vip',
      'region',
      'Kanto',
      'Send the quote',
      'Acme rollout',
      '¥1,200,000',
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).toContain(`href="/companies/${ids.company}"`);
    expect(html).toContain('J. Tanaka');
    expect(html).toContain('the same phone number');
  });

  it("reads the page's timeline without who took part, and otherwise as the API gives it", async () => {
    const args = [ws.id, ws.rep.id, ids.jane];
    const read = async (people: boolean) =>
      (
        await t.sql.query<{ r: { items: { type: string; interaction?: Record<string, unknown> }[]; nextCursor: unknown } }>(
          `select crm.timeline($1, $2, $3, null, 50, null, ${people}) as r`,
          args,
        )
      )[0]!.r;
    const [full, brief] = [await read(true), await read(false)];
    const [api] = await t.sql.query<{ r: unknown }>('select crm.timeline($1, $2, $3, null, 50) as r', args);
    expect(api!.r).toEqual(full);
    const withPeople = full.items.filter((e) => e.type === 'interaction');
    expect(withPeople.length).toBeGreaterThan(40);
    expect(withPeople.every((e) => Array.isArray(e.interaction!.participants) && Array.isArray(e.interaction!.capturedBy))).toBe(true);
    const stripped = full.items.map((e) => {
      if (!e.interaction) return e;
      const { participants: _p, capturedBy: _c, ...rest } = e.interaction;
      return { ...e, interaction: rest };
    });
    expect(brief).toEqual({ items: stripped, nextCursor: full.nextCursor });
  });

  it('pages the whole timeline 50 at a time and filters it by kind', async () => {
    const web = await signedIn(ws.rep.token);
    const first = await web.get(`/c/${ids.jane}`);
    expect(count(first.text, /<li class="entry /g)).toBe(50);
    const older = /href="(\/c\/[^"]+cursor=[^"#]+)#timeline" rel="next"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toBeDefined();
    const second = await web.get(older!);
    expect(second.status).toBe(200);
    // 60 interactions, the follow-up and the audit entries (create, ...) in all
    const rest = count(second.text, /<li class="entry /g);
    expect(rest).toBeGreaterThanOrEqual(12);
    expect(second.text).toContain('Mail number 58');
    expect(first.text).not.toContain('Mail number 58');
    expect(second.text).toContain('Back to the newest');

    const calls = await web.get(`/c/${ids.jane}?kind=call`);
    expect(calls.status).toBe(200);
    expect(count(calls.text, /<li class="entry kind-call"/g)).toBe(20);
    expect(count(calls.text, /<li class="entry /g)).toBe(20);
    expect(calls.text).toContain('<option value="call" selected="">');
    expect((await web.get(`/c/${ids.jane}?kind=fax`)).status).toBe(400);
    expect((await web.get(`/c/${ids.jane}?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);
  });

  it('marks a follow-up done and snoozes one, with the CSRF token only', async () => {
    const web = await signedIn(ws.rep.token);
    const page = await web.get(`/c/${ids.jane}`);
    const csrf = web.csrfIn(page.text);
    const snoozeMe = (await caller(app, ws.rep.token)('POST', '/api/follow-ups', { contactId: ids.jane, dueAt: new Date(Date.now() - DAY).toISOString() }))
      .body;
    const forged = await web.post(`/c/${ids.jane}/follow-ups/${ids.followUp}`, { action: 'done' });
    expect(forged.status).toBe(403);
    const state = async (id: string) =>
      (await t.sql.query<{ status: string; due_at: Date }>('select status, due_at from crm.follow_ups where id = $1', [id]))[0]!;
    expect((await state(ids.followUp)).status).toBe('open');

    const done = await web.post(`/c/${ids.jane}/follow-ups/${ids.followUp}`, { _csrf: csrf, action: 'done' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/c/${ids.jane}#follow-ups`);
    expect((await state(ids.followUp)).status).toBe('done');
    const [audit] = await t.sql.query<{ source: string }>(`select source from crm.audit_log where entity_id = $1 and action = 'update'`, [ids.followUp]);
    expect(audit?.source).toBe('web');

    const before = Date.now();
    const snoozed = await web.post(`/c/${ids.jane}/follow-ups/${snoozeMe.id}`, { _csrf: csrf, action: 'snooze', days: '7', due: snoozeMe.dueAt });
    expect(snoozed.status).toBe(303);
    const due = (await state(snoozeMe.id)).due_at.getTime();
    // overdue: a week from now, not from when it was due
    expect(due).toBeGreaterThanOrEqual(before + 7 * DAY - 1000);
    expect(due).toBeLessThan(Date.now() + 7 * DAY + 1000);
    expect((await web.post(`/c/${ids.jane}/follow-ups/${snoozeMe.id}`, { _csrf: csrf, action: 'snooze', days: '400' })).status).toBe(400);
    // a colleague who neither owns, made nor manages it may not close it: the page says so, with a 403
    const colleague = await signedIn(ws.rep2.token);
    const theirCsrf = colleague.csrfIn((await colleague.get(`/c/${ids.jane}`)).text);
    const refused = await colleague.post(`/c/${ids.jane}/follow-ups/${snoozeMe.id}`, { _csrf: theirCsrf, action: 'done' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('role="alert"');
    expect((await state(snoozeMe.id)).status).toBe('open');
  });

  it('edits in place, and shows a refused edit again in the form with a 4xx', async () => {
    const web = await signedIn(ws.rep.token);
    const csrf = web.csrfIn((await web.get(`/c/${ids.jane}`)).text);
    const form = { _csrf: csrf, name: 'Jane Tanaka', stage: 'customer', owner: ws.rep2.email, company: 'Acme', company_was: 'Acme', tags: 'vip, renewal' };
    const saved = await web.post(`/c/${ids.jane}/edit`, form);
    expect(saved.status).toBe(303);
    const [row] = await t.sql.query<{ stage: string; owner_id: string; tags: string[]; company_id: string }>(
      'select stage, owner_id, tags, company_id from crm.contacts where id = $1',
      [ids.jane],
    );
    expect(row).toEqual({ stage: 'customer', owner_id: ws.rep2.id, tags: ['vip', 'renewal'], company_id: ids.company });
    const [audit] = await t.sql.query<{ source: string }>(
      `select source from crm.audit_log where entity_id = $1 and action = 'update' order by id desc limit 1`,
      [ids.jane],
    );
    expect(audit?.source).toBe('web');

    const empty = await web.post(`/c/${ids.jane}/edit`, { ...form, name: '  ', tags: 'kept <b>tag</b>' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Nothing was saved');
    expect(empty.text).toContain('The request is not valid: Name.');
    expect(empty.text).toContain('value="kept &lt;b&gt;tag&lt;/b&gt;"');
    expect(empty.text).toMatch(/<details open="">/);
    const stranger = await web.post(`/c/${ids.jane}/edit`, { ...form, owner: 'nobody@nowhere.example' });
    expect(stranger.status).toBe(400);
    expect(stranger.text).toContain('nobody@nowhere.example');
    const [after] = await t.sql.query<{ name: string; owner_id: string }>('select name, owner_id from crm.contacts where id = $1', [ids.jane]);
    expect(after).toEqual({ name: 'Jane Tanaka', owner_id: ws.rep2.id });
    expect((await web.post(`/c/${ids.jane}/edit`, { name: 'Forged' })).status).toBe(403);
  });

  it('merges a suggested duplicate into the contact, and its link then opens the survivor', async () => {
    const web = await signedIn(ws.rep.token);
    const page = await web.get(`/c/${ids.jane}`);
    expect(page.text).toContain(`name="from" value="${ids.dup}"`);
    const merged = await web.post(`/c/${ids.jane}/merge`, { _csrf: web.csrfIn(page.text), from: ids.dup });
    expect(merged.status).toBe(303);
    const [row] = await t.sql.query<{ merged_into_id: string }>('select merged_into_id from crm.contacts where id = $1', [ids.dup]);
    expect(row?.merged_into_id).toBe(ids.jane);
    const old = await web.get(`/c/${ids.dup}`);
    expect(old.status).toBe(303);
    expect(old.location).toBe(`/c/${ids.jane}`);
    expect((await web.get(`/c/${ids.jane}`)).text).not.toContain(`name="from" value="${ids.dup}"`);
  });

  it('shows the account: its people linking to their pages, open deals with totals, the timeline paged', async () => {
    const web = await signedIn(ws.rep2.token);
    const res = await web.get(`/companies/${ids.company}`);
    expect(res.status).toBe(200);
    for (const text of ['Acme', 'acme.example', 'Acme rollout', '¥1,200,000 in 1 deals', 'Account timeline']) expect(res.text, text).toContain(text);
    expect(res.text).toContain(`href="/c/${ids.jane}"`);
    expect(count(res.text, /<li class="entry /g)).toBe(50);
    const older = /href="(\/companies\/[^"]+cursor=[^"#]+)#timeline"/.exec(res.text)?.[1];
    const second = await web.get(older!);
    expect(second.status).toBe(200);
    expect(count(second.text, /<li class="entry /g)).toBe(10);
  });

  it("answers another workspace's contact and company, and a made-up id, with the not-found page", async () => {
    const web = await signedIn(ws.admin.token);
    for (const path of [`/c/${ids.theirs}`, `/companies/${ids.theirCompany}`, '/c/not-an-id', '/c/00000000-0000-4000-8000-000000000000']) {
      const res = await web.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).toContain('Not found');
      expect(res.text).not.toContain('Other Secret');
      expect(res.text).not.toContain('Othercorp');
    }
    const csrf = web.csrfIn((await web.get(`/c/${ids.jane}`)).text);
    const edit = await web.post(`/c/${ids.theirs}/edit`, { _csrf: csrf, name: 'Taken', stage: 'lead', owner: '', company: '', company_was: '', tags: '' });
    expect(edit.status).toBe(404);
    expect(edit.text).not.toContain('Other Secret');
    const [row] = await t.sql.query<{ name: string }>('select name from crm.contacts where id = $1', [ids.theirs]);
    expect(row?.name).toBe('Other Secret');
  });

  it("never shows a rep's private interaction to another rep; a 'subject' one only as who, when and subject", async () => {
    const asRep = caller(app, ws.rep.token);
    for (const [visibility, secret] of [
      ['private', 'Quetzal-private-7f3'],
      ['subject', 'Heron-subject-91c'],
    ] as const) {
      const made = await asRep('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: new Date().toISOString(),
        subject: `${secret} subject`,
        body: `${secret} body`,
        source: 'gmail',
        direction: 'inbound',
        externalId: `<${secret}@acme.example>`,
        visibility,
        participants: [
          { role: 'from', email: 'jane@acme.example' },
          { role: 'to', email: ws.rep.email },
        ],
      });
      expect(made.status).toBe(201);
    }
    const author = await (await signedIn(ws.rep.token)).get(`/c/${ids.jane}`);
    expect(author.text).toContain('Quetzal-private-7f3 body');
    expect(author.text).toContain('Heron-subject-91c body');
    const colleague = await signedIn(ws.rep2.token);
    for (const path of [`/c/${ids.jane}`, `/c/${ids.jane}?kind=email`, `/companies/${ids.company}`]) {
      const res = await colleague.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Quetzal');
      expect(res.text).toContain('Heron-subject-91c subject');
      expect(res.text).not.toContain('Heron-subject-91c body');
    }
  });
});
