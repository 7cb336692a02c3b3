import { describe, expect, it } from 'vitest';
import { normalizeReading, pinyinOf, readingFor } from '../../backend/contacts/reading.js';

describe('readings of names', () => {
  it('stores a given reading folded: half-width kana, full-width letters, spaces', () => {
    expect(normalizeReading(' ﾀﾅｶ　ﾀﾛｳ ')).toBe('タナカ タロウ');
    expect(normalizeReading('ＷＡＮＧ  Ｗｅｉ')).toBe('WANG Wei');
    expect(normalizeReading('   ')).toBeNull();
    expect(normalizeReading(undefined)).toBeNull();
    expect(normalizeReading('か'.repeat(300))).toHaveLength(200);
  });

  it('computes pinyin for Chinese names only, with surname readings', () => {
    expect(pinyinOf('王伟')).toBe('wang wei');
    expect(pinyinOf('单田芳')).toBe('shan tian fang');
    expect(pinyinOf('田中 たろう')).toBeNull();
    expect(pinyinOf('Jane Doe')).toBeNull();
  });

  it('keeps what was given, and computes pinyin only for a Chinese reader', () => {
    expect(readingFor('王伟', null, 'zh')).toBe('wang wei');
    expect(readingFor('王伟', 'Wáng Wěi', 'zh')).toBe('Wáng Wěi');
    expect(readingFor('田中 太郎', 'たなか たろう', 'ja')).toBe('たなか たろう');
    expect(readingFor('田中 太郎', null, 'ja')).toBeNull();
    expect(readingFor('王伟', null, 'en')).toBeNull();
  });
});
