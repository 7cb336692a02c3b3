/** The words bench/load.ts makes names, companies and bodies from, and its SQL quoting helpers. */

export const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const arr = (xs: string[]) => `array[${xs.map(q).join(', ')}]::text[]`;

export const LATIN_GIVEN = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Sophia',
  'Lucas',
  'Mia',
  'Ethan',
  'Chloe',
  'Mateo',
  'Amélie',
  'José',
  'Björn',
  'Zoë',
  'Priya',
  'Arjun',
  'Fatima',
  'Omar',
  'Ingrid',
  'Lars',
];
export const LATIN_SURNAME = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Müller',
  'Schmidt',
  'Dubois',
  'Rossi',
  'Novak',
  'Kowalski',
  'Nakamura',
  'Okafor',
  'Silva',
  'Petrov',
];
/** Japanese surnames (two characters, what search-cjk looks for) and given names, with romanisation for addresses */
export const JA_SURNAME = ['田中', '佐藤', '鈴木', '高橋', '渡辺', '伊藤', '山本', '中村', '小林', '加藤'];
export const JA_SURNAME_ROMAJI = ['tanaka', 'sato', 'suzuki', 'takahashi', 'watanabe', 'ito', 'yamamoto', 'nakamura', 'kobayashi', 'kato'];
export const JA_GIVEN = ['太郎', '花子', '健', '翔太', '美咲', '陽子', '大輔', '由美', '誠', '愛'];
export const JA_GIVEN_ROMAJI = ['taro', 'hanako', 'ken', 'shota', 'misaki', 'yoko', 'daisuke', 'yumi', 'makoto', 'ai'];
/** their readings (issue 21): 田中 太郎 is たなか たろう, searched by kana and romaji */
export const JA_SURNAME_KANA = ['たなか', 'さとう', 'すずき', 'たかはし', 'わたなべ', 'いとう', 'やまもと', 'なかむら', 'こばやし', 'かとう'];
export const JA_GIVEN_KANA = ['たろう', 'はなこ', 'けん', 'しょうた', 'みさき', 'ようこ', 'だいすけ', 'ゆみ', 'まこと', 'あい'];
export const ZH_SURNAME = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];
export const ZH_SURNAME_PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao'];
export const ZH_GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '秀英', '建国'];
export const ZH_GIVEN_PINYIN = ['wei', 'fang', 'na', 'min', 'jing', 'lei', 'qiang', 'yang', 'xiuying', 'jianguo'];
/** the two-character surnames, for the search-cjk case */
export const CJK_SEARCH_SURNAMES = JA_SURNAME;

export const COMPANY_WORD = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Tyrell',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  'Aperture',
  'Wonka',
  'Gringotts',
  'Oscorp',
  'Nakatomi',
  'Yoyodyne',
  'Massive',
  'Pied Piper',
  'Monarch',
];
export const COMPANY_KIND = ['Inc', 'GmbH', 'KK', 'Ltd', 'Group', 'Labs', '株式会社', '有限公司'];
export const TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Procurement', 'Engineer', 'Buyer', '部長', '課長', '经理', 'Office Manager'];
export const STAGES = ['lead', 'prospect', 'customer', 'churned'];
export const TAGS = ['vip', 'partner', 'trade-show', 'newsletter', 'apac', 'emea', 'renewal'];

export const BODY =
  'Thanks for the call earlier today. As discussed, I am attaching the revised proposal with the volume ' +
  'discounts for the second year and the onboarding plan. Let me know if the timeline works for your team, ' +
  'and whether procurement needs anything else from us before the end of the quarter. 先日はありがとうございました。' +
  '見積書を添付いたします。ご確認のほどよろしくお願いいたします。';
