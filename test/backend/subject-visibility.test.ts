import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Visibility 'subject' (issue 16, synced mail): everyone in the workspace sees
 * who, when and the subject; only the author and their managers see the body.
 * Through every door that shows interactions: the interaction, the contact
 * card and timeline, activity, the digest, a repeat capture.
 */
const SUBJECT = 'Kestrel-subject-44a';
const BODY = 'Marmot-body-0d2';
const CUSTOMER = 'subject.customer@customer.example';
const MESSAGE_ID = '<subject-44a@customer.example>';

describe.each(['pglite', 'postgres'] as const)("'subject' interactions on %s", (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;
  const ids = { contact: '', mail: '' };
  let viewers: { name: string; token: string; id: string; reads: boolean }[];

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db });
    a = await makeWorkspace(t.sql, t.db);
    const asRep = caller(app, a.rep.token);
    ids.contact = (await asRep('POST', '/api/contacts', { name: 'Sam Subject', emails: [CUSTOMER], ownerEmail: a.rep2.email, stage: 'customer' })).body.id;
    const made = await asRep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      subject: SUBJECT,
      body: BODY,
      source: 'gmail',
      direction: 'inbound',
      externalId: MESSAGE_ID,
      visibility: 'subject',
      participants: [
        { role: 'from', email: CUSTOMER },
        { role: 'to', email: a.rep.email },
      ],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ visibility: 'subject', body: BODY });
    ids.mail = made.body.id;
    viewers = [
      { name: 'author (rep)', token: a.rep.token, id: a.rep.id, reads: true },
      { name: "author's manager", token: a.manager.token, id: a.manager.id, reads: true },
      { name: 'another rep (owner of the contact)', token: a.rep2.token, id: a.rep2.id, reads: false },
      { name: 'an admin who manages nobody', token: a.admin.token, id: a.admin.id, reads: false },
    ];
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const has = (body: unknown, s: string) => JSON.stringify(body).includes(s);

  it('GET /api/interactions/{id}: everyone sees who, when and the subject; the body only its author and their managers', async () => {
    for (const v of viewers) {
      const res = await caller(app, v.token)('GET', `/api/interactions/${ids.mail}`);
      expect([v.name, res.status, has(res.body, SUBJECT), has(res.body, BODY)]).toEqual([v.name, 200, true, v.reads]);
      expect(res.body.participants.map((p: { email: string }) => p.email)).toContain(CUSTOMER);
      if (!v.reads) expect(res.body).toMatchObject({ body: null, snippet: '', visibility: 'subject' });
    }
  });

  it('the contact card and timeline list it to everyone, with the body only for those who may read it', async () => {
    for (const v of viewers) {
      const card = await caller(app, v.token)('GET', `/api/contacts/${ids.contact}`);
      const timeline = await caller(app, v.token)('GET', `/api/contacts/${ids.contact}/timeline`);
      expect([v.name, card.status, timeline.status]).toEqual([v.name, 200, 200]);
      expect([v.name, has(card.body, SUBJECT), has(timeline.body, SUBJECT)]).toEqual([v.name, true, true]);
      expect([v.name, has(card.body, BODY), has(timeline.body, BODY)]).toEqual([v.name, v.reads, v.reads]);
    }
  });

  it('moves the contact’s last interaction, which everyone sees (who and when are not hidden)', async () => {
    const [row] = await t.sql.query<{ last_interaction_at: Date | string | null }>('select last_interaction_at from crm.contacts where id = $1', [ids.contact]);
    expect(row!.last_interaction_at).not.toBeNull();
  });

  it('activity shows it to the contact’s owner without the body', async () => {
    const res = await caller(app, a.rep2.token)('GET', '/api/me/activity');
    expect(res.status).toBe(200);
    expect([has(res.body, SUBJECT), has(res.body, BODY)]).toEqual([true, false]);
  });

  it('the digest lists it as waiting for a reply by its subject, never its body', async () => {
    const composed = await t.db.call<unknown>(
      'digest_compose',
      { workspaceId: a.id, memberId: a.manager.id, source: 'scheduler', now: new Date().toISOString() },
      {},
    );
    expect([has(composed, SUBJECT), has(composed, BODY)]).toEqual([true, false]);
  });

  it('a repeat capture by someone who may not read it answers the interaction without its body, and records them', async () => {
    const res = await caller(app, a.rep2.token)('POST', '/api/gmail/log', {
      messages: [
        {
          messageId: MESSAGE_ID,
          gmailMessageId: 'g-subject',
          threadId: 't-subject',
          from: { email: CUSTOMER },
          to: [{ email: a.rep2.email }],
          cc: [],
          date: new Date().toISOString(),
          subject: SUBJECT,
          body: BODY,
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ interactionId: ids.mail, created: false });
    expect(has(res.body, BODY)).toBe(false);
    const again = await caller(app, a.rep2.token)('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: new Date().toISOString(),
      source: 'gmail',
      externalId: MESSAGE_ID,
      participants: [{ role: 'from', email: CUSTOMER }],
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: ids.mail, subject: SUBJECT, body: null, snippet: '' });
    expect(again.body.capturedBy.map((c: { member: { id: string }; via: string }) => `${c.member.id === a.rep.id ? 'rep' : 'rep2'}:${c.via}`)).toEqual([
      'rep:api',
      'rep2:addon',
      'rep2:api', // the same member another way is another record
    ]);
  });

  it('a follow-up may come from it, as from any interaction its maker can see', async () => {
    const res = await caller(app, a.rep2.token)('POST', '/api/follow-ups', {
      contactId: ids.contact,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      note: 'Reply to Sam',
      sourceInteractionId: ids.mail,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
