/**
 * What one cell of a contacts file holds, read the way the exporters write
 * it: names from their parts, readings, tags, addresses, domains.
 */
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆ヶ]+$/u;

/**
 * A full name from its parts: family name first and no space when both given
 * and family names are CJK, as Japanese and Chinese write them.
 *   composeName('太郎', '', '田中') = '田中太郎'   composeName('Jane', 'Q', 'Doe') = 'Jane Q Doe'
 */
export function composeName(first: string, middle: string, last: string): string {
  if (first && last && CJK.test(first) && CJK.test(last)) return `${last}${middle}${first}`;
  return [first, middle, last].filter(Boolean).join(' ');
}

const KANA_OR_HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * A reading from its phonetic parts: family first, separated by a space,
 * when the parts are kana or the name is written in Han characters (as the
 * name itself is read); in the order given otherwise.
 *   composeReading('たろう', '', 'たなか') = 'たなか たろう'   composeReading('wei', '', 'wang', '王伟') = 'wang wei'
 */
export function composeReading(first: string, middle: string, last: string, name = ''): string {
  if (KANA_OR_HAN.test(first + middle + last + name)) return [last, middle, first].filter(Boolean).join(' ');
  return [first, middle, last].filter(Boolean).join(' ');
}

/**
 * Tags from a cell: split on ; or , (also 、，；) or Google's " ::: ", trimmed,
 * each once; Google's system groups ("* myContacts") are left out.
 *   splitTags('vip; 展示会 ::: * starred,partner') = ['vip', '展示会', 'partner']
 */
export function splitTags(value: string): string[] {
  const out: string[] = [];
  for (const t of value.split(/\s+:::\s+|[;,、，；]/)) {
    const tag = t.trim();
    if (tag && !tag.startsWith('* ') && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Tags as Rapport's export writes them: separated by "; ", with a ";" or a
 * backslash inside a tag escaped by a backslash, so that a tag with a comma
 * (or a semicolon) comes back from the import as one tag.
 *   joinTags(['Acme, Inc.', 'a;b']) = 'Acme, Inc.; a\;b'   readOwnTags('Acme, Inc.; a\;b') = ['Acme, Inc.', 'a;b']
 */
export function joinTags(tags: string[]): string {
  return tags.map((t) => t.replace(/[\\;]/g, '\\$&')).join('; ');
}

export function readOwnTags(value: string): string[] {
  const out: string[] = [];
  for (const part of splitUnescaped(value)) {
    const tag = part.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** 'a\;b; c' -> ['a;b', ' c']: splits on each ";" no backslash escapes, and drops the escapes. */
function splitUnescaped(value: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) cur += value[++i];
    else if (ch === ';') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/**
 * Addresses from a cell: "Name <a@b>" forms, or a list split on ; , spaces or " ::: ".
 *   splitEmails('Jane <jane@acme.com>, bob@acme.com') = ['jane@acme.com', 'bob@acme.com']
 */
export function splitEmails(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length) return bracketed;
  return value.split(/\s*:::\s*|[;,\s]+/).filter(Boolean);
}

/** A domain from a domain or web address: 'https://www.Acme.co.jp/about' -> 'acme.co.jp' */
export function domainOf(value: string): string {
  const host =
    value
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split(/[/?#:]/)[0] ?? '';
  return host.toLowerCase().replace(/^www\./, '');
}
