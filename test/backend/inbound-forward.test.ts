import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../backend/env.js';
import { authenticationFailed, captureArgs, derivedId, type InboundMail } from '../../backend/inbound/mail.js';
import { forwardedDate, parseForwarded } from '../../backend/inbound/forward.js';
import { secretOf } from '../../backend/inbound/routes.js';
import { captureAddress } from '../../backend/me/routes.js';

/** The pure parts of mail capture: forwarded blocks in three mail programs and three languages, dates, addresses, settings. */
describe('forwarded messages', () => {
  it.each([
    [
      'Gmail (English)',
      'FYI\n\n---------- Forwarded message ---------\nFrom: Jane Client <jane@acme.example>\nDate: Thu, Nov 19, 2026 at 3:30 PM\nSubject: Pricing\nTo: Rep <rep@ws.example>\nCc: ops@acme.example\n\nHello',
      { from: 'jane@acme.example', to: ['rep@ws.example'], cc: ['ops@acme.example'], subject: 'Pricing', date: 'Thu, Nov 19, 2026 at 3:30 PM' },
    ],
    [
      'Outlook (English)',
      '\n________________________________\nFrom: Jane Client <jane@acme.example>\nSent: Thursday, November 19, 2026 3:30 PM\nTo: Rep <rep@ws.example>\nSubject: Pricing\n\nHello',
      { from: 'jane@acme.example', to: ['rep@ws.example'], cc: [], subject: 'Pricing', date: 'Thursday, November 19, 2026 3:30 PM' },
    ],
    [
      'Apple Mail (English)',
      'See below\n\nBegin forwarded message:\n\nFrom: Jane Client <jane@acme.example>\nSubject: Pricing\nDate: 19 November 2026 at 15:30:00 GMT+9\nTo: rep@ws.example\n\nHello',
      { from: 'jane@acme.example', to: ['rep@ws.example'], cc: [], subject: 'Pricing', date: '19 November 2026 at 15:30:00 GMT+9' },
    ],
    [
      'Outlook (Japanese)',
      '差出人: 山田 太郎 <yamada@sakura.example>\n送信日時: 2026年11月19日 15:30\n宛先: rep@ws.example\n件名: お見積り\n\nよろしくお願いします。',
      { from: 'yamada@sakura.example', to: ['rep@ws.example'], cc: [], subject: 'お見積り', date: '2026年11月19日 15:30' },
    ],
    [
      'Outlook (Chinese)',
      '发件人: 王伟 <wang@huaxia.example>\n发送时间: 2026年11月19日 15:30\n收件人: rep@ws.example\n抄送: li@huaxia.example\n主题: 报价\n\n您好',
      { from: 'wang@huaxia.example', to: ['rep@ws.example'], cc: ['li@huaxia.example'], subject: '报价', date: '2026年11月19日 15:30' },
    ],
  ])('reads the header block of %s', (_name, text, want) => {
    const f = parseForwarded(text);
    expect(f && { from: f.from?.email, to: f.to.map((a) => a.email), cc: f.cc.map((a) => a.email), subject: f.subject, date: f.date }).toEqual(want);
    expect(f?.body.trim()).toMatch(/^(Hello|よろしくお願いします。|您好)$/);
  });

  it('finds no forward in a plain message or a reply', () => {
    expect(parseForwarded('Hello\n\nOn Thu, Nov 19, 2026 at 3:30 PM Jane <jane@acme.example> wrote:\n> hi')).toBeNull();
    expect(parseForwarded('From: me to you, with thanks\n\nbye')).toBeNull();
  });

  it.each([
    ['Thu, Nov 19, 2026 at 3:30 PM', '+0900', '2026-11-19T06:30:00.000Z'],
    ['Thursday, November 19, 2026 3:30 PM', null, '2026-11-19T15:30:00.000Z'],
    ['19 November 2026 at 15:30:00 GMT+9', null, '2026-11-19T06:30:00.000Z'],
    ['2026年11月19日(木) 15:30', '+0900', '2026-11-19T06:30:00.000Z'],
    ['2026年11月19日 下午3:30', '+0800', '2026-11-19T07:30:00.000Z'],
    ['Thu, 19 Nov 2026 15:30:00 +0100', '+0900', '2026-11-19T14:30:00.000Z'],
    ['not a date', null, null],
  ])('reads the date %s (zone %s)', (text, zone, want) => {
    expect(forwardedDate(text, zone)).toBe(want);
  });

  it('captures a forward of an external message with a stable derived Message-ID', () => {
    const mail: InboundMail = {
      from: { email: 'rep@ws.example' },
      to: [{ email: 'log+abc@in.example.com' }],
      cc: [],
      subject: '转发: 报价',
      date: '2026-11-20T01:00:00.000Z',
      rawDate: 'Fri, 20 Nov 2026 09:00:00 +0800',
      messageId: '<outer@ws.example>',
      text: '发件人: 王伟 <wang@huaxia.example>\n发送时间: 2026年11月19日 15:30\n收件人: rep@ws.example\n主题: 报价\n\n您好',
      attachments: [],
      authenticationResults: [],
    };
    const args = captureArgs(mail);
    expect(args).toMatchObject({
      sender: 'rep@ws.example',
      forwarded: true,
      message: { from: { email: 'wang@huaxia.example' }, subject: '报价', date: '2026-11-19T07:30:00.000Z', body: '您好' },
    });
    expect(args.message.messageId).toBe(derivedId(['wang@huaxia.example', '2026-11-19T07:30:00.000Z', '报价', '您好']));
    expect(captureArgs(mail).message.messageId).toBe(args.message.messageId);
  });
});

describe('capture addresses and their checks', () => {
  it('makes and reads an address', () => {
    expect(captureAddress('log@in.example.com', 'k7qm2xwz9a')).toBe('log+k7qm2xwz9a@in.example.com');
    expect(secretOf('log@in.example.com', 'Log+K7QM2XWZ9A@In.Example.com')).toBe('k7qm2xwz9a');
    expect(secretOf('log@in.example.com', 'Rep <log+k7qm2xwz9a@in.example.com>')).toBe('k7qm2xwz9a');
    expect(secretOf('log@in.example.com', 'other+k7qm2xwz9a@in.example.com')).toBeNull();
    expect(secretOf('log@in.example.com', 'log+k7qm2xwz9a@elsewhere.example')).toBeNull();
    expect(secretOf('log@in.example.com', 'log@in.example.com')).toBeNull();
  });

  it('calls mail forged only when DKIM and SPF both failed', () => {
    expect(authenticationFailed(['mx; dkim=fail header.d=x; spf=fail smtp.mailfrom=x'])).toBe(true);
    expect(authenticationFailed(['mx; dkim=fail', 'mx; spf=fail'])).toBe(true);
    expect(authenticationFailed(['mx; dkim=fail; spf=pass'])).toBe(false);
    expect(authenticationFailed(['mx; dkim=pass; spf=softfail'])).toBe(false);
    expect(authenticationFailed([])).toBe(false);
  });

  it('needs both inbound settings or neither', () => {
    expect(() => parseEnv({ RAPPORT_INBOUND_ADDRESS: 'log@in.example.com' })).toThrow(/RAPPORT_INBOUND_SECRET: a capture address needs both/);
    expect(() => parseEnv({ RAPPORT_INBOUND_ADDRESS: 'not an address', RAPPORT_INBOUND_SECRET: 'x'.repeat(32) })).toThrow(EnvError);
    expect(() => parseEnv({ RAPPORT_INBOUND_ADDRESS: 'log@in.example.com', RAPPORT_INBOUND_SECRET: 'short' })).toThrow(
      /RAPPORT_INBOUND_SECRET: must be at least 32/,
    );
    expect(parseEnv({ RAPPORT_INBOUND_ADDRESS: 'log@in.example.com', RAPPORT_INBOUND_SECRET: 'x'.repeat(32) }).RAPPORT_INBOUND_ADDRESS).toBe(
      'log@in.example.com',
    );
  });
});
