import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { ADAPTERS, openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * Readings of names (issue 21) on every database: the field in the API (given,
 * computed for a Chinese writer, kept or made again on a rename), search by
 * kana, romaji and pinyin, and lists in reading order for ja and zh readers.
 */
describe.each(ADAPTERS)('readings on %s', (kind) => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb(kind);
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db });
    ws = await makeWorkspace(t.sql, t.db);
    other = await makeWorkspace(t.sql, t.db);
    await t.sql.query(`update crm.members set locale = 'zh' where id = $1`, [ws.rep2.id]);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  const as = (token: string) => caller(app, token);
  const setLocale = (memberId: string, locale: string) => t.sql.query(`update crm.members set locale = $2 where id = $1`, [memberId, locale]);

  it('folds a reading into its search key: kana, romaji with and without long vowels, pinyin without tones', async () => {
    const rows = await t.sql.query<{ k: string }>(
      `select crm.reading_key(r) as k from unnest(array['たなか たろう', 'ﾀﾅｶ ﾀﾛｳ', 'きょうこ', 'はっとり', 'ラーメン', 'Wáng Wěi', 'lü', null]) with ordinality u(r, o) order by o`,
    );
    expect(rows.map((r) => r.k)).toEqual([
      'たなかたろう tanakatarou tanakataro',
      'たなかたろう tanakatarou tanakataro',
      'きょうこ kyouko kyoko',
      'はっとり hattori hattori',
      'らーめん raamen ramen',
      'wangwei',
      'lu lv',
      null,
    ]);
  });

  it('takes a reading on create and PATCH, folds it, clears it with null, and refuses one over 200 characters', async () => {
    const rep = as(ws.rep.token);
    const made = await rep('POST', '/api/contacts', { name: '田中 太郎', reading: 'ﾀﾅｶ　ﾀﾛｳ' });
    expect(made.status).toBe(201);
    expect(made.body.reading).toBe('タナカ タロウ');
    const got = await rep('GET', `/api/contacts/${made.body.id}`);
    expect(got.body.reading).toBe('タナカ タロウ');
    const renamed = await rep('PATCH', `/api/contacts/${made.body.id}`, { name: '田中 太朗' });
    expect(renamed.body.reading).toBe('タナカ タロウ'); // given: kept across a rename
    const cleared = await rep('PATCH', `/api/contacts/${made.body.id}`, { reading: null });
    expect(cleared.body.reading).toBeNull();
    const tooLong = await rep('PATCH', `/api/contacts/${made.body.id}`, { reading: 'か'.repeat(201) });
    expect(tooLong.status).toBe(400);
    const company = await rep('POST', '/api/companies', { name: 'トヨタ自動車', reading: 'とよたじどうしゃ' });
    expect(company.status).toBe(201);
    expect(company.body.reading).toBe('とよたじどうしゃ');
    const patched = await rep('PATCH', `/api/companies/${company.body.id}`, { reading: null });
    expect(patched.body.reading).toBeNull();
  });

  it('computes pinyin for a Chinese writer only, and makes it again when the name changes', async () => {
    const zh = as(ws.rep2.token);
    const wang = await zh('POST', '/api/contacts', { name: '王伟' });
    expect(wang.body.reading).toBe('wang wei');
    const renamed = await zh('PATCH', `/api/contacts/${wang.body.id}`, { name: '王芳' });
    expect(renamed.body.reading).toBe('wang fang');
    const typed = await zh('PATCH', `/api/contacts/${wang.body.id}`, { reading: 'Wáng Fāng' });
    expect(typed.body.reading).toBe('Wáng Fāng');
    expect((await zh('PATCH', `/api/contacts/${wang.body.id}`, { name: '王芳芳' })).body.reading).toBe('Wáng Fāng');
    const en = await as(ws.rep.token)('POST', '/api/contacts', { name: '李娜' });
    expect(en.body.reading).toBeNull(); // an English writer gets no pinyin unasked
    const co = await zh('POST', '/api/companies', { name: '华为' });
    expect(co.body.reading).toBe('hua wei');
  });

  describe('search by reading', () => {
    let tanaka: string;
    let wang: string;
    let company: string;
    beforeAll(async () => {
      const rep = as(ws.rep.token);
      tanaka = (await rep('POST', '/api/contacts', { name: '田中 太郎', reading: 'たなか たろう', emails: ['t.taro@example.jp'] })).body.id;
      wang = (await rep('POST', '/api/contacts', { name: '王伟', reading: 'wang wei' })).body.id;
      company = (await rep('POST', '/api/companies', { name: '株式会社山田製作所', reading: 'やまだせいさくしょ' })).body.id;
      // the same people in the other workspace: never found from this one
      const o = as(other.rep.token);
      await o('POST', '/api/contacts', { name: '田中 太郎', reading: 'たなか たろう' });
      await o('POST', '/api/contacts', { name: '王伟', reading: 'wang wei' });
    });

    it.each(['たなか', 'タナカ', 'ﾀﾅｶ', 'tanaka', 'ｔａｎａｋａ', 'TANAKA', 'たなか たろう', 'tanaka taro', 'tanaka tarou', 'tanakatarou'])(
      'finds 田中 太郎 by %s',
      async (q) => {
        const r = await as(ws.rep.token)('GET', `/api/contacts?q=${encodeURIComponent(q)}`);
        expect(r.status).toBe(200);
        expect(r.body.items.map((c: { id: string }) => c.id)).toContain(tanaka);
        expect(r.body.items.every((c: { reading: string | null }) => c.reading !== null)).toBe(true);
        expect(r.body.items).toHaveLength(1);
      },
    );

    it.each(['wangwei', 'wang wei', 'WANG WEI'])('finds 王伟 by %s', async (q) => {
      const r = await as(ws.rep.token)('GET', `/api/contacts?q=${encodeURIComponent(q)}`);
      expect(r.body.items.map((c: { id: string }) => c.id)).toEqual([wang]);
    });

    it('finds a company by its reading, and the web search answers the readings', async () => {
      for (const q of ['やまだ', 'ヤマダ', 'yamada', 'seisakusho']) {
        const r = await as(ws.rep.token)('GET', `/api/companies?q=${encodeURIComponent(q)}`);
        expect(r.body.items.map((c: { id: string }) => c.id)).toEqual([company]);
      }
      const web = await t.db.call<{ contacts: { id: string; reading: string | null }[] }>(
        'web_search',
        { workspaceId: ws.id, memberId: ws.rep.id, source: 'web', now: new Date().toISOString() },
        { q: 'tanaka' },
      );
      expect(web.contacts).toEqual([expect.objectContaining({ id: tanaka, reading: 'たなか たろう' })]);
    });
  });

  it('pages a mixed list in reading order for ja and zh readers, each contact once, and in name order for en', async () => {
    const w = await makeWorkspace(t.sql, t.db);
    const names: [string, string | null][] = [];
    const jp: [string, string][] = [
      ['田中 太郎', 'たなか たろう'],
      ['佐藤 花子', 'さとう はなこ'],
      ['鈴木 一郎', 'すずき いちろう'],
      ['高橋 健', 'たかはし けん'],
      ['伊藤 美咲', 'いとう みさき'],
      ['渡辺 翔', 'わたなべ しょう'],
      ['山本 和也', 'やまもと かずや'],
      ['中村 愛', 'なかむら あい'],
      ['小林 大輔', 'こばやし だいすけ'],
      ['加藤 陽子', 'かとう ようこ'],
      ['吉田 拓也', 'よしだ たくや'],
      ['山田 花', 'やまだ はな'],
      ['佐々木 優', 'ささき ゆう'],
      ['松本 潤', 'まつもと じゅん'],
      ['井上 真央', 'いのうえ まお'],
      ['木村 拓哉', 'きむら たくや'],
      ['林 修', 'はやし おさむ'],
      ['清水 翔太', 'しみず しょうた'],
      ['山崎 賢人', 'やまざき けんと'],
      ['森 七菜', 'もり なな'],
    ];
    const cn: [string, string][] = [
      ['王伟', 'wang wei'],
      ['李娜', 'li na'],
      ['张伟', 'zhang wei'],
      ['刘洋', 'liu yang'],
      ['陈静', 'chen jing'],
      ['杨帆', 'yang fan'],
      ['赵磊', 'zhao lei'],
      ['黄敏', 'huang min'],
      ['周杰', 'zhou jie'],
      ['吴刚', 'wu gang'],
      ['徐静', 'xu jing'],
      ['孙丽', 'sun li'],
      ['马超', 'ma chao'],
      ['胡军', 'hu jun'],
      ['郭涛', 'guo tao'],
    ];
    const latin = ['Alice Young', 'bob stone', 'Carol Ng', 'Dave Li', 'Eve Xu', 'Frank Ma', 'Grace Ho', 'Heidi Wu', 'Ivan Sun', 'Judy Hu', 'Zed Zane'];
    const bare = ['斎藤 誠', '前田 敦子', '藤田 彩', 'タナカ ジロウ', 'さくら', '周', 'ヤマダ', '東京商事', '北島 三郎', 'あおい', '岡田 准一', '石川 遼'];
    names.push(...jp, ...cn, ...latin.map((n): [string, null] => [n, null]), ...bare.map((n): [string, null] => [n, null]));
    expect(names.length).toBeGreaterThanOrEqual(58);
    for (const [n, r] of names) {
      await t.sql.query(`insert into crm.contacts (workspace_id, name, reading, source) values ($1, $2, $3, 'import')`, [w.id, n, r]);
    }
    // one merged away: never listed
    await t.sql.query(
      `insert into crm.contacts (workspace_id, name, reading, source, merged_into_id)
       select $1, 'あああ', 'あああ', 'import', id from crm.contacts where workspace_id = $1 limit 1`,
      [w.id],
    );
    const fold = (s: string) =>
      s
        .normalize('NFKC')
        .toLowerCase()
        .replace(/\s+/gu, '')
        .replace(/[\u30a1-\u30f6]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
    const rows = await t.sql.query<{ id: string; name: string; reading: string | null; name_key: string }>(
      `select id::text, name, reading, name_key from crm.contacts where workspace_id = $1 and merged_into_id is null`,
      [w.id],
    );
    const byKey = (key: (r: (typeof rows)[number]) => string) =>
      [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1)).map((r) => r.name);
    const readingOrder = byKey((r) => fold(r.reading ?? r.name));
    const nameOrder = byKey((r) => r.name_key);
    // the reading order puts 五十音 before kanji without a reading, pinyin among Latin names
    expect(readingOrder.indexOf('伊藤 美咲')).toBeLessThan(readingOrder.indexOf('佐藤 花子'));
    expect(readingOrder.indexOf('李娜')).toBeLessThan(readingOrder.indexOf('Zed Zane'));
    expect(readingOrder.indexOf('タナカ ジロウ')).toBeLessThan(readingOrder.indexOf('斎藤 誠'));

    async function listAll(token: string): Promise<string[]> {
      const out: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 30; page++) {
        const r: any = await as(token)('GET', `/api/contacts?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(7);
        out.push(...r.body.items.map((c: { name: string }) => c.name));
        cursor = r.body.nextCursor;
        if (!cursor) break;
      }
      return out;
    }
    await setLocale(w.rep.id, 'ja');
    expect(await listAll(w.rep.token)).toEqual(readingOrder);
    await setLocale(w.rep.id, 'zh');
    expect(await listAll(w.rep.token)).toEqual(readingOrder);
    await setLocale(w.rep.id, 'en');
    expect(await listAll(w.rep.token)).toEqual(nameOrder);

    // a cursor made in one order goes on in the other from its contact's place
    await setLocale(w.rep.id, 'ja');
    const first: any = await as(w.rep.token)('GET', '/api/contacts?limit=7');
    await setLocale(w.rep.id, 'en');
    const next: any = await as(w.rep.token)('GET', `/api/contacts?limit=7&cursor=${first.body.nextCursor}`);
    const after = nameOrder.indexOf(first.body.items[6].name);
    expect(next.body.items.map((c: { name: string }) => c.name)).toEqual(nameOrder.slice(after + 1, after + 8));

    // companies too
    for (const [n, r] of [
      ['トヨタ', 'とよた'],
      ['Acme', null],
      ['日立', 'ひたち'],
      ['华为', 'hua wei'],
      ['伊藤忠', 'いとうちゅう'],
      ['Zeta', null],
    ] as const) {
      await t.sql.query(`insert into crm.companies (workspace_id, name, reading, source) values ($1, $2, $3, 'import')`, [w.id, n, r]);
    }
    await setLocale(w.rep.id, 'ja');
    const cos: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const r: any = await as(w.rep.token)('GET', `/api/companies?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      cos.push(...r.body.items.map((c: { name: string }) => c.name));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(cos).toEqual(['Acme', '华为', 'Zeta', '伊藤忠', 'トヨタ', '日立']);
  });
});
