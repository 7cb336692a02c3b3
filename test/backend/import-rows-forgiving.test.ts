import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../backend/imports/csv.js';
import { parseImportArgs } from '../../backend/imports/cli-kit.js';
import { applyOverrides, describeIgnored, guessMapping } from '../../backend/imports/mapping.js';
import { toRows } from '../../backend/imports/rows.js';

describe('what the forgiving import reads (issue 21)', () => {
  it('reads phonetic columns family first for kana, stages from labels, a stage mapping, and one reason per bad cell', () => {
    const text =
      'First Name,Last Name,Phonetic First Name,Phonetic Last Name,E-mail 1 - Value,Labels,Notes,Photo,Website 1 - Value\n' +
      '太郎,田中,たろう,たなか,taro@sample.co.jp,* myContacts ::: 顧客 ::: 展示会,会った,http://p/x.jpg,https://www.sample.co.jp\n' +
      'Jane,Doe,,,jane@acme.example,VIP ::: partner,,,\n' +
      'Bad,Mail,,,bob at example dot com,,,,\n';
    const records = parseCsv(text);
    const header = records.shift()!.fields;
    const m = applyOverrides(guessMapping(header), header, ['stage=Labels:VIP=customer']);
    expect(m.stageValues).toEqual({ vip: 'customer' });
    expect(describeIgnored(m, header)).toEqual(['Photo']);
    const { rows, rejected } = toRows(records, header, m);
    expect(rows[0]).toMatchObject({
      name: '田中太郎',
      reading: 'たなか たろう',
      stage: 'customer',
      tags: ['展示会'],
      note: '会った',
      companyDomain: 'sample.co.jp',
    });
    expect(rows[1]).toMatchObject({ stage: 'customer', tags: ['partner'] });
    // one bad cell, one reason (it was three: one per word)
    expect(rejected).toEqual([{ line: 4, reason: 'import_email_invalid', details: { email: 'bob at example dot com' } }]);
  });

  it('gives pinyin to a Chinese name for a Chinese importer only, and keeps a second phone as a custom field', () => {
    const header = ['Name', 'Phone 1 - Value', 'Phone 2 - Value'];
    const records = [{ line: 2, fields: ['王伟', '+86 1', '+86 2'] }];
    const m = guessMapping(header);
    expect(toRows(records, header, m, undefined, 'zh').rows[0]).toMatchObject({ reading: 'wang wei', phone: '+86 1', custom: { 'Phone 2 - Value': '+86 2' } });
    expect(toRows(records, header, m, undefined, 'ja').rows[0]!.reading).toBeUndefined();
  });

  it('takes --skip-invalid on the command line', () => {
    expect(parseImportArgs(['a.csv', '--skip-invalid', '--map', 'stage=Labels:VIP=customer'])).toEqual({
      file: 'a.csv',
      flags: { 'skip-invalid': true },
      map: ['stage=Labels:VIP=customer'],
    });
  });
});
