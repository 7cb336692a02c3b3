import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { insertDeal } from '../support/deal-rows.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * Bad input gets a 4xx whose message names what was wrong, never a 500, and
 * changes nothing in the database.
 */
describe('bad input', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  let app: ReturnType<typeof createApp>;
  let contactId: string;
  let followUpId: string;
  let dealId: string;
  let companyId: string;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await openTestDb('pglite');
    app = createApp({ db: t.db, logError: (_ref, e) => errors.push(e) });
    ws = await makeWorkspace(t.sql, t.db);
    const rep = caller(app, ws.rep.token);
    contactId = (await rep('POST', '/api/contacts', { name: 'Existing', emails: ['existing@customer.example'] })).body.id;
    followUpId = (await rep('POST', '/api/follow-ups', { contactId, dueAt: '2026-12-01T00:00:00Z' })).body.id;
    dealId = await insertDeal(t.sql, ws.id, { owner: ws.rep.id, amount: 1000, currency: 'USD' });
    companyId = (await rep('GET', `/api/contacts/${contactId}`)).body.company.id;
  });
  afterAll(async () => {
    await t.close();
    expect(errors).toEqual([]);
  });

  const validCapture = {
    kind: 'email',
    occurredAt: '2026-11-24T00:00:00Z',
    source: 'gmail',
    externalId: '<ok@x>',
    participants: [{ role: 'from', email: 'a@customer.example' }],
  };

  const cases: [string, string, string, unknown, number, string, string?][] = [
    // [label, method, path, body, status, code, field named in the message]
    ['unknown field', 'POST', '/api/contacts', { name: 'X', emails: [], favouriteColour: 'blue' }, 400, 'invalid_request', 'favouriteColour'],
    ['missing name', 'POST', '/api/contacts', { emails: ['x@y.example'] }, 400, 'invalid_request', 'name'],
    ['blank name', 'POST', '/api/contacts', { name: '   ' }, 400, 'invalid_request', 'name'],
    ['name of wrong type', 'POST', '/api/contacts', { name: 42 }, 400, 'invalid_request', 'name'],
    ['not an email', 'POST', '/api/contacts', { name: 'X', emails: ['not-an-email'] }, 400, 'invalid_request', 'emails.0'],
    ['huge name', 'POST', '/api/contacts', { name: 'x'.repeat(5000) }, 400, 'invalid_request', 'name'],
    ['NUL in a name', 'POST', '/api/contacts', { name: 'a\u0000b' }, 400, 'invalid_request', 'name'],
    ['bad stage', 'POST', '/api/contacts', { name: 'X', stage: 'won' }, 400, 'invalid_request', 'stage'],
    ['bad timezone', 'POST', '/api/contacts', { name: 'X', timezone: 'Mars/Olympus' }, 400, 'invalid_request', 'timezone'],
    ['nested custom value', 'POST', '/api/contacts', { name: 'X', custom: { a: { b: 1 } } }, 400, 'invalid_request', 'custom.a'],
    ['bad company domain', 'POST', '/api/contacts', { name: 'X', company: { domain: 'not a domain' } }, 400, 'invalid_request', 'company.domain'],
    ['unknown owner', 'POST', '/api/contacts', { name: 'X', ownerEmail: 'nobody@nowhere.example' }, 400, 'member_unknown', 'nobody@nowhere.example'],
    ['array body', 'POST', '/api/contacts', [1, 2], 400, 'invalid_request'],
    ['malformed JSON', 'POST', '/api/contacts', '{"name": "X",', 400, 'malformed_json'],
    [
      'deeply nested JSON',
      'POST',
      '/api/contacts',
      JSON.parse(`{"name":"X","custom":${'{"a":'.repeat(500)}1${'}'.repeat(500)}}`),
      400,
      'invalid_request',
      'custom',
    ],
    ['bad id in path', 'GET', '/api/contacts/not-an-id', undefined, 400, 'invalid_request', 'id'],
    ['SQL in an id', 'GET', "/api/contacts/1'%20or%20'1'='1", undefined, 400, 'invalid_request', 'id'],
    ['unknown contact', 'GET', '/api/contacts/00000000-0000-4000-8000-00000000dead', undefined, 404, 'contact_not_found'],
    ['lookup without email', 'GET', '/api/contacts/lookup', undefined, 400, 'invalid_request', 'email'],
    ['unknown query parameter', 'GET', '/api/contacts?colour=red', undefined, 400, 'invalid_request', 'colour'],
    ['meetings from not a time', 'GET', '/api/me/meetings?from=tomorrow', undefined, 400, 'invalid_request', 'from'],
    ['meetings to without an offset', 'GET', '/api/me/meetings?to=2026-12-01T00:00:00', undefined, 400, 'invalid_request', 'to'],
    [
      'meetings over too long a range',
      'GET',
      '/api/me/meetings?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z',
      undefined,
      400,
      'meetings_range_invalid',
      'to',
    ],
    [
      'meetings ending before they start',
      'GET',
      '/api/me/meetings?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      undefined,
      400,
      'meetings_range_invalid',
      'to',
    ],
    ['meetings with an unknown parameter', 'GET', '/api/me/meetings?member=x', undefined, 400, 'invalid_request', 'member'],
    ['meeting brief of a malformed id', 'GET', '/api/me/meetings/not-an-id/brief', undefined, 400, 'invalid_request', 'id'],
    ['working hours not a time', 'PUT', '/api/me/working-hours', { start: '9am', end: '18:00' }, 400, 'invalid_request', 'start'],
    ['sign-in link to another host', 'POST', '/api/me/signin-link', { next: '//evil.example/c/1' }, 400, 'invalid_request', 'next'],
    ['sign-in link to a full URL', 'POST', '/api/me/signin-link', { next: 'https://evil.example' }, 400, 'invalid_request', 'next'],
    ['working hours end missing', 'PUT', '/api/me/working-hours', { start: '09:00' }, 400, 'invalid_request', 'end'],
    ['working hours ending before they start', 'PUT', '/api/me/working-hours', { start: '18:00', end: '09:00' }, 400, 'working_hours_invalid', 'end'],
    ['working hours with one side null', 'PUT', '/api/me/working-hours', { start: null, end: '18:00' }, 400, 'working_hours_invalid', 'end'],
    ['brief minutes too many', 'PUT', '/api/me/brief', { minutes: 121 }, 400, 'invalid_request', 'minutes'],
    ['brief minutes not a number', 'PUT', '/api/me/brief', { minutes: 'off' }, 400, 'invalid_request', 'minutes'],
    ['brief minutes missing', 'PUT', '/api/me/brief', {}, 400, 'invalid_request', 'minutes'],
    ['calendar of wrong type', 'PATCH', '/api/me/mailbox', { calendar: 'yes' }, 400, 'invalid_request', 'calendar'],
    ['limit out of range', 'GET', '/api/contacts?limit=100000', undefined, 400, 'invalid_request', 'limit'],
    ['limit not a number', 'GET', '/api/contacts?limit=abc', undefined, 400, 'invalid_request', 'limit'],
    ['forged cursor', 'GET', `/api/contacts?cursor=${Buffer.from('{"k":1}').toString('base64url')}`, undefined, 400, 'invalid_cursor'],
    [
      'timeline forged cursor',
      'GET',
      `/api/contacts/${'00000000-0000-4000-8000-000000000001'}/timeline?cursor=eyJhdCI6Inh4In0`,
      undefined,
      400,
      'invalid_cursor',
    ],
    ['company: unknown', 'GET', '/api/companies/00000000-0000-4000-8000-00000000dead', undefined, 404, 'company_not_found'],
    ['company: bad id', 'GET', '/api/companies/acme', undefined, 400, 'invalid_request', 'id'],
    ['company: blank name', 'POST', '/api/companies', { name: '  ' }, 400, 'invalid_request', 'name'],
    ['company: bad size', 'POST', '/api/companies', { name: 'X', size: 'huge' }, 400, 'invalid_request', 'size'],
    ['company: bad domain', 'POST', '/api/companies', { name: 'X', domains: ['not a domain'] }, 400, 'invalid_request', 'domains.0'],
    ['company: free-mail domain', 'POST', '/api/companies', { name: 'X', domains: ['gmail.com'] }, 400, 'company_domain_free_mail', 'gmail.com'],
    ['company: domain taken', 'POST', '/api/companies', { name: 'X', domains: ['customer.example'] }, 409, 'company_domain_taken', 'customer.example'],
    ['company: unknown owner', 'PATCH', '/api/companies/:company', { ownerEmail: 'nobody@nowhere.example' }, 400, 'member_unknown', 'nobody@nowhere.example'],
    ['company: patch unknown field', 'PATCH', '/api/companies/:company', { revenue: 1 }, 400, 'invalid_request', 'revenue'],
    ['company: search limit', 'GET', '/api/companies?limit=0', undefined, 400, 'invalid_request', 'limit'],
    ['company: forged cursor', 'GET', `/api/companies?cursor=${Buffer.from('{"k":1}').toString('base64url')}`, undefined, 400, 'invalid_cursor'],
    [
      'company timeline: a contact timeline cursor of a follow-up',
      'GET',
      `/api/companies/:company/timeline?cursor=${Buffer.from('{"at":"2026-11-24T00:00:00+00:00","key":"f:00000000-0000-4000-8000-000000000001"}').toString('base64url')}`,
      undefined,
      400,
      'invalid_cursor',
    ],
    ['company merge: nothing to merge', 'POST', '/api/companies/:company/merge', { from: [] }, 400, 'invalid_request', 'from'],
    ['company merge: into itself', 'POST', '/api/companies/:company/merge', { from: [':company'] }, 400, 'merge_into_itself'],
    ['company merge: unknown', 'POST', '/api/companies/:company/merge', { from: ['00000000-0000-4000-8000-00000000dead'] }, 404, 'company_not_found'],
    ['company merge undo: unknown', 'POST', '/api/companies/merges/00000000-0000-4000-8000-00000000dead/undo', undefined, 404, 'merge_not_found'],
    ['patch unknown field', 'PATCH', '/api/contacts/:contact', { nickname: 'J' }, 400, 'invalid_request', 'nickname'],
    ['patch empty emails', 'PATCH', '/api/contacts/:contact', { emails: [] }, 400, 'invalid_request', 'emails'],
    ['capture: wrong kind', 'POST', '/api/interactions', { ...validCapture, kind: 'fax' }, 400, 'invalid_request', 'kind'],
    ['capture: date out of range', 'POST', '/api/interactions', { ...validCapture, occurredAt: '9999-01-01T00:00:00Z' }, 400, 'invalid_request', 'occurredAt'],
    ['capture: date without offset', 'POST', '/api/interactions', { ...validCapture, occurredAt: '2026-11-24 10:00' }, 400, 'invalid_request', 'occurredAt'],
    ['capture: no external id', 'POST', '/api/interactions', { ...validCapture, externalId: '' }, 400, 'invalid_request', 'externalId'],
    [
      'capture: participant without address',
      'POST',
      '/api/interactions',
      { ...validCapture, participants: [{ role: 'from', name: 'Nobody' }] },
      400,
      'invalid_request',
      'participants.0',
    ],
    [
      'capture: participant role',
      'POST',
      '/api/interactions',
      { ...validCapture, participants: [{ role: 'bcc', email: 'a@b.example' }] },
      400,
      'invalid_request',
      'participants.0.role',
    ],
    ['capture: javascript url', 'POST', '/api/interactions', { ...validCapture, url: 'javascript:alert(1)' }, 400, 'invalid_request', 'url'],
    ['capture: participants missing', 'POST', '/api/interactions', { ...validCapture, participants: undefined }, 400, 'invalid_request', 'participants'],
    [
      'follow-up: unknown contact',
      'POST',
      '/api/follow-ups',
      { contactId: '00000000-0000-4000-8000-00000000dead', dueAt: '2026-12-01T00:00:00Z' },
      404,
      'contact_not_found',
    ],
    ['follow-up: bad due', 'POST', '/api/follow-ups', { contactId: ':contact', dueAt: 'tomorrow' }, 400, 'invalid_request', 'dueAt'],
    [
      'follow-up: unknown source interaction',
      'POST',
      '/api/follow-ups',
      { contactId: ':contact', dueAt: '2026-12-01T00:00:00Z', sourceInteractionId: '00000000-0000-4000-8000-00000000dead' },
      404,
      'interaction_not_found',
    ],
    ['follow-up patch: nothing', 'PATCH', '/api/follow-ups/:followUp', {}, 400, 'invalid_request'],
    ['follow-up patch: bad status', 'PATCH', '/api/follow-ups/:followUp', { status: 'maybe' }, 400, 'invalid_request', 'status'],
    ['follow-ups: bad due filter', 'GET', '/api/follow-ups?due=yesterday', undefined, 400, 'invalid_request', 'due'],
    ['no such route', 'GET', '/api/nowhere', undefined, 404, 'route_not_found', '/api/nowhere'],
    // deals and the pipeline
    ['deal: no name', 'POST', '/api/deals', { amount: 100, currency: 'USD' }, 400, 'invalid_request', 'name'],
    ['deal: negative amount', 'POST', '/api/deals', { name: 'D', amount: -1, currency: 'USD' }, 400, 'invalid_request', 'amount'],
    ['deal: fractional amount', 'POST', '/api/deals', { name: 'D', amount: 12.5, currency: 'USD' }, 400, 'invalid_request', 'amount'],
    ['deal: amount over 10^15', 'POST', '/api/deals', { name: 'D', amount: 2 ** 60, currency: 'USD' }, 400, 'invalid_request', 'amount'],
    ['deal: amount without currency', 'POST', '/api/deals', { name: 'D', amount: 100 }, 400, 'invalid_request', 'currency'],
    ['deal: lower-case currency', 'POST', '/api/deals', { name: 'D', amount: 100, currency: 'usd' }, 400, 'invalid_request', 'currency'],
    ['deal: close date not a day', 'POST', '/api/deals', { name: 'D', closeDate: '2026-02-30' }, 400, 'invalid_request', 'closeDate'],
    ['deal: stage not in the pipeline', 'POST', '/api/deals', { name: 'D', stage: 'closing' }, 400, 'deal_stage_unknown', 'closing'],
    ['deal: stage not a key', 'POST', '/api/deals', { name: 'D', stage: 'Proposal Sent' }, 400, 'invalid_request', 'stage'],
    ['deal: bad contact role', 'POST', '/api/deals', { name: 'D', contacts: [{ id: ':contact', role: 'boss' }] }, 400, 'invalid_request', 'contacts.0.role'],
    ['deal: unknown contact', 'POST', '/api/deals', { name: 'D', contacts: [{ id: '00000000-0000-4000-8000-00000000dead' }] }, 404, 'contact_not_found'],
    ['deal: unknown company', 'POST', '/api/deals', { name: 'D', companyId: '00000000-0000-4000-8000-00000000dead' }, 404, 'company_not_found'],
    ['deal: unknown owner', 'POST', '/api/deals', { name: 'D', ownerId: '00000000-0000-4000-8000-00000000dead' }, 400, 'deal_owner_unknown', 'ownerId'],
    ['deal: unknown deal', 'GET', '/api/deals/00000000-0000-4000-8000-00000000dead', undefined, 404, 'deal_not_found'],
    ['deal: bad id', 'GET', '/api/deals/not-an-id', undefined, 400, 'invalid_request', 'id'],
    ['deal patch: nothing', 'PATCH', '/api/deals/00000000-0000-4000-8000-00000000dead', {}, 400, 'invalid_request'],
    ['deal patch: bad status', 'PATCH', '/api/deals/00000000-0000-4000-8000-00000000dead', { status: 'maybe' }, 400, 'invalid_request', 'status'],
    ['deals: bad status filter', 'GET', '/api/deals?status=closed', undefined, 400, 'invalid_request', 'status'],
    ['deals: bad owner filter', 'GET', '/api/deals?owner=someone', undefined, 400, 'invalid_request', 'owner'],
    ['deals: bad closing day', 'GET', '/api/deals?closingBefore=soon', undefined, 400, 'invalid_request', 'closingBefore'],
    ['deals: forged cursor', 'GET', `/api/deals?cursor=${Buffer.from('{"at":1}').toString('base64url')}`, undefined, 400, 'invalid_cursor'],
    [
      'deal timeline: forged cursor',
      'GET',
      '/api/deals/00000000-0000-4000-8000-000000000001/timeline?cursor=eyJhdCI6Inh4In0',
      undefined,
      400,
      'invalid_cursor',
    ],
    ['pipeline: not an admin', 'PUT', '/api/pipeline', { stages: [{ name: 'Only', probability: 10 }] }, 403, 'admin_only'],
    ['pipeline: probability over 100', 'PUT', '/api/pipeline', { stages: [{ name: 'S', probability: 101 }] }, 400, 'invalid_request', 'stages.0.probability'],
    ['pipeline: no stages', 'PUT', '/api/pipeline', { stages: [] }, 400, 'invalid_request', 'stages'],
    ['deal snooze: zero days', 'POST', '/api/deals/:deal/snooze', { days: 0 }, 400, 'invalid_request', 'days'],
    ['deal snooze: over 90 days', 'POST', '/api/deals/:deal/snooze', { days: 91 }, 400, 'invalid_request', 'days'],
    ['deal snooze: part of a day', 'POST', '/api/deals/:deal/snooze', { days: 1.5 }, 400, 'invalid_request', 'days'],
    ['deal snooze: days as text', 'POST', '/api/deals/:deal/snooze', { days: '7' }, 400, 'invalid_request', 'days'],
    ['deal snooze: unknown field', 'POST', '/api/deals/:deal/snooze', { until: 'friday' }, 400, 'invalid_request', 'until'],
    ['deal snooze: not an id', 'POST', '/api/deals/not-a-deal/snooze', {}, 400, 'invalid_request', 'id'],
    ['deal snooze: no such deal', 'POST', '/api/deals/00000000-0000-4000-8000-000000000000/snooze', {}, 404, 'deal_not_found'],
    // alerts (issue 19): one's own settings, the reply window, channel rules
    ['alerts: unknown kind', 'PUT', '/api/me/alerts', { kinds: { nope: 'dm' } }, 400, 'invalid_request', 'kinds.nope'],
    [
      'alerts: the add-on line is no message',
      'PUT',
      '/api/me/alerts',
      { kinds: { already_answered: 'off' } },
      400,
      'invalid_request',
      'kinds.already_answered',
    ],
    ['alerts: neither dm nor off', 'PUT', '/api/me/alerts', { kinds: { deal_won: 'email' } }, 400, 'invalid_request', 'kinds.deal_won'],
    ['alerts: day 8', 'PUT', '/api/me/alerts', { days: [8] }, 400, 'invalid_request', 'days.0'],
    ['alerts: no day', 'PUT', '/api/me/alerts', { days: [] }, 400, 'invalid_request', 'days'],
    ['alerts: empty tag', 'PUT', '/api/me/alerts', { tags: [' '] }, 400, 'invalid_request', 'tags.0'],
    ['alerts: nothing to change', 'PUT', '/api/me/alerts', {}, 400, 'invalid_request'],
    ['alerts: hours the wrong way round', 'PUT', '/api/me/alerts', { hours: { start: '18:00', end: '09:00' } }, 400, 'working_hours_invalid'],
    ['reply window: not an admin', 'PATCH', '/api/workspace/alerts', { replyMinutes: 60 }, 403, 'admin_only'],
    ['reply window: over a week', 'PATCH', '/api/workspace/alerts', { replyMinutes: 10081 }, 400, 'invalid_request', 'replyMinutes'],
    ['alert rule: a rep', 'POST', '/api/alert-rules', { channelId: 'C0SALES', kinds: ['deal_won'] }, 403, 'alert_rules_managers_only'],
    ['alert rule: unknown kind', 'POST', '/api/alert-rules', { channelId: 'C0SALES', kinds: ['deal_maybe'] }, 400, 'invalid_request', 'kinds.0'],
    ['alert rule: not a channel', 'POST', '/api/alert-rules', { channelId: 'general', kinds: ['deal_won'] }, 400, 'invalid_request', 'channelId'],
    ['alert rules: a rep', 'GET', '/api/alert-rules', undefined, 403, 'alert_rules_managers_only'],
    ['alert rule: no such rule', 'DELETE', '/api/alert-rules/00000000-0000-4000-8000-000000000000', undefined, 404, 'alert_rule_not_found'],
    ['alert rule: not an id', 'DELETE', '/api/alert-rules/not-a-rule', undefined, 400, 'invalid_request', 'id'],
    ['alert snooze: under 15 minutes', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', { minutes: 14 }, 400, 'invalid_request', 'minutes'],
    ['alert snooze: over a week', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', { minutes: 10081 }, 400, 'invalid_request', 'minutes'],
    ['alert snooze: part of a minute', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', { minutes: 30.5 }, 400, 'invalid_request', 'minutes'],
    ['alert snooze: minutes as text', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', { minutes: '60' }, 400, 'invalid_request', 'minutes'],
    ['alert snooze: no minutes', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', {}, 400, 'invalid_request', 'minutes'],
    [
      'alert snooze: unknown field',
      'POST',
      '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze',
      { minutes: 60, until: 'friday' },
      400,
      'invalid_request',
      'until',
    ],
    ['alert snooze: no such alert', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/snooze', { minutes: 60 }, 404, 'alert_not_found'],
    ['alert done: not an id', 'POST', '/api/alerts/not-an-alert/done', undefined, 400, 'invalid_request', 'id'],
    ['alert done: no such alert', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/done', undefined, 404, 'alert_not_found'],
    ['alert assign: not an id', 'POST', '/api/alerts/1/assign', undefined, 400, 'invalid_request', 'id'],
    ['alert assign: no such alert', 'POST', '/api/alerts/00000000-0000-4000-8000-0000000a1e47/assign', undefined, 404, 'alert_not_found'],
  ];

  it.each(cases)('%s', async (_label, method, rawPath, rawBody, status, code, named) => {
    const path = rawPath.replace(':contact', contactId).replace(':followUp', followUpId).replace(':company', companyId).replace(':deal', dealId);
    const body =
      JSON.parse(
        JSON.stringify(rawBody ?? null)
          ?.replace('":contact"', JSON.stringify(contactId))
          .replace('":company"', JSON.stringify(companyId)) ?? 'null',
      ) ?? undefined;
    const before = await tableDigest(t.sql);
    const res = await caller(app, ws.rep.token)(method, path, typeof rawBody === 'string' ? rawBody : body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    if (named) expect(res.body.error.message).toContain(named);
    expect(await tableDigest(t.sql)).toBe(before);
  });

  it('answers 413 to a body over 1 MB and stores nothing', async () => {
    const before = await tableDigest(t.sql);
    const res = await caller(app, ws.rep.token)('POST', '/api/interactions', { ...validCapture, body: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await tableDigest(t.sql)).toBe(before);
  });

  it('rolls a capture back whole when the database refuses its last participant: no interaction, no half-made contacts', async () => {
    // a fault injected into this test's own database: the third participant row is refused
    await t.sql.exec(`alter table crm.interaction_participants add constraint test_fault check (address is distinct from 'explode@brand-new.example')`);
    try {
      const before = await tableDigest(t.sql);
      const res = await caller(app, ws.rep.token)('POST', '/api/interactions', {
        ...validCapture,
        externalId: '<partial@x>',
        participants: [
          { role: 'from', email: 'first.new@brand-new.example' },
          { role: 'to', email: 'second.new@other-new.example' },
          { role: 'cc', email: 'explode@brand-new.example' },
        ],
      });
      expect(res.status).toBe(400);
      expect(await tableDigest(t.sql)).toBe(before);
    } finally {
      await t.sql.exec('alter table crm.interaction_participants drop constraint test_fault');
    }
  });

  it('names an auto-created contact from a very long address without breaking the 300-character limit', async () => {
    const local = 'z'.repeat(305);
    const res = await caller(app, ws.rep.token)('POST', '/api/interactions', {
      ...validCapture,
      externalId: '<long@x>',
      participants: [{ role: 'from', email: `${local}@long.example` }],
    });
    expect(res.status).toBe(201);
    const contact = await caller(app, ws.rep.token)('GET', `/api/contacts/lookup?email=${local}@long.example`);
    expect(contact.body.name).toHaveLength(300);
  });

  it('keeps stored text inert: HTML and SQL fragments come back exactly as sent', async () => {
    const nasty = `<script>alert(1)</script> '); drop table crm.contacts; -- ‮ \u200b`;
    const res = await caller(app, ws.rep.token)('POST', '/api/contacts', { name: nasty, emails: ['nasty+tag@例え.jp'] });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(nasty.trim());
    expect(res.body.emails).toEqual(['nasty+tag@例え.jp']);
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});
