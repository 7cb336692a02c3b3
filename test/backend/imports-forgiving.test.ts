import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { normalizeReading } from '../../backend/contacts/reading.js';
import { parseCsv, unescapeCell } from '../../backend/imports/csv.js';
import { domainOf, splitTags } from '../../backend/imports/cells.js';
import { stageOf } from '../../backend/imports/stages.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace } from '../support/fixtures.js';
import { tableDigest } from '../support/table-digest.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/imports/${name}`, import.meta.url), 'utf8');

/** What Rapport holds of one contact, as one flat list of what a cell may have become. */
interface Held {
  id: string;
  name: string;
  reading: string | null;
  stage: string;
  owner: { email: string; display_name: string } | null;
  emails: string[];
  phone: string | null;
  title: string | null;
  tags: string[];
  custom: Record<string, string>;
  company: { name: string; domain: string | null; reading: string | null } | null;
  notes: { body: string; source: string }[];
}

/**
 * Google Contacts and HubSpot exports with Japanese and Chinese rows, imported
 * with skipInvalid (issue 21): every non-empty cell of every imported row is
 * found in its contact or the report's ignored columns; every rejected row is
 * in the rejected CSV with its reason, and imports once fixed; the same file
 * twice changes nothing.
 */
describe.each(['pglite', 'postgres'] as const)('forgiving imports on %s', (kind) => {
  let t: TestDb;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    app = createApp({ db: t.db });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function upload(token: string, csv: string, opts: { skipInvalid?: boolean; map?: string[]; locale?: string; name?: string } = {}) {
    const form = new FormData();
    form.append('file', new Blob([new TextEncoder().encode(csv)], { type: 'text/csv' }), opts.name ?? 'contacts.csv');
    if (opts.skipInvalid !== undefined) form.append('skipInvalid', String(opts.skipInvalid));
    for (const m of opts.map ?? []) form.append('map', m);
    const res = await app.request('/api/imports', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}`, ...(opts.locale ? { 'accept-language': opts.locale } : {}) },
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function held(workspaceId: string): Promise<Map<string, Held>> {
    const rows = await t.sql.query<Held>(
      `select c.id, c.name, c.reading, c.stage, c.phone, c.title, c.tags, c.custom,
         (select jsonb_build_object('email', m.email, 'display_name', m.display_name) from crm.members m where m.id = c.owner_id) as owner,
         coalesce((select jsonb_agg(e.email order by e.is_primary desc, e.email) from crm.contact_emails e where e.contact_id = c.id), '[]') as emails,
         (select jsonb_build_object('name', co.name, 'domain', co.domain, 'reading', co.reading) from crm.companies co where co.id = c.company_id) as company,
         coalesce((select jsonb_agg(jsonb_build_object('body', i.body, 'source', i.source))
                   from crm.interaction_participants p join crm.interactions i on i.id = p.interaction_id
                   where p.contact_id = c.id and i.kind = 'note'), '[]') as notes
       from crm.contacts c where c.workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Whether a cell's value is in the contact: a field, an address, a custom value, a tag, a stage, a note, the company, a reading, the owner. */
  function found(c: Held, header: string, value: string, stageValues: Record<string, 'lead' | 'prospect' | 'customer' | 'churned'>): boolean {
    const v = value.trim();
    const texts = [
      c.name,
      c.reading ?? '',
      c.phone ?? '',
      c.title ?? '',
      ...Object.values(c.custom),
      ...c.notes.map((n) => n.body),
      c.company?.name ?? '',
      c.company?.reading ?? '',
      c.owner?.display_name ?? '',
      c.owner?.email ?? '',
    ];
    if (texts.some((x) => x.includes(v))) return true;
    if (c.emails.some((e) => v.toLowerCase().includes(e.toLowerCase()))) return true;
    if (c.company?.domain && domainOf(v) === c.company.domain) return true;
    // labels: each is a tag, names the stage, or is one of Google's system groups ("* myContacts")
    if (/label|stage/i.test(header)) {
      return splitTags(v).every((l) => c.tags.includes(l) || stageOf(l, stageValues) === c.stage) && v.split(/\s*:::\s*/).every((l) => !!l);
    }
    return false;
  }

  async function importsLosingNothing(file: string, map: string[], expected: { imported: number; skipped: number; reasons: string[] }) {
    const ws = await makeWorkspace(t.sql, t.db);
    const csv = await fixture(file);
    const res = await upload(ws.manager.token, csv, { skipInvalid: true, map, name: file });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ written: true, skipInvalid: true, imported: expected.imported, skipped: expected.skipped, existing: [] });
    expect([...new Set((res.body.rejected as any[]).map((r) => r.reason))].sort()).toEqual([...expected.reasons].sort());
    expect(res.body.summary).toContain('rejectedCsv');

    const records = parseCsv(csv);
    const header = records.shift()!.fields;
    const rejectedLines = new Set((res.body.rejected as any[]).map((r) => r.line));
    const contacts = [...(await held(ws.id)).values()];
    expect(contacts).toHaveLength(expected.imported);
    const ignored = new Set(res.body.ignored as string[]);

    // every non-empty cell of every imported row is in its contact, or its column is listed as ignored
    for (const rec of records.filter((r) => !rejectedLines.has(r.line))) {
      const email = rec.fields[header.findIndex((h) => /^(E-mail 1 - Value|Email)$/.test(h))]!;
      const c = contacts.find((x) => x.emails.includes(email));
      expect(c, `line ${rec.line}`).toBeDefined();
      rec.fields.forEach((cell, i) => {
        if (!cell.trim() || ignored.has(header[i]!)) return;
        expect(found(c!, header[i]!, cell, res.body.stageValues), `line ${rec.line}, ${header[i]}: ${cell}`).toBe(true);
      });
      // imported notes are marked as imported, one per contact
      expect(c!.notes.every((n) => n.source === 'import')).toBe(true);
      expect(c!.notes.length).toBeLessThanOrEqual(1);
    }

    // every rejected row is in the rejected CSV, as the file had it, with its reason
    const back = parseCsv((res.body.rejectedCsv as string).replace(/^\uFEFF/, ''));
    const backHeader = back.shift()!.fields;
    expect(backHeader).toEqual([...header, 'Rejected because']);
    expect(back).toHaveLength(rejectedLines.size);
    const originals = records.filter((r) => rejectedLines.has(r.line));
    back.forEach((r, k) => {
      expect(r.fields.slice(0, header.length).map(unescapeCell)).toEqual(originals[k]!.fields.slice(0, header.length));
      expect(r.fields.at(-1)!.length).toBeGreaterThan(5);
    });
    return { ws, csv, res, header, back };
  }

  it('imports a Google Contacts export with Japanese and Chinese rows, skipping its six bad rows and losing nothing else', async () => {
    const { ws, csv, res } = await importsLosingNothing('google-contacts-cjk.csv', [], {
      imported: 24,
      skipped: 6,
      reasons: ['import_email_invalid', 'import_name_missing', 'import_too_long', 'import_domain_invalid', 'import_duplicate_row'],
    });
    expect(res.body.ignored).toEqual(expect.arrayContaining(['Photo', 'E-mail 1 - Label', 'Phone 1 - Label', 'Website 1 - Label']));
    const all = [...(await held(ws.id)).values()];
    const by = (name: string) => all.find((c) => c.name === name)!;
    expect(by('田中太郎')).toMatchObject({
      reading: 'たなか たろう',
      stage: 'customer',
      tags: ['展示会'],
      phone: '090-1234-5678',
      company: { name: '株式会社サンプル', domain: 'sample.co.jp' },
      custom: expect.objectContaining({ Birthday: '1980-04-01', 'Phone 2 - Value': '03-1234-5678', 'Address 1 - City': '東京' }),
      notes: [{ body: '展示会で名刺交換。来期の予算を検討中。', source: 'import' }],
    });
    expect(by('田中太郎').emails).toEqual(['taro.tanaka@sample.co.jp', 'tanaka.taro@gmail.com']);
    expect(by('佐藤花子')).toMatchObject({ stage: 'prospect', reading: 'さとう はなこ' });
    expect(by('Jane Doe')).toMatchObject({ stage: 'customer', tags: ['conference'], company: { domain: 'acme.example' } });
    expect(by('王伟')).toMatchObject({ reading: 'wang wei', stage: 'customer' });
    // a Chinese row without a phonetic column: no pinyin for an English-speaking importer
    expect(by('李芳').reading).toBeNull();
    // free mail makes no company
    expect(by('高橋美咲').company).toBeNull();

    // the same file again changes nothing: no second note, company, stage or owner
    const before = await tableDigest(t.sql);
    const again = await upload(ws.manager.token, csv, { skipInvalid: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: 0, skipped: 6, written: false });
    expect(again.body.existing).toHaveLength(24);
    expect(again.body.existing[0].message).toMatch(/\/crm duplicates.*\/c\/[0-9a-f-]{36}/);
    expect(await tableDigest(t.sql)).toEqual(before);
  });

  it('imports a HubSpot export: owners by name, lifecycle stages in three languages, a stage mapping, and the fixed rejected rows again', async () => {
    const { ws, back, header } = await importsLosingNothing('hubspot-cjk.csv', ['stage=Lifecycle Stage:VIP=customer'], {
      imported: 24,
      skipped: 6,
      reasons: ['import_email_invalid', 'import_owner_unknown', 'import_stage_unmapped', 'import_name_missing', 'import_too_long', 'import_duplicate_row'],
    });
    const all = [...(await held(ws.id)).values()];
    const by = (name: string) => all.find((c) => c.name === name)!;
    expect(by('山田一郎')).toMatchObject({
      reading: 'やまだ いちろう',
      stage: 'customer',
      owner: { display_name: 'Mia Manager' },
      company: { name: '山田工業', domain: 'yamada-kogyo.co.jp', reading: 'やまだこうぎょう' },
      notes: [{ body: '年間契約の更新は3月。', source: 'import' }],
    });
    expect(by('孙涛')).toMatchObject({ reading: 'sun tao', stage: 'customer', company: { name: '东方电子', reading: 'dong fang dian zi' } });
    expect(by('Nina Rossi').stage).toBe('customer');
    expect(by('Tom Baker').owner).toBeNull();
    // a company from the address's domain when the company column is empty
    expect(by('木村拓也').company).toMatchObject({ domain: 'example.co.jp' });

    // the rejected rows, fixed, import: the reason column is left out
    const fixedRows = back.map((r) => {
      const f = [...r.fields];
      const at = (h: string) => header.indexOf(h);
      if (f[at('Email')]!.includes('@@')) f[at('Email')] = f[at('Email')]!.replace('@@', '@');
      if (f[at('Contact owner')] === '佐々木 健') f[at('Contact owner')] = 'Ren Rep';
      if (f[at('Lifecycle Stage')] === 'Platinum Partner') f[at('Lifecycle Stage')] = 'customer';
      if (!f[at('First Name')]) f[at('First Name')] = 'No';
      if (f[at('First Name')]!.length > 300) f[at('First Name')] = 'Zed';
      if (f[at('Email')]!.toLowerCase() === 'lucy.chen@umbrella.example') f[at('Email')] = 'lucy.chen2@umbrella.example';
      return f;
    });
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const fixed = [[...header, 'Rejected because'], ...fixedRows].map((r) => r.map(quote).join(',')).join('\r\n');
    const res = await upload(ws.manager.token, fixed, { skipInvalid: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ imported: 6, skipped: 0 });
    expect(res.body.ignored).toContain('Rejected because');
    expect((await held(ws.id)).size).toBe(30);
  });

  it('stays all or nothing without skipInvalid, and says how a stage value is mapped, in the reader’s language', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const res = await upload(ws.manager.token, await fixture('hubspot-cjk.csv'), { locale: 'ja' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({ written: false, imported: 0, skipped: 7 });
    const vip = (res.body.error.details.rejected as any[]).find((r) => r.reason === 'import_stage_unmapped');
    expect(vip.message).toContain('map stage=Lifecycle Stage:VIP=customer');
    expect(await held(ws.id)).toHaveProperty('size', 0);
  });

  it('gives pinyin to Chinese names for a Chinese importer, and a rejected CSV in Chinese', async () => {
    const ws = await makeWorkspace(t.sql, t.db, { locale: 'zh' });
    const res = await upload(ws.manager.token, await fixture('google-contacts-cjk.csv'), { skipInvalid: true, locale: 'zh' });
    expect(res.status).toBe(201);
    const all = [...(await held(ws.id)).values()];
    expect(all.find((c) => c.name === '李芳')!.reading).toBe(normalizeReading('li fang'));
    expect(all.find((c) => c.name === '田中太郎')!.reading).toBe('たなか たろう');
    expect((res.body.rejectedCsv as string).split('\r\n')[0]).toContain('未导入原因');
  });

  it('skips in parts as in one (a file larger than a part), and takes skipInvalid in a JSON body too', async () => {
    const ws = await makeWorkspace(t.sql, t.db);
    const parts = createApp({ db: t.db, imports: { partRows: 7 } });
    const form = new FormData();
    form.append('file', new Blob([await fixture('google-contacts-cjk.csv')], { type: 'text/csv' }), 'g.csv');
    form.append('skipInvalid', 'true');
    const res = await parts.request('/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${ws.manager.token}` } });
    const body = (await res.json()) as any;
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ imported: 24, skipped: 6, written: true });
    expect((await held(ws.id)).size).toBe(24);

    const json = await app.request('/api/imports', {
      method: 'POST',
      body: JSON.stringify({ csv: 'Name,Email\nOk One,ok.one@json.example\nBad One,not-an-address\n', skipInvalid: true }),
      headers: { authorization: `Bearer ${ws.manager.token}`, 'content-type': 'application/json' },
    });
    expect(json.status).toBe(201);
    const out = (await json.json()) as any;
    expect(out).toMatchObject({ imported: 1, skipped: 1 });
    expect(out.rejectedCsv).toBe('\uFEFFName,Email,Rejected because\r\nBad One,not-an-address,not-an-address is not an email address.\r\n');
  });
});
