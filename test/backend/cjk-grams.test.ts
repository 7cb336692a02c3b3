import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/databases.js';

/**
 * contacts_cjk_grams indexes crm.cjk_grams(workspace_id, name_key). The
 * function was rewritten for speed (20261202000300_cjk_grams_one_pass.sql);
 * an index on an immutable function stays valid only if the new body gives
 * exactly what the old one gave for every input, so this holds it to the
 * first definition on names of every script, lengths and edge cases.
 */
const FIRST_DEFINITION = `
create schema reference;
create function reference.cjk_grams_first(ws uuid, k text) returns text[]
  language sql immutable
as $$
  select case when not crm.has_cjk(k) then '{}'::text[] else coalesce((
    select array_agg(distinct left(ws::text, 8) || ':' || g)
    from (
      select substr(k, i, 1) as g from generate_series(1, length(k)) i
      union all
      select substr(k, i, 2) from generate_series(1, length(k) - 1) i
    ) x
    where crm.has_cjk(g)), '{}'::text[]) end
$$`;

function names(): (string | null)[] {
  const fixed = [
    null,
    '',
    ' ',
    'a',
    '田',
    '田中',
    'tanaka田中',
    '田中 太郎',
    'John Smith',
    '王伟 Wang',
    '張 偉',
    'ｱｲｳ abc 가나다',
    '㐀𠀀 x',
    '😀田😀',
    '田\u0301中',
    `${'名'.repeat(290)} 12`,
    '株式会社田中 (東京)',
    'ﾀﾅｶ ﾀﾛｳ',
    '김민준',
    'a田b中c',
  ];
  // random mixes of Latin, kana, han, hangul, emoji, combining marks and spaces
  const pool = ['a', 'Z', ' ', '-', 'é', 'ア', 'ｱ', 'あ', '田', '中', '𠀀', '가', '😀', '\u0301', '⺀', '鿿', '豈', 'ﾟ', '·'];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const random = Array.from({ length: 300 }, () => Array.from({ length: 1 + rnd(40) }, () => pool[rnd(pool.length)]).join(''));
  return [...fixed, ...random];
}

describe.each(['pglite', 'postgres'] as const)('crm.cjk_grams on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('gives what its first definition gave, for every name (so the gram index needs no rebuild)', async () => {
    const list = names();
    await t.sql.exec(FIRST_DEFINITION);
    const got = await t.sql.query<{ name: string | null; now: string[]; first: string[] }>(
      `select n as name, crm.cjk_grams(ws, crm.fold(n)) as now, reference.cjk_grams_first(ws, crm.fold(n)) as first
       from unnest($1::text[]) n, (values ('3b9d9e66-1111-4222-8333-444455556666'::uuid)) w(ws)`,
      [list],
    );
    expect(got).toHaveLength(list.length);
    for (const r of got) expect({ name: r.name, grams: [...r.now].sort() }).toEqual({ name: r.name, grams: [...r.first].sort() });
    // and not trivially: most of these names have grams
    expect(got.filter((r) => r.now.length > 0).length).toBeGreaterThan(200);
    expect(got.find((r) => r.name === 'tanaka田中')!.now.sort()).toEqual(['3b9d9e66:a田', '3b9d9e66:中', '3b9d9e66:田', '3b9d9e66:田中']);
  });
});
