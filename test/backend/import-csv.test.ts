import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ImportFileError, csvCell, decodeCsv, guessDelimiter, parseCsv, toCsv, unescapeCell } from '../../backend/imports/csv.js';
import { applyOverrides, describeMapping, detectFormat, guessMapping, normalizeHeader } from '../../backend/imports/mapping.js';
import { composeName, domainOf, splitEmails, splitTags } from '../../backend/imports/cells.js';
import { toRows } from '../../backend/imports/rows.js';
import { mapStage } from '../../backend/imports/stages.js';
import { prepareImport } from '../../backend/imports/service.js';
import { parseImportArgs } from '../../backend/imports/cli-kit.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/imports/${name}`, import.meta.url));
const fields = (text: string) => parseCsv(text).map((r) => [r.line, ...r.fields]);

describe('RFC 4180 parser', () => {
  it.each([
    [
      'plain rows, LF',
      'a,b\n1,2\n',
      [
        [1, 'a', 'b'],
        [2, '1', '2'],
      ],
    ],
    [
      'CRLF and no final line break',
      'a,b\r\n1,2',
      [
        [1, 'a', 'b'],
        [2, '1', '2'],
      ],
    ],
    [
      'lone CR (old Mac Excel)',
      'a,b\r1,2\r',
      [
        [1, 'a', 'b'],
        [2, '1', '2'],
      ],
    ],
    [
      'quoted commas and doubled quotes',
      'n,t\n"Doe, Jane","say ""hi"""\n',
      [
        [1, 'n', 't'],
        [2, 'Doe, Jane', 'say "hi"'],
      ],
    ],
    [
      'an embedded CRLF becomes LF and moves the line count on',
      'n,t\r\n"x","one\r\ntwo"\r\ny,z\r\n',
      [
        [1, 'n', 't'],
        [2, 'x', 'one\ntwo'],
        [4, 'y', 'z'],
      ],
    ],
    [
      'empty fields, quoted and not',
      'a,b,c\n,"",\n',
      [
        [1, 'a', 'b', 'c'],
        [2, '', '', ''],
      ],
    ],
    [
      'blank lines are skipped but counted',
      'a\n\n\nb\n',
      [
        [1, 'a'],
        [4, 'b'],
      ],
    ],
    [
      'a stray quote inside an unquoted field stays text',
      'a,b\n5" screen,x\n',
      [
        [1, 'a', 'b'],
        [2, '5" screen', 'x'],
      ],
    ],
    [
      'text after a closing quote is kept as written, quotes and all',
      'a\n"x"y\n',
      [
        [1, 'a'],
        [2, '"x"y'],
      ],
    ],
    [
      'line endings mixed in one file',
      'a,b\r\n1,2\n3,4\r5,6',
      [
        [1, 'a', 'b'],
        [2, '1', '2'],
        [3, '3', '4'],
        [4, '5', '6'],
      ],
    ],
    [
      'lines counted in characters, not bytes, after multi-line CJK cells',
      'é,"田中\r\n太郎"\r\n\r\nb,"c\rd"\ne,f',
      [
        [1, 'é', '田中\n太郎'],
        [4, 'b', 'c\nd'],
        [6, 'e', 'f'],
      ],
    ],
    [
      'a quoted field ending the file',
      'a\n"last"',
      [
        [1, 'a'],
        [2, 'last'],
      ],
    ],
    ['an empty file', '', []],
  ])('%s', (_what, text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it('says on which line a quote was left open', () => {
    const err = (() => {
      try {
        parseCsv('a,b\n1,2\n3,"never\nclosed\n');
      } catch (e) {
        return e;
      }
    })() as ImportFileError;
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.key).toBe('import_csv_unclosed_quote');
    expect(err.params).toEqual({ line: 3 });
    // after a multi-line record and blank lines, still the line the quote opened on
    expect(() => parseCsv('a\n"one\r\ntwo"\r\n\n\nx,"open\nmore')).toThrow(expect.objectContaining({ params: { line: 6 } }));
  });

  it('finds the delimiter of semicolon and tab files', () => {
    expect(guessDelimiter('Name;Email\nJane;j@x.com')).toBe(';');
    expect(guessDelimiter('Name\tEmail\tNote\n')).toBe('\t');
    expect(guessDelimiter('"a;b",c\n')).toBe(',');
    expect(fields('Name;Email\n"Doe; J";j@x.com\n')).toEqual([
      [1, 'Name', 'Email'],
      [2, 'Doe; J', 'j@x.com'],
    ]);
  });

  it('writes what it reads: quotes, commas, line breaks, formulas, CJK', () => {
    const rows = [
      ['Name', 'Note'],
      ['Doe, "JD"', 'one\ntwo'],
      ['=1+2', ' padded '],
      ['田中太郎', '+81 3-1234-5678'],
    ];
    const csv = toCsv(rows, { bom: true });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csvCell('=1+2')).toBe("'=1+2");
    const back = parseCsv(csv.slice(1)).map((r) => r.fields.map(unescapeCell));
    expect(back).toEqual(rows);
    expect(unescapeCell("'tis")).toBe("'tis");
  });
});

describe('decoding what spreadsheets write', () => {
  it('reads UTF-8 with and without a BOM, Shift_JIS, and UTF-16 with a BOM', async () => {
    expect(decodeCsv(new TextEncoder().encode('名前\n'))).toEqual({ text: '名前\n', encoding: 'utf-8' });
    expect(decodeCsv(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toEqual({ text: 'a', encoding: 'utf-8-bom' });
    expect(decodeCsv(Uint8Array.of(0x96, 0xbc, 0x91, 0x4f))).toEqual({ text: '名前', encoding: 'shift_jis' });
    expect(decodeCsv(Uint8Array.of(0xff, 0xfe, 0x0d, 0x54, 0x4d, 0x52))).toEqual({ text: '名前', encoding: 'utf-16le' });
    const sjis = decodeCsv(await fixture('plain-ja-shift_jis.csv'));
    expect(sjis.encoding).toBe('shift_jis');
    expect(sjis.text).toContain('髙橋,一郎');
    expect(sjis.text).toContain('ﾃﾞｻﾞｲﾝ案件、①から③');
  });

  it('refuses what is not text: an Excel workbook (a zip), an empty file', () => {
    expect(() => decodeCsv(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00))).toThrow('import_not_csv');
    expect(() => decodeCsv(new Uint8Array())).toThrow('import_not_csv');
  });
});

describe('format detection and column mapping', () => {
  it.each([
    [
      'google-contacts.csv',
      'google',
      {
        firstName: ['First Name'],
        lastName: ['Last Name'],
        email: ['E-mail 1 - Value', 'E-mail 2 - Value'],
        company: ['Organization Name'],
        title: ['Organization Title'],
        tags: ['Labels'],
        phone: ['Phone 1 - Value'],
      },
    ],
    [
      'google-contacts-legacy.csv',
      'google-legacy',
      {
        name: ['Name'],
        firstName: ['Given Name'],
        lastName: ['Family Name'],
        email: ['E-mail 1 - Value'],
        company: ['Organization 1 - Name'],
        title: ['Organization 1 - Title'],
        tags: ['Group Membership'],
      },
    ],
    [
      'hubspot-contacts.csv',
      'hubspot',
      {
        firstName: ['First Name'],
        lastName: ['Last Name'],
        email: ['Email'],
        phone: ['Phone Number'],
        company: ['Company Name'],
        title: ['Job Title'],
        stage: ['Lifecycle Stage'],
        owner: ['Contact owner'],
      },
    ],
    [
      'plain-en.csv',
      'plain',
      {
        name: ['Full Name'],
        email: ['Email'],
        company: ['Company'],
        title: ['Title'],
        stage: ['Stage'],
        tags: ['Tags'],
        owner: ['Owner'],
        'custom.Budget': ['Budget'],
        note: ['Notes'],
      },
    ],
    [
      'plain-ja-shift_jis.csv',
      'plain',
      {
        lastName: ['姓'],
        firstName: ['名'],
        email: ['メールアドレス'],
        company: ['会社名'],
        title: ['役職'],
        phone: ['電話番号'],
        stage: ['ステージ'],
        tags: ['タグ'],
        owner: ['担当者'],
        note: ['メモ'],
      },
    ],
  ])('%s is %s', async (file, format, expected) => {
    const p = prepareImport(await fixture(file));
    expect(p.format).toBe(format);
    expect(p.mapping).toMatchObject(expected);
    // nothing dropped silently: every column is read by a field or a custom field, or listed as ignored
    const read = new Set([...Object.values(p.mapping).flat(), ...p.ignored]);
    expect(p.header.filter((h) => !read.has(h))).toEqual([]);
  });

  it('guesses Japanese and Chinese headers, ignores ids and dates, keeps custom.<key>', () => {
    const header = ['氏名', 'Eメール', '会社', '電話', 'タグ', '担当者', '邮箱', 'ID', '作成日', 'custom.予算', 'Region'];
    expect(describeMapping(guessMapping(header), header)).toEqual({
      name: ['氏名'],
      email: ['Eメール', '邮箱'],
      company: ['会社'],
      phone: ['電話'],
      tags: ['タグ'],
      owner: ['担当者'],
      'custom.予算': ['custom.予算'],
      'custom.Region': ['Region'],
    });
    expect(detectFormat(header)).toBe('plain');
    expect(normalizeHeader('E-mail 1 - Value')).toBe('email1value');
  });

  it('lets field=Header overrides win, and rejects ones that name nothing', () => {
    const header = ['Contact', 'Work Email', 'Email', 'Notes'];
    const m = applyOverrides(guessMapping(header), header, ['name=Contact', 'email=Work Email', 'custom.memo=Notes']);
    expect(describeMapping(m, header)).toEqual({ name: ['Contact'], email: ['Work Email'], 'custom.memo': ['Notes'] });
    expect(() => applyOverrides(m, header, ['colour=Notes'])).toThrow('import_map_invalid');
    expect(() => applyOverrides(m, header, ['name=Nope'])).toThrow('import_map_header_unknown');
    expect(() => applyOverrides(m, header, ['justtext'])).toThrow('import_map_invalid');
  });
});

describe('row values', () => {
  it.each([
    ['太郎', '', '田中', '田中太郎'],
    ['伟', '', '王', '王伟'],
    ['Jane', 'Q', 'Doe', 'Jane Q Doe'],
    ['Jane', '', '田中', 'Jane 田中'],
    ['', '', 'Doe', 'Doe'],
  ])('composeName(%s, %s, %s) = %s', (first, middle, last, name) => {
    expect(composeName(first, middle, last)).toBe(name);
  });

  it.each([
    ['Subscriber', 'lead'],
    ['Marketing Qualified Lead', 'lead'],
    ['salesqualifiedlead', 'prospect'],
    ['Opportunity', 'prospect'],
    ['Customer', 'customer'],
    ['Evangelist', 'customer'],
    ['リード', 'lead'],
    ['商談中', 'prospect'],
    ['見込み客', 'prospect'],
    ['既存顧客', 'customer'],
    ['解約', 'churned'],
    ['失注', 'churned'],
    ['流失客户', 'churned'],
    ['CHURNED', 'churned'],
    ['hot', null],
  ])('stage %s -> %s', (v, s) => {
    expect(mapStage(v)).toBe(s);
  });

  it('splits tags, addresses and domains as exports write them', () => {
    expect(splitTags('* myContacts ::: VIP ::: 展示会')).toEqual(['VIP', '展示会']);
    expect(splitTags('vip; renewal, vip、重要')).toEqual(['vip', 'renewal', '重要']);
    expect(splitEmails('a@x.com ::: b@y.com')).toEqual(['a@x.com', 'b@y.com']);
    expect(splitEmails('Jane <jane@acme.com>, "Doe, Bob" <bob@acme.com>')).toEqual(['jane@acme.com', 'bob@acme.com']);
    expect(domainOf('https://www.Acme.co.jp/about?x=1')).toBe('acme.co.jp');
  });

  it('rejects each bad row with its line and reason, in file order', () => {
    const text =
      'Name,Email,Stage,Timezone,Last interaction\n' +
      'Ok Person,ok@x.example,lead,Asia/Tokyo,2026-11-20T09:00:00+09:00\n' +
      ',none@x.example,,,\n' +
      'Bad Mail,not-an-address,,,\n' +
      'Bad Stage,s@x.example,hot,Mars/Olympus,yesterday\n' +
      'Too many,t@x.example,lead,,,extra\n';
    const records = parseCsv(text);
    const header = records.shift()!.fields;
    const { rows, rejected } = toRows(records, header, guessMapping(header));
    expect(rows).toEqual([
      {
        line: 2,
        name: 'Ok Person',
        emails: ['ok@x.example'],
        stage: 'lead',
        timezone: 'Asia/Tokyo',
        lastInteractionAt: '2026-11-20T00:00:00.000Z',
        tags: [],
        custom: {},
      },
    ]);
    expect(rejected.map((r) => [r.line, r.reason, r.details])).toEqual([
      [3, 'import_name_missing', {}],
      [4, 'import_email_invalid', { email: 'not-an-address' }],
      [5, 'import_stage_unmapped', { stage: 'hot', header: 'Stage' }],
      [5, 'import_timezone_invalid', { timezone: 'Mars/Olympus' }],
      [5, 'import_date_invalid', { value: 'yesterday' }],
      [6, 'import_row_columns', { count: 6, expected: 5 }],
    ]);
  });

  it('says so when no column holds names', () => {
    expect(() => prepareImport(new TextEncoder().encode('Email,Phone\na@x.example,1\n'))).toThrow('import_no_name_column');
  });
});

describe('npm run import arguments', () => {
  it('takes one file, repeated --map, flags with and without values', () => {
    expect(parseImportArgs(['a.csv', '--dry-run', '--map', 'name=氏名', '--map=email=Work Email', '--as', 'rep@x.example'])).toEqual({
      file: 'a.csv',
      flags: { 'dry-run': true, as: 'rep@x.example' },
      map: ['name=氏名', 'email=Work Email'],
    });
    expect(() => parseImportArgs(['a.csv', 'b.csv'])).toThrow('one file at a time');
    expect(() => parseImportArgs(['a.csv', '--workspace'])).toThrow("Option '--workspace <value>' argument missing");
    // a misspelt option stops the command instead of being ignored
    expect(() => parseImportArgs(['a.csv', '--dryrun'])).toThrow("Unknown option '--dryrun'");
  });
});
