import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';

/**
 * Search answers a query several ways (each kind of match through its trigram
 * or CJK gram index or walked in name order, bounded by the page; the full
 * query); with more contacts than a page, every way must give exactly the page
 * the plain definition gives:
 * contacts whose name, an address, their company's name or domain, phone
 * digits or reading (kana, romaji, pinyin: crm.reading_key) contain the query,
 * in name order, paged by cursor.
 */
describe.each(['pglite', 'postgres'] as const)('search beyond the first walk of 10,000 names on %s', (kind) => {
  let t: TestDb;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    app = createApp({ db: t.db });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
    for (const w of [ws, other]) {
      await t.sql.exec(`
        insert into crm.companies (id, workspace_id, name, domain, source)
        values (md5('${w.id}:diamond')::uuid, '${w.id}', 'Diamond Corp', 'diamond.example', 'import'),
               (md5('${w.id}:tanaka')::uuid, '${w.id}', '株式会社田中', 'tanaka-kk.example', 'import');
        -- 10,100 that sort first and match nothing (more than the first walk
        -- of 10,000 names takes), then matches of every kind
        insert into crm.contacts (workspace_id, name, source, company_id, phone, stage)
        select '${w.id}', 'Aaron ' || lpad(g::text, 5, '0'), 'import', null, null, 'prospect' from generate_series(1, 10100) g;
        insert into crm.contacts (workspace_id, name, source, company_id, phone)
        select '${w.id}', n, 'import', co, ph from (values
          ('Zed Williamson', null::uuid, null::text), ('Liam Brown', null, null), ('Yolanda Xu', null, null),
          ('Carol Diamondback', null, null), ('Bob Stone', md5('${w.id}:diamond')::uuid, null),
          ('Mia Green', null, '+81 3-1234-5678'), ('田中 太郎', null, null), ('佐藤 花子', md5('${w.id}:tanaka')::uuid, null),
          ('田中 花子', null, null), ('中田 健', null, null)) v(n, co, ph)
        cross join generate_series(1, 4) k;
        -- 320 names after the walk that match 'quill' (the ordered name scan takes
        -- 200 of them): every fifth a customer, prospects only after the 250th
        -- (a filter none of the first 200 passes, and the walk of 500 prospects
        -- finds none), two merged away, and people who
        -- match only by address among and after them
        insert into crm.contacts (workspace_id, name, source, stage)
        select '${w.id}', 'Quentin Quill ' || lpad(g::text, 4, '0'), 'import',
          case when g > 250 then 'prospect' when g % 5 = 0 then 'customer' else 'lead' end
        from generate_series(1, 320) g;
        insert into crm.contacts (workspace_id, name, source, stage)
        values ('${w.id}', 'Quentin Quilk 0150x', 'import', 'customer'), ('${w.id}', 'Quentin Zz', 'import', 'lead');
        update crm.contacts m set merged_into_id = (select id from crm.contacts where workspace_id = '${w.id}' and name = 'Quentin Quill 0001')
        where m.workspace_id = '${w.id}' and m.name in ('Quentin Quill 0002', 'Quentin Quill 0003');
        insert into crm.contact_emails (workspace_id, contact_id, email, is_primary)
        select '${w.id}', id, 'c' || row_number() over (order by id)
          || case when name = 'Yolanda Xu' then '.iam@mail.example' when name in ('Quentin Quilk 0150x', 'Quentin Zz') then '.quill@mail.example' else '@mail.example' end, true
        from crm.contacts where workspace_id = '${w.id}';
        -- second addresses: domains that match what no name does, and a local
        -- part that only repeats its name (a piece of letters only finds them
        -- through crm.email_domains and local_rest)
        insert into crm.contact_emails (workspace_id, contact_id, email)
        select '${w.id}', id, case name when 'Liam Brown' then 'lb' || n || '@orchard-well.example'
          when 'Bob Stone' then 'bob' || n || '@welldone.example' else 'mia.green' || n || '@greenhouse.example' end
        from (select id, name, row_number() over (order by id) as n from crm.contacts
              where workspace_id = '${w.id}' and name in ('Liam Brown', 'Bob Stone', 'Mia Green')) x;
        -- readings (issue 21): kana ones after the walk, one among the Latin names
        update crm.contacts set reading = case name when '田中 太郎' then 'たなか たろう' when '佐藤 花子' then 'サトウ ハナコ'
          when '中田 健' then 'なかた けん' else 'ぜっど うぃりあむそん' end
        where workspace_id = '${w.id}' and name in ('田中 太郎', '佐藤 花子', '中田 健', 'Zed Williamson');
        update crm.contacts set reading = 'wang wei' where workspace_id = '${w.id}' and name = 'Quentin Quill 0300';`);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  /** the plain definition, straight from the tables */
  async function expected(q: string, digits?: string, stage?: string): Promise<string[]> {
    const rows = await t.sql.query<{ id: string }>(
      `select c.id::text as id from crm.contacts c
        where c.workspace_id = $1 and c.merged_into_id is null and ($4::text is null or c.stage = $4)
          and (c.name_key like '%' || crm.fold($2) || '%'
            or exists (select 1 from crm.contact_emails e where e.workspace_id = c.workspace_id and e.contact_id = c.id and lower(e.email) like '%' || crm.fold($2) || '%')
            or exists (select 1 from crm.companies co where co.workspace_id = c.workspace_id and co.id = c.company_id
                       and (co.name_key like '%' || crm.fold($2) || '%' or co.domain like '%' || crm.fold($2) || '%'))
            or ($3::text is not null and c.phone_digits like '%' || $3 || '%')
            or crm.reading_key(c.reading) like '%' || crm.kana_fold($2) || '%')
        order by c.name_key, c.id`,
      [ws.id, q, digits ?? null, stage ?? null],
    );
    return rows.map((r) => r.id);
  }

  async function searchAll(q: string, stage?: string): Promise<string[]> {
    const rep = caller(app, ws.rep.token);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const r: any = await rep('GET', `/api/contacts?q=${encodeURIComponent(q)}&limit=7${stage ? `&stage=${stage}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }

  it('uses the trigram indexes this database can hold: per workspace on PostgreSQL (btree_gin), global on PGlite', async () => {
    const rows = await t.sql.query<{ name: string }>(
      `select indexname as name from pg_indexes where schemaname = 'crm'
         and indexname in ('contacts_ws_name_trgm', 'contact_emails_ws_trgm', 'contacts_name_trgm', 'contact_emails_trgm')
       order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(
      kind === 'postgres' ? ['contact_emails_ws_trgm', 'contacts_ws_name_trgm'] : ['contact_emails_trgm', 'contacts_name_trgm'],
    );
  });

  it.each([
    ['iam', undefined],
    ['diamond', undefined],
    ['son', undefined],
    ['田中', undefined],
    ['中', undefined],
    ['株式会社', undefined],
    ['1234', '1234'],
    ['zzzz', undefined],
    ['aron100', undefined],
    ['aron1', undefined],
    ['well', undefined],
    ['orchard', undefined],
    ['house', undefined],
    ['green', undefined],
    ['xu', undefined],
    ['0x', undefined],
    ['ZED', undefined],
    ['quill', undefined],
    ['QUIL', undefined],
    ['たなか', undefined],
    ['タナカ', undefined],
    ['ﾀﾅｶ', undefined],
    ['tanaka', undefined],
    ['tanaka taro', undefined],
    ['ｔａｎａｋａ ｔａｒｏｕ', undefined],
    ['sato', undefined],
    ['なか', undefined],
    ['wang wei', undefined],
    ['wangwei', undefined],
  ])('finds %s exactly as the plain definition does, page by page, and nothing of the other workspace', async (q, digits) => {
    const want = await expected(q, digits);
    expect(await searchAll(q)).toEqual(want);
  });

  it("keeps an address in its contact's place in name order through a rename, a merge and its undo", async () => {
    const rep = caller(app, ws.rep.token);
    const idOf = async (name: string) =>
      (await t.sql.query<{ id: string }>(`select id::text as id from crm.contacts where workspace_id = $1 and name = $2 order by id`, [ws.id, name])).map(
        (r) => r.id,
      );
    // the four Yolanda Xu match "iam" by their addresses alone (c….iam@mail.example)
    const [yolanda, , , other] = await idOf('Yolanda Xu');
    expect((await rep('PATCH', `/api/contacts/${yolanda}`, { name: 'AAA Yolanda Xu' })).status).toBe(200);
    const renamed = await searchAll('iam');
    expect(renamed).toEqual(await expected('iam'));
    expect(renamed[0]).toBe(yolanda);

    // a contact that matched nothing takes another's address by a merge, and gives it back on undo
    const [aaron] = await idOf('Aaron 00001');
    const merged = await rep('POST', `/api/contacts/${aaron}/merge`, { from: [other] });
    expect(merged.status).toBe(200);
    const afterMerge = await searchAll('iam');
    expect(afterMerge).toEqual(await expected('iam'));
    expect(afterMerge.slice(0, 2)).toEqual([yolanda, aaron]);
    expect((await rep('POST', `/api/merges/${merged.body.merge.id}/undo`)).status).toBe(200);
    const undone = await searchAll('iam');
    expect(undone).toEqual(await expected('iam'));
    expect(undone).not.toContain(aaron);
    expect(undone).toContain(other);
  });

  it('finds by reading what no name, address or company holds', async () => {
    expect(await searchAll('wangwei')).toHaveLength(1);
    expect(await searchAll('ﾀﾅｶ ﾀﾛｳ')).toHaveLength(4); // the four 田中 太郎
    expect(await searchAll('williamson')).toEqual(await searchAll('iriamuson'));
  });

  it.each([
    ['customer', 40],
    ['prospect', 70],
  ])('pages a common pattern filtered to %s stage (some or none of the first 200 name matches pass)', async (stage, n) => {
    const want = await expected('quill', undefined, stage);
    expect(want.length).toBeGreaterThanOrEqual(n);
    expect(await searchAll('quill', stage)).toEqual(want);
  });
});
