import { pinyin } from 'pinyin-pro';
import type { Locale } from '../i18n/vocabulary.js';

/**
 * The reading of a person's or a company's name (issue 21): how it is said,
 * for sorting (五十音順, pinyin order) and for search by sound. Japanese
 * names get theirs given (an import's フリガナ / Phonetic column, a Slack
 * profile's phonetic name, or typed); a reading cannot be computed from kanji.
 * Chinese names get pinyin computed from the characters (pinyin-pro, with its
 * surname readings: 单 is shàn as a surname), which anyone may edit.
 */

export const READING_MAX = 200;

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * A reading as it is stored: NFKC (half-width ｶﾅ becomes カナ, full-width
 * ＡＢＣ becomes ABC), spaces collapsed, trimmed; null when nothing is left.
 *   normalizeReading(' ﾀﾅｶ　ﾀﾛｳ ') = 'タナカ タロウ'
 */
export function normalizeReading(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  return s ? s.slice(0, READING_MAX) : null;
}

/**
 * Pinyin of a name written in Chinese characters, without tones, syllables
 * separated by spaces; null when the name has no Han character or has kana
 * (a Japanese name, whose reading is not its pinyin).
 *   pinyinOf('王伟') = 'wang wei';  pinyinOf('单田芳') = 'shan tian fang';  pinyinOf('田中 たろう') = null
 */
export function pinyinOf(name: string): string | null {
  if (!HAN.test(name) || KANA.test(name)) return null;
  const out = pinyin(name.normalize('NFKC'), { toneType: 'none', surname: 'head', nonZh: 'consecutive' });
  return normalizeReading(out);
}

/**
 * The reading to store for a name: the given one when there is one; else,
 * when the name is Chinese (Han characters, no kana) and whoever writes it
 * reads Chinese (`locale` 'zh': the writer's or, for an import, the
 * importer's), its pinyin; else none. A Japanese team's 王伟 gets no pinyin
 * unasked (its reading may be typed), and 田中 never gets "tian zhong".
 *   readingFor('王伟', null, 'zh') = 'wang wei';  readingFor('田中 太郎', 'たなか たろう', 'ja') = 'たなか たろう'
 *   readingFor('田中 太郎', null, 'ja') = null
 */
export function readingFor(name: string, given: string | null | undefined, locale: Locale): string | null {
  const typed = normalizeReading(given);
  if (typed) return typed;
  return locale === 'zh' ? pinyinOf(name) : null;
}

/**
 * What a create or an update of a contact or a company hands its SQL function
 * besides the body: the given reading as stored (normalized; null clears it),
 * and when none is given and the name is set, the name's pinyin, which the
 * database keeps only for a writer who reads Chinese (readingFor's rule, with
 * the writer's locale known there) and marks computed.
 *   readingArgs({ name: '王伟' }) = { pinyin: 'wang wei' }
 *   readingArgs({ name: '王伟', reading: ' ｗａｎｇ ' }) = { reading: 'wang' }
 */
export function readingArgs(body: { name?: string; reading?: string | null }): { reading?: string | null; pinyin?: string } {
  if (body.reading !== undefined) return { reading: normalizeReading(body.reading) };
  const pinyin = body.name === undefined ? null : pinyinOf(body.name);
  return pinyin ? { pinyin } : {};
}
