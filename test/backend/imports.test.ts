import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { parseCsv } from '../../backend/imports/csv.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { tableDigest } from '../support/table-digest.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/imports/${name}`, import.meta.url));

/**
 * Imports and exports through the HTTP routes, on the real databases: the
 * three exporters' files, all-or-nothing on rejected rows, dry runs, re-imports,
 * bad uploads, and the export -> import -> export round trip.
 */
describe.each(['pglite', 'postgres'] as const)('imports and exports on %s', (kind) => {
  let t: TestDb;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    app = createApp({ db: t.db });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function upload(token: string, bytes: Uint8Array | string, opts: { name?: string; dryRun?: boolean; map?: string[]; locale?: string } = {}) {
    const form = new FormData();
    form.append('file', new Blob([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes], { type: 'text/csv' }), opts.name ?? 'contacts.csv');
    if (opts.dryRun !== undefined) form.append('dryRun', String(opts.dryRun));
    for (const m of opts.map ?? []) form.append('map', m);
    const res = await app.request('/api/imports', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}`, ...(opts.locale ? { 'accept-language': opts.locale } : {}) },
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** the notes an import made on a contact, by the contact's name */
  async function importedNotes(workspaceId: string, name: string) {
    const rows = await t.sql.query<{ body: string }>(
      `select i.body from crm.interactions i join crm.interaction_participants p on p.interaction_id = i.id
       join crm.contacts c on c.id = p.contact_id
       where c.workspace_id = $1 and c.name = $2 and i.kind = 'note' and i.source = 'import'`,
      [workspaceId, name],
    );
    return rows.map((r) => r.body);
  }

  /** the workspace's contacts as the JSON export shows them (to a manager: a rep may not export the workspace), by name */
  async function contactsOf(token: string) {
    const res = await caller(app, token)('GET', '/api/contacts/export?format=json');
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.items as any[]).map((c) => [c.name, c]));
  }

  it('imports a Google Contacts export: names, several addresses, labels, the company column, free mail without a company', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const res = await upload(ws.rep.token, await fixture('google-contacts.csv'), { name: 'google-contacts.csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      format: 'google',
      encoding: 'utf-8',
      rows: 3,
      newContacts: 3,
      newCompanies: 2,
      rejectedRows: 0,
      written: true,
      existing: [],
    });
    const c = await contactsOf(ws.manager.token);
    expect(Object.keys(c).sort()).toEqual(['Jane Doe', '王伟', '田中太郎'].sort());
    expect(c['Jane Doe']).toMatchObject({
      emails: ['jane.doe@acme.example', 'jane.doe.home@gmail.com'],
      phone: '+1 415-555-0100',
      title: 'VP Sales',
      // the Website column is the new company's domain; the "Customers" label is the stage, not a tag
      company: { name: 'Acme Corp', domain: 'acme.example' },
      tags: [],
      stage: 'customer',
      owner: ws.rep.email,
      custom: {},
    });
    expect(c.田中太郎).toMatchObject({
      emails: ['taro.tanaka@sample.co.jp', 't.tanaka@sample.co.jp'],
      phone: '03-1234-5678',
      company: { name: '株式会社サンプル' },
      tags: ['展示会'],
    });
    expect(c.王伟).toMatchObject({ emails: ['wang.wei@qq.com'], company: null, tags: [] });
    // the older Google format reads the same way
    const legacy = await upload(ws.rep.token, await fixture('google-contacts-legacy.csv'));
    expect(legacy.body).toMatchObject({ format: 'google-legacy', newContacts: 2, rejectedRows: 0 });
    const after = await contactsOf(ws.manager.token);
    expect(after['Bob Smith']).toMatchObject({
      emails: ['bob@globex.example'],
      company: { name: 'Globex', domain: null },
      title: 'CTO',
      tags: ['Partners'],
    });
    expect(after.佐藤花子).toMatchObject({ company: { name: 'Globex-jp', domain: 'globex-jp.example' }, tags: [] });
  });

  it('imports a HubSpot export: lifecycle stages, owners by name (blank: none), the company from the address when the column is empty', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const res = await upload(ws.admin.token, await fixture('hubspot-contacts.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'hubspot', rows: 4, newContacts: 4, newCompanies: 2 });
    const c = await contactsOf(ws.admin.token);
    expect(c['Maria Garcia']).toMatchObject({
      stage: 'customer',
      owner: ws.manager.email,
      company: { name: 'Initech' },
      title: 'CFO',
      phone: '+34 600 000 000',
    });
    expect(c['Ken Sato']).toMatchObject({ stage: 'prospect', owner: ws.rep.email, company: { name: 'Initech' } });
    expect(c['Ken Sato'].company).toEqual(c['Maria Garcia'].company);
    expect(c['Lin Chen']).toMatchObject({ stage: 'lead', owner: null, company: { name: 'Hooli', domain: 'hooli.example' } });
    expect(c['Sam Lee']).toMatchObject({ stage: 'prospect', owner: ws.rep.email, company: null });
  });

  it('imports a Shift_JIS file from Excel with Japanese headers: 姓 名 without a space, stages, tags, custom columns', async () => {
    const ws = await makeWorkspace(t.sql, t.db, { locale: 'ja' });
    const res = await upload(ws.rep.token, await fixture('plain-ja-shift_jis.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'plain', encoding: 'shift_jis', newContacts: 3, rejectedRows: 0 });
    expect(res.body.summary).toContain('連絡先 3 件');
    const c = await contactsOf(ws.manager.token);
    expect(Object.keys(c).sort()).toEqual(['佐藤花子', '田中太郎', '髙橋一郎'].sort());
    expect(c.田中太郎).toMatchObject({
      emails: ['taro@tanaka-shoji.example'],
      company: { name: '田中商事株式会社' },
      title: '代表取締役',
      phone: '03-1111-2222',
      stage: 'customer',
      tags: ['展示会', 'VIP'],
      owner: ws.rep.email,
      custom: {},
    });
    // the メモ column is a note on the contact
    expect(await importedNotes(ws.id, '田中太郎')).toEqual(['長年の取引先']);
    expect(c.髙橋一郎).toMatchObject({ stage: 'prospect', company: { name: 'Example', domain: 'example.co.jp' }, title: '部長' });
    expect(c.佐藤花子).toMatchObject({ stage: 'lead', company: { name: 'フリーランス' }, custom: {} });
    expect(await importedNotes(ws.id, '佐藤花子')).toEqual(['ﾃﾞｻﾞｲﾝ案件、①から③']);
    // search finds the imported kanji name
    const found = await caller(app, ws.rep.token)('GET', `/api/contacts?q=${encodeURIComponent('髙橋')}`);
    expect(found.body.items.map((x: any) => x.name)).toEqual(['髙橋一郎']);
  });

  it('imports a plain English CSV with a BOM: quoted commas and line breaks, several addresses in a cell, custom fields', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const res = await upload(ws.rep.token, await fixture('plain-en.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ encoding: 'utf-8-bom', newContacts: 3, newCompanies: 2 });
    const c = await contactsOf(ws.manager.token);
    expect(c['John Doe']).toMatchObject({
      title: 'Head of Sales, APAC',
      stage: 'prospect',
      tags: ['vip', 'renewal'],
      owner: ws.rep.email,
      custom: {},
    });
    expect(await importedNotes(ws.id, 'John Doe')).toEqual(['Call back in Q3.\nPrefers "short" emails.']);
    expect(c['Emily Chen']).toMatchObject({
      emails: ['emily.chen@umbrella.example', 'emily@chen.example'],
      stage: 'customer',
      owner: ws.manager.email,
      custom: { Budget: '5,000' },
    });
    expect(c['Emily Chen'].company).toEqual(c['John Doe'].company);
    expect(c['Olga Petrov']).toMatchObject({ stage: 'churned', company: { name: 'Petrov', domain: 'petrov.example' } });
  });

  it('rejects a file with bad rows as a whole: each line and reason reported, nothing written, and a dry run says the same', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    // a token's first use of the minute is written down: use it once before taking the digest
    await caller(app, ws.rep.token)('GET', '/api/me');
    const before = await tableDigest(t.sql);
    const res = await upload(ws.rep.token, await fixture('bad-rows.csv'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('import_rejected');
    expect(res.body.error.message).toContain('5 row(s) were rejected');
    const report = res.body.error.details;
    expect(report.rejected.map((r: any) => [r.line, r.reason])).toEqual([
      [4, 'import_name_missing'],
      [5, 'import_email_invalid'],
      [6, 'import_stage_unmapped'],
      [7, 'import_owner_unknown'],
      [8, 'import_duplicate_row'],
    ]);
    expect(report.rejected.map((r: any) => r.message)).toEqual([
      'Line 4: no name: fill in the name, or the first and last name.',
      'Line 5: bob-at-example is not an email address.',
      'Line 6: the stage "hot" is not one Rapport knows (lead, prospect, customer or churned): say which it is with map stage=Stage:hot=customer.',
      "Line 7: the owner ghost@nowhere.example is no member of this workspace (give a member's email).",
      'Line 8: ALICE@able.example is also on line 2: this row is a duplicate of line 2.',
    ]);
    expect(report).toMatchObject({ written: false, rejectedRows: 5, newContacts: 2, rows: 7, importId: null });
    expect(await tableDigest(t.sql)).toBe(before);

    const dry = await upload(ws.rep.token, await fixture('bad-rows.csv'), { dryRun: true });
    expect(dry.status).toBe(200);
    expect({ ...dry.body, dryRun: false }).toEqual(report);
    expect(await tableDigest(t.sql)).toBe(before);

    // in the member's language
    await caller(app, ws.rep.token)('PATCH', '/api/me', { locale: 'ja' });
    const ja = await upload(ws.rep.token, await fixture('bad-rows.csv'));
    expect(ja.body.error.details.rejected[4].message).toBe('8 行目: ALICE@able.example は 2 行目にもあります。この行は 2 行目の重複です。');
  });

  it('previews a good file in a dry run without writing, then writes exactly that; re-importing changes nothing', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const file = await fixture('hubspot-contacts.csv');
    await caller(app, ws.rep.token)('GET', '/api/me');
    const before = await tableDigest(t.sql);
    const dry = await upload(ws.rep.token, file, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, written: false, newContacts: 4, newCompanies: 2, importId: null });
    expect(dry.body.summary).toMatch(/^Dry run, nothing written/);
    expect(await tableDigest(t.sql)).toBe(before);

    const real = await upload(ws.rep.token, file);
    expect(real.status).toBe(201);
    const { dryRun: _a, written: _b, importId, summary: _c, imported: _i, ...rest } = real.body;
    const { dryRun: _d, written: _e, importId: _f, summary: _g, imported: _j, ...restDry } = dry.body;
    expect(rest).toEqual(restDry);
    // one audit entry for the whole import, listing the contacts it made
    const audit = await t.sql.query<{ entity_type: string; action: string; after: any }>(
      `select entity_type, action, after from crm.audit_log where workspace_id = $1 and entity_type = 'import'`,
      [ws.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ rows: 4, contacts: 4, format: 'hubspot', fileName: 'contacts.csv' });
    expect(audit[0]!.after.contactIds).toHaveLength(4);
    expect(audit[0]!.after.companyIds).toHaveLength(2);
    expect(await t.sql.query(`select 1 from crm.audit_log where workspace_id = $1 and entity_type = 'contact'`, [ws.id])).toHaveLength(0);
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);

    const afterFirst = await tableDigest(t.sql);
    const again = await upload(ws.rep.token, file);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ written: false, newContacts: 0, newCompanies: 0, rejectedRows: 0 });
    // each says which contact holds the address and where to review the merge
    const review = (e: any) => `merge offered: review it with /crm duplicates in Slack, or at /c/${e.contact.id}.`;
    expect(again.body.existing.map((e: any) => [e.line, e.message])).toEqual([
      [2, `Line 2: maria@initech.example is already in Rapport as Maria Garcia; ${review(again.body.existing[0])}`],
      [3, `Line 3: ken.sato@initech.example is already in Rapport as Ken Sato; ${review(again.body.existing[1])}`],
      [4, `Line 4: lin.chen@hooli.example is already in Rapport as Lin Chen; ${review(again.body.existing[2])}`],
      [5, `Line 5: sam.lee@gmail.com is already in Rapport as Sam Lee; ${review(again.body.existing[3])}`],
    ]);
    expect(again.body.existing[0].contact.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tableDigest(t.sql)).toBe(afterFirst);
  });

  it('answers a bad upload with a sentence: no file, not a CSV, no name column, a bad mapping, a bad flag, over 50 MB', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const as = caller(app, ws.rep.token);
    const noFile = new FormData();
    noFile.append('dryRun', 'true');
    const r1 = await app.request('/api/imports', { method: 'POST', body: noFile, headers: { authorization: `Bearer ${ws.rep.token}` } });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as any).error.code).toBe('import_file_missing');
    expect((await as('POST', '/api/imports', 'Name\nJane\n', { 'content-type': 'text/csv' })).body.error.code).toBe('import_file_missing');
    const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00);
    expect((await upload(ws.rep.token, zip, { name: 'contacts.xlsx' })).body.error).toMatchObject({ code: 'import_not_csv' });
    const noName = await upload(ws.rep.token, 'Email,Phone\na@x.example,1\n');
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({ code: 'import_no_name_column', message: expect.stringContaining('Email, Phone') });
    expect((await upload(ws.rep.token, 'Who,Email\nJane,j@x.example\n', { map: ['name=Nobody'] })).body.error.code).toBe('import_map_header_unknown');
    expect((await upload(ws.rep.token, 'Name\n"Jane\n')).body.error).toMatchObject({
      code: 'import_csv_unclosed_quote',
      message: expect.stringContaining('line 2'),
    });
    const badFlag = new FormData();
    badFlag.append('file', new Blob(['Name\nJane\n']), 'a.csv');
    badFlag.append('dryRun', 'maybe');
    const r2 = await app.request('/api/imports', { method: 'POST', body: badFlag, headers: { authorization: `Bearer ${ws.rep.token}` } });
    expect(r2.status).toBe(400);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(50 * 1024 * 1024 + 1024).fill(0x61)]), 'big.csv');
    const r3 = await app.request('/api/imports', { method: 'POST', body: big, headers: { authorization: `Bearer ${ws.rep.token}` } });
    expect(r3.status).toBe(413);
    // the JSON form, with a mapping override
    const json = await as('POST', '/api/imports', {
      csv: 'Who,Mail\nJane Roe,jane@roe.example\n',
      map: ['name=Who', 'email=Mail'],
      dryRun: true,
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ newContacts: 1, mapping: { name: ['Who'], email: ['Mail'] } });
    expect((await as('POST', '/api/imports', { csv: 'Name\nX\n', extra: 1 })).status).toBe(400);
  });

  it('exports everything it holds and reads its own export back unchanged (export -> import into a fresh workspace -> export)', async () => {
    const a = await makeWorkspace(t.sql, t.db);
    const asA = caller(app, a.rep.token);
    await upload(a.rep.token, await fixture('plain-ja-shift_jis.csv'));
    await upload(a.rep.token, await fixture('google-contacts.csv'));
    await asA('POST', '/api/contacts', {
      name: '=HYPERLINK("x")',
      emails: ['formula@evil.example'],
      phone: '+81 3-0000-0000',
      stage: 'churned',
      ownerEmail: a.manager.email,
      tags: ['a b', '重要', 'Acme, Inc. partner', 'x;y', 'back\\slash'],
      custom: { 'Renewal date': '2027-01-31', tier: 'gold' },
      timezone: 'Asia/Tokyo',
      company: { name: 'Evil, Inc.', domain: 'evil.example' },
    });
    const named = await asA('POST', '/api/contacts', { name: 'Quiet Person', emails: ['quiet@quiet.example', 'q2@quiet.example'] });
    await t.sql.query(`update crm.contacts set last_interaction_at = '2026-11-20T09:30:00Z' where id = $1`, [named.body.id]);
    await t.sql.query(`update crm.contacts set owner_id = null where id = $1`, [named.body.id]);

    const exportOf = async (token: string) => {
      const res = await app.request('/api/contacts/export', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="rapport-contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    };
    const csv1 = await exportOf(a.manager.token);
    expect(csv1).toContain(`'=HYPERLINK(""x"")`);
    expect(csv1).toContain('"a b; 重要; Acme, Inc. partner; x\\;y; back\\\\slash"');

    // a fresh workspace of the same team (the owners are its members too)
    const b = await makeWorkspace(t.sql, t.db);
    for (const m of [a.manager, a.rep, a.rep2, a.admin]) {
      await t.sql.query(`insert into crm.members (workspace_id, email, display_name, role) values ($1, $2, $3, $4)`, [b.id, m.email, `${m.name} B`, m.role]);
    }
    const imported = await upload(b.admin.token, new TextEncoder().encode(csv1));
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ rows: 8, newContacts: 8, rejectedRows: 0 });
    const second = await exportOf(b.admin.token);

    const table = (csv: string) => parseCsv(csv.slice(1)).map((r) => r.fields);
    const [h1, ...rows1] = table(csv1);
    const [h2, ...rows2] = table(second);
    expect(h2).toEqual(h1);
    const strip = (r: string[]) => r.slice(0, -2);
    expect(rows2.map(strip)).toEqual(rows1.map(strip));
    // ids and creation dates are the new workspace's own
    const ids1 = new Set(rows1.map((r) => r.at(-1)));
    expect(rows2.every((r) => !ids1.has(r.at(-1)))).toBe(true);
    expect(rows2.every((r, i) => r.at(-2) !== rows1[i]!.at(-2))).toBe(true);
    // an owner left blank stays blank; the last interaction comes back
    const quiet = rows2.find((r) => r[0] === 'Quiet Person')!;
    expect(quiet.slice(1, 3)).toEqual(['quiet@quiet.example; q2@quiet.example', '']);
    expect(quiet[10]).toMatch(/^2026-11-20T09:30:00/);

    const json = (await caller(app, b.admin.token)('GET', '/api/contacts/export?format=json')).body;
    expect(json.count).toBe(8);
    expect(json.items.find((c: any) => c.name === '=HYPERLINK("x")')).toMatchObject({
      company: { name: 'Evil, Inc.', domain: 'evil.example' },
      custom: { 'Renewal date': '2027-01-31', tier: 'gold' },
      timezone: 'Asia/Tokyo',
      // a tag with a comma, a semicolon or a backslash comes back as one tag
      tags: ['a b', '重要', 'Acme, Inc. partner', 'x;y', 'back\\slash'],
      owner: a.manager.email,
      stage: 'churned',
    });
    expect((await caller(app, b.admin.token)('GET', '/api/contacts/export?format=xml')).status).toBe(400);
  });

  it('tells the CLI which workspace and member it acts as', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    expect(await t.db.callAnonymous('cli_actor', { workspaceId: ws.id })).toMatchObject({
      workspaceId: ws.id,
      memberId: ws.admin.id,
      email: ws.admin.email,
    });
    expect(await t.db.callAnonymous('cli_actor', { workspaceId: ws.id, email: ws.rep.email.toUpperCase() })).toMatchObject({
      memberId: ws.rep.id,
    });
    expect(await t.db.callAnonymous('cli_actor', { email: ws.rep2.email })).toMatchObject({ workspaceId: ws.id, memberId: ws.rep2.id });
    await expect(t.db.callAnonymous('cli_actor', {})).rejects.toMatchObject({ key: 'workspace_ambiguous' });
    await expect(t.db.callAnonymous('cli_actor', { workspaceId: randomUUID() })).rejects.toMatchObject({ key: 'workspace_unknown' });
    await expect(t.db.callAnonymous('cli_actor', { workspaceId: ws.id, email: 'nobody@x.example' })).rejects.toMatchObject({
      key: 'member_unknown',
    });
  });
});
