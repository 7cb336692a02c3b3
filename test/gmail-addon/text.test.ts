import { describe, expect, it } from 'vitest';
import { BODY_MAX, parseAddresses, trimBody } from '../../gmail-addon/src/text.js';

describe('address lists as Gmail returns them', () => {
  it('reads names, quoted names with commas, bare addresses and Japanese names', () => {
    expect(parseAddresses('"Tanaka, Jane" <jane@acme.co.jp>, 山田 太郎 <yamada@sakura.co.jp>, bob@x.com')).toEqual([
      { email: 'jane@acme.co.jp', name: 'Tanaka, Jane' },
      { email: 'yamada@sakura.co.jp', name: '山田 太郎' },
      { email: 'bob@x.com' },
    ]);
  });

  it('keeps escaped quotes, drops a name that is only the address, and skips what is no address', () => {
    expect(parseAddresses('"Jane \\"JT\\" Tanaka" <jane@acme.co.jp>; "jane@acme.co.jp" <jane@acme.co.jp>, undisclosed-recipients:;, <not-an-address>')).toEqual(
      [{ email: 'jane@acme.co.jp', name: 'Jane "JT" Tanaka' }, { email: 'jane@acme.co.jp' }],
    );
    expect(parseAddresses('')).toEqual([]);
    expect(parseAddresses(null)).toEqual([]);
  });

  it('reads 30 cc addresses', () => {
    const header = Array.from({ length: 30 }, (_, i) => `"Person ${i}" <p${i}@customer.example>`).join(', ');
    expect(parseAddresses(header)).toHaveLength(30);
  });
});

describe('the part of a body the person wrote', () => {
  it('cuts an English reply chain at "On … wrote:", even when Gmail wraps it over two lines', () => {
    expect(trimBody('Sounds good, see you Tuesday.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Jane Tanaka <jane@acme.co.jp>\nwrote:\n> Can we meet?\n> Jane')).toBe(
      'Sounds good, see you Tuesday.',
    );
    expect(trimBody('Yes.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Jane <jane@acme.co.jp> wrote:\n> Can we meet?')).toBe('Yes.');
  });

  it('cuts a Japanese reply chain and signature (as Gmail shows an ISO-2022-JP email, decoded)', () => {
    const body = [
      'お世話になっております。サクラ製作所の山田です。',
      '見積もりの件、来週中にご回答いたします。',
      '',
      '━━━━━━━━━━━━━━━━',
      '株式会社サクラ製作所 営業部',
      '山田 太郎',
      '━━━━━━━━━━━━━━━━',
      '',
      '2026年11月20日(金) 10:00 Sam Carter <sam.carter@rapport-demo.com>:',
      '> 山田様',
      '> お見積もりをお送りします。',
    ].join('\r\n');
    expect(trimBody(body)).toBe('お世話になっております。サクラ製作所の山田です。\n見積もりの件、来週中にご回答いたします。');
  });

  it('cuts a Chinese attribution, an Outlook header block, "-- " signatures and "Sent from my iPhone"', () => {
    expect(trimBody('好的，谢谢。\n\n王芳 <wang@example.cn> 于2026年11月20日周五 10:00写道：\n> 你好')).toBe('好的，谢谢。');
    expect(trimBody('Thanks!\n\nFrom: Jane Tanaka <jane@acme.co.jp>\nSent: Monday, November 23, 2026 10:00\nTo: Sam\nSubject: RE: quote\n\nHi Sam')).toBe(
      'Thanks!',
    );
    expect(trimBody('See attached.\n-- \nSam Carter\nRapport Demo')).toBe('See attached.');
    expect(trimBody('OK\n\nSent from my iPhone')).toBe('OK');
  });

  it('keeps inline quotes followed by new text, and a body with nothing to cut', () => {
    expect(trimBody('> what about price?\nIt is 10% off.\n> and delivery?\nNext week.')).toBe(
      '> what about price?\nIt is 10% off.\n> and delivery?\nNext week.',
    );
    expect(trimBody('Just a note.')).toBe('Just a note.');
  });

  it(`caps a 5 MB body at ${BODY_MAX} characters`, () => {
    const out = trimBody('あ'.repeat(5 * 1024 * 1024));
    expect(out).toHaveLength(BODY_MAX);
    expect(out.endsWith('…')).toBe(true);
  });
});
