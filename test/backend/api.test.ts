import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * The API's behaviour, run once per database adapter: every assertion here
 * holds on PGlite, on a real PostgreSQL server and through supabase-js.
 */
describe.each(ADAPTERS)('API on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  const now = new Date('2026-11-24T03:00:00Z'); // 12:00 in Tokyo
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, clock: () => now });
    ws = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const as = (token: string) => caller(app, token);

  it('reports which database it runs on', async () => {
    const res = await caller(app)('GET', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { ok: true, db: kind } });
  });

  it('tells the caller who they are', async () => {
    const res = await as(ws.rep.token)('GET', '/api/me');
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ id: ws.rep.id, email: ws.rep.email, role: 'rep', manager: { id: ws.manager.id } });
    expect(res.body.workspace).toMatchObject({ id: ws.id, internalDomains: [ws.domain], autoCreateContacts: 'all' });
  });

  it('creates a contact, finds its company from the domain, and refuses a taken address with 409 naming the owner', async () => {
    const rep = as(ws.rep.token);
    const created = await rep('POST', '/api/contacts', {
      name: 'Jane Doe',
      emails: ['Jane.Doe@Acme-Widgets.com', 'jd@acme-widgets.com'],
      title: 'CTO',
      phone: '+1 (415) 555-0101',
      stage: 'prospect',
      tags: ['vip'],
      custom: { seats: 120 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Jane Doe',
      title: 'CTO',
      stage: 'prospect',
      tags: ['vip'],
      custom: { seats: 120 },
      emails: ['Jane.Doe@Acme-Widgets.com', 'jd@acme-widgets.com'],
      company: { name: 'Acme-widgets', domain: 'acme-widgets.com' },
      owner: { id: ws.rep.id },
    });
    const again = await rep('POST', '/api/contacts', { name: 'Jane Again', emails: ['JANE.DOE@acme-widgets.com'] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
    expect(again.body.error.message).toContain('Jane Doe');
    expect(again.body.error.details.contact.id).toBe(created.body.id);
    const rows = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.contacts where workspace_id = $1 and name = 'Jane Again'`, [ws.id]);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('lets exactly one of many concurrent creates claim an address; the others get 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        as(i % 2 ? ws.rep.token : ws.rep2.token)('POST', '/api/contacts', { name: `Racer ${i}`, emails: ['race@race-co.example'] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(11).fill(409)]);
    const rows = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.contacts where workspace_id = $1 and name like 'Racer %'`, [ws.id]);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('never makes a company from a free-mail domain', async () => {
    const res = await as(ws.rep.token)('POST', '/api/contacts', { name: 'Free Mailer', emails: ['someone.free@gmail.com'] });
    expect(res.status).toBe(201);
    expect(res.body.company).toBeNull();
  });

  it('looks a contact up by any of its addresses in any case, and 404s an unknown one', async () => {
    const rep = as(ws.rep.token);
    const found = await rep('GET', `/api/contacts/lookup?email=${encodeURIComponent('JD@ACME-WIDGETS.COM')}`);
    expect(found.status).toBe(200);
    expect(found.body.name).toBe('Jane Doe');
    const missing = await rep('GET', '/api/contacts/lookup?email=nobody@nowhere.example');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'contact_email_not_found' });
  });

  it('searches names, emails, companies, domains and phones, including one- and two-character Japanese and Chinese names', async () => {
    const rep = as(ws.rep.token);
    for (const c of [
      { name: '田中 太郎', emails: ['taro@sakura-mfg.co.jp'], company: { name: '株式会社サクラ製作所', domain: 'sakura-mfg.co.jp' } },
      { name: '田中花子', emails: ['hanako@tokyo-logi.co.jp'] },
      { name: '王 芳', emails: ['wang.fang@example.cn'] },
      { name: 'Ｋｅｎ Ｗａｔａｎａｂｅ', emails: ['ken@hokuto.jp'], phone: '03-1234-5678' },
    ]) {
      expect((await rep('POST', '/api/contacts', c)).status).toBe(201);
    }
    const names = async (q: string) =>
      ((await rep('GET', `/api/contacts?q=${encodeURIComponent(q)}`)).body.items as { name: string }[]).map((c) => c.name).sort();
    expect(await names('田中')).toEqual(['田中 太郎', '田中花子']);
    expect(await names('田中太郎')).toEqual(['田中 太郎']);
    expect(await names('王')).toEqual(['王 芳']);
    expect(await names('サクラ')).toEqual(['田中 太郎']);
    expect(await names('ken wata')).toEqual(['Ｋｅｎ Ｗａｔａｎａｂｅ']);
    expect(await names('KEN')).toEqual(['Ｋｅｎ Ｗａｔａｎａｂｅ']);
    expect(await names('tokyo-logi')).toEqual(['田中花子']);
    expect(await names('12345678')).toEqual(['Ｋｅｎ Ｗａｔａｎａｂｅ']);
    expect(await names('acme')).toEqual(['Jane Doe']);
    expect(await names('100%_')).toEqual([]);
  });

  it('pages through contacts with a stable cursor and filters by stage, owner and tag', async () => {
    const rep2 = as(ws.rep2.token);
    for (let i = 0; i < 7; i++) {
      await rep2('POST', '/api/contacts', { name: `Pager ${i}`, emails: [`pager${i}@pager-co.com`], stage: 'customer', tags: ['paged'] });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await rep2('GET', `/api/contacts?tag=paged&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c: { name: string }) => c.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Pager 0', 'Pager 1', 'Pager 2', 'Pager 3', 'Pager 4', 'Pager 5', 'Pager 6']);
    const mine = await rep2('GET', '/api/contacts?owner=me&stage=customer&limit=100');
    expect(mine.body.items).toHaveLength(7);
    const byEmail = await rep2('GET', `/api/contacts?owner=${encodeURIComponent(ws.rep.email)}&tag=paged`);
    expect(byEmail.body.items).toHaveLength(0);
    const bad = await rep2('GET', '/api/contacts?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
  });

  it('captures an email once however often it is posted, matches every participant and derives the direction', async () => {
    const rep = as(ws.rep.token);
    const email = {
      kind: 'email',
      occurredAt: '2026-11-23T10:00:00+09:00',
      subject: 'Pricing',
      body: 'Could you send the quote?',
      source: 'gmail',
      externalId: '<CAF1234@mail.gmail.com>',
      threadKey: 'thread-1',
      participants: [
        { role: 'from', email: 'TARO@sakura-mfg.co.jp', name: '田中 太郎' },
        { role: 'to', email: ws.rep.email, name: 'Ren Rep' },
        { role: 'cc', email: 'new.buyer@sakura-mfg.co.jp', name: '鈴木 一郎' },
        { role: 'cc', email: 'friend@yahoo.co.jp', name: 'Friend' },
        { role: 'cc', email: `someone@${ws.domain}` },
      ],
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? as(ws.rep2.token) : rep)('POST', '/api/interactions', i === 3 ? { ...email, externalId: 'CAF1234@MAIL.GMAIL.COM' } : email),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const stored = await t.sql.query<{ n: string | number }>(`select count(*) n from crm.interactions where workspace_id = $1`, [ws.id]);
    expect(Number(stored[0]!.n)).toBe(1);

    const created = results.find((r) => r.status === 201)!.body;
    expect(created.direction).toBe('inbound');
    const byEmail = Object.fromEntries(created.participants.map((p: any) => [p.email, p]));
    expect(byEmail['taro@sakura-mfg.co.jp'].contactId).toBeTruthy();
    expect(byEmail[ws.rep.email].memberId).toBe(ws.rep.id);
    expect(byEmail['new.buyer@sakura-mfg.co.jp'].contactId).toBeTruthy();
    expect(byEmail['friend@yahoo.co.jp'].contactId).toBeTruthy();
    expect(byEmail[`someone@${ws.domain}`].contactId).toBeNull();

    const buyer = await rep('GET', '/api/contacts/lookup?email=new.buyer@sakura-mfg.co.jp');
    expect(buyer.body).toMatchObject({
      name: '鈴木 一郎',
      company: { domain: 'sakura-mfg.co.jp' },
      lastInteractionAt: expect.stringMatching(/^2026-11-23T01:00:00/),
    });
    const friend = await rep('GET', '/api/contacts/lookup?email=friend@yahoo.co.jp');
    expect(friend.body.company).toBeNull();
    const colleague = await rep('GET', `/api/contacts/lookup?email=someone@${ws.domain}`);
    expect(colleague.status).toBe(404);
    const taro = await rep('GET', '/api/contacts/lookup?email=taro@sakura-mfg.co.jp');
    expect(taro.body.lastInteractionAt).toMatch(/^2026-11-23T01:00:00/);
  });

  it('keys Slack messages by team, channel and ts, and calls an email from a member outbound', async () => {
    const rep = as(ws.rep.token);
    const slack = {
      kind: 'slack',
      occurredAt: '2026-11-23T12:00:00Z',
      body: 'Shipping next week',
      source: 'slack',
      externalId: 'T1:C1:1700000000.000100',
      participants: [{ role: 'author', email: 'taro@sakura-mfg.co.jp' }],
    };
    const first = await rep('POST', '/api/interactions', slack);
    const retry = await rep('POST', '/api/interactions', slack);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.id).toBe(first.body.id);
    const out = await rep('POST', '/api/interactions', {
      kind: 'email',
      occurredAt: '2026-11-23T13:00:00Z',
      subject: 'Re: Pricing',
      source: 'gmail',
      externalId: '<reply-1@rapport>',
      participants: [
        { role: 'from', email: ws.rep.email },
        { role: 'to', email: 'taro@sakura-mfg.co.jp' },
      ],
    });
    expect(out.status).toBe(201);
    expect(out.body.direction).toBe('outbound');
    const internal = await rep('POST', '/api/interactions', {
      kind: 'note',
      occurredAt: '2026-11-23T13:30:00Z',
      body: 'team sync',
      source: 'manual',
      externalId: 'note-1',
      participants: [
        { role: 'author', email: ws.rep.email },
        { role: 'mention', email: ws.manager.email },
      ],
    });
    expect(internal.body.direction).toBe('internal');
  });

  it('shows a contact with company, open follow-ups and its latest 10 timeline entries; the timeline pages newest first', async () => {
    const rep = as(ws.rep.token);
    const taro = (await rep('GET', '/api/contacts/lookup?email=taro@sakura-mfg.co.jp')).body;
    // bodies whose snippet the timeline works out from a prefix, or cannot
    const bodies: Record<number, string> = {
      0: 'word \t\n '.repeat(1_000), // long, whitespace runs everywhere
      1: ' '.repeat(2_000) + 'late start '.repeat(40), // a prefix that collapses to almost nothing
      2: '見積もりの件、よろしくお願いいたします。\n\n'.repeat(60), // multibyte: 600 characters, more bytes
      3: 'x'.repeat(599) + ' \n\t y'.repeat(100), // a whitespace run across the 600th character
      4: 'a'.repeat(600), // exactly 600
    };
    for (let i = 0; i < 12; i++) {
      await rep('POST', '/api/interactions', {
        kind: 'call',
        occurredAt: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString(),
        body: bodies[i] ?? `call ${i}`,
        source: 'manual',
        externalId: `call-${i}`,
        participants: [{ role: 'to', email: 'taro@sakura-mfg.co.jp' }],
      });
    }
    const fu = await rep('POST', '/api/follow-ups', { contactId: taro.id, dueAt: '2026-11-25T00:00:00Z', note: '見積もりを送る' });
    expect(fu.status).toBe(201);
    const detail = await rep('GET', `/api/contacts/${taro.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.company).toMatchObject({ name: '株式会社サクラ製作所' });
    expect(detail.body.openFollowUps.map((f: any) => f.note)).toEqual(['見積もりを送る']);
    expect(detail.body.timeline).toHaveLength(10);

    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await rep('GET', `/api/contacts/${taro.id}/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ats = all.map((e) => Date.parse(e.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    const keys = all.map((e) => `${e.type}:${e.interaction?.id ?? e.followUp?.id ?? e.at}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((e) => e.type === 'interaction')).toHaveLength(12 + 3);
    expect(all.filter((e) => e.type === 'follow_up')).toHaveLength(1);
    // the timeline builds its entries set-based: each is what GET /api/interactions/:id says, without the full body
    for (const e of all.filter((x) => x.type === 'interaction')) {
      const one = await rep('GET', `/api/interactions/${e.interaction.id}`);
      expect(one.status).toBe(200);
      expect(e.interaction.body).toBeNull();
      expect({ ...e.interaction, body: null }).toEqual({ ...one.body, body: null });
    }
  });

  it('updates a contact partially and writes the change with before and after to the audit log and timeline', async () => {
    const rep = as(ws.rep.token);
    const jane = (await rep('GET', '/api/contacts/lookup?email=jd@acme-widgets.com')).body;
    const res = await rep('PATCH', `/api/contacts/${jane.id}`, {
      stage: 'customer',
      title: null,
      custom: { seats: 150, plan: 'Enterprise' },
      ownerEmail: ws.rep2.email,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      stage: 'customer',
      title: null,
      custom: { seats: 150, plan: 'Enterprise' },
      owner: { id: ws.rep2.id },
      name: 'Jane Doe',
    });
    const audit = await t.sql.query<{ before: any; after: any; actor_member_id: string; source: string }>(
      `select before, after, actor_member_id, source from crm.audit_log where workspace_id = $1 and entity_id = $2 and action = 'update'`,
      [ws.id, jane.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_member_id: ws.rep.id,
      source: 'api',
      before: { stage: 'prospect', title: 'CTO', custom: { seats: 120 } },
      after: { stage: 'customer', title: null, custom: { seats: 150, plan: 'Enterprise' } },
    });
    const tl = await rep('GET', `/api/contacts/${jane.id}/timeline`);
    expect(tl.body.items[0]).toMatchObject({ type: 'change', change: { action: 'update', after: { stage: 'customer' } } });
    const unknownOwner = await rep('PATCH', `/api/contacts/${jane.id}`, { ownerEmail: 'stranger@elsewhere.com' });
    expect(unknownOwner.status).toBe(400);
    expect(unknownOwner.body.error.code).toBe('member_unknown');
    const takenEmail = await rep('PATCH', `/api/contacts/${jane.id}`, { emails: ['jane.doe@acme-widgets.com', 'taro@sakura-mfg.co.jp'] });
    expect(takenEmail.status).toBe(409);
    expect((await rep('GET', `/api/contacts/${jane.id}`)).body.emails).toEqual(['Jane.Doe@Acme-Widgets.com', 'jd@acme-widgets.com']);
  });

  it('makes one follow-up of two creates with the same clientKey, and answers the second with the first', async () => {
    const rep = as(ws.rep.token);
    const contact = (await rep('POST', '/api/contacts', { name: 'Keyed Follow', emails: ['keyed@follow.example'] })).body;
    const body = { contactId: contact.id, dueAt: '2026-12-02T00:00:00Z', note: 'keyed', clientKey: 'form-123' };
    const first = await rep('POST', '/api/follow-ups', body);
    const second = await rep('POST', '/api/follow-ups', { ...body, note: 'changed on the way' });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body).toEqual(first.body);
    expect(first.body).not.toHaveProperty('created');
    const other = await rep('POST', '/api/follow-ups', { ...body, clientKey: 'form-124' });
    expect(other.status).toBe(201);
  });

  it("lists follow-ups for me, my team and a member, by overdue / today / week in the reader's own timezone, and completes them", async () => {
    const rep = as(ws.rep.token);
    const mgr = as(ws.manager.token);
    const contact = (await rep('POST', '/api/contacts', { name: 'Follow Target', emails: ['target@follow.example'] })).body;
    const mk = async (dueAt: string, owner?: string) =>
      (await rep('POST', '/api/follow-ups', { contactId: contact.id, dueAt, note: dueAt, ...(owner ? { ownerEmail: owner } : {}) })).body;
    const overdue = await mk('2026-11-23T00:00:00Z');
    const laterToday = await mk('2026-11-24T05:00:00Z');
    const tomorrow = await mk('2026-11-25T12:00:00Z');
    const nextMonth = await mk('2026-12-30T00:00:00Z');
    const rep2s = await mk('2026-11-20T00:00:00Z', ws.rep2.email);

    const notes = (r: any) => r.body.items.map((f: any) => f.id);
    expect(notes(await rep('GET', '/api/follow-ups?due=overdue'))).toContain(overdue.id);
    expect(notes(await rep('GET', '/api/follow-ups?due=overdue'))).not.toContain(laterToday.id);
    expect(notes(await rep('GET', '/api/follow-ups?due=today'))).toEqual(expect.arrayContaining([laterToday.id]));
    expect(notes(await rep('GET', '/api/follow-ups?due=today'))).not.toContain(tomorrow.id);
    const week = notes(await rep('GET', '/api/follow-ups?due=week'));
    expect(week).toEqual(expect.arrayContaining([overdue.id, laterToday.id, tomorrow.id]));
    expect(week).not.toContain(nextMonth.id);
    const team = notes(await mgr('GET', '/api/follow-ups?owner=team&due=overdue'));
    expect(team).toEqual(expect.arrayContaining([overdue.id, rep2s.id]));
    expect(notes(await mgr('GET', `/api/follow-ups?owner=${encodeURIComponent(ws.rep2.email)}`))).toContain(rep2s.id);

    // the manager's "today" is Tokyo's: 2026-11-24 00:00+09:00 to 2026-11-25 00:00+09:00
    const tokyoEarly = await mk('2026-11-23T16:00:00Z', ws.manager.email); // 01:00 on the 24th in Tokyo
    const tokyoLate = await mk('2026-11-24T15:30:00Z', ws.manager.email); // 00:30 on the 25th in Tokyo
    const managersToday = notes(await mgr('GET', '/api/follow-ups?due=today'));
    expect(managersToday).toContain(tokyoEarly.id);
    expect(managersToday).not.toContain(tokyoLate.id);
    expect(notes(await rep('GET', `/api/follow-ups?owner=${encodeURIComponent(ws.manager.email)}&due=week`))).toContain(tokyoLate.id);

    const done = await rep('PATCH', `/api/follow-ups/${overdue.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', completedAt: expect.any(String) });
    expect(notes(await rep('GET', '/api/follow-ups?due=overdue'))).not.toContain(overdue.id);
    const reopened = await rep('PATCH', `/api/follow-ups/${overdue.id}`, { status: 'open', dueAt: '2026-11-26T00:00:00Z' });
    expect(reopened.body).toMatchObject({ status: 'open', completedAt: null, dueAt: expect.stringMatching(/^2026-11-26/) });

    // rep2 may not change rep's follow-up; the manager may
    expect((await as(ws.rep2.token)('PATCH', `/api/follow-ups/${tomorrow.id}`, { status: 'done' })).status).toBe(403);
    expect((await mgr('PATCH', `/api/follow-ups/${tomorrow.id}`, { ownerEmail: ws.rep2.email })).body.owner.id).toBe(ws.rep2.id);
  });

  it('shows a private interaction to its author and their managers only', async () => {
    const contact = (await as(ws.rep.token)('POST', '/api/contacts', { name: 'Private Person', emails: ['pp@private.example'] })).body;
    const secret = await as(ws.rep.token)('POST', '/api/interactions', {
      kind: 'note',
      occurredAt: '2026-11-22T00:00:00Z',
      body: 'salary expectations',
      source: 'manual',
      externalId: 'private-1',
      visibility: 'private',
      participants: [{ role: 'to', email: 'pp@private.example' }],
    });
    expect(secret.status).toBe(201);
    const sees = async (token: string) => {
      const tl = (await as(token)('GET', `/api/contacts/${contact.id}/timeline`)).body.items;
      const one = await as(token)('GET', `/api/interactions/${secret.body.id}`);
      return { inTimeline: tl.some((e: any) => e.interaction?.id === secret.body.id), direct: one.status };
    };
    expect(await sees(ws.rep.token)).toEqual({ inTimeline: true, direct: 200 });
    expect(await sees(ws.manager.token)).toEqual({ inTimeline: true, direct: 200 });
    expect(await sees(ws.rep2.token)).toEqual({ inTimeline: false, direct: 404 });
    expect(await sees(ws.admin.token)).toEqual({ inTimeline: false, direct: 404 });
    // capturing the same thing again does not hand its body to someone who may not see it
    const again = await as(ws.rep2.token)('POST', '/api/interactions', {
      kind: 'note',
      occurredAt: '2026-11-22T00:00:00Z',
      source: 'manual',
      externalId: 'private-1',
      participants: [{ role: 'to', email: 'pp@private.example' }],
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(secret.body.id);
    expect(JSON.stringify(again.body)).not.toContain('salary');
  });
});

describe('timeline visibility and ordering details', () => {
  it.each(ADAPTERS)(
    'on %s: pages past a run of private entries the reader cannot see, keeps tag order, and hides private activity from last-interaction time',
    async (kind) => {
      const t = await openTestDb(kind);
      const network = setupNetwork(...t.handlers);
      try {
        const app = createApp({ db: t.db });
        const ws = await makeWorkspace(t.sql, t.db);
        const rep = caller(app, ws.rep.token);
        const contact = (await rep('POST', '/api/contacts', { name: 'Busy', emails: ['busy@private-run.example'], tags: ['b', 'a', 'b'] })).body;
        expect(contact.tags).toEqual(['b', 'a']);
        expect((await rep('PATCH', `/api/contacts/${contact.id}`, { tags: ['it', 'sso', 'it'] })).body.tags).toEqual(['it', 'sso']);
        const log = (i: number, visibility: string) =>
          rep('POST', '/api/interactions', {
            kind: 'call',
            occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
            source: 'manual',
            externalId: `run-${i}`,
            visibility,
            participants: [{ role: 'to', email: 'busy@private-run.example' }],
          });
        await log(0, 'workspace');
        for (let i = 1; i <= 30; i++) await log(i, 'private');
        const other = caller(app, ws.rep2.token);
        const page = await other('GET', `/api/contacts/${contact.id}/timeline?limit=5`);
        const calls = page.body.items.filter((e: any) => e.type === 'interaction');
        expect(calls).toHaveLength(1);
        expect(calls[0].interaction.externalId).toBe('run-0');
        const seen = (await other('GET', `/api/contacts/${contact.id}`)).body.lastInteractionAt;
        expect(seen).toMatch(/^2026-01-01T00:00:00/);
      } finally {
        network.close();
        await t.close();
      }
    },
  );
});
