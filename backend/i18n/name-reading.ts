import type { Locale } from './vocabulary.js';

/**
 * A name with its reading beside it where the reading helps (issue 21): when
 * the reader's language is not the name's. A Japanese name (kana in the name
 * or its reading) shows its kana to everyone but a reader of Japanese; a
 * Chinese name (Han characters read in pinyin) shows its pinyin to everyone
 * but a reader of Chinese. A Latin name, or a reading that is the name itself,
 * shows nothing more. Shared by the Slack app, the add-on and the digest.
 *   nameWithReading('田中 太郎', 'たなか たろう', 'en') = '田中 太郎（たなか たろう）'
 *   nameWithReading('田中 太郎', 'たなか たろう', 'ja') = '田中 太郎'
 *   nameWithReading('王伟', 'wang wei', 'ja') = '王伟（wang wei）'
 */
export function nameWithReading(name: string, reading: string | null | undefined, locale: Locale): string {
  const shown = readingToShow(name, reading, locale);
  return shown ? `${name}（${shown}）` : name;
}

/** The reading to show beside the name for this reader, or null (the rule of nameWithReading). */
export function readingToShow(name: string, reading: string | null | undefined, locale: Locale): string | null {
  const r = distinctReading(name, reading);
  if (!r) return null;
  const lang = nameLanguage(name, r);
  return lang && lang !== locale ? r : null;
}

/** The reading, trimmed, when it says more than the name itself; else null (the web's ruby shows it to everyone). */
export function distinctReading(name: string, reading: string | null | undefined): string | null {
  const r = reading?.trim();
  return r && r !== name.trim() ? r : null;
}

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;

function nameLanguage(name: string, reading: string): Locale | null {
  if (KANA.test(name) || KANA.test(reading)) return 'ja';
  if (HAN.test(name)) return 'zh';
  return null;
}
