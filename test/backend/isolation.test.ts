import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { AUTHZ_GMAIL } from '../support/authz-policy.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { servedRoutes } from '../support/doc-routes.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { tableDigest } from '../support/table-digest.js';

/**
 * A member of workspace B, with a valid token, aims every /api route at
 * workspace A's records: each answer is 404 (or an empty list), never A's
 * content, and nothing of A's changes.
 */
const documentedRoutes = await servedRoutes();
const INBOUND = 'log@in.example.com';
const INBOUND_SECRET = 'isolation-inbound-secret-'.padEnd(48, 'x');

describe.each(ADAPTERS)('workspace isolation on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let b: TestWorkspace;
  const ids = { contact: '', interaction: '', followUp: '', token: '', deal: '', company: '', alertRule: '', alert: '' };
  const SECRET_WORD = 'Zanzibar-confidential';

  const segmentOfA = { id: '' };
  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, inbound: { address: INBOUND, secret: INBOUND_SECRET }, gmail: AUTHZ_GMAIL });
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    const asA = caller(app, a.rep.token);
    // A's rep syncs Gmail: B's routes above must never reach that mailbox
    await t.db.callAnonymous('mailbox_connected', {
      workspaceId: a.id,
      memberId: a.rep.id,
      address: a.rep.email,
      mode: 'oauth',
      sealedToken: 'v1:a',
      scopes: [],
    });
    ids.contact = (await asA('POST', '/api/contacts', { name: `${SECRET_WORD} Person`, emails: ['shared.person@customer.example'], tags: ['t'] })).body.id;
    ids.interaction = (
      await asA('POST', '/api/interactions', {
        kind: 'email',
        occurredAt: '2026-11-20T00:00:00Z',
        subject: SECRET_WORD,
        body: SECRET_WORD,
        source: 'gmail',
        externalId: '<shared-message@customer.example>',
        participants: [{ role: 'from', email: 'shared.person@customer.example' }],
      })
    ).body.id;
    ids.followUp = (await asA('POST', '/api/follow-ups', { contactId: ids.contact, dueAt: '2026-11-01T00:00:00Z', note: SECRET_WORD })).body.id;
    // A's company, named with the secret word, holding a second domain
    ids.company = (await asA('POST', '/api/companies', { name: `${SECRET_WORD} Corp`, domains: ['zanzibar-iso.example'] })).body.id;
    // A's Slack team captures a channel into A's contact
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ('T0AAAA', $1)`, [a.id]);
    await asA('PUT', '/api/channel-links/T0AAAA/C0AAAA', { channelName: SECRET_WORD, contactId: ids.contact });
    // A's saved segment, its filter holding the secret word (segments, stats and tidy)
    const made = await asA('POST', '/api/segments', { name: 'Shared name', filter: { tag: 't', custom: { note: SECRET_WORD } } });
    segmentOfA.id = made.body.id;
    // A's token, labelled with the secret word
    ids.token = (await asA('POST', '/api/tokens', { label: SECRET_WORD })).body.id;
    // A's deal, named with the secret word, with A's contact on it
    ids.deal = (await asA('POST', '/api/deals', { name: `${SECRET_WORD} deal`, contacts: [{ id: ids.contact }] })).body.id;
    // A's channel rule, its channel named with the secret word (this app has no Slack to ask, so it is written directly)
    ids.alertRule = (
      await t.sql.query<{ id: string }>(
        `insert into crm.alert_rules (workspace_id, team_id, channel_id, channel_name, kinds, tag, created_by) values ($1, 'T0AAAA', 'C0AAAA', $2, '{deal_won}', $2, $3) returning id`,
        [a.id, SECRET_WORD, a.rep.id],
      )
    )[0]!.id;
    // an alert to A's manager about A's deal (the buttons' routes act on it)
    await t.sql.query(`select crm.alert_emit($1, 'deal_won', 'iso:won', now(), array[$2]::uuid[], $3::jsonb)`, [
      a.id,
      a.manager.id,
      JSON.stringify({ dealId: ids.deal, contactId: ids.contact, detail: { reason: SECRET_WORD } }),
    ]);
    ids.alert = (await t.sql.query<{ id: string }>(`select id::text from crm.alerts where workspace_id = $1 and dedupe_key like 'iso:won%'`, [a.id]))[0]!.id;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  // one request per documented /api route, aimed at A's ids
  const attempts: Record<string, () => [string, string, unknown?]> = {
    'get /api/me': () => ['GET', '/api/me'],
    'patch /api/me': () => ['PATCH', '/api/me', { locale: 'ja' }],
    'get /api/contacts': () => ['GET', `/api/contacts?q=${SECRET_WORD}`],
    'post /api/contacts': () => ['POST', '/api/contacts', { name: 'B person', emails: ['shared.person@customer.example'] }],
    'get /api/contacts/lookup': () => ['GET', '/api/contacts/lookup?email=shared.person@customer.example'],
    'get /api/contacts/{id}': () => ['GET', `/api/contacts/${ids.contact}`],
    'patch /api/contacts/{id}': () => ['PATCH', `/api/contacts/${ids.contact}`, { name: 'Taken over' }],
    'get /api/contacts/{id}/timeline': () => ['GET', `/api/contacts/${ids.contact}/timeline`],
    'post /api/interactions': () => [
      'POST',
      '/api/interactions',
      {
        kind: 'email',
        occurredAt: '2026-11-21T00:00:00Z',
        source: 'gmail',
        externalId: '<shared-message@customer.example>',
        participants: [{ role: 'from', email: 'shared.person@customer.example' }],
      },
    ],
    'get /api/interactions/{id}': () => ['GET', `/api/interactions/${ids.interaction}`],
    'get /api/follow-ups': () => ['GET', `/api/follow-ups?owner=${encodeURIComponent(a.rep.email)}`],
    'post /api/follow-ups': () => ['POST', '/api/follow-ups', { contactId: ids.contact, dueAt: '2026-12-01T00:00:00Z' }],
    'patch /api/follow-ups/{id}': () => ['PATCH', `/api/follow-ups/${ids.followUp}`, { status: 'done' }],
    'get /api/me/activity': () => ['GET', '/api/me/activity'],
    'get /api/me/digest': () => ['GET', '/api/me/digest'],
    'patch /api/me/digest': () => ['PATCH', '/api/me/digest', { enabled: true, time: '07:30' }],
    'get /api/me/digest/status': () => ['GET', '/api/me/digest/status'],
    'patch /api/workspace/digest': () => ['PATCH', '/api/workspace/digest', { time: '06:00', whenEmpty: 'skip' }],
    'get /api/channel-links': () => ['GET', '/api/channel-links'],
    'put /api/channel-links/{teamId}/{channelId}': () => ['PUT', '/api/channel-links/T0AAAA/C0AAAA', { contactId: ids.contact }],
    'delete /api/channel-links/{teamId}/{channelId}': () => ['DELETE', '/api/channel-links/T0AAAA/C0AAAA'],
    'post /api/gmail/context': () => [
      'POST',
      '/api/gmail/context',
      {
        message: {
          messageId: '<shared-message@customer.example>',
          from: { email: 'shared.person@customer.example' },
          to: [{ email: b.rep.email }],
          cc: [],
        },
      },
    ],
    'post /api/gmail/log': () => [
      'POST',
      '/api/gmail/log',
      {
        messages: [
          {
            messageId: '<shared-message@customer.example>',
            gmailMessageId: '18c0ffee',
            threadId: '18c0ffee',
            date: '2026-11-21T00:00:00Z',
            from: { email: 'shared.person@customer.example' },
            to: [{ email: b.rep.email }],
            cc: [],
          },
        ],
      },
    ],
    'get /api/duplicates': () => ['GET', '/api/duplicates?limit=100'],
    'post /api/duplicates/dismiss': () => ['POST', '/api/duplicates/dismiss', { a: ids.contact, b: ids.contact }],
    'post /api/contacts/{id}/merge': () => ['POST', `/api/contacts/${ids.contact}/merge`, { from: ['00000000-0000-4000-8000-00000000dead'] }],
    'post /api/merges/{id}/undo': () => ['POST', '/api/merges/00000000-0000-4000-8000-00000000beef/undo'],
    'get /api/companies': () => ['GET', `/api/companies?q=${SECRET_WORD}`],
    'post /api/companies': () => ['POST', '/api/companies', { name: 'B company', domains: ['zanzibar-iso.example'] }],
    'get /api/companies/duplicates': () => ['GET', '/api/companies/duplicates'],
    'get /api/companies/{id}': () => ['GET', `/api/companies/${ids.company}`],
    'patch /api/companies/{id}': () => ['PATCH', `/api/companies/${ids.company}`, { name: 'Taken over' }],
    'get /api/companies/{id}/timeline': () => ['GET', `/api/companies/${ids.company}/timeline`],
    'post /api/companies/{id}/merge': () => ['POST', `/api/companies/${ids.company}/merge`, { from: [ids.company] }],
    'post /api/companies/merges/{id}/undo': () => ['POST', '/api/companies/merges/00000000-0000-4000-8000-00000000beef/undo'],
    'get /api/segments': () => ['GET', '/api/segments'],
    'put /api/me/digest/segment': () => ['PUT', '/api/me/digest/segment', { segment: segmentOfA.id }],
    'post /api/segments': () => ['POST', '/api/segments', { name: 'Shared name', filter: { tag: 't' } }],
    'delete /api/segments/{id}': () => ['DELETE', `/api/segments/${segmentOfA.id}`],
    'get /api/stats': () => ['GET', '/api/stats?period=month'],
    'get /api/tidy': () => ['GET', '/api/tidy?limit=100'],
    'post /api/tidy/fix': () => ['POST', '/api/tidy/fix', { contactId: ids.contact, fix: 'owner_me' }],
    // an import naming A's contact's address: B's own contact (or a new one), never "already in Rapport as" A's
    'post /api/imports': () => ['POST', '/api/imports', { csv: 'Name,Email\nB import,shared.person@customer.example\n' }],
    'get /api/contacts/export': () => ['GET', '/api/contacts/export?format=json'],
    'get /api/contacts/{id}/export': () => ['GET', `/api/contacts/${ids.contact}/export`],
    'delete /api/contacts/{id}': () => ['DELETE', `/api/contacts/${ids.contact}?erase=true`],
    'delete /api/members/{id}/identities/{identity}': () => ['DELETE', `/api/members/${a.rep.id}/identities/slack`],
    'get /api/members': () => ['GET', '/api/members'],
    'post /api/me/welcome': () => ['POST', '/api/me/welcome'],
    'get /api/me/capture': () => ['GET', '/api/me/capture'],
    'post /api/me/capture/rotate': () => ['POST', '/api/me/capture/rotate'],
    'get /api/me/mailbox': () => ['GET', '/api/me/mailbox'],
    'post /api/me/mailbox': () => ['POST', '/api/me/mailbox', { policy: 'external' }],
    'patch /api/me/mailbox': () => ['PATCH', '/api/me/mailbox', { blockList: [SECRET_WORD] }],
    'delete /api/me/mailbox': () => ['DELETE', '/api/me/mailbox'],
    'put /api/me/brief': () => ['PUT', '/api/me/brief', { minutes: 20 }],
    'get /api/me/working-hours': () => ['GET', '/api/me/working-hours'],
    'put /api/me/working-hours': () => ['PUT', '/api/me/working-hours', { start: '09:00', end: '18:00' }],
    // B's link signs in B: the isolation check is that A's rows stay untouched
    'post /api/me/signin-link': () => ['POST', '/api/me/signin-link', { next: `/c/${ids.contact}` }],
    'get /api/me/meetings/{id}/brief': () => ['GET', '/api/me/meetings/00000000-0000-4000-8000-00000000b00f/brief'],
    'get /api/me/meetings': () => ['GET', '/api/me/meetings?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z'],
    'get /api/mailboxes': () => ['GET', '/api/mailboxes'],
    'post /api/mailboxes/delegated': () => ['POST', '/api/mailboxes/delegated', { memberIds: [a.rep.id] }],
    'post /api/members': () => ['POST', '/api/members', { email: a.rep.email, name: SECRET_WORD }],
    'patch /api/members/{id}': () => ['PATCH', `/api/members/${a.rep.id}`, { timezone: 'UTC' }],
    'post /api/members/{id}/deactivate': () => ['POST', `/api/members/${a.rep.id}/deactivate`, { reassignTo: a.rep2.id }],
    'post /api/members/{id}/reactivate': () => ['POST', `/api/members/${a.rep.id}/reactivate`],
    'get /api/workspace': () => ['GET', '/api/workspace'],
    'patch /api/workspace': () => ['PATCH', '/api/workspace', { name: SECRET_WORD }],
    'get /api/tokens': () => ['GET', `/api/tokens?member=${a.rep.email}`],
    'post /api/tokens': () => ['POST', '/api/tokens', { label: 'B token' }],
    'delete /api/tokens/{id}': () => ['DELETE', `/api/tokens/${ids.token}`],
    'get /api/pipeline': () => ['GET', '/api/pipeline'],
    'put /api/pipeline': () => ['PUT', '/api/pipeline', { stages: [{ name: SECRET_WORD, probability: 10 }] }],
    'get /api/deals': () => ['GET', `/api/deals?status=all&contact=${ids.contact}`],
    'post /api/deals': () => ['POST', '/api/deals', { name: 'B deal', contacts: [{ id: ids.contact }] }],
    'get /api/deals/{id}': () => ['GET', `/api/deals/${ids.deal}`],
    'patch /api/deals/{id}': () => ['PATCH', `/api/deals/${ids.deal}`, { status: 'lost', reason: 'taken over' }],
    'get /api/deals/{id}/timeline': () => ['GET', `/api/deals/${ids.deal}/timeline`],
    'post /api/deals/{id}/snooze': () => ['POST', `/api/deals/${ids.deal}/snooze`, { days: 7 }],
    'get /api/me/alerts': () => ['GET', '/api/me/alerts'],
    'put /api/me/alerts': () => ['PUT', '/api/me/alerts', { kinds: { deal_won: 'off' }, tags: ['t'] }],
    'get /api/workspace/alerts': () => ['GET', '/api/workspace/alerts'],
    'patch /api/workspace/alerts': () => ['PATCH', '/api/workspace/alerts', { replyMinutes: 5 }],
    'get /api/alert-rules': () => ['GET', '/api/alert-rules'],
    'post /api/alert-rules': () => ['POST', '/api/alert-rules', { teamId: 'T0AAAA', channelId: 'C0AAAA', kinds: ['deal_won'] }],
    'delete /api/alert-rules/{id}': () => ['DELETE', `/api/alert-rules/${ids.alertRule}`],
    'post /api/alerts/{id}/done': () => ['POST', `/api/alerts/${ids.alert}/done`],
    'post /api/alerts/{id}/snooze': () => ['POST', `/api/alerts/${ids.alert}/snooze`, { minutes: 60 }],
    'post /api/alerts/{id}/assign': () => ['POST', `/api/alerts/${ids.alert}/assign`],
  };

  it('has an attempt for every documented /api route', () => {
    const documented = documentedRoutes
      .filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/slack/') && !r.path.startsWith('/api/jobs/'))
      .map((r) => `${r.method.toLowerCase()} ${r.path}`)
      .sort();
    expect(Object.keys(attempts).sort()).toEqual(documented);
  });

  /** A fingerprint of workspace A's contacts, addresses, interactions and follow-ups. */
  const digestOfA = () =>
    t.sql.query<{ d: string }>(
      `select md5(string_agg(x::text, ',' order by x::text)) d from (
         select c::text x from crm.contacts c where workspace_id = $1 union all
         select i::text from crm.interactions i where workspace_id = $1 union all
         select f::text from crm.follow_ups f where workspace_id = $1 union all
         select e::text from crm.contact_emails e where workspace_id = $1 union all
         select l::text from crm.slack_channel_links l where workspace_id = $1 union all
         select m::text from crm.members m where workspace_id = $1 union all
         select w::text from crm.workspaces w where id = $1 union all
         select k::text from crm.api_tokens k where workspace_id = $1 union all
         select ca::text from crm.capture_addresses ca where workspace_id = $1 union all
         select cr::text from crm.capture_refusals cr where workspace_id = $1 union all
         select mb::text from crm.mailboxes mb where workspace_id = $1 union all
         select cl::text from crm.calendars cl where workspace_id = $1 union all
         select ce::text from crm.calendar_events ce where workspace_id = $1 union all
         select mb2::text from crm.meeting_briefs mb2 where workspace_id = $1 union all
         select dl::text from crm.deals dl where workspace_id = $1 union all
         select dc::text from crm.deal_contacts dc where workspace_id = $1 union all
         select ps::text from crm.pipeline_stages ps where workspace_id = $1 union all
         select co::text from crm.companies co where workspace_id = $1 union all
         select cd::text from crm.company_domains cd where workspace_id = $1 union all
         select ar::text from crm.alert_rules ar where workspace_id = $1) s`,
      [a.id],
    );

  it.each(Object.keys(attempts))('%s from another workspace never reaches its records', async (route) => {
    const before = await digestOfA();
    const [method, path, body] = attempts[route]!();
    const res = await caller(app, b.rep.token)(method, path, body);
    expect(JSON.stringify(res.body)).not.toContain(SECRET_WORD);
    expect(JSON.stringify(res.body)).not.toContain(a.id);
    expect(res.status).not.toBeGreaterThanOrEqual(500);
    if (
      path.includes(ids.contact) ||
      path.includes(ids.interaction) ||
      path.includes(ids.followUp) ||
      path.includes(ids.deal) ||
      path.includes(ids.company) ||
      (body as any)?.contactId
    ) {
      expect(res.status).toBe(404);
    }
    if (route === 'get /api/contacts' || route === 'get /api/channel-links' || route === 'get /api/companies') expect(res.body.items).toEqual([]);
    if (route.startsWith('delete /api/channel-links')) expect(res.body).toEqual({ unlinked: false });
    // B may hold its own contact at the same address (made by the routes above): never A's
    if (route === 'get /api/contacts/lookup' && res.status === 200) expect(res.body.id).not.toBe(ids.contact);
    if (route === 'get /api/follow-ups') expect(res.status).toBe(400); // A's rep is no member of B
    const after = await digestOfA();
    expect(after).toEqual(before);
  });

  it("captures mail at a member's address into their workspace only, and never with another workspace's sender", async () => {
    const addressOf = async (token: string) => (await caller(app, token)('GET', '/api/me/capture')).body.address as string;
    const [aAddress, bAddress] = [await addressOf(a.rep.token), await addressOf(b.rep.token)];
    const mime = (from: string, to: string, id: string) =>
      app.request('/inbound/mime', {
        method: 'POST',
        headers: { authorization: `Bearer ${INBOUND_SECRET}`, 'content-type': 'message/rfc822', 'x-rapport-recipient': to },
        body: `From: ${from}\r\nTo: iso.capture@customer.example\r\nSubject: ${SECRET_WORD}\r\nMessage-ID: <${id}@x.example>\r\n\r\nb\r\n`,
      });
    const interactionsOfA = () => t.sql.query('select i::text from crm.interactions i where workspace_id = $1 order by id', [a.id]);
    const before = await interactionsOfA();
    // B's member at A's member's address, A's member at B's: both refused, nothing of A's changes
    const intoA = await mime(b.rep.email, aAddress, 'iso-into-a');
    expect(intoA.status).toBe(403);
    expect(JSON.stringify(await intoA.json())).not.toContain(a.id);
    expect((await mime(a.rep.email, bAddress, 'iso-into-b')).status).toBe(403);
    // B's own capture lands in B
    const own = await mime(b.rep.email, bAddress, 'iso-own-b');
    expect(own.status).toBe(200);
    const row = await t.sql.query<{ workspace_id: string }>('select workspace_id from crm.interactions where id = $1', [
      ((await own.json()) as { interactionId: string }).interactionId,
    ]);
    expect(row[0]!.workspace_id).toBe(b.id);
    // A's member sees the refusal at their address (it is theirs), B's member does not see A's
    const refusals = (await caller(app, b.rep.token)('GET', '/api/me/capture')).body.recentRefusals as { from: string }[];
    expect(refusals.map((r) => r.from)).toEqual([a.rep.email]);
    expect(await interactionsOfA()).toEqual(before);
    // the only change to A: the refusal recorded at A's member's address, shown to them alone
    const aRefusals = (await caller(app, a.rep.token)('GET', '/api/me/capture')).body.recentRefusals as { from: string }[];
    expect(aRefusals.map((r) => r.from)).toEqual([b.rep.email]);
  });

  it("gives each workspace its own copy of the same email: one workspace's capture is no other's", async () => {
    const rows = await t.sql.query<{ workspace_id: string }>(
      `select workspace_id from crm.interactions where external_id = '<shared-message@customer.example>' order by workspace_id`,
    );
    expect(rows.map((r) => r.workspace_id).sort()).toEqual([a.id, b.id].sort());
    expect(await tableDigest(t.sql)).toBeTruthy();
  });
});
