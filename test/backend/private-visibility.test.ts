import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';
import { fakeSlack, slackRapport, TEAM } from '../support/slack.js';

/**
 * A private interaction is seen by its author and the author's managers only:
 * through every door that shows interactions (the API's interaction, contact
 * card, timeline, search, activity, export; the digest; the Gmail sidebar; the
 * Slack /crm answer). A workspace-visible interaction on the same contact is
 * the control: each door does show interactions, to everyone.
 */
const SECRET = 'Quetzal-private-7f3';
const OPEN = 'Heron-open-91c';
const CUSTOMER = 'private.customer@customer.example';
const PRIVATE_MESSAGE_ID = '<private-7f3@customer.example>';

describe.each(['pglite', 'postgres'] as const)('private interactions on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  let b: TestWorkspace;
  const slack = fakeSlack();
  let rapport: ReturnType<typeof slackRapport>;
  const ids = { contact: '', secret: '', open: '' };
  /** who sees the private one: its author (rep) and the rep's manager; not another rep, not an admin who manages nobody */
  let viewers: { name: string; token: string; id: string; sees: boolean }[];

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...slack.handlers, ...t.handlers);
    app = createApp({ db: t.db });
    a = await makeWorkspace(t.sql, t.db);
    b = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`insert into crm.slack_installations (team_id, workspace_id) values ($1, $2)`, [TEAM, a.id]);
    rapport = slackRapport(t);
    const asRep = caller(app, a.rep.token);
    // rep2 owns the contact, so it is in rep2's activity and tidy scope
    ids.contact = (await asRep('POST', '/api/contacts', { name: 'Priya Private', emails: [CUSTOMER], ownerEmail: a.rep2.email, stage: 'customer' })).body.id;
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const made = await asRep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: twoDaysAgo,
      subject: `${SECRET} subject`,
      body: `${SECRET} body`,
      source: 'gmail',
      direction: 'inbound',
      externalId: PRIVATE_MESSAGE_ID,
      visibility: 'private',
      participants: [
        { role: 'from', email: CUSTOMER },
        { role: 'to', email: a.rep.email },
      ],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    ids.secret = made.body.id;
    const open = await asRep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      subject: `${OPEN} subject`,
      body: OPEN,
      source: 'gmail',
      direction: 'inbound',
      externalId: '<open-91c@customer.example>',
      participants: [
        { role: 'from', email: CUSTOMER },
        { role: 'to', email: a.rep2.email },
      ],
    });
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    ids.open = open.body.id;
    viewers = [
      { name: 'author (rep)', token: a.rep.token, id: a.rep.id, sees: true },
      { name: "author's manager", token: a.manager.token, id: a.manager.id, sees: true },
      { name: 'another rep (owner of the contact)', token: a.rep2.token, id: a.rep2.id, sees: false },
      { name: 'an admin who manages nobody', token: a.admin.token, id: a.admin.id, sees: false },
    ];
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const _each = () => viewers.map((v) => [v.name, v] as const);
  const seen = (body: unknown) => JSON.stringify(body).includes(SECRET);

  it('stores it private, with its author', async () => {
    const [row] = await t.sql.query<{ visibility: string; author_id: string }>(`select visibility, author_id from crm.interactions where id = $1`, [
      ids.secret,
    ]);
    expect(row).toEqual({ visibility: 'private', author_id: a.rep.id });
  });

  it('GET /api/interactions/{id}: the private one answers 404 to whoever may not see it', async () => {
    for (const v of viewers) {
      const res = await caller(app, v.token)('GET', `/api/interactions/${ids.secret}`);
      expect([v.name, res.status, seen(res.body)]).toEqual([v.name, v.sees ? 200 : 404, v.sees]);
      expect((await caller(app, v.token)('GET', `/api/interactions/${ids.open}`)).status).toBe(200);
    }
    expect((await caller(app, b.manager.token)('GET', `/api/interactions/${ids.secret}`)).status).toBe(404);
  });

  it('the contact card and its timeline show it only to its author and their managers', async () => {
    for (const v of viewers) {
      const card = await caller(app, v.token)('GET', `/api/contacts/${ids.contact}`);
      const timeline = await caller(app, v.token)('GET', `/api/contacts/${ids.contact}/timeline`);
      expect([v.name, card.status, timeline.status]).toEqual([v.name, 200, 200]);
      expect([v.name, seen(card.body), seen(timeline.body)]).toEqual([v.name, v.sees, v.sees]);
      expect(JSON.stringify(card.body)).toContain(OPEN);
      expect(JSON.stringify(timeline.body)).toContain(OPEN);
    }
  });

  it('search, activity and export never carry its words to those who may not see it', async () => {
    for (const v of viewers.filter((x) => !x.sees)) {
      const as = caller(app, v.token);
      const search = await as('GET', `/api/contacts?q=${SECRET}`);
      expect(search.status).toBe(200);
      expect(search.body.items).toEqual([]); // a private body is no way to find a contact
      for (const path of [
        `/api/contacts?q=${encodeURIComponent('Priya')}`,
        '/api/me/activity',
        '/api/contacts/export?format=json',
        '/api/tidy?limit=100',
        '/api/duplicates?limit=100',
      ]) {
        const res = await as('GET', path);
        // the whole workspace's export is for managers and admins: a rep is refused it outright
        const status = path.startsWith('/api/contacts/export') && v.id === a.rep2.id ? 403 : 200;
        expect([v.name, path, res.status, seen(res.body)]).toEqual([v.name, path, status, false]);
      }
    }
    // the control: the contact's owner's activity does list the open email
    expect(JSON.stringify((await caller(app, a.rep2.token)('GET', '/api/me/activity')).body)).toContain(OPEN);
  });

  it("the digest (GET /api/me/digest, the same api.digest_compose the scheduler sends) never shows it: private email is never 'waiting'", async () => {
    for (const v of viewers) {
      const res = await caller(app, v.token)('GET', '/api/me/digest');
      expect([v.name, res.status, seen(res.body)]).toEqual([v.name, 200, false]);
    }
    const composed = await t.db.call<unknown>(
      'digest_compose',
      { workspaceId: a.id, memberId: a.admin.id, source: 'scheduler', now: new Date().toISOString() },
      {},
    );
    expect(seen(composed)).toBe(false);
  });

  it('the Gmail sidebar says the message is logged, and shows it, only to whom may see it', async () => {
    for (const v of viewers) {
      const res = await caller(app, v.token)('POST', '/api/gmail/context', {
        message: {
          messageId: PRIVATE_MESSAGE_ID,
          from: { email: CUSTOMER },
          to: [{ email: v.name.includes('rep') ? a.rep.email : a.manager.email }],
          cc: [],
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect([v.name, res.body.logged != null, seen(res.body)]).toEqual([v.name, v.sees, v.sees]);
      if (v.sees) expect(res.body.logged.interactionId).toBe(ids.secret);
      expect(JSON.stringify(res.body)).toContain(OPEN); // the person's card does show the timeline
    }
  });

  it('the Slack /crm answer for the contact shows it only to its author and their managers', async () => {
    const slackIds = await t.sql.query<{ id: string; s: string }>(`select id, slack_user_id s from crm.members where workspace_id = $1`, [a.id]);
    for (const v of viewers) {
      slack.responses.length = 0;
      const res = await rapport.command(slackIds.find((m) => m.id === v.id)!.s, 'Priya Private');
      expect(res.status).toBe(200);
      expect(slack.responses).toHaveLength(1);
      const text = JSON.stringify(slack.responses[0]);
      expect([v.name, text.includes(SECRET)]).toEqual([v.name, v.sees]);
      expect(text).toContain(OPEN);
    }
    expect(rapport.errors).toEqual([]);
  });
});
