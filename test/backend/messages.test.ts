import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { LOCALES, messages, pickLocale, t } from '../../backend/i18n/messages.js';

describe('message catalogue', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(Object.keys(messages))('%s exists in English, Japanese and Chinese with the same placeholders', (key) => {
    const entry = messages[key as keyof typeof messages];
    for (const locale of LOCALES) expect(entry[locale].trim().length).toBeGreaterThan(0);
    expect(placeholders(entry.ja)).toEqual(placeholders(entry.en));
    expect(placeholders(entry.zh)).toEqual(placeholders(entry.en));
    expect(entry.ja).not.toBe(entry.en);
    expect(entry.zh).not.toBe(entry.en);
  });

  it('has a message for every key the SQL raises', async () => {
    const dir = new URL('../../supabase/migrations/', import.meta.url);
    const raised = new Set<string>();
    for (const f of await readdir(dir)) {
      const sql = await readFile(new URL(f, dir), 'utf8');
      for (const m of sql.matchAll(/crm\.fail\(\d{3}, '(\w+)'/g)) raised.add(m[1]!);
      for (const m of sql.matchAll(/message = '(\w+)'/g)) raised.add(m[1]!);
    }
    expect(raised.size).toBeGreaterThan(5);
    expect([...raised].filter((k) => !(k in messages))).toEqual([]);
  });

  it('fills placeholders and picks the best locale from Accept-Language', () => {
    expect(t('ja', 'contact_not_found', { id: 'c1' })).toBe('このワークスペースに連絡先 c1 はありません。');
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pickLocale('fr-FR, ja;q=0.5, en;q=0.4')).toBe('ja');
    expect(pickLocale('fr')).toBe('en');
    expect(pickLocale(undefined)).toBe('en');
  });
});
