import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { reconnectQuery } from '../../backend/google/state.js';
import { AUTHZ_GMAIL } from '../support/authz-policy.js';
import { t as say } from '../../backend/i18n/messages.js';
import { contract } from '../support/contract.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { insertDeal } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { noDb } from '../support/no-db.js';
import { setupNetwork } from '../support/network.js';

/**
 * The document is the contract: what GET /openapi.json says is what the API
 * answers. Every test helper holds each answer it receives to the document
 * (test/support/contract.ts); here, on each database, every documented
 * operation is driven to each success status it declares, so no declared
 * success goes unchecked. The check is per file (vitest runs each file in
 * its own context): this file alone covers every operation, whatever else
 * runs, and a route added without a happy path below fails it.
 */
const SERVICE_SECRET = 'contract-service-secret-'.padEnd(48, 'c');
const INBOUND_SECRET = 'contract-inbound-secret-'.padEnd(48, 'm');
const TEAM = 'T0CONTRACT';
const CHANNEL = 'C0CONTRACT';

describe('the contract check itself', () => {
  const c = contract();

  it('refuses an undocumented field, status, media type, or a 405 without Allow', () => {
    const ok = { status: 200, contentType: 'application/json', text: JSON.stringify({ ok: true, db: 'pglite' }) };
    expect(c.check('GET', '/healthz', ok)).toEqual([]);
    expect(c.check('GET', '/healthz', { ...ok, text: JSON.stringify({ ok: true, db: 'pglite', extra: 1 }) })[0]).toMatch(/additional properties/);
    expect(c.check('GET', '/healthz', { ...ok, text: JSON.stringify({ ok: 'yes', db: 'pglite' }) })[0]).toMatch(/must be boolean/);
    expect(c.check('GET', '/healthz', { ...ok, status: 418 })[0]).toMatch(/status 418 is not documented/);
    expect(c.check('GET', '/healthz', { ...ok, contentType: 'text/plain' })[0]).toMatch(/a body of type text\/plain/);
    const error = JSON.stringify({ error: { code: 'method_not_allowed', message: 'x' } });
    expect(c.check('PUT', '/healthz', { status: 405, contentType: 'application/json', text: error })[0]).toMatch(/without an Allow/);
    expect(c.check('PUT', '/healthz', { status: 405, contentType: 'application/json', text: error, allow: 'GET, HEAD' })).toEqual([]);
    expect(c.check('GET', '/nowhere', { status: 200, contentType: 'application/json', text: '{}' })[0]).toMatch(/not a 404/);
  });

  it('takes a literal segment before a parameter, as the router does', () => {
    expect(c.operationOf('GET', '/api/contacts/export')?.template).toBe('/api/contacts/export');
    expect(c.operationOf('GET', '/api/contacts/0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f')?.template).toBe('/api/contacts/{id}');
    expect(c.operationOf('HEAD', '/api/contacts')?.method).toBe('GET');
  });
});

describe('HTTP semantics', () => {
  const app = createApp({ db: noDb });

  it("answers a known path asked with another method 405, with Allow and a message in the reader's language", async () => {
    for (const locale of ['en', 'ja', 'zh'] as const) {
      const res = await caller(app)('POST', '/healthz', undefined, { 'accept-language': locale });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.body.error).toEqual({
        code: 'method_not_allowed',
        message: say(locale, 'method_not_allowed', { method: 'POST', path: '/healthz', allowed: 'GET, HEAD' }),
      });
    }
    // a path no route has stays a 404
    const nowhere = await caller(app)('POST', '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('route_not_found');
  });

  it('keeps HEAD working wherever GET does', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs', '/c/0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f']) {
      const get = await app.request(path);
      const head = await app.request(path, { method: 'HEAD' });
      expect([path, head.status]).toEqual([path, get.status]);
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(await head.text()).toBe('');
    }
  });
});

describe.each(ADAPTERS)('the contract on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    const jobs = {
      digests: async () => ({ claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 }),
      mailboxes: async () => ({ claimed: 0, pages: 0, captured: 0, failed: 0 }),
      slackChannel: async () => ({ found: true, shared: false, name: 'alerts' }),
    };
    app = createApp({
      db: t.db,
      serviceSecret: SERVICE_SECRET,
      jobs,
      inbound: { address: 'log@in.example.com', secret: INBOUND_SECRET },
      gmail: AUTHZ_GMAIL,
    });
    ws = await makeWorkspace(t.sql, t.db);
    contract().seen.clear();
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  /** A request as `who`, which must answer `status`; its answer was held to the contract by caller(). */
  async function expectStatus(
    status: number,
    who: 'rep' | 'rep2' | 'manager' | 'admin' | 'service',
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const as =
      who === 'service' ? caller(app, undefined, { authorization: `Rapport-Service ${SERVICE_SECRET}`, ...headers }) : caller(app, ws[who].token, headers);
    const res = await as(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 500)}`).toBe(status);
    return res.body;
  }

  it("answers 415 to a JSON route given another body type, in the reader's language", async () => {
    const as = caller(app, ws.rep.token);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv']) {
      const res = await as('POST', '/api/contacts', JSON.stringify({ name: 'Jane' }), { 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.body.error).toEqual({ code: 'unsupported_media_type', message: say('en', 'unsupported_media_type', { type }) });
    }
    const ja = await caller(app, ws.rep.token)('PATCH', `/api/me`, 'locale=ja', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(ja.status).toBe(415);
    // JSON with a charset, and a +json type, are JSON
    expect((await as('POST', '/api/contacts', JSON.stringify({ name: 'Jane 415' }), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('answers 405 with Allow on /api, after authentication', async () => {
    const res = await caller(app, ws.rep.token)('PUT', '/api/contacts', {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await caller(app)('PUT', '/api/contacts', {})).status).toBe(401);
    const head = await app.request('/api/contacts', { method: 'HEAD', headers: { authorization: `Bearer ${ws.rep.token}` } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('drives every documented operation to each success it declares, every answer as documented', async () => {
    const unique = () => Math.random().toString(36).slice(2, 10);
    // pages and the document
    await expectStatus(200, 'rep', 'GET', '/healthz');
    await expectStatus(200, 'rep', 'GET', '/openapi.json');
    await expectStatus(200, 'rep', 'GET', '/docs');

    // the Slack app's side: an installation, the identity of a member, events
    await expectStatus(200, 'service', 'GET', `/api/slack/installations/target?workspaceId=${ws.id}`);
    await expectStatus(200, 'service', 'PUT', `/api/slack/installations/teams/${TEAM}`, {
      workspaceId: ws.id,
      teamName: 'Contract',
      botUserId: 'U0BOT',
      botId: 'B0BOT',
      botTokenEnc: 'v1:aXY=:dGFn:Y2lwaGVy',
      scopes: 'chat:write,commands',
    });
    const installed = await expectStatus(200, 'service', 'GET', `/api/slack/installations/teams/${TEAM}`);
    expect(installed.installation.botTokenEnc).toBe('v1:aXY=:dGFn:Y2lwaGVy');
    const slackUser = (await t.sql.query<{ s: string }>('select slack_user_id s from crm.members where id = $1', [ws.rep.id]))[0]!.s;
    const who = await expectStatus(200, 'service', 'POST', '/api/slack/identify', { teamId: TEAM, slackUserId: slackUser });
    expect(who.member.memberId).toBe(ws.rep.id);
    await expectStatus(200, 'service', 'POST', '/api/slack/team', { teamId: TEAM });
    const eventId = `Ev${unique()}`;
    expect(await expectStatus(200, 'service', 'POST', '/api/slack/events/claim', { teamId: TEAM, eventId })).toEqual({
      first: true,
      busy: false,
    });
    await expectStatus(200, 'service', 'POST', '/api/slack/events/handled', { teamId: TEAM, eventId });
    await expectStatus(200, 'service', 'POST', '/api/slack/events/release', { teamId: TEAM, eventId });

    // contacts
    const jane = await expectStatus(201, 'rep', 'POST', '/api/contacts', {
      name: 'Jane Contract',
      emails: ['jane@contract-co.example'],
      company: { name: 'Contract Co', domain: 'contract-co.example' },
      tags: ['vip'],
      custom: { plan: 'gold', seats: 5 },
    });
    const janeToo = await expectStatus(201, 'rep', 'POST', '/api/contacts', {
      name: 'Jane Contract',
      emails: ['jane.c@contract-co.example'],
      phone: '+81 3 1234 5678',
    });
    const ownerless = await expectStatus(201, 'rep', 'POST', '/api/contacts', {
      name: 'Nobody Owns',
      emails: ['nobody@contract-co.example'],
    });
    await expectStatus(200, 'rep', 'PATCH', `/api/contacts/${ownerless.id}`, { ownerEmail: null, title: 'CTO' });
    // readings (issue 21): given, searched by, cleared
    const tanaka = await expectStatus(201, 'rep', 'POST', '/api/contacts', { name: '田中 太郎', reading: 'たなか たろう' });
    expect(tanaka.reading).toBe('たなか たろう');
    expect((await expectStatus(200, 'rep', 'GET', '/api/contacts?q=tanaka')).items.map((c: { id: string }) => c.id)).toContain(tanaka.id);
    expect((await expectStatus(200, 'rep', 'PATCH', `/api/contacts/${tanaka.id}`, { reading: null })).reading).toBeNull();
    await expectStatus(200, 'rep', 'GET', '/api/contacts?q=contract&limit=2');
    await expectStatus(200, 'rep', 'GET', '/api/contacts/lookup?email=JANE@contract-co.example');

    // interactions, follow-ups, the timeline
    const email = {
      kind: 'email',
      occurredAt: '2026-11-24T09:00:00+09:00',
      source: 'gmail',
      externalId: `<c-${unique()}@contract-co.example>`,
      subject: 'Pricing',
      body: 'Hello\n\nthere',
      participants: [
        { role: 'from', email: 'jane@contract-co.example', name: 'Jane' },
        { role: 'to', email: ws.rep.email },
      ],
    };
    const captured = await expectStatus(201, 'rep', 'POST', '/api/interactions', email);
    await expectStatus(200, 'rep', 'POST', '/api/interactions', email);
    const note = {
      kind: 'note',
      occurredAt: '2026-11-24T10:00:00Z',
      source: 'api',
      externalId: `note-${unique()}`,
      body: 'private',
      visibility: 'private',
      participants: [{ role: 'about', contactId: jane.id }],
    };
    await expectStatus(201, 'rep', 'POST', '/api/interactions', note);
    // someone else's private one, captured again: only that it exists
    const hidden = await expectStatus(200, 'rep2', 'POST', '/api/interactions', note);
    expect(Object.keys(hidden).sort()).toEqual(['author', 'createdAt', 'id', 'kind', 'visibility']);
    await expectStatus(200, 'rep', 'GET', `/api/interactions/${captured.id}`);
    const clientKey = `k-${unique()}`;
    const followUp = await expectStatus(201, 'rep', 'POST', '/api/follow-ups', {
      contactId: jane.id,
      dueAt: '2026-11-25T00:00:00Z',
      note: 'Call back',
      sourceInteractionId: captured.id,
      clientKey,
    });
    await expectStatus(200, 'rep', 'POST', '/api/follow-ups', { contactId: jane.id, dueAt: '2026-11-25T00:00:00Z', clientKey });
    await expectStatus(200, 'rep', 'PATCH', `/api/follow-ups/${followUp.id}`, { status: 'done' });
    await expectStatus(200, 'rep', 'PATCH', `/api/follow-ups/${followUp.id}`, { status: 'open', note: 'Again' });
    await expectStatus(200, 'rep', 'GET', '/api/follow-ups?owner=team&due=week');
    // deals, made with SQL (their routes are another part of issue 18), without contacts (Jane is erased
    // below, and erasing a deal's contact is the deal routes' to settle): one snoozed, one stalled and one
    // closing today stay for the digest and the stats below
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const dealOf = (o: Parameters<typeof insertDeal>[2]) => insertDeal(t.sql, ws.id, { owner: ws.rep.id, amount: 1000, currency: 'USD', ...o });
    await expectStatus(200, 'rep', 'POST', `/api/deals/${await dealOf({ createdAt: monthAgo })}/snooze`, { days: 3 });
    await dealOf({ name: 'Stalled', createdAt: monthAgo });
    await dealOf({ name: 'Closing', closeDate: new Date().toISOString().slice(0, 10), stage: 'proposal' });
    await dealOf({ name: 'Won', status: 'won', amount: 5000, currency: 'JPY' });
    await expectStatus(200, 'rep', 'PATCH', `/api/contacts/${jane.id}`, { stage: 'customer', tags: ['vip', 'jp'] });
    const detail = await expectStatus(200, 'rep', 'GET', `/api/contacts/${jane.id}`);
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['interaction', 'follow_up', 'change']));
    await expectStatus(200, 'rep', 'GET', `/api/contacts/${jane.id}?shared=true`);
    await expectStatus(200, 'rep', 'GET', `/api/contacts/${jane.id}/timeline?limit=2`);
    await expectStatus(200, 'rep', 'GET', '/api/me/activity?limit=5');

    // Gmail
    const message = {
      messageId: `<g-${unique()}@contract-co.example>`,
      gmailMessageId: 'abc123',
      threadId: 'abc123',
      from: { email: 'jane@contract-co.example', name: 'Jane' },
      to: [{ email: ws.rep.email }],
      cc: [{ email: 'new.person@other-co.example', name: 'New Person' }],
      date: '2026-11-24T01:00:00Z',
      subject: 'Hello',
      body: 'Hi',
    };
    await expectStatus(201, 'rep', 'POST', '/api/gmail/log', { messages: [message] });
    await expectStatus(200, 'rep', 'POST', '/api/gmail/log', { messages: [message] });
    const stranger = [{ email: 'stranger@third-co.example', name: 'Stranger' }];
    const sidebar = await expectStatus(200, 'rep', 'POST', '/api/gmail/context', {
      message: { messageId: message.messageId, from: message.from, to: message.to, cc: stranger },
    });
    expect(sidebar.people.map((p: { contact: unknown }) => p.contact === null)).toEqual([false, true]);

    // channel links and the messages of a linked channel
    await expectStatus(200, 'rep', 'PUT', `/api/channel-links/${TEAM}/${CHANNEL}`, { channelName: 'contract', companyId: jane.company.id });
    await expectStatus(200, 'rep', 'GET', '/api/channel-links');
    const ts = `${Math.floor(Date.now() / 1000)}.000100`;
    const slackMessage = (channelId: string) => ({
      teamId: TEAM,
      channelId,
      authorSlackId: slackUser,
      capture: {
        kind: 'slack',
        occurredAt: '2026-11-24T02:00:00Z',
        source: 'slack',
        externalId: `${TEAM}:${channelId}:${ts}`,
        body: 'From Slack',
        participants: [{ role: 'author', slackUserId: slackUser }],
      },
    });
    await expectStatus(201, 'service', 'POST', '/api/slack/messages', slackMessage(CHANNEL));
    await expectStatus(200, 'service', 'POST', '/api/slack/messages', slackMessage(CHANNEL));
    expect(await expectStatus(200, 'service', 'POST', '/api/slack/messages', slackMessage('C0NOTLINKED'))).toEqual({ linked: false });
    await expectStatus(200, 'service', 'POST', '/api/slack/messages/edit', {
      teamId: TEAM,
      externalId: `${TEAM}:${CHANNEL}:${ts}`,
      body: 'Edited in Slack',
      editedAt: '2026-11-24T03:00:00Z',
    });
    await expectStatus(200, 'service', 'POST', '/api/slack/messages/delete', { teamId: TEAM, externalId: `${TEAM}:${CHANNEL}:${ts}` });
    await expectStatus(200, 'service', 'POST', '/api/slack/channels/failed', { teamId: TEAM, channelId: CHANNEL, error: 'not_in_channel' });
    await expectStatus(200, 'rep', 'DELETE', `/api/channel-links/${TEAM}/${CHANNEL}`);

    // duplicates, merge and undo
    await expectStatus(200, 'rep', 'GET', '/api/duplicates?limit=10');
    const third = await expectStatus(201, 'rep', 'POST', '/api/contacts', { name: 'Jane Contract', emails: ['jane3@contract-co.example'] });
    await expectStatus(200, 'rep', 'POST', '/api/duplicates/dismiss', { a: jane.id, b: third.id });
    const merged = await expectStatus(200, 'rep', 'POST', `/api/contacts/${jane.id}/merge`, { from: [janeToo.id] });
    await expectStatus(200, 'rep', 'POST', `/api/merges/${merged.merge.id}/undo`);

    // companies as accounts: search, card, timeline, change, duplicates, merge and undo
    const acme = await expectStatus(201, 'rep', 'POST', '/api/companies', { name: 'Acme Contract', domains: [`acme-${unique()}.example`], size: '11-50' });
    const acmeToo = await expectStatus(201, 'rep', 'POST', '/api/companies', { name: 'ACME Contract Inc.' });
    await expectStatus(200, 'rep', 'GET', '/api/companies?q=acme');
    await expectStatus(200, 'rep', 'GET', `/api/companies/${acme.id}`);
    await expectStatus(200, 'rep', 'PATCH', `/api/companies/${acme.id}`, { industry: 'Anvils', tags: ['key'], reading: 'あくめ' });
    expect((await expectStatus(200, 'rep', 'GET', '/api/companies?q=akume')).items.map((c: { id: string }) => c.id)).toEqual([acme.id]);
    await expectStatus(200, 'rep', 'GET', `/api/companies/${jane.company.id}/timeline?limit=2`);
    await expectStatus(200, 'rep', 'GET', '/api/companies/duplicates');
    const companyMerge = await expectStatus(200, 'rep', 'POST', `/api/companies/${acme.id}/merge`, { from: [acmeToo.id] });
    await expectStatus(200, 'rep', 'POST', `/api/companies/merges/${companyMerge.merge.id}/undo`);

    // segments, the numbers, tidying
    const segment = await expectStatus(201, 'rep', 'POST', '/api/segments', {
      name: `Customers ${unique()}`,
      filter: { stage: 'customer', owner: 'me' },
    });
    await expectStatus(200, 'rep', 'GET', '/api/segments');
    await expectStatus(200, 'rep', 'GET', `/api/contacts?segment=${encodeURIComponent(segment.name)}`);
    await expectStatus(200, 'rep', 'GET', '/api/stats?period=month');

    // deals and the pipeline
    await expectStatus(200, 'rep', 'GET', '/api/pipeline');
    await expectStatus(200, 'admin', 'PUT', '/api/pipeline', {
      stages: [
        { key: 'qualified', name: 'Qualified', probability: 10 },
        { key: 'meeting', name: 'Meeting held', probability: 25 },
        { key: 'proposal', name: 'Proposal sent', probability: 50 },
        { key: 'negotiation', name: 'Negotiation', probability: 75 },
        { key: 'commit', name: 'Verbal yes', probability: 90 },
      ],
    });
    const deal = await expectStatus(201, 'rep', 'POST', '/api/deals', {
      name: 'Contract deal',
      company: { name: 'Contract Co' },
      amount: 120050,
      currency: 'USD',
      closeDate: '2026-12-31',
      contacts: [{ id: jane.id, role: 'decision_maker' }],
    });
    await expectStatus(200, 'rep', 'PATCH', `/api/deals/${deal.id}`, { stage: 'proposal' });
    await expectStatus(200, 'rep', 'GET', `/api/deals/${deal.id}`);
    await expectStatus(200, 'rep', 'GET', '/api/deals?owner=me&limit=1&status=all');
    await expectStatus(200, 'rep', 'GET', `/api/deals/${deal.id}/timeline`);
    await expectStatus(200, 'manager', 'GET', '/api/tidy?limit=5');
    await expectStatus(200, 'rep', 'POST', '/api/tidy/fix', { contactId: ownerless.id, fix: 'owner_me' });

    // the digest
    await expectStatus(200, 'manager', 'GET', '/api/me/digest');
    await expectStatus(200, 'manager', 'PATCH', '/api/me/digest', { enabled: true, time: '08:30', weekends: false });
    await expectStatus(200, 'manager', 'PUT', '/api/me/digest/segment', { segment: segment.id });
    await expectStatus(200, 'manager', 'PUT', '/api/me/digest/segment', { segment: null });
    await expectStatus(200, 'manager', 'GET', '/api/me/digest/status');
    await expectStatus(200, 'admin', 'PATCH', '/api/workspace/digest', { time: '09:00', replyWindowHours: 24 });
    await expectStatus(200, 'service', 'POST', '/api/slack/digests/claim', { workerId: 'contract', limit: 10 });
    await expectStatus(200, 'service', 'POST', '/api/slack/digests/finish', {
      workspaceId: ws.id,
      memberId: ws.manager.id,
      localDate: '2026-11-24',
      workerId: 'contract',
      outcome: 'sent',
      channel: 'D0DM',
      ts: '1700000000.000100',
    });
    await expectStatus(200, 'service', 'POST', '/api/jobs/digests');

    // mail at the rep's capture address, from the relay (raw MIME) and from Postmark (JSON)
    await expectStatus(200, 'rep', 'GET', '/api/me/capture');
    const capture = await expectStatus(200, 'rep', 'POST', '/api/me/capture/rotate');
    const relay = caller(app, undefined, { authorization: `Bearer ${INBOUND_SECRET}` });
    const mail = `From: ${ws.rep.email}\r\nTo: contract.mail@customer.example\r\nSubject: Contract\r\nMessage-ID: <contract-mime@ws.example>\r\n\r\nHello\r\n`;
    const mime = await relay('POST', '/inbound/mime', mail, { 'content-type': 'message/rfc822', 'x-rapport-recipient': capture.address });
    expect(mime.status, JSON.stringify(mime.body)).toBe(200);
    const postmark = await caller(app, undefined, { authorization: `Basic ${Buffer.from(`postmark:${INBOUND_SECRET}`).toString('base64')}` })(
      'POST',
      '/inbound/postmark',
      {
        From: ws.rep.email,
        To: 'contract.mail@customer.example',
        Subject: 'Contract',
        TextBody: 'Hello',
        MailboxHash: capture.secret,
        Date: '2026-11-20T00:00:00Z',
      },
    );
    expect(postmark.status, JSON.stringify(postmark.body)).toBe(200);

    // Gmail sync: the caller's mailbox, Google's consent page, choices, the admins' list and delegation, a pass, coming back, disconnecting
    await expectStatus(200, 'rep', 'GET', '/api/me/mailbox');
    const consent = await expectStatus(200, 'rep', 'POST', '/api/me/mailbox', { policy: 'known' });
    await expectStatus(200, 'rep', 'PATCH', '/api/me/mailbox', { visibility: 'subject', blockList: ['spam.example'] });
    await expectStatus(200, 'rep', 'POST', '/api/me/mailbox', { calendar: true });
    await expectStatus(200, 'rep', 'PATCH', '/api/me/mailbox', { calendar: false });
    await expectStatus(200, 'rep', 'GET', '/api/me/meetings');
    await expectStatus(404, 'rep', 'GET', '/api/me/meetings/00000000-0000-4000-8000-00000000b00f/brief');
    const meeting = await calendarEvent(t, ws.id, ws.rep.id, 'contract.mail@customer.example');
    await expectStatus(200, 'rep', 'GET', `/api/me/meetings/${meeting}/brief`);
    await expectStatus(200, 'rep', 'PUT', '/api/me/brief', { minutes: 10 });
    await expectStatus(200, 'rep', 'GET', '/api/me/working-hours');
    await expectStatus(200, 'rep', 'PUT', '/api/me/working-hours', { start: '09:00', end: '18:00' });
    await expectStatus(400, 'rep', 'PUT', '/api/me/working-hours', { start: '18:00', end: '09:00' });
    await expectStatus(200, 'rep', 'POST', '/api/me/signin-link', { next: '/account' });
    await expectStatus(400, 'rep', 'POST', '/api/me/signin-link', { next: '//evil.example' });
    // alerts: one's own settings, the reply window, a channel rule, its channel becoming shared, its removal
    await expectStatus(200, 'rep', 'GET', '/api/me/alerts');
    await expectStatus(200, 'rep', 'PUT', '/api/me/alerts', { kinds: { deal_won: 'off' }, days: [1, 2, 3] });
    await expectStatus(200, 'rep', 'GET', '/api/workspace/alerts');
    await expectStatus(200, 'admin', 'PATCH', '/api/workspace/alerts', { replyMinutes: 0 });
    const rule = await expectStatus(201, 'manager', 'POST', '/api/alert-rules', {
      channelId: 'C0ALERTS',
      kinds: ['waiting_reply'],
      filter: { teamOf: ws.manager.id },
    });
    await expectStatus(200, 'manager', 'GET', '/api/alert-rules');
    await expectStatus(200, 'service', 'POST', '/api/slack/alert-rules/stopped', { teamId: TEAM, channelId: 'C0ALERTS', reason: 'shared' });
    await expectStatus(200, 'manager', 'DELETE', `/api/alert-rules/${rule.id}`);
    await expectStatus(200, 'service', 'POST', '/api/slack/briefs/claim', { workerId: 'contract' });
    await expectStatus(200, 'service', 'POST', '/api/slack/briefs/nudges/claim', { workerId: 'contract' });
    await expectStatus(200, 'service', 'POST', '/api/slack/briefs/finish', { id: ws.rep.id, workerId: 'contract', outcome: 'sent' });
    // alerts (issue 19): a waiting-for-reply alert to the rep about an email, claimed, finished, then acted on
    const alerted = await expectStatus(201, 'rep', 'POST', '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-20T00:00:00Z',
      subject: 'Alert me',
      body: 'Please answer',
      source: 'gmail',
      externalId: '<contract-alert@customer.example>',
      participants: [{ role: 'from', email: 'contract.alert@customer.example' }],
    });
    const [alert] = await t.sql.query<{ id: string }>(
      // with its cause whole (the email and its contact), else the claim rightly skips it as gone
      `insert into crm.alerts (workspace_id, kind, member_id, stream, dedupe_key, due_at, interaction_id, contact_id, detail)
       select $1, 'waiting_reply', $2::uuid, 'dm:' || $2::text || ':waiting_reply', 'contract', now() - interval '1 minute', $3, p.contact_id, '{"windowMinutes": 0}'
       from crm.interaction_participants p where p.interaction_id = $3 and p.contact_id is not null limit 1 returning id::text`,
      [ws.id, ws.rep.id, alerted.id],
    );
    const claimed = (await expectStatus(200, 'service', 'POST', '/api/slack/alerts/claim', { workerId: 'contract' })).claimed as {
      id: string;
      items?: { id: string }[];
    }[];
    // this alert's own message, not whichever other alert of the run happened to be due
    const mine = claimed.filter((d) => d.items?.some((i) => i.id === alert!.id));
    expect(mine, JSON.stringify(await t.sql.query('select status, skip_reason from crm.alerts where id = $1', [alert!.id]))).toHaveLength(1);
    await expectStatus(200, 'service', 'POST', '/api/slack/alerts/finish', { id: mine[0]!.id, workerId: 'contract', outcome: 'sent' });
    await expectStatus(200, 'rep', 'POST', `/api/alerts/${alert!.id}/assign`);
    await expectStatus(200, 'rep', 'POST', `/api/alerts/${alert!.id}/snooze`, { minutes: 30 });
    await expectStatus(200, 'rep', 'POST', `/api/alerts/${alert!.id}/done`);
    await expectStatus(200, 'rep', 'GET', '/api/me/meetings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    await expectStatus(400, 'rep', 'GET', '/api/me/meetings?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    await expectStatus(200, 'admin', 'POST', '/api/mailboxes/delegated', { memberIds: [ws.rep2.id] });
    await expectStatus(200, 'admin', 'GET', '/api/mailboxes');
    await expectStatus(200, 'service', 'POST', '/api/jobs/mailboxes');
    const state = new URL(consent.authorizeUrl).searchParams.get('state') ?? '';
    await expectStatus(200, 'rep', 'GET', `/google/oauth_callback?error=access_denied&state=${encodeURIComponent(state)}`);
    const link = reconnectQuery(AUTHZ_GMAIL.serverKey, { workspaceId: ws.id, memberId: ws.rep.id }, Math.floor(Date.now() / 1000) + 600);
    await expectStatus(302, 'rep', 'GET', `/google/connect?${link}`);
    await expectStatus(200, 'rep', 'DELETE', '/api/me/mailbox');

    // the caller and the workspace's members
    await expectStatus(200, 'rep', 'GET', '/api/me');
    await expectStatus(200, 'rep', 'PATCH', '/api/me', { locale: 'ja' });
    await expectStatus(200, 'admin', 'DELETE', `/api/members/${ws.rep2.id}/identities/slack`);
    await expectStatus(200, 'rep', 'GET', '/api/members');
    await expectStatus(200, 'rep', 'POST', '/api/me/welcome');
    const leaver = await expectStatus(201, 'admin', 'POST', '/api/members', { email: `leaver@${ws.domain}`, name: 'Leaver', managerId: ws.manager.id });
    await expectStatus(200, 'admin', 'PATCH', `/api/members/${leaver.id}`, { role: 'manager', timezone: 'Asia/Tokyo' });
    await expectStatus(200, 'admin', 'POST', `/api/members/${leaver.id}/deactivate`, { reassignTo: ws.rep.id });
    await expectStatus(200, 'admin', 'POST', `/api/members/${leaver.id}/reactivate`);
    await expectStatus(200, 'rep', 'GET', '/api/workspace');
    await expectStatus(200, 'admin', 'PATCH', '/api/workspace', { joinPolicy: 'domains', joinDomains: [ws.domain] });
    const token = await expectStatus(201, 'rep', 'POST', '/api/tokens', { label: 'contract', expiresInDays: 7 });
    await expectStatus(200, 'rep', 'GET', '/api/tokens');
    await expectStatus(200, 'rep', 'DELETE', `/api/tokens/${token.id}`);

    // imports and exports
    await expectStatus(200, 'rep', 'POST', '/api/imports', { csv: 'Name,Email\nDry Run,dry@import-co.example\n', dryRun: true });
    await expectStatus(201, 'rep', 'POST', '/api/imports', { csv: 'Name,Email,Company\nIma Port,ima@import-co.example,Import Co\n' });
    const csv = await caller(app, ws.manager.token)('GET', '/api/contacts/export');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    await expectStatus(200, 'manager', 'GET', '/api/contacts/export?format=json');

    // a person's data rights, last: erasure takes the contact with it
    await expectStatus(200, 'admin', 'GET', `/api/contacts/${jane.id}/export`);
    await expectStatus(200, 'admin', 'DELETE', `/api/contacts/${jane.id}?erase=true`);
    await expectStatus(200, 'rep', 'DELETE', `/api/segments/${segment.id}`);
    await expectStatus(200, 'service', 'DELETE', `/api/slack/installations/teams/${TEAM}?reason=admin`);

    // every success the document declares was answered, and held to its schema, on this database
    expect(
      contract()
        .successes()
        .filter((s) => !contract().seen.has(s)),
    ).toEqual([]);
  });
});

/** A meeting with an outsider in the member's calendar, as Calendar sync leaves it (the mailbox and calendar rows too, when absent). */
async function calendarEvent(t: TestDb, workspaceId: string, memberId: string, guest: string): Promise<string> {
  const [mb] = await t.sql.query<{ id: string }>(
    `with made as (insert into crm.mailboxes (workspace_id, member_id) select $1, $2
       where not exists (select 1 from crm.mailboxes where workspace_id = $1 and member_id = $2) returning id)
     select id::text from made union all select id::text from crm.mailboxes where workspace_id = $1 and member_id = $2`,
    [workspaceId, memberId],
  );
  const [cal] = await t.sql.query<{ id: string }>(
    `with made as (insert into crm.calendars (workspace_id, member_id, mailbox_id) select $1, $2, $3
       where not exists (select 1 from crm.calendars where workspace_id = $1 and member_id = $2) returning id)
     select id::text from made union all select id::text from crm.calendars where workspace_id = $1 and member_id = $2`,
    [workspaceId, memberId, mb!.id],
  );
  const [ev] = await t.sql.query<{ id: string }>(
    `insert into crm.calendar_events (workspace_id, calendar_id, member_id, event_id, meeting_key, start_at, end_at, title, attendees, attendee_emails, external_emails)
     values ($1, $2, $3, 'contract-ev', 'contract-ev@google.com', now() + interval '1 day', now() + interval '25 hours', 'Contract review',
       jsonb_build_array(jsonb_build_object('email', $4::text, 'name', 'Guest', 'role', 'accepted')), array[$4::text], array[$4::text])
     returning id::text`,
    [workspaceId, cal!.id, memberId, guest],
  );
  return ev!.id;
}
