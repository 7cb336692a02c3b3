/**
 * Which column holds what: the file's format (Google Contacts, its older
 * export, HubSpot, or any CSV with a header row) and each Rapport field's
 * columns, guessed from the header names in English, Japanese and Chinese and
 * overridable with `field=Header`.
 */
import { ImportFileError } from './csv.js';
import { type Stage, mapStage, stageKey } from './stages.js';

export type Format = 'google' | 'google-legacy' | 'hubspot' | 'plain';

export const FIELDS = [
  'name',
  'firstName',
  'middleName',
  'lastName',
  'email',
  'phone',
  'title',
  'company',
  'companyDomain',
  'stage',
  'owner',
  'tags',
  'timezone',
  'lastInteraction',
  'reading',
  'readingFirst',
  'readingMiddle',
  'readingLast',
  'companyReading',
  'note',
] as const;
export type Field = (typeof FIELDS)[number];

export interface Mapping {
  format: Format;
  /** the columns (0-based) each field reads, in order */
  columns: Partial<Record<Field, number[]>>;
  /** columns kept as custom fields, under a key */
  custom: { key: string; col: number }[];
  /** columns read by no field: listed in the report by name */
  ignored: number[];
  /** `--map stage=Header:VIP=customer` values, keyed as stageKey() folds them */
  stageValues?: Record<string, Stage>;
  /** the file is Rapport's own export, whose Tags cell separates tags by ";" alone (see joinTags) */
  ownExport?: boolean;
}

/**
 * A header as the guesser compares it: NFKC, lower case, without spaces and
 * punctuation.
 *   normalizeHeader(' E-mail 1 - Value ') = 'email1value'   normalizeHeader('メール・アドレス') = 'メールアドレス'
 */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_.()/:：・()（）「」[\]#*]+/g, '');
}

type Rule = string | RegExp;
/** Header names per field, after normalizeHeader. The first column that matches a field's rule list goes first. */
const RULES: Record<Field | 'ignore', Rule[]> = {
  name: ['name', 'fullname', 'contactname', 'displayname', '名前', '氏名', 'お名前', '姓名', '联系人', '联系人姓名', '客户姓名'],
  firstName: ['firstname', 'givenname', 'first', 'forename', '名', '下の名前', '名前名'],
  middleName: ['middlename', 'additionalname', 'ミドルネーム'],
  lastName: ['lastname', 'familyname', 'surname', 'last', '姓', '苗字', '名前姓'],
  email: [
    'email',
    'emails',
    'emailaddress',
    'emailaddresses',
    'mail',
    'workemail',
    'additionalemailaddresses',
    /^email\d+(value)?$/,
    'メール',
    'メールアドレス',
    'eメール',
    'eメールアドレス',
    '電子メール',
    '電子メールアドレス',
    '邮箱',
    '邮箱地址',
    '电子邮件',
    '电子邮箱',
    '邮件',
    '电子邮件地址',
  ],
  phone: [
    'phone',
    'phonenumber',
    'tel',
    'telephone',
    'mobile',
    'mobilephone',
    'mobilephonenumber',
    'cell',
    /^phone\d+(value)?$/,
    '電話',
    '電話番号',
    '携帯',
    '携帯電話',
    '携帯番号',
    '携帯電話番号',
    '电话',
    '电话号码',
    '手机',
    '手机号',
    '手机号码',
    '联系电话',
  ],
  title: ['title', 'jobtitle', 'position', 'organizationtitle', /^organization\d+title$/, '役職', '肩書', '肩書き', '職位', '职位', '职务', '头衔'],
  company: [
    'company',
    'companyname',
    'organization',
    'organisation',
    'organizationname',
    /^organization\d+name$/,
    'account',
    'accountname',
    '会社',
    '会社名',
    '企業',
    '企業名',
    '所属',
    '勤務先',
    '社名',
    '公司',
    '公司名称',
    '单位',
    '企业',
    '组织',
  ],
  companyDomain: [
    'companydomain',
    'domain',
    'website',
    'websiteurl',
    /^website\d+value$/,
    'ドメイン',
    '会社ドメイン',
    'ウェブサイト',
    'ホームページ',
    '网站',
    '域名',
    '公司域名',
  ],
  stage: ['stage', 'lifecyclestage', 'lifecycle', 'ステージ', '段階', 'フェーズ', '商談ステージ', '阶段', '客户阶段', '生命周期阶段'],
  owner: ['owner', 'contactowner', 'owneremail', 'accountowner', '担当', '担当者', '担当者メール', '営業担当', '営業担当者', '所有者', '负责人', '跟进人'],
  tags: ['tags', 'tag', 'labels', 'label', 'groups', 'groupmembership', 'categories', 'タグ', 'ラベル', 'グループ', '分類', '标签', '分组'],
  timezone: ['timezone', 'tz', 'タイムゾーン', '时区'],
  lastInteraction: ['lastinteraction', 'lastinteractionat', '最終接触', '最終接触日', '最終やり取り', '最后联系', '最后互动'],
  reading: [
    'reading',
    'yomi',
    'yominame',
    'nameyomi',
    'phoneticname',
    'furigana',
    'pinyin',
    'フリガナ',
    'ふりがな',
    'よみがな',
    'よみ',
    '読み',
    'カナ',
    '氏名フリガナ',
    '氏名カナ',
    '名前フリガナ',
    '拼音',
    '姓名拼音',
  ],
  readingFirst: ['phoneticfirstname', 'givennameyomi', 'firstnameyomi', 'firstnamefurigana', 'フリガナ名', '名フリガナ', 'めい', 'メイ', '名拼音'],
  readingMiddle: ['phoneticmiddlename', 'additionalnameyomi', 'middlenameyomi'],
  readingLast: ['phoneticlastname', 'familynameyomi', 'lastnameyomi', 'lastnamefurigana', 'フリガナ姓', '姓フリガナ', 'せい', 'セイ', '姓拼音'],
  companyReading: [
    'companyreading',
    'companyphoneticname',
    'organizationphoneticname',
    'organizationyomi',
    'organizationyominame',
    /^organization\d+yominame$/,
    '会社名フリガナ',
    '会社フリガナ',
    '公司拼音',
  ],
  note: ['notes', 'note', 'contactnotes', 'memo', 'メモ', '備考', 'ノート', '备注', '笔记'],
  // what Rapport's own export writes beside the fields, and bookkeeping of other tools
  ignore: [
    'id',
    'rapportid',
    'recordid',
    'createdat',
    'createdate',
    'updatedat',
    '作成日',
    '作成日時',
    '登録日',
    '更新日',
    '创建时间',
    'photo',
    // the reason column of a rejected rows' CSV (import_rejected_reason_header), read back after a fix
    'rejectedbecause',
    '取り込めなかった理由',
    '未导入原因',
    // Google's "E-mail 1 - Label" / "Phone 1 - Type": the kind of the value beside it
    /^(email|phone|address|website|organization|relation|event|im|customfield|externalid)\d+(label|type)$/,
  ],
};

const matches = (rules: Rule[], h: string) => rules.some((r) => (typeof r === 'string' ? r === h : r.test(h)));

/**
 * The exporter, from its header.
 *   detectFormat(['First Name', 'Last Name', 'E-mail 1 - Value', 'Labels']) = 'google'
 */
export function detectFormat(header: string[]): Format {
  const h = new Set(header.map(normalizeHeader));
  if (h.has('email1value') && (h.has('givenname') || h.has('groupmembership') || h.has('organization1name'))) return 'google-legacy';
  if (h.has('email1value') && (h.has('firstname') || h.has('organizationname') || h.has('labels'))) return 'google';
  if (h.has('lifecyclestage') || h.has('contactowner') || h.has('recordid')) return 'hubspot';
  return 'plain';
}

const CUSTOM_PREFIX = /^custom[.:]\s*(.+)$/i;

/**
 * Each column's field, from its header. A column that names no field is kept
 * as a custom field under its header (Google's birthday and address columns
 * among them: only the cells that hold something are stored); bookkeeping
 * (ids, creation dates, photos, the type beside a value) is listed as
 * ignored. `custom.<key>` is a custom field anywhere.
 */
export function guessMapping(header: string[]): Mapping {
  const format = detectFormat(header);
  const columns: Partial<Record<Field, number[]>> = {};
  const custom: { key: string; col: number }[] = [];
  const ignored: number[] = [];
  header.forEach((raw, col) => {
    const c = CUSTOM_PREFIX.exec(raw.trim());
    if (c) {
      custom.push({ key: c[1]!.trim().slice(0, 64), col });
      return;
    }
    const h = normalizeHeader(raw);
    if (!h || matches(RULES.ignore, h)) {
      ignored.push(col);
      return;
    }
    for (const f of FIELDS) {
      if (!matches(RULES[f], h)) continue;
      // single-valued fields read their first column (phones: the others are
      // kept as custom fields, see toRows); lists read them all
      if (columns[f] && !MULTI.has(f)) break;
      columns[f] = [...(columns[f] ?? []), col];
      return;
    }
    custom.push({ key: raw.trim().slice(0, 64), col });
  });
  const own = ['emails', 'tags', 'lastinteraction', 'createdat', 'id'].every((k) => header.some((raw) => normalizeHeader(raw) === k));
  return { format, columns, custom, ignored, ...(own ? { ownExport: true } : {}) };
}

/** Fields that read every column mapped to them (the others read their first non-empty one; a phone's others are kept as custom fields). */
export const MULTI = new Set<Field>(['email', 'phone', 'tags']);

const FIELD_ALIASES: Record<string, Field> = Object.fromEntries([
  ...FIELDS.map((f) => [f.toLowerCase(), f] as const),
  ['emails', 'email'],
  ['first', 'firstName'],
  ['last', 'lastName'],
  ['middle', 'middleName'],
  ['domain', 'companyDomain'],
  ['tag', 'tags'],
  ['tz', 'timezone'],
  ['lastinteractionat', 'lastInteraction'],
  ['jobtitle', 'title'],
  ['notes', 'note'],
  ['phonetic', 'reading'],
]);

/**
 * A stage mapping's values: 'VIP=customer,Partner=prospect' -> { vip: 'customer', partner: 'prospect' };
 * null when a value names no stage.
 */
function stageValuesOf(spec: string): Record<string, Stage> | null {
  const out: Record<string, Stage> = {};
  for (const part of spec.split(',')) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) return null;
    const stage = mapStage(part.slice(eq + 1));
    if (!stage) return null;
    out[stageKey(part.slice(0, eq))] = stage;
  }
  return out;
}

/**
 * The mapping with `field=Header` overrides applied: the field reads that
 * column only (an empty header turns the field off), and the column feeds no
 * other field. `custom.<key>=Header` keeps a column as a custom field.
 * `stage=Header:VIP=customer,Partner=prospect` also names the stage each
 * value stands for (a labels column stays the tags' too: its values that
 * name a stage set it, the others stay tags).
 *   applyOverrides(m, ['氏名', 'Mail'], ['name=氏名', 'email=Mail'])
 */
export function applyOverrides(m: Mapping, header: string[], overrides: string[]): Mapping {
  const columns: Partial<Record<Field, number[]>> = Object.fromEntries(Object.entries(m.columns).map(([k, v]) => [k, [...v!]]));
  let custom = [...m.custom];
  let stageValues = m.stageValues ? { ...m.stageValues } : undefined;
  const used = (col: number) => Object.values(columns).some((v) => v!.includes(col)) || custom.some((x) => x.col === col);
  const ignored = new Set(m.ignored);
  const sameHeader = (h: string | undefined, wanted: string) => h !== undefined && (h.trim() === wanted || normalizeHeader(h) === normalizeHeader(wanted));
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ImportFileError('import_map_invalid', { map: o, fields: FIELDS.join(', ') });
    const name = o.slice(0, eq).trim();
    let wanted = o.slice(eq + 1).trim();
    const c = CUSTOM_PREFIX.exec(name);
    const field = c ? null : FIELD_ALIASES[name.replace(/[\s_-]/g, '').toLowerCase()];
    if (!c && !field) throw new ImportFileError('import_map_invalid', { map: o, fields: FIELDS.join(', ') });
    if (field === 'stage' && wanted.includes('=')) {
      // stage=Header:VIP=customer (or stage=:VIP=customer, values only)
      const colon = wanted.indexOf(':');
      const values = colon >= 0 ? stageValuesOf(wanted.slice(colon + 1)) : null;
      if (!values) throw new ImportFileError('import_map_invalid', { map: o, fields: FIELDS.join(', ') });
      stageValues = { ...stageValues, ...values };
      wanted = wanted.slice(0, colon).trim();
      // a labels column already read as tags says stages through them
      if (!wanted || (columns.tags ?? []).some((x) => sameHeader(header[x], wanted))) continue;
    }
    let col = -1;
    if (wanted) {
      col = header.findIndex((h) => h.trim() === wanted);
      if (col < 0) col = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(wanted));
      if (col < 0) throw new ImportFileError('import_map_header_unknown', { header: wanted, headers: header.join(', ') });
      for (const f of Object.keys(columns) as Field[]) columns[f] = columns[f]!.filter((x) => x !== col);
      custom = custom.filter((x) => x.col !== col);
      ignored.delete(col);
    }
    const before = c ? custom.filter((x) => x.key === c[1]!.trim().slice(0, 64)).map((x) => x.col) : (columns[field!] ?? []);
    if (c) {
      const key = c[1]!.trim().slice(0, 64);
      custom = custom.filter((x) => x.key !== key);
      if (col >= 0) custom.push({ key, col });
    } else {
      columns[field!] = col >= 0 ? [col] : [];
    }
    // a column no longer read by anything is listed as ignored
    for (const x of before) if (!used(x)) ignored.add(x);
  }
  for (const f of Object.keys(columns) as Field[]) if (columns[f]!.length === 0) delete columns[f];
  return {
    format: m.format,
    columns,
    custom,
    ignored: [...ignored].sort((a, b) => a - b),
    ...(stageValues ? { stageValues } : {}),
    ...(m.ownExport ? { ownExport: true } : {}),
  };
}

/** The mapping with header names, for the report: { name: ['氏名'], email: ['Mail'], 'custom.予算': ['予算'] } */
export function describeMapping(m: Mapping, header: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of FIELDS) if (m.columns[f]?.length) out[f] = m.columns[f]!.map((c) => header[c] ?? '');
  for (const c of m.custom) out[`custom.${c.key}`] = [...(out[`custom.${c.key}`] ?? []), header[c.col] ?? ''];
  return out;
}

/** The headers of the columns nothing reads, for the report: ['Photo', 'E-mail 1 - Label'] */
export function describeIgnored(m: Mapping, header: string[]): string[] {
  return m.ignored.map((c) => header[c] || `#${c + 1}`);
}

/** The mapping's stage values, for the report: { VIP: 'customer' } as given (folded: { vip: 'customer' }) */
export function describeStageValues(m: Mapping): Record<string, Stage> {
  return { ...m.stageValues };
}

/** Whether the mapping can make a name at all: a name column, or first/last name columns. */
export function hasNameColumns(m: Mapping): boolean {
  return Boolean(m.columns.name || m.columns.firstName || m.columns.lastName);
}
