import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../backend/i18n/vocabulary.js';
import { messageParts, messages, pickLocale, t } from '../../gmail-addon/src/i18n.js';

describe('the add-on catalogue', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('no two parts of the catalogue define the same key (a later one would silently win)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [part, entries] of Object.entries(messageParts)) {
      for (const key of Object.keys(entries)) {
        if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${part}`);
        seen.set(key, part);
      }
    }
    expect(clashes).toEqual([]);
  });

  it.each(Object.keys(messages))('%s exists in English, Japanese and Chinese with the same placeholders', (key) => {
    const entry = messages[key as keyof typeof messages];
    expect(Object.keys(entry).sort()).toEqual([...LOCALES].sort());
    for (const locale of LOCALES) expect(entry[locale].trim().length).toBeGreaterThan(0);
    expect(placeholders(entry.ja)).toEqual(placeholders(entry.en));
    expect(placeholders(entry.zh)).toEqual(placeholders(entry.en));
  });

  it("fills placeholders and reads Gmail's locale", () => {
    expect(t('ja', 'home_no_results', { query: '田中' })).toBe('「田中」に一致する連絡先はありません。');
    expect(t('zh', 'logged_thread', { created: 2, total: 3 })).toBe('已记录 3 封中的 2 封，其余已在 Rapport 中。');
    expect(t('en', 'kind_call')).toBe('Call');
    expect(t('zh', 'kind_call')).toBe('通话');
    expect(pickLocale('ja-JP')).toBe('ja');
    expect(pickLocale('zh-TW')).toBe('zh');
    expect(pickLocale('fr')).toBe('en');
    expect(pickLocale(undefined)).toBe('en');
  });
});
